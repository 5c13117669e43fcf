"""The interface language: Bokmål unless the user chose another, or the browser asks for Nynorsk."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

NYNORSK = {"nn", "nn-no", "no-ny"}


class NorwegianLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but an English (or any other) browser still gets Bokmål: most of our
    users' machines are set up in English. A choice made with the language switcher (the cookie) wins;
    a browser that asks for Nynorsk gets Nynorsk."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in dict(settings.LANGUAGES):
            language = chosen
        else:
            wanted = [code.lower() for code, _q in parse_accept_lang_header(request.headers.get("Accept-Language", ""))]
            language = "nn" if wanted and wanted[0] in NYNORSK else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
