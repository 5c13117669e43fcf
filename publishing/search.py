"""Full-text search over case titles, texts and resolutions, ranked, with highlighted hits.

PostgreSQL (production): per case, in the 'norwegian' configuration, publishing_case_search holds `document` (the
public title A, resolutions and proposal B, background and assessment C) and, for a case whose public title replaces
the internal one, `staff_document` (the same text with the internal title); publishing_case_search_head holds `head`
(the A and B part alone, in a small table of its own so that the documents stay in line in theirs). Each has a GIN
index; triggers on meetings_case, meetings_minutesitem and publishing_casepublication keep them in step with every
write, whatever path wrote the row. The query is websearch_to_tsquery('norwegian', …) (words, "a phrase", -not),
ranked by ts_rank on the weighted text:

- up to SEARCH_RANK_LIMIT (1 000) matching documents (most searches; the benchmark's phrase): every hit in the
  reader's scope is ranked and counted, with the page's headlines, in one statement;
- more (a common word): ranking every hit means reading every document, so the ranked pool is bounded: the newest
  SEARCH_RANK_LIMIT hits in a title or resolution (ranked by those alone, no document read) and the newest
  SEARCH_RANK_LIMIT hits anywhere. For one word ts_rank puts any hit in a title above any hit in a resolution, and
  that above any hit only in the texts, so the cases where it matters most come first whatever their age; the best
  of the pool are ranked again on the whole text. The reader's scope is checked on those only (each check is a few
  index probes), and the count stops at SEARCH_COUNT_LIMIT ("more than 200 hits"). A narrow scope (a filter) the
  pool misses is searched again with the scope inside the pool.
- Staff (internal_titles) match `staff_document` too, and are ranked on it.

The highlighted hits (ts_headline) are made for the page shown only, on the texts without tags (never on the
title, which the page shows beside). Every statement turns JIT compilation off (see _PgSearch.SETTINGS).

SQLite (development, the default checkout): an FTS5 virtual table publishing_case_fts kept in step by triggers
the same way, ranked by bm25 with the same weights, highlighted by snippet(). It has no Norwegian stemmer, so
each word is searched as a prefix ("kontingent" finds "kontingenten"); phrases in quotes are matched as phrases.
Its column internal_title is searched only for readers who may see internal titles.

Both are created by migrations 0002 and 0003, each part only on its own database.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import mark_safe

from meetings.models import Case

PG_CONFIG = "norwegian"
START, STOP = "\x02", "\x03"
_TAG = re.compile(r"<[^>]*>|<[^>]*$|^[^<]*>")
_TOKEN = re.compile(r'"([^"]*)"|(\w+)', re.UNICODE)
# FTS5 columns the public may search; staff search internal_title too.
_PUBLIC_COLUMNS = "{title resolution body}"


@dataclass
class Hit:
    case: Case
    rank: float
    headline: str  # safe HTML: the text escaped, the hits in <mark>


def rank_limit() -> int:
    """Up to this many matching documents every hit is counted and ranked (PostgreSQL)."""
    return settings.SEARCH_RANK_LIMIT


def count_limit() -> int:
    """Above rank_limit(), hits in the reader's scope are counted up to this many ("more than 200")."""
    return settings.SEARCH_COUNT_LIMIT


def _highlight(raw: str) -> str:
    text = _TAG.sub(" ", raw or "")
    text = re.sub(r"\s+", " ", escape(text)).strip()
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))


def fts5_query(query: str, *, internal_titles: bool = False) -> str:
    """The user's words as an FTS5 query: each word a prefix, each "quoted phrase" a phrase, all required; the
    internal title only for readers who may see it."""
    columns = "" if internal_titles else f"{_PUBLIC_COLUMNS} : "
    parts = []
    for phrase, word in _TOKEN.findall(query):
        if phrase:
            words = re.findall(r"\w+", phrase)
            if words:
                parts.append(columns + '"' + " ".join(words) + '"')
        elif word:
            parts.append(f'{columns}"{word}"*')
    return " AND ".join(parts)


def _ids_subquery(cases: QuerySet) -> tuple[str, tuple]:
    sql, params = cases.order_by().values("pk").query.sql_with_params()
    return sql, tuple(params)


def search_cases(
    cases: QuerySet,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    info: dict | None = None,
    internal_titles: bool = False,
) -> tuple[list[Hit], int]:
    """The cases of `cases` (already limited to what the reader may search) matching `query`, best first,
    and how many match in all. `internal_titles`: the reader may see internal titles, so they are searched too
    (the public searches the public title only). `info`, when given, learns whether the count stopped at
    count_limit() ("capped": more than that many, the best of a bounded pool ranked)."""
    info = {} if info is None else info
    info["capped"] = False
    query = (query or "").strip()
    if not query:
        return [], 0
    scope = _ids_subquery(cases)
    if connection.vendor == "postgresql":
        ranked, total, headlines = _pg_search(query, scope, internal_titles, limit, offset, info)
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            ranked, total, headlines = _sqlite_search(cursor, query, scope, internal_titles, limit, offset)
    by_pk = {c.pk: c for c in cases.filter(pk__in=[pk for pk, _ in ranked])}
    hits = [Hit(by_pk[pk], float(rank), _highlight(headlines.get(pk, ""))) for pk, rank in ranked if pk in by_pk]
    return hits, total


def _sqlite_search(cursor, query, scope, internal_titles, limit, offset):
    match = fts5_query(query, internal_titles=internal_titles)
    if not match:
        return [], 0, {}
    scope_sql, scope_params = scope
    base = f"FROM publishing_case_fts WHERE publishing_case_fts MATCH %s AND rowid IN ({scope_sql})"
    params = (match, *scope_params)
    cursor.execute(f"SELECT count(*) {base}", params)
    total = cursor.fetchone()[0]
    cursor.execute(
        "SELECT rowid, -bm25(publishing_case_fts, 10.0, 5.0, 1.0, 10.0) AS rank, "
        f"snippet(publishing_case_fts, 1, %s, %s, '…', 16), snippet(publishing_case_fts, 2, %s, %s, '…', 16) {base} "
        "ORDER BY rank DESC, rowid DESC LIMIT %s OFFSET %s",
        (START, STOP, START, STOP, *params, limit, offset),
    )
    rows = cursor.fetchall()
    # The texts' snippet, or the resolution's when the hit is there; never the title (shown beside).
    headlines = {
        pk: (body if START in body or START not in resolution else resolution) for pk, _, resolution, body in rows
    }
    return [(pk, rank) for pk, rank, _, _ in rows], total, headlines


# The hits highlighted, for the rows of the page only (c: meetings_case): the texts without tags, never the title.
_PG_HEADLINE = (
    "ts_headline(%s, regexp_replace(concat_ws(' ', (SELECT string_agg(i.resolution, ' ') "
    "FROM meetings_minutesitem i WHERE i.case_id = c.id), c.resolution, c.proposed_resolution, "
    "c.background, c.assessment), '<[^>]+>', ' ', 'g'), websearch_to_tsquery(%s, %s), %s)"
)
_PG_HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=' … '"
)


def _pg_search(query, scope, internal_titles, limit, offset, info):
    """Two statements, each with its own SET LOCALs in front: outside a transaction each runs as one, so the
    settings end with it; inside one (a caller's atomic block), a savepoint rolled back to ends them."""
    with connection.cursor() as cursor:
        if not connection.in_atomic_block:
            return _PgSearch(cursor, query, scope, internal_titles).run(limit, offset, info)
        savepoint = transaction.savepoint()
        try:
            return _PgSearch(cursor, query, scope, internal_titles).run(limit, offset, info)
        finally:
            transaction.savepoint_rollback(savepoint)


class _PgSearch:
    """The statements of one search on PostgreSQL, each built with its parameters in order. Few round trips: on a
    busy machine each one waits for a CPU twice."""

    # Plans of a few milliseconds with a high total cost (LIMIT over a nested loop) would otherwise spend tens of
    # milliseconds compiling JIT code; and the planner, not counting that the documents are read anyway, would
    # rather scan them all than use the GIN index for a common word.
    SETTINGS = "SET LOCAL jit = off; SET LOCAL enable_seqscan = off; "

    def __init__(self, cursor, query: str, scope: tuple[str, tuple], internal_titles: bool):
        self.cursor, self.query, self.scope, self.internal = cursor, query, scope, internal_titles
        self.q = ("websearch_to_tsquery(%s, %s) q", (PG_CONFIG, query))
        self.headline = (_PG_HEADLINE, (PG_CONFIG, PG_CONFIG, query, _PG_HEADLINE_OPTIONS))

    def _matches(self) -> str:
        # Staff also find a case by its internal title (staff_document, only where a public title replaces it).
        return "(s.document @@ q OR s.staff_document @@ q)" if self.internal else "s.document @@ q"

    def _rank(self) -> str:
        return "ts_rank(coalesce(s.staff_document, s.document), q)" if self.internal else "ts_rank(s.document, q)"

    def _in_scope(self, column: str) -> tuple[str, tuple]:
        return f" AND {column} IN ({self.scope[0]})", self.scope[1]

    def _hits(self, *, scoped: bool, tail: str = "", tail_params: tuple = (), extra: str = "", part: str = "text"):
        """SELECT s.case_id, rank[, extra] of the cases whose text matches (part "head": title and resolutions,
        "internal": the text with the internal title), [in scope,] `tail`."""
        source, match, rank = "publishing_case_search s", self._matches(), self._rank()
        if part == "internal":
            match = "s.staff_document @@ q"
        elif part == "head":
            # Ranked by the title and resolutions alone (their own small table, no document read): A and B hits
            # outrank any hit in the texts; the page is ranked on the whole text again (_ranked_pool).
            source, match, rank = "publishing_case_search_head s", "s.head @@ q", "ts_rank(s.head, q)"
        scope_sql, scope_params = self._in_scope("s.case_id") if scoped else ("", ())
        sql = f"SELECT s.case_id, {rank} AS rank{extra} FROM {source}, {self.q[0]} "
        sql += f"WHERE {match}{scope_sql} {tail}"
        return sql, (*self.q[1], *scope_params, *tail_params)

    def run(self, limit: int, offset: int, info: dict) -> tuple[list[tuple[int, float]], int, dict[int, str]]:
        # One statement: the documents matching at all, up to rank_limit() + 1 (GIN bitmap, stops there). When that
        # is all of them, the hits among them in the reader's scope ranked and counted, and the page's headlines;
        # when there are more, only how many of those are in the reader's scope, up to count_limit() + 1 (fewer: a
        # narrow scope, counted again beyond them). The hits are read
        # from the bitmap, never by walking the whole primary key (which the planner, misjudging a phrase as one
        # hit in all, would rather do), so no index scans here.
        everywhere, everywhere_params = self._hits(scoped=False, tail="LIMIT %s", tail_params=(rank_limit() + 1,))
        scope_sql, scope_params = self._in_scope("m.case_id")
        self.cursor.execute(
            f"{self.SETTINGS}SET LOCAL enable_indexscan = off; WITH m AS MATERIALIZED ({everywhere}), "
            "n AS MATERIALIZED (SELECT count(*) AS n FROM m), "
            "page AS MATERIALIZED (SELECT m.case_id, m.rank, count(*) OVER () AS total FROM m "
            f"WHERE (SELECT n FROM n) <= %s{scope_sql} ORDER BY m.rank DESC, m.case_id DESC LIMIT %s OFFSET %s) "
            "SELECT (SELECT n FROM n), (SELECT count(*) FROM (SELECT 1 FROM m WHERE (SELECT n FROM n) > %s"
            f"{scope_sql} LIMIT %s) c), "
            f"p.case_id, p.rank, p.total, {self.headline[0]} "
            "FROM (SELECT 1) one LEFT JOIN (page p JOIN meetings_case c ON c.id = p.case_id) ON true "
            "ORDER BY p.rank DESC, p.case_id DESC",
            (
                *everywhere_params,
                rank_limit(),
                *scope_params,
                limit,
                offset,
                rank_limit(),
                *scope_params,
                count_limit() + 1,
                *self.headline[1],
            ),
        )
        rows = self.cursor.fetchall()
        matching, in_scope = rows[0][:2]
        if matching <= rank_limit():
            page = [row[2:] for row in rows if row[2] is not None]
            if not page and offset:
                return [], self._count_all(), {}
            total = page[0][2] if page else 0
            return [(pk, rank) for pk, rank, _, _ in page], total, {pk: headline for pk, _, _, headline in page}
        if in_scope <= count_limit() and self._count(scoped=True, upto=count_limit() + 1) <= count_limit():
            return self._ranked_all(limit, offset)  # a common word, but a narrow scope (a filter) with few of its hits
        info["capped"] = True
        ranked, headlines = self._ranked_pool(limit, offset)
        return ranked, count_limit(), headlines

    def _count(self, *, scoped: bool, upto: int) -> int:
        sql, params = self._hits(scoped=scoped, tail="LIMIT %s", tail_params=(upto,))
        self.cursor.execute(f"{self.SETTINGS}SELECT count(*) FROM ({sql}) hits", params)
        return self.cursor.fetchone()[0]

    def _count_all(self) -> int:
        count, count_params = self._hits(scoped=True)
        self.cursor.execute(f"SELECT count(*) FROM ({count}) hits", count_params)
        return self.cursor.fetchone()[0]

    def _ranked_all(self, limit: int, offset: int):
        """Every hit in scope ranked and counted, and the page's headlines: one statement (for a narrow scope)."""
        page, page_params = self._hits(
            scoped=True,
            tail="ORDER BY rank DESC, s.case_id DESC LIMIT %s OFFSET %s",
            tail_params=(limit, offset),
            extra=", count(*) OVER () AS total",
        )
        self.cursor.execute(
            f"{self.SETTINGS}SET LOCAL enable_indexscan = off; WITH page AS MATERIALIZED ({page}) "
            f"SELECT p.case_id, p.rank, p.total, {self.headline[0]} FROM page p JOIN meetings_case c ON c.id = p.case_id "
            "ORDER BY p.rank DESC, p.case_id DESC",
            (*page_params, *self.headline[1]),
        )
        rows = self.cursor.fetchall()
        if not rows and offset:  # past the last page: how many there were
            return [], self._count_all(), {}
        total = rows[0][2] if rows else 0
        return [(pk, rank) for pk, rank, _, _ in rows], total, {pk: headline for pk, _, _, headline in rows}

    def _pool(self, *, scoped: bool) -> tuple[str, tuple]:
        """The bounded pool: the newest hits in the title or a resolution, and the newest hits anywhere (for staff
        also the newest by an internal title)."""
        tail, tail_params = "ORDER BY s.case_id DESC LIMIT %s", (rank_limit(),)
        parts = ("head", "text", "internal") if self.internal else ("head", "text")
        arms = [self._hits(scoped=scoped, tail=tail, tail_params=tail_params, part=part) for part in parts]
        union = " UNION ALL ".join(f"({sql})" for sql, _ in arms)
        return f"SELECT case_id, max(rank) AS rank FROM ({union}) arms GROUP BY case_id", tuple(
            p for _, params in arms for p in params
        )

    def _ranked_pool(self, limit: int, offset: int):
        """The page of the pool ranked, with its headlines. The reader's scope is checked on the best `chunk` of the
        pool only (each check is a few index probes), on more of it only when the page is not full."""
        wanted = offset + limit
        chunk, scoped = 2 * wanted, False
        while True:
            pool, pool_params = self._pool(scoped=scoped)
            scope_sql, scope_params = self._in_scope("t.case_id")
            self.cursor.execute(
                f"{self.SETTINGS}WITH pool AS MATERIALIZED ({pool}), "
                "top AS MATERIALIZED (SELECT case_id, rank FROM pool ORDER BY rank DESC, case_id DESC LIMIT %s), "
                f"exact AS (SELECT t.case_id, {self._rank()} AS rank FROM top t JOIN publishing_case_search s "
                f"ON s.case_id = t.case_id, {self.q[0]} WHERE true{scope_sql}), "
                "hits AS MATERIALIZED (SELECT case_id, rank, row_number() OVER (ORDER BY rank DESC, case_id DESC) "
                "AS n FROM exact), "
                "sizes AS (SELECT (SELECT count(*) FROM pool) AS pool_size, (SELECT count(*) FROM top) AS top_size, "
                "(SELECT count(*) FROM hits) AS hit_count) "
                f"SELECT z.pool_size, z.top_size, z.hit_count, h.case_id, h.rank, {self.headline[0]} FROM sizes z "
                "LEFT JOIN (hits h JOIN meetings_case c ON c.id = h.case_id) ON h.n > %s AND h.n <= %s ORDER BY h.n",
                (*pool_params, chunk, *self.q[1], *scope_params, *self.headline[1], offset, wanted),
            )
            rows = self.cursor.fetchall()
            pool_size, top_size, hit_count = rows[0][:3]
            if hit_count >= wanted:
                break
            if top_size == chunk:
                chunk *= 4  # more of the pool to check
            elif scoped or pool_size < rank_limit():
                break  # the whole pool was checked, and it held every hit
            else:
                chunk, scoped = 2 * wanted, True  # a narrow scope: take the newest hits within it instead
        rows = [row for row in rows if row[3] is not None]
        return [(row[3], row[4]) for row in rows], {row[3]: row[5] for row in rows}
