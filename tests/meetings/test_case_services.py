"""Cases on the agenda: register, write, withdraw, move to a later meeting, reorder, refer to earlier handling."""

import pytest

from khs.models import AuditEntry
from meetings import services
from meetings.errors import MeetingsError
from meetings.models import Case, CaseReference, Meeting
from meetings.selectors import meeting_agenda
from tests.meetings.conftest import register

Status = Meeting.Status


def _close(meeting, status):
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    meeting.refresh_from_db()


def test_a_case_registered_on_a_meeting_goes_last_on_its_agenda(mayors_body, clerk, meeting):
    first = register(mayors_body, clerk, title="Første", meeting=meeting)
    second = register(mayors_body, clerk, title="Andre", meeting=meeting)
    assert [i.title for i in meeting_agenda(meeting)][2:] == ["Første", "Andre"]
    assert (first.agenda_position, second.agenda_position) == (1, 2)


def test_a_case_cannot_be_put_on_another_bodys_meeting(board, clerk, meeting):
    with pytest.raises(MeetingsError, match="samme organ"):
        register(board, clerk, meeting=meeting)
    assert not Case.objects.exists()


@pytest.mark.parametrize("status", [Status.HELD, Status.MINUTES_APPROVED, Status.CANCELLED])
def test_no_case_is_registered_on_a_closed_meeting(mayors_body, clerk, meeting, status):
    _close(meeting, status)
    with pytest.raises(MeetingsError):
        register(mayors_body, clerk, meeting=meeting)
    assert not Case.objects.exists()


def test_a_case_may_be_added_after_the_summons(mayors_body, clerk, meeting):
    services.meeting_status_set(meeting=meeting, actor=clerk, status=Status.SUMMONED)
    assert register(mayors_body, clerk, meeting=meeting).meeting == meeting


def test_updating_a_case_cleans_its_text_and_is_audited(mayors_body, clerk, meeting):
    case = register(mayors_body, clerk, meeting=meeting)
    services.case_update(
        case=case,
        actor=clerk,
        title="Ny tittel",
        background="<p>Tekst<script>x()</script></p>",
        signer_name="Knut Arne Gurigard",
        signer_title="Dagleg leiar",
    )
    case.refresh_from_db()
    assert (case.title, case.background, case.signer_title) == ("Ny tittel", "<p>Tekst</p>", "Dagleg leiar")
    entry = AuditEntry.objects.get(verb="case_update")
    assert entry.changes["title"] == ["En sak", "Ny tittel"]


@pytest.mark.parametrize("status", [Status.HELD, Status.MINUTES_APPROVED, Status.CANCELLED])
def test_a_case_on_a_closed_meeting_cannot_be_rewritten(mayors_body, clerk, meeting, status):
    case = register(mayors_body, clerk, meeting=meeting)
    _close(meeting, status)
    with pytest.raises(MeetingsError):
        services.case_update(case=case, actor=clerk, title="Endret")
    case.refresh_from_db()
    assert case.title == "En sak"


def test_a_withdrawn_case_stays_on_the_agenda_marked_and_cannot_change(mayors_body, clerk, meeting):
    case = register(mayors_body, clerk, meeting=meeting)
    services.case_withdraw(case=case, actor=clerk, reason="Ikke klar")
    item = meeting_agenda(meeting)[2]
    assert (item.label, item.withdrawn) == (case.label, True)
    with pytest.raises(MeetingsError, match="trukket"):
        services.case_update(case=case, actor=clerk, title="Endret")
    with pytest.raises(MeetingsError, match="trukket"):
        services.case_withdraw(case=case, actor=clerk)
    assert AuditEntry.objects.filter(verb="case_withdraw", message="Ikke klar").exists()


def test_moving_a_case_to_a_later_meeting_keeps_its_number(mayors_body, clerk, meeting, later_meeting):
    case = register(mayors_body, clerk, meeting=meeting)
    already = register(mayors_body, clerk, meeting=later_meeting)
    moved = services.case_move(case=case, meeting=later_meeting, actor=clerk)
    assert (moved.meeting, moved.number, moved.agenda_position) == (
        later_meeting,
        case.number,
        already.agenda_position + 1,
    )
    assert [i.label for i in meeting_agenda(later_meeting)][2:] == [already.label, case.label]
    assert AuditEntry.objects.get(verb="case_move").changes == {"meeting": [meeting.pk, later_meeting.pk]}


def test_a_case_is_not_moved_to_an_earlier_meeting_or_another_body(mayors_body, board, clerk, meeting, later_meeting):
    case = register(mayors_body, clerk, meeting=later_meeting)
    with pytest.raises(MeetingsError, match="senere"):
        services.case_move(case=case, meeting=meeting, actor=clerk)
    board_meeting = services.meeting_create(
        body=board, actor=clerk, title="Styremøte", starts_at=later_meeting.starts_at.replace(year=2018)
    )
    with pytest.raises(MeetingsError, match="samme organ"):
        services.case_move(case=case, meeting=board_meeting, actor=clerk)
    case.refresh_from_db()
    assert case.meeting == later_meeting


def test_a_case_handled_in_a_held_meeting_stays_there(mayors_body, clerk, meeting, later_meeting):
    case = register(mayors_body, clerk, meeting=meeting)
    _close(meeting, Status.HELD)
    with pytest.raises(MeetingsError, match="avholdt"):
        services.case_move(case=case, meeting=later_meeting, actor=clerk)


def test_cases_of_a_cancelled_meeting_can_be_moved_on(mayors_body, clerk, meeting, later_meeting):
    case = register(mayors_body, clerk, meeting=meeting)
    services.meeting_cancel(meeting=meeting, actor=clerk, reason="Storm")
    assert services.case_move(case=case, meeting=later_meeting, actor=clerk).meeting == later_meeting


def test_a_waiting_case_can_be_put_on_a_meeting(mayors_body, clerk, meeting):
    case = register(mayors_body, clerk)
    assert services.case_move(case=case, meeting=meeting, actor=clerk).meeting == meeting


def test_the_clerk_sets_the_agenda_order(mayors_body, clerk, meeting):
    a, b, c = (register(mayors_body, clerk, title=t, meeting=meeting) for t in "ABC")
    services.agenda_reorder(meeting=meeting, actor=clerk, case_ids=[c.pk, a.pk, b.pk])
    agenda = meeting_agenda(meeting)
    assert [i.title for i in agenda] == [
        "Valg av møteleder og referent",
        "Godkjenning av innkalling og dagsorden",
        "C",
        "A",
        "B",
    ]
    assert [i.position for i in agenda] == [1, 2, 3, 4, 5]
    assert [i.label for i in agenda][2:] == [c.label, a.label, b.label]  # numbers stay with their cases
    assert AuditEntry.objects.get(verb="agenda_reorder").changes == {"agenda": [[a.pk, b.pk, c.pk], [c.pk, a.pk, b.pk]]}


@pytest.mark.parametrize("order", ["missing", "extra", "duplicate"])
def test_an_order_that_does_not_name_every_case_once_is_refused(mayors_body, clerk, meeting, order):
    a, b = register(mayors_body, clerk, meeting=meeting), register(mayors_body, clerk, meeting=meeting)
    other = register(mayors_body, clerk)
    ids = {"missing": [b.pk], "extra": [b.pk, a.pk, other.pk], "duplicate": [b.pk, b.pk, a.pk]}[order]
    with pytest.raises(MeetingsError, match="endret i mellomtiden"):
        services.agenda_reorder(meeting=meeting, actor=clerk, case_ids=ids)
    assert list(meeting.cases.order_by("agenda_position").values_list("pk", flat=True)) == [a.pk, b.pk]


def test_the_agenda_of_a_held_meeting_is_fixed(mayors_body, clerk, meeting):
    a, b = register(mayors_body, clerk, meeting=meeting), register(mayors_body, clerk, meeting=meeting)
    _close(meeting, Status.HELD)
    with pytest.raises(MeetingsError):
        services.agenda_reorder(meeting=meeting, actor=clerk, case_ids=[b.pk, a.pk])


def test_a_reference_links_two_cases_in_both_directions(mayors_body, board, clerk, meeting):
    board_case = register(board, clerk, title="Videreføring")
    case = register(mayors_body, clerk, title="Videreføring eller avvikling", meeting=meeting)
    reference = services.case_reference_add(
        case=case, earlier_case=board_case, actor=clerk, note="Styret vedtok i møte 23.01.2017"
    )
    assert list(case.references.all()) == [reference]
    assert list(board_case.referenced_by.all()) == [reference]
    with pytest.raises(MeetingsError, match="allerede"):
        services.case_reference_add(case=board_case, earlier_case=case, actor=clerk)
    with pytest.raises(MeetingsError, match="seg selv"):
        services.case_reference_add(case=case, earlier_case=case, actor=clerk)
    services.case_reference_remove(reference=reference, actor=clerk)
    assert not CaseReference.objects.exists()
    assert AuditEntry.objects.filter(verb__in=["case_reference_add", "case_reference_remove"]).count() == 2


def test_a_reference_stays_inside_the_cooperation(mayors_body, clerk, other_coop_case):
    case = register(mayors_body, clerk)
    with pytest.raises(MeetingsError, match="samme samarbeid"):
        services.case_reference_add(case=case, earlier_case=other_coop_case, actor=clerk)


def test_the_number_format_is_fixed_once_cases_exist(mayors_body, clerk):
    services.body_update(body=mayors_body, actor=clerk, case_number_format="{n}/{yy}")
    register(mayors_body, clerk)
    with pytest.raises(MeetingsError, match="kan ikke endres"):
        services.body_update(body=mayors_body, actor=clerk, case_number_format="{n:02}/{yyyy}")
    services.body_update(body=mayors_body, actor=clerk, language="nn")
    mayors_body.refresh_from_db()
    assert (mayors_body.case_number_format, mayors_body.language) == ("{n}/{yy}", "nn")
