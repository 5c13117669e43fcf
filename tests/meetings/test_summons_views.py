"""The summons pages: the panel, sending from it, and the PDFs staff and invited members may read."""

from email.utils import parseaddr

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from khs.lib.pdf import pdf_text
from khs.models import AuditEntry
from meetings.models import Dispatch, Meeting
from meetings.services import summons
from tests import factories as f
from tests.meetings.summons_world import invite, long_meeting, seed_000_meeting, squash


@pytest.fixture
def meeting(coop):
    return seed_000_meeting(coop)


def panel_url(meeting):
    return reverse("meetings:summons_panel", args=[meeting.pk])


# --- The panel ---


def test_panel_shows_previews_send_button_and_an_empty_log(clerk_client, meeting):
    invite(meeting, 2, without_email=1)
    response = clerk_client.get(panel_url(meeting))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("meetings:summons_pdf", args=[meeting.pk]) in html
    for case in meeting.cases.all():
        assert reverse("meetings:case_document_pdf", args=[case.pk]) in html
    assert "Send innkalling" in html
    assert "Innkallingen sendes til 3 inviterte" in html
    assert "Uten e-post 0" in html  # to be printed
    assert "Ingenting er sendt ennå." in html
    assert "/calendar/body/" in html


def test_panel_shows_the_dispatch_log_and_who_gets_it_by_post(clerk_client, clerk, meeting):
    invite(meeting, 2, without_email=1)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    html = clerk_client.get(panel_url(meeting)).content.decode()
    dispatch = Dispatch.objects.get()
    assert "Utsendingslogg" in html and "2 e-post, 1 utskrift, 0 feilet" in html
    assert "Sendes i posten" in html and "Uten e-post 0" in html
    assert "Skriv ut dokumentet (innkalling) og send det i posten" in html
    assert reverse("meetings:dispatch_document", args=[dispatch.pk]) in html
    assert "Send endret innkalling til alle" in html
    assert "Send innkalling</button>" not in html  # everyone has it


def test_panel_query_count_does_not_grow_with_cases_invitees_or_dispatches(
    client, clerk, coop, django_assert_max_num_queries
):
    client.force_login(clerk)
    small = long_meeting(coop, 1, 20)
    invite(small, 1)
    summons.meeting_summon(meeting=small, actor=clerk)
    with django_assert_max_num_queries(20) as small_queries:
        assert client.get(panel_url(small)).status_code == 200
    big = f.make_meeting(small.body, title="Stort møte")
    for n in range(2, 12):
        case = f.make_case_row(small.body, n, meeting=big, title=f"Sak {n}")
        f.make_attachment(case, title=f"Vedlegg {n}")
    invite(big, 8, without_email=2)
    summons.meeting_summon(meeting=big, actor=clerk)
    f.make_invitee(big, name="Sen")
    summons.meeting_summon(meeting=big, actor=clerk)
    with django_assert_max_num_queries(len(small_queries)):
        assert client.get(panel_url(big)).status_code == 200


def test_treasurer_reads_the_panel_without_send_buttons(treasurer_client, meeting):
    invite(meeting, 1)
    html = treasurer_client.get(panel_url(meeting)).content.decode()
    assert "Innkalling og utsending" in html and "Send innkalling" not in html


def test_panel_of_another_cooperations_meeting_is_not_found(client, other_clerk, meeting):
    client.force_login(other_clerk)
    assert client.get(panel_url(meeting)).status_code == 404


def test_panel_is_for_staff_only(client, mayor_client, meeting):
    assert mayor_client.get(panel_url(meeting)).status_code == 403
    client.logout()
    response = client.get(panel_url(meeting))
    assert response.status_code == 302 and reverse("login") in response["Location"]


# --- Sending ---


def test_send_mails_everyone_and_returns_with_a_message(clerk_client, clerk, meeting):
    invite(meeting, 2, without_email=1)
    # After the confirmation page (issue 12), see test_sending_asks_first_saying_how_many_and_to_whom.
    response = clerk_client.post(reverse("meetings:summons_send", args=[meeting.pk]), {"confirmed": "1"}, follow=True)
    dispatch = Dispatch.objects.get(meeting=meeting)  # the dispatch's page follows the sending
    assert response.redirect_chain[-1][0] == reverse("meetings:dispatch_detail", args=[dispatch.pk])
    assert len(mail.outbox) == 2
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SUMMONED
    html = response.content.decode()
    assert "Innkallingen er sendt: 2 e-poster sendt, 1 til utskrift." in html
    assert "må få dokumentet i posten: Uten e-post 0" in html
    assert AuditEntry.objects.filter(verb="meeting_summon", actor=clerk).exists()


def test_send_returns_to_the_page_it_came_from_but_never_elsewhere(clerk_client, meeting):
    invite(meeting, 1)
    url = reverse("meetings:summons_send", args=[meeting.pk])
    sent = clerk_client.post(url, {"next": "/dashboard/?fra=motet", "confirmed": "1"})
    assert sent["Location"] == "/dashboard/?fra=motet"
    f.make_invitee(meeting)
    assert clerk_client.post(url, {"next": "https://evil.example/", "confirmed": "1"})["Location"].startswith(
        "/summons/dispatches/"
    )


def test_sending_again_shows_why_nothing_was_sent(clerk_client, clerk, meeting):
    invite(meeting, 1)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    response = clerk_client.post(reverse("meetings:summons_send", args=[meeting.pk]), follow=True)
    assert "Alle inviterte har allerede fått innkallingen" in response.content.decode()
    assert len(mail.outbox) == 1


def test_sending_asks_first_saying_how_many_and_to_whom(clerk_client, meeting):
    invite(meeting, 2, without_email=1)
    url = reverse("meetings:summons_send", args=[meeting.pk])
    page = clerk_client.post(url, {"next": "/dashboard/"})
    assert page.status_code == 200 and not mail.outbox and not Dispatch.objects.exists()
    html = page.content.decode()
    assert "til 3 inviterte" in html and "Send innkalling til 3 inviterte" in html
    assert "uten e-post: til utskrift" in html and 'name="confirmed" value="1"' in html
    assert 'name="next" value="/dashboard/"' in html
    clerk_client.post(url, {"next": "/dashboard/", "confirmed": "1"})
    assert len(mail.outbox) == 2


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_send_refuses_get_other_roles_and_other_cooperations(clerk, treasurer, mayor, other_clerk, meeting):
    from khs.services import member_user_ensure

    invite(meeting, 1)
    url = reverse("meetings:summons_send", args=[meeting.pk])
    assert signed_in(clerk).get(url).status_code == 405
    assert signed_in(treasurer).post(url).status_code == 403
    assert signed_in(member_user_ensure(person=mayor)).post(url).status_code == 403
    assert signed_in(other_clerk).post(url).status_code == 404
    assert Client().post(url).status_code == 302
    assert not mail.outbox and not Dispatch.objects.exists()


def test_resend_with_a_note_mails_everyone_the_change(clerk_client, clerk, meeting):
    invite(meeting, 2)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    mail.outbox.clear()
    response = clerk_client.post(
        reverse("meetings:summons_resend", args=[meeting.pk]), {"change_note": "Møtet flyttes til rådhuset."}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 2 and "Møtet flyttes til rådhuset." in mail.outbox[0].body
    meeting.refresh_from_db()
    assert meeting.sequence == 1


def test_resend_without_a_change_shows_the_error_beside_the_form(clerk_client, clerk, meeting):
    invite(meeting, 1)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    response = clerk_client.post(reverse("meetings:summons_resend", args=[meeting.pk]), {"change_note": ""})
    assert response.status_code == 200
    assert "Ingenting er endret siden forrige utsending" in response.content.decode()
    assert len(mail.outbox) == 1 and Dispatch.objects.count() == 1


def test_resend_with_too_long_a_note_is_refused(clerk_client, clerk, meeting):
    invite(meeting, 1)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    response = clerk_client.post(reverse("meetings:summons_resend", args=[meeting.pk]), {"change_note": "x" * 2001})
    assert response.status_code == 200
    assert "2000" in response.content.decode()  # the field's error
    meeting.refresh_from_db()
    assert meeting.sequence == 0 and len(mail.outbox) == 1


def test_supplementary_view_sends_the_new_cases(clerk_client, clerk, meeting):
    invite(meeting, 1)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    f.make_case_row(meeting.body, 4, meeting=meeting, title="Etteranmeldt sak")
    html = clerk_client.get(panel_url(meeting)).content.decode()
    assert "Etteranmeldt sak" in html and reverse("meetings:supplementary_pdf", args=[meeting.pk]) in html
    preview = clerk_client.get(reverse("meetings:supplementary_pdf", args=[meeting.pk]))
    assert "Sak 4/2017 Etteranmeldt sak" in squash(pdf_text(preview.content))
    clerk_client.post(reverse("meetings:summons_supplementary", args=[meeting.pk]))
    assert mail.outbox[-1].subject.startswith("Tilleggsinnkalling")
    assert clerk_client.get(reverse("meetings:supplementary_pdf", args=[meeting.pk])).status_code == 404


def test_cancel_notice_view_tells_everyone_summoned(clerk_client, clerk, meeting):
    invite(meeting, 2)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    assert "Send avlysning til alle innkalte" in clerk_client.get(panel_url(meeting)).content.decode()
    clerk_client.post(reverse("meetings:summons_cancel_notice", args=[meeting.pk]), {"reason": "Sykdom."})
    assert len(mail.outbox) == 4 and mail.outbox[-1].subject.startswith("Avlyst")
    assert "Send avlysning til alle innkalte" not in clerk_client.get(panel_url(meeting)).content.decode()


def test_cancel_notice_for_a_meeting_that_is_not_cancelled_shows_the_error(clerk_client, clerk, meeting):
    invite(meeting, 1)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    response = clerk_client.post(reverse("meetings:summons_cancel_notice", args=[meeting.pk]), {"reason": ""})
    assert response.status_code == 200 and "Møtet er ikke avlyst." in response.content.decode()
    assert len(mail.outbox) == 1


# --- PDFs ---


def test_clerk_previews_the_summons_pdf(clerk_client, meeting):
    response = clerk_client.get(reverse("meetings:summons_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="innkalling-2017-06-15-')
    assert "Innkalling til ordførermøte" in squash(pdf_text(response.content))


def test_invited_member_reads_the_summons_and_case_documents_once_summoned(mayor_client, mayor, clerk, meeting):
    f.make_invitee(meeting, person=mayor)
    case = meeting.cases.get(number=1)
    summons_url = reverse("meetings:summons_pdf", args=[meeting.pk])
    case_url = reverse("meetings:case_document_pdf", args=[case.pk])
    assert mayor_client.get(summons_url).status_code == 404  # a draft is the secretariat's own
    assert mayor_client.get(case_url).status_code == 404
    summons.meeting_summon(meeting=meeting, actor=clerk)
    assert mayor_client.get(summons_url).status_code == 200
    response = mayor_client.get(case_url)
    assert response.status_code == 200 and "Saksframlegg" in pdf_text(response.content)
    assert mayor_client.get(reverse("meetings:meeting_ics", args=[meeting.pk])).status_code == 200


def test_member_not_invited_and_outsiders_cannot_read_the_pdfs(client, mayor_client, other_clerk, clerk, meeting):
    invite(meeting, 1)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    case = meeting.cases.first()
    urls = [
        reverse("meetings:summons_pdf", args=[meeting.pk]),
        reverse("meetings:case_document_pdf", args=[case.pk]),
        reverse("meetings:meeting_ics", args=[meeting.pk]),
    ]
    for url in urls:
        assert mayor_client.get(url).status_code == 404
    mayor_client.logout()
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(other_clerk)
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.get(reverse("meetings:dispatch_document", args=[Dispatch.objects.get().pk])).status_code == 404


def test_pdfs_refuse_post(clerk_client, meeting):
    assert clerk_client.post(reverse("meetings:summons_pdf", args=[meeting.pk])).status_code == 405
    assert clerk_client.post(reverse("meetings:case_document_pdf", args=[meeting.cases.first().pk])).status_code == 405


def test_the_sent_document_is_kept_as_sent(clerk_client, clerk, meeting):
    invite(meeting, 1)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    meeting.cases.filter(number=3).update(title="Ny tittel etter utsending")
    response = clerk_client.get(reverse("meetings:dispatch_document", args=[Dispatch.objects.get().pk]))
    assert response.status_code == 200
    text = squash(pdf_text(response.content))
    assert "Presentasjon av modell for styringsinformasjon" in text and "Ny tittel" not in text
    assert parseaddr(mail.outbox[0].to[0])[1].endswith("@example.no")


def test_a_member_reads_a_withdrawn_case_as_its_page_shows_it(mayor_client, mayor, clerk, meeting):
    """The agenda lists a withdrawn case, marked: its page and its document open alike (meetings.rules)."""
    from meetings import services as meeting_services

    f.make_invitee(meeting, person=mayor)
    summons.meeting_summon(meeting=meeting, actor=clerk)
    case = meeting.cases.get(number=1)
    meeting_services.case_withdraw(case=case, actor=clerk, reason="Trukket av saksbehandler")
    assert mayor_client.get(case.get_absolute_url()).status_code == 200
    response = mayor_client.get(reverse("meetings:case_document_pdf", args=[case.pk]))
    assert response.status_code == 200 and "Saksframlegg" in pdf_text(response.content)
