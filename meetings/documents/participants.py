"""The participant list of a meeting: a PDF to sign at the door, and a CSV for a spreadsheet."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from khs.lib import dates
from khs.lib.pdf import render_pdf
from khs.lib.spreadsheet import SafeCsvWriter
from meetings.documents.papers import document_language
from meetings.models import Invitee
from meetings.selectors.attendance import AttendanceOverview

Response = Invitee.Response


def sign_in_rows(overview: AttendanceOverview) -> tuple[list[Invitee], list[Invitee]]:
    """(who is expected at the door, who has sent their apologies): each member or the deputy in their place;
    those who have not answered are on the list too, marked."""
    expected, absent = [], []
    for row in overview.rows:
        invitee, deputy = row.invitee, row.deputy
        if invitee.response in (Response.ATTENDING, Response.PENDING):
            expected.append(invitee)
        elif invitee.response == Response.DEPUTY and deputy is not None and deputy.response != Response.ABSENT:
            expected.append(deputy)
        else:
            absent.append(invitee)
    return expected, absent


def participant_list_pdf(overview: AttendanceOverview) -> bytes:
    meeting = overview.meeting
    lang = document_language(meeting)
    expected, absent = sign_in_rows(overview)
    return render_pdf(
        "meetings/attendance_participants_pdf.html",
        {
            "meeting": meeting,
            "cooperation": meeting.body.cooperation,
            "expected": expected,
            # "Påmeldt": only those who said they come (themselves or their deputy), not those yet to answer.
            "registered": sum(1 for i in expected if i.response == Response.ATTENDING),
            "absent": absent,
            "meeting_time": dates.format_meeting_time(meeting.starts_at, meeting.ends_at, lang),
            "printed": dates.format_date(timezone.now()),
        },
        lang=lang,
    )


def participant_list_csv(overview: AttendanceOverview) -> bytes:
    """Everyone invited, each deputy after the one they represent; UTF-8 with BOM and semicolons (Excel)."""
    out = io.StringIO()
    writer = SafeCsvWriter(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Kommunenummer"),
            _("Kommune"),
            _("Navn"),
            _("E-post"),
            _("Rolle"),
            _("Svar"),
            _("Stedfortreder for"),
            _("Merknad"),
            _("Svart"),
            _("Registrert av sekretariatet"),
            _("Til stede"),
        ]
    )
    by_pk = {i.pk: i for i in overview.invitees}
    for invitee in overview.invitees:
        municipality = invitee.municipality
        represented = by_pk.get(invitee.deputy_for_id)
        writer.writerow(
            [
                municipality.number if municipality else "",
                municipality.name if municipality else "",
                invitee.name,
                invitee.email,
                _("Gjest") if invitee.is_guest else invitee.role,
                invitee.get_response_display(),
                represented.name if represented else "",
                invitee.response_note,
                f"{dates.format_date(invitee.responded_at)} {dates.format_time(invitee.responded_at)}"
                if invitee.responded_at
                else "",
                _("ja") if invitee.responded_by_clerk else "",
                {True: _("ja"), False: _("nei"), None: ""}[invitee.present],
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
