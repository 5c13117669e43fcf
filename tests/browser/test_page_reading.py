"""What the journeys read of a page is the page as it has loaded, not as it is arriving."""

import time

from django.http import HttpResponse, StreamingHttpResponse
from django.urls import path


# A page whose end arrives half a second after its start, as a long page on a slow line does.
def _start(request):
    return HttpResponse("<html lang='nb'><head><title>Start</title></head><body><main><a href='/slow/'>Videre</a>")


def _slow(request):
    def parts():
        yield "<html lang='nb'><head><title>Treg</title></head><body><main><h1>Først</h1>"
        time.sleep(0.5)
        yield "<p>Til slutt</p></main></body></html>"

    return StreamingHttpResponse(parts(), content_type="text/html; charset=utf-8")


urlpatterns = [path("start/", _start), path("slow/", _slow)]


def test_the_html_read_right_after_a_click_is_the_whole_next_page(page, settings):
    # The journeys assert on page.content() straight after a click: it must not read a page still arriving.
    settings.ROOT_URLCONF = __name__
    page.goto("/start/")
    page.get_by_role("link", name="Videre").click()
    assert "Til slutt" in page.content()
