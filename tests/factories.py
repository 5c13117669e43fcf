"""Small factories: plain functions with sensible defaults, every field overridable."""

import itertools
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from stdnum.no import orgnr

from khs.roles import roles_sync
from meetings.models import Case, Meeting
from membership.models import Body, Cooperation, Membership, Municipality, Office, Person, Population

_seq = itertools.count(1)


def valid_org_number() -> str:
    """A fresh organisation number with a correct MOD11 check digit."""
    while True:
        candidate = str(970_000_000 + next(_seq) * 7)
        if orgnr.is_valid(candidate):
            return candidate


def aware(year, month, day, hour=0, minute=0) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def make_user(username=None, *, role=None, cooperations=(), password="correct horse battery", **fields):
    if role and not Group.objects.filter(name=role).exists():
        roles_sync()  # a transactional test flushed the groups that migrate created
    username = username or f"user{next(_seq)}"
    user = get_user_model().objects.create_user(username=username, password=password, **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    for cooperation in cooperations:
        cooperation.staff.add(user)
    return user


def make_cooperation(**fields) -> Cooperation:
    n = next(_seq)
    defaults = dict(
        name=f"Samarbeid {n}",
        short_name=f"S{n}",
        org_number=valid_org_number(),
        street_address="Postboks 1",
        postcode="3000",
        city="Drammen",
        bank_account="15037912341",
        contact_email=f"post{n}@example.no",
    )
    defaults.update(fields)
    return Cooperation.objects.create(**defaults)


def make_municipality(number=None, name=None, **fields) -> Municipality:
    n = next(_seq)
    defaults = dict(
        number=number or f"{9000 + n % 999:04d}",
        name=name or f"Kommune {n}",
        org_number=valid_org_number(),
        invoice_street="Rådhusveien 1",
        invoice_postcode="3000",
        invoice_city="Drammen",
        invoice_email=f"faktura{n}@example.no",
        county="Buskerud",
    )
    defaults.update(fields)
    return Municipality.objects.create(**defaults)


def make_membership(cooperation, municipality, starts_on=date(2010, 1, 1), ends_on=None) -> Membership:
    return Membership.objects.create(
        cooperation=cooperation, municipality=municipality, starts_on=starts_on, ends_on=ends_on
    )


def make_person(name=None, **fields) -> Person:
    n = next(_seq)
    defaults = dict(name=name or f"Person {n}", email=f"person{n}@example.no")
    defaults.update(fields)
    return Person.objects.create(**defaults)


def make_office(person, kind=Office.Kind.MAYOR, starts_on=date(2015, 10, 1), ends_on=None, **fields) -> Office:
    return Office.objects.create(person=person, kind=kind, starts_on=starts_on, ends_on=ends_on, **fields)


def make_population(municipality, year, count, source="SSB tabell 07459") -> Population:
    return Population.objects.create(municipality=municipality, year=year, count=count, source=source)


def make_body(cooperation, **fields) -> Body:
    n = next(_seq)
    defaults = dict(name=f"Organ {n}", kind=Body.Kind.MAYORS_MEETING, invite_mode=Body.InviteMode.MEMBER_MAYORS)
    defaults.update(fields)
    return Body.objects.create(cooperation=cooperation, **defaults)


def make_meeting(body, **fields) -> Meeting:
    number = (body.meetings.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    defaults = dict(
        number=number,
        title=f"Møte {number} i {body.name}",
        starts_at=aware(2017, 6, 15, 10),
        ends_at=aware(2017, 6, 15, 11),
        place_name="Elvebakken gård",
        place_address="Heggeveien 5, 3403 Lier",
        registration_deadline=aware(2017, 6, 4, 23, 59),
    )
    defaults.update(fields)
    return Meeting.objects.create(body=body, **defaults)


def make_case_row(body, number, year=2017, **fields) -> Case:
    """A case row written directly (tests of numbering use the service instead)."""
    defaults = dict(title=f"Sak {number}", registered_at=aware(year, 1, 1))
    defaults.update(fields)
    return Case.objects.create(body=body, year=year, number=number, **defaults)


def make_invitee(meeting, person=None, **fields):
    """An invitee of a meeting; for a person, their name and address unless given."""
    from meetings.models import Invitee

    n = next(_seq)
    defaults = dict(
        name=person.name if person else f"Invitert {n}", email=person.email if person else f"invitert{n}@example.no"
    )
    defaults.update(fields)
    return Invitee.objects.create(meeting=meeting, person=person, **defaults)


# --- billing -------------------------------------------------------------------------------------

VALID_BANK_ACCOUNT = "15037912341"  # invented, with a correct MOD11 check digit


def make_billing_profile(cooperation, **fields):
    from billing.services import billing_profile_save

    defaults = dict(
        invoice_prefix="HS-", due_days=30, population_reference="year_before", payment_account=VALID_BANK_ACCOUNT
    )
    defaults.update(fields)
    return billing_profile_save(cooperation=cooperation, actor=None, **defaults)


def make_rate(cooperation, per_inhabitant="2.50", valid_from=date(2018, 1, 1), **fields):
    from decimal import Decimal

    from billing.services import rate_create

    defaults = dict(resolution_text="ordførermøtet sak 2/2017", resolution_date=date(2017, 6, 15))
    defaults.update(fields)
    return rate_create(
        cooperation=cooperation, actor=None, per_inhabitant=Decimal(per_inhabitant), valid_from=valid_from, **defaults
    )


def make_attachment(case, title="Vedlegg", content=b"%PDF-1.4 test", filename="vedlegg.pdf", **fields):
    """A stored attachment of a case (summons issue)."""
    import hashlib

    from django.core.files.base import ContentFile

    from meetings.models import CaseAttachment

    attachment = CaseAttachment(
        case=case,
        title=title,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_at=aware(2017, 5, 1),
        position=fields.pop("position", case.attachments.count()),
        **fields,
    )
    attachment.file.save(filename, ContentFile(content), save=True)
    return attachment
