"""The decision register: filters, full-text search with ranking and highlights, staff and public scopes."""

import pytest
from django.db import connection
from django.urls import reverse

from meetings.models import Case
from publishing import search
from publishing.models import CasePublication, MemberDecision
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_searching_kontingent_finds_the_case_with_its_vedtak_highlighted(client, world):
    response = client.get(reverse("publishing:register"), {"q": "kontingent"})
    text = response.content.decode()
    assert "Sak 2/2017 Forslag til kontingent 2018" in text
    assert "<mark>kontingent" in text
    assert "Medlemskontingenten fastsettes til kr 2,50" in text  # its vedtak
    assert reverse("publishing:case_detail", args=[world.fee.pk]) in text
    assert reverse("publishing:meeting_detail", args=[world.meeting.pk]) in text
    # public search never reaches closed, held-back or draft cases, nor internal titles
    assert "Utkast om kontingent" not in text and "Ola Nordmann" not in text and "Kari Hansen" not in text


def test_the_title_ranks_above_a_mention_in_the_text(world):
    mention = f.make_case_row(world.body, 30, title="Budsjett", background="<p>Se også kontingent.</p>")
    hits, total = search.search_cases(Case.objects.all(), "kontingent")
    ranked = [h.case.pk for h in hits]
    assert total == 4  # fee, the public title of the complaint, the draft, and the mention
    assert ranked[-1] == mention.pk


def test_the_public_title_is_searched_not_the_internal_one(client, world):
    hits, _ = search.search_cases(Case.objects.all(), "Hansen")
    assert hits == []
    text = client.get(reverse("publishing:register"), {"q": "klage"}).content.decode()
    assert "Klage på vedtak om kontingent" in text and "Kari Hansen" not in text


def test_a_phrase_matches_only_in_that_order(world):
    hits, _ = search.search_cases(Case.objects.all(), '"kr 2,50 pr innbygger"')
    assert [h.case.pk for h in hits] == [world.fee.pk]
    hits, _ = search.search_cases(Case.objects.all(), '"innbygger pr 2,50"')
    assert hits == []


def test_the_index_follows_edits_to_a_case(world):
    Case.objects.filter(pk=world.fee.pk).update(assessment="<p>Vurdert av revisjonsutvalget.</p>")
    hits, _ = search.search_cases(Case.objects.all(), "revisjonsutvalget")
    assert [h.case.pk for h in hits] == [world.fee.pk]


def test_staff_search_what_they_may_read_including_drafts(client, clerk, other_clerk, world):
    client.force_login(clerk)
    text = client.get(reverse("publishing:register"), {"q": "kontingent"}).content.decode()
    assert "Utkast om kontingent" in text
    client.force_login(other_clerk)
    text = client.get(reverse("publishing:register"), {"q": "kontingent"}).content.decode()
    assert "Forslag til kontingent" not in text


def test_register_without_query_lists_decisions_and_filters(client, world, coop, municipalities):
    url = reverse("publishing:register")
    text = client.get(url).content.decode()
    assert "Forslag til kontingent 2018" in text
    other = f.make_body(coop, name="Styret")
    assert "Forslag til kontingent" not in client.get(url, {"body": other.pk}).content.decode()
    assert "Forslag til kontingent" in client.get(url, {"body": world.body.pk, "year": 2017}).content.decode()
    assert "Forslag til kontingent" not in client.get(url, {"year": 2016}).content.decode()
    assert "Forslag til kontingent" not in client.get(url, {"kind": "orientation"}).content.decode()
    lier = municipalities["lier"]
    assert "Forslag til kontingent" not in client.get(url, {"municipality": lier.pk}).content.decode()
    publication = CasePublication.objects.create(case=world.fee)
    publication.municipalities.add(lier)
    assert "Forslag til kontingent" in client.get(url, {"municipality": lier.pk}).content.decode()
    MemberDecision.objects.create(case=world.renamed, municipality=municipalities["gol"], requested_on="2017-06-20")
    text = client.get(url, {"municipality": municipalities["gol"].pk}).content.decode()
    assert "Klage på vedtak om kontingent" in text


def test_register_page_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    for n in range(10, 30):
        f.make_case_row(world.body, n, title=f"Kontingent nr {n}", meeting=world.meeting)
    # PostgreSQL adds its savepoint, SET LOCALs and the plan check: a fixed number, whatever the data.
    with django_assert_max_num_queries(13):
        assert client.get(reverse("publishing:register"), {"q": "kontingent"}).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("publishing:register")).status_code == 200


def test_bad_filter_is_shown_and_nothing_breaks(client, world):
    response = client.get(reverse("publishing:register"), {"year": "abc", "q": "kontingent"})
    assert response.status_code == 200


@pytest.mark.postgres
def test_postgres_search_uses_the_gin_index(world):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT case_id FROM publishing_case_search WHERE document @@ websearch_to_tsquery('norwegian', %s)",
            ["kontingent"],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "publishing_case_search_document_gin" in plan
