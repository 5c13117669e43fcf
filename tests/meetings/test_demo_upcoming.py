"""The demo's upcoming board meeting falls on a working Thursday, not in the Christmas weeks."""

import io

import time_machine
from django.core.management import call_command
from django.utils import timezone

from meetings.models import Meeting


def test_loaded_on_1_december_the_board_meets_after_new_year(db):
    with time_machine.travel("2026-12-01 10:00 +01:00", tick=False):
        call_command("load_demo", stdout=io.StringIO())
        upcoming = Meeting.objects.get(body__name="Styret", starts_at__gte=timezone.now())
    day = timezone.localtime(upcoming.starts_at).date()
    assert day.weekday() == 3
    assert str(day) == "2027-01-07"  # 21 days on is Christmas Eve; the first Thursday after the holidays
