"""Municipalities: shared by every cooperation in the installation (Gol is a member of two), so any staff
user reads them; a page shows only the memberships of the cooperations the user is given."""

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from khs.lib.access import perm_required
from khs.lib.dates import format_date
from membership import services
from membership.exceptions import MembershipError
from membership.forms import MemberContactForm, MunicipalityForm, MunicipalityMergeForm
from membership.models import MemberContact, Membership, MembershipInvitation, Municipality, Office
from membership.scope import cooperation_required, staff_cooperations
from membership.selectors import active_on, invoice_details, municipalities_on
from membership.services.municipalities import MUNICIPALITY_FIELDS


@require_GET
@perm_required("membership.view_municipality")
@cooperation_required
def municipality_list(request, cooperation):
    today = timezone.localdate()
    show_all = request.GET.get("vis") == "alle"
    municipalities = Municipality.objects.all() if show_all else municipalities_on(today)
    member_now = Membership.objects.filter(active_on(today), cooperation=cooperation, municipality=OuterRef("pk"))
    municipalities = (
        municipalities.select_related("successor")
        .annotate(is_member=Exists(member_now))
        .order_by("number", "valid_from")
    )
    return render(
        request,
        "membership/municipality_list.html",
        {"municipalities": municipalities, "show_all": show_all, "today": today},
    )


@require_GET
@perm_required("membership.view_municipality")
@cooperation_required
def municipality_detail(request, cooperation, pk):
    municipality = get_object_or_404(Municipality.objects.select_related("successor"), pk=pk)
    memberships = list(
        Membership.objects.filter(municipality=municipality, cooperation__in=staff_cooperations(request.user))
        .select_related("cooperation")
        .order_by("cooperation__name", "starts_on")
    )
    offices = Office.objects.filter(municipality=municipality).select_related("person").order_by("kind", "-starts_on")
    return render(
        request,
        "membership/municipality_detail.html",
        {
            "municipality": municipality,
            "predecessors": municipality.predecessors.order_by("number"),
            "regions": municipality.regions.all(),
            "memberships": memberships,
            "offices": offices,
            "populations": municipality.populations.order_by("-year"),
            "invitations": MembershipInvitation.objects.filter(
                municipality=municipality, cooperation=cooperation
            ).order_by("-sent_on"),
            "cooperation": cooperation,
            "invoice_to": invoice_details(cooperation, municipality),
            "is_member_ever": any(m.cooperation_id == cooperation.pk for m in memberships),
        },
    )


@require_http_methods(["GET", "POST"])
@perm_required("membership.add_municipality")
@cooperation_required
def municipality_create(request, cooperation):
    form = MunicipalityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in MUNICIPALITY_FIELDS if name != "name"}
        try:
            municipality = services.municipality_create(
                actor=request.user,
                number=form.cleaned_data["number"],
                name=form.cleaned_data["name"],
                cooperation_id=cooperation.pk,
                **data,
            )
        except MembershipError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("%(m)s er registrert.") % {"m": municipality})
            return redirect("membership:municipality-detail", pk=municipality.pk)
    return render(request, "membership/municipality_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@perm_required("membership.change_municipality")
@cooperation_required
def municipality_update(request, cooperation, pk):
    municipality = get_object_or_404(Municipality, pk=pk)
    form = MunicipalityForm(request.POST or None, instance=municipality)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in MUNICIPALITY_FIELDS}
        try:
            services.municipality_update(
                municipality=municipality, actor=request.user, cooperation_id=cooperation.pk, **data
            )
        except MembershipError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Opplysningene om %(m)s er lagret.") % {"m": municipality})
            return redirect("membership:municipality-detail", pk=municipality.pk)
    return render(request, "membership/municipality_form.html", {"form": form, "municipality": municipality})


@require_http_methods(["GET", "POST"])
@perm_required("membership.add_municipality", "membership.change_municipality", "membership.change_membership")
@cooperation_required
def municipality_merge(request, cooperation):
    initial = {"predecessors": request.GET.getlist("predecessor")}
    form = MunicipalityMergeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            successor = services.municipality_merge(
                predecessors=data["predecessors"],
                successor_number=data["successor_number"],
                name=data["name"],
                on=data["on"],
                actor=request.user,
                cooperation_id=cooperation.pk,
                name_nn=data["name_nn"],
                county=data["county"],
                org_number=data["org_number"],
            )
        except MembershipError as error:
            error.add_to_form(form)
        else:
            messages.success(
                request,
                _("%(m)s er registrert fra %(day)s som etterfølger for %(names)s.")
                % {
                    "m": successor,
                    "day": format_date(data["on"]),
                    "names": ", ".join(str(m) for m in data["predecessors"]),
                },
            )
            return redirect("membership:municipality-detail", pk=successor.pk)
    return render(request, "membership/municipality_merge.html", {"form": form})


@require_http_methods(["GET", "POST"])
@perm_required("membership.change_membercontact")
@cooperation_required
def member_contact_update(request, cooperation, pk):
    """This cooperation's own record of where its invoices to a member go (no other cooperation's)."""
    municipality = get_object_or_404(
        Municipality.objects.filter(pk__in=Membership.objects.filter(cooperation=cooperation).values("municipality")),
        pk=pk,
    )
    contact = MemberContact.objects.filter(cooperation=cooperation, municipality=municipality).first()
    initial = {} if contact else {name: getattr(municipality, name, "") for name in MemberContactForm.Meta.fields}
    form = MemberContactForm(request.POST or None, instance=contact, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_contact_update(
                cooperation=cooperation,
                municipality=municipality,
                actor=request.user,
                **{name: form.cleaned_data[name] for name in MemberContactForm.Meta.fields},
            )
        except MembershipError as error:
            error.add_to_form(form)
        else:
            messages.success(
                request,
                _("Fakturaopplysningene for %(m)s i %(c)s er lagret.")
                % {"m": municipality, "c": cooperation.short_name},
            )
            return redirect("membership:municipality-detail", pk=municipality.pk)
    return render(
        request,
        "membership/member_contact_form.html",
        {"form": form, "municipality": municipality, "cooperation": cooperation},
    )
