"""Pages to register, change and end memberships, and to record invitations and answers."""

from datetime import date

import pytest

from khs.models import AuditEntry
from membership.models import Membership, MembershipInvitation
from tests import factories as f


def test_register_membership(admin_client, coop):
    # A backdated membership is an administrator's to register (see test_register_ownership.py).
    asker = f.make_municipality("0220", "Asker")
    response = admin_client.post("/memberships/new/", {"municipality": asker.pk, "starts_on": "2012-01-01"})
    assert response["Location"] == f"/municipalities/{asker.pk}/"
    membership = Membership.objects.get(municipality=asker)
    assert (membership.cooperation, membership.starts_on, membership.ends_on) == (coop, date(2012, 1, 1), None)
    assert AuditEntry.objects.filter(verb="membership_create", cooperation_id=coop.pk).exists()


def test_overlapping_membership_is_shown_beside_the_date_and_nothing_is_saved(clerk_client, municipalities):
    response = clerk_client.post(
        "/memberships/new/", {"municipality": municipalities["lier"].pk, "starts_on": "2015-01-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["starts_on"] == [
        "0626 Lier er allerede medlem i perioden 01.01.2012–(løpende); periodene kan ikke overlappe."
    ]
    assert "periodene kan ikke overlappe" in response.content.decode()
    assert Membership.objects.filter(municipality=municipalities["lier"]).count() == 1


def test_membership_for_a_municipality_that_did_not_exist_then_is_refused(clerk_client, coop):
    asker = f.make_municipality("3025", "Asker", valid_from=date(2020, 1, 1))
    response = clerk_client.post("/memberships/new/", {"municipality": asker.pk, "starts_on": "2018-01-01"})
    assert response.context["form"].errors["starts_on"] == [
        "3025 Asker fantes ikke før 01.01.2020, så medlemskapet kan ikke begynne 01.01.2018."
    ]
    assert not Membership.objects.filter(municipality=asker).exists()


def test_edit_and_end_a_membership(clerk_client, admin_client, municipalities):
    membership = Membership.objects.get(municipality=municipalities["gol"])
    # Moving the start back to 2011 is an administrator's correction; ending it is the clerk's.
    response = admin_client.post(f"/memberships/{membership.pk}/edit/", {"starts_on": "2011-01-01", "note": "Fra 2011"})
    assert response.status_code == 302
    clerk_client.force_login(f.make_user("clerk2", role="Secretariat", cooperations=[membership.cooperation]))
    response = clerk_client.post(f"/memberships/{membership.pk}/end/", {"ends_on": "2010-12-31"})
    assert response.context["form"].errors["ends_on"] == ["Sluttdatoen kan ikke være før startdatoen."]
    response = clerk_client.post(f"/memberships/{membership.pk}/end/", {"ends_on": "31.12.2017"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.starts_on, membership.ends_on, membership.note) == (
        date(2011, 1, 1),
        date(2017, 12, 31),
        "Fra 2011",
    )


def test_another_cooperations_membership_is_404(clerk_client, municipalities):
    other = f.make_cooperation()
    foreign = f.make_membership(other, municipalities["gol"], starts_on=date(2000, 1, 1))
    assert clerk_client.get(f"/memberships/{foreign.pk}/edit/").status_code == 404
    assert clerk_client.post(f"/memberships/{foreign.pk}/end/", {"ends_on": "2017-12-31"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.ends_on is None


def test_treasurer_cannot_change_memberships(treasurer_client, municipalities):
    membership = Membership.objects.get(municipality=municipalities["gol"])
    assert treasurer_client.post(f"/memberships/{membership.pk}/end/", {"ends_on": "2017-12-31"}).status_code == 403
    assert treasurer_client.get("/memberships/new/").status_code == 403
    membership.refresh_from_db()
    assert membership.ends_on is None


def test_membership_pages_refuse_wrong_methods(clerk_client, municipalities):
    membership = Membership.objects.get(municipality=municipalities["gol"])
    assert clerk_client.delete(f"/memberships/{membership.pk}/end/").status_code == 405


# --- Invitations ---------------------------------------------------------------------------------------


@pytest.fixture
def invited(coop, municipalities):
    """Gol and Lier were in the project 2010-2011 and are invited (7.10.2011) to continue from 2012."""
    Membership.objects.filter(municipality__in=[municipalities["gol"], municipalities["lier"]]).update(
        starts_on=date(2010, 1, 1), ends_on=date(2011, 12, 31)
    )
    return municipalities


def test_record_an_invitation_letter_and_answers(clerk_client, invited, coop):
    response = clerk_client.post(
        "/invitations/new/",
        {
            "municipalities": [invited["gol"].pk, invited["lier"].pk],
            "letter_title": "Invitasjon til fortsatt deltagelse i Kommunehelsesamarbeidet i Vestre Viken",
            "sent_on": "07.10.2011",
            "starts_on": "01.01.2012",
        },
    )
    assert response["Location"] == "/invitations/"
    gol_invitation = MembershipInvitation.objects.get(municipality=invited["gol"])
    page = clerk_client.get("/invitations/").content.decode()
    assert "07.10.2011" in page and "Registrer svar fra Gol" in page

    response = clerk_client.post(
        f"/invitations/{gol_invitation.pk}/answer/",
        {"answer": "accepted", "answered_on": "2011-11-24", "reference": "Kommunestyret 24.11.2011, sak 55/11"},
    )
    assert response.status_code == 302
    gol_invitation.refresh_from_db()
    assert gol_invitation.membership.starts_on == date(2012, 1, 1)
    assert "Kommunestyret 24.11.2011, sak 55/11" in clerk_client.get("/invitations/").content.decode()
    assert AuditEntry.objects.filter(verb="membership_invitation_answer", cooperation_id=coop.pk).exists()
    # Answering again is not offered.
    response = clerk_client.get(f"/invitations/{gol_invitation.pk}/answer/")
    assert response.status_code == 302


def test_answer_before_the_letter_is_refused_beside_the_date(clerk_client, invited, clerk, coop):
    from membership.services import membership_invitation_create

    (invitation,) = membership_invitation_create(
        cooperation=coop,
        municipalities=[invited["gol"]],
        letter_title="Brev",
        sent_on=date(2011, 10, 7),
        starts_on=date(2012, 1, 1),
        actor=clerk,
    )
    response = clerk_client.post(
        f"/invitations/{invitation.pk}/answer/", {"answer": "accepted", "answered_on": "2011-10-01"}
    )
    assert response.context["form"].errors["answered_on"] == [
        "Svaret kan ikke komme før invitasjonen ble sendt (07.10.2011)."
    ]
    invitation.refresh_from_db()
    assert invitation.answer == "pending" and invitation.membership is None


def test_invitation_form_requires_municipalities(clerk_client, invited):
    response = clerk_client.post(
        "/invitations/new/", {"letter_title": "Brev", "sent_on": "2011-10-07", "starts_on": "2012-01-01"}
    )
    assert response.context["form"].errors["municipalities"]
    assert not MembershipInvitation.objects.exists()


def test_another_cooperations_invitation_is_404(clerk_client, municipalities, clerk):
    from membership.services import membership_invitation_create

    other = f.make_cooperation()
    (foreign,) = membership_invitation_create(
        cooperation=other,
        municipalities=[municipalities["gol"]],
        letter_title="Brev",
        sent_on=date(2011, 10, 7),
        starts_on=date(2012, 1, 1),
        actor=None,  # the other cooperation's own staff
    )
    assert (
        clerk_client.post(
            f"/invitations/{foreign.pk}/answer/", {"answer": "declined", "answered_on": "2011-11-01"}
        ).status_code
        == 404
    )
    assert "Brev" not in clerk_client.get("/invitations/").content.decode()


@pytest.mark.parametrize("extra", [0, 12])
def test_invitation_list_keeps_a_fixed_query_count(clerk_client, coop, clerk, extra, django_assert_max_num_queries):
    from membership.services import membership_invitation_create

    towns = [f.make_municipality(f"{7000 + i}", f"By {i}") for i in range(extra + 1)]
    membership_invitation_create(
        cooperation=coop,
        municipalities=towns,
        letter_title="Brev",
        sent_on=date(2011, 10, 7),
        starts_on=date(2012, 1, 1),
        actor=clerk,
    )
    with django_assert_max_num_queries(12):
        response = clerk_client.get("/invitations/")
    assert len(response.context["letters"][0]["invitations"]) == extra + 1
