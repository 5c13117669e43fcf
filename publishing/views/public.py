"""The public pages (innsyn): no sign-in, nothing personal, closed cases by number and legal basis only."""

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from khs.lib.access import is_staff_role
from khs.lib.downloads import file_response, file_stem
from meetings import documents
from meetings.models import Case, CaseAttachment, Meeting, Minutes
from membership.models import Body, Cooperation, Municipality
from publishing import rules, search, selectors
from publishing.feeds import body_calendar

PAGE_SIZE = 20


def _pdf(data: bytes, filename: str) -> HttpResponse:
    return file_response(data, filename, "application/pdf", inline=True)


@require_GET
def index(request):
    now = timezone.now()
    return render(
        request,
        "publishing/index.html",
        {
            "cooperations": selectors.public_cooperations(),
            "upcoming": selectors.upcoming_public_meetings(now)[:10],
        },
    )


@require_GET
def cooperation_detail(request, short_name):
    cooperation = get_object_or_404(Cooperation, short_name=short_name)
    now = timezone.now()
    return render(
        request,
        "publishing/cooperation_detail.html",
        {
            "cooperation": cooperation,
            "bodies": cooperation.bodies.order_by("name"),
            "upcoming": selectors.upcoming_public_meetings(now, body__cooperation=cooperation)[:20],
        },
    )


@require_GET
def body_detail(request, pk):
    body = get_object_or_404(Body.objects.select_related("cooperation"), pk=pk)
    now = timezone.now()
    past = Paginator(selectors.past_public_meetings(now, body=body), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "publishing/body_detail.html",
        {
            "body": body,
            "upcoming": selectors.upcoming_public_meetings(now, body=body),
            "page": past,
        },
    )


def _public_meeting(pk) -> Meeting:
    meeting = get_object_or_404(selectors.public_meetings(timezone.now()), pk=pk)
    return meeting


@require_GET
def meeting_detail(request, pk):
    now = timezone.now()
    meeting = _public_meeting(pk)
    documents_public = rules.meeting_documents_public(meeting, now)
    cases = selectors.meeting_public_cases(meeting, now) if documents_public else []
    lang = meeting.body.language
    return render(
        request,
        "publishing/meeting_detail.html",
        {
            "meeting": meeting,
            "documents_public": documents_public,
            "minutes_public": rules.minutes_public(meeting, now),
            "standard_items": documents.standard_agenda_items(meeting, lang),
            "cases": [_case_view(case) for case in cases],
        },
    )


def _case_view(case: Case) -> dict:
    closed = rules.case_is_closed(case)
    return {
        "case": case,
        "closed": closed,
        "legal_basis": rules.closed_legal_basis(case),
        "title": "" if closed else rules.public_title(case),
        "has_public_title": bool(getattr(getattr(case, "publication", None), "public_title", "")),
        "decided": case.meeting is not None and rules.minutes_public(case.meeting, timezone.now()),
        "resolution": "" if closed else rules.adopted_resolution(case),
        "outcome": case.get_outcome_display() if case.outcome else "",
    }


def _public_case(pk) -> Case:
    return get_object_or_404(selectors.public_cases(timezone.now()), pk=pk)


@require_GET
def case_detail(request, pk):
    case = _public_case(pk)
    view = _case_view(case)
    passage = []
    attachments = []
    if not view["closed"]:
        now = timezone.now()
        for other in selectors.case_passage(case):
            passage.append(
                {
                    "case": other,
                    "is_this": other.pk == case.pk,
                    "public": rules.case_is_public(other, now) and not rules.case_is_closed(other),
                    "title": rules.public_title(other),
                }
            )
        attachments = list(case.attachments.order_by("position", "pk"))
    return render(request, "publishing/case_detail.html", {**view, "passage": passage, "attachments": attachments})


@require_GET
def case_document_pdf(request, pk):
    case = _public_case(pk)
    if not rules.case_document_public(case):
        raise Http404
    return _pdf(documents.case_document_pdf(case), f"saksframlegg-{slugify(case.label)}.pdf")


@require_GET
def case_attachment(request, pk, attachment_pk):
    case = _public_case(pk)
    if rules.case_is_closed(case):
        raise Http404
    attachment = get_object_or_404(CaseAttachment, case=case, pk=attachment_pk)
    with attachment.file.open("rb") as handle:
        data = handle.read()
    name = attachment.original_name or f"{file_stem(attachment.title) or 'vedlegg'}"
    return file_response(data, name, attachment.content_type, inline=True)


@require_GET
def summons_pdf(request, pk):
    """The summons as the public may read it: the closed cases are left out."""
    now = timezone.now()
    meeting = _public_meeting(pk)
    if not rules.meeting_documents_public(meeting, now):
        raise Http404
    cases = [c for c in selectors.meeting_public_cases(meeting, now) if not rules.case_is_closed(c)]
    for case in cases:
        case.title = rules.public_title(case)
    return _pdf(documents.summons_pdf(meeting, cases=cases), f"innkalling-{meeting.starts_at:%Y-%m-%d}.pdf")


@require_GET
def body_calendar_ics(request, pk):
    body = get_object_or_404(Body.objects.select_related("cooperation"), pk=pk)
    return file_response(
        body_calendar(body), f"{file_stem(body.name)}.ics", "text/calendar; charset=utf-8", inline=True
    )


class RegisterForm(forms.Form):
    q = forms.CharField(label=_("Søk"), required=False, max_length=200)
    body = forms.ModelChoiceField(label=_("Organ"), queryset=Body.objects.none(), required=False)
    year = forms.IntegerField(label=_("År"), required=False, min_value=1900, max_value=2100)
    kind = forms.ChoiceField(label=_("Type"), choices=[("", "–"), *Case.Kind.choices], required=False)
    municipality = forms.ModelChoiceField(
        label=_("Kommune saken gjelder"), queryset=Municipality.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.select_related("cooperation").order_by("cooperation__name", "name")
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        self.fields["body"].label_from_instance = lambda b: f"{b.name} ({b.cooperation.short_name})"
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"


@require_GET
def register(request):
    """The decision register: every adopted resolution, filtered, or the search hits with highlights."""
    now = timezone.now()
    form = RegisterForm(request.GET or None)
    hits, total, page, info = [], 0, None, {}
    filters = {}
    query = ""
    if form.is_valid():
        filters = {k: form.cleaned_data[k] for k in ("body", "year", "kind", "municipality")}
        query = form.cleaned_data["q"].strip()
    cases = selectors.register_filter(selectors.searchable_cases(request.user, now), **filters)
    staff = request.user.is_authenticated and is_staff_role(request.user)
    if query:
        try:
            number = max(1, int(request.GET.get("page", 1)))
        except ValueError:
            number = 1
        hits, total = search.search_cases(
            cases, query, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE, info=(info := {}), internal_titles=staff
        )
        page = {
            "number": number,
            "has_next": number * PAGE_SIZE < total,
            "has_previous": number > 1,
        }
    else:
        decided = cases.filter(selectors.decided_q()).order_by("-year", "-number", "-pk")
        page = Paginator(decided, PAGE_SIZE).get_page(request.GET.get("page"))
        hits = [search.Hit(case, 0.0, "") for case in page]
        total = page.paginator.count
    rows = [{**_case_view(hit.case), "headline": hit.headline} for hit in hits]
    if staff:  # staff read the internal title (and find cases by it), the public title beside it
        for row in rows:
            if not row["closed"] and row["has_public_title"]:
                row["title"] = f"{row['case'].title} ({row['title']})"
    return render(
        request,
        "publishing/register.html",
        {
            "form": form,
            "rows": rows,
            "total": total,
            "query": query,
            "page": page,
            "search_page": bool(query),
            "more": info.get("capped", False),
            "user_is_staff": staff,
        },
    )


def public_case_url(case: Case) -> str:
    return reverse("publishing:case_detail", args=[case.pk])


def minutes_document(meeting: Meeting):
    """(bytes, sha256) of the approved minutes PDF as stored, or None while there is none."""
    minutes = Minutes.objects.filter(meeting=meeting, status=Minutes.Status.APPROVED).first()
    if minutes is None or not minutes.document:
        return None
    with minutes.document.open("rb") as handle:
        return handle.read(), minutes.document_sha256


@require_GET
def minutes_pdf(request, pk):
    meeting = _public_meeting(pk)
    document = minutes_document(meeting) if rules.minutes_public(meeting, timezone.now()) else None
    if document is None:
        raise Http404
    return _pdf(document[0], f"protokoll-{meeting.starts_at:%Y-%m-%d}.pdf")
