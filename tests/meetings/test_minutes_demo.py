"""The demo holds the approved minutes of the mayors' meeting of 15.06.2017, and the rate cites sak 2/2017."""

import hashlib
import io

import pytest
from django.core.management import call_command

from billing.models import ContributionRate
from khs.lib.pdf import pdf_text
from meetings.models import Case, Meeting, Minutes
from tests.demo_world import demo_loaded_once

demo_loaded = demo_loaded_once()


@pytest.fixture
def demo(demo_loaded, db):
    pass


def test_the_mayors_meeting_has_approved_demo_minutes_with_the_three_cases_adopted_as_proposed(demo):
    minutes = Minutes.objects.select_related("meeting").get(meeting__body__name="Ordførermøtet")
    assert minutes.is_approved and minutes.is_demo
    assert minutes.meeting.status == Meeting.Status.MINUTES_APPROVED
    data = minutes.document.read()
    assert hashlib.sha256(data).hexdigest() == minutes.document_sha256
    outcomes = {c.label: c.outcome for c in Case.objects.filter(meeting=minutes.meeting)}
    assert outcomes == {"1/2017": "adopted", "2/2017": "adopted", "3/2017": "noted"}
    two = Case.objects.get(body__name="Ordførermøtet", year=2017, number=2)
    assert two.resolution == two.proposed_resolution
    text = " ".join(pdf_text(data).split())
    for expected in (
        "Protokoll fra ordførermøte i Kommunehelsesamarbeidet (KHS)",
        "Demodata",
        "Sak 2/2017",
        "Enstemmig vedtatt.",
        "Informasjonen tas til orientering.",
        "signert 20.06.2017 kl. 09.00",
    ):
        assert expected in text, expected


def test_the_rate_of_2_50_links_to_sak_2_2017_and_cites_it(demo):
    rate = ContributionRate.objects.get(per_inhabitant="2.50")
    assert rate.resolution_case.label == "2/2017" and rate.resolution_case.body.name == "Ordførermøtet"
    assert rate.citation == "ordførermøtet sak 2/2017"


def test_loading_the_demo_again_changes_nothing_in_the_minutes(demo):
    minutes = Minutes.objects.get(meeting__body__name="Ordførermøtet")
    call_command("load_demo", stdout=io.StringIO())
    again = Minutes.objects.get(pk=minutes.pk)
    assert (again.version, again.document_sha256) == (minutes.version, minutes.document_sha256)
    assert Minutes.objects.count() == 1
