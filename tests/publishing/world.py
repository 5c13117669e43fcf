"""A small published world: a mayors' meeting with approved minutes (a vote per municipality), an exempt case,
a case with a public title, a case held back, a draft meeting and an upcoming summoned one."""

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from meetings.models import Case, Dispatch, Meeting, Minutes, MinutesItem, Participant, Vote
from membership.models import Body
from publishing.models import CasePublication
from tests import factories as f

MINUTES_PDF = b"%PDF-1.7 approved minutes of the mayors' meeting"


@dataclass
class World:
    coop: object
    body: Body
    meeting: Meeting
    minutes: Minutes
    fee: Case
    exempt: Case
    renamed: Case
    held_back: Case
    draft_meeting: Meeting
    draft_case: Case
    upcoming: Meeting


def build(coop, municipalities) -> World:
    body = f.make_body(coop, name="Ordførermøtet")
    meeting = f.make_meeting(
        body, title="Ordførermøte i HS", status=Meeting.Status.MINUTES_APPROVED, contact="Kari (kari@hs.example.no)"
    )
    fee = f.make_case_row(
        body,
        2,
        title="Forslag til kontingent 2018",
        meeting=meeting,
        agenda_position=1,
        background="<p>Samarbeidsstyret foreslår at kontingenten økes til kr 2,50 pr innbygger.</p>",
        proposed_resolution="<p>Medlemskontingenten fastsettes til kr 2,50 pr innbygger f.o.m. 01.01.2018.</p>",
        outcome=Case.Outcome.ADOPTED,
        decided_at=f.aware(2017, 6, 15, 11),
    )
    exempt = f.make_case_row(
        body,
        3,
        title="Ansettelse av Ola Nordmann som koordinator",
        meeting=meeting,
        agenda_position=2,
        background="<p>Hemmelig personalsak om Ola Nordmann.</p>",
    )
    CasePublication.objects.create(case=exempt, exempt=True, legal_basis="offl. § 25")
    renamed = f.make_case_row(
        body,
        4,
        title="Klage fra Kari Hansen på vedtak",
        meeting=meeting,
        agenda_position=3,
        background="<p>Klagen gjelder kontingent.</p>",
    )
    CasePublication.objects.create(case=renamed, public_title="Klage på vedtak om kontingent")
    held_back = f.make_case_row(body, 5, title="Tomtekjøp i Lier", meeting=meeting, agenda_position=4)
    CasePublication.objects.create(case=held_back, publish_from=timezone.now() + timezone.timedelta(days=30))

    minutes = Minutes.objects.create(
        meeting=meeting, started_at=meeting.starts_at, created_at=timezone.now(), updated_at=timezone.now()
    )
    lier = Participant.objects.create(minutes=minutes, name="Ordfører i Lier", municipality=municipalities["lier"])
    gol = Participant.objects.create(minutes=minutes, name="Ordfører i Gol", municipality=municipalities["gol"])
    item = MinutesItem.objects.create(
        minutes=minutes,
        case=fee,
        title=fee.title,
        resolution="<p>Medlemskontingenten fastsettes til kr 2,50 pr innbygger f.o.m. 01.01.2018.</p>",
        decision=MinutesItem.Decision.VOTE,
        vote_mode=MinutesItem.VoteMode.MUNICIPALITIES,
        votes_for=1,
        votes_against=1,
        votes_blank=0,
    )
    Vote.objects.create(item=item, participant=lier, choice=Vote.Choice.FOR)
    Vote.objects.create(item=item, participant=gol, choice=Vote.Choice.AGAINST)
    MinutesItem.objects.create(
        minutes=minutes,
        case=renamed,
        title=renamed.title,
        decision="unanimous",
        resolution="<p>Klagen tas ikke til følge.</p>",
    )
    minutes.document.save("protokoll.pdf", ContentFile(MINUTES_PDF), save=False)
    minutes.document_sha256 = hashlib.sha256(MINUTES_PDF).hexdigest()
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = timezone.now()
    minutes.save()

    Dispatch.objects.create(meeting=meeting, kind=Dispatch.Kind.SUMMONS, sequence=0, sent_at=f.aware(2017, 6, 1, 9))

    draft_meeting = f.make_meeting(
        body, title="Utkast til møte", starts_at=timezone.now() + timezone.timedelta(days=40), ends_at=None
    )
    draft_case = f.make_case_row(body, 6, title="Utkast om kontingent", meeting=draft_meeting)
    upcoming = f.make_meeting(
        body,
        title="Ordførermøte til høsten",
        status=Meeting.Status.SUMMONED,
        starts_at=timezone.now() + timezone.timedelta(days=20),
        ends_at=None,
        place_name="Rådhuset i Lier",
    )
    f.make_invitee(upcoming, name="Ordfører i Drammen", email="ordforer@drammen.example.no", response_note="Syk")
    return World(coop, body, meeting, minutes, fee, exempt, renamed, held_back, draft_meeting, draft_case, upcoming)
