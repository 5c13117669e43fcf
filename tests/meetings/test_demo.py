"""load_demo adds the seeds' meetings and cases, with the seeds' texts, and never twice."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import strip_tags
from pypdf import PdfReader

from khs.lib.dates import format_long_date, format_meeting_time
from meetings.models import Case, CaseReference, Meeting
from meetings.selectors import meeting_agenda
from membership.models import Body
from tests.demo_world import demo_loaded_once

SEEDS = Path(__file__).resolve().parents[2] / "khs" / "demo_data"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _paragraphs(html: str) -> list[str]:
    return [_flat(strip_tags(p)) for p in re.split(r"</p>", html) if strip_tags(p).strip()]


demo_loaded = demo_loaded_once()


@pytest.fixture
def demo(demo_loaded, db):
    pass


def test_the_bodies_have_the_seeds_number_formats(demo):
    formats = {b.name: (b.case_number_format, b.language, b.invite_mode) for b in Body.objects.all()}
    assert formats == {
        "Ordførermøtet": ("{n}/{yyyy}", "nb", "member_mayors"),
        "Styret": ("{n:02}/{yyyy}", "nb", "members"),
        "Regionrådet": ("{n}/{yy}", "nn", "member_mayors"),
    }


def test_the_mayors_meeting_is_the_one_of_seed_000(demo):
    meeting = Meeting.objects.get(body__name="Ordførermøtet", starts_at__year=2017)
    assert meeting.title == "Ordførermøte i Kommunehelsesamarbeidet (KHS)"
    assert format_meeting_time(meeting.starts_at, meeting.ends_at) == "Torsdag 15.06.2017 kl. 10–11"
    assert f"{meeting.place_name}, {meeting.place_address}" == "Elvebakken gård, Svensfjøsset, Heggeveien 5, 3403 Lier"
    assert format_long_date(meeting.registration_deadline) == "4. juni 2017"
    assert meeting.status == Meeting.Status.MINUTES_APPROVED  # its demo minutes are approved (issue 11)
    invitees = list(meeting.invitees.filter(deputy_for__isnull=True).select_related("person", "municipality"))
    assert len(invitees) == 26 and all(i.person and i.municipality and i.role == "Ordfører" for i in invitees)
    assert meeting.body.addressee == (
        "Til ordførere i kommuner tilsluttet Kommunehelsesamarbeidet i Vestre Viken opptaksområde."
    )
    agenda = [(i.label, i.title) for i in meeting_agenda(meeting)]
    assert agenda == [
        ("", "Valg av møteleder og referent"),
        ("", "Godkjenning av innkalling og dagsorden"),
        ("1/2017", "Videreføring eller avvikling av Kommunehelsesamarbeidet 31.12.2017"),
        ("2/2017", "Forslag til kontingent 2018"),
        ("3/2017", "Presentasjon av modell for styringsinformasjon"),
    ]
    assert Case.objects.get(body=meeting.body, number=3).kind == Case.Kind.ORIENTATION


@pytest.mark.parametrize(
    ("seed", "body", "label"),
    [
        ("seed_000_ordforermote_2017.txt", "Ordførermøtet", "1/2017"),
        ("seed_000_ordforermote_2017.txt", "Ordførermøtet", "2/2017"),
        ("seed_000_ordforermote_2017.txt", "Ordførermøtet", "3/2017"),
        ("seed_004_hallingdal_sak_55_11.txt", "Regionrådet", "55/11"),
    ],
)
def test_the_case_texts_are_the_seeds(demo, seed, body, label):
    seed_text = _flat((SEEDS / seed).read_text(encoding="utf-8"))
    case = next(c for c in Case.objects.filter(body__name=body).select_related("body") if c.label == label)
    assert case.title.lower() in seed_text.lower()
    paragraphs = [
        p for field in ("background", "assessment", "proposed_resolution") for p in _paragraphs(getattr(case, field))
    ]
    assert paragraphs and all(p in seed_text for p in paragraphs), [p for p in paragraphs if p not in seed_text]


def test_case_1_2017_refers_to_the_boards_case_03_2017_of_23_01_2017(demo):
    reference = CaseReference.objects.select_related("case__body", "earlier_case__body", "earlier_case__meeting").get()
    assert (reference.case.label, reference.earlier_case.label) == ("1/2017", "03/2017")
    assert timezone.localtime(reference.earlier_case.meeting.starts_at).date().isoformat() == "2017-01-23"
    assert reference.earlier_case.meeting.status == Meeting.Status.HELD


def test_hallingdal_case_55_11_is_in_nynorsk_with_signer_and_the_letter(demo):
    case = Case.objects.select_related("body").get(body__name="Regionrådet")
    assert (case.label, case.signer_name, case.signer_title, case.document_place) == (
        "55/11",
        "Knut Arne Gurigard",
        "Dagleg leiar",
        "Ål",
    )
    assert case.document_date.isoformat() == "2011-10-22" and case.body.language == "nn"
    attachment = case.attachments.get()
    assert attachment.title == "Brev frå Vestregionen dat. 7.10.2011"
    text = _flat(" ".join(page.extract_text() for page in PdfReader(attachment.file.open("rb")).pages))
    assert "INVITASJON TIL FORTSATT DELTAGELSE I KOMMUNEHELSESAMARBEIDET I VESTRE VIKEN" in text
    assert "Marit Langfeldt Ege" in text


def test_there_is_an_upcoming_board_meeting_with_its_members(demo):
    upcoming = Meeting.objects.get(body__name="Styret", starts_at__gte=timezone.now())
    assert upcoming.status == Meeting.Status.DRAFT and upcoming.cases.count() == 1
    assert timezone.localtime(upcoming.starts_at).weekday() == 3  # a Thursday
    assert upcoming.invitees.count() == 5  # leader, deputy leader, three members; not the substitute


def test_loading_twice_duplicates_nothing(demo):
    before = (Body.objects.count(), Meeting.objects.count(), Case.objects.count(), CaseReference.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (
        (Body.objects.count(), Meeting.objects.count(), Case.objects.count(), CaseReference.objects.count())
        == before
        == (3, 3, 6, 1)
    )
