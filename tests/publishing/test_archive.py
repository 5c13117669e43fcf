"""The Noark 5 export of a body's year: møtemappe per meeting, møteregistrering per document, checksums."""

import hashlib
import io
import zipfile

import pytest
from django.urls import reverse
from lxml import etree

from publishing.archive import NS
from tests.publishing.world import MINUTES_PDF

pytestmark = pytest.mark.django_db
N = {"n": NS}


@pytest.fixture
def export(client, clerk, world):
    client.force_login(clerk)
    response = client.get(reverse("publishing:archive_export", args=[world.body.pk, 2017]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_export_holds_the_minutes_pdf_and_its_checksum(export, world):
    names = export.namelist()
    minutes_files = [n for n in names if n.endswith("-protokoll.pdf")]
    assert len(minutes_files) == 1
    assert export.read(minutes_files[0]) == MINUTES_PDF
    checksum = hashlib.sha256(MINUTES_PDF).hexdigest()
    xml = etree.fromstring(export.read("arkivstruktur.xml"))
    objects = xml.findall(".//n:dokumentobjekt", N)
    minutes_object = next(o for o in objects if o.findtext("n:referanseDokumentfil", namespaces=N) == minutes_files[0])
    assert minutes_object.findtext("n:sjekksum", namespaces=N) == checksum
    assert minutes_object.findtext("n:sjekksumAlgoritme", namespaces=N) == "SHA256"
    assert f"{checksum}  {minutes_files[0]}" in export.read("sha256sums.txt").decode()


def test_export_has_one_moetemappe_per_meeting_with_summons_and_case_documents(export, world):
    xml = etree.fromstring(export.read("arkivstruktur.xml"))
    folders = xml.findall(".//n:mappe", N)
    # the approved meeting only: the draft and the upcoming one are not in 2017 or not held
    titles = [f.findtext("n:tittel", namespaces=N) for f in folders]
    assert "Ordførermøte i HS" in titles and "Utkast til møte" not in titles
    folder = folders[titles.index("Ordførermøte i HS")]
    assert folder.get("{http://www.w3.org/2001/XMLSchema-instance}type") == "moetemappe"
    assert folder.findtext("n:utvalg", namespaces=N) == "Ordførermøtet"
    assert folder.findtext("n:moetedato", namespaces=N) == "2017-06-15"
    kinds = [r.findtext("n:moeteregistreringstype", namespaces=N) for r in folder.findall("n:registrering", N)]
    assert kinds[0] == "MI" and kinds[-1] == "PR" and kinds.count("SF") == 4
    fee = [
        r for r in folder.findall("n:registrering", N) if r.findtext("n:moetesakssekvensnummer", namespaces=N) == "2"
    ]
    assert fee[0].findtext("n:moetesaksaar", namespaces=N) == "2017"
    names = [p.findtext("n:moetedeltakerNavn", namespaces=N) for p in folder.findall("n:moetedeltaker", N)]
    assert names == ["Ordfører i Lier", "Ordfører i Gol"]
    # every file listed has its checksum right
    for obj in xml.findall(".//n:dokumentobjekt", N):
        data = export.read(obj.findtext("n:referanseDokumentfil", namespaces=N))
        assert hashlib.sha256(data).hexdigest() == obj.findtext("n:sjekksum", namespaces=N)
        assert data.startswith(b"%PDF")


def test_export_is_for_staff_of_the_cooperation_only(client, other_clerk, world):
    url = reverse("publishing:archive_export", args=[world.body.pk, 2017])
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(other_clerk)
    assert client.get(url).status_code == 404
