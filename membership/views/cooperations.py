"""The cooperations a user is given: the current one's details, agreements and staff."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from khs.lib.access import is_administrator, perm_required
from membership import services
from membership.exceptions import MembershipError
from membership.forms import AgreementForm, CooperationForm, CooperationStaffForm
from membership.models import Cooperation, CooperationAgreement
from membership.scope import (
    SESSION_COOPERATION_KEY,
    cooperation_required,
    get_for_cooperation_or_404,
    staff_cooperations,
)
from membership.services.cooperations import COOPERATION_FIELDS
from membership.views._common import administrator_required

# The logo is only replaced when a new file is uploaded.
FORM_FIELDS = [name for name in COOPERATION_FIELDS if name != "logo"]


@require_GET
@perm_required("membership.view_cooperation")
@cooperation_required
def cooperation_list(request, cooperation):
    cooperations = (
        staff_cooperations(request.user)
        .select_related("secretariat_host")
        .annotate(staff_count=Count("staff", distinct=True))
        .order_by("name")
    )
    return render(request, "membership/cooperation_list.html", {"cooperations": cooperations, "current": cooperation})


@require_GET
@perm_required("membership.view_cooperation")
@cooperation_required
def cooperation_detail(request, cooperation):
    return render(
        request,
        "membership/cooperation_detail.html",
        {
            "cooperation": cooperation,
            "agreements": cooperation.agreements.order_by("starts_on"),
            "staff": cooperation.staff.order_by("username") if is_administrator(request.user) else None,
        },
    )


def _logo_changes(form) -> dict:
    logo = form.cleaned_data.get("logo")
    if logo is False:
        return {"logo": ""}  # "clear" was ticked
    if logo and hasattr(logo, "content_type"):
        return {"logo": logo}  # a new upload
    return {}


@require_http_methods(["GET", "POST"])
@administrator_required
def cooperation_create(request):
    form = CooperationForm(request.POST or None, request.FILES or None, hosts=staff_cooperations(request.user))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in FORM_FIELDS if name not in ("name", "short_name")}
        try:
            cooperation = services.cooperation_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                short_name=form.cleaned_data["short_name"],
                **data,
                **_logo_changes(form),
            )
        except MembershipError as error:
            error.add_to_form(form)
        else:
            request.session[SESSION_COOPERATION_KEY] = cooperation.pk
            messages.success(request, _("%(name)s er opprettet, og du arbeider nå i det.") % {"name": cooperation.name})
            return redirect("membership:cooperation-detail")
    return render(request, "membership/cooperation_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@perm_required("membership.change_cooperation")
@cooperation_required
def cooperation_update(request, cooperation):
    # A copy of its own: the form sets what was typed on its instance, and the page header shows `cooperation`.
    form = CooperationForm(
        request.POST or None,
        request.FILES or None,
        instance=Cooperation.objects.get(pk=cooperation.pk),
        hosts=staff_cooperations(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in FORM_FIELDS}
        try:
            services.cooperation_update(cooperation=cooperation, actor=request.user, **data, **_logo_changes(form))
        except MembershipError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Opplysningene om samarbeidet er lagret."))
            return redirect("membership:cooperation-detail")
    return render(request, "membership/cooperation_form.html", {"form": form, "cooperation": cooperation})


@require_http_methods(["GET", "POST"])
@administrator_required
@cooperation_required
def cooperation_staff(request, cooperation):
    form = CooperationStaffForm(request.POST or None, initial={"users": list(cooperation.staff.all())})
    if request.method == "POST" and form.is_valid():
        services.cooperation_staff_set(
            cooperation=cooperation, users=list(form.cleaned_data["users"]), actor=request.user
        )
        messages.success(request, _("Tilgangen til %(name)s er lagret.") % {"name": cooperation.name})
        return redirect("membership:cooperation-detail")
    return render(request, "membership/cooperation_staff.html", {"form": form, "cooperation": cooperation})


@require_http_methods(["GET", "POST"])
@perm_required("membership.add_cooperationagreement")
@cooperation_required
def agreement_create(request, cooperation):
    form = AgreementForm(request.POST or None, initial={"title": _("Samarbeidsavtale")})
    return _agreement_form(
        request,
        form,
        lambda **fields: services.cooperation_agreement_create(cooperation=cooperation, **fields),
        _("Avtaleperioden er registrert."),
    )


@require_http_methods(["GET", "POST"])
@perm_required("membership.change_cooperationagreement")
@cooperation_required
def agreement_update(request, cooperation, pk):
    agreement = get_for_cooperation_or_404(CooperationAgreement.objects.all(), cooperation, pk=pk)
    form = AgreementForm(request.POST or None, instance=agreement)
    return _agreement_form(
        request,
        form,
        lambda **fields: services.cooperation_agreement_update(agreement=agreement, **fields),
        _("Avtaleperioden er endret."),
        agreement=agreement,
    )


def _agreement_form(request, form, save, done: str, agreement=None):
    if request.method == "POST" and form.is_valid():
        try:
            save(
                actor=request.user,
                title=form.cleaned_data["title"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except MembershipError as error:
            error.add_to_form(form)
        else:
            messages.success(request, done)
            return redirect("membership:cooperation-detail")
    return render(request, "membership/agreement_form.html", {"form": form, "agreement": agreement})
