"""Case pages: register, read, write, withdraw, move, attachments, references; lists."""

import hashlib

import pytest
from django.urls import reverse

from khs.models import AuditEntry
from meetings import services
from meetings.models import Case, CaseAttachment, CaseReference, Meeting
from tests import factories as f
from tests.meetings import uploads
from tests.meetings.conftest import register

Status = Meeting.Status


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


def _case_post(**extra):
    data = {
        "title": "Forslag til kontingent 2018",
        "kind": "decision",
        "background": "<div>Kontingenten er <strong>kr 2</strong> pr innbygger.</div>",
        "assessment": "",
        "proposed_resolution": "<div>Kontingenten fastsettes til kr 2,50.</div>",
        "signer_name": "Kari Sekretær",
        "signer_title": "Rådgiver",
        "document_place": "Sandvika",
        "document_date": "2017-05-22",
    }
    data.update(extra)
    return data


# ------------------------------------------------------------------------------------------- register


def test_the_clerk_registers_a_case_on_a_meeting(clerk_client, meeting, clerk):
    page = clerk_client.get(url("case_create", meeting.pk))
    assert page.status_code == 200 and "trolig 1/" in page.text and "trix-editor" in page.text
    # Registering explicitly gives the number at once (issue 12: otherwise the case is a draft).
    response = clerk_client.post(url("case_create", meeting.pk), _case_post(register_now="1"))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == url("case_detail", case.pk)
    assert (case.meeting, case.number, case.registered_by) == (meeting, 1, clerk)
    assert case.background == "<div>Kontingenten er <strong>kr 2</strong> pr innbygger.</div>"
    assert AuditEntry.objects.filter(verb="case_register", actor=clerk).exists()


def test_a_case_registered_in_a_body_waits_for_a_meeting(clerk_client, board):
    clerk_client.post(url("body_case_create", board.pk), _case_post(register_now="1"))
    case = Case.objects.get()
    assert case.meeting is None and case.label.startswith("01/")


def test_hostile_text_is_cleaned_before_it_is_stored_and_shown(clerk_client, meeting):
    clerk_client.post(
        url("case_create", meeting.pk),
        _case_post(
            background='<div onclick="steal()">Tekst<script>alert(1)</script><iframe src="https://evil.example"></iframe>'
            '<a href="javascript:alert(1)">lenke</a></div>'
        ),
    )
    case = Case.objects.get()
    assert case.background == '<div>Tekst<a rel="noopener">lenke</a></div>'
    page = clerk_client.get(url("case_detail", case.pk)).text
    assert "alert(1)" not in page and "steal()" not in page and "evil.example" not in page


def test_text_that_reached_the_database_another_way_is_cleaned_on_the_page(clerk_client, meeting, mayors_body):
    case = f.make_case_row(mayors_body, 1, meeting=meeting, background='<p>Hei<script>alert("db")</script></p>')
    page = clerk_client.get(url("case_detail", case.pk)).text
    assert "<p>Hei</p>" in page and 'alert("db")' not in page


def test_a_case_without_title_is_refused_beside_the_field(clerk_client, meeting):
    response = clerk_client.post(url("case_create", meeting.pk), _case_post(title=""))
    assert response.status_code == 200 and "Feltet er påkrevet." in response.text
    assert not Case.objects.exists()


def test_no_case_is_registered_on_a_held_meeting(clerk_client, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Status.HELD)
    response = clerk_client.post(url("case_create", meeting.pk), _case_post(), follow=True)
    assert "kan ikke endres" in response.text and not Case.objects.exists()


@pytest.mark.parametrize("who", ["treasurer_client", "mayor_client"])
def test_only_the_secretariat_registers_cases(request, who, meeting):
    response = request.getfixturevalue(who).post(url("case_create", meeting.pk), _case_post())
    assert response.status_code == 403 and not Case.objects.exists()


def test_a_case_cannot_be_registered_on_another_cooperations_meeting(clerk_client, other_coop_case):
    assert clerk_client.post(url("case_create", other_coop_case.meeting_id), _case_post()).status_code == 404
    assert clerk_client.post(url("body_case_create", other_coop_case.body_id), _case_post()).status_code == 404
    assert Case.objects.count() == 1


# ----------------------------------------------------------------------------------------------- read


def test_the_case_page_shows_texts_signer_and_links_both_ways(clerk_client, meeting, mayors_body, board, clerk):
    board_meeting = services.meeting_create(
        body=board, actor=clerk, title="Styremøte", starts_at=f.aware(2017, 1, 23, 10)
    )
    board_case = register(board, clerk, title="Videreføring", meeting=board_meeting)
    case = register(
        mayors_body,
        clerk,
        title="Videreføring eller avvikling",
        meeting=meeting,
        background="<p>Avtalen går ut 2017.</p>",
        proposed_resolution="<p>Videreføres.</p>",
        signer_name="Knut Arne Gurigard",
        signer_title="Dagleg leiar",
        document_place="Ål",
    )
    services.case_reference_add(case=case, earlier_case=board_case, actor=clerk, note="Styret vedtok")
    page = clerk_client.get(url("case_detail", case.pk)).text
    for expected in [
        f"Sak {case.label} Videreføring eller avvikling",
        "<p>Avtalen går ut 2017.</p>",
        "<p>Videreføres.</p>",
        "Knut Arne Gurigard",
        "Dagleg leiar",
        f"Styret, møte 23.01.2017, sak {board_case.label}",
        "Styret vedtok",
    ]:
        assert expected in page, expected
    other = clerk_client.get(url("case_detail", board_case.pk)).text
    assert "Videreført" not in other and f"sak {case.label}" in other and "Videre behandlet" in other


def test_an_invited_member_reads_the_case_but_cannot_change_it(mayor_client, meeting, mayors_body, clerk):
    case = register(mayors_body, clerk, title="Kontingent", meeting=meeting)
    assert mayor_client.get(url("case_detail", case.pk)).status_code == 404  # meeting still a draft
    services.meeting_status_set(meeting=meeting, actor=clerk, status=Status.SUMMONED)
    page = mayor_client.get(url("case_detail", case.pk))
    assert page.status_code == 200 and "Kontingent" in page.text
    assert "Rediger saken" not in page.text and "Legg til vedlegg" not in page.text
    assert mayor_client.post(url("case_update", case.pk), _case_post()).status_code == 403


def test_the_treasurer_reads_cases_read_only(treasurer_client, meeting, mayors_body, clerk):
    case = register(mayors_body, clerk, meeting=meeting)
    page = treasurer_client.get(url("case_detail", case.pk)).text
    assert case.title in page and "Rediger saken" not in page and "Trekk saken" not in page
    assert treasurer_client.post(url("case_withdraw", case.pk)).status_code == 403


def test_others_get_404_for_a_case(client, other_clerk, outsider_mayor, meeting, mayors_body, clerk):
    from khs.services import member_user_ensure

    case = register(mayors_body, clerk, meeting=meeting)
    services.meeting_status_set(meeting=meeting, actor=clerk, status=Status.SUMMONED)
    for user in (other_clerk, member_user_ensure(person=outsider_mayor)):
        client.force_login(user)
        assert client.get(url("case_detail", case.pk)).status_code == 404


@pytest.mark.parametrize("size", [2, 30])
def test_the_case_page_has_a_fixed_query_count(
    clerk_client, meeting, mayors_body, board, size, django_assert_max_num_queries
):
    case = f.make_case_row(mayors_body, 1, meeting=meeting)
    for i in range(size):
        CaseAttachment.objects.create(
            case=case,
            file=f"v{i}.pdf",
            title=f"Vedlegg {i}",
            size=10,
            sha256="0" * 64,
            content_type="application/pdf",
            uploaded_at=f.aware(2017, 1, 1),
        )
        earlier = f.make_case_row(board, i + 1, meeting=None)
        CaseReference.objects.create(case=case, earlier_case=earlier)
        later = f.make_case_row(mayors_body, 100 + i, meeting=meeting)
        CaseReference.objects.create(case=later, earlier_case=case)
    with django_assert_max_num_queries(16):
        response = clerk_client.get(url("case_detail", case.pk))
    assert response.text.count("Vedlegg ") >= size


@pytest.mark.parametrize("size", [3, 40])
def test_the_case_list_has_a_fixed_query_count(clerk_client, meeting, mayors_body, size, django_assert_max_num_queries):
    for i in range(size):
        f.make_case_row(mayors_body, i + 1, meeting=meeting if i % 2 else None)
    with django_assert_max_num_queries(14):
        response = clerk_client.get(url("case_list"), {"body": mayors_body.pk, "year": 2017})
    assert response.text.count("<tr>") == size + 1


def test_the_case_list_shows_only_the_cooperations_cases(clerk_client, meeting, mayors_body, clerk, other_coop_case):
    register(mayors_body, clerk, title="Vår sak")
    text = clerk_client.get(url("case_list")).text
    assert "Vår sak" in text and "Annen sak" not in text


# ---------------------------------------------------------------------------------------------- write


def test_the_clerk_rewrites_a_case(clerk_client, meeting, mayors_body, clerk):
    case = register(mayors_body, clerk, meeting=meeting, background="<p>Gammel</p>")
    form = clerk_client.get(url("case_update", case.pk)).text
    assert "&lt;p&gt;Gammel&lt;/p&gt;" in form  # the stored HTML goes to the editor's hidden input
    response = clerk_client.post(url("case_update", case.pk), _case_post(title="Ny tittel", kind="orientation"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.title, case.kind, case.number) == ("Ny tittel", "orientation", 1)


def test_a_case_on_a_held_meeting_is_not_rewritten(clerk_client, meeting, mayors_body, clerk):
    case = register(mayors_body, clerk, meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(status=Status.HELD)
    response = clerk_client.post(url("case_update", case.pk), _case_post(title="Endret"))
    assert response.status_code == 409 and "kan ikke endres" in response.text  # the case page, saying why
    case.refresh_from_db()
    assert case.title == "En sak"


def test_another_cooperations_case_cannot_be_edited(clerk_client, other_coop_case):
    assert clerk_client.post(url("case_update", other_coop_case.pk), _case_post()).status_code == 404
    assert clerk_client.post(url("case_withdraw", other_coop_case.pk)).status_code == 404
    assert clerk_client.get(url("case_move", other_coop_case.pk)).status_code == 404


def test_the_clerk_withdraws_a_case(clerk_client, meeting, mayors_body, clerk):
    case = register(mayors_body, clerk, meeting=meeting)
    assert clerk_client.get(url("case_withdraw", case.pk)).status_code == 405
    response = clerk_client.post(url("case_withdraw", case.pk), {"reason": "Ikke klar"}, follow=True)
    assert "beholder nummeret sitt" in response.text
    case.refresh_from_db()
    assert (case.status, case.withdrawn_reason, case.number) == (Case.Status.WITHDRAWN, "Ikke klar", 1)
    agenda = clerk_client.get(url("meeting_detail", meeting.pk)).text
    assert "Trukket" in agenda


def test_the_clerk_moves_a_case_to_a_later_meeting(clerk_client, meeting, later_meeting, mayors_body, clerk):
    case = register(mayors_body, clerk, meeting=meeting)
    page = clerk_client.get(url("case_move", case.pk)).text
    assert "Ordførermøte høst" in page
    response = clerk_client.post(url("case_move", case.pk), {"meeting": later_meeting.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.meeting, case.number) == (later_meeting, 1)


def test_a_case_cannot_be_moved_to_an_earlier_meeting_through_the_page(
    clerk_client, meeting, later_meeting, mayors_body, clerk
):
    case = register(mayors_body, clerk, meeting=later_meeting)
    response = clerk_client.post(url("case_move", case.pk), {"meeting": meeting.pk})
    assert response.status_code == 200
    assert "Velg et gyldig valg. Valget er ikke av de tilgjengelige valgene." in response.text
    case.refresh_from_db()
    assert case.meeting == later_meeting


def test_a_waiting_case_is_put_on_the_agenda_from_the_meeting_page(clerk_client, meeting, mayors_body, clerk):
    case = register(mayors_body, clerk, title="Venter")
    page = clerk_client.get(url("meeting_detail", meeting.pk)).text
    assert "Sett på sakslisten" in page
    response = clerk_client.post(
        url("case_move", case.pk), {"meeting": meeting.pk, "next": url("meeting_detail", meeting.pk) + "#agenda"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#agenda")
    case.refresh_from_db()
    assert case.meeting == meeting


# ---------------------------------------------------------------------------------------- attachments


def test_the_clerk_uploads_an_attachment_and_members_download_it(clerk_client, meeting, mayors_body, clerk, mayor):
    from django.test import Client

    from khs.services import member_user_ensure

    mayor_client = Client()
    mayor_client.force_login(member_user_ensure(person=mayor))
    case = register(mayors_body, clerk, meeting=meeting)
    response = clerk_client.post(
        url("case_attachment_add", case.pk),
        {"attachment-file": uploads.upload("brev.pdf", uploads.PDF), "attachment-title": "Brev frå Vestregionen"},
    )
    assert response.status_code == 302
    attachment = CaseAttachment.objects.get()
    assert (attachment.title, attachment.sha256) == ("Brev frå Vestregionen", hashlib.sha256(uploads.PDF).hexdigest())
    download = clerk_client.get(url("case_attachment_download", case.pk, attachment.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == uploads.PDF
    assert download["Content-Type"] == "application/pdf" and "brev.pdf" in download["Content-Disposition"]
    assert mayor_client.get(url("case_attachment_download", case.pk, attachment.pk)).status_code == 404  # draft
    services.meeting_status_set(meeting=meeting, actor=clerk, status=Status.SUMMONED)
    assert mayor_client.get(url("case_attachment_download", case.pk, attachment.pk)).status_code == 200


def test_a_refused_file_shows_a_clear_message_and_leaves_nothing(clerk_client, meeting, mayors_body, clerk, settings):
    case = register(mayors_body, clerk, meeting=meeting)
    response = clerk_client.post(
        url("case_attachment_add", case.pk), {"attachment-file": uploads.upload("virus.pdf", uploads.EXE)}
    )
    assert response.status_code == 400
    assert (
        "Filen er ikke en av de tillatte typene (PDF, DOCX, ODT, XLSX, PNG, JPEG), ut fra innholdet." in response.text
    )
    assert not CaseAttachment.objects.exists()
    assert not settings.MEDIA_ROOT.exists() or not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))


def test_an_attachment_of_another_case_is_404(clerk_client, meeting, mayors_body, clerk):
    one, two = register(mayors_body, clerk, meeting=meeting), register(mayors_body, clerk, meeting=meeting)
    attachment = services.case_attachment_add(case=one, actor=clerk, file=uploads.upload("a.pdf", uploads.PDF))
    assert clerk_client.get(url("case_attachment_download", two.pk, attachment.pk)).status_code == 404
    assert clerk_client.post(url("case_attachment_remove", two.pk, attachment.pk)).status_code == 404


def test_the_clerk_removes_an_attachment(clerk_client, meeting, mayors_body, clerk):
    case = register(mayors_body, clerk, meeting=meeting)
    attachment = services.case_attachment_add(case=case, actor=clerk, file=uploads.upload("a.pdf", uploads.PDF))
    assert clerk_client.get(url("case_attachment_remove", case.pk, attachment.pk)).status_code == 405
    assert clerk_client.post(url("case_attachment_remove", case.pk, attachment.pk)).status_code == 302
    assert not CaseAttachment.objects.exists()


def test_the_treasurer_cannot_upload(treasurer_client, meeting, mayors_body, clerk):
    case = register(mayors_body, clerk, meeting=meeting)
    response = treasurer_client.post(
        url("case_attachment_add", case.pk), {"attachment-file": uploads.upload("a.pdf", uploads.PDF)}
    )
    assert response.status_code == 403 and not CaseAttachment.objects.exists()


# ----------------------------------------------------------------------------------------- references


def test_the_clerk_links_a_case_to_earlier_handling(clerk_client, meeting, mayors_body, board, clerk):
    board_case = register(board, clerk, title="Videreføring")
    case = register(mayors_body, clerk, meeting=meeting)
    response = clerk_client.post(
        url("case_reference_add", case.pk), {"reference-earlier_case": board_case.pk, "reference-note": "Styret vedtok"}
    )
    assert response.status_code == 302
    reference = CaseReference.objects.get()
    assert (reference.case, reference.earlier_case, reference.note) == (case, board_case, "Styret vedtok")
    again = clerk_client.post(url("case_reference_add", case.pk), {"reference-earlier_case": board_case.pk})
    assert again.status_code == 400 and "allerede knyttet sammen" in again.text
    clerk_client.post(url("case_reference_remove", case.pk, reference.pk))
    assert not CaseReference.objects.exists()


def test_a_case_of_another_cooperation_cannot_be_referred_to(
    clerk_client, meeting, mayors_body, clerk, other_coop_case
):
    case = register(mayors_body, clerk, meeting=meeting)
    response = clerk_client.post(url("case_reference_add", case.pk), {"reference-earlier_case": other_coop_case.pk})
    assert response.status_code == 400 and not CaseReference.objects.exists()


@pytest.mark.django_db
def test_the_case_form_shows_the_number_registering_will_give_after_imported_cases(clerk_client, mayors_body, clerk):
    import time_machine

    with time_machine.travel("2017-05-01 12:00 +0200", tick=False):
        f.make_case_row(mayors_body, 7)  # imported before the series existed
        page = clerk_client.get(url("body_case_create", mayors_body.pk)).text
        case = services.case_register(body=mayors_body, actor=clerk, title="Neste sak")
    assert f"trolig {case.label}" in page and case.number == 8
