"""Downloaded files keep their Norwegian letters: RFC 5987 `filename*` and an ASCII `filename` fallback."""

import pathlib
import re
from datetime import date
from urllib.parse import unquote

from django.urls import reverse

from khs.lib.downloads import content_disposition
from tests import factories as f

ROOT = pathlib.Path(__file__).resolve().parents[2]


def names(header: str) -> tuple[str, str]:
    """(the ASCII fallback, the UTF-8 name) of a Content-Disposition header."""
    fallback = re.search(r'filename="([^"]*)"', header).group(1)
    utf8 = unquote(re.search(r"filename\*=UTF-8''(\S+)", header).group(1))
    return fallback, utf8


def test_a_name_with_norwegian_letters_has_both_forms():
    header = content_disposition("Årsmelding økonomi – Bærum.pdf")
    assert header.startswith("attachment; ")
    assert names(header) == ("Arsmelding okonomi _ Baerum.pdf", "Årsmelding økonomi – Bærum.pdf")
    assert content_disposition("a.pdf", inline=True) == "inline; filename=\"a.pdf\"; filename*=UTF-8''a.pdf"
    # Nothing from the name can end the header or break out of the quotes.
    assert names(content_disposition('x"\r\nSet-Cookie: a.pdf'))[0] == "x_Set-Cookie: a.pdf"


def test_every_download_view_uses_the_one_helper():
    offenders = []
    for app in ("khs", "membership", "meetings", "billing", "publishing"):
        for path in (ROOT / app).rglob("*.py"):
            if path.name == "downloads.py" or path.name == "outbox.py":  # outbox: mail attachments (RFC 2231)
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if ("Content-Disposition" in line and "content_disposition(" not in line) or (
                    "as_attachment=" in line or "content_disposition_header" in line
                ):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


def test_the_member_list_export_keeps_the_cooperations_letters(client, clerk):
    coop = f.make_cooperation(name="Regionrådet for Hallingdal", short_name="Regionrådet Ål")
    coop.staff.add(clerk)
    client.force_login(clerk)
    client.post("/cooperation/switch/", {"cooperation": coop.pk})
    response = client.get("/members/export.xlsx", {"on": "2018-01-01"})
    assert names(response["Content-Disposition"]) == (
        "medlemmer-regionradet-al-2018-01-01.xlsx",
        "medlemmer-regionrådet-ål-2018-01-01.xlsx",
    )


def test_the_summons_pdf_keeps_the_meetings_letters(clerk_client, coop):
    body = f.make_body(coop, name="Ordførermøtet")
    meeting = f.make_meeting(body, title="Ordførermøte i Bærum", starts_at=f.aware(2017, 6, 15, 10))
    response = clerk_client.get(reverse("meetings:summons_pdf", args=[meeting.pk]))
    assert response["Content-Disposition"].startswith("inline; ")
    assert names(response["Content-Disposition"]) == (
        "innkalling-2017-06-15-ordforermote-i-baerum.pdf",
        "innkalling-2017-06-15-ordførermøte-i-bærum.pdf",
    )


def test_an_attachment_downloads_under_its_own_name(clerk_client, coop):
    body = f.make_body(coop, name="Styret")
    meeting = f.make_meeting(body, starts_at=f.aware(2017, 6, 15, 10))
    case = f.make_case_row(body, 1, meeting=meeting, title="Økonomi")
    attachment = f.make_attachment(case, title="Årsmelding", original_name="Årsmelding økonomi.pdf")
    response = clerk_client.get(reverse("meetings:case_attachment_download", args=[case.pk, attachment.pk]))
    assert response.status_code == 200
    assert names(response["Content-Disposition"]) == ("Arsmelding okonomi.pdf", "Årsmelding økonomi.pdf")


def test_the_noark_export_is_named_after_its_body(clerk_client, coop):
    body = f.make_body(coop, name="Ordførermøtet")
    response = clerk_client.get(reverse("publishing:archive_export", args=[body.pk, date(2017, 1, 1).year]))
    assert response.status_code == 200
    assert names(response["Content-Disposition"]) == ("noark5-ordforermotet-2017.zip", "noark5-ordførermøtet-2017.zip")
