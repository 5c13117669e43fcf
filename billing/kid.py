"""KID (kundeidentifikasjon) payment references for Norwegian giro payments.

A KID is a string of 2..25 characters: digits, the last one being a check
digit computed either with MOD10 (the Luhn algorithm) or with MOD11.  For
MOD11 the check value 10 is written as "-" (hyphen) by convention.

Structure used by khs (``make_kid``), 14 digits in total::

    MMMM YYYY SSSSS C
    |    |    |     +-- Luhn (MOD10) check digit over the 13 digits before it
    |    |    +-------- 5-digit running sequence within member and year (00000..99999)
    |    +------------- 4-digit contribution year (e.g. 2018)
    +------------------ 4-digit member number, e.g. the kommunenummer (0220 Asker
                        before 2020, 3025 Asker from 2020) or an internal member id

Example: member 220, year 2018, sequence 17 -> "0220" "2018" "00017" + check.

The structure is fixed-length so that the KID agreement with the bank
(the "KID-avtale" that states length and check algorithm) can say
"14 digits, MOD10".
"""

from __future__ import annotations

KID_MIN_LENGTH = 2
KID_MAX_LENGTH = 25

MEMBER_DIGITS = 4
YEAR_DIGITS = 4
SEQUENCE_DIGITS = 5
KID_LENGTH = MEMBER_DIGITS + YEAR_DIGITS + SEQUENCE_DIGITS + 1


def _is_digit_string(value: str) -> bool:
    # str.isdigit() accepts things like "²" or Arabic-Indic digits; we do not.
    return bool(value) and all("0" <= ch <= "9" for ch in value)


def mod10_check_digit(digits: str) -> str:
    """Luhn check digit for ``digits``.

    Walking from the rightmost digit, every second digit (starting with the
    rightmost one) is doubled; doubled values above 9 have 9 subtracted
    (= sum of their two digits).  The check digit brings the total up to the
    next multiple of ten.
    """
    if not isinstance(digits, str) or not _is_digit_string(digits):
        raise ValueError(f"MOD10 needs a non-empty string of digits, got {digits!r}")
    total = 0
    for position, ch in enumerate(reversed(digits)):
        value = ord(ch) - 48
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def mod11_check_digit(digits: str) -> str | None:
    """MOD11 check digit for ``digits`` as used for Norwegian KID.

    Weights 2, 3, 4, 5, 6, 7, 2, 3, ... are applied from the rightmost digit.
    With ``r = sum % 11`` the check value is ``11 - r``; 11 becomes "0" and
    10 becomes "-".

    Returns ``None`` when ``digits`` cannot carry a KID check digit: empty,
    not only ASCII digits, or so long that the KID would exceed 25 characters.
    """
    if not isinstance(digits, str) or not _is_digit_string(digits):
        return None
    if len(digits) + 1 > KID_MAX_LENGTH:
        return None
    total = 0
    for position, ch in enumerate(reversed(digits)):
        total += (ord(ch) - 48) * (2 + position % 6)
    check = 11 - total % 11
    if check == 11:
        return "0"
    if check == 10:
        return "-"
    return str(check)


def is_valid_kid(kid: str, algorithm: str = "mod10") -> bool:
    """True when ``kid`` is a well-formed KID whose last character is the
    correct check digit for ``algorithm`` ("mod10" or "mod11")."""
    if algorithm not in ("mod10", "mod11"):
        raise ValueError(f"algorithm must be 'mod10' or 'mod11', got {algorithm!r}")
    if not isinstance(kid, str) or not KID_MIN_LENGTH <= len(kid) <= KID_MAX_LENGTH:
        return False
    body, check = kid[:-1], kid[-1]
    if not _is_digit_string(body):
        return False
    if algorithm == "mod10":
        return _is_digit_string(check) and mod10_check_digit(body) == check
    return mod11_check_digit(body) == check


def _part(name: str, value: int, width: int, minimum: int = 0) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an int, got {value!r}")
    if not minimum <= value < 10**width:
        raise ValueError(
            f"{name}={value} does not fit in {width} digits" + (f" (minimum {minimum})" if minimum else "")
        )
    return str(value).zfill(width)


def make_kid(*, member: int, year: int, sequence: int) -> str:
    """Build the 14-digit khs KID: member(4) + year(4) + sequence(5) + Luhn(1).

    Raises ValueError when a part is not an int or does not fit its width.
    """
    body = (
        _part("member", member, MEMBER_DIGITS)
        + _part("year", year, YEAR_DIGITS, minimum=1000)
        + _part("sequence", sequence, SEQUENCE_DIGITS)
    )
    return body + mod10_check_digit(body)


def parse_kid(kid: str) -> tuple[int, int, int]:
    """Inverse of ``make_kid``: returns (member, year, sequence).

    Raises ValueError if ``kid`` is not a valid 14-digit khs KID.
    """
    if len(kid) != KID_LENGTH or not is_valid_kid(kid, "mod10"):
        raise ValueError(f"not a valid {KID_LENGTH}-digit khs KID: {kid!r}")
    m = MEMBER_DIGITS
    y = m + YEAR_DIGITS
    s = y + SEQUENCE_DIGITS
    return int(kid[:m]), int(kid[m:y]), int(kid[y:s])
