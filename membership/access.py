"""Who owns which part of the register, and who may change it. The one home of these rules: views,
form choices and services all ask the functions here.

Ownership:
- A municipality's installation-wide facts (number, names, county, organisasjonsnummer, validity,
  mergers and renumberings) and its default invoice address belong to the installation: only
  administrators change them (or the system: management commands, data loads, actor=None).
- What a cooperation needs of a member (invoice address, e-mail and reference) is that
  cooperation's own record (MemberContact), changed only by its staff.
- A municipality's offices (mayor, deputy mayor, chief executive) and population figures are shared:
  they are changed by staff of a cooperation the municipality is a member of today, and every
  cooperation it is a member of sees the change in its audit trail.
- A body's offices belong to the body's cooperation; secretariat offices to their cooperation.
- A membership that begins outside the current year (in the future or backdated) is registered by
  accepting the municipality's answer to an invitation, or by an administrator: a clerk cannot widen
  what their cooperation reaches by registering a made-up membership.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from khs.lib.access import is_administrator
from membership.exceptions import MembershipError
from membership.models import Membership, Municipality, Office, Person


class RegisterAccessDenied(MembershipError, PermissionDenied):
    """The actor may not make this change to the register (a view shows it as 403 or beside the form)."""


def _today(day: date | None) -> date:
    return day or timezone.localdate()


def acts_as_administrator(actor) -> bool:
    """An administrator, or the system itself (actor None: management commands and data loads)."""
    return actor is None or is_administrator(actor)


def _active(day: date) -> Q:
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def current_member_ids(cooperation, day: date | None = None):
    """Ids of the municipalities that are members of the cooperation today (a subquery)."""
    cooperation_id = getattr(cooperation, "pk", cooperation)
    return Membership.objects.filter(_active(_today(day)), cooperation_id=cooperation_id).values("municipality_id")


def known_member_ids(cooperation, day: date | None = None):
    """Ids of municipalities that are or have been members (not future memberships): what staff may read."""
    cooperation_id = getattr(cooperation, "pk", cooperation)
    return Membership.objects.filter(cooperation_id=cooperation_id, starts_on__lte=_today(day)).values(
        "municipality_id"
    )


def cooperations_concerned(municipality_ids, day: date | None = None) -> list[int]:
    """The cooperations the given municipalities are members of today: each sees a shared change."""
    return sorted(
        set(
            Membership.objects.filter(_active(_today(day)), municipality_id__in=list(municipality_ids)).values_list(
                "cooperation_id", flat=True
            )
        )
    )


def _is_staff_of(actor, cooperation_id) -> bool:
    if cooperation_id is None:
        return False
    return actor.cooperations.filter(pk=cooperation_id).exists()


# --- Municipalities: installation-wide facts ---------------------------------------------------------


def may_change_municipality_facts(actor) -> bool:
    return acts_as_administrator(actor)


def check_municipality_facts(actor):
    if not may_change_municipality_facts(actor):
        raise RegisterAccessDenied(
            _(
                "Kommunenummer, navn, organisasjonsnummer og sammenslåinger gjelder hele installasjonen og "
                "endres bare av en administrator."
            )
        )


# --- Offices and population: shared facts of a member ------------------------------------------------


def municipalities_changeable(actor, cooperation, day: date | None = None):
    """The municipalities whose offices and population this user may change in this cooperation."""
    if acts_as_administrator(actor):
        return Municipality.objects.all()
    if cooperation is None or not _is_staff_of(actor, cooperation.pk):
        return Municipality.objects.none()
    return Municipality.objects.filter(pk__in=current_member_ids(cooperation, day))


def may_change_municipality_register(actor, cooperation_id, municipality_id, day: date | None = None) -> bool:
    if acts_as_administrator(actor):
        return True
    if not _is_staff_of(actor, cooperation_id):
        return False
    return current_member_ids(cooperation_id, day).filter(municipality_id=municipality_id).exists()


def not_a_member_message(municipality) -> str:
    return _(
        "%(m)s er ikke medlem av samarbeidet i dag; vervene og innbyggertallene endres av samarbeid "
        "kommunen er medlem av."
    ) % {"m": municipality}


def check_municipality_register(actor, cooperation_id, municipality, day: date | None = None):
    if not may_change_municipality_register(actor, cooperation_id, municipality.pk, day):
        raise RegisterAccessDenied(not_a_member_message(municipality), field="municipality")


def may_change_office_place(
    actor, cooperation_id, *, kind, municipality=None, body=None, cooperation=None, day=None
) -> bool:
    """May this user begin, change or end an office of this kind in this place?"""
    if acts_as_administrator(actor):
        return True
    if not _is_staff_of(actor, cooperation_id):
        return False
    if kind in Office.MUNICIPAL_KINDS:
        return municipality is not None and may_change_municipality_register(
            actor, cooperation_id, municipality.pk, day
        )
    if kind in Office.BODY_KINDS:
        return body is not None and body.cooperation_id == cooperation_id
    return cooperation is not None and cooperation.pk == cooperation_id


def check_office(actor, cooperation_id, office: Office):
    if not may_change_office_place(
        actor,
        cooperation_id,
        kind=office.kind,
        municipality=office.municipality,
        body=office.body,
        cooperation=office.cooperation,
    ):
        if office.municipality_id:
            raise RegisterAccessDenied(not_a_member_message(office.municipality), field="municipality")
        raise RegisterAccessDenied(_("Vervet hører til et annet samarbeid."))


def offices_changeable(actor, cooperation, day: date | None = None):
    """The offices this user may change while working in this cooperation."""
    if acts_as_administrator(actor):
        return Office.objects.all()
    if cooperation is None or not _is_staff_of(actor, cooperation.pk):
        return Office.objects.none()
    return Office.objects.filter(
        Q(kind__in=Office.MUNICIPAL_KINDS, municipality__in=current_member_ids(cooperation, day))
        | Q(kind__in=Office.BODY_KINDS, body__cooperation=cooperation)
        | Q(kind=Office.Kind.SECRETARIAT, cooperation=cooperation)
    )


# --- People ---------------------------------------------------------------------------------------------


def people_readable(cooperation, day: date | None = None):
    """The people a cooperation's staff may see: those with an office tied to it (its bodies, its
    secretariat, or a municipality that is or has been its member; never a future membership), and
    people not yet given any office."""
    tied = Office.objects.filter(
        Q(cooperation=cooperation)
        | Q(body__cooperation=cooperation)
        | Q(municipality__in=known_member_ids(cooperation, day))
    ).values("person_id")
    return Person.objects.filter(Q(pk__in=tied) | Q(offices__isnull=True)).distinct()


def offices_readable(cooperation, day: date | None = None):
    return Office.objects.filter(
        Q(cooperation=cooperation)
        | Q(body__cooperation=cooperation)
        | Q(municipality__in=known_member_ids(cooperation, day))
    )


def people_changeable(actor, cooperation, day: date | None = None):
    """People whose name and contact details this user may change: anyone holding an office this
    cooperation may change today, and people without any office."""
    if acts_as_administrator(actor):
        return Person.objects.all()
    held = offices_changeable(actor, cooperation, day).filter(_active(_today(day))).values("person_id")
    return Person.objects.filter(Q(pk__in=held) | Q(offices__isnull=True)).distinct()


def check_person(actor, cooperation_id, person: Person):
    if acts_as_administrator(actor):
        return
    from membership.models import Cooperation

    cooperation = Cooperation.objects.filter(pk=cooperation_id).first()
    if cooperation is None or not people_changeable(actor, cooperation).filter(pk=person.pk).exists():
        raise RegisterAccessDenied(_("Personen har ingen verv du kan endre i dette samarbeidet."))


# --- Memberships ---------------------------------------------------------------------------------------


def may_register_membership(actor, starts_on: date, day: date | None = None) -> bool:
    """Staff register directly only a membership that begins this year and not after today; a future
    or backdated one comes from an accepted invitation, or from an administrator."""
    if acts_as_administrator(actor):
        return True
    today = _today(day)
    return date(today.year, 1, 1) <= starts_on <= today


def check_membership_start(actor, starts_on: date, *, accepted_invitation: bool = False):
    if accepted_invitation or may_register_membership(actor, starts_on):
        return
    raise RegisterAccessDenied(
        _(
            "Et medlemskap som begynner i fremtiden eller før i år registreres ved at kommunen takker ja til "
            "en invitasjon, eller av en administrator."
        ),
        field="starts_on",
    )


def check_staff_of(actor, cooperation_id):
    """Staff act for the cooperations they are given (administrators for all)."""
    if acts_as_administrator(actor) or _is_staff_of(actor, cooperation_id):
        return
    raise RegisterAccessDenied(_("Du har ikke tilgang til dette samarbeidet."))
