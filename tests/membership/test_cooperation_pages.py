"""Cooperations: details, agreement periods, and which staff users each is given."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from khs.models import AuditEntry
from khs.roles import SECRETARIAT
from membership.exceptions import MembershipError
from membership.models import Cooperation, CooperationAgreement
from membership.services import cooperation_update
from tests import factories as f


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 2), (11, 46, 79)).save(out, format="PNG")
    return out.getvalue()


def _form(coop, **changes):
    data = {
        "name": coop.name,
        "short_name": coop.short_name,
        "org_number": coop.org_number,
        "street_address": coop.street_address,
        "postcode": coop.postcode,
        "city": coop.city,
        "bank_account": "15037912341",
        "contact_email": coop.contact_email,
        "contact_phone": "",
        "secretariat_host": "",
        "language": coop.language,
    }
    data.update(changes)
    return data


def test_cooperation_page_shows_details_and_agreements(clerk_client, coop):
    CooperationAgreement.objects.create(cooperation=coop, starts_on=date(2012, 1, 1), ends_on=date(2017, 12, 31))
    page = clerk_client.get("/cooperation/").content.decode()
    assert coop.org_number in page and "31.12.2017" in page
    assert "Ansatte med tilgang" not in page  # for administrators


def test_edit_the_current_cooperation_with_a_logo(clerk_client, coop):
    response = clerk_client.post(
        "/cooperation/edit/",
        {**_form(coop, city="Sandvika", language="nn"), "logo": SimpleUploadedFile("logo.png", _png(), "image/png")},
    )
    assert response["Location"] == "/cooperation/"
    coop.refresh_from_db()
    assert (coop.city, coop.language) == ("Sandvika", "nn")
    assert coop.logo.name.startswith("logos/")
    entry = AuditEntry.objects.get(verb="cooperation_update")
    assert entry.changes["city"] == ["Drammen", "Sandvika"]


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"org_number": "123456789"},
            "org_number",
            "«123456789» er ikke et gyldig organisasjonsnummer (9 siffer med riktig kontrollsiffer).",
        ),
        ({"bank_account": "15037912346"}, "bank_account", "«15037912346» er ikke et gyldig kontonummer (11 siffer)."),
        ({"short_name": "as"}, "short_name", "Kortnavnet «as» er allerede i bruk."),
    ],
)
def test_bad_cooperation_details_are_refused_beside_the_field(clerk_client, coop, other_clerk, changes, field, message):
    account_before = coop.bank_account
    response = clerk_client.post("/cooperation/edit/", _form(coop, **changes))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    coop.refresh_from_db()
    assert coop.short_name == "HS" and coop.bank_account == account_before and coop.org_number != "123456789"
    assert "Helsesamarbeidet" in response.content.decode()


def test_create_a_cooperation_gives_it_to_its_creator(admin_client, administrator):
    # Creating a cooperation is an administrator's act (issue 16); a clerk is refused below.
    response = admin_client.post(
        "/cooperations/new/",
        {"name": "Regionrådet for Hallingdal", "short_name": "RH", "org_number": "974760673", "language": "nn"},
    )
    assert response["Location"] == "/cooperation/"
    hallingdal = Cooperation.objects.get(short_name="RH")
    assert administrator in hallingdal.staff.all()
    assert admin_client.session["khs_cooperation_id"] == hallingdal.pk


def test_a_clerk_cannot_create_a_cooperation_and_be_given_it(client, db):
    from khs.roles import SECRETARIAT
    from membership.access import RegisterAccessDenied
    from membership.services import cooperation_create

    lonely = f.make_user("lonely", role=SECRETARIAT)
    client.force_login(lonely)
    response = client.post("/cooperations/new/", {"name": "Eget", "short_name": "EG", "org_number": "974760673"})
    assert response.status_code == 403
    with pytest.raises(RegisterAccessDenied):
        cooperation_create(actor=lonely, name="Eget", short_name="EG", org_number="974760673")
    assert not Cooperation.objects.filter(short_name="EG").exists()


def test_secretariat_run_by_itself_in_a_ring_is_refused(coop, clerk):
    other = f.make_cooperation(secretariat_host=coop)
    with pytest.raises(MembershipError, match="i ring"):
        cooperation_update(cooperation=coop, secretariat_host=other, bank_account="15037912341", actor=clerk)


def test_agreement_periods(clerk_client, coop):
    response = clerk_client.post(
        "/cooperation/agreements/new/",
        {"title": "Samarbeidsavtale", "starts_on": "2012-01-01", "ends_on": "31.12.2017"},
    )
    assert response.status_code == 302
    agreement = CooperationAgreement.objects.get(cooperation=coop)
    assert agreement.ends_on == date(2017, 12, 31)
    response = clerk_client.post(
        f"/cooperation/agreements/{agreement.pk}/edit/",
        {"title": "Samarbeidsavtale", "starts_on": "2012-01-01", "ends_on": "2011-12-31"},
    )
    assert response.context["form"].errors["ends_on"] == ["Sluttdatoen kan ikke være før startdatoen."]
    agreement.refresh_from_db()
    assert agreement.ends_on == date(2017, 12, 31)


def test_another_cooperations_agreement_is_404(clerk_client, coop):
    foreign = CooperationAgreement.objects.create(cooperation=f.make_cooperation(), starts_on=date(2012, 1, 1))
    assert clerk_client.get(f"/cooperation/agreements/{foreign.pk}/edit/").status_code == 404


def test_administrator_gives_staff_a_cooperation(client, administrator, coop, clerk):
    newcomer = f.make_user("newcomer", role=SECRETARIAT)
    client.force_login(administrator)
    page = client.get("/cooperation/").content.decode()
    assert "Ansatte med tilgang" in page
    response = client.post("/cooperation/staff/", {"users": [newcomer.pk]})
    assert response.status_code == 302
    assert list(coop.staff.all()) == [newcomer]
    assert AuditEntry.objects.get(verb="cooperation_staff_set").changes == {"staff": [["clerk"], ["newcomer"]]}
    # The clerk no longer has the cooperation; the newcomer works in it.
    client.force_login(newcomer)
    assert client.get("/members/").context["members"].cooperation == coop


def test_only_administrators_manage_staff(clerk_client, coop, clerk):
    assert clerk_client.get("/cooperation/staff/").status_code == 403
    assert clerk_client.post("/cooperation/staff/", {"users": []}).status_code == 403
    assert list(coop.staff.all()) == [clerk]


def test_cooperation_list_shows_only_the_ones_given(clerk_client, coop, other_clerk):
    response = clerk_client.get("/cooperations/")
    assert [c.short_name for c in response.context["cooperations"]] == ["HS"]


@pytest.mark.parametrize("extra", [0, 8])
def test_cooperation_pages_keep_a_fixed_query_count(client, administrator, coop, extra, django_assert_max_num_queries):
    for i in range(extra):
        f.make_cooperation(secretariat_host=coop).staff.add(administrator)
        CooperationAgreement.objects.create(cooperation=coop, starts_on=date(2000 + i, 1, 1))
    client.force_login(administrator)
    with django_assert_max_num_queries(13):
        assert client.get("/cooperations/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get("/cooperation/").status_code == 200


def test_members_do_not_see_cooperations(mayor_client, coop):
    assert mayor_client.get("/cooperation/").status_code == 403
    assert mayor_client.get("/cooperations/").status_code == 403


def test_treasurers_read_but_do_not_edit_cooperations(treasurer_client, coop):
    assert treasurer_client.get("/cooperation/").status_code == 200
    assert treasurer_client.post("/cooperation/edit/", _form(coop, city="X")).status_code == 403
    assert treasurer_client.post("/cooperations/new/", {"name": "X", "short_name": "X"}).status_code == 403


def test_staff_without_a_cooperation_get_403(client, db):
    lonely = f.make_user("lonely", role=SECRETARIAT)
    client.force_login(lonely)
    assert client.get("/members/").status_code == 403


def test_cooperation_pages_refuse_wrong_methods(clerk_client, coop):
    assert clerk_client.post("/cooperation/").status_code == 405
    assert clerk_client.post("/cooperations/").status_code == 405
