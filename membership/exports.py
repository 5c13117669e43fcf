"""The member list as a document: CSV (for Excel: semicolon, UTF-8 with BOM) and XLSX, in the
cooperation's language (nb or nn)."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from khs.lib.dates import format_date
from khs.lib.money import format_number
from khs.lib.spreadsheet import SafeCsvWriter, xlsx_append
from membership.selectors import MemberList

# Fixed document words, right in both written languages whatever the .po files say.
WORDS = {
    "nb": {
        "title": "Medlemmer i {name} per {day}",
        "number": "Kommunenummer",
        "municipality": "Kommune",
        "population": "Innbyggere 1.1.{year}",
        "share": "Andel (%)",
        "mayor": "Ordfører",
        "total": "{count} kommuner, {population} innbyggere",
        "missing": "mangler",
        "missing_total": "innbyggertall mangler for {count}",
        "sheet": "Medlemmer",
    },
    "nn": {
        "title": "Medlemmar i {name} per {day}",
        "number": "Kommunenummer",
        "municipality": "Kommune",
        "population": "Innbyggjarar 1.1.{year}",
        "share": "Del (%)",
        "mayor": "Ordførar",
        "total": "{count} kommunar, {population} innbyggjarar",
        "missing": "manglar",
        "missing_total": "innbyggjartal manglar for {count}",
        "sheet": "Medlemmar",
    },
}


def words(lang: str) -> dict:
    return WORDS.get(lang, WORDS["nb"])


def total_line(members: MemberList, lang: str) -> str:
    """ "26 kommuner, 487 348 innbyggere", saying so when figures are missing."""
    w = words(lang)
    text = w["total"].format(count=members.count, population=format_number(members.total_population, lang="nb"))
    if members.missing_population == members.count and members.count:
        return text.split(",")[0] + f" ({w['missing_total'].format(count=members.count)})"
    if members.missing_population:
        text += f" ({w['missing_total'].format(count=members.missing_population)})"
    return text


def _header(members: MemberList, w: dict) -> list[str]:
    return [
        w["number"],
        w["municipality"],
        w["population"].format(year=members.population_year),
        w["share"],
        w["mayor"],
    ]


def _name(municipality, lang):
    return municipality.display_name(lang)


def member_list_csv(members: MemberList, lang: str) -> bytes:
    w = words(lang)
    out = io.StringIO()
    writer = SafeCsvWriter(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([w["title"].format(name=members.cooperation.name, day=format_date(members.day))])
    writer.writerow(_header(members, w))
    for row in members.rows:
        writer.writerow(
            [
                row.municipality.number,
                _name(row.municipality, lang),
                row.population if row.population is not None else w["missing"],
                str(row.share).replace(".", ",") if row.share is not None else "",
                row.mayor.name if row.mayor else "",
            ]
        )
    writer.writerow(
        [total_line(members, lang), "", members.total_population, "100,0" if members.total_population else "", ""]
    )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def member_list_xlsx(members: MemberList, lang: str) -> bytes:
    w = words(lang)
    book = Workbook()
    sheet = book.active
    sheet.title = w["sheet"]
    xlsx_append(sheet, [w["title"].format(name=members.cooperation.name, day=format_date(members.day))])
    sheet["A1"].font = Font(bold=True, size=13)
    xlsx_append(sheet, _header(members, w))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in members.rows:
        xlsx_append(
            sheet,
            [
                row.municipality.number,
                _name(row.municipality, lang),
                row.population if row.population is not None else w["missing"],
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
