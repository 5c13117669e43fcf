"""A body's year for the municipal archive, after the Noark 5 meeting structures, as one zip.

arkivstruktur.xml (namespace of Noark 5 v5 arkivstruktur) holds one arkiv > arkivdel for the body and year,
a mappe of type moetemappe per meeting (number, body, date, place, participants as moetedeltaker), and in it a
registrering of type moeteregistrering per document: the summons as it was sent (MI), each case document (SF)
with its year and sequence number, and the approved minutes (PR). Every dokumentobjekt names its file in the
zip (dokumenter/…), its format (PDF/A-3u, as khs renders every document) and its SHA-256 checksum, which is
also listed in sha256sums.txt. The minutes' checksum is the one stored when they were approved, checked again
against the bytes before writing.
"""

import hashlib
import io
import zipfile
from datetime import date

from django.utils import timezone
from lxml import etree

from khs.lib.dates import local
from meetings import documents
from meetings.models import Dispatch, Meeting, Minutes

NS = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
REGISTRATION_TYPES = {
    "summons": ("MI", "Møteinnkalling"),
    "case": ("SF", "Saksframlegg"),
    "minutes": ("PR", "Møteprotokoll"),
}


class ArchiveError(Exception):
    pass


def _el(parent, tag, text=None, **attrs):
    element = etree.SubElement(parent, f"{{{NS}}}{tag}", **attrs)
    if text is not None:
        element.text = str(text)
    return element


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _summons_bytes(meeting: Meeting) -> bytes | None:
    dispatch = meeting.dispatches.filter(kind=Dispatch.Kind.SUMMONS).exclude(document="").order_by("sent_at").first()
    if dispatch is not None:
        with dispatch.document.open("rb") as handle:
            return handle.read()
    if meeting.status == Meeting.Status.DRAFT:
        return None
    return documents.summons_pdf(meeting)


def _minutes_bytes(meeting: Meeting) -> tuple[bytes, str] | None:
    minutes = Minutes.objects.filter(meeting=meeting, status=Minutes.Status.APPROVED).first()
    if minutes is None or not minutes.document:
        return None
    with minutes.document.open("rb") as handle:
        data = handle.read()
    if minutes.document_sha256 and minutes.document_sha256 != _sha256(data):
        raise ArchiveError(f"The stored minutes of {meeting} do not match their checksum.")
    return data, minutes


def meetings_of_year(body, year: int):
    return (
        Meeting.objects.filter(body=body, starts_at__year=year)
        .exclude(status__in=[Meeting.Status.DRAFT, Meeting.Status.CANCELLED])
        .order_by("starts_at")
    )


def export_zip(body, year: int) -> bytes:
    """The zip of arkivstruktur.xml, sha256sums.txt and dokumenter/ for one body's year."""
    now = timezone.now()
    files: list[tuple[str, bytes]] = []
    root = etree.Element(f"{{{NS}}}arkiv", nsmap={None: NS, "xsi": XSI})
    _el(root, "systemID", f"khs-arkiv-{body.cooperation_id}")
    _el(root, "tittel", body.cooperation.name)
    _el(root, "opprettetDato", now.isoformat())
    part = _el(root, "arkivdel")
    _el(part, "systemID", f"khs-arkivdel-{body.pk}-{year}")
    _el(part, "tittel", f"{body.name} {year}")
    _el(part, "arkivdelstatus", "Avsluttet periode" if year < local(now).year else "Aktiv periode")
    _el(part, "arkivperiodeStartDato", date(year, 1, 1).isoformat())
    _el(part, "arkivperiodeSluttDato", date(year, 12, 31).isoformat())

    def add_document(registration, kind: str, title: str, filename: str, data: bytes, checksum: str | None = None):
        checksum = checksum or _sha256(data)
        path = f"dokumenter/{filename}"
        files.append((path, data))
        description = _el(registration, "dokumentbeskrivelse")
        _el(description, "systemID", f"khs-dok-{filename}")
        _el(description, "dokumenttype", REGISTRATION_TYPES[kind][1])
        _el(description, "dokumentstatus", "Dokumentet er ferdigstilt")
        _el(description, "tittel", title)
        _el(description, "tilknyttetRegistreringSom", "Hoveddokument")
        _el(description, "dokumentnummer", 1)
        obj = _el(description, "dokumentobjekt")
        _el(obj, "versjonsnummer", 1)
        _el(obj, "variantformat", "Arkivformat")
        _el(obj, "format", "PDF/A-3u")
        _el(obj, "referanseDokumentfil", path)
        _el(obj, "sjekksum", checksum)
        _el(obj, "sjekksumAlgoritme", "SHA256")
        _el(obj, "filstoerrelse", len(data))

    def registration(folder, kind: str, system_id: str, title: str, case=None):
        reg = _el(folder, "registrering", **{f"{{{XSI}}}type": "moeteregistrering"})
        _el(reg, "systemID", system_id)
        _el(reg, "opprettetDato", now.isoformat())
        _el(reg, "tittel", title)
        _el(reg, "moeteregistreringstype", REGISTRATION_TYPES[kind][0])
        _el(reg, "moeteregistreringsstatus", "Ferdig")
        _el(reg, "utvalg", body.name)
        if case is not None:
            _el(reg, "moetesaksaar", case.year)
            _el(reg, "moetesakssekvensnummer", case.number)
        return reg

    for meeting in meetings_of_year(body, year):
        day = local(meeting.starts_at)
        folder = _el(part, "mappe", **{f"{{{XSI}}}type": "moetemappe"})
        _el(folder, "systemID", f"khs-moete-{meeting.pk}")
        _el(folder, "mappeID", f"{year}/{meeting.number}")
        _el(folder, "tittel", meeting.title)
        _el(folder, "opprettetDato", meeting.created_at.isoformat())
        _el(folder, "moetenummer", meeting.number)
        _el(folder, "utvalg", body.name)
        _el(folder, "moetedato", day.date().isoformat())
        _el(folder, "moetested", ", ".join(p for p in (meeting.place_name, meeting.place_address) if p))
        stem = f"{day:%Y-%m-%d}-{meeting.number}"
        minutes = _minutes_bytes(meeting)
        if minutes is not None:
            for participant in minutes[1].participants.select_related("municipality"):
                attendee = _el(folder, "moetedeltaker")
                _el(attendee, "moetedeltakerNavn", participant.name)
                function = participant.get_role_display()
                if participant.municipality_id:
                    function += f", {participant.municipality.name}"
                _el(attendee, "moetedeltakerFunksjon", f"{function} ({participant.get_attendance_display()})")
        summons = _summons_bytes(meeting)
        if summons is not None:
            reg = registration(folder, "summons", f"khs-innkalling-{meeting.pk}", f"Innkalling: {meeting.title}")
            add_document(reg, "summons", f"Innkalling: {meeting.title}", f"{stem}-innkalling.pdf", summons)
        for case in meeting.cases.select_related("body").order_by("agenda_position", "year", "number"):
            title = f"Sak {case.label} {case.title}"
            reg = registration(folder, "case", f"khs-sak-{case.pk}", title, case=case)
            data = documents.case_document_pdf(case)
            add_document(reg, "case", title, f"{stem}-sak-{case.year}-{case.number}.pdf", data)
        if minutes is not None:
            data, record = minutes
            reg = registration(folder, "minutes", f"khs-protokoll-{meeting.pk}", f"Protokoll: {meeting.title}")
            add_document(
                reg, "minutes", f"Protokoll: {meeting.title}", f"{stem}-protokoll.pdf", data, record.document_sha256
            )

    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("arkivstruktur.xml", xml)
        archive.writestr(
            "sha256sums.txt",
            "".join(f"{_sha256(data)}  {path}\n" for path, data in files) + f"{_sha256(xml)}  arkivstruktur.xml\n",
        )
        for path, data in files:
            archive.writestr(path, data)
    return buffer.getvalue()
