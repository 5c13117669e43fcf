"""The treasurer uploads a bank file (camt.054 or OCR Giro), sees what it pays, and confirms."""

import base64
import hashlib

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from billing.errors import BillingError
from billing.payment_import import payment_file_import, payment_file_plan
from khs.lib.access import perm_required
from khs.lib.money import format_money
from membership.scope import cooperation_required

MAX_FILE_BYTES = 10 * 1024 * 1024
SESSION_KEY = "billing_bank_file"


class BankFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Bankfil (camt.054 eller OCR Giro)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Filen er for stor (høyst 10 MB)."))
        return upload


def _stored(request):
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return None
    return stored["name"], base64.b64decode(stored["data"]), stored["sha256"]


@require_http_methods(["GET", "POST"])
@perm_required("billing.add_payment")
@cooperation_required
def payment_file_upload(request, cooperation):
    """GET: the upload form. POST: read the file and show the preview (nothing is registered yet)."""
    form = BankFileForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            plan = payment_file_plan(cooperation=cooperation, data=data)
        except BillingError as exc:
            context["error"] = exc
        else:
            request.session[SESSION_KEY] = {
                "name": upload.name[:200],
                "data": base64.b64encode(data).decode("ascii"),
                "sha256": plan.sha256,
                "cooperation": cooperation.pk,
            }
            context.update(plan=plan, filename=upload.name)
    return render(request, "billing/payment_import.html", context)


@require_POST
@perm_required("billing.add_payment")
@cooperation_required
def payment_file_confirm(request, cooperation):
    stored = _stored(request)
    if (
        stored is None
        or stored[2] != request.POST.get("sha256")
        or hashlib.sha256(stored[1]).hexdigest() != stored[2]
        or request.session[SESSION_KEY].get("cooperation") != cooperation.pk
    ):
        messages.error(request, _("Last opp filen på nytt."))
        return redirect("billing:payment-import")
    name, data, _sha = stored
    try:
        plan = payment_file_import(cooperation=cooperation, data=data, filename=name, actor=request.user)
    except BillingError as exc:
        return render(request, "billing/payment_import.html", {"form": BankFileForm(), "error": exc})
    del request.session[SESSION_KEY]
    count = len(plan.to_register)
    messages.success(
        request,
        ngettext(
            "%(count)s innbetaling på til sammen %(total)s er registrert fra %(file)s.",
            "%(count)s innbetalinger på til sammen %(total)s er registrert fra %(file)s.",
            count,
        )
        % {"count": count, "total": format_money(plan.total_registered), "file": name},
    )
    if plan.manual:
        manual = len(plan.manual)
        messages.warning(
            request,
            ngettext(
                "%(count)s innbetaling må føres manuelt; se listen.",
                "%(count)s innbetalinger må føres manuelt; se listen.",
                manual,
            )
            % {"count": manual},
        )
    return render(
        request, "billing/payment_import.html", {"form": BankFileForm(), "plan": plan, "done": True, "filename": name}
    )
