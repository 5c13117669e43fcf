import random

import pytest
from stdnum import luhn
from stdnum.no import kontonr

from billing.kid import (
    KID_LENGTH,
    is_valid_kid,
    make_kid,
    mod10_check_digit,
    mod11_check_digit,
    parse_kid,
)


# --- MOD10 (Luhn) -------------------------------------------------------
#
# "7992739871": digits from the right 1 7 8 9 3 7 2 9 9 7.
#   doubled (positions 0, 2, 4, 6, 8 from the right): 1->2, 8->16->7, 3->6,
#   2->4, 9->18->9                                    = 28
#   kept (positions 1, 3, 5, 7, 9): 7 + 9 + 7 + 9 + 7  = 39
#   total 67 -> check = (10 - 67 % 10) % 10 = 3
#
# "1234567": from the right 7 6 5 4 3 2 1.
#   doubled: 7->14->5, 5->10->1, 3->6, 1->2 = 14; kept: 6 + 4 + 2 = 12
#   total 26 -> check 4
#
# "0220201800001" (member 220, year 2018, sequence 1): from the right
#   1 0 0 0 0 8 1 0 2 0 2 2 0; doubled 1->2, 0, 0, 1->2, 2->4, 2->4, 0 = 12;
#   kept 0 + 0 + 8 + 0 + 0 + 2 = 10; total 22 -> check 8
@pytest.mark.parametrize(
    "digits, check",
    [("7992739871", "3"), ("1234567", "4"), ("0220201800001", "8"), ("0", "0"), ("18", "2")],
)
def test_mod10_known_vectors(digits, check):
    assert mod10_check_digit(digits) == check


def test_mod10_agrees_with_stdnum_luhn():
    rng = random.Random(1234)
    for _ in range(300):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 24)))
        assert mod10_check_digit(digits) == luhn.calc_check_digit(digits)


@pytest.mark.parametrize("bad", ["", "12a4", "12 34", "١٢٣"])
def test_mod10_rejects_non_digits(bad):
    with pytest.raises(ValueError):
        mod10_check_digit(bad)


# --- MOD11 --------------------------------------------------------------
#
# "1234567": weights 2,3,4,5,6,7,2 from the right:
#   7*2 + 6*3 + 5*4 + 4*5 + 3*6 + 2*7 + 1*2 = 14+18+20+20+18+14+2 = 106
#   106 % 11 = 7 -> 11 - 7 = 4
# "6": 6*2 = 12, 12 % 11 = 1 -> 11 - 1 = 10 -> "-"
# "0": 0 % 11 = 0 -> 11 - 0 = 11 -> "0"
@pytest.mark.parametrize("digits, check", [("1234567", "4"), ("6", "-"), ("0", "0"), ("1234567890", "3")])
def test_mod11_known_vectors(digits, check):
    assert mod11_check_digit(digits) == check


def test_mod11_agrees_with_norwegian_account_numbers():
    # An 11-digit Norwegian account number uses the same MOD11 scheme.
    rng = random.Random(99)
    checked = 0
    while checked < 200:
        body = "".join(rng.choice("0123456789") for _ in range(10))
        check = mod11_check_digit(body)
        if check == "-":
            assert not any(kontonr.is_valid(body + d) for d in "0123456789")
            continue
        assert kontonr.is_valid(body + check)
        checked += 1


@pytest.mark.parametrize("bad", ["", "12x", "1" * 25])
def test_mod11_none_for_invalid_input(bad):
    assert mod11_check_digit(bad) is None


# --- is_valid_kid / make_kid ----------------------------------------------


def test_round_trip():
    kid = make_kid(member=220, year=2018, sequence=1)
    assert kid == "02202018000018"
    assert len(kid) == KID_LENGTH == 14
    assert is_valid_kid(kid)
    assert parse_kid(kid) == (220, 2018, 1)

    for member, year, sequence in [(0, 1000, 0), (9999, 9999, 99999), (3025, 2024, 42)]:
        k = make_kid(member=member, year=year, sequence=sequence)
        assert is_valid_kid(k, "mod10")
        assert parse_kid(k) == (member, year, sequence)


def test_every_single_digit_change_is_rejected():
    kid = make_kid(member=3025, year=2018, sequence=12345)
    for i in range(len(kid)):
        for d in "0123456789":
            if d != kid[i]:
                changed = kid[:i] + d + kid[i + 1 :]
                assert not is_valid_kid(changed), changed


def test_adjacent_transposition_is_rejected():
    kid = make_kid(member=220, year=2018, sequence=1)  # 02202018000018
    swapped = kid[:6] + kid[7] + kid[6] + kid[8:]  # 1 and 8 swapped
    assert swapped != kid
    assert not is_valid_kid(swapped)


def test_mod11_kids():
    assert is_valid_kid("12345674", "mod11")
    assert is_valid_kid("6-", "mod11")
    assert not is_valid_kid("12345675", "mod11")
    assert not is_valid_kid("6-", "mod10")
    assert not is_valid_kid("12-45674", "mod11")


@pytest.mark.parametrize("bad", ["", "5", "1" * 26, "1234 5674", "12345674\n"])
def test_invalid_shapes(bad):
    assert not is_valid_kid(bad)
    assert not is_valid_kid(bad, "mod11")


def test_unknown_algorithm():
    with pytest.raises(ValueError):
        is_valid_kid("12345674", "mod97")


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(member=10000, year=2018, sequence=1),
        dict(member=-1, year=2018, sequence=1),
        dict(member=1, year=999, sequence=1),
        dict(member=1, year=10000, sequence=1),
        dict(member=1, year=2018, sequence=100000),
        dict(member=1, year=2018, sequence=-5),
        dict(member="0220", year=2018, sequence=1),
        dict(member=True, year=2018, sequence=1),
    ],
)
def test_make_kid_rejects_parts_that_do_not_fit(kwargs):
    with pytest.raises(ValueError):
        make_kid(**kwargs)


def test_parse_kid_rejects_foreign_kids():
    with pytest.raises(ValueError):
        parse_kid("12345674")
