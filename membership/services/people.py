"""People and the offices they hold over time (mayor, chief executive, body member, secretariat)."""

from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from khs.lib.audit import audit_log, snapshot
from membership.access import (
    RegisterAccessDenied,
    acts_as_administrator,
    check_office,
    check_person,
    cooperations_concerned,
    may_change_office_place,
    not_a_member_message,
)
from membership.exceptions import MembershipError
from membership.models import Municipality, Office, Person
from membership.rules import SINGLE_HOLDER_KINDS, office_errors, office_place_errors, overlapping
from membership.services._common import apply_changes, audit_log_shared, raise_if, validated

PERSON_FIELDS = {"name", "email", "phone", "language"}


def _check_email(person: Person):
    """Members sign in by e-mail address, so one address belongs to one person."""
    other = Person.objects.filter(email__iexact=person.email).exclude(pk=person.pk).first() if person.email else None
    if other is not None:
        raise MembershipError(
            _("%(other)s er allerede registrert med e-postadressen %(email)s.")
            % {"other": other.name, "email": person.email},
            field="email",
        )


@transaction.atomic
def person_create(*, actor, name: str, cooperation_id: int | None = None, **fields) -> Person:
    person = Person(name=name)
    apply_changes(person, fields, allowed=PERSON_FIELDS)
    validated(person, exclude=["user"])
    _check_email(person)
    person.save()
    audit_log(
        actor=actor,
        action="create",
        verb="person_create",
        obj=person,
        changes=snapshot(person),
        cooperation_id=cooperation_id,
    )
    return person


@transaction.atomic
def person_update(*, person: Person, actor, cooperation_id: int | None = None, **fields) -> Person:
    """Correct a person's details. The e-mail address is a member's sign-in credential: staff may give
    a first address; changing one is an administrator's act, and the old address is told."""
    check_person(actor, cooperation_id, person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    changes = apply_changes(person, fields, allowed=PERSON_FIELDS)
    validated(person, exclude=["user"])
    _check_email(person)
    old_email = changes.get("email", [None])[0]
    if old_email and not acts_as_administrator(actor):
        raise RegisterAccessDenied(
            _(
                "E-postadressen er personens innlogging og kan bare endres av en administrator. Den gamle "
                "adressen får beskjed om endringen."
            ),
            field="email",
        )
    if changes:
        person.save()
        if "email" in changes and person.user_id:
            # The member's login account follows the address its sign-in links are sent to.
            type(person.user).objects.filter(pk=person.user_id).update(email=person.email)
        if old_email:
            transaction.on_commit(lambda: _email_change_notice(person, old_email))
        audit_log(
            actor=actor,
            action="update",
            verb="person_update",
            obj=person,
            changes=changes,
            cooperation_id=cooperation_id,
        )
    return person


def _email_change_notice(person: Person, old_email: str):
    """Tell the old address that sign-in links now go elsewhere (a mail failure changes nothing)."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import translation

    with translation.override(person.language or settings.LANGUAGE_CODE):
        body = _(
            "Hei %(name)s,\n\nE-postadressen din i khs er endret fra %(old)s til %(new)s. Innloggingslenker og "
            "innkallinger sendes heretter til den nye adressen.\n\nEr ikke dette riktig, ta kontakt med "
            "sekretariatet."
        ) % {"name": person.name, "old": old_email, "new": person.email}
        send_mail(_("E-postadressen din i khs er endret"), body, None, [old_email], fail_silently=True)


def _office_audit_ids(office: Office, cooperation_id: int | None) -> list:
    """A municipal office is shared: every cooperation the municipality is a member of sees the change."""
    if office.municipality_id:
        return [*cooperations_concerned([office.municipality_id]), cooperation_id]
    return [_cooperation_of(office) or cooperation_id]


def _cooperation_of(office: Office) -> int | None:
    if office.cooperation_id:
        return office.cooperation_id
    if office.body_id:
        return office.body.cooperation_id
    return None


def _lock_place(*, municipality, body, cooperation):
    """Serialise changes to the holders of one office: lock the place it belongs to."""
    if municipality is not None:
        Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
    elif body is not None:
        type(body).objects.select_for_update().filter(pk=body.pk).first()
    elif cooperation is not None:
        type(cooperation).objects.select_for_update().filter(pk=cooperation.pk).first()


@transaction.atomic
def office_begin(
    *,
    person: Person,
    kind: str,
    starts_on: date,
    actor,
    municipality=None,
    body=None,
    cooperation=None,
    ends_on: date | None = None,
    title: str = "",
    end_previous: bool = True,
    cooperation_id: int | None = None,
) -> Office:
    """A person takes up an office. For a one-holder office (mayor, leader, …) the holder in office
    until now steps down the day before; earlier terms stay in the history."""
    if kind not in Office.Kind.values:
        raise MembershipError(_("Ukjent verv «%(kind)s».") % {"kind": kind}, field="kind")
    municipality = municipality if kind in Office.MUNICIPAL_KINDS else None
    body = body if kind in Office.BODY_KINDS else None
    cooperation = cooperation if kind == Office.Kind.SECRETARIAT else None
    raise_if(office_place_errors(kind=kind, municipality=municipality, body=body, cooperation=cooperation))
    if not may_change_office_place(
        actor, cooperation_id, kind=kind, municipality=municipality, body=body, cooperation=cooperation
    ):
        if municipality is not None:
            raise RegisterAccessDenied(not_a_member_message(municipality), field="municipality")
        raise RegisterAccessDenied(_("Vervet hører til et annet samarbeid."))
    _lock_place(municipality=municipality, body=body, cooperation=cooperation)
    raise_if(
        office_errors(
            person=person,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            municipality=municipality,
            body=body,
            cooperation=cooperation,
            end_previous=end_previous,
        )
    )
    if end_previous and kind in SINGLE_HOLDER_KINDS:
        previous = overlapping(
            Office.objects.select_for_update().filter(
                kind=kind, municipality=municipality, body=body, ends_on__isnull=True, starts_on__lt=starts_on
            ),
            starts_on,
            ends_on,
        ).exclude(person=person)
        for office in previous:
            office.ends_on = starts_on - timedelta(days=1)
            office.save(update_fields=["ends_on"])
            audit_log_shared(
                actor=actor,
                action="update",
                verb="office_end",
                obj=office,
                changes={"ends_on": [None, office.ends_on]},
                cooperation_ids=_office_audit_ids(office, cooperation_id),
                message=_("Etterfølges av %(person)s") % {"person": person},
            )
    office = Office.objects.create(
        person=person,
        kind=kind,
        municipality=municipality,
        body=body,
        cooperation=cooperation,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    audit_log_shared(
        actor=actor,
        action="create",
        verb="office_begin",
        obj=office,
        changes=snapshot(office),
        cooperation_ids=_office_audit_ids(office, cooperation_id),
    )
    return office


@transaction.atomic
def office_update(*, office: Office, actor, cooperation_id: int | None = None, **fields) -> Office:
    """Correct an office's period or title."""
    check_office(actor, cooperation_id, office)
    _lock_place(municipality=office.municipality, body=office.body, cooperation=office.cooperation)
    office = Office.objects.select_related("person", "municipality", "body").get(pk=office.pk)
    changes = apply_changes(office, fields, allowed={"starts_on", "ends_on", "title"})
    raise_if(
        office_errors(
            person=office.person,
            kind=office.kind,
            starts_on=office.starts_on,
            ends_on=office.ends_on,
            municipality=office.municipality,
            body=office.body,
            cooperation=office.cooperation,
            exclude_pk=office.pk,
            end_previous=False,
        )
    )
    if changes:
        office.save()
        audit_log_shared(
            actor=actor,
            action="update",
            verb="office_update",
            obj=office,
            changes=changes,
            cooperation_ids=_office_audit_ids(office, cooperation_id),
        )
    return office


@transaction.atomic
def office_end(*, office: Office, ends_on: date, actor, cooperation_id: int | None = None) -> Office:
    """The person leaves the office; `ends_on` is the last day in it."""
    office = (
        Office.objects.select_for_update(of=("self",))
        .select_related("municipality", "body", "cooperation")
        .get(pk=office.pk)
    )
    check_office(actor, cooperation_id, office)
    if office.ends_on is not None and office.ends_on < ends_on:
        raise MembershipError(_("Vervet er allerede avsluttet."), field="ends_on")
    if ends_on < office.starts_on:
        raise MembershipError(_("Sluttdatoen kan ikke være før startdatoen."), field="ends_on")
    before = office.ends_on
    office.ends_on = ends_on
    office.save(update_fields=["ends_on"])
    audit_log_shared(
        actor=actor,
        action="update",
        verb="office_end",
        obj=office,
        changes={"ends_on": [before, ends_on]},
        cooperation_ids=_office_audit_ids(office, cooperation_id),
    )
    return office
