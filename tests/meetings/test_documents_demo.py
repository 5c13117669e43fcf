"""The documents of the demo data (load_demo): the summons of 15.06.2017 says what seed 000 says,
the case document of 55/11 what seed 004 says, and sending reaches the 26 mayors."""

import pytest
from django.core import mail

from khs.lib.pdf import pdf_text
from meetings import documents
from meetings.models import Case, Dispatch, Meeting
from meetings.services import summons
from tests.demo_world import demo_loaded_once
from tests.meetings.summons_world import ADDRESSEE, document_text, seed_000_cases, squash

demo_loaded = demo_loaded_once(without_minutes=True)  # the summons is sent before the meeting, so before its minutes


@pytest.fixture
def demo(demo_loaded, db):
    pass


@pytest.fixture
def demo_meeting(demo):
    return Meeting.objects.get(body__name="Ordførermøtet", starts_at__year=2017)


def test_summons_of_the_demo_meeting_carries_what_seed_000_says(demo_meeting):
    text = document_text(documents.summons_pdf(demo_meeting))
    assert ADDRESSEE in text
    assert "Innkalling til ordførermøte i Kommunehelsesamarbeidet (KHS)" in text
    assert "Tid: Torsdag 15.06.2017 kl. 10–11" in text
    assert "Sted: Elvebakken gård, Svensfjøsset, Heggeveien 5, 3403 Lier" in text
    for item in (
        "Dagsorden:",
        "Valg av møteleder og referent",
        "Godkjenning av innkalling og dagsorden",
        "Ordinære saker",
        "Saker til behandling",
        "Påmelding innen 4. juni 2017",
    ):
        assert item in text, item
    for case in seed_000_cases():
        assert f"Sak {case['number']}/2017 {case['title']}" in text
        assert f"Forslag til vedtak: {case['proposal']}" in text
        for paragraph in case["background"]:
            # The demo joins the paragraph the seed's text extraction broke after "møte 1."
            assert paragraph in text or paragraph.startswith(("Styringsgruppen foreslår", "juni 2017 der"))
    assert "Tidligere behandling: Styret, sak 03/2017 (23.01.2017)" in text
    assert "kari@vestregionen" in text


def test_case_document_of_the_demo_case_55_11_reads_like_seed_004(demo):
    case = Case.objects.get(body__name="Regionrådet", number=55, year=2011)
    text = squash(pdf_text(documents.case_document_pdf(case)))
    assert "Sak 55/11 Deltaking i Kommunehelsesamarbeidet i Vestre Viken" in text
    for word in (
        "Saksopplysning",
        "Vurdering",
        "Forslag til vedtak",
        "Ål 22.10.2011",
        "Knut Arne Gurigard",
        "Dagleg leiar",
        "Vedlegg: Brev frå Vestregionen dat. 7.10.2011",
    ):
        assert word in text, word
    assert "Regionrådet for Hallingdal rår kommunane i Hallingdal til å vidareføre deltaking" in text


def test_sending_the_demo_summons_reaches_every_invitee(demo_meeting, clerk):
    invitees = list(demo_meeting.invitees.all())
    assert len([i for i in invitees if i.deputy_for_id is None]) == 26  # the mayors, and deputies sent by some
    summary = summons.meeting_summon(meeting=demo_meeting, actor=clerk)
    assert len(summary.mailed) == len(invitees) == len(mail.outbox)
    assert all(m.subject == "Innkalling: Ordførermøte i Kommunehelsesamarbeidet (KHS) 15.06.2017" for m in mail.outbox)
    assert Dispatch.objects.get(meeting=demo_meeting).recipients.count() == len(invitees)
