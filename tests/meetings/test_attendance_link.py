"""The personal answer link: it answers only for its own invitee and meeting, and fails clearly otherwise."""

import base64
import json

import pytest
from django.core import signing

from khs.models import AuditEntry
from meetings.models import Invitee, Meeting
from meetings.services.attendance import LINK_SALT, invitee_answer_token, invitee_answer_url
from tests import factories as f

pytestmark = pytest.mark.usefixtures("before_deadline")


def _path(invitee):
    return "/attend/" + invitee_answer_token(invitee) + "/"


def test_link_is_absolute_on_the_site_address_and_opens_the_invitees_page(client, invitees, settings):
    settings.SITE_URL = "https://khs.example.no"
    url = invitee_answer_url(invitees["lier"])
    assert url.startswith("https://khs.example.no/attend/")
    response = client.get(url.removeprefix("https://khs.example.no"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ordfører i Lier" in page
    assert "Ordfører i Drammen" not in page and "Ordfører i Gol" not in page
    assert "no-store" in response["Cache-Control"]


def test_links_of_two_invitees_differ_and_cannot_be_guessed_from_each_other(invitees):
    lier, drammen = invitee_answer_token(invitees["lier"]), invitee_answer_token(invitees["drammen"])
    assert lier != drammen
    assert len(lier.rsplit(":", 1)[1]) >= 27  # an HMAC signature, not a counter


def test_tampered_link_gives_a_clear_page_that_names_nobody(client, invitees):
    token = invitee_answer_token(invitees["lier"])
    payload, signature = token.split(":", 1)
    # Swap the invitee id in the payload for Drammen's, keep Lier's signature.
    forged = (
        base64.urlsafe_b64encode(
            json.dumps(
                {"i": invitees["drammen"].pk, "m": invitees["drammen"].meeting_id}, separators=(",", ":")
            ).encode()
        )
        .decode()
        .rstrip("=")
    )
    for bad in (f"{forged}:{signature}", token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "nonsense"):
        response = client.get(f"/attend/{bad}/")
        assert response.status_code == 403
        page = response.content.decode()
        assert "Lenken virker ikke" in page
        assert "Ordfører" not in page


def test_tampered_link_cannot_answer(client, invitees):
    token = invitee_answer_token(invitees["lier"])
    response = client.post(f"/attend/{token[:-1]}x/", {"response": "attending"})
    assert response.status_code == 403
    assert not Invitee.objects.exclude(response="pending").exists()
    assert not AuditEntry.objects.filter(verb="attendance_answer").exists()


def test_link_signed_with_another_salt_is_refused(client, invitees):
    other = signing.dumps({"i": invitees["lier"].pk, "m": invitees["lier"].meeting_id}, salt="something-else")
    assert client.get(f"/attend/{other}/").status_code == 403
    assert LINK_SALT != "something-else"


def test_link_of_one_meeting_does_not_reach_an_invitee_of_another(client, invitees, attendance_body):
    other_meeting = f.make_meeting(attendance_body, status=Meeting.Status.SUMMONED)
    # A correctly signed payload pairing Lier's invitee with another meeting (never issued) finds nobody.
    token = signing.dumps({"i": invitees["lier"].pk, "m": other_meeting.pk}, salt=LINK_SALT)
    response = client.get(f"/attend/{token}/")
    assert response.status_code == 410
    assert "Ordfører i Lier" not in response.content.decode()


def test_link_stops_working_when_the_meeting_is_over(client, invitees, time_machine):
    path = _path(invitees["lier"])
    time_machine.move_to(f.aware(2017, 6, 15, 10, 59), tick=False)
    assert client.get(path).status_code == 200  # still running: the page shows that the deadline has passed
    time_machine.move_to(f.aware(2017, 6, 15, 11, 0), tick=False)
    response = client.get(path)
    assert response.status_code == 410
    assert "Møtet er over" in response.content.decode()
    assert "Ordfører i Lier" not in response.content.decode()
    assert client.post(path, {"response": "attending"}).status_code == 410
    assert Invitee.objects.get(pk=invitees["lier"].pk).response == "pending"


def test_without_an_end_time_the_link_lasts_a_day_after_the_start(client, invitees, attendance_meeting, time_machine):
    Meeting.objects.filter(pk=attendance_meeting.pk).update(ends_at=None)
    path = _path(invitees["lier"])
    time_machine.move_to(f.aware(2017, 6, 16, 9, 59), tick=False)
    assert client.get(path).status_code == 200
    time_machine.move_to(f.aware(2017, 6, 16, 10, 0), tick=False)
    assert client.get(path).status_code == 410


def test_link_of_a_cancelled_meeting_says_so(client, invitees, attendance_meeting):
    Meeting.objects.filter(pk=attendance_meeting.pk).update(status=Meeting.Status.CANCELLED)
    response = client.get(_path(invitees["lier"]))
    assert response.status_code == 410
    assert "Møtet er avlyst" in response.content.decode()


def test_link_of_a_withdrawn_deputy_no_longer_works(client, invitees, deputy_mayor):
    lier = invitees["lier"]
    client.post(_path(lier), {"response": "deputy", "deputy_person": deputy_mayor.pk})
    deputy = Invitee.objects.get(deputy_for=lier)
    deputy_path = _path(deputy)
    assert client.get(deputy_path).status_code == 200
    client.post(_path(lier), {"response": "attending"})
    response = client.get(deputy_path)
    assert response.status_code == 410
    assert "Lenken gjelder ikke lenger" in response.content.decode()
    assert "Varaordfører" not in response.content.decode()


def test_link_page_refuses_other_methods(client, invitees):
    assert client.put(_path(invitees["lier"])).status_code == 405


def test_documents_are_reached_only_for_the_links_own_meeting(client, invitees, attendance_meeting, attendance_body):
    from django.core.files.base import ContentFile

    from meetings.models import CaseAttachment

    def attachment(meeting, number, text):
        case = f.make_case_row(attendance_body, number, meeting=meeting)
        return CaseAttachment.objects.create(
            case=case,
            file=ContentFile(text.encode(), name="vedlegg.txt"),
            title=f"Vedlegg {number}",
            content_type="text/plain",
            size=len(text),
            sha256="0" * 64,
            uploaded_at=f.aware(2017, 5, 1),
        )

    ours = attachment(attendance_meeting, 1, "vårt vedlegg")
    theirs = attachment(f.make_meeting(attendance_body), 2, "et annet møtes vedlegg")
    path = _path(invitees["lier"])
    page = client.get(path).content.decode()
    assert "Sak 1/2017" in page and "Vedlegg 1" in page
    response = client.get(f"{path}documents/{ours.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == "vårt vedlegg"
    assert client.get(f"{path}documents/{theirs.pk}/").status_code == 404
    assert client.get(f"/attend/bad-token/documents/{ours.pk}/").status_code == 403
