"""Reading population files: Statistics Norway's table 07459 as downloaded, or a plain CSV.

Layouts understood (the delimiter, ; , or tab, and the encoding, UTF-8 or Windows-1252, are detected):

- plain:    kommunenummer,year,population          (one line per municipality and year)
- ssb-long: "region";"alder";"år";"Personer"       (StatBank/API download with the year as a column;
            optional "kjønn", "alder" and "statistikkvariabel" columns; the value column may be
            headed "Personer" or with the table title "07459: Befolkning, etter region, …")
- ssb-wide: "region";"alder";"Personer 2016";"Personer 2017"   (one column per year; "2017" alone works too)

SSB writes a title line and a blank line above the header, region labels as "0602 Drammen"
(also "K-0602 Drammen" or "0602 Drammen (-2019)"), and marks missing figures with ".", "..",
"..." or ":" ("-" is nil, i.e. zero). Files split by age or sex are summed per municipality and year.
Nothing here touches the database: the rows go to `membership.services.population_import`.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MISSING = {".", "..", "...", ":"}
# Sanity bounds: Norway has about 5.6 million inhabitants; no line of table 07459 is near 2 000 characters.
MAX_COUNT = 10_000_000
MAX_LINE_CHARS = 10_000
NIL = {"-"}
NUMBER_RE = re.compile(r"^\d{4}$")
REGION_RE = re.compile(r"^(?:K-)?(\d+)(?:\s+(.*))?$")
COUNT_RE = re.compile(r"^-?\d{1,3}(?:[ \u00a0\u202f]\d{3})+$|^-?\d+$")
VALUE_WORDS = r"(?:personer|befolkning|persons|population|folkemengde)"
YEAR_COLUMN_RE = re.compile(rf"^(?:{VALUE_WORDS}\s+)?((?:18|19|20)\d\d)(?:\s+{VALUE_WORDS})?$", re.IGNORECASE)

REGION_HEADERS = {"region", "kommune", "region/kommune", "municipality"}
YEAR_HEADERS = {"år", "aar", "year", "tid", "time"}
SUMMED_HEADERS = {"alder", "age", "kjønn", "kjonn", "sex", "statistikkvariabel", "contents"}
CONTENTS_HEADERS = {"statistikkvariabel", "contents"}
PLAIN_HEADERS = {
    "number": {"kommunenummer", "knr", "kommunenr", "municipality_number"},
    "year": {"year", "år", "aar"},
    "count": {"population", "innbyggere", "innbyggertall", "befolkning", "personer", "count"},
}


@dataclass(frozen=True)
class PopulationRow:
    """Inhabitants of one municipality on 1 January of one year, as read from line `line` of a file."""

    line: int
    number: str
    year: int
    count: int
    label: str = ""


@dataclass
class ParsedPopulationFile:
    layout: str = ""
    rows: list[PopulationRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most consistent number of fields."""
    sample = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_score = ",", -1
    for delimiter in (";", "\t", ","):
        counts = [len(row) for row in csv.reader(sample, delimiter=delimiter)]
        wide = [c for c in counts if c >= 2]
        if not wide:
            continue
        modal = max(set(wide), key=wide.count)
        score = wide.count(modal) * 100 + modal
        if score > best_score:
            best, best_score = delimiter, score
    return best


def parse_count(raw: str) -> tuple[int | None, str | None]:
    """(count, None) or (None, error); SSB's "-" is nil. Missing markers are handled by the caller."""
    value = raw.strip()
    if value in NIL:
        return 0, None
    if not COUNT_RE.match(value):
        return None, _("«%(value)s» er ikke et tall.") % {"value": raw}
    digits = re.sub(r"[ \u00a0\u202f]", "", value)
    if len(digits.lstrip("-")) > len(str(MAX_COUNT)):
        return None, _("Innbyggertallet %(value)s er urimelig stort (over %(max)s).") % {
            "value": value[:20] + ("…" if len(value) > 20 else ""),
            "max": "10 000 000",
        }
    count = int(digits)
    if count > MAX_COUNT:
        return None, _("Innbyggertallet %(value)s er urimelig stort (over %(max)s).") % {
            "value": value,
            "max": "10 000 000",
        }
    if count < 0:
        return None, _("Innbyggertallet kan ikke være negativt (%(value)s).") % {"value": raw}
    return count, None


def parse_year(raw: str) -> tuple[int | None, str | None]:
    value = raw.strip()
    if not re.match(r"^(18|19|20)\d\d$", value):
        return None, _("«%(value)s» er ikke et årstall.") % {"value": raw}
    return int(value), None


def parse_number(raw: str) -> tuple[str | None, str | None]:
    """A kommunenummer of a plain file: exactly four digits."""
    value = raw.strip()
    if NUMBER_RE.match(value):
        return value, None
    if re.match(r"^\d{3}$", value):
        return None, _(
            "«%(value)s» er ikke et gyldig kommunenummer: det har fire siffer (f.eks. 0%(value)s). "
            "Har regnearket fjernet den ledende nullen?"
        ) % {"value": value}
    return None, _("«%(value)s» er ikke et gyldig kommunenummer (fire siffer, f.eks. 0602).") % {"value": raw}


def parse_region(raw: str) -> tuple[str | None, str, str | None]:
    """ "0602 Drammen" -> ("0602", "Drammen", None); a county or the whole country is an error."""
    value = raw.strip()
    match = REGION_RE.match(value)
    if not match:
        return (
            None,
            value,
            _("Fant ikke et kommunenummer i «%(value)s» (ventet f.eks. «0602 Drammen»).") % {"value": raw},
        )
    number, name = match.group(1), (match.group(2) or "").strip()
    if len(number) != 4:
        return None, name, _("«%(value)s» er ikke en kommune: kommunenummer har fire siffer.") % {"value": raw}
    return number, re.sub(r"\s*\(.*\)$", "", name), None


class _Sums:
    """Per (kommunenummer, year): the lines and values to add up (a file split by age or sex)."""

    def __init__(self):
        self.groups: dict[tuple[str, int], dict] = {}

    def add(self, number, year, label, line, count):
        group = self.groups.setdefault((number, year), {"label": label, "lines": [], "counts": [], "missing": []})
        group["lines"].append(line)
        if count is None:
            group["missing"].append(line)
        else:
            group["counts"].append(count)

    def rows(self, result: ParsedPopulationFile, *, zero_is_error: bool):
        for (number, year), group in self.groups.items():
            first = group["lines"][0]
            label = f"{number} {group['label']}".strip()
            if not group["counts"]:
                result.skipped.append(
                    (
                        first,
                        _("%(region)s %(year)s: ingen tall i filen (markert som manglende).")
                        % {"region": label, "year": year},
                    )
                )
                continue
            if group["missing"]:
                result.errors.append(
                    (
                        group["missing"][0],
                        _("%(region)s %(year)s: noen tall mangler (markert med «.» eller «..»), så summen blir feil.")
                        % {"region": label, "year": year},
                    )
                )
                continue
            total = sum(group["counts"])
            if total == 0:
                if zero_is_error:
                    result.errors.append((first, _("Innbyggertallet må være større enn null.")))
                else:
                    # StatBank shows 0 for the years a municipality number did not exist.
                    result.skipped.append(
                        (
                            first,
                            _("%(region)s %(year)s: 0 innbyggere (kommunenummeret fantes ikke det året).")
                            % {"region": label, "year": year},
                        )
                    )
                continue
            result.rows.append(PopulationRow(line=first, number=number, year=year, count=total, label=group["label"]))


def NUL_MESSAGE() -> str:  # noqa: N802 (a message, translated when shown)
    return _(
        "Dette er ikke en CSV- eller tekstfil (linjen inneholder NUL-tegn). "
        "Last ned tabellen fra SSB som CSV (semikolonseparert)."
    )


def _known_binary(head: bytes) -> bool:
    """A zip (xlsx, docx), a PDF or an old Office file, by its first bytes."""
    return head[:4] in (b"PK\x03\x04", b"%PDF") or head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def looks_binary(data: bytes | str) -> bool:
    """True for a file that is not text at all (a spreadsheet, PDF or picture given by mistake)."""
    head = data[:8192] if isinstance(data, bytes) else data[:8192].encode("utf-8", "replace")
    if b"\x00" in head or _known_binary(head):
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    return controls > len(head) // 100


def parse_population_file(data: bytes | str) -> ParsedPopulationFile:
    """Read a population file; every problem is listed with its line number, nothing is guessed."""
    result = ParsedPopulationFile()
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "replace")
    if b"\x00" in raw and not _known_binary(raw[:8]):  # the line of the first NUL, counted as the text lines below are
        line = raw[: raw.index(b"\x00")].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        result.errors.append((line, NUL_MESSAGE()))
        return result
    if looks_binary(data):
        result.errors.append(
            (1, _("Dette er ikke en CSV- eller tekstfil. Last ned tabellen fra SSB som CSV (semikolonseparert)."))
        )
        return result
    text = decode(data)
    if not text.strip():
        result.errors.append((1, _("Filen er tom.")))
        return result
    # Old Mac files end lines with CR alone; csv and the line numbers below count LF.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for number, line in enumerate(text.split("\n"), start=1):
        if "\x00" in line:
            result.errors.append((number, NUL_MESSAGE()))
            return result
        if len(line) > MAX_LINE_CHARS:
            result.errors.append(
                (number, _("Linjen er for lang (over %(n)s tegn); er dette riktig fil?") % {"n": "10 000"})
            )
            return result
    try:
        return _parse_text(text, result)
    except csv.Error as error:
        result.errors.append((getattr(error, "line", 0) or 1, _("Filen kunne ikke leses som CSV.")))
        return result


def _parse_text(text: str, result: ParsedPopulationFile) -> ParsedPopulationFile:
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    header, header_line = None, 0
    for row in reader:
        cells = [c.strip() for c in row]
        if sum(1 for c in cells if c) >= 2:
            header, header_line = [c.lower().lstrip("\ufeff") for c in cells], reader.line_num
            break
    if header is None:
        result.errors.append(
            (
                1,
                _(
                    "Fant ingen overskriftslinje med kolonner. Ventet SSB-tabell 07459 "
                    "(semikolonseparert) eller kommunenummer,year,population."
                ),
            )
        )
        return result

    plain = {key: next((i for i, h in enumerate(header) if h in names), None) for key, names in PLAIN_HEADERS.items()}
    if all(i is not None for i in plain.values()) and len(header) == 3:
        result.layout = "plain"
        _read_plain(reader, plain, result)
    elif any(h in REGION_HEADERS for h in header):
        _read_ssb(reader, header, header_line, result)
    else:
        result.errors.append(
            (
                header_line,
                _(
                    "Kjente ikke igjen kolonnene %(columns)s. Ventet SSB-tabell 07459 (med kolonnen «region») "
                    "eller kommunenummer,year,population."
                )
                % {"columns": ", ".join(f"«{h}»" for h in header)},
            )
        )
    result.errors.sort(key=lambda e: e[0])
    return result


def _read_plain(reader, columns: dict, result: ParsedPopulationFile):
    seen: dict[tuple[str, int], int] = {}
    sums = _Sums()
    for row in reader:
        line = reader.line_num
        if not any(c.strip() for c in row):
            continue
        if len(row) != 3:
            result.errors.append(
                (line, _("Linjen har %(n)s felt; ventet tre: kommunenummer, år og innbyggertall.") % {"n": len(row)})
            )
            continue
        number, error = parse_number(row[columns["number"]])
        year, year_error = parse_year(row[columns["year"]])
        count, count_error = parse_count(row[columns["count"]])
        problems = [e for e in (error, year_error, count_error) if e]
        if problems:
            result.errors.append((line, " ".join(problems)))
            continue
        if (number, year) in seen:
            result.errors.append(
                (
                    line,
                    _("%(number)s %(year)s står to ganger (også på linje %(other)s).")
                    % {"number": number, "year": year, "other": seen[(number, year)]},
                )
            )
            continue
        seen[(number, year)] = line
        sums.add(number, year, "", line, count)
    sums.rows(result, zero_is_error=True)


def _read_ssb(reader, header: list[str], header_line: int, result: ParsedPopulationFile):
    region_col = next(i for i, h in enumerate(header) if h in REGION_HEADERS)
    year_col = next((i for i, h in enumerate(header) if h in YEAR_HEADERS), None)
    summed = [i for i, h in enumerate(header) if h in SUMMED_HEADERS]
    contents_col = next((i for i, h in enumerate(header) if h in CONTENTS_HEADERS), None)
    rest = [i for i in range(len(header)) if i != region_col and i != year_col and i not in summed]
    year_columns = {i: int(YEAR_COLUMN_RE.match(header[i]).group(1)) for i in rest if YEAR_COLUMN_RE.match(header[i])}
    if year_col is not None:
        result.layout = "ssb-long"
        if len(rest) != 1:
            result.errors.append(
                (
                    header_line,
                    _("Ventet én kolonne med innbyggertall ved siden av «år»; fant %(columns)s.")
                    % {"columns": ", ".join(f"«{header[i]}»" for i in rest) or "ingen"},
                )
            )
            return
        value_columns = {rest[0]: None}
    else:
        result.layout = "ssb-wide"
        unknown = [header[i] for i in rest if i not in year_columns]
        if unknown or not year_columns:
            result.errors.append(
                (
                    header_line,
                    _(
                        "Kjente ikke igjen kolonnene %(columns)s. Ventet «region», eventuelt «alder» og «kjønn», og én "
                        "kolonne per år («Personer 2017») eller en kolonne «år»."
                    )
                    % {"columns": ", ".join(f"«{h}»" for h in unknown) or "ingen årskolonner"},
                )
            )
            return
        value_columns = year_columns

    seen: dict[tuple, int] = {}
    sums = _Sums()
    for row in reader:
        line = reader.line_num
        cells = [c.strip() for c in row]
        filled = [c for c in cells if c]
        if not filled:
            continue
        if len(filled) == 1 and len(cells) < len(header):
            continue  # a footnote or source line under the table
        if len(cells) != len(header):
            result.errors.append(
                (line, _("Linjen har %(n)s felt; overskriften har %(m)s.") % {"n": len(cells), "m": len(header)})
            )
            continue
        number, name, error = parse_region(cells[region_col])
        problems = [error] if error else []
        if contents_col is not None and not re.match(VALUE_WORDS, cells[contents_col], re.IGNORECASE):
            problems.append(
                _("Statistikkvariabelen «%(value)s» er ikke et innbyggertall (ventet «Personer»).")
                % {"value": cells[contents_col]}
            )
        row_year = None
        if year_col is not None:
            row_year, year_error = parse_year(cells[year_col])
            if year_error:
                problems.append(year_error)
        values = []
        for col, col_year in value_columns.items():
            raw = cells[col]
            if raw in MISSING:
                values.append((col_year or row_year, None))
                continue
            count, count_error = parse_count(raw)
            if count_error:
                problems.append(count_error)
            values.append((col_year or row_year, count))
        if problems:
            result.errors.append((line, " ".join(problems)))
            continue
        key = (number, row_year, tuple(cells[i].lower() for i in summed))
        if key in seen:
            result.errors.append(
                (line, _("Linjen gjentar linje %(other)s (samme region, år og gruppe).") % {"other": seen[key]})
            )
            continue
        seen[key] = line
        for year, count in values:
            sums.add(number, year, name, line, count)
    sums.rows(result, zero_is_error=False)
