"""People and their offices, as far as they concern the current cooperation."""

from django.contrib import messages
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from khs.lib.access import perm_required
from khs.lib.dates import format_date
from membership import access, services
from membership.exceptions import MembershipError
from membership.forms import OfficeEditForm, OfficeEndForm, OfficeForm, PersonForm
from membership.scope import cooperation_required
from membership.selectors import active_on, offices_for_cooperation, people_for_cooperation

PERSON_FIELDS = ["name", "email", "phone", "language"]


def _offices(cooperation):
    return offices_for_cooperation(cooperation).select_related("municipality", "body", "cooperation", "person")


@require_GET
@perm_required("membership.view_person")
@cooperation_required
def person_list(request, cooperation):
    today = timezone.localdate()
    query = request.GET.get("q", "").strip()
    people = people_for_cooperation(cooperation)
    if query:
        people = people.filter(Q(name__icontains=query) | Q(email__icontains=query))
    people = people.order_by("name").prefetch_related(
        Prefetch(
            "offices",
            queryset=_offices(cooperation).filter(active_on(today)).order_by("starts_on"),
            to_attr="current_offices",
        )
    )
    return render(request, "membership/person_list.html", {"people": people, "query": query, "today": today})


def _person_or_404(cooperation, pk):
    return get_object_or_404(people_for_cooperation(cooperation), pk=pk)


@require_GET
@perm_required("membership.view_person")
@cooperation_required
def person_detail(request, cooperation, pk):
    person = _person_or_404(cooperation, pk)
    offices = _offices(cooperation).filter(person=person).order_by("-starts_on")
    return render(
        request, "membership/person_detail.html", {"person": person, "offices": offices, "today": timezone.localdate()}
    )


@require_http_methods(["GET", "POST"])
@perm_required("membership.add_person")
@cooperation_required
def person_create(request, cooperation):
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in PERSON_FIELDS if name != "name"}
        try:
            person = services.person_create(
                actor=request.user, name=form.cleaned_data["name"], cooperation_id=cooperation.pk, **data
            )
        except MembershipError as error:
            error.add_to_form(form)
        else:
            messages.success(
                request, _("%(name)s er registrert. Registrer vervene personen har.") % {"name": person.name}
            )
            return redirect("membership:person-detail", pk=person.pk)
    return render(request, "membership/person_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@perm_required("membership.change_person")
@cooperation_required
def person_update(request, cooperation, pk):
    person = get_object_or_404(access.people_changeable(request.user, cooperation), pk=pk)
    form = PersonForm(request.POST or None, instance=person)
    if person.email and not access.acts_as_administrator(request.user):
        # The address is the member's sign-in credential: an administrator changes it (membership.access).
        form.fields["email"].disabled = True
        form.fields["email"].help_text = _("Innloggingen til personen; bare en administrator kan endre den.")
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                person=person,
                actor=request.user,
                cooperation_id=cooperation.pk,
                **{name: form.cleaned_data[name] for name in PERSON_FIELDS},
            )
        except MembershipError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Opplysningene om %(name)s er lagret.") % {"name": form.cleaned_data["name"]})
            return redirect("membership:person-detail", pk=person.pk)
    return render(request, "membership/person_form.html", {"form": form, "person": person})


@require_http_methods(["GET", "POST"])
@perm_required("membership.add_office")
@cooperation_required
def office_create(request, cooperation):
    people = people_for_cooperation(cooperation).order_by("name")
    initial = {}
    for key in ("person", "municipality", "kind"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    form = OfficeForm(
        request.POST or None,
        cooperation=cooperation,
        people=people,
        municipalities=access.municipalities_changeable(request.user, cooperation),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            office = services.office_begin(
                person=data["person"],
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                municipality=data["municipality"],
                body=data["body"],
                cooperation=cooperation,
                title=data["title"],
                actor=request.user,
                cooperation_id=cooperation.pk,
            )
        except MembershipError as error:
            error.add_to_form(form)
        else:
            messages.success(
                request,
                _("%(person)s er registrert som %(office)s fra %(day)s.")
                % {
                    "person": office.person,
                    "office": office.get_kind_display().lower(),
                    "day": format_date(office.starts_on),
                },
            )
            return redirect("membership:person-detail", pk=office.person_id)
    return render(request, "membership/office_form.html", {"form": form})


def _office_or_404(request, cooperation, pk):
    """An office this user may change here (another cooperation's, or a non-member's: 404)."""
    changeable = access.offices_changeable(request.user, cooperation)
    return get_object_or_404(changeable.select_related("municipality", "body", "cooperation", "person"), pk=pk)


@require_http_methods(["GET", "POST"])
@perm_required("membership.change_office")
@cooperation_required
def office_update(request, cooperation, pk):
    office = _office_or_404(request, cooperation, pk)
    form = OfficeEditForm(
        request.POST or None,
        office=office,
        initial={"title": office.title, "starts_on": office.starts_on, "ends_on": office.ends_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.office_update(
                office=office,
                actor=request.user,
                cooperation_id=cooperation.pk,
                title=form.cleaned_data["title"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except MembershipError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Vervet er endret."))
            return redirect("membership:person-detail", pk=office.person_id)
    return render(request, "membership/office_edit.html", {"form": form, "office": office})


@require_http_methods(["GET", "POST"])
@perm_required("membership.change_office")
@cooperation_required
def office_end(request, cooperation, pk):
    office = _office_or_404(request, cooperation, pk)
    form = OfficeEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.office_end(
                office=office, ends_on=form.cleaned_data["ends_on"], actor=request.user, cooperation_id=cooperation.pk
            )
        except MembershipError as error:
            error.add_to_form(form)
        else:
            messages.success(
                request,
                _("%(person)s går ut av vervet %(day)s.")
                % {"person": office.person, "day": format_date(form.cleaned_data["ends_on"])},
            )
            return redirect("membership:person-detail", pk=office.person_id)
    return render(request, "membership/office_end.html", {"form": form, "office": office})
