"""Meeting pages: list, create, edit, the page at a glance, status, cancel, invitees, agenda order."""

import pytest
from django.urls import reverse

from khs.models import AuditEntry
from meetings import services
from meetings.models import Case, CaseAttachment, CaseReference, Invitee, Meeting
from tests import factories as f
from tests.meetings.conftest import register

Status = Meeting.Status


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


def _summon(meeting, clerk):
    return services.meeting_status_set(meeting=meeting, actor=clerk, status=Status.SUMMONED)


# ------------------------------------------------------------------------------------------------ list


def test_the_clerk_lists_the_meetings_of_the_cooperation(clerk_client, meeting, other_coop_case):
    response = clerk_client.get(url("meeting_list"))
    assert response.status_code == 200
    assert meeting.title in response.text and "Annet møte" not in response.text


def test_all_meetings_can_be_listed_by_body(clerk_client, meeting, later_meeting, board, clerk):
    services.meeting_create(body=board, actor=clerk, title="Styremøte", starts_at=f.aware(2017, 3, 1, 10))
    response = clerk_client.get(url("meeting_list"), {"show": "all", "body": meeting.body_id})
    assert meeting.title in response.text and "Ordførermøte høst" in response.text
    assert "Styremøte" not in response.text


def test_a_member_lists_only_their_summoned_meetings(mayor_client, meeting, later_meeting, clerk):
    _summon(meeting, clerk)
    response = mayor_client.get(url("meeting_list"))
    assert response.status_code == 200
    assert meeting.title in response.text and "Ordførermøte høst" not in response.text  # still a draft


def test_the_meeting_list_needs_a_sign_in(client):
    response = client.get(url("meeting_list"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("count", [3, 30])
def test_the_meeting_list_has_a_fixed_query_count(
    clerk_client, mayors_body, clerk, count, django_assert_max_num_queries
):
    for i in range(count):
        meeting = f.make_meeting(mayors_body, starts_at=f.aware(2030, 1, 1 + i % 28, 10), ends_at=None)
        f.make_case_row(mayors_body, i + 1, meeting=meeting)
        Invitee.objects.create(meeting=meeting, name=f"Gjest {i}")
    with django_assert_max_num_queries(14):
        response = clerk_client.get(url("meeting_list"))
    assert response.text.count("<tr>") == count + 1


# ---------------------------------------------------------------------------------------------- create


def _meeting_post(body, **extra):
    data = {
        "body": body.pk,
        "title": "Ordførermøte i HS",
        "day": "2017-06-15",
        "start_time": "10:00",
        "end_time": "11:00",
        "place_name": "Elvebakken gård, Svensfjøsset",
        "place_address": "Heggeveien 5, 3403 Lier",
        "registration_deadline": "2017-06-04",
        "contact": "kari@example.no",
    }
    data.update(extra)
    return data


def test_the_clerk_creates_a_meeting_with_the_bodys_invitees(clerk_client, mayors_body, mayor, clerk):
    assert clerk_client.get(url("meeting_create")).status_code == 200
    response = clerk_client.post(url("meeting_create"), _meeting_post(mayors_body))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == url("meeting_detail", meeting.pk)
    assert (meeting.number, meeting.status, meeting.starts_at, meeting.ends_at) == (
        1,
        Status.DRAFT,
        f.aware(2017, 6, 15, 10),
        f.aware(2017, 6, 15, 11),
    )
    assert meeting.registration_deadline == f.aware(2017, 6, 4, 23, 59)
    assert meeting.invitees.count() == 3  # Lier, Drammen, Gol
    assert AuditEntry.objects.filter(verb="meeting_create", actor=clerk).exists()


@pytest.mark.parametrize(
    ("extra", "field_error"),
    [
        ({"end_time": "09:00"}, "Møtet kan ikke slutte før det starter."),
        ({"registration_deadline": "2017-06-16"}, "Påmeldingsfristen må være før møtet."),
        ({"title": ""}, "Feltet er påkrevet."),
        ({"day": "15.06"}, "Oppgi en gyldig dato."),
    ],
)
def test_a_bad_meeting_form_shows_the_error_and_creates_nothing(clerk_client, mayors_body, extra, field_error):
    response = clerk_client.post(url("meeting_create"), _meeting_post(mayors_body, **extra))
    assert response.status_code == 200 and field_error in response.text
    assert not Meeting.objects.exists()


def test_a_body_of_another_cooperation_cannot_be_chosen(clerk_client, other_coop_case):
    response = clerk_client.post(url("meeting_create"), _meeting_post(other_coop_case.body))
    assert response.status_code == 200 and Meeting.objects.count() == 1  # only the other cooperation's


@pytest.mark.parametrize("who", ["treasurer_client", "mayor_client"])
def test_only_the_secretariat_creates_meetings(request, who, mayors_body):
    response = request.getfixturevalue(who).post(url("meeting_create"), _meeting_post(mayors_body))
    assert response.status_code == 403 and not Meeting.objects.exists()


# ----------------------------------------------------------------------------------------------- detail


def test_the_meeting_page_shows_everything_at_a_glance(clerk_client, meeting, mayors_body, clerk):
    case = register(mayors_body, clerk, title="Forslag til kontingent 2018", meeting=meeting)
    response = clerk_client.get(url("meeting_detail", meeting.pk))
    text = response.text
    assert response.status_code == 200
    for expected in [
        "Torsdag 15.06.2017 kl. 10–11",
        "Elvebakken gård, Svensfjøsset, Heggeveien 5, 3403 Lier",
        "4. juni 2017",
        "Ordfører i Lier",
        "Utkast",
        "Valg av møteleder og referent",
        f"Sak {case.label}",
        "Forslag til kontingent 2018",
        "Neste steg",
        f"Skriv forslag til vedtak i sak {case.label}.",
        "Rediger møtet",
        "Registrer ny sak",
    ]:
        assert expected in text, expected


def test_the_treasurer_reads_the_meeting_page_without_edit_buttons(treasurer_client, meeting):
    response = treasurer_client.get(url("meeting_detail", meeting.pk))
    assert response.status_code == 200 and meeting.title in response.text
    assert "Rediger møtet" not in response.text and "Registrer ny sak" not in response.text


def test_an_invited_member_reads_a_summoned_meeting(mayor_client, meeting, clerk, mayors_body):
    register(mayors_body, clerk, title="Kontingent", meeting=meeting)
    assert mayor_client.get(url("meeting_detail", meeting.pk)).status_code == 404  # draft
    _summon(meeting, clerk)
    response = mayor_client.get(url("meeting_detail", meeting.pk))
    assert response.status_code == 200
    assert "Kontingent" in response.text and "Du er invitert." in response.text
    assert "Rediger møtet" not in response.text and "Neste steg" not in response.text


@pytest.mark.parametrize("who", ["other_clerk", "outsider_mayor"])
def test_others_get_404_for_the_meeting_page(client, request, meeting, clerk, who):
    _summon(meeting, clerk)
    user = request.getfixturevalue(who)
    if who == "outsider_mayor":
        from khs.services import member_user_ensure

        user = member_user_ensure(person=user)
    client.force_login(user)
    assert client.get(url("meeting_detail", meeting.pk)).status_code == 404


def _fill(meeting, body, cases, invitees):
    for i in range(cases):
        case = f.make_case_row(
            body, 100 + i, meeting=meeting, agenda_position=i + 1, proposed_resolution="<p>Forslag</p>"
        )
        CaseAttachment.objects.create(
            case=case,
            file="x.pdf",
            title="Vedlegg",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
            uploaded_at=f.aware(2017, 1, 1),
        )
        if i:
            CaseReference.objects.create(case=case, earlier_case_id=case.pk - 1)
    municipality = f.make_municipality()
    Invitee.objects.bulk_create(
        Invitee(meeting=meeting, name=f"Gjest {i}", municipality=municipality, is_guest=True) for i in range(invitees)
    )
    for j in range(cases // 2):  # 1 or 30 waiting for a meeting (20 are offered on the page)
        f.make_case_row(body, 500 + j, meeting=None)


@pytest.mark.parametrize(("cases", "invitees"), [(3, 5), (60, 100)])
def test_the_meeting_page_has_a_fixed_query_count(
    clerk_client, meeting, mayors_body, cases, invitees, django_assert_max_num_queries
):
    _fill(meeting, mayors_body, cases, invitees)
    with django_assert_max_num_queries(20):
        response = clerk_client.get(url("meeting_detail", meeting.pk))
    assert response.text.count("data-case-id=") == cases


@pytest.mark.parametrize(("cases", "invitees"), [(3, 5), (60, 100)])
def test_the_members_meeting_page_has_a_fixed_query_count(
    mayor_client, meeting, mayors_body, clerk, cases, invitees, django_assert_max_num_queries
):
    _fill(meeting, mayors_body, cases, invitees)
    _summon(meeting, clerk)
    with django_assert_max_num_queries(12):
        response = mayor_client.get(url("meeting_detail", meeting.pk))
    assert response.status_code == 200 and response.text.count("/cases/") >= cases


# ------------------------------------------------------------------------------------------------ edit


def test_the_clerk_edits_a_meeting(clerk_client, meeting, clerk):
    assert clerk_client.get(url("meeting_update", meeting.pk)).status_code == 200
    response = clerk_client.post(
        url("meeting_update", meeting.pk),
        _meeting_post(meeting.body, place_name="Lier rådhus", start_time="12:00", end_time="13:00"),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.place_name, meeting.starts_at) == ("Lier rådhus", f.aware(2017, 6, 15, 12))
    assert AuditEntry.objects.filter(verb="meeting_update", actor=clerk).exists()


def test_a_held_meeting_cannot_be_edited_through_the_page(clerk_client, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Status.HELD)
    response = clerk_client.post(url("meeting_update", meeting.pk), _meeting_post(meeting.body, place_name="Annet"))
    assert response.status_code == 200 and "kan ikke endres" in response.text
    meeting.refresh_from_db()
    assert meeting.place_name == "Elvebakken gård, Svensfjøsset"


def test_another_cooperations_meeting_cannot_be_edited(clerk_client, other_coop_case):
    assert clerk_client.get(url("meeting_update", other_coop_case.meeting_id)).status_code == 404


# ---------------------------------------------------------------------------------------------- status


def test_the_status_endpoint_never_summons_a_draft(clerk_client, meeting):
    # Only sending the summons makes a meeting summoned (issue 16): the endpoint says how instead.
    assert clerk_client.get(url("meeting_status", meeting.pk)).status_code == 405
    response = clerk_client.post(url("meeting_status", meeting.pk), {"status": "summoned"}, follow=True)
    assert "blir innkalt når innkallingen sendes" in response.text
    meeting.refresh_from_db()
    assert meeting.status == Status.DRAFT


def test_the_clerk_marks_a_summoned_meeting_held(clerk_client, meeting, clerk):
    services.meeting_status_set(meeting=meeting, actor=clerk, status=Status.SUMMONED)
    clerk_client.post(url("meeting_status", meeting.pk), {"status": "held"})
    meeting.refresh_from_db()
    assert meeting.status == Status.HELD


def test_a_refused_transition_is_explained(clerk_client, meeting):
    response = clerk_client.post(url("meeting_status", meeting.pk), {"status": "held"}, follow=True)
    assert "kan ikke få status «Avholdt»" in response.text
    response = clerk_client.post(url("meeting_status", meeting.pk), {"status": "minutes_approved"}, follow=True)
    assert "Ukjent status." in response.text
    meeting.refresh_from_db()
    assert meeting.status == Status.DRAFT


def test_the_treasurer_cannot_change_a_meetings_status(treasurer_client, meeting):
    assert treasurer_client.post(url("meeting_status", meeting.pk), {"status": "summoned"}).status_code == 403


def test_the_clerk_cancels_a_meeting_with_a_reason(clerk_client, meeting, clerk):
    assert clerk_client.get(url("meeting_cancel", meeting.pk)).status_code == 200
    response = clerk_client.post(url("meeting_cancel", meeting.pk), {"reason": ""})
    assert response.status_code == 200 and "Feltet er påkrevet." in response.text
    response = clerk_client.post(url("meeting_cancel", meeting.pk), {"reason": "For få påmeldte"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancel_reason) == (Status.CANCELLED, "For få påmeldte")
    assert "For få påmeldte" in clerk_client.get(url("meeting_detail", meeting.pk)).text


# --------------------------------------------------------------------------------------------- invitees


def test_the_clerk_adds_a_guest(clerk_client, meeting, clerk):
    assert clerk_client.get(url("meeting_invitee_add", meeting.pk)).status_code == 405
    response = clerk_client.post(
        url("meeting_invitee_add", meeting.pk),
        {"invitee-name": "Fylkeslege", "invitee-email": "lege@example.no", "invitee-role": "Observatør"},
    )
    assert response.status_code == 302
    guest = meeting.invitees.get(name="Fylkeslege")
    assert (guest.email, guest.role, guest.is_guest) == ("lege@example.no", "Observatør", True)
    assert AuditEntry.objects.filter(verb="meeting_invitee_add", actor=clerk).exists()


def test_adding_someone_from_the_register(clerk_client, meeting, municipalities):
    chief = f.make_person("Rådmann i Gol", email="radmann@gol.example.no")
    f.make_office(chief, kind="chief_executive", municipality=municipalities["gol"])
    page = clerk_client.get(url("meeting_detail", meeting.pk)).text
    assert "Rådmann i Gol" in page  # offered in the select
    clerk_client.post(url("meeting_invitee_add", meeting.pk), {"invitee-person": chief.pk})
    assert meeting.invitees.get(person=chief).email == "radmann@gol.example.no"


def test_a_guest_without_a_name_is_refused_beside_the_form(clerk_client, meeting):
    response = clerk_client.post(url("meeting_invitee_add", meeting.pk), {"invitee-email": "x@example.no"})
    assert response.status_code == 400
    assert "Velg en person fra registeret eller skriv et navn." in response.text
    assert meeting.invitees.count() == 3


def test_the_clerk_removes_an_invitee(clerk_client, meeting, mayor):
    invitee = meeting.invitees.get(person=mayor)
    assert clerk_client.get(url("meeting_invitee_remove", meeting.pk, invitee.pk)).status_code == 405
    response = clerk_client.post(url("meeting_invitee_remove", meeting.pk, invitee.pk))
    assert response.status_code == 302 and not meeting.invitees.filter(person=mayor).exists()


def test_an_invitee_of_another_meeting_is_404(clerk_client, meeting, later_meeting, mayor):
    services.meeting_invitee_add(meeting=later_meeting, actor=None, name="Gjest")
    other = later_meeting.invitees.get(name="Gjest")
    assert clerk_client.post(url("meeting_invitee_remove", meeting.pk, other.pk)).status_code == 404
    assert Invitee.objects.filter(pk=other.pk).exists()


def test_removing_from_a_held_meeting_is_refused_with_a_message(clerk_client, meeting, mayor):
    Meeting.objects.filter(pk=meeting.pk).update(status=Status.HELD)
    invitee = meeting.invitees.get(person=mayor)
    response = clerk_client.post(url("meeting_invitee_remove", meeting.pk, invitee.pk), follow=True)
    assert "kan ikke endres" in response.text and Invitee.objects.filter(pk=invitee.pk).exists()


def test_invitees_are_fetched_again_from_the_body(clerk_client, meeting, mayor):
    meeting.invitees.filter(person=mayor).delete()
    clerk_client.post(url("meeting_invitees_reset", meeting.pk))
    assert meeting.invitees.filter(person=mayor).exists()


def test_the_treasurer_cannot_touch_invitees(treasurer_client, meeting, mayor):
    invitee = meeting.invitees.get(person=mayor)
    assert treasurer_client.post(url("meeting_invitee_add", meeting.pk), {"invitee-name": "X"}).status_code == 403
    assert treasurer_client.post(url("meeting_invitee_remove", meeting.pk, invitee.pk)).status_code == 403


# ----------------------------------------------------------------------------------------------- agenda


def test_the_clerk_moves_a_case_up_the_agenda(clerk_client, meeting, mayors_body, clerk):
    _a, b = (
        register(mayors_body, clerk, title="A", meeting=meeting),
        register(mayors_body, clerk, title="B", meeting=meeting),
    )
    assert clerk_client.get(url("agenda_reorder", meeting.pk)).status_code == 405
    response = clerk_client.post(url("agenda_reorder", meeting.pk), {"move": f"{b.pk}:up"})
    assert response.status_code == 302 and response["Location"].endswith(f"#agenda-case-{b.pk}")
    assert list(meeting.cases.order_by("agenda_position").values_list("title", flat=True)) == ["B", "A"]


def test_the_clerk_sets_the_whole_order_by_dragging(clerk_client, meeting, mayors_body, clerk):
    a, b, c = (register(mayors_body, clerk, title=t, meeting=meeting) for t in "ABC")
    clerk_client.post(url("agenda_reorder", meeting.pk), {"order": f"{c.pk},{a.pk},{b.pk}"})
    assert list(meeting.cases.order_by("agenda_position").values_list("title", flat=True)) == ["C", "A", "B"]


@pytest.mark.parametrize("data", [{"order": "1,x"}, {"move": "999:up"}, {"move": "1:sideways"}, {}])
def test_a_bad_agenda_order_is_refused_with_a_message(clerk_client, meeting, mayors_body, clerk, data):
    _a, _b = (
        register(mayors_body, clerk, title="A", meeting=meeting),
        register(mayors_body, clerk, title="B", meeting=meeting),
    )
    response = clerk_client.post(url("agenda_reorder", meeting.pk), data, follow=True)
    assert "Ugyldig" in response.text
    assert list(meeting.cases.order_by("agenda_position").values_list("title", flat=True)) == ["A", "B"]


def test_another_cooperations_agenda_is_404(clerk_client, other_coop_case):
    response = clerk_client.post(url("agenda_reorder", other_coop_case.meeting_id), {"order": str(other_coop_case.pk)})
    assert response.status_code == 404
    assert Case.objects.get(pk=other_coop_case.pk).agenda_position == 1
