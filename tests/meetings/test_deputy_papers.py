"""The papers from the link: the answer page has the summons, each case document and the attachments; a deputy's
mail carries the summons PDF and the calendar entry like the mayor's; a withdrawn deputy gets a cancellation."""

from email.mime.base import MIMEBase

import icalendar
import pytest
from django.core import mail

from khs.lib.pdf import pdf_text
from meetings import services
from meetings.models import Invitee
from meetings.services import attendance
from meetings.services.attendance import invitee_answer_token

pytestmark = pytest.mark.usefixtures("before_deadline")


def _path(invitee):
    return "/attend/" + invitee_answer_token(invitee) + "/"


def _parts(message) -> dict:
    """{file name: (content, content type)}; a file shared from storage (the summons PDF) is a MIME part."""
    found = {}
    for a in message.attachments:
        if isinstance(a, MIMEBase):
            found[a.get_filename()] = (a.get_payload(decode=True), a.get_content_type())
        else:
            found[a[0]] = (a[1], a[2])
    return found


def test_the_answer_page_links_the_summons_and_each_case_document(client, invitees, attendance_meeting, clerk):
    case = services.case_register(
        body=attendance_meeting.body, meeting=attendance_meeting, actor=clerk, title="Kontingent 2018"
    )
    path = _path(invitees["lier"])
    page = client.get(path).content.decode()
    assert f'href="{path}documents/summons.pdf"' in page
    assert f'href="{path}documents/case-{case.pk}.pdf"' in page
    summons = client.get(f"{path}documents/summons.pdf")
    assert summons["Content-Type"] == "application/pdf" and "Kontingent 2018" in pdf_text(summons.content)
    document = client.get(f"{path}documents/case-{case.pk}.pdf")
    assert document.status_code == 200 and "Kontingent 2018" in pdf_text(document.content)


def test_a_case_document_of_another_meeting_is_not_served_by_the_link(client, invitees, other_coop_case):
    path = _path(invitees["lier"])
    assert client.get(f"{path}documents/case-{other_coop_case.pk}.pdf").status_code == 404


def test_a_deputys_invitation_carries_the_summons_pdf_and_the_calendar_entry(client, invitees, attendance_meeting):
    client.post(_path(invitees["lier"]), {"response": "deputy", "deputy_name": "Per Vara", "deputy_email": "per@x.no"})
    invitation = next(m for m in mail.outbox if m.to == ["per@x.no"])
    parts = _parts(invitation)
    pdf_name = next(name for name in parts if name.endswith(".pdf"))
    assert "Innkalling til ordførermøte" in pdf_text(parts[pdf_name][0])  # the title, mid-sentence
    ics, mimetype = parts["mote.ics"]
    assert "method=REQUEST" in mimetype
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(event["UID"]) == f"{attendance_meeting.uid}@khs" and "per@x.no" in str(event["ATTENDEE"])


def test_the_deputys_summons_is_the_same_pdf_the_link_serves(client, invitees, attendance_meeting):
    client.post(_path(invitees["lier"]), {"response": "deputy", "deputy_name": "Per Vara", "deputy_email": "per@x.no"})
    invitation = next(m for m in mail.outbox if m.to == ["per@x.no"])
    attached = next(content for name, (content, _type) in _parts(invitation).items() if name.endswith(".pdf"))
    deputy = Invitee.objects.get(deputy_for=invitees["lier"])
    served = client.get(_path(deputy) + "documents/summons.pdf").content
    assert attached == served  # one stored version, not two renders


def test_a_deputy_withdrawn_before_the_worker_ran_gets_no_invitation(invitees, attendance_meeting, monkeypatch):
    from types import SimpleNamespace

    from meetings import tasks

    queued = []  # the worker is late: the task is held back while the mayor changes their mind
    monkeypatch.setattr(tasks, "deputy_invitation_send", SimpleNamespace(enqueue=queued.append))
    attendance.attendance_answer(
        actor=None, invitee=invitees["lier"], response="deputy", deputy_name="Per Vara", deputy_email="per@x.no"
    )
    attendance.attendance_answer(actor=None, invitee=invitees["lier"], response="attending")
    mail.outbox.clear()
    assert attendance.deputy_invitation_queue(deputy_id=queued[0]) is None
    assert not [m for m in mail.outbox if m.to == ["per@x.no"]]


def test_a_withdrawn_deputy_gets_a_calendar_cancellation(client, invitees, attendance_meeting):
    path = _path(invitees["lier"])
    client.post(path, {"response": "deputy", "deputy_name": "Per Vara", "deputy_email": "per@x.no"})
    mail.outbox.clear()
    client.post(path, {"response": "attending"})
    assert not Invitee.objects.filter(deputy_for=invitees["lier"]).exists()
    withdrawn = next(m for m in mail.outbox if m.to == ["per@x.no"])
    ics, mimetype = _parts(withdrawn)["mote.ics"]
    calendar = icalendar.Calendar.from_ical(ics)
    assert "method=CANCEL" in mimetype and str(calendar["METHOD"]) == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["UID"]) == f"{attendance_meeting.uid}@khs"
