"""Calendar feeds: one per body and one per person, behind private signed addresses."""

from django.urls import reverse
from icalendar import Calendar

from meetings.documents import calendar
from meetings.models import Meeting
from tests import factories as f


def events(response) -> dict:
    cal = Calendar.from_ical(response.content)
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


def test_body_feed_lists_the_bodys_published_meetings(client, coop):
    body = f.make_body(coop, name="Styret")
    f.make_meeting(body, title="Utkast", status=Meeting.Status.DRAFT)
    summoned = f.make_meeting(body, title="Innkalt møte", status=Meeting.Status.SUMMONED, sequence=2)
    f.make_meeting(body, title="Avlyst møte", status=Meeting.Status.CANCELLED)
    f.make_meeting(f.make_body(coop, name="Annet organ"), title="Annet organs møte", status=Meeting.Status.SUMMONED)

    response = client.get(reverse("meetings:body_feed", args=[calendar.body_feed_token(body)]))

    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(response)
    assert set(found) == {"Innkalt møte", "Avlyst møte"}
    assert str(found["Innkalt møte"]["UID"]) == f"{summoned.uid}@khs" and found["Innkalt møte"]["SEQUENCE"] == 2
    assert str(found["Avlyst møte"]["STATUS"]) == "CANCELLED"
    cal = Calendar.from_ical(response.content)
    assert cal["METHOD"] == "PUBLISH" and str(cal["X-WR-CALNAME"]) == "Styret (HS)"


def test_person_feed_lists_the_meetings_the_person_is_invited_to(client, coop, mayor):
    body = f.make_body(coop)
    mine = f.make_meeting(body, title="Mitt møte", status=Meeting.Status.SUMMONED)
    f.make_invitee(mine, person=mayor)
    f.make_meeting(body, title="Ikke invitert", status=Meeting.Status.SUMMONED)
    draft = f.make_meeting(body, title="Mitt utkast")
    f.make_invitee(draft, person=mayor)

    response = client.get(reverse("meetings:person_feed", args=[calendar.person_feed_token(mayor)]))

    assert response.status_code == 200
    assert set(events(response)) == {"Mitt møte"}


def test_tampered_or_swapped_tokens_are_not_found(client, coop, mayor):
    body = f.make_body(coop)
    token = calendar.body_feed_token(body)
    other = f.make_body(coop)
    forged = str(other.pk) + token[len(str(body.pk)) :]
    assert client.get(reverse("meetings:body_feed", args=[forged])).status_code == 404
    assert client.get(reverse("meetings:body_feed", args=[token[:-2] + "xx"])).status_code == 404
    assert client.get(reverse("meetings:body_feed", args=["12345"])).status_code == 404
    # A body's token does not open a person's feed with the same id (salted per kind).
    assert client.get(reverse("meetings:person_feed", args=[calendar.body_feed_token(body)])).status_code == 404
    assert client.get(reverse("meetings:person_feed", args=[calendar.person_feed_token(mayor)])).status_code == 200


def test_feeds_refuse_post(client, coop):
    body = f.make_body(coop)
    assert client.post(reverse("meetings:body_feed", args=[calendar.body_feed_token(body)])).status_code == 405


def test_feed_query_count_does_not_grow_with_meetings(client, coop, mayor, django_assert_max_num_queries):
    body = f.make_body(coop)
    first = f.make_meeting(body, status=Meeting.Status.SUMMONED)
    f.make_invitee(first, person=mayor)
    body_url = reverse("meetings:body_feed", args=[calendar.body_feed_token(body)])
    person_url = reverse("meetings:person_feed", args=[calendar.person_feed_token(mayor)])
    with django_assert_max_num_queries(2) as small_body:
        client.get(body_url)
    with django_assert_max_num_queries(2) as small_person:
        client.get(person_url)
    for n in range(8):
        meeting = f.make_meeting(
            body,
            status=Meeting.Status.SUMMONED,
            starts_at=f.aware(2018, 1, n + 1, 10),
            ends_at=f.aware(2018, 1, n + 1, 12),
        )
        f.make_case_row(body, n + 1, meeting=meeting)
        f.make_invitee(meeting, person=mayor)
    with django_assert_max_num_queries(len(small_body)):
        assert len(events(client.get(body_url))) == 9
    with django_assert_max_num_queries(len(small_person)):
        assert len(events(client.get(person_url))) == 9


def test_calendar_page_shows_the_clerk_each_body_and_the_member_their_own_address(
    client, clerk, coop, mayor, mayor_client
):
    body = f.make_body(coop, name="Styret")
    html = mayor_client.get(reverse("meetings:calendar_links")).content.decode()
    assert calendar.person_feed_url(mayor) in html and calendar.body_feed_url(body) not in html
    client.force_login(clerk)
    html = client.get(reverse("meetings:calendar_links")).content.decode()
    assert calendar.body_feed_url(body) in html and "Styret" in html


def test_calendar_page_needs_sign_in(client):
    assert client.get(reverse("meetings:calendar_links")).status_code == 302
