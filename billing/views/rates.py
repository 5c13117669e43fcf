"""The cooperation's billing settings and its contribution rates (each citing the case that adopted it)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from billing import selectors, services
from billing.errors import BillingError
from billing.forms import BillingProfileForm, RateCaseForm, RateForm
from billing.models import ContributionRate
from billing.views._common import _error
from khs.lib.access import perm_required
from khs.lib.money import format_number
from membership.scope import cooperation_required, get_for_cooperation_or_404


def _cases(cooperation):
    from meetings.models import Case

    return (
        Case.objects.filter(body__cooperation=cooperation)
        .select_related("body")
        .order_by("-year", "body__name", "number")
    )


@require_http_methods(["GET", "POST"])
@perm_required("billing.change_billingprofile", "billing.add_billingprofile")
@cooperation_required
def profile_edit(request, cooperation):
    profile = selectors.billing_profile_for(cooperation)
    form = BillingProfileForm.for_profile(profile, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.billing_profile_save(cooperation=cooperation, actor=request.user, **form.cleaned_data)
        except BillingError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Faktureringsoppsettet er lagret."))
            return redirect("billing:overview")
    return render(request, "billing/profile_form.html", {"form": form, "profile": profile})


@require_http_methods(["GET", "POST"])
@perm_required("billing.view_contributionrate")
@cooperation_required
def rate_list(request, cooperation):
    cases = _cases(cooperation)
    form = RateForm(data=request.POST if request.method == "POST" else None, cases=cases)
    if request.method == "POST":
        if not request.user.has_perm("billing.add_contributionrate"):
            raise PermissionDenied
        if form.is_valid():
            try:
                rate = services.rate_create(cooperation=cooperation, actor=request.user, **form.cleaned_data)
            except BillingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Ny sats kr %(rate)s fra %(date)s er registrert.")
                    % {
                        "rate": format_number(rate.per_inhabitant, decimals=2),
                        "date": rate.valid_from.strftime("%d.%m.%Y"),
                    },
                )
                if not rate.has_resolution:
                    messages.warning(request, _("Satsen mangler henvisning til vedtak."))
                return redirect("billing:rates")
    rates = (
        ContributionRate.objects.filter(cooperation=cooperation)
        .select_related("resolution_case__body")
        .annotate(invoice_count=Count("invoices"))
        .order_by("-valid_from")
    )
    return render(
        request,
        "billing/rate_list.html",
        {"rates": rates, "form": form, "case_form": RateCaseForm(cases=cases), "has_cases": cases.exists()},
    )


@require_POST
@perm_required("billing.change_contributionrate")
@cooperation_required
def rate_link_case(request, cooperation, pk: int):
    rate = get_for_cooperation_or_404(ContributionRate.objects.all(), cooperation, pk=pk)
    form = RateCaseForm(data=request.POST, cases=_cases(cooperation))
    if form.is_valid():
        try:
            services.rate_link_case(rate=rate, case=form.cleaned_data["resolution_case"], actor=request.user)
        except BillingError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Satsen er knyttet til saken."))
    else:
        messages.error(request, _("Velg en sak."))
    return redirect("billing:rates")
