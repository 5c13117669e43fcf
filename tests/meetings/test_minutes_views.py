"""The minutes pages: the clerk's draft, saving each part, approval, the signers' link, the PDF (nb and nn)."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from khs.lib.pdf import pdf_text
from meetings.models import Meeting, Minutes, MinutesItem
from meetings.services import minutes as svc
from tests import factories as f
from tests.meetings.minutes_world import item, participant

pytestmark = pytest.mark.django_db
D = MinutesItem.Decision


def _url(name, minutes, *args):
    return reverse(f"meetings:{name}", args=[minutes.meeting.pk, *args])


def test_the_clerk_starts_the_minutes_from_a_held_meeting(clerk_client, coop):
    meeting = f.make_meeting(f.make_body(coop), status=Meeting.Status.HELD)
    page = clerk_client.get(reverse("meetings:minutes_detail", args=[meeting.pk]))
    assert "Skriv protokollen" in page.text
    response = clerk_client.post(reverse("meetings:minutes_start", args=[meeting.pk]))
    assert response.status_code == 302 and Minutes.objects.filter(meeting=meeting).exists()
    assert clerk_client.get(reverse("meetings:minutes_start", args=[meeting.pk])).status_code == 405


def test_other_users_cannot_see_or_start_the_minutes(client, other_clerk, mayor_client, held):
    minutes = held["minutes"]
    assert Client().get(_url("minutes_detail", minutes)).status_code == 302  # to the sign-in page
    assert mayor_client.get(_url("minutes_detail", minutes)).status_code == 403
    client.force_login(other_clerk)
    assert client.get(_url("minutes_detail", minutes)).status_code == 404
    assert client.post(_url("minutes_header", minutes), {"version": 1}).status_code == 404
    assert client.get(_url("minutes_pdf", minutes)).status_code == 404


def test_the_draft_page_shows_who_met_and_each_case(clerk_client, held, django_assert_max_num_queries):
    minutes = held["minutes"]
    with django_assert_max_num_queries(40):
        page = clerk_client.get(_url("minutes_detail", minutes))
    assert page.status_code == 200
    for text in ("Varaordfører i Gol", "Meldt forfall", "Sak 1/2017", "Vedtaksført: 3 av 3 som kreves.", "Utkast"):
        assert text in page.text, text


def test_recording_a_vote_by_municipality(clerk_client, held):
    minutes = held["minutes"]
    one = item(minutes, 1)
    lier, gol = participant(minutes, "Ordfører i Lier"), participant(minutes, "Varaordfører i Gol")
    p = f"item{one.pk}-"
    response = clerk_client.post(
        _url("minutes_item", minutes, one.pk),
        {
            p + "version": 1,
            p + "resolution": "<p>Samarbeidet videreføres.</p>",
            p + "decision": "vote",
            p + "vote_mode": "municipalities",
            p + f"vote_{lier.pk}": "for",
            p + f"vote_{gol.pk}": "against",
            p + f"vote_{participant(minutes, 'Ordfører i Drammen').pk}": "for",
        },
        follow=True,
    )
    assert "1/2017 er lagret." in response.text, re.findall(r'role="alert"[^<]*<[^<]*', response.text)
    one.refresh_from_db()
    assert (one.decision, one.votes_for, one.votes_against, one.resolution) == (
        "vote",
        2,
        1,
        "<p>Samarbeidet videreføres.</p>",
    )


def test_votes_above_those_entitled_are_shown_and_change_nothing(clerk_client, held):
    minutes = held["minutes"]
    one = item(minutes, 1)
    p = f"item{one.pk}-"
    response = clerk_client.post(
        _url("minutes_item", minutes, one.pk),
        {p + "version": 1, p + "decision": "vote", p + "vote_mode": "counts", p + "votes_for": 5},
        follow=True,
    )
    assert "Stemmene (5) er flere enn de 3 som kan stemme i saken." in response.text
    one.refresh_from_db()
    assert one.decision == "" and one.votes_for is None


def test_a_stale_save_is_shown_and_changes_nothing(clerk_client, held, clerk):
    minutes = held["minutes"]
    svc.minutes_update(minutes=minutes, actor=clerk, version=1, chair_name="Ordfører i Lier")
    response = clerk_client.post(
        _url("minutes_header", minutes),
        {"version": 1, "started_at": "2017-06-15T10:00", "chair_name": "Noen andre"},
        follow=True,
    )
    assert "Noen andre har lagret protokollen" in response.text
    minutes.refresh_from_db()
    assert minutes.chair_name == "Ordfører i Lier"


def test_submitting_an_empty_draft_is_refused(clerk_client, held):
    minutes = held["minutes"]
    lier = participant(minutes, "Ordfører i Lier")
    response = clerk_client.post(_url("minutes_submit", minutes), {"version": 1, "signers": [lier.pk]}, follow=True)
    assert "Behandlingen mangler i sak 1/2017, 2/2017." in response.text
    assert Minutes.objects.get(pk=minutes.pk).status == "draft" and not mail.outbox


def _decided(minutes, clerk):
    for number in (1, 2):
        minutes.refresh_from_db()
        svc.minutes_item_update(item=item(minutes, number), actor=clerk, version=minutes.version, decision=D.UNANIMOUS)
    minutes.refresh_from_db()
    return minutes


def test_the_signers_link_signs_once_and_approves(
    clerk_client, client, held, clerk, django_capture_on_commit_callbacks
):
    minutes = _decided(held["minutes"], clerk)
    lier = participant(minutes, "Ordfører i Lier")
    with django_capture_on_commit_callbacks(execute=True):
        clerk_client.post(_url("minutes_submit", minutes), {"version": minutes.version, "signers": [lier.pk]})
    link = re.search(r"(http\S+/sign/\S+/)", mail.outbox[0].body).group(1)
    path = link.split("8000", 1)[-1] if "8000" in link else link
    page = client.get(path)
    assert page.status_code == 200 and "Du signerer som Ordfører i Lier." in page.text
    response = client.post(path, {"action": "sign"}, follow=True)
    assert "Takk. Du har signert protokollen." in response.text and "Protokollen er godkjent." in response.text
    assert Minutes.objects.get(pk=minutes.pk).is_approved
    again = client.post(path, {"action": "sign"}, follow=True)
    assert "Protokollen er allerede godkjent." in again.text
    foreign = client.get(path.replace(f"/minutes/{minutes.pk}/", f"/minutes/{minutes.pk + 7}/"))
    assert foreign.status_code == 404 and "Lenken gjelder en annen protokoll." in foreign.text
    case_page = clerk_client.get(held["cases"][0].get_absolute_url())
    assert "Vedtatt" in case_page.text and "Samarbeidet videreføres til sommeren 2018." in case_page.text
    body_page = clerk_client.get(reverse("meetings:body_detail", args=[held["body"].pk]))
    assert "Tatt til orientering" in body_page.text and "Videreføring" in body_page.text


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("nb", ["Protokoll fra", "Til stede", "Meldt forfall", "Informasjonen tas til orientering.", "UTKAST"]),
        ("nn", ["Protokoll frå", "Til stades", "Meldt forfall", "Informasjonen vert teken til orientering.", "UTKAST"]),
    ],
)
def test_the_pdf_reads_back_in_the_bodys_language(clerk_client, held, clerk, lang, expected):
    body = held["body"]
    body.language = lang
    body.save()
    minutes = held["minutes"]
    if lang == "nn":
        three = item(minutes, 3)
        svc.minutes_item_update(
            item=three,
            actor=clerk,
            version=1,
            decision=D.NOTED,
            resolution="<p>Informasjonen vert teken til orientering.</p>",
        )
    response = clerk_client.get(_url("minutes_pdf", minutes))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    for words in expected:
        assert words in text, words


def test_the_body_sets_how_minutes_are_approved_and_the_vote_weights(clerk_client, held):
    from meetings.models import MinutesSettings, VoteWeight

    body, lier = held["body"], held["municipalities"]["lier"]
    url = reverse("meetings:body_minutes_settings", args=[body.pk])
    page = clerk_client.get(url)
    assert page.status_code == 200 and "Stemmevekt for Lier" in page.text
    bad = clerk_client.post(url, {"approval_mode": "next_meeting", "weighted_votes": "on", f"weight_{lier.pk}": "0"})
    assert bad.status_code == 200 and not MinutesSettings.objects.exists()
    response = clerk_client.post(
        url, {"approval_mode": "next_meeting", "weighted_votes": "on", f"weight_{lier.pk}": "0.42"}
    )
    assert response.status_code == 302
    settings = MinutesSettings.objects.get(body=body)
    assert (settings.approval_mode, settings.weighted_votes) == ("next_meeting", True)
    assert str(VoteWeight.objects.get(body=body, municipality=lier).weight) == "0.420"


def test_other_clerks_cannot_change_the_bodys_minutes_settings(client, other_clerk, held):
    client.force_login(other_clerk)
    url = reverse("meetings:body_minutes_settings", args=[held["body"].pk])
    assert client.post(url, {"approval_mode": "next_meeting"}).status_code == 404
