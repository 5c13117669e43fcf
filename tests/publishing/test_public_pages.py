"""The public pages (innsyn): what an anonymous visitor sees, and what they never see."""

import re
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from tests.publishing.world import MINUTES_PDF

pytestmark = pytest.mark.django_db


def test_index_lists_the_summoned_upcoming_meeting_but_not_the_draft(client, world):
    response = client.get(reverse("publishing:index"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Ordførermøte til høsten" in text
    assert "Rådhuset i Lier" in text
    assert "Utkast til møte" not in text


def test_meeting_page_shows_cases_outcome_and_the_approved_minutes(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(reverse("publishing:meeting_detail", args=[world.meeting.pk]))
    text = response.content.decode()
    assert "Sak 2/2017 Forslag til kontingent 2018" in text
    assert "Medlemskontingenten fastsettes til kr 2,50" in text  # the vedtak
    assert "Sak 3/2017 – unntatt offentlighet (offl. § 25)" in text
    assert "Ola Nordmann" not in text
    assert "Klage på vedtak om kontingent" in text and "Kari Hansen" not in text
    assert "Tomtekjøp" not in text  # held back until next month
    assert reverse("publishing:minutes_pdf", args=[world.meeting.pk]) in text
    assert reverse("publishing:summons_pdf", args=[world.meeting.pk]) in text


def test_the_minutes_pdf_is_served_as_approved(client, world):
    response = client.get(reverse("publishing:minutes_pdf", args=[world.meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content if response.streaming else [response.content]) == MINUTES_PDF


def test_draft_meeting_and_its_cases_are_not_public(client, world):
    assert client.get(reverse("publishing:meeting_detail", args=[world.draft_meeting.pk])).status_code == 404
    assert client.get(reverse("publishing:case_detail", args=[world.draft_case.pk])).status_code == 404
    assert client.get(reverse("publishing:minutes_pdf", args=[world.upcoming.pk])).status_code == 404


def test_case_page_shows_texts_vedtak_and_the_bodies_it_passed_through(client, world, coop):
    from meetings.models import CaseReference
    from tests import factories as f

    board = f.make_body(coop, name="Styret", case_number_format="{n:02}/{yyyy}")
    board_meeting = f.make_meeting(board, status="held", title="Styremøte")
    earlier = f.make_case_row(board, 3, title="Kontingent fra 2018", meeting=board_meeting)
    CaseReference.objects.create(case=world.fee, earlier_case=earlier)
    response = client.get(reverse("publishing:case_detail", args=[world.fee.pk]))
    text = response.content.decode()
    assert "Forslag til kontingent 2018" in text
    assert "Samarbeidsstyret foreslår" in text
    assert "Vedtatt" in text and "Medlemskontingenten fastsettes" in text
    assert "Styret" in text and "sak 03/2017" in text and "Ordførermøtet" in text


def test_closed_case_shows_number_and_legal_basis_only(client, world):
    response = client.get(reverse("publishing:case_detail", args=[world.exempt.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Sak 3/2017" in text and "offl. § 25" in text
    assert "Ola Nordmann" not in text and "Hemmelig" not in text
    assert client.get(reverse("publishing:case_document_pdf", args=[world.exempt.pk])).status_code == 404


def test_closed_session_in_the_minutes_closes_the_case_with_its_basis(client, world):
    from meetings.models import Minutes, MinutesItem

    # A closed item recorded before approval (approved minutes cannot change): a new meeting's minutes.
    from tests import factories as f

    meeting = f.make_meeting(world.body, status="minutes_approved", title="Ekstramøte")
    case = f.make_case_row(world.body, 7, title="Personalsak om Per", meeting=meeting)
    from django.utils import timezone

    minutes = Minutes.objects.create(
        meeting=meeting, started_at=meeting.starts_at, created_at=timezone.now(), updated_at=timezone.now()
    )
    MinutesItem.objects.create(
        minutes=minutes, case=case, title=case.title, closed_session=True, closed_basis="kl_11_5_2a"
    )
    text = client.get(reverse("publishing:case_detail", args=[case.pk])).content.decode()
    assert "Personalsak" not in text
    assert "Kommuneloven § 11-5 andre ledd bokstav a" in text


def test_held_back_case_appears_when_its_date_has_passed(client, world):
    import time_machine
    from django.utils import timezone

    url = reverse("publishing:case_detail", args=[world.held_back.pk])
    assert client.get(url).status_code == 404
    with time_machine.travel(timezone.now() + timezone.timedelta(days=31)):
        assert client.get(url).status_code == 200


def test_body_calendar_has_public_meetings_without_anyone_personal(client, world):
    response = client.get(reverse("publishing:body_calendar", args=[world.body.pk]))
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "Ordførermøte til høsten" in text
    assert "Utkast til møte" not in text
    assert "ATTENDEE" not in text and "drammen.example.no" not in text
    assert reverse("publishing:meeting_detail", args=[world.upcoming.pk]) in text


def test_atom_feed_lists_summons_and_decisions(client, world):
    response = client.get(reverse("publishing:feed"))
    text = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Vedtak i sak 2/2017: Forslag til kontingent 2018" in text
    assert "Innkalling: Ordførermøte i HS" in text
    assert "Ola Nordmann" not in text and "Utkast om kontingent" not in text


PERSONAL = [
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),  # any e-mail address
    re.compile(r"/attend/"),  # answer links
    re.compile(r"/calendar/(person|body)/"),  # private calendar tokens
    re.compile(r"Syk"),  # an attendance note
    re.compile(r"Ola Nordmann|Kari Hansen|Hemmelig"),  # names in closed cases and internal titles
    re.compile(r"Utkast om kontingent|Tomtekjøp"),  # drafts and held-back cases
]


def test_crawling_every_public_page_finds_nothing_personal(client, world, mayor):
    seen, queue = set(), [reverse("publishing:index")]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        if response["Content-Type"].startswith(("application/pdf", "text/calendar", "application/atom")):
            continue
        text = response.content.decode()
        for pattern in PERSONAL:
            assert not pattern.search(text), f"{pattern.pattern} on {url}"
        for href in re.findall(r'href="([^"#]+)"', text):
            href = href.replace("&amp;", "&")
            parsed = urlparse(href)
            if parsed.netloc or not parsed.path.startswith("/innsyn/"):
                continue
            queue.append(href)
    assert len(seen) > 10
    assert reverse("publishing:case_detail", args=[world.fee.pk]) in seen


def test_clerk_holds_a_meetings_documents_back_until_a_date(client, clerk, world):
    import time_machine
    from django.utils import timezone

    from khs.models import AuditEntry

    client.force_login(clerk)
    later = timezone.localtime(timezone.now() + timezone.timedelta(days=10))
    response = client.post(
        reverse("publishing:meeting_publication", args=[world.meeting.pk]),
        {"publish_from": later.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(verb="meeting_publication_set").exists()
    client.logout()
    page = client.get(reverse("publishing:meeting_detail", args=[world.meeting.pk])).content.decode()
    assert "Dokumentene er ikke publisert ennå." in page
    assert client.get(reverse("publishing:case_detail", args=[world.fee.pk])).status_code == 404
    assert client.get(reverse("publishing:minutes_pdf", args=[world.meeting.pk])).status_code == 404
    with time_machine.travel(timezone.now() + timezone.timedelta(days=11)):
        assert client.get(reverse("publishing:case_detail", args=[world.fee.pk])).status_code == 200
