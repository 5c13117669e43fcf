"""A case text and a case's attachments have a size limit, with a clear message (rendering a megabyte of
text to PDF used to take minutes inside the request)."""

import pytest

from meetings import services
from meetings.errors import MeetingsError
from meetings.models import Case, CaseAttachment
from meetings.richtext import MAX_TEXT_CHARS
from meetings.services import cases as case_services
from tests.meetings import uploads
from tests.meetings.conftest import register


@pytest.fixture
def case(mayors_body, clerk, meeting):
    return register(mayors_body, clerk, title="Kontingent", meeting=meeting)


def test_a_case_text_over_the_limit_is_refused_by_the_service(case, clerk):
    with pytest.raises(MeetingsError, match="Teksten er for lang"):
        services.case_update(case=case, actor=clerk, background="<p>" + "x" * (MAX_TEXT_CHARS + 1) + "</p>")
    assert Case.objects.get(pk=case.pk).background == case.background


def test_the_case_form_shows_the_limit_beside_the_field(clerk_client, case):
    response = clerk_client.post(
        f"/cases/{case.pk}/edit/", {"title": case.title, "kind": case.kind, "background": "y" * 1_100_000}
    )
    assert response.status_code == 200
    assert "Teksten er for lang" in response.content.decode()


def test_attachments_of_a_case_have_a_total_limit(case, clerk, monkeypatch):
    monkeypatch.setattr(case_services, "MAX_CASE_ATTACHMENTS_TOTAL", len(uploads.PDF) * 2)
    services.case_attachment_add(case=case, actor=clerk, file=uploads.upload("a.pdf", uploads.PDF))
    services.case_attachment_add(case=case, actor=clerk, file=uploads.upload("b.pdf", uploads.PDF))
    with pytest.raises(MeetingsError, match="for store til sammen"):
        services.case_attachment_add(case=case, actor=clerk, file=uploads.upload("c.pdf", uploads.PDF))
    assert CaseAttachment.objects.filter(case=case).count() == 2
