"""Melding om vedtak (særutskrift), weighted votes per municipality, and the body's minutes settings."""

from decimal import Decimal
from email.utils import parseaddr

import pytest
from django.core import mail

from khs.lib.pdf import pdf_text
from khs.models import AuditEntry
from meetings.errors import MeetingsError
from meetings.models import DecisionExtractRecipient, MinutesItem, MinutesSettings
from meetings.services import minutes as svc
from tests.meetings.minutes_world import item, participant

pytestmark = pytest.mark.django_db
D = MinutesItem.Decision


def test_each_member_municipality_gets_the_one_case_extract(held, clerk, django_capture_on_commit_callbacks):
    minutes = held["minutes"]
    svc.minutes_item_update(item=item(minutes, 1), actor=clerk, version=1, decision=D.UNANIMOUS)
    with django_capture_on_commit_callbacks(execute=True):
        extract = svc.case_extract_send(item=item(minutes, 1), actor=clerk)
    recipients = {r.municipality.name: r.channel for r in extract.recipients.all()}
    # Every member municipality; each has its representative's address at the meeting.
    assert recipients == {"Lier": "email", "Drammen": "email", "Gol": "email", "Hol": "email"}
    assert len(mail.outbox) == 4 and mail.outbox[0].subject == "Melding om vedtak: sak 1/2017 Videreføring"
    cooperation = held["minutes"].meeting.body.cooperation
    assert parseaddr(mail.outbox[0].from_email) == (cooperation.name, "khs@localhost")
    assert mail.outbox[0].reply_to == [cooperation.contact_email]
    name, data, mimetype = mail.outbox[0].attachments[0]
    assert mimetype == "application/pdf" and name.endswith(".pdf")
    text = " ".join(pdf_text(data).split())
    assert "Særutskrift" in text and "Sak 1/2017 Videreføring" in text and "Sak 2/2017" not in text
    assert "Samarbeidet videreføres til sommeren 2018." in text
    assert AuditEntry.objects.filter(verb="case_extract_send").exists()


def test_an_extract_needs_a_decided_case(held, clerk):
    with pytest.raises(MeetingsError, match="behandlet"):
        svc.case_extract_send(item=item(held["minutes"], 1), actor=clerk)
    assert not DecisionExtractRecipient.objects.exists() and not mail.outbox


def test_weighted_votes_per_municipality_decide_and_are_printed(held, clerk):
    body, m = held["body"], held["municipalities"]
    svc.body_minutes_settings_set(
        actor=clerk,
        body=body,
        approval_mode="signed",
        weighted_votes=True,
        weights={m["lier"]: "0.5", m["drammen"]: "0.2", m["gol"]: "0.3"},
    )
    assert MinutesSettings.objects.get(body=body).weighted_votes
    minutes = held["minutes"]
    lier, drammen, gol = (
        participant(minutes, n) for n in ("Ordfører i Lier", "Ordfører i Drammen", "Varaordfører i Gol")
    )
    # By head count 2 against 1 for, but by weight 0.5 for and 0.5 against: no majority.
    with pytest.raises(MeetingsError, match="flertall"):
        svc.minutes_item_update(
            item=item(minutes, 1),
            actor=clerk,
            version=1,
            decision=D.VOTE,
            vote_mode="municipalities",
            named_votes={lier.pk: "for", drammen.pk: "against", gol.pk: "against"},
        )
    one = svc.minutes_item_update(
        item=item(minutes, 1),
        actor=clerk,
        version=1,
        decision=D.VOTE,
        vote_mode="municipalities",
        named_votes={lier.pk: "for", drammen.pk: "against", gol.pk: "for"},
    )
    assert sorted(v.weight for v in one.votes.all()) == [Decimal("0.2"), Decimal("0.3"), Decimal("0.5")]
    from meetings.documents.minutes import minutes_pdf

    text = " ".join(pdf_text(minutes_pdf(minutes)).split())
    assert "Vektet: for 0.8, mot 0.2." in text and "Lier: Ordfører i Lier – for (vekt 0.5)" in text


def test_a_municipality_votes_once(held, clerk):
    minutes = held["minutes"]
    gol_deputy = participant(minutes, "Varaordfører i Gol")
    extra = svc.minutes_participant_add(
        minutes=minutes,
        actor=clerk,
        version=1,
        name="Rådmann i Gol",
        role="member",
        municipality=held["municipalities"]["gol"],
    )
    with pytest.raises(MeetingsError, match="én stemme"):
        svc.minutes_item_update(
            item=item(minutes, 1),
            actor=clerk,
            version=2,
            decision=D.VOTE,
            vote_mode="municipalities",
            named_votes={gol_deputy.pk: "for", extra.pk: "for"},
        )


def test_unknown_approval_mode_is_refused(held, clerk):
    with pytest.raises(MeetingsError):
        svc.body_minutes_settings_set(actor=clerk, body=held["body"], approval_mode="telepathy")
    assert not MinutesSettings.objects.exists()


def test_a_nynorsk_body_gets_a_nynorsk_extract_and_mail_while_the_clerk_works_in_english(
    held, clerk, django_capture_on_commit_callbacks
):
    from django.utils import translation

    body = held["body"]
    body.language = "nn"
    body.save()
    minutes = held["minutes"]
    svc.minutes_item_update(item=item(minutes, 1), actor=clerk, version=1, decision=D.UNANIMOUS)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        svc.case_extract_send(item=item(minutes, 1), actor=clerk)
    message = mail.outbox[0]
    assert message.subject == "Melding om vedtak: sak 1/2017 Videreføring"
    assert "Ordførermøtet handsama sak 1/2017 Videreføring" in message.body and "Med venleg helsing" in message.body
    text = " ".join(pdf_text(message.attachments[0][1]).split())
    for words in (
        "Særutskrift",
        "Protokoll frå",
        "Stad:",
        "Sak 1/2017 Videreføring",
        "Handsaming",
        "Samrøystes vedteke.",
    ):
        assert words in text, words
    for english in ("Extract", "Minutes of", "Place:", "Proceedings", "Adopted unanimously", "Case 1/2017"):
        assert english not in text, english
