"""Writing the minutes: the draft filled in, decisions and votes, disqualification, approval by signing."""

import hashlib
import re

import pytest
from django.core import mail

from khs.lib.pdf import pdf_text
from khs.models import AuditEntry
from meetings.errors import MeetingsError
from meetings.models import Case, Meeting, Minutes, MinutesItem, Participant
from meetings.services import minutes as svc
from tests.meetings.minutes_world import item, participant

pytestmark = pytest.mark.django_db
D = MinutesItem.Decision


def test_the_draft_is_filled_in_from_check_in_answers_and_the_agenda(held):
    minutes = held["minutes"]
    people = {p.name: (p.role, p.attendance) for p in minutes.participants.all()}
    assert people == {
        "Ordfører i Lier": ("member", "present"),
        "Ordfører i Drammen": ("member", "present"),
        "Ordfører i Gol": ("member", "absent_notice"),
        "Varaordfører i Gol": ("deputy", "present"),
        "Ordfører i Hol": ("member", "absent_notice"),
        "Rådgiver Gjest": ("guest", "present"),
    }
    deputy = participant(minutes, "Varaordfører i Gol")
    assert deputy.deputy_for.name == "Ordfører i Gol" and deputy.municipality.name == "Gol"
    assert minutes.place == "Elvebakken gård, Heggeveien 5, 3403 Lier"
    assert minutes.minute_taker_name == "Kari Sekretær"
    one, three = item(minutes, 1), item(minutes, 3)
    assert one.resolution == "<p>Samarbeidet videreføres til sommeren 2018.</p>" and one.decision == ""
    assert three.resolution == "<p>Informasjonen tas til orientering.</p>" and three.decision == D.NOTED
    # 3 of 4 municipalities represented; 3 required.
    assert (one.quorum_present, one.quorum_required) == (3, 3)
    assert AuditEntry.objects.filter(verb="minutes_create").count() == 1


def test_nynorsk_body_notes_orientation_in_nynorsk(held, clerk):
    body = held["body"]
    body.language = "nn"
    body.save()
    held["minutes"].participants.update(deputy_for=None)
    Minutes.objects.filter(pk=held["minutes"].pk).delete()
    minutes = svc.minutes_create(meeting=held["meeting"], actor=clerk)
    assert item(minutes, 3).resolution == "<p>Informasjonen vert teken til orientering.</p>"


def test_minutes_cannot_start_before_the_meeting(coop, clerk):
    from tests import factories as f

    meeting = f.make_meeting(f.make_body(coop), starts_at=f.aware(2099, 1, 1, 10), ends_at=None)
    with pytest.raises(MeetingsError, match="startet"):
        svc.minutes_create(meeting=meeting, actor=clerk)
    assert not Minutes.objects.filter(meeting=meeting).exists()


def test_a_stale_version_is_refused_and_changes_nothing(held, clerk):
    minutes = held["minutes"]
    svc.minutes_update(minutes=minutes, actor=clerk, version=1, chair_name="Ordfører i Lier")
    with pytest.raises(MeetingsError, match="Noen andre har lagret"):
        svc.minutes_update(minutes=minutes, actor=clerk, version=1, chair_name="Noen andre")
    minutes.refresh_from_db()
    assert (minutes.chair_name, minutes.version) == ("Ordfører i Lier", 2)


def test_vote_by_municipality_counts_one_vote_each(held, clerk):
    minutes = held["minutes"]
    lier, drammen, gol = (
        participant(minutes, n) for n in ("Ordfører i Lier", "Ordfører i Drammen", "Varaordfører i Gol")
    )
    one = svc.minutes_item_update(
        item=item(minutes, 1),
        actor=clerk,
        version=minutes.version,
        decision=D.VOTE,
        vote_mode="municipalities",
        named_votes={lier.pk: "for", drammen.pk: "for", gol.pk: "against"},
    )
    assert (one.votes_for, one.votes_against, one.votes_blank) == (2, 1, 0)
    assert sorted(one.votes.values_list("choice", flat=True)) == ["against", "for", "for"]


def test_votes_above_those_entitled_are_refused(held, clerk):
    minutes = held["minutes"]
    with pytest.raises(MeetingsError, match="flere enn de 3"):
        svc.minutes_item_update(
            item=item(minutes, 1), actor=clerk, version=1, decision=D.VOTE, votes_for=3, votes_against=1
        )
    one = item(minutes, 1)
    assert one.decision == "" and one.votes_for is None
    minutes.refresh_from_db()
    assert minutes.version == 1


def test_a_vote_by_someone_absent_is_refused(held, clerk):
    minutes = held["minutes"]
    hol = participant(minutes, "Ordfører i Hol")
    guest = participant(minutes, "Rådgiver Gjest")
    for who in (hol, guest):
        with pytest.raises(MeetingsError, match="kan ikke stemme"):
            svc.minutes_item_update(
                item=item(minutes, 1),
                actor=clerk,
                version=1,
                decision=D.VOTE,
                vote_mode="members",
                named_votes={who.pk: "for"},
            )
    assert not item(minutes, 1).votes.exists()


def test_a_disqualified_member_leaves_the_quorum_and_vote_and_a_substitute_sits_for_that_case_only(held, clerk):
    minutes = held["minutes"]
    lier = participant(minutes, "Ordfører i Lier")
    disq = svc.minutes_disqualification_add(
        item=item(minutes, 2),
        actor=clerk,
        version=1,
        participant=lier,
        body_decision="Ordførermøtet erklærte enstemmig Lier-ordføreren inhabil.",
    )
    two, one = item(minutes, 2), item(minutes, 1)
    assert (two.quorum_present, two.quorum_required) == (2, 3) and two.quorum_ok is False
    assert (one.quorum_present, one.quorum_required) == (3, 3)
    with pytest.raises(MeetingsError, match="kan ikke stemme"):
        svc.minutes_item_update(
            item=two, actor=clerk, version=2, decision=D.VOTE, vote_mode="members", named_votes={lier.pk: "for"}
        )
    svc.minutes_disqualification_remove(disqualification=disq, actor=clerk, version=2)
    svc.minutes_disqualification_add(
        item=item(minutes, 2),
        actor=clerk,
        version=3,
        participant=lier,
        body_decision="Enstemmig inhabil.",
        substitute_name="Varaordfører i Lier",
    )
    sub = participant(minutes, "Varaordfører i Lier")
    assert sub.role == Participant.Role.SUBSTITUTE and sub.municipality.name == "Lier"
    assert item(minutes, 2).quorum_present == 3 and item(minutes, 1).quorum_present == 3
    svc.minutes_item_update(
        item=item(minutes, 2), actor=clerk, version=4, decision=D.VOTE, vote_mode="members", named_votes={sub.pk: "for"}
    )
    with pytest.raises(MeetingsError, match="kan ikke stemme"):  # the substitute sits for case 2 only
        svc.minutes_item_update(
            item=item(minutes, 1),
            actor=clerk,
            version=5,
            decision=D.VOTE,
            vote_mode="members",
            named_votes={sub.pk: "for"},
        )


def test_closed_session_needs_a_legal_basis(held, clerk):
    minutes = held["minutes"]
    with pytest.raises(MeetingsError, match="hjemmelen"):
        svc.minutes_item_update(
            item=item(minutes, 1), actor=clerk, version=1, decision=D.UNANIMOUS, closed_session=True
        )
    one = svc.minutes_item_update(
        item=item(minutes, 1),
        actor=clerk,
        version=1,
        decision=D.UNANIMOUS,
        closed_session=True,
        closed_basis="kl_11_5_3a",
    )
    assert one.closed_session and one.closed_basis == "kl_11_5_3a"


def test_approving_an_empty_draft_is_refused(held, clerk):
    minutes = held["minutes"]
    lier = participant(minutes, "Ordfører i Lier")
    with pytest.raises(MeetingsError, match="Behandlingen mangler i sak 1/2017, 2/2017"):
        svc.minutes_submit(minutes=minutes, actor=clerk, version=1, signers=[lier])
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT and not minutes.signers.exists()


def _decide(minutes, clerk):
    svc.minutes_item_update(item=item(minutes, 1), actor=clerk, version=minutes.version, decision=D.UNANIMOUS)
    minutes.refresh_from_db()
    svc.minutes_proposal_add(
        item=item(minutes, 2),
        actor=clerk,
        version=minutes.version,
        proposer="Ordfører i Drammen",
        text="Kontingenten settes til kr 2,00.",
        votes_for=1,
        votes_against=2,
    )
    minutes.refresh_from_db()
    svc.minutes_item_update(item=item(minutes, 2), actor=clerk, version=minutes.version, decision=D.DEFERRED)
    minutes.refresh_from_db()
    return minutes


def _sign_all(minutes, clerk, capture, *names):
    signers = [participant(minutes, n) for n in names]
    with capture(execute=True):
        svc.minutes_submit(minutes=minutes, actor=clerk, version=minutes.version, signers=signers)
    return [re.search(r"http\S+/sign/(\S+)/", m.body).group(1) for m in mail.outbox]


def test_signing_by_two_links_approves_locks_and_gives_each_case_its_outcome(
    held, clerk, django_capture_on_commit_callbacks
):
    minutes = _decide(held["minutes"], clerk)
    links = _sign_all(minutes, clerk, django_capture_on_commit_callbacks, "Ordfører i Lier", "Ordfører i Drammen")
    assert len(links) == 2 and mail.outbox[0].subject.startswith("Protokoll til signering: Ordførermøte i HS")
    first = svc.signer_for_token(links[0], minutes_id=minutes.pk)
    svc.minutes_sign(signer=first)
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.AWAITING
    with pytest.raises(MeetingsError, match="brukt"):
        svc.minutes_sign(signer=svc.signer_for_token(links[0], minutes_id=minutes.pk))
    svc.minutes_sign(signer=svc.signer_for_token(links[1], minutes_id=minutes.pk))
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED and minutes.approved_at
    data = minutes.document.read()
    assert hashlib.sha256(data).hexdigest() == minutes.document_sha256
    text = pdf_text(data)
    for expected in (
        "Protokoll fra ordførermøte i HS",
        "Enstemmig vedtatt.",
        "Forslag fra Ordfører i Drammen",
        "Saken ble utsatt.",
        "Varaordfører i Gol (Gol) for Ordfører i Gol",
        "Ordfører i Lier, signert",
    ):
        assert expected in text, expected
    one, two, three = (Case.objects.get(pk=c.pk) for c in held["cases"])
    assert (one.outcome, one.resolution) == ("adopted", "<p>Samarbeidet videreføres til sommeren 2018.</p>")
    assert two.outcome == "deferred" and two.meeting is None  # keeps its number, waits for a later meeting
    assert three.outcome == "noted"
    assert Meeting.objects.get(pk=held["meeting"].pk).status == Meeting.Status.MINUTES_APPROVED


def test_a_foreign_or_forged_link_is_refused(held, clerk, django_capture_on_commit_callbacks):
    minutes = _decide(held["minutes"], clerk)
    links = _sign_all(minutes, clerk, django_capture_on_commit_callbacks, "Ordfører i Lier")
    with pytest.raises(MeetingsError, match="annen protokoll"):
        svc.signer_for_token(links[0], minutes_id=minutes.pk + 1)
    with pytest.raises(MeetingsError, match="ugyldig"):
        svc.signer_for_token(links[0] + "x", minutes_id=minutes.pk)


def test_a_correction_request_goes_back_to_the_clerk_and_old_links_lapse(
    held, clerk, django_capture_on_commit_callbacks
):
    minutes = _decide(held["minutes"], clerk)
    links = _sign_all(minutes, clerk, django_capture_on_commit_callbacks, "Ordfører i Lier")
    signer = svc.signer_for_token(links[0], minutes_id=minutes.pk)
    svc.minutes_correction_request(signer=signer, note="Drammen stemte for.")
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT
    assert minutes.signers.get().correction_note == "Drammen stemte for."
    svc.minutes_submit(
        minutes=minutes, actor=clerk, version=minutes.version, signers=[participant(minutes, "Ordfører i Lier")]
    )
    with pytest.raises(MeetingsError, match="ikke lenger gyldig"):
        svc.signer_for_token(links[0], minutes_id=minutes.pk)


def test_approval_at_the_next_meeting(held, clerk):
    from tests import factories as f

    minutes = _decide(held["minutes"], clerk)
    minutes.approval_mode = "next_meeting"
    minutes.save()
    later = f.make_meeting(held["body"], starts_at=f.aware(2017, 9, 1, 10), ends_at=f.aware(2017, 9, 1, 11))
    svc.minutes_submit(minutes=minutes, actor=clerk, version=minutes.version, approving_meeting=later)
    minutes.refresh_from_db()
    case = minutes.approval_case
    assert case.meeting == later and case.title == "Godkjenning av protokoll fra forrige møte"
    later.status = Meeting.Status.HELD
    later.save()
    later_minutes = svc.minutes_create(meeting=later, actor=clerk)
    svc.minutes_item_update(item=later_minutes.items.get(case=case), actor=clerk, version=1, decision=D.UNANIMOUS)
    minutes.refresh_from_db()
    assert minutes.is_approved and minutes.approved_by_meeting == later
    assert "Protokollen er godkjent i møtet 01.09.2017." in pdf_text(minutes.document.read())
