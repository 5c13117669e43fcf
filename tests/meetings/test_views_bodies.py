"""Body pages: list, create, edit, and the body at a glance with its members over time."""

from datetime import date

import pytest
from django.urls import reverse

from khs.models import AuditEntry
from membership.models import Body, Office
from tests import factories as f
from tests.meetings.conftest import register


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


BODY_POST = {
    "name": "Rådmannsgruppen",
    "kind": "chief_executives",
    "case_number_format": "{n:02}/{yyyy}",
    "language": "nb",
    "invite_mode": "members",
    "addressee": "",
    "quorum_rule": "majority_of_members",
    "quorum_minimum": "",
}


def test_the_clerk_creates_a_body(clerk_client, coop, clerk):
    assert clerk_client.get(url("body_create")).status_code == 200
    response = clerk_client.post(url("body_create"), BODY_POST)
    body = Body.objects.get()
    assert response.status_code == 302 and response["Location"] == url("body_detail", body.pk)
    assert (body.cooperation, body.case_label(3, 2017)) == (coop, "03/2017")
    assert AuditEntry.objects.filter(verb="body_create", actor=clerk, cooperation_id=coop.pk).exists()


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("case_number_format", "{n}", "Formatet må ha nøyaktig ett {n}"),
        ("name", "", "Feltet er påkrevet."),
    ],
)
def test_a_bad_body_is_refused_beside_the_field(clerk_client, field, value, error):
    response = clerk_client.post(url("body_create"), {**BODY_POST, field: value})
    assert response.status_code == 200 and error in response.text
    assert not Body.objects.exists()


def test_the_clerk_sets_when_a_body_has_a_quorum(clerk_client, mayors_body):
    response = clerk_client.post(
        url("body_update", mayors_body.pk),
        {
            **BODY_POST,
            "name": "Ordførermøtet",
            "case_number_format": "{n}/{yyyy}",
            "quorum_rule": "majority_of_municipalities",
            "quorum_minimum": "5",
        },
    )
    assert response.status_code == 302
    mayors_body.refresh_from_db()
    assert (mayors_body.quorum_rule, mayors_body.quorum_minimum) == ("majority_of_municipalities", 5)
    entry = AuditEntry.objects.get(verb="body_update")
    assert entry.changes["quorum_rule"] == ["majority_of_members", "majority_of_municipalities"]


def test_a_quorum_minimum_of_zero_is_refused_beside_the_field(clerk_client, mayors_body):
    response = clerk_client.post(
        url("body_update", mayors_body.pk),
        {**BODY_POST, "name": "Ordførermøtet", "case_number_format": "{n}/{yyyy}", "quorum_minimum": "0"},
    )
    assert response.status_code == 200 and "Minstetallet må være minst 1." in response.text
    mayors_body.refresh_from_db()
    assert mayors_body.quorum_minimum is None


def test_a_body_name_is_unique_in_the_cooperation(clerk_client, mayors_body):
    response = clerk_client.post(url("body_create"), {**BODY_POST, "name": "ordførermøtet"})
    assert response.status_code == 200 and "har allerede et organ" in response.text
    assert Body.objects.count() == 1


def test_the_clerk_edits_a_body(clerk_client, mayors_body):
    response = clerk_client.post(
        url("body_update", mayors_body.pk), {**BODY_POST, "name": "Ordførermøtet", "language": "nn"}
    )
    assert response.status_code == 302
    mayors_body.refresh_from_db()
    assert (mayors_body.language, mayors_body.case_number_format) == ("nn", "{n:02}/{yyyy}")


def test_the_format_is_kept_once_cases_exist(clerk_client, mayors_body, clerk):
    register(mayors_body, clerk)
    response = clerk_client.post(url("body_update", mayors_body.pk), {**BODY_POST, "name": "Ordførermøtet"})
    assert response.status_code == 200 and "kan ikke endres etter at det er registrert saker" in response.text
    mayors_body.refresh_from_db()
    assert mayors_body.case_number_format == "{n}/{yyyy}"


def test_the_body_page_shows_current_members_and_waiting_cases(clerk_client, board, board_members, clerk):
    gone = f.make_person("Gått av")
    f.make_office(gone, kind=Office.Kind.BODY_MEMBER, body=board, starts_on=date(2010, 1, 1), ends_on=date(2011, 1, 1))
    case = register(board, clerk, title="Venter på møte")
    text = clerk_client.get(url("body_detail", board.pk)).text
    assert "Styreleder" in text and "Varamedlem" in text and "Gått av" not in text
    assert f"Sak {case.label} Venter på møte" in text and "{n:02}/{yyyy}" in text


def test_the_treasurer_reads_bodies_but_cannot_create_them(treasurer_client, mayors_body):
    assert treasurer_client.get(url("body_list")).status_code == 200
    assert treasurer_client.get(url("body_detail", mayors_body.pk)).status_code == 200
    assert treasurer_client.post(url("body_create"), BODY_POST).status_code == 403
    assert treasurer_client.post(url("body_update", mayors_body.pk), BODY_POST).status_code == 403


def test_members_have_no_body_pages(mayor_client, mayors_body):
    assert mayor_client.get(url("body_list")).status_code == 403


def test_another_cooperations_body_is_404(clerk_client, other_coop_case):
    body = other_coop_case.body
    assert clerk_client.get(url("body_detail", body.pk)).status_code == 404
    assert clerk_client.post(url("body_update", body.pk), BODY_POST).status_code == 404


@pytest.mark.parametrize("size", [2, 25])
def test_body_pages_have_a_fixed_query_count(clerk_client, board, clerk, size, django_assert_max_num_queries):
    for i in range(size):
        f.make_office(
            f.make_person(),
            kind=Office.Kind.BODY_MEMBER,
            body=board,
            starts_on=date(2016, 1, 1),
            municipality=f.make_municipality(),
        )
        meeting = f.make_meeting(board, starts_at=f.aware(2017, 1, 1 + i % 28, 10), ends_at=None)
        f.make_case_row(board, i + 1, meeting=meeting if i % 2 else None)
    with django_assert_max_num_queries(17):
        detail = clerk_client.get(url("body_detail", board.pk))
    assert detail.text.count("Medlem<") == size
    for i in range(size):
        Body.objects.create(cooperation=board.cooperation, name=f"Organ {i}")
    with django_assert_max_num_queries(12):
        listing = clerk_client.get(url("body_list"))
    assert listing.text.count("<tr>") == size + 2
