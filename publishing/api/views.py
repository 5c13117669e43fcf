"""The read-only open-data API (OParl 1.1 shaped), public part only; described by openapi.json beside it."""

import json
from datetime import datetime
from pathlib import Path

from django.core.paginator import Paginator
from django.db.models import Max, Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET

from meetings.models import Case, CaseAttachment, Meeting, Minutes, MinutesItem, Vote
from membership.models import Body, Cooperation
from publishing import rules, selectors
from publishing.api import oparl

PAGE_SIZE = 20
SPEC_PATH = Path(__file__).resolve().parent / "openapi.json"


def _json(data, status=200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


class BadRequest(Exception):
    pass


def _modified_since(request) -> datetime | None:
    raw = request.GET.get("modified_since")
    if not raw:
        return None
    value = parse_datetime(raw.replace(" ", "+"))
    if value is None:
        raise BadRequest("modified_since must be an ISO 8601 date-time")
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _page(request, queryset, list_name, args, build):
    paginator = Paginator(queryset, PAGE_SIZE)
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 0
    if number < 1 or (number > paginator.num_pages and number != 1):
        raise Http404
    page = paginator.page(number)
    base = oparl.url(list_name, *args)
    keep = "".join(f"&{k}={request.GET[k]}" for k in ("modified_since",) if request.GET.get(k))
    links = {"first": f"{base}?page=1{keep}", "last": f"{base}?page={paginator.num_pages}{keep}"}
    if page.has_next():
        links["next"] = f"{base}?page={page.next_page_number()}{keep}"
    if page.has_previous():
        links["prev"] = f"{base}?page={page.previous_page_number()}{keep}"
    return {
        "data": build(list(page.object_list)),
        "pagination": {
            "totalElements": paginator.count,
            "elementsPerPage": PAGE_SIZE,
            "currentPage": number,
            "totalPages": paginator.num_pages,
        },
        "links": links,
    }


def _list_view(view):
    def wrapped(request, *args, **kwargs):
        try:
            return _json(view(request, *args, **kwargs))
        except BadRequest as error:
            return _json({"error": str(error)}, status=400)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return require_GET(wrapped)


@require_GET
def openapi(request):
    return _json(json.loads(SPEC_PATH.read_text(encoding="utf-8")))


@require_GET
def system(request):
    return _json(oparl.system())


def _cooperations():
    return Cooperation.objects.annotate(modified=Max("bodies__meetings__updated_at")).order_by("pk")


@_list_view
def body_list(request):
    since = _modified_since(request)
    qs = _cooperations()
    if since:
        qs = qs.filter(modified__gte=since)
    return _page(request, qs, "api_body_list", (), lambda rows: [oparl.body(c, c.modified) for c in rows])


@require_GET
def body_detail(request, pk):
    cooperation = get_object_or_404(_cooperations(), pk=pk)
    return _json(oparl.body(cooperation, cooperation.modified))


@_list_view
def organization_list(request, pk):
    cooperation = get_object_or_404(Cooperation, pk=pk)
    qs = Body.objects.filter(cooperation=cooperation).order_by("pk")
    return _page(request, qs, "api_organization_list", (pk,), lambda rows: [oparl.organization(b) for b in rows])


@require_GET
def organization_detail(request, pk):
    return _json(oparl.organization(get_object_or_404(Body, pk=pk)))


def _meetings_data(meetings: list[Meeting], now) -> list[dict]:
    """Meetings with their agenda items and votes in a fixed number of queries."""
    ids = [m.pk for m in meetings]
    documents_public = {m.pk for m in meetings if rules.meeting_documents_public(m, now)}
    cases = list(
        selectors.public_cases(now)
        .filter(meeting_id__in=documents_public)
        .order_by("agenda_position", "year", "number")
    )
    items = MinutesItem.objects.filter(case__in=cases, minutes__status=Minutes.Status.APPROVED).prefetch_related(
        Prefetch("votes", queryset=Vote.objects.select_related("participant__municipality"))
    )
    items_by_case = {i.case_id: i for i in items}
    minutes = {m.meeting_id: m for m in Minutes.objects.filter(meeting_id__in=ids, status=Minutes.Status.APPROVED)}
    by_meeting = {}
    for case in cases:
        by_meeting.setdefault(case.meeting_id, []).append(case)
    return [oparl.meeting(m, by_meeting.get(m.pk, []), items_by_case, minutes.get(m.pk), now) for m in meetings]


@_list_view
def meeting_list(request, pk):
    now = timezone.now()
    cooperation = get_object_or_404(Cooperation, pk=pk)
    since = _modified_since(request)
    qs = selectors.public_meetings(now).filter(body__cooperation=cooperation).order_by("starts_at", "pk")
    if since:
        qs = qs.filter(updated_at__gte=since)
    return _page(request, qs, "api_meeting_list", (pk,), lambda rows: _meetings_data(rows, now))


@require_GET
def meeting_detail(request, pk):
    now = timezone.now()
    meeting = get_object_or_404(selectors.public_meetings(now), pk=pk)
    return _json(_meetings_data([meeting], now)[0])


@require_GET
def agenda_item_detail(request, pk):
    now = timezone.now()
    case = get_object_or_404(selectors.public_cases(now), pk=pk)
    data = _meetings_data([case.meeting], now)[0]
    for item in data["agendaItem"]:
        if item["id"] == oparl.url("api_agenda_item", case.pk):
            return _json(item)
    raise Http404


def _papers_data(cases: list[Case]) -> list[dict]:
    attachments = {}
    for a in CaseAttachment.objects.filter(case__in=cases).order_by("position", "pk"):
        attachments.setdefault(a.case_id, []).append(a)
    return [oparl.paper(c, attachments.get(c.pk, []) if not rules.case_is_closed(c) else []) for c in cases]


@_list_view
def paper_list(request, pk):
    now = timezone.now()
    cooperation = get_object_or_404(Cooperation, pk=pk)
    since = _modified_since(request)
    qs = selectors.public_cases(now).filter(body__cooperation=cooperation).order_by("pk")
    if since:
        qs = qs.filter(
            Q(registered_at__gte=since)
            | Q(decided_at__gte=since)
            | Q(meeting__updated_at__gte=since)
            | Q(publication__updated_at__gte=since)
        )
    return _page(request, qs, "api_paper_list", (pk,), _papers_data)


@require_GET
def paper_detail(request, pk):
    case = get_object_or_404(selectors.public_cases(timezone.now()), pk=pk)
    return _json(_papers_data([case])[0])


@require_GET
def consultation_detail(request, pk):
    case = get_object_or_404(selectors.public_cases(timezone.now()), pk=pk)
    return _json(oparl.consultation(case))


@require_GET
def file_detail(request, pk):
    now = timezone.now()
    kind, _, number = pk.partition("-")
    if not number.isdigit():
        raise Http404
    number = int(number)
    if kind == "summons":
        meeting = get_object_or_404(selectors.public_meetings(now), pk=number)
        if not rules.meeting_documents_public(meeting, now):
            raise Http404
        return _json(oparl.file_summons(meeting))
    if kind == "minutes":
        meeting = get_object_or_404(selectors.public_meetings(now), pk=number)
        minutes = Minutes.objects.filter(meeting=meeting, status=Minutes.Status.APPROVED).first()
        if minutes is None or not minutes.document or not rules.minutes_public(meeting, now):
            raise Http404
        return _json(oparl.file_minutes(meeting, minutes))
    if kind == "casedoc":
        case = get_object_or_404(selectors.public_cases(now), pk=number)
        if not rules.case_document_public(case):
            raise Http404
        return _json(oparl.file_case_document(case))
    if kind == "attachment":
        attachment = get_object_or_404(CaseAttachment.objects.select_related("case"), pk=number)
        case = get_object_or_404(selectors.public_cases(now), pk=attachment.case_id)
        if rules.case_is_closed(case):
            raise Http404
        return _json(oparl.file_attachment(attachment))
    raise Http404
