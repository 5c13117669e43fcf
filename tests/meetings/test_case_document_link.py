"""The case document (saksframlegg) is reachable from the case page in every state of the case."""

import pytest
from django.urls import reverse

from khs.lib.pdf import pdf_text
from meetings import services


def _pdf_from_the_case_page(client, case):
    link = reverse("meetings:case_document_pdf", args=[case.pk])
    page = client.get(case.get_absolute_url())
    assert page.status_code == 200 and f'href="{link}"' in page.text and "Saksframlegg (PDF)" in page.text
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return pdf_text(response.content)


@pytest.mark.parametrize("state", ["draft", "waiting", "on_meeting", "withdrawn"])
def test_the_case_page_links_the_case_document_in_every_state(clerk_client, clerk, mayors_body, meeting, state):
    on_meeting = meeting if state in ("on_meeting", "withdrawn") else None
    case = services.case_register(
        body=mayors_body, meeting=on_meeting, actor=clerk, title="Kontingent 2018", draft=state == "draft"
    )
    if state == "withdrawn":
        services.case_withdraw(case=case, actor=clerk, reason="Feil organ")
    assert "Kontingent 2018" in _pdf_from_the_case_page(clerk_client, case)
