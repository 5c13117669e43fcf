"""Approved minutes are locked: no service, view, admin or queryset path changes them."""

import pytest
from django.db import transaction
from django.urls import reverse

from meetings.errors import MeetingsError
from meetings.models import (
    Disqualification,
    Minutes,
    MinutesItem,
    MinutesLockedError,
    Participant,
    Proposal,
    Signer,
    Vote,
)
from meetings.services import minutes as svc
from tests.meetings.minutes_world import item, participant

pytestmark = pytest.mark.django_db
D = MinutesItem.Decision


@pytest.fixture
def approved(held, clerk):
    """The held meeting's minutes with a vote, a proposal and a disqualification, approved by one signature."""
    minutes = held["minutes"]
    lier, drammen = participant(minutes, "Ordfører i Lier"), participant(minutes, "Ordfører i Drammen")
    gol = participant(minutes, "Varaordfører i Gol")
    svc.minutes_disqualification_add(
        item=item(minutes, 2), actor=clerk, version=1, participant=gol, body_decision="Enstemmig inhabil."
    )
    svc.minutes_item_update(
        item=item(minutes, 1),
        actor=clerk,
        version=2,
        decision=D.VOTE,
        vote_mode="municipalities",
        named_votes={lier.pk: "for", drammen.pk: "for", gol.pk: "against"},
    )
    svc.minutes_proposal_add(item=item(minutes, 2), actor=clerk, version=3, proposer="Drammen", text="Kr 2,00.")
    svc.minutes_item_update(item=item(minutes, 2), actor=clerk, version=4, decision=D.UNANIMOUS)
    svc.minutes_submit(minutes=minutes, actor=clerk, version=5, signers=[lier])
    svc.minutes_sign(signer=minutes.signers.get())
    minutes.refresh_from_db()
    assert minutes.is_approved
    return minutes


def _unchanged(minutes, before):
    minutes.refresh_from_db()
    assert (minutes.version, minutes.chair_name, minutes.status) == before


def test_every_service_refuses_to_change_approved_minutes(approved, clerk):
    before = (approved.version, approved.chair_name, approved.status)
    one = item(approved, 1)
    lier = participant(approved, "Ordfører i Lier")
    calls = [
        lambda: svc.minutes_update(minutes=approved, actor=clerk, version=approved.version, chair_name="X"),
        lambda: svc.minutes_item_update(item=one, actor=clerk, version=approved.version, decision=D.NOT_ADOPTED),
        lambda: svc.minutes_item_add(minutes=approved, actor=clerk, version=approved.version, kind="report", title="X"),
        lambda: svc.minutes_proposal_add(item=one, actor=clerk, version=approved.version, proposer="A", text="B"),
        lambda: svc.minutes_disqualification_add(
            item=one, actor=clerk, version=approved.version, participant=lier, body_decision="X"
        ),
        lambda: svc.minutes_participant_add(minutes=approved, actor=clerk, version=approved.version, name="X"),
        lambda: svc.minutes_submit(minutes=approved, actor=clerk, version=approved.version, signers=[lier]),
        lambda: svc.minutes_sign(signer=approved.signers.get()),
        lambda: svc.minutes_correction_request(signer=approved.signers.get(), note="X"),
    ]
    for call in calls:
        with pytest.raises(MeetingsError, match="godkjent"):
            call()
    _unchanged(approved, before)


@pytest.mark.parametrize("model", [Minutes, Participant, MinutesItem, Proposal, Vote, Disqualification, Signer])
def test_no_queryset_update_or_delete_reaches_approved_rows(approved, model):
    rows = model.objects.all()
    assert rows.exists()
    field = {"Minutes": "chair_name", "Signer": "name", "Participant": "name", "MinutesItem": "title"}.get(
        model.__name__
    )
    with pytest.raises(MinutesLockedError):
        rows.update(**({field: "X"} if field else {"pk": rows.first().pk}))
    with pytest.raises(MinutesLockedError):
        rows.delete()
    assert model.objects.count() == rows.count()


@pytest.mark.parametrize("model", [Minutes, Participant, MinutesItem, Proposal, Vote, Disqualification, Signer])
def test_no_model_save_or_delete_changes_approved_rows(approved, model):
    row = model.objects.first()
    with pytest.raises(MinutesLockedError):
        row.save()
    with pytest.raises(MinutesLockedError):
        row.delete()
    assert model.objects.filter(pk=row.pk).exists()


def test_bulk_update_and_create_are_refused(approved):
    items = list(MinutesItem.objects.all())
    for i in items:
        i.title = "X"
    with pytest.raises(MinutesLockedError), transaction.atomic():
        MinutesItem.objects.bulk_update(items, ["title"])
    with pytest.raises(MinutesLockedError), transaction.atomic():
        Participant.objects.bulk_create([Participant(minutes=approved, name="Ny")])
    assert not MinutesItem.objects.filter(title="X").exists()


def test_the_admin_shows_approved_minutes_read_only(client, administrator, approved):
    client.force_login(administrator)
    url = reverse("admin:meetings_minutes_change", args=[approved.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="chair_name"' not in page.text
    assert client.post(url, {"chair_name": "X"}).status_code == 403
    assert client.get(reverse("admin:meetings_minutes_delete", args=[approved.pk])).status_code == 403
    _unchanged(approved, (approved.version, approved.chair_name, approved.status))


def test_every_page_refuses_to_change_approved_minutes(clerk_client, approved):
    meeting = approved.meeting
    one = item(approved, 1)
    posts = {
        reverse("meetings:minutes_header", args=[meeting.pk]): {
            "version": approved.version,
            "started_at": "2017-06-15T10:00",
            "chair_name": "X",
        },
        reverse("meetings:minutes_item", args=[meeting.pk, one.pk]): {
            f"item{one.pk}-version": approved.version,
            f"item{one.pk}-decision": "not_adopted",
            f"item{one.pk}-vote_mode": "counts",
        },
        reverse("meetings:minutes_item_add", args=[meeting.pk]): {
            "add-version": approved.version,
            "add-kind": "report",
            "add-title": "X",
        },
        reverse("meetings:minutes_submit", args=[meeting.pk]): {"version": approved.version},
    }
    for url, data in posts.items():
        response = clerk_client.post(url, data, follow=True)
        assert "Protokollen er godkjent og kan ikke endres" in response.text, url
    _unchanged(approved, (approved.version, approved.chair_name, approved.status))
    assert item(approved, 1).decision == D.VOTE


def test_the_stored_pdf_is_served_as_approved(clerk_client, approved):
    import hashlib

    response = clerk_client.get(reverse("meetings:minutes_pdf", args=[approved.meeting.pk]))
    assert hashlib.sha256(response.content).hexdigest() == approved.document_sha256


def test_a_correction_is_a_new_decision_in_a_later_meeting_linked_both_ways(approved, held, clerk):
    from meetings.models import Meeting
    from tests import factories as f

    later = f.make_meeting(held["body"], starts_at=f.aware(2017, 9, 1, 10), ends_at=None, status=Meeting.Status.HELD)
    later_minutes = svc.minutes_create(meeting=later, actor=clerk)
    wrong = item(approved, 1)
    correction = svc.minutes_item_add(
        minutes=later_minutes,
        actor=clerk,
        version=later_minutes.version,
        kind="any_other",
        title="Retting av protokoll",
        corrects=wrong,
    )
    assert correction.corrects == wrong and list(wrong.corrections.all()) == [correction]
