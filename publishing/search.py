"""Full-text search over case titles, texts and resolutions, ranked, with highlighted hits.

PostgreSQL (production): the table publishing_case_search holds one weighted tsvector per case in the
'norwegian' configuration (title A, resolution and proposal B, background and assessment C) behind a GIN index;
a trigger on meetings_case keeps it in step with every insert and update, whatever path wrote the row. The
query is websearch_to_tsquery('norwegian', …) (words, "a phrase", -not), ranked by ts_rank on the weighted text
when there are fewer than COUNT_LIMIT hits; a longer list (a common word) is counted as "at least 200" and shown
newest first, so that it stays fast (see bench/bench_search.py); and the hits
highlighted by ts_headline on the texts without tags (never on the title, which the page shows beside; the
indexed title is the public one where a case has it, so no one finds a case by the names it leaves out).

SQLite (development, the default checkout): an FTS5 virtual table publishing_case_fts kept in step by triggers
the same way, ranked by bm25 with the same weights, highlighted by snippet(). It has no Norwegian stemmer, so
each word is searched as a prefix ("kontingent" finds "kontingenten"); phrases in quotes are matched as phrases.

Both are created by migration 0002, only on their own database; nothing else changes between the two.
"""

import re
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import mark_safe

from meetings.models import Case

PG_CONFIG = "norwegian"
# PostgreSQL: up to RANK_LIMIT matching documents are counted and ranked; above it (a common word) hits are
# counted up to COUNT_LIMIT ("at least 200") and listed newest first.
RANK_LIMIT = 2000
COUNT_LIMIT = 200
START, STOP = "\x02", "\x03"
_TAG = re.compile(r"<[^>]*>|<[^>]*$|^[^<]*>")
_TOKEN = re.compile(r'"([^"]*)"|(\w+)', re.UNICODE)


@dataclass
class Hit:
    case: Case
    rank: float
    headline: str  # safe HTML: the text escaped, the hits in <mark>


def _highlight(raw: str) -> str:
    text = _TAG.sub(" ", raw or "")
    text = re.sub(r"\s+", " ", escape(text)).strip()
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))


def fts5_query(query: str) -> str:
    """The user's words as an FTS5 query: each word a prefix, each "quoted phrase" a phrase, all required."""
    parts = []
    for phrase, word in _TOKEN.findall(query):
        if phrase:
            words = re.findall(r"\w+", phrase)
            if words:
                parts.append('"' + " ".join(words) + '"')
        elif word:
            parts.append(f'"{word}"*')
    return " AND ".join(parts)


def _ids_subquery(cases: QuerySet) -> tuple[str, tuple]:
    sql, params = cases.order_by().values("pk").query.sql_with_params()
    return sql, tuple(params)


def search_cases(
    cases: QuerySet, query: str, *, limit: int = 20, offset: int = 0, info: dict | None = None
) -> tuple[list[Hit], int]:
    """The cases of `cases` (already limited to what the reader may search) matching `query`, best first,
    and how many match in all. `info`, when given, learns whether the count stopped at COUNT_LIMIT ("capped":
    at least that many, listed newest first instead of by rank)."""
    info = {} if info is None else info
    info["capped"] = False
    query = (query or "").strip()
    if not query:
        return [], 0
    scope_sql, scope_params = _ids_subquery(cases)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner does not count reading each document stored out of line, so for a common word it
            # would rather scan them all than the GIN index; for this transaction, let it use the index.
            cursor.execute("SET LOCAL enable_seqscan = off")
            base = (
                "FROM publishing_case_search s, websearch_to_tsquery(%s, %s) q "
                f"WHERE s.document @@ q AND s.case_id IN ({scope_sql})"
            )
            params = (PG_CONFIG, query, *scope_params)
            # Whether more than RANK_LIMIT documents match at all (GIN bitmap, stops there): it decides the plan.
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM publishing_case_search s, websearch_to_tsquery(%s, %s) q "
                "WHERE s.document @@ q LIMIT %s) m",
                (PG_CONFIG, query, RANK_LIMIT + 1),
            )
            if cursor.fetchone()[0] <= RANK_LIMIT:
                # A short list: read the hits from the index and rank them all on the weighted text.
                cursor.execute("SET LOCAL enable_indexscan = off")
                cursor.execute(f"SELECT count(*) {base}", params)
                total = cursor.fetchone()[0]
                info["capped"] = False
            else:
                # A common word: count up to COUNT_LIMIT and show the newest first, found by walking the primary
                # key backwards (ranking thousands of hits costs a read of each).
                cursor.execute(f"SELECT count(*) FROM (SELECT 1 {base} LIMIT %s) hits", (*params, COUNT_LIMIT))
                total = cursor.fetchone()[0]
                info["capped"] = total >= COUNT_LIMIT
            order = "s.case_id DESC" if info["capped"] else "ts_rank(s.document, q) DESC, s.case_id DESC"
            cursor.execute(
                f"SELECT s.case_id, ts_rank(s.document, q) AS rank {base} ORDER BY {order} LIMIT %s OFFSET %s",
                (*params, limit, offset),
            )
            ranked = cursor.fetchall()
            headlines = _pg_headlines([pk for pk, _ in ranked], query, cursor)
        else:
            match = fts5_query(query)
            if not match:
                return [], 0
            base = f"FROM publishing_case_fts WHERE publishing_case_fts MATCH %s AND rowid IN ({scope_sql})"
            params = (match, *scope_params)
            cursor.execute(f"SELECT count(*) {base}", params)
            total = cursor.fetchone()[0]
            cursor.execute(
                "SELECT rowid, -bm25(publishing_case_fts, 10.0, 5.0, 1.0) AS rank, "
                f"snippet(publishing_case_fts, 1, %s, %s, '…', 16), snippet(publishing_case_fts, 2, %s, %s, '…', 16) {base} "
                "ORDER BY rank DESC, rowid DESC LIMIT %s OFFSET %s",
                (START, STOP, START, STOP, *params, limit, offset),
            )
            rows = cursor.fetchall()
            ranked = [(pk, rank) for pk, rank, _, _ in rows]
            # The texts' snippet, or the resolution's when the hit is there; never the title (shown beside).
            headlines = {
                pk: (body if START in body or START not in resolution else resolution)
                for pk, _, resolution, body in rows
            }
    by_pk = {c.pk: c for c in cases.filter(pk__in=[pk for pk, _ in ranked])}
    hits = [Hit(by_pk[pk], float(rank), _highlight(headlines.get(pk, ""))) for pk, rank in ranked if pk in by_pk]
    return hits, total


def _pg_headlines(pks: list[int], query: str, cursor) -> dict[int, str]:
    if not pks:
        return {}
    cursor.execute(
        "SELECT c.id, ts_headline(%s, regexp_replace(concat_ws(' ', (SELECT string_agg(i.resolution, ' ') "
        "FROM meetings_minutesitem i WHERE i.case_id = c.id), c.resolution, c.proposed_resolution, "
        "c.background, c.assessment), '<[^>]+>', ' ', 'g'), websearch_to_tsquery(%s, %s), "
        "%s) FROM meetings_case c WHERE c.id = ANY(%s)",
        (
            PG_CONFIG,
            PG_CONFIG,
            query,
            f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=' … '",
            pks,
        ),
    )
    return dict(cursor.fetchall())
