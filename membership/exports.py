"""The member list as a document: CSV (for Excel: semicolon, UTF-8 with BOM) and XLSX, in the
cooperation's language (nb or nn)."""

import io

from django.utils import translation
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from khs.lib.dates import format_date
from khs.lib.i18n import document_language
from khs.lib.money import format_number
from khs.lib.spreadsheet import SafeCsvWriter, xlsx_append
from membership.selectors import MemberList


def total_line(members: MemberList, lang: str) -> str:
    """ "26 kommuner, 487 348 innbyggere", saying so when figures are missing."""
    with translation.override(document_language(lang)):
        count = pgettext("member list", "%(count)s kommuner") % {"count": members.count}
        text = pgettext("member list", "%(count)s kommuner, %(population)s innbyggere") % {
            "count": members.count,
            "population": format_number(members.total_population, lang="nb"),
        }
        if members.missing_population == members.count and members.count:
            return f"{count} ({_missing_total(members.count)})"
        if members.missing_population:
            text += f" ({_missing_total(members.missing_population)})"
    return text


def _missing_total(count: int) -> str:
    return pgettext("member list", "innbyggertall mangler for %(count)s") % {"count": count}


def _title(members: MemberList) -> str:
    return pgettext("member list", "Medlemmer i %(name)s per %(day)s") % {
        "name": members.cooperation.name,
        "day": format_date(members.day),
    }


def _missing() -> str:
    return pgettext("member list", "mangler")


def _header(members: MemberList) -> list[str]:
    return [
        pgettext("member list", "Kommunenummer"),
        pgettext("member list", "Kommune"),
        pgettext("member list", "Innbyggere 1.1.%(year)s") % {"year": members.population_year},
        pgettext("member list", "Andel (%)"),
        pgettext("role", "Ordfører"),
    ]


def _name(municipality, lang):
    return municipality.display_name(lang)


def member_list_csv(members: MemberList, lang: str) -> bytes:
    """The member list as CSV, in `lang` (the cooperation's)."""
    with translation.override(document_language(lang)):
        return _csv(members, lang)


def _csv(members: MemberList, lang: str) -> bytes:
    out = io.StringIO()
    writer = SafeCsvWriter(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_title(members)])
    writer.writerow(_header(members))
    for row in members.rows:
        writer.writerow(
            [
                row.municipality.number,
                _name(row.municipality, lang),
                row.population if row.population is not None else _missing(),
                str(row.share).replace(".", ",") if row.share is not None else "",
                row.mayor.name if row.mayor else "",
            ]
        )
    writer.writerow(
        [total_line(members, lang), "", members.total_population, "100,0" if members.total_population else "", ""]
    )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def member_list_xlsx(members: MemberList, lang: str) -> bytes:
    """The member list as an Excel workbook, in `lang` (the cooperation's)."""
    with translation.override(document_language(lang)):
        return _xlsx(members, lang)


def _xlsx(members: MemberList, lang: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = pgettext("member list", "Medlemmer")
    xlsx_append(sheet, [_title(members)])
    sheet["A1"].font = Font(bold=True, size=13)
    xlsx_append(sheet, _header(members))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in members.rows:
        xlsx_append(
            sheet,
            [
                row.municipality.number,
                _name(row.municipality, lang),
                row.population if row.population is not None else _missing(),
                float(row.share) if row.share is not None else None,
                row.mayor.name if row.mayor else "",
            ],
        )
    xlsx_append(sheet, [total_line(members, lang), None, members.total_population, None, None])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (16, 24, 18, 10, 30), strict=False):
        sheet.column_dimensions[letter].width = width
    for cells in sheet.iter_rows(min_row=3, min_col=3, max_col=3):
        for cell in cells:
            cell.number_format = "# ##0"
    for cells in sheet.iter_rows(min_row=3, min_col=4, max_col=4):
        for cell in cells:
            cell.number_format = "0.0"
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
