"""Following adopted resolutions up, and the decisions member municipalities must make themselves."""

from datetime import date

import pytest
from django.urls import reverse

from khs.models import AuditEntry
from membership.models import Membership, MembershipInvitation
from publishing import selectors, services
from publishing.errors import PublishingError
from publishing.models import FollowUp, MemberDecision
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_clerk_gives_an_adopted_resolution_a_follow_up(client, clerk, world):
    client.force_login(clerk)
    response = client.post(
        reverse("publishing:follow_up_create", args=[world.fee.pk]),
        {
            "responsible": "Koordinatoren",
            "deadline": "2018-01-15",
            "status": "in_progress",
            "notes": "Varsle kommunene",
        },
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(case=world.fee)
    assert (follow_up.responsible, follow_up.deadline, follow_up.status) == (
        "Koordinatoren",
        date(2018, 1, 15),
        "in_progress",
    )
    assert AuditEntry.objects.filter(verb="follow_up_create", object_id=str(follow_up.pk)).exists()
    text = client.get(reverse("publishing:follow_up_list"), {"body": world.body.pk}).content.decode()
    assert "Koordinatoren" in text and "forfalt" in text


def test_a_case_not_yet_decided_cannot_be_followed_up(client, clerk, world):
    client.force_login(clerk)
    response = client.post(
        reverse("publishing:follow_up_create", args=[world.draft_case.pk]),
        {"responsible": "X", "status": "not_started"},
    )
    assert response.status_code == 200
    assert "Bare vedtatte saker kan følges opp." in response.content.decode()
    assert not FollowUp.objects.exists()


def test_updating_a_follow_up_is_audited_and_done_ones_leave_the_open_list(clerk, world):
    follow_up = services.follow_up_create(case=world.fee, actor=clerk, responsible="Sekretariatet")
    services.follow_up_update(follow_up=follow_up, actor=clerk, status=FollowUp.Status.REPORTED)
    assert AuditEntry.objects.filter(verb="follow_up_update").count() == 1
    assert list(selectors.open_follow_ups(world.coop)) == []


def test_overdue_follow_ups_are_on_the_dashboard(client, clerk, world):
    services.follow_up_create(case=world.fee, actor=clerk, responsible="Koordinatoren", deadline=date(2018, 1, 15))
    client.force_login(clerk)
    text = client.get(reverse("dashboard")).content.decode()
    assert "Oppfølging av vedtak" in text
    assert "Koordinatoren, frist 15.01.2018" in text


def test_follow_up_pages_refuse_other_cooperations_and_anonymous(client, other_clerk, treasurer, world):
    url = reverse("publishing:follow_up_create", args=[world.fee.pk])
    assert client.get(url).status_code == 302
    client.force_login(other_clerk)
    assert client.get(url).status_code == 404
    client.force_login(treasurer)
    assert client.post(url, {"responsible": "X", "status": "not_started"}).status_code == 403


def test_member_decisions_summarise_how_many_have_decided(clerk, world, municipalities):
    services.member_decisions_request(
        case=world.fee, municipalities=municipalities.values(), requested_on=date(2017, 6, 20), actor=clerk
    )
    lier, drammen = (MemberDecision.objects.get(municipality=municipalities[k]) for k in ("lier", "drammen"))
    services.member_decision_record(
        decision=lier,
        actor=clerk,
        decided_on=date(2017, 9, 1),
        outcome="yes",
        their_case_number="PS 45/17",
        link="https://lier.kommune.no/vedtak/45",
    )
    services.member_decision_record(decision=drammen, actor=clerk, decided_on=date(2017, 9, 5), outcome="no")
    summary = selectors.member_decisions(world.fee)
    assert (summary.decided, summary.total, summary.yes, summary.no) == (2, 3, 1, 1)
    with pytest.raises(PublishingError):
        services.member_decision_record(decision=lier, actor=clerk, decided_on=date(2017, 9, 2), outcome="no")
    assert AuditEntry.objects.filter(verb="member_decision_record").count() == 2


def test_a_request_that_is_a_membership_invitation_is_answered_through_the_register(client, clerk, coop, world):
    hurum = f.make_municipality("0628", "Hurum")
    invitation = MembershipInvitation.objects.create(
        cooperation=coop,
        municipality=hurum,
        letter_title="Invitasjon 2012",
        sent_on=date(2011, 10, 7),
        starts_on=date(2012, 1, 1),
    )
    services.member_decisions_request(
        case=world.fee,
        municipalities=[hurum],
        requested_on=date(2011, 10, 7),
        actor=clerk,
        invitations={hurum.pk: invitation},
    )
    decision = MemberDecision.objects.get(municipality=hurum)
    client.force_login(clerk)
    response = client.post(
        reverse("publishing:member_decision_record", args=[decision.pk]),
        {"decided_on": "2011-11-15", "outcome": "yes", "their_case_number": "Kommunestyret sak 55/11"},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.answer == "accepted" and invitation.answer_reference == "Kommunestyret sak 55/11"
    assert Membership.objects.filter(cooperation=coop, municipality=hurum, starts_on=date(2012, 1, 1)).exists()
    decision.refresh_from_db()
    assert decision.outcome == "pending"  # the answer lives on the invitation, not twice
    text = client.get(reverse("publishing:member_decision_list", args=[world.fee.pk])).content.decode()
    assert "1 av 1 har vedtatt, 1 ja" in text and "Kommunestyret sak 55/11" in text
