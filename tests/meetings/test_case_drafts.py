"""Case numbers follow the meeting: a case is a draft until its number is given, in agenda order and in the
meeting's year, when the agenda is finalised (at the latest when the summons is sent) or when the clerk
registers it explicitly. A draft can be deleted, a numbered case never."""

import threading

import pytest
import time_machine
from django.db import connection, connections
from django.urls import reverse

from khs.models import AppendOnlyError, AuditEntry
from meetings import services
from meetings.errors import MeetingsError
from meetings.models import Case, CaseNumberSeries
from meetings.services import summons
from tests import factories as f


@pytest.fixture
def january_meeting(mayors_body, clerk):
    return services.meeting_create(
        body=mayors_body,
        actor=clerk,
        title="Ordførermøte januar",
        starts_at=f.aware(2018, 1, 18, 10),
        ends_at=f.aware(2018, 1, 18, 12),
        place_name="Lier rådhus",
    )


def draft(meeting, clerk, title):
    return services.case_draft(body=meeting.body, meeting=meeting, actor=clerk, title=title)


@time_machine.travel("2017-12-05 12:00 +0100", tick=False)
def test_cases_drafted_in_december_for_a_january_meeting_take_the_meetings_year(january_meeting, clerk):
    first = draft(january_meeting, clerk, "Budsjett")
    assert (first.number, first.year, first.status, first.label) == (None, None, Case.Status.DRAFT, "(utkast)")
    services.agenda_finalise(meeting=january_meeting, actor=clerk)
    first.refresh_from_db()
    assert first.label == "1/2018"
    assert not CaseNumberSeries.objects.filter(body=january_meeting.body, year=2017).exists()


@time_machine.travel("2017-12-05 12:00 +0100", tick=False)
def test_sending_the_summons_numbers_the_drafts_in_agenda_order(january_meeting, clerk, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    a, b, c = (draft(january_meeting, clerk, t) for t in ("Alfa", "Beta", "Gamma"))
    services.agenda_reorder(meeting=january_meeting, actor=clerk, case_ids=[c.pk, a.pk, b.pk])
    f.make_invitee(january_meeting, name="Ordfører i Lier", email="ordforer@lier.example.no")
    summons.meeting_summon(meeting=january_meeting, actor=clerk)
    labels = [case.label for case in january_meeting.cases.order_by("agenda_position")]
    assert labels == ["1/2018", "2/2018", "3/2018"]
    assert Case.objects.get(pk=c.pk).number == 1
    assert AuditEntry.objects.filter(verb="case_number_give").count() == 3


@time_machine.travel("2017-12-05 12:00 +0100", tick=False)
def test_a_case_registered_explicitly_keeps_the_number_it_got_first(january_meeting, clerk):
    early = draft(january_meeting, clerk, "Tidlig")
    later = draft(january_meeting, clerk, "Senere")
    services.case_number_give(case=later, actor=clerk)
    services.agenda_finalise(meeting=january_meeting, actor=clerk)
    early.refresh_from_db()
    later.refresh_from_db()
    assert (later.label, early.label) == ("1/2018", "2/2018")


def test_a_draft_can_be_deleted_and_leaves_no_gap(meeting, clerk):
    mistake = draft(meeting, clerk, "Feil")
    kept = draft(meeting, clerk, "Riktig")
    services.case_delete(case=mistake, actor=clerk)
    services.agenda_finalise(meeting=meeting, actor=clerk)
    kept.refresh_from_db()
    assert list(Case.objects.values_list("number", flat=True)) == [1]
    assert AuditEntry.objects.filter(verb="case_delete", message="Feil").exists()


def test_a_numbered_case_is_never_deleted_and_a_draft_is_not_withdrawn(meeting, clerk):
    numbered = services.case_register(body=meeting.body, meeting=meeting, actor=clerk, title="Nummerert")
    with pytest.raises(MeetingsError, match="Trekk saken"):
        services.case_delete(case=numbered, actor=clerk)
    with pytest.raises(AppendOnlyError):
        numbered.delete()
    with pytest.raises(MeetingsError, match="slett det"):
        services.case_withdraw(case=draft(meeting, clerk, "Utkast"), actor=clerk)


def test_the_clerk_deletes_a_draft_and_finalises_the_agenda_on_the_pages(clerk_client, meeting, clerk):
    create = reverse("meetings:case_create", args=[meeting.pk])
    clerk_client.post(create, {"title": "Feil sak", "kind": "decision"})
    clerk_client.post(create, {"title": "Riktig sak", "kind": "decision"})
    wrong, right = Case.objects.order_by("pk")
    assert (wrong.number, right.number) == (None, None)
    page = clerk_client.get(wrong.get_absolute_url()).text
    assert "Slett utkastet" in page and "Gi saksnummer nå" in page
    response = clerk_client.post(reverse("meetings:case_delete", args=[wrong.pk]))
    assert response["Location"] == meeting.get_absolute_url()
    assert "Fastsett sakslisten" in clerk_client.get(meeting.get_absolute_url()).text
    clerk_client.post(reverse("meetings:agenda_finalise", args=[meeting.pk]))
    right.refresh_from_db()
    assert list(Case.objects.values_list("pk", flat=True)) == [right.pk] and right.label == "1/2017"
    page = clerk_client.get(right.get_absolute_url()).text
    assert "Slett utkastet" not in page and "Trekk saken" in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_meetings_finalised_in_parallel_number_gaplessly(clerk, coop):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks to race on")
    body = services.body_create(cooperation=coop, actor=clerk, name="Parallell")
    meetings = []
    for i in range(10):
        m = services.meeting_create(
            body=body, actor=clerk, title=f"Møte {i}", starts_at=f.aware(2030, 3, i + 1, 10), place_name="Lier"
        )
        for j in range(2):
            services.case_draft(body=body, meeting=m, actor=clerk, title=f"Sak {i}.{j}")
        meetings.append(m)
    start = threading.Barrier(10)
    errors = []

    def worker(m):
        try:
            start.wait()
            services.agenda_finalise(meeting=m, actor=clerk)
        except Exception as exc:  # noqa: BLE001 - collected and reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(m,)) for m in meetings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Case.objects.filter(body=body).values_list("number", flat=True))
    assert numbers == list(range(1, 21))
    for m in meetings:  # each meeting's two cases are consecutive, in agenda order
        a, b = m.cases.order_by("agenda_position").values_list("number", flat=True)
        assert b == a + 1
