"""Case numbers: per body, per year of registration, never reused, never skipped, in the body's format."""

import threading

import pytest
import time_machine
from django.db import connection, connections

from khs.models import AppendOnlyError, AuditEntry
from meetings import services
from meetings.errors import MeetingsError
from meetings.models import Case, CaseNumberSeries
from membership.models import format_case_number
from tests import factories as f
from tests.meetings.conftest import register


@pytest.mark.parametrize(
    ("fmt", "number", "year", "expected"),
    [
        ("{n}/{yyyy}", 1, 2017, "1/2017"),
        ("{n:02}/{yyyy}", 3, 2017, "03/2017"),
        ("{n}/{yy}", 55, 2011, "55/11"),
        ("{n:02}/{yyyy}", 123, 2017, "123/2017"),
    ],
)
def test_the_three_number_formats_write_the_seeds_numbers(fmt, number, year, expected):
    assert format_case_number(fmt, number, year) == expected


@pytest.mark.parametrize("fmt", ["{n}", "{yyyy}", "{n}/{n}/{yyyy}", "{x}/{yyyy}", "{n}/{yyyy}{", "sak-{m}/{yy}"])
def test_a_format_without_one_number_and_a_year_is_refused(fmt, coop, clerk):
    with pytest.raises(MeetingsError):
        services.body_create(cooperation=coop, actor=clerk, name="Organ", case_number_format=fmt)


@time_machine.travel("2017-05-20 12:00 +0200", tick=False)
def test_registering_takes_the_next_number_in_the_body_and_year(mayors_body, board, clerk):
    first = register(mayors_body, clerk)
    second = register(mayors_body, clerk)
    board_case = register(board, clerk)
    assert (first.number, second.number, board_case.number) == (1, 2, 1)
    assert (first.label, second.label, board_case.label) == ("1/2017", "2/2017", "01/2017")
    assert CaseNumberSeries.objects.get(body=mayors_body, year=2017).last_number == 2


def test_the_series_starts_again_each_year(mayors_body, clerk):
    with time_machine.travel("2017-12-31 12:00 +0100", tick=False):
        last_of_2017 = register(mayors_body, clerk)
    with time_machine.travel("2018-01-02 09:00 +0100", tick=False):
        first_of_2018 = register(mayors_body, clerk)
    assert (last_of_2017.label, first_of_2018.label) == ("1/2017", "1/2018")


@time_machine.travel("2017-12-31 23:30 +0000", tick=False)
def test_the_year_is_the_local_year_of_registration(mayors_body, clerk):
    # 23:30 UTC on New Year's Eve is already 00:30 on 1 January in Oslo.
    assert register(mayors_body, clerk).label == "1/2018"


def test_a_withdrawn_case_keeps_its_number_and_the_next_one_is_not_reused(mayors_body, clerk):
    first = register(mayors_body, clerk)
    services.case_withdraw(case=first, actor=clerk, reason="Feil organ")
    second = register(mayors_body, clerk)
    first.refresh_from_db()
    assert (first.number, first.status, second.number) == (1, Case.Status.WITHDRAWN, 2)


def test_a_case_row_cannot_be_deleted(mayors_body, clerk):
    case = register(mayors_body, clerk)
    with pytest.raises(AppendOnlyError):
        case.delete()
    with pytest.raises(AppendOnlyError):
        CaseNumberSeries.objects.get(body=mayors_body).delete()


def test_numbers_written_outside_the_series_are_stepped_over_not_reused(mayors_body, clerk):
    year = register(mayors_body, clerk).year
    f.make_case_row(mayors_body, 2, year=year)  # e.g. an import that bypassed the series
    assert register(mayors_body, clerk).number == 3


def test_registering_writes_an_audit_entry_with_the_number(mayors_body, clerk, coop):
    case = register(mayors_body, clerk, title="Kontingent")
    entry = AuditEntry.objects.get(verb="case_register")
    assert (entry.object_id, entry.actor, entry.cooperation_id, entry.message) == (
        str(case.pk),
        clerk,
        coop.pk,
        case.label,
    )


def test_a_paper_series_can_be_continued_before_khs_gives_out_a_number(board, clerk):
    services.case_series_continue(body=board, year=2017, last_number=2, actor=clerk)
    with time_machine.travel("2017-01-10 12:00 +0100", tick=False):
        assert register(board, clerk).label == "03/2017"
    with pytest.raises(MeetingsError):
        services.case_series_continue(body=board, year=2017, last_number=10, actor=clerk)


def test_an_untitled_case_is_refused_and_takes_no_number(mayors_body, clerk):
    with pytest.raises(MeetingsError):
        register(mayors_body, clerk, title="  ")
    assert not CaseNumberSeries.objects.filter(body=mayors_body).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_registrations_get_one_to_twenty(clerk, coop):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks to race on")
    body = services.body_create(cooperation=coop, actor=clerk, name="Parallell")
    start = threading.Barrier(20)
    numbers, errors = [], []

    def worker(i):
        try:
            start.wait()  # all twenty open their transactions at the same moment
            case = services.case_register(body=body, actor=clerk, title=f"Sak fra tråd {i}")
            numbers.append(case.number)
        except Exception as exc:  # noqa: BLE001 - collected and reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, 21))
    assert sorted(Case.objects.filter(body=body).values_list("number", flat=True)) == list(range(1, 21))
    assert CaseNumberSeries.objects.get(body=body).last_number == 20
