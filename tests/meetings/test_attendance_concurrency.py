"""Two tabs or a double click answering at the same moment, on PostgreSQL with real parallel transactions."""

import threading

import pytest
from django.db import connection

from khs.models import AuditEntry
from meetings.models import Invitee
from meetings.services.attendance import attendance_answer, attendance_check_in


def _in_parallel(work, n=4):
    barrier, errors = threading.Barrier(n), []

    def run():
        try:
            barrier.wait()
            work()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_simultaneous_identical_answers_send_one_deputy_and_log_once(postgres_only, invitees, before_deadline):
    lier = invitees["lier"]
    _in_parallel(
        lambda: attendance_answer(
            actor=None,
            invitee=lier,
            response="deputy",
            deputy_name="Per Vara",
            deputy_email="per@example.no",
            notify=False,
        )
    )
    assert Invitee.objects.filter(deputy_for=lier).count() == 1
    assert AuditEntry.objects.filter(verb="attendance_answer", action="update").count() == 1
    assert AuditEntry.objects.filter(verb="attendance_answer", action="create").count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_check_in_taps_log_once(postgres_only, invitees):
    _in_parallel(lambda: attendance_check_in(actor=None, invitee=invitees["gol"], present=True))
    assert Invitee.objects.get(pk=invitees["gol"].pk).present is True
    assert AuditEntry.objects.filter(verb="attendance_check_in").count() == 1
