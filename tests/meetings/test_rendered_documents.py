"""PDFs ready when asked for: each version of a document is rendered once and kept, the preview, the mail and a
member's download are the same bytes, a long summons re-renders only the case that changed, and a worker renders
the new version after a change."""

import hashlib
import threading

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from weasyprint import HTML

from khs.lib.pdf import pdf_page_count, pdf_text
from meetings import documents, services
from meetings.documents import store
from meetings.models import Case, Dispatch, RenderedDocument
from meetings.services import summons
from meetings.services.attendance import invitee_answer_token
from tests.meetings.summons_world import invite, long_meeting, squash
from tests.meetings.test_summons_sending import attachments

Kind = RenderedDocument.Kind


@pytest.fixture
def renders(monkeypatch):
    """How many times WeasyPrint rendered a document."""
    count = []
    real = HTML.render

    def counted(self, *args, **kwargs):
        count.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "render", counted)
    return count


def _case(meeting, title, clerk):
    return services.case_register(
        body=meeting.body, meeting=meeting, actor=clerk, title=title, background="<p>Bakgrunn.</p>"
    )


def test_a_summons_is_rendered_once_and_kept_in_media_with_its_hash(clerk_client, clerk, meeting, renders, settings):
    _case(meeting, "Kontingent 2018", clerk)
    url = reverse("meetings:summons_pdf", args=[meeting.pk])
    first = clerk_client.get(url).content
    again = clerk_client.get(url).content
    assert first == again and len(renders) == 1
    stored = RenderedDocument.objects.get(kind=Kind.SUMMONS, object_id=meeting.pk)
    assert len(stored.content_sha256) == 64 and stored.size == len(first) and stored.pages == pdf_page_count(first)
    assert (settings.MEDIA_ROOT / stored.file.name).read_bytes() == first
    assert "Kontingent 2018" in pdf_text(first)


def test_a_change_to_a_case_makes_a_new_version(clerk_client, clerk, meeting, renders):
    case = _case(meeting, "Kontingent 2018", clerk)
    url = reverse("meetings:summons_pdf", args=[meeting.pk])
    clerk_client.get(url)
    services.case_update(case=case, actor=clerk, title="Kontingent 2019")
    text = pdf_text(clerk_client.get(url).content)
    assert "Kontingent 2019" in text and "Kontingent 2018" not in text
    assert len(renders) == 2
    assert RenderedDocument.objects.filter(kind=Kind.SUMMONS, object_id=meeting.pk).count() == 2


def test_the_document_language_is_part_of_the_version(clerk, meeting):
    _case(meeting, "Kontingent 2018", clerk)
    bokmal = documents.summons_document(meeting)
    meeting.body.language = "nn"
    meeting.body.save()
    nynorsk = documents.summons_document(meeting)
    assert bokmal.content_sha256 != nynorsk.content_sha256
    assert "Innkalling til" in pdf_text(store.read(bokmal)) and "Innkalling til" in pdf_text(store.read(nynorsk))


def test_preview_mail_and_members_download_are_the_same_bytes(clerk_client, clerk, meeting, renders, before_deadline):
    _case(meeting, "Kontingent 2018", clerk)
    invitees = invite(meeting, 2)
    preview = clerk_client.get(reverse("meetings:summons_pdf", args=[meeting.pk])).content
    summons.meeting_summon(meeting=meeting, actor=clerk)
    attached = [c for name, (c, _t) in attachments(mail.outbox[0]).items() if name.endswith(".pdf")]
    download = clerk_client.get("/attend/" + invitee_answer_token(invitees[0]) + "/documents/summons.pdf").content
    dispatch = Dispatch.objects.get(meeting=meeting)
    assert attached == [preview] and download == preview and dispatch.document.read() == preview
    assert len(renders) == 1  # sending rendered nothing: the preview's version was there


def test_two_renders_of_one_version_at_once_keep_one_copy(clerk, meeting, settings):
    _case(meeting, "Kontingent 2018", clerk)
    html = documents.summons_html(meeting)
    key = store.version_key(html, lang="nb")
    data = documents.render_summons_pdf(meeting)
    mine = store.keep(Kind.SUMMONS, meeting.pk, key, data, name="a.pdf")
    theirs = store.keep(Kind.SUMMONS, meeting.pk, key, data, name="b.pdf")  # the slower of two renders
    assert theirs.pk == mine.pk and RenderedDocument.objects.filter(content_sha256=key).count() == 1
    files = [p for p in (settings.MEDIA_ROOT / "rendered").rglob("*.pdf")]
    assert files == [settings.MEDIA_ROOT / mine.file.name]  # the loser's file is removed


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_for_a_new_version_store_it_once(postgres_only, coop):
    meeting = long_meeting(coop, 2, 80)
    errors, results = [], []

    def run():
        try:
            results.append(documents.summons_document(meeting).pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(set(results)) == 1
    assert RenderedDocument.objects.filter(kind=Kind.SUMMONS, object_id=meeting.pk).count() == 1


# --- A long summons: per case, merged, numbered across the whole ------------------------------------------------


def test_a_long_summons_is_merged_from_its_cases_and_numbered_across_the_whole(coop):
    meeting = long_meeting(coop, store.SPLIT_FROM_CASES + 1, 300)
    data = documents.summons_pdf(meeting)
    total = pdf_page_count(data)
    from tests.meetings.test_documents_summons import page_texts

    pages = page_texts(data)
    assert total >= store.SPLIT_FROM_CASES + 2  # the head, then each case from a new page
    for number, text in enumerate(pages, 1):
        assert f"Side {number} av {total}" in text
    assert "Innkalling · Styremøte · 15.06.2017" not in pages[0]
    assert all("Innkalling · Styremøte · 15.06.2017" in text for text in pages[1:])
    text = squash(pdf_text(data))
    positions = [text.rindex(f"Sak {n}/2017 Tittel på sak nummer {n}") for n in range(1, store.SPLIT_FROM_CASES + 2)]
    assert positions == sorted(positions) and text.count("Saker til behandling") == 1
    stored = RenderedDocument.objects.filter(kind=Kind.SUMMONS_CASE).count()
    assert stored == store.SPLIT_FROM_CASES + 1


def test_editing_one_case_of_a_long_summons_renders_only_that_case(coop, clerk, renders):
    meeting = long_meeting(coop, store.SPLIT_FROM_CASES + 2, 200)
    documents.summons_pdf(meeting)
    renders.clear()
    case = Case.objects.get(meeting=meeting, number=4)
    services.case_update(case=case, actor=clerk, background=case.background + "<p>Ny opplysning i saken.</p>")
    data = documents.summons_pdf(meeting)
    assert len(renders) == 1  # that case alone; the head, the other cases and the page frame were kept
    assert "Ny opplysning i saken." in squash(pdf_text(data))
    total = pdf_page_count(data)
    assert f"Side {total} av {total}" in pdf_text(data)


def test_a_case_that_grows_a_page_renumbers_every_page(coop, clerk):
    meeting = long_meeting(coop, store.SPLIT_FROM_CASES, 200)
    before = pdf_page_count(documents.summons_pdf(meeting))
    case = Case.objects.get(meeting=meeting, number=2)
    longer = "".join(f"<p>Avsnitt {n} med mer tekst om saken og hva den betyr for kommunene.</p>" for n in range(60))
    services.case_update(case=case, actor=clerk, background=longer)
    data = documents.summons_pdf(meeting)
    total = pdf_page_count(data)
    assert total > before
    text = pdf_text(data)
    assert all(f"Side {n} av {total}" in text for n in range(1, total + 1))


# --- Ready before asked: the worker renders after each change ---------------------------------------------------


def test_after_a_change_the_worker_has_the_new_summons_ready(clerk_client, clerk, meeting, renders, settings):
    settings.DOCUMENTS_PRERENDER = True
    case = _case(meeting, "Kontingent 2018", clerk)
    services.case_update(case=case, actor=clerk, title="Kontingent 2019")
    renders.clear()
    summons_pdf = clerk_client.get(reverse("meetings:summons_pdf", args=[meeting.pk])).content
    case_pdf = clerk_client.get(reverse("meetings:case_document_pdf", args=[case.pk])).content
    assert renders == []  # both were rendered by the task after the commit
    assert "Kontingent 2019" in pdf_text(summons_pdf) and "Kontingent 2019" in pdf_text(case_pdf)


def test_old_versions_are_removed_after_a_while(clerk, meeting, settings, monkeypatch):
    from django.utils import timezone

    settings.DOCUMENTS_PRERENDER = True
    case = _case(meeting, "Kontingent 2018", clerk)
    first = RenderedDocument.objects.get(kind=Kind.SUMMONS, object_id=meeting.pk)
    RenderedDocument.objects.filter(pk=first.pk).update(rendered_at=timezone.now() - timezone.timedelta(days=30))
    services.case_update(case=case, actor=clerk, title="Kontingent 2019")
    assert list(RenderedDocument.objects.filter(kind=Kind.SUMMONS, object_id=meeting.pk)) != [first]
    assert not RenderedDocument.objects.filter(pk=first.pk).exists()
    assert not (settings.MEDIA_ROOT / first.file.name).exists()


def test_the_stored_bytes_are_what_the_hash_of_the_approved_minutes_names(coop):
    """The summons's sha256 on a dispatch is the sha256 of the file in storage (nothing re-rendered on the way)."""
    meeting = long_meeting(coop, 2, 50)
    stored = documents.summons_document(meeting)
    assert hashlib.sha256(store.read(stored)).hexdigest() == hashlib.sha256(documents.summons_pdf(meeting)).hexdigest()
