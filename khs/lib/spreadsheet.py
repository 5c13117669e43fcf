"""Exports opened in a spreadsheet (CSV, XLSX): text from people must never become a formula.

One rule for every export: a text cell that begins with = + - @, a tab or a carriage return is
written with a leading apostrophe, the spreadsheet convention for "this is text" (OWASP's advice
against CSV injection). Numbers, and text that is only a number ("-2500,00" on a credit note), are
left as they are. XLSX cells holding text are typed as strings, never as formulas."""

import csv
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d[\d \u00a0]*(?:[.,]\d+)?")


def safe_cell(value):
    """The value as a spreadsheet will show it, never evaluate it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]


class SafeCsvWriter:
    """csv.writer whose rows pass through safe_cell."""

    def __init__(self, out, **options):
        self._writer = csv.writer(out, **options)

    def writerow(self, values):
        return self._writer.writerow(safe_row(values))

    def writerows(self, rows):
        for values in rows:
            self.writerow(values)


def xlsx_append(sheet, values):
    """Append a row to an openpyxl sheet with text cells typed as strings (openpyxl would otherwise
    store a value beginning with "=" as a formula)."""
    sheet.append(safe_row(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
