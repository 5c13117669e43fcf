from datetime import date
from decimal import Decimal

from khs.lib.dates import format_date, format_long_date, format_meeting_time
from khs.lib.money import format_money, format_number, round_money
from tests.factories import aware


def test_money_is_written_the_norwegian_way():
    assert format_money(Decimal("1218370")) == "kr\xa01\xa0218\xa0370,00"
    assert format_money(Decimal("2.5")) == "kr\xa02,50"
    assert format_money(Decimal("-151952.5"), lang="en") == "NOK\xa0-151,952.50"


def test_money_rounds_half_up_to_whole_ore():
    assert round_money(Decimal("0.125")) == Decimal("0.13")
    assert round_money(Decimal("60781") * Decimal("2.50")) == Decimal("151952.50")


def test_numbers_group_thousands_with_a_space():
    assert format_number(450000) == "450\xa0000"
    assert format_number(487348, lang="en") == "487,348"


def test_meeting_time_reads_like_the_summons():
    start, end = aware(2017, 6, 15, 10), aware(2017, 6, 15, 11)
    assert format_meeting_time(start, end) == "Torsdag 15.06.2017 kl. 10–11"
    assert format_meeting_time(aware(2011, 10, 24, 9, 30), None, "nn") == "Måndag 24.10.2011 kl. 09.30"
    assert format_meeting_time(start, end, "en") == "Thursday 15.06.2017 at 10–11"


def test_dates():
    assert format_date(date(2017, 6, 4)) == "04.06.2017"
    assert format_long_date(date(2017, 6, 4)) == "4. juni 2017"
