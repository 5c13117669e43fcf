"""Who owns what in the shared register (membership/access.py), tried the way the probe did.

HS ("Helsesamarbeidet", the clerk's) has Lier, Drammen and Gol; "Hallingdal" (hall_clerk's) has Gol
only. Gol is shared; Lier and Drammen are HS's alone."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from khs.models import AuditEntry
from khs.roles import SECRETARIAT
from membership.access import RegisterAccessDenied
from membership.models import MemberContact, Membership, Municipality, Office, Population
from membership.services import (
    member_contact_update,
    membership_create,
    municipality_merge,
    municipality_update,
    office_begin,
    population_import,
)
from tests import factories as f


@pytest.fixture
def hallingdal(municipalities):
    hall = f.make_cooperation(name="Regionrådet for Hallingdal", short_name="HALL")
    f.make_membership(hall, municipalities["gol"], starts_on=date(2012, 1, 1))
    return hall


@pytest.fixture
def hall_clerk(hallingdal):
    return f.make_user("hallclerk", role=SECRETARIAT, cooperations=[hallingdal])


@pytest.fixture
def hall_client(client, hall_clerk):
    client.force_login(hall_clerk)
    return client


def test_another_cooperations_clerk_cannot_edit_lier(hall_client, hall_clerk, municipalities, hallingdal):
    lier = municipalities["lier"]
    response = hall_client.post(
        f"/municipalities/{lier.pk}/edit/", {"name": "Lier", "org_number": "974760673", "invoice_email": "x@evil.no"}
    )
    assert response.status_code == 403
    assert hall_client.get(f"/municipalities/{lier.pk}/contact/").status_code == 404
    with pytest.raises(RegisterAccessDenied):
        municipality_update(municipality=lier, actor=hall_clerk, cooperation_id=hallingdal.pk, invoice_email="x@e.no")
    lier.refresh_from_db()
    assert lier.invoice_email != "x@evil.no"


def test_even_a_members_own_clerk_does_not_change_installation_wide_facts(clerk_client, clerk, municipalities):
    gol = municipalities["gol"]
    assert clerk_client.post(f"/municipalities/{gol.pk}/edit/", {"name": "Golby"}).status_code == 403
    assert clerk_client.get("/municipalities/new/").status_code == 403
    assert clerk_client.get("/municipalities/merge/").status_code == 403
    assert Municipality.objects.get(pk=gol.pk).name == "Gol"


def test_a_clerk_cannot_merge_municipalities(hall_client, hall_clerk, municipalities):
    data = {
        "predecessors": [municipalities["lier"].pk, municipalities["drammen"].pk],
        "on": "2030-01-01",
        "successor_number": "3999",
        "name": "Storby",
    }
    assert hall_client.post("/municipalities/merge/", data).status_code == 403
    with pytest.raises(RegisterAccessDenied):
        municipality_merge(
            predecessors=[municipalities["lier"]], successor_number="3999", name="Storby", on=date(2030, 1, 1),
            actor=hall_clerk,
        )  # fmt: skip
    assert not Municipality.objects.filter(name="Storby").exists()
    assert Membership.objects.filter(municipality=municipalities["lier"], ends_on__isnull=True).exists()


def test_a_clerk_cannot_install_a_mayor_of_a_municipality_outside_their_cooperation(
    hall_client, hall_clerk, hallingdal, municipalities
):
    lier, gol = municipalities["lier"], municipalities["gol"]
    page = hall_client.get("/offices/new/")
    choices = set(page.context["form"].fields["municipality"].queryset)
    assert choices == {gol}  # Hallingdal's member today, not Lier
    stooge = f.make_person("Stråmann", email="stramann@evil.no")
    response = hall_client.post(
        "/offices/new/", {"person": stooge.pk, "kind": "mayor", "municipality": lier.pk, "starts_on": "2026-01-01"}
    )
    assert response.status_code == 200 and "municipality" in response.context["form"].errors
    with pytest.raises(RegisterAccessDenied):
        office_begin(
            person=stooge, kind="mayor", municipality=lier, starts_on=date(2026, 1, 1), actor=hall_clerk,
            cooperation_id=hallingdal.pk,
        )  # fmt: skip
    assert not Office.objects.filter(person=stooge).exists()


def test_a_shared_municipalitys_new_mayor_is_in_every_concerned_cooperations_audit_trail(
    hall_clerk, hallingdal, coop, municipalities
):
    office = office_begin(
        person=f.make_person("Ny ordfører i Gol"),
        kind="mayor",
        municipality=municipalities["gol"],
        starts_on=date(2023, 10, 15),
        actor=hall_clerk,
        cooperation_id=hallingdal.pk,
    )
    trails = set(
        AuditEntry.objects.filter(verb="office_begin", object_id=str(office.pk)).values_list(
            "cooperation_id", flat=True
        )
    )
    assert trails == {coop.pk, hallingdal.pk}


def test_another_cooperations_office_cannot_be_ended(hall_client, municipalities, mayor):
    office = Office.objects.get(person=mayor)  # the mayor of Lier (HS only)
    assert hall_client.post(f"/offices/{office.pk}/end/", {"ends_on": "2026-01-01"}).status_code == 404
    assert hall_client.get(f"/offices/{office.pk}/edit/").status_code == 404
    office.refresh_from_db()
    assert office.ends_on is None


def test_population_of_another_cooperations_member_is_refused_by_line(hall_clerk, hallingdal, municipalities):
    rows = [(1, "0626", 2024, 27000), (2, "0617", 2024, 4600)]  # Lier (HS only), Gol (shared)
    with pytest.raises(Exception) as caught:
        population_import(rows=rows, source="SSB", actor=hall_clerk, cooperation_id=hallingdal.pk)
    assert caught.value.line_errors == [
        (1, "0626 Lier er ikke medlem av samarbeidet i dag; vervene og innbyggertallene endres av samarbeid "
            "kommunen er medlem av.")
    ]  # fmt: skip
    assert not Population.objects.exists()
    population_import(rows=rows[1:], source="SSB", actor=hall_clerk, cooperation_id=hallingdal.pk)
    assert Population.objects.get().count == 4600


def test_population_import_page_previews_only_what_the_user_may_change(hall_client, municipalities):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("tall.csv", b"kommunenummer,year,population\n0626,2024,27000\n")
    response = hall_client.post("/population/import/", {"file": upload, "source": "SSB"})
    assert response.status_code == 200
    assert [line for line, _m in response.context["line_errors"]] == [2]
    assert not Population.objects.exists()


def test_a_membership_cannot_be_fabricated_to_widen_access(hall_client, hall_clerk, hallingdal, municipalities, mayor):
    lier = municipalities["lier"]
    response = hall_client.post(
        "/memberships/new/", {"municipality": lier.pk, "starts_on": "2030-01-01", "ends_on": "2030-01-02"}
    )
    assert response.status_code == 200 and "starts_on" in response.context["form"].errors
    with pytest.raises(RegisterAccessDenied):
        membership_create(cooperation=hallingdal, municipality=lier, starts_on=date(2011, 1, 1), actor=hall_clerk)
    assert not Membership.objects.filter(cooperation=hallingdal, municipality=lier).exists()
    # Even a future membership an administrator recorded gives nothing before it begins.
    f.make_membership(hallingdal, lier, starts_on=date(2030, 1, 1), ends_on=date(2030, 1, 2))
    assert hall_client.get(f"/people/{mayor.pk}/").status_code == 404
    assert hall_client.get(f"/people/{mayor.pk}/edit/").status_code == 404


def test_a_membership_from_this_year_is_the_clerks_and_an_accepted_invitation_any_period(clerk, coop, municipalities):
    asker = f.make_municipality("3025", "Asker")
    today = timezone.localdate()
    membership = membership_create(cooperation=coop, municipality=asker, starts_on=today, actor=clerk)
    assert membership.pk
    with pytest.raises(RegisterAccessDenied):
        membership_create(
            cooperation=coop, municipality=f.make_municipality(), starts_on=today + timedelta(days=400), actor=clerk
        )


def test_invoice_details_are_each_cooperations_own(clerk, coop, hall_clerk, hallingdal, municipalities):
    from membership.selectors import invoice_details

    gol = municipalities["gol"]
    member_contact_update(cooperation=coop, municipality=gol, actor=clerk, invoice_email="faktura.hs@gol.kommune.no")
    member_contact_update(
        cooperation=hallingdal, municipality=gol, actor=hall_clerk, invoice_email="faktura.hall@gol.kommune.no"
    )
    assert invoice_details(coop, gol).invoice_email == "faktura.hs@gol.kommune.no"
    assert invoice_details(hallingdal, gol).invoice_email == "faktura.hall@gol.kommune.no"
    with pytest.raises(RegisterAccessDenied):
        member_contact_update(cooperation=coop, municipality=gol, actor=hall_clerk, invoice_email="x@evil.no")
    with pytest.raises(Exception, match="aldri vært medlem"):
        member_contact_update(
            cooperation=hallingdal, municipality=municipalities["lier"], actor=hall_clerk, invoice_email="x@evil.no"
        )
    entry = AuditEntry.objects.filter(verb="member_contact_update", cooperation_id=coop.pk).get()
    assert entry.actor == clerk
    assert MemberContact.objects.count() == 2


def test_the_invoice_goes_to_the_cooperations_own_address(clerk_client, clerk, coop, municipalities):
    gol = municipalities["gol"]
    response = clerk_client.post(
        f"/municipalities/{gol.pk}/contact/",
        {
            "invoice_street": "Postboks 99",
            "invoice_postcode": "3550",
            "invoice_city": "Gol",
            "invoice_email": "okonomi@gol.kommune.no",
            "invoice_reference": "Ansvar 1234",
        },
    )
    assert response.status_code == 302
    from billing.services._common import _buyer_snapshot
    from membership.selectors import invoice_details

    buyer = _buyer_snapshot(gol, "nb", invoice_details(coop, gol))
    assert (buyer["buyer_street"], buyer["buyer_email"], buyer["buyer_reference"]) == (
        "Postboks 99",
        "okonomi@gol.kommune.no",
        "Ansvar 1234",
    )
    page = clerk_client.get(f"/municipalities/{gol.pk}/").content.decode()
    assert "okonomi@gol.kommune.no" in page
