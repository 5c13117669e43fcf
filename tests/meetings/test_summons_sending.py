"""Sending the summons: who gets what, once per version; re-sending after a change; supplements; cancellation."""

import email
from email.mime.base import MIMEBase
from email.utils import parseaddr
from smtplib import SMTPRecipientsRefused

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from icalendar import Calendar

from khs.lib.pdf import pdf_text
from khs.models import AuditEntry
from meetings import documents
from meetings.models import Dispatch, DispatchRecipient, Meeting
from meetings.services import summons
from meetings.services.attendance import invitee_answer_url
from tests import factories as f
from tests.meetings.summons_world import invite, seed_000_meeting, squash


class CountingBackend(LocmemBackend):
    """The test mail backend, counting connections and refusing addresses at "feil.example.no"."""

    created = 0

    def __init__(self, *args, **kwargs):
        type(self).created += 1
        super().__init__(*args, **kwargs)

    def send_messages(self, messages):
        for message in messages:
            if any(parseaddr(to)[1].endswith("@feil.example.no") for to in message.to):
                raise SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
        return super().send_messages(messages)


@pytest.fixture
def backend(settings):
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    CountingBackend.created = 0
    return CountingBackend


def attachments(message) -> dict:
    """{file name: (content, content type)} of a message's attachments."""
    found = {}
    for a in message.attachments:
        if isinstance(a, MIMEBase):
            found[a.get_filename()] = (a.get_payload(decode=True), a.get_content_type())
        else:
            found[a[0]] = (a[1], a[2])
    return found


def ics_event(message):
    data = next(content for name, (content, _type) in attachments(message).items() if name.endswith(".ics"))
    cal = Calendar.from_ical(data)
    return cal, next(iter(cal.walk("VEVENT")))


def test_summons_mails_every_invitee_the_pdf_the_invitation_and_their_link(coop, clerk, backend, settings):
    settings.SITE_URL = "https://khs.example.no"
    meeting = seed_000_meeting(coop)
    lier = f.make_invitee(meeting, name="Ordfører i Lier", email="ordforer@lier.example.no")
    gol = f.make_invitee(meeting, name="Ordfører i Gol", email="ordforer@gol.example.no")

    summary = summons.meeting_summon(meeting=meeting, actor=clerk)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SUMMONED
    assert len(mail.outbox) == 2
    assert sorted(parseaddr(m.to[0])[1] for m in mail.outbox) == ["ordforer@gol.example.no", "ordforer@lier.example.no"]
    message = next(m for m in mail.outbox if "lier" in m.to[0])
    assert message.subject == "Innkalling: Ordførermøte i Kommunehelsesamarbeidet (KHS) 15.06.2017"
    assert parseaddr(message.from_email)[0] == "Kommunehelsesamarbeidet i Vestre Viken"
    assert message.reply_to == ["kari@vestregionen.no"]
    assert "Til Ordfører i Lier" in message.body
    assert "Du er innkalt til ordførermøte i Kommunehelsesamarbeidet (KHS)." in message.body
    assert "Tid: Torsdag 15.06.2017 kl. 10–11" in message.body
    assert "Meld deg på eller av innen 4. juni 2017 her:" in message.body
    assert "https://khs.example.no/" in message.body  # the personal link (meeting page until attendance exists)
    html, html_type = message.alternatives[0]
    assert html_type == "text/html" and "Til Ordfører i Lier" in html
    assert message.alternatives[1][1] == "text/calendar; method=REQUEST"

    files = attachments(message)
    pdf, pdf_type = files["innkalling-2017-06-15.pdf"]
    assert pdf_type == "application/pdf"
    text = squash(pdf_text(pdf))
    assert "Innkalling til ordførermøte" in text and "Sak 3/2017 Presentasjon av modell for styringsinformasjon" in text
    cal, event = ics_event(message)
    assert cal["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"{meeting.uid}@khs" and event["SEQUENCE"] == 0
    assert str(event["ATTENDEE"]) == "mailto:ordforer@lier.example.no"

    dispatch = Dispatch.objects.get(meeting=meeting)
    assert dispatch.kind == Dispatch.Kind.SUMMONS and dispatch.sequence == 0 and dispatch.sent_by == clerk
    assert dispatch.document.name.endswith(".pdf") and set(dispatch.cases.all()) == set(meeting.cases.all())
    assert {(r.invitee, r.email, r.channel, r.error) for r in dispatch.recipients.all()} == {
        (lier, "ordforer@lier.example.no", "email", ""),
        (gol, "ordforer@gol.example.no", "email", ""),
    }
    assert len(summary.mailed) == 2 and not summary.to_print and not summary.failed
    entry = AuditEntry.objects.get(verb="meeting_summon")
    assert entry.actor == clerk and entry.cooperation_id == coop.pk
    assert entry.changes == {"status": ["draft", "summoned"]}


def test_summons_is_rendered_once_and_sent_over_one_connection(coop, clerk, backend, monkeypatch):
    meeting = seed_000_meeting(coop)
    invite(meeting, 6)
    renders = []
    real = documents.papers.html_to_pdf_pages
    monkeypatch.setattr(documents.papers, "html_to_pdf_pages", lambda html, **kw: renders.append(1) or real(html, **kw))

    summons.meeting_summon(meeting=meeting, actor=clerk)

    assert len(mail.outbox) == 6
    assert len(renders) == 1
    assert backend.created == 1
    for message in mail.outbox:  # the PDF part is encoded once and shared: every message still carries it
        parsed = email.message_from_bytes(message.message().as_bytes())
        [pdf] = [p for p in parsed.walk() if p.get_content_type() == "application/pdf"]
        assert pdf.get_filename() == "innkalling-2017-06-15.pdf" and pdf.get_payload(decode=True).startswith(b"%PDF-")


def test_invitee_without_an_address_is_listed_for_printing(coop, clerk, backend):
    meeting = f.make_meeting(f.make_body(coop))
    invite(meeting, 2, without_email=1)

    summary = summons.meeting_summon(meeting=meeting, actor=clerk)

    assert len(mail.outbox) == 2
    assert [r.name for r in summary.to_print] == ["Uten e-post 0"]
    assert DispatchRecipient.objects.get(channel="print").name == "Uten e-post 0"


def test_sending_twice_mails_nobody_twice(coop, clerk, backend):
    meeting = f.make_meeting(f.make_body(coop))
    invite(meeting, 2)
    summons.meeting_summon(meeting=meeting, actor=clerk)

    with pytest.raises(summons.MeetingsError):
        summons.meeting_summon(meeting=meeting, actor=clerk)

    assert len(mail.outbox) == 2
    assert Dispatch.objects.count() == 1


def test_an_invitee_added_later_gets_the_summons_alone(coop, clerk, backend):
    meeting = f.make_meeting(f.make_body(coop))
    invite(meeting, 2)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    late = f.make_invitee(meeting, name="Kom til senere", email="senere@example.no")

    summary = summons.meeting_summon(meeting=meeting, actor=clerk)

    assert [r.invitee for r in summary.mailed] == [late]
    assert parseaddr(mail.outbox[-1].to[0])[1] == "senere@example.no" and len(mail.outbox) == 3
    assert AuditEntry.objects.filter(verb="meeting_summon").count() == 2


def test_a_refused_address_is_recorded_and_tried_again_next_time(coop, clerk, backend):
    meeting = f.make_meeting(f.make_body(coop))
    f.make_invitee(meeting, name="Riktig", email="riktig@example.no")
    wrong = f.make_invitee(meeting, name="Feil", email="ordforer@feil.example.no")

    summary = summons.meeting_summon(meeting=meeting, actor=clerk)

    assert [r.invitee for r in summary.failed] == [wrong]
    assert "SMTPRecipientsRefused" in DispatchRecipient.objects.get(invitee=wrong).error
    assert len(mail.outbox) == 1
    wrong.email = "ordforer@gol.example.no"
    wrong.save()
    retry = summons.meeting_summon(meeting=meeting, actor=clerk)
    assert [r.invitee for r in retry.mailed] == [wrong] and len(mail.outbox) == 2


def test_each_mail_carries_the_invitees_own_link_to_answer(coop, clerk, backend, client, settings):
    settings.SITE_URL = "https://khs.example.no"
    meeting = f.make_meeting(f.make_body(coop), title="Ordførermøte")
    first, second = invite(meeting, 2)
    with time_machine.travel(f.aware(2017, 5, 20, 9), tick=False):
        summons.meeting_summon(meeting=meeting, actor=clerk)
        bodies = {parseaddr(m.to[0])[1]: m.body for m in mail.outbox}
        for invitee, other in ((first, second), (second, first)):
            link = invitee_answer_url(invitee)
            assert link.startswith("https://khs.example.no/attend/")
            assert link in bodies[invitee.email] and link not in bodies[other.email]
            page = client.get(link.removeprefix("https://khs.example.no"))
            assert page.status_code == 200 and invitee.name in page.content.decode()


def test_only_a_draft_or_summoned_meeting_with_invitees_can_be_summoned(coop, clerk, backend):
    empty = f.make_meeting(f.make_body(coop))
    with pytest.raises(summons.MeetingsError, match="ingen inviterte"):
        summons.meeting_summon(meeting=empty, actor=clerk)
    held = f.make_meeting(f.make_body(coop), status=Meeting.Status.HELD)
    invite(held, 1)
    with pytest.raises(summons.MeetingsError):
        summons.meeting_summon(meeting=held, actor=clerk)
    assert not mail.outbox and not Dispatch.objects.exists()
    empty.refresh_from_db()
    assert empty.status == Meeting.Status.DRAFT


def test_resending_after_a_change_raises_sequence_and_says_what_changed(coop, clerk, backend):
    meeting = seed_000_meeting(coop)
    invite(meeting, 2, without_email=1)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    meeting.starts_at, meeting.ends_at = f.aware(2017, 6, 15, 12), f.aware(2017, 6, 15, 13)
    meeting.save()
    case = meeting.cases.get(number=2)
    case.proposed_resolution = "<p>Medlemskontingenten fastsettes til kr 3,00 pr innbygger.</p>"
    case.save()
    mail.outbox.clear()

    summary = summons.meeting_summons_resend(meeting=meeting, actor=clerk, change_note="Ny sal i 2. etasje.")

    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert len(mail.outbox) == 2 and len(summary.to_print) == 1
    message = mail.outbox[0]
    assert message.subject.startswith("Endret innkalling: ")
    assert "Innkallingen til ordførermøte i Kommunehelsesamarbeidet (KHS) er endret." in message.body
    assert "Dette er endret:" in message.body
    assert "- Tid endret: Torsdag 15.06.2017 kl. 10–11 → Torsdag 15.06.2017 kl. 12–13" in message.body
    assert "- Saksframlegget er endret: Sak 2/2017 Forslag til kontingent 2018" in message.body
    assert "Ny sal i 2. etasje." in message.body
    _cal, event = ics_event(message)
    assert event["SEQUENCE"] == 1 and str(event["UID"]) == f"{meeting.uid}@khs"
    assert "kr 3,00" in squash(pdf_text(attachments(message)["innkalling-2017-06-15.pdf"][0]))
    update = Dispatch.objects.get(kind=Dispatch.Kind.UPDATE)
    assert update.sequence == 1 and update.note == "Ny sal i 2. etasje." and len(update.changes) == 2
    assert AuditEntry.objects.get(verb="meeting_summons_resend").changes == {"sequence": [0, 1]}


def test_resending_without_any_change_is_refused(coop, clerk, backend):
    meeting = f.make_meeting(f.make_body(coop))
    invite(meeting, 1)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    with pytest.raises(summons.MeetingsError, match="Ingenting er endret"):
        summons.meeting_summons_resend(meeting=meeting, actor=clerk, change_note="  ")
    meeting.refresh_from_db()
    assert meeting.sequence == 0 and len(mail.outbox) == 1


def test_resending_needs_a_summons_sent_first(coop, clerk, backend):
    meeting = f.make_meeting(f.make_body(coop))
    invite(meeting, 1)
    with pytest.raises(summons.MeetingsError):
        summons.meeting_summons_resend(meeting=meeting, actor=clerk, change_note="Endret")
    assert not mail.outbox


def test_supplementary_summons_sends_the_added_cases_and_the_whole_summons_to_newcomers(coop, clerk, backend):
    meeting = seed_000_meeting(coop)
    first = invite(meeting, 2)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    added = f.make_case_row(
        meeting.body,
        4,
        meeting=meeting,
        agenda_position=4,
        title="Budsjett 2018",
        proposed_resolution="<p>Budsjettet godkjennes.</p>",
    )
    newcomer = f.make_invitee(meeting, name="Ny ordfører", email="ny@example.no")
    mail.outbox.clear()

    summary = summons.meeting_supplementary_summon(meeting=meeting, actor=clerk)

    meeting.refresh_from_db()
    assert meeting.sequence == 1
    by_address = {parseaddr(m.to[0])[1]: m for m in mail.outbox}
    assert set(by_address) == {i.email for i in first} | {"ny@example.no"}
    supplement = by_address[first[0].email]
    assert supplement.subject.startswith("Tilleggsinnkalling: ")
    text = squash(pdf_text(attachments(supplement)["tilleggsinnkalling-2017-06-15.pdf"][0]))
    assert "Sak 4/2017 Budsjett 2018" in text and "Sak 1/2017" not in text
    whole = by_address["ny@example.no"]
    assert whole.subject.startswith("Innkalling: ")
    whole_text = squash(pdf_text(attachments(whole)["innkalling-2017-06-15.pdf"][0]))
    assert "Sak 1/2017" in whole_text and "Sak 4/2017 Budsjett 2018" in whole_text
    kinds = {d.kind: d for d in summary.dispatches}
    assert list(kinds[Dispatch.Kind.SUPPLEMENTARY].cases.all()) == [added]
    assert [r.invitee for r in kinds[Dispatch.Kind.SUMMONS].recipients.all()] == [newcomer]
    with pytest.raises(summons.MeetingsError, match="Ingen nye saker"):
        summons.meeting_supplementary_summon(meeting=meeting, actor=clerk)


def test_cancellation_goes_to_everyone_summoned_once_with_method_cancel(coop, clerk, backend):
    meeting = seed_000_meeting(coop)
    summoned = invite(meeting, 2, without_email=1)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    never_summoned = f.make_invitee(meeting, name="Aldri innkalt", email="aldri@example.no")
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)  # as meeting_cancel does
    mail.outbox.clear()

    summary = summons.meeting_cancel_notify(meeting=meeting, actor=clerk, reason="For få kunne komme.")

    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert {parseaddr(m.to[0])[1] for m in mail.outbox} == {summoned[0].email, summoned[1].email}
    assert never_summoned.email not in {parseaddr(m.to[0])[1] for m in mail.outbox}
    message = mail.outbox[0]
    assert message.subject.startswith("Avlyst: ")
    assert "Begrunnelse: For få kunne komme." in message.body
    assert message.alternatives[1][1] == "text/calendar; method=CANCEL"
    cal, event = ics_event(message)
    assert cal["METHOD"] == "CANCEL" and str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 1
    assert [r.name for r in summary.to_print] == ["Uten e-post 0"]
    assert "Avlysning" in squash(pdf_text(attachments(message)["avlysning-2017-06-15.pdf"][0]))

    again = summons.meeting_cancel_notify(meeting=meeting, actor=clerk, reason="")
    assert not again.dispatches and len(mail.outbox) == 2
    assert AuditEntry.objects.filter(verb="meeting_cancel_notify").count() == 1


def test_cancel_notice_needs_a_cancelled_meeting_and_sends_nothing_when_nobody_was_summoned(coop, clerk, backend):
    meeting = f.make_meeting(f.make_body(coop))
    invite(meeting, 1)
    with pytest.raises(summons.MeetingsError, match="ikke avlyst"):
        summons.meeting_cancel_notify(meeting=meeting, actor=clerk)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    summary = summons.meeting_cancel_notify(meeting=meeting, actor=clerk)
    assert not summary.dispatches and not mail.outbox
    meeting.refresh_from_db()
    assert meeting.sequence == 0


def test_mail_of_a_nynorsk_body_is_in_nynorsk(coop, clerk, backend):
    body = f.make_body(coop, language="nn", name="Regionrådet for Hallingdal")
    meeting = f.make_meeting(body, title="Regionrådsmøte")
    invite(meeting, 1)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    message = mail.outbox[0]
    assert "Du er kalla inn til regionrådsmøte." in message.body
    assert "Meld deg på eller av innan 4. juni 2017 her:" in message.body
    assert "Med venleg helsing" in message.body
    assert "Stad: Elvebakken gård" in message.body
    assert "Saker til handsaming" in pdf_text(attachments(message)["innkalling-2017-06-15.pdf"][0])


def test_changes_are_described_in_the_documents_language(coop):
    body = f.make_body(coop, language="nn")
    meeting = f.make_meeting(body, title="Regionrådsmøte")
    kept = f.make_case_row(body, 1, meeting=meeting, title="Står")
    dropped = f.make_case_row(body, 2, meeting=meeting, title="Trekt sak")
    before = documents.meeting_snapshot(meeting, [kept, dropped], "nn")
    meeting.place_name, meeting.place_address = "Gol rådhus", ""
    meeting.registration_deadline = None
    added = f.make_case_row(body, 3, meeting=meeting, title="Ny")
    after = documents.meeting_snapshot(meeting, [kept, added], "nn")
    assert documents.describe_changes(before, after, "nn") == [
        "Stad endra: Elvebakken gård, Heggeveien 5, 3403 Lier → Gol rådhus",
        "Påmeldingsfrist endra: 4. juni 2017 → ingen",
        "Ny sak: Sak 3/2017 Ny",
        "Sak teken av sakslista: Sak 2/2017 Trekt sak",
    ]
    assert documents.describe_changes({}, after, "nn") == []


def test_a_malformed_address_is_recorded_as_failed_and_the_rest_are_sent(coop, clerk, backend):
    meeting = f.make_meeting(f.make_body(coop))
    good = f.make_invitee(meeting, name="God", email="god@example.no")
    bad = f.make_invitee(meeting, name="Ugyldig", email="ikke en adresse")
    summary = summons.meeting_summon(meeting=meeting, actor=clerk)
    assert [r.invitee for r in summary.mailed] == [good] and [r.invitee for r in summary.failed] == [bad]
    assert len(mail.outbox) == 1


@pytest.mark.postgres
@pytest.mark.skipif(
    "postgresql" not in __import__("django.conf").conf.settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL: real parallel transactions",
)
@pytest.mark.django_db(transaction=True)
def test_two_clerks_sending_at_once_mail_nobody_twice(coop, clerk):
    import threading

    from django.db import connection

    meeting = f.make_meeting(f.make_body(coop))
    invite(meeting, 3)
    start = threading.Barrier(2)
    outcomes = []

    def send():
        try:
            start.wait()
            summary = summons.meeting_summon(meeting=Meeting.objects.get(pk=meeting.pk), actor=clerk)
            outcomes.append(len(summary.mailed))
        except summons.MeetingsError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes, key=str) == [3, "refused"]
    assert len(mail.outbox) == 3
    assert Dispatch.objects.filter(meeting=meeting).count() == 1


def test_a_late_invitee_neither_hides_changes_nor_new_cases_from_the_others(coop, clerk, backend):
    meeting = seed_000_meeting(coop)
    first = invite(meeting, 2)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    meeting.place_name = "Lier rådhus"
    meeting.save()
    f.make_case_row(meeting.body, 4, meeting=meeting, agenda_position=4, title="Budsjett 2018")
    late = f.make_invitee(meeting, name="Sen", email="sen@example.no")
    summons.meeting_summon(meeting=meeting, actor=clerk)  # the newcomer gets today's summons
    assert "Sak 4/2017 Budsjett 2018" in squash(pdf_text(attachments(mail.outbox[-1])["innkalling-2017-06-15.pdf"][0]))

    supplement = summons.meeting_supplementary_summon(meeting=meeting, actor=clerk)
    assert {r.invitee for r in supplement.mailed} == set(first)  # the newcomer already has case 4
    mail.outbox.clear()
    update = summons.meeting_summons_resend(meeting=meeting, actor=clerk, change_note="")
    assert {r.invitee for r in update.mailed} == {*first, late}
    old_place = "Elvebakken gård, Svensfjøsset, Heggeveien 5, 3403 Lier"
    new_place = "Lier rådhus, Heggeveien 5, 3403 Lier"
    assert f"- Sted endret: {old_place} → {new_place}" in mail.outbox[0].body
    assert "Budsjett" not in mail.outbox[0].body  # already told by the supplementary summons
    _cal, event = ics_event(mail.outbox[0])
    assert "Sted endret" in str(event["DESCRIPTION"])


def test_cancel_notice_after_meeting_cancel_keeps_its_sequence_and_reason(coop, clerk, backend):
    from meetings.services import meeting_cancel

    meeting = f.make_meeting(f.make_body(coop))
    invite(meeting, 1)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    meeting = meeting_cancel(meeting=meeting, actor=clerk, reason="Sammenfaller med kommunestyremøter.")
    assert meeting.sequence == 1  # raised by meeting_cancel itself

    summons.meeting_cancel_notify(meeting=meeting, actor=clerk)

    meeting.refresh_from_db()
    assert meeting.sequence == 1  # not raised twice
    _cal, event = ics_event(mail.outbox[-1])
    assert event["SEQUENCE"] == 1 and str(event["STATUS"]) == "CANCELLED"
    assert "Begrunnelse: Sammenfaller med kommunestyremøter." in mail.outbox[-1].body


def test_cancelling_a_summoned_meeting_on_its_page_tells_every_invitee_once(client, coop, clerk, backend):
    meeting = f.make_meeting(f.make_body(coop))
    invite(meeting, 2)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    mail.outbox.clear()
    client.force_login(clerk)

    response = client.post(f"/meetings/{meeting.pk}/cancel/", {"reason": "Flyttes til høsten."})

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert sorted(parseaddr(m.to[0])[1] for m in mail.outbox) == sorted(i.email for i in meeting.invitees.all())
    _cal, event = ics_event(mail.outbox[0])
    assert str(event["STATUS"]) == "CANCELLED"
    assert "Flyttes til høsten." in mail.outbox[0].body
    summons.meeting_cancel_notify(meeting=meeting, actor=clerk)  # the panel's button afterwards
    assert len(mail.outbox) == 2  # nobody is told twice
