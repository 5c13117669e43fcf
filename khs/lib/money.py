"""Money is Decimal, rounded in one place, shown by one filter."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def round_money(value) -> Decimal:
    """Round to whole øre, half up (as accounting expects)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def group_thousands(digits: str, sep: str) -> str:
    parts = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return sep.join(parts)


def format_number(value, *, lang: str = "nb", decimals: int | None = None) -> str:
    """450 000 / 2,50 in Norwegian; 450,000 / 2.50 in English."""
    if value is None or value == "":
        return ""
    dec = Decimal(value)
    if decimals is not None:
        dec = dec.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if dec < 0 else ""
    text = f"{abs(dec):f}"
    whole, _, frac = text.partition(".")
    thousand, point = (",", ".") if lang == "en" else ("\xa0", ",")
    out = group_thousands(whole, thousand)
    if frac:
        out += point + frac
    return sign + out


def format_money(value, *, lang: str = "nb") -> str:
    """kr 2 500,00 in Norwegian, NOK 2,500.00 in English."""
    if value is None or value == "":
        return ""
    amount = format_number(round_money(value), lang=lang, decimals=2)
    return f"NOK\xa0{amount}" if lang == "en" else f"kr\xa0{amount}"
