"""What the billing pages share: the permission to view, messages for errors and EHF warnings, files."""

from django.contrib import messages
from django.http import HttpResponse
from django.utils.translation import gettext as _

from billing.errors import BillingError
from khs.lib.downloads import file_response

VIEW = "billing.view_invoice"


def _error(request, exc: BillingError):
    messages.error(request, str(exc))


def _ehf_warnings(request, warnings) -> None:
    """The official EHF rules' warnings ([rule id, text, [invoice numbers]]): shown, not blocking."""
    for rule_id, text, numbers in warnings:
        messages.warning(
            request,
            _("EHF-advarsel %(rule)s for %(numbers)s: %(text)s")
            % {"rule": rule_id, "numbers": ", ".join(numbers), "text": text},
        )


def _year_param(request, default: int) -> int | None:
    raw = request.GET.get("year") or request.POST.get("year")
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        return None


def _file(data: bytes, content_type: str, filename: str, *, inline: bool = False) -> HttpResponse:
    return file_response(data, filename, content_type, inline=inline)
