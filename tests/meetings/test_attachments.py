"""Attachments: six kinds, told by content, up to 25 MB, stored with size and SHA-256; refused ones leave nothing."""

import hashlib

import pytest

from khs.models import AuditEntry
from meetings import services
from meetings.errors import MeetingsError
from meetings.filetypes import MAX_ATTACHMENT_SIZE
from meetings.models import CaseAttachment
from tests.meetings import uploads
from tests.meetings.conftest import register


@pytest.fixture
def case(mayors_body, clerk, meeting):
    return register(mayors_body, clerk, title="Kontingent", meeting=meeting)


def _stored_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("brev.pdf", uploads.PDF, "application/pdf"),
        ("notat.docx", uploads.DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("notat.odt", uploads.ODT, "application/vnd.oasis.opendocument.text"),
        ("tall.xlsx", uploads.XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("kart.png", uploads.PNG, "image/png"),
        ("bilde.JPG", uploads.JPEG, "image/jpeg"),
        ("bilde.jpeg", uploads.JPEG, "image/jpeg"),
    ],
)
def test_each_allowed_kind_is_stored_with_size_and_sha256(case, clerk, settings, name, content, content_type):
    attachment = services.case_attachment_add(case=case, actor=clerk, file=uploads.upload(name, content))
    attachment.refresh_from_db()
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.original_name == name
    assert attachment.file.read() == content
    assert AuditEntry.objects.filter(verb="case_attachment_add", object_id=str(attachment.pk)).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("program.pdf", uploads.EXE, "ut fra innholdet"),
        ("side.pdf", uploads.HTML, "ut fra innholdet"),
        ("arkiv.docx", uploads.PLAIN_ZIP, "ut fra innholdet"),
        ("regneark.odt", uploads.ODS, "ut fra innholdet"),
        ("notat.pdf", uploads.DOCX, "DOCX-fil"),
        ("brev.png", uploads.PDF, "PDF-fil"),
        ("brev", uploads.PDF, "PDF-fil"),
        ("tom.pdf", b"", "tom"),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused_and_leaves_nothing_behind(case, clerk, settings, name, content, message):
    with pytest.raises(MeetingsError, match=message):
        services.case_attachment_add(case=case, actor=clerk, file=uploads.upload(name, content))
    assert not CaseAttachment.objects.exists()
    assert _stored_files(settings) == []


def test_a_file_over_25_mb_is_refused(case, clerk, settings):
    big = uploads.upload("stor.pdf", b"%PDF-" + b"0" * (MAX_ATTACHMENT_SIZE - 4))
    with pytest.raises(MeetingsError, match="for stor"):
        services.case_attachment_add(case=case, actor=clerk, file=big)
    assert not CaseAttachment.objects.exists() and _stored_files(settings) == []


def test_a_file_of_exactly_25_mb_is_accepted(case, clerk):
    exact = uploads.upload("akkurat.pdf", b"%PDF-" + b"0" * (MAX_ATTACHMENT_SIZE - 5))
    assert services.case_attachment_add(case=case, actor=clerk, file=exact).size == MAX_ATTACHMENT_SIZE


def test_a_failure_after_the_file_is_written_removes_the_file(case, clerk, settings, monkeypatch):
    def broken_audit(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services.cases, "audit_log", broken_audit)
    with pytest.raises(RuntimeError):
        services.case_attachment_add(case=case, actor=clerk, file=uploads.upload("brev.pdf", uploads.PDF))
    assert not CaseAttachment.objects.exists() and _stored_files(settings) == []


def test_no_attachment_is_added_once_the_meeting_is_held(case, clerk, meeting):
    services.meeting_status_set(meeting=meeting, actor=clerk, status="summoned")
    services.meeting_mark_held(meeting=meeting, actor=clerk)
    with pytest.raises(MeetingsError):
        services.case_attachment_add(case=case, actor=clerk, file=uploads.upload("brev.pdf", uploads.PDF))


def test_removing_an_attachment_deletes_its_file_after_commit(
    case, clerk, settings, django_capture_on_commit_callbacks
):
    attachment = services.case_attachment_add(case=case, actor=clerk, file=uploads.upload("brev.pdf", uploads.PDF))
    with django_capture_on_commit_callbacks(execute=True):
        services.case_attachment_remove(attachment=attachment, actor=clerk)
    assert not CaseAttachment.objects.exists() and _stored_files(settings) == []
