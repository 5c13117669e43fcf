"""The open-data API answers in the shape its own OpenAPI description gives, for the public part only."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate as validate_spec

from publishing.api.views import PAGE_SIZE
from tests import factories as f

pytestmark = pytest.mark.django_db
SPEC = json.loads((Path(__file__).resolve().parents[2] / "publishing" / "api" / "openapi.json").read_text())


def check(response, schema_name):
    """The response is 200 JSON valid against components/schemas/<schema_name> of the served description."""
    assert response.status_code == 200, response.content[:300]
    data = response.json()
    validator = Draft202012Validator(
        {**SPEC, "$ref": f"#/components/schemas/{schema_name}"}, format_checker=FormatChecker()
    )
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    return data


def test_the_served_description_is_a_valid_openapi_document(client):
    response = client.get(reverse("publishing:api_openapi"))
    assert response.status_code == 200
    validate_spec(response.json())
    assert response.json() == SPEC


def test_every_path_of_the_description_answers_and_validates(client, world):
    coop = world.coop.pk
    api = "/api/oparl/v1"
    ids = {
        "/system": "System",
        "/bodies": "BodyList",
        f"/body/{coop}": "Body",
        f"/body/{coop}/organizations": "OrganizationList",
        f"/body/{coop}/meetings": "MeetingList",
        f"/body/{coop}/papers": "PaperList",
        f"/organization/{world.body.pk}": "Organization",
        f"/meeting/{world.meeting.pk}": "Meeting",
        f"/agendaitem/{world.fee.pk}": "AgendaItem",
        f"/paper/{world.fee.pk}": "Paper",
        f"/consultation/{world.fee.pk}": "Consultation",
        f"/file/minutes-{world.meeting.pk}": "File",
        f"/file/summons-{world.meeting.pk}": "File",
        f"/file/casedoc-{world.fee.pk}": "File",
    }
    for template in SPEC["paths"]:  # every described path is exercised
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
        assert any(pattern.match(p) for p in ids), template
    for path, schema in ids.items():
        check(client.get(api + path), schema)


def test_meeting_carries_votes_per_municipality_and_the_minutes_checksum(client, world):
    data = check(client.get(reverse("publishing:api_meeting", args=[world.meeting.pk])), "Meeting")
    items = {i["number"]: i for i in data["agendaItem"]}
    fee = items["2/2017"]
    assert fee["resolutionText"].startswith("<p>Medlemskontingenten fastsettes")
    assert fee["result"] == "Vedtatt"
    votes = fee["khs:votes"]
    assert (votes["for"], votes["against"], votes["blank"], votes["mode"]) == (1, 1, 0, "municipalities")
    assert {(v["municipality"], v["choice"]) for v in votes["votes"]} == {("Lier", "for"), ("Gol", "against")}
    assert data["resultsProtocol"]["khs:sha256Checksum"] == world.minutes.document_sha256
    closed = items["3/2017"]
    assert closed["public"] is False and closed["name"] == "Unntatt offentlighet"
    assert closed["khs:legalBasis"] == "offl. § 25"
    assert "5/2017" not in items  # held back
    assert "Ola Nordmann" not in json.dumps(data, ensure_ascii=False)
    assert "Kari Hansen" not in json.dumps(data, ensure_ascii=False)


def test_drafts_and_closed_texts_are_not_in_the_api(client, world):
    assert client.get(reverse("publishing:api_meeting", args=[world.draft_meeting.pk])).status_code == 404
    assert client.get(reverse("publishing:api_paper", args=[world.draft_case.pk])).status_code == 404
    paper = check(client.get(reverse("publishing:api_paper", args=[world.exempt.pk])), "Paper")
    assert "mainFile" not in paper and paper["name"] == "Unntatt offentlighet"
    renamed = check(client.get(reverse("publishing:api_paper", args=[world.renamed.pk])), "Paper")
    assert "mainFile" not in renamed  # the case document prints the internal title


def test_lists_are_paged_with_links_next(client, world, django_assert_max_num_queries):
    for n in range(40, 40 + PAGE_SIZE + 5):
        f.make_case_row(world.body, n, title=f"Sak nummer {n}", meeting=world.meeting)
    url = reverse("publishing:api_paper_list", args=[world.coop.pk])
    with django_assert_max_num_queries(6):
        first = check(client.get(url), "PaperList")
    assert first["pagination"]["totalElements"] == PAGE_SIZE + 5 + 3
    assert len(first["data"]) == PAGE_SIZE
    second = check(client.get(first["links"]["next"].split("testserver")[-1]), "PaperList")
    assert "next" not in second["links"] and second["pagination"]["currentPage"] == 2
    meetings = reverse("publishing:api_meeting_list", args=[world.coop.pk])
    with django_assert_max_num_queries(8):
        check(client.get(meetings), "MeetingList")


def test_modified_since_filters_and_a_bad_value_is_refused(client, world):
    url = reverse("publishing:api_meeting_list", args=[world.coop.pk])
    everything = check(client.get(url), "MeetingList")
    assert everything["pagination"]["totalElements"] == 2  # approved and upcoming, not the draft
    later = check(client.get(url, {"modified_since": "2999-01-01T00:00:00+00:00"}), "MeetingList")
    assert later["data"] == []
    response = client.get(url, {"modified_since": "yesterday"})
    assert response.status_code == 400 and "modified_since" in response.json()["error"]
    assert client.get(url, {"page": 99}).status_code == 404
