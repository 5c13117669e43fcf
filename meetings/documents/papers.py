"""The meeting's printable documents: summons (innkalling), supplementary summons, case document (saksframlegg).

One narrow function per document renders a template of ours to PDF/A bytes (khs.lib.pdf). The fixed
words are gettext msgids with a context ("summons", "case", "agenda", "meeting"), rendered inside
translation.override(<the body's language>), so a Nynorsk document is right whatever language the
reader's interface is in.
"""

import hashlib
import re

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.html import linebreaks, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

from khs.lib import dates
from khs.lib.i18n import document_language as language_code
from khs.lib.pdf import html_to_pdf, html_to_pdf_pages, render_html
from meetings.documents import store
from meetings.models import Case, CaseAttachment, CaseReference, Invitee, Meeting, RenderedDocument
from meetings.richtext import clean_html
from meetings.selectors import meeting_agenda, meeting_cases

Kind = RenderedDocument.Kind
_LOOKS_LIKE_HTML = re.compile(r"<[a-zA-Z!/]")


def words(lang: str) -> dict:
    """mail: see outbox work. The two document words the summons mail quotes, until its templates translate them."""
    with translation.override(language_code(lang)):
        return {"time": pgettext("meeting", "Tid"), "place": pgettext("meeting", "Sted")}


def standard_agenda_items(meeting: Meeting, lang: str) -> list[str]:
    """The items every agenda opens with (Valg av møteleder og referent, …), from the meeting's agenda."""
    return [item.title for item in meeting_agenda(meeting, lang, cases=[]) if item.is_standard]


def document_language(meeting_or_body) -> str:
    """The language of a meeting's or body's documents: the body's (nb, nn or en)."""
    return language_code(getattr(meeting_or_body, "language", None))


def clean_for_pdf(value: str) -> str:
    """Case text reduced to the allowlist again (meetings.richtext), safe to print.

    Text stored without markup (an import, the admin) keeps its paragraphs.
    """
    if not value or not value.strip():
        return mark_safe("")
    if not _LOOKS_LIKE_HTML.search(value):
        return mark_safe(linebreaks(value, autoescape=True))
    return mark_safe(clean_html(value))  # noqa: S308 - cleaned by the allowlist


def _plain(value: str) -> str:
    """The words of a case text without markup (for digests of what changed)."""
    return re.sub(r"\s+", " ", strip_tags(clean_html(value or ""))).strip()


def agenda_cases(meeting: Meeting) -> list[Case]:
    """The meeting's cases in agenda order with their attachments and references; withdrawn ones left out."""
    return [c for c in meeting_cases(meeting) if c.status != Case.Status.WITHDRAWN]


def case_heading(case: Case, lang: str) -> str:
    """Sak 1/2017 Videreføring eller avvikling av …"""
    with translation.override(language_code(lang)):
        return f"{pgettext('case', 'Sak')} {case.label} {case.title}"


def title_in_sentence(meeting: Meeting) -> str:
    """'… til ordførermøte i KHS': a title that opens with a common noun (…møte) is lower-cased mid-sentence."""
    title = meeting.title.strip()
    first = title.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower() and first.lower().endswith(("møte", "møtet")):
        title = title[0].lower() + title[1:]
    return title


def meeting_title_after(word: str, meeting: Meeting) -> str:
    """'Innkalling til ordførermøte i Kommunehelsesamarbeidet (KHS)'"""
    return f"{word} {title_in_sentence(meeting)}"


def place_text(meeting: Meeting) -> str:
    return ", ".join(part for part in (meeting.place_name.strip(), meeting.place_address.strip()) if part)


def time_text(meeting: Meeting, lang: str) -> str:
    return dates.format_meeting_time(meeting.starts_at, meeting.ends_at, lang)


def deadline_text(meeting: Meeting, lang: str) -> str:
    return dates.format_long_date(meeting.registration_deadline, lang) if meeting.registration_deadline else ""


def register_url() -> str:
    """Where invitees register online: sign in with their address, then answer (attendance issue)."""
    return settings.SITE_URL + reverse("member-link-request")


def contact_text(meeting: Meeting) -> str:
    if meeting.contact.strip():
        return meeting.contact.strip()
    cooperation = meeting.body.cooperation
    return ", ".join(p for p in (cooperation.contact_email, cooperation.contact_phone) if p)


def addressee_text(meeting: Meeting, lang: str) -> str:
    if meeting.body.addressee.strip():
        return meeting.body.addressee.strip()
    with translation.override(language_code(lang)):
        return pgettext("summons", "Til medlemmene i %(body)s") % {"body": meeting.body.name_in_sentence}


def _reference_text(reference: CaseReference, lang: str) -> str:
    earlier = reference.earlier_case
    with translation.override(language_code(lang)):
        text = f"{earlier.body.name}, {pgettext('case', 'Sak').lower()} {earlier.label}"
    if earlier.meeting_id:
        text += f" ({dates.format_date(earlier.meeting.starts_at)})"
    if reference.note:
        text += f": {reference.note}"
    return text


def _case_entry(case: Case, lang: str) -> dict:
    return {
        "case": case,
        "heading": case_heading(case, lang),
        "background": clean_for_pdf(case.background),
        "assessment": clean_for_pdf(case.assessment),
        "proposal": clean_for_pdf(case.proposed_resolution),
        "attachments": list(case.attachments.all()),
        "references": [_reference_text(r, lang) for r in case.references.all()],
    }


def _meeting_context(meeting: Meeting, lang: str) -> dict:
    return {
        "meeting": meeting,
        "cooperation": meeting.body.cooperation,
        "time_text": time_text(meeting, lang),
        "place_text": place_text(meeting),
        "deadline_text": deadline_text(meeting, lang),
        "register_url": register_url(),
        "contact": contact_text(meeting),
        "addressee": addressee_text(meeting, lang),
        "date_text": dates.format_date(meeting.starts_at),
    }


SUMMONS_TEMPLATE = "meetings/pdf/summons.html"


def _summons_context(meeting: Meeting, cases) -> tuple[str, dict]:
    lang = document_language(meeting)
    cases = agenda_cases(meeting) if cases is None else cases
    entries = [_case_entry(c, lang) for c in cases]
    with translation.override(lang):
        title = meeting_title_after(pgettext("summons", "Innkalling til"), meeting)
    context = {
        **_meeting_context(meeting, lang),
        "title": title,
        "standard_items": standard_agenda_items(meeting, lang),
        "entries": entries,
        "all_attachments": [(e["case"], a) for e in entries for a in e["attachments"]],
    }
    return lang, context


def summons_html(meeting: Meeting, *, cases=None) -> str:
    """The summons as one HTML document."""
    lang, context = _summons_context(meeting, cases)
    return render_html(SUMMONS_TEMPLATE, context, lang=lang)


def render_summons_pdf(meeting: Meeting, *, cases=None) -> bytes:
    """The summons rendered now as one document, without the store (benchmarks compare with it)."""
    return html_to_pdf(summons_html(meeting, cases=cases))


def summons_document(meeting: Meeting, *, cases=None) -> RenderedDocument:
    """The stored summons of the meeting as it stands (rendered now if this version is new).

    From store.SPLIT_FROM_CASES cases on, the head and each case are rendered apart (a case then starts
    on a new page) and merged with "Side X av Y" across the whole, so an edit re-renders one case.
    """
    lang, context = _summons_context(meeting, cases)
    name = f"innkalling-{meeting.pk}.pdf"
    entries = context["entries"]
    if len(entries) < store.SPLIT_FROM_CASES:
        html = render_html(SUMMONS_TEMPLATE, context, lang=lang)
        return store.stored(
            Kind.SUMMONS, meeting.pk, store.version_key(html, lang=lang), lambda: html_to_pdf_pages(html), name=name
        )
    parts = [store.Part(Kind.SUMMONS_HEAD, meeting.pk, _summons_part(context, "head", lang), lang=lang)]
    for n, entry in enumerate(entries):
        last = n == len(entries) - 1
        extra = {
            "entries": [entry],
            "hide_section_heading": n > 0,
            "all_attachments": context["all_attachments"] if last else [],
        }
        parts.append(
            store.Part(Kind.SUMMONS_CASE, entry["case"].pk, _summons_part(context, "cases", lang, **extra), lang=lang)
        )
    with translation.override(lang):
        header = f"{pgettext('summons', 'Innkalling')} · {meeting.title} · {context['date_text']}"
    frame = {"running_header": header, "cooperation": context["cooperation"], "title": context["title"]}
    return store.stored(
        Kind.SUMMONS,
        meeting.pk,
        store.parts_key(parts, frame, lang=lang),
        lambda: store.merged(parts, frame, frame_object_id=meeting.pk, lang=lang),
        name=name,
    )


def _summons_part(context: dict, part: str, lang: str, **extra) -> str:
    return render_html(SUMMONS_TEMPLATE, {**context, **extra, "part": part, "unframed": True}, lang=lang)


def summons_pdf(meeting: Meeting, *, cases=None) -> bytes:
    """The summons: Tid / Sted / Dagsorden, then every case with its texts and proposed resolution."""
    return store.read(summons_document(meeting, cases=cases))


def supplementary_pdf(meeting: Meeting, cases) -> bytes:
    """The supplementary summons (tilleggsinnkalling): only the cases added after the summons went out."""
    lang = document_language(meeting)
    entries = [_case_entry(c, lang) for c in cases]
    with translation.override(lang):
        title = meeting_title_after(pgettext("summons", "Tilleggsinnkalling til"), meeting)
    context = {
        **_meeting_context(meeting, lang),
        "title": title,
        "entries": entries,
        "all_attachments": [(e["case"], a) for e in entries for a in e["attachments"]],
    }
    html = render_html("meetings/pdf/supplementary.html", context, lang=lang)
    key = store.version_key(html, lang=lang)
    document = store.stored(
        Kind.SUPPLEMENTARY,
        meeting.pk,
        key,
        lambda: html_to_pdf_pages(html),
        name=f"tilleggsinnkalling-{meeting.pk}.pdf",
    )
    return store.read(document)


def cancellation_pdf(meeting: Meeting, *, reason: str = "") -> bytes:
    """A short letter saying the meeting is cancelled (for invitees without an e-mail address, and the archive)."""
    lang = document_language(meeting)
    with translation.override(lang):
        title = f"{pgettext('summons', 'Avlysning')}: {meeting.title}"
    context = {**_meeting_context(meeting, lang), "title": title, "reason": reason}
    return html_to_pdf(render_html("meetings/pdf/cancellation.html", context, lang=lang))


def distribution_list(case: Case, lang: str) -> list[str]:
    """Who the case document goes to: the invitees of its meeting, by municipality where they represent one."""
    if not case.meeting_id:
        return []
    names = []
    invitees = Invitee.objects.filter(meeting_id=case.meeting_id, deputy_for__isnull=True).select_related(
        "municipality"
    )
    for invitee in invitees:
        if invitee.municipality_id:
            with translation.override(language_code(lang)):
                name = pgettext("case", "%(municipality)s kommune") % {
                    "municipality": invitee.municipality.display_name(lang)
                }
        else:
            name = invitee.name
        if name not in names:
            names.append(name)
    return names


def case_document_pdf(case: Case) -> bytes:
    """The saksframlegg of one case, as seed 004: texts, proposal, place and date, signer, attachments, list."""
    return store.read(case_document(case))


def case_document(case: Case) -> RenderedDocument:
    """The stored saksframlegg of the case as it stands (meetings.documents.store), rendered now if it is new."""
    case = (
        Case.objects.select_related("body__cooperation", "meeting")
        .prefetch_related(
            Prefetch("attachments", queryset=CaseAttachment.objects.order_by("position", "pk")),
            Prefetch(
                "references",
                queryset=CaseReference.objects.select_related("earlier_case__body", "earlier_case__meeting"),
            ),
        )
        .get(pk=case.pk)
    )
    lang = document_language(case.body)
    place = case.document_place.strip() or case.body.cooperation.city
    with translation.override(lang):
        title = f"{pgettext('case', 'Saksframlegg')}: {case_heading(case, lang)}"
        manager = pgettext("case", "Daglig leder")
    context = {
        "cooperation": case.body.cooperation,
        "entry": _case_entry(case, lang),
        "title": title,
        "place_date": " ".join(p for p in (place, dates.format_date(case.document_date)) if p),
        "signer_name": case.signer_name,
        "signer_title": case.signer_title or (manager if case.signer_name else ""),
        "distribution": distribution_list(case, lang),
        "meeting_text": (f"{case.meeting.title} · {time_text(case.meeting, lang)}" if case.meeting_id else ""),
    }
    html = render_html("meetings/pdf/case_document.html", context, lang=lang)
    key = store.version_key(html, lang=lang)
    return store.stored(
        Kind.CASE_DOCUMENT, case.pk, key, lambda: html_to_pdf_pages(html), name=f"saksframlegg-{case.pk}.pdf"
    )


# --- What the invitees were told, to say what changed when the summons is sent again ---


def meeting_snapshot(meeting: Meeting, cases, lang: str) -> dict:
    """The facts of the meeting as a summons states them, JSON-ready."""
    snap_cases = {}
    for case in cases:
        digest = hashlib.sha256(
            "\x1f".join(
                (case.title, _plain(case.background), _plain(case.assessment), _plain(case.proposed_resolution))
            ).encode()
        ).hexdigest()[:16]
        snap_cases[str(case.pk)] = {"heading": case_heading(case, lang), "digest": digest}
    return {
        "title": meeting.title,
        "time": time_text(meeting, lang),
        "place": place_text(meeting),
        "deadline": deadline_text(meeting, lang),
        "cases": snap_cases,
    }


def describe_changes(before: dict, after: dict, lang: str) -> list[str]:
    """One line per change between two snapshots, in the document's language."""
    if not before:
        return []
    with translation.override(language_code(lang)):
        return _changes(before, after)


def _changes(before: dict, after: dict) -> list[str]:
    changed = {
        "title": pgettext("summons changes", "Tittel endret: %(old)s → %(new)s"),
        "time": pgettext("summons changes", "Tid endret: %(old)s → %(new)s"),
        "place": pgettext("summons changes", "Sted endret: %(old)s → %(new)s"),
        "deadline": pgettext("summons changes", "Påmeldingsfrist endret: %(old)s → %(new)s"),
    }
    none = pgettext("summons changes", "ingen")
    lines = []
    for key, line in changed.items():
        old, new = before.get(key, ""), after.get(key, "")
        if old != new:
            lines.append(line % {"old": old or none, "new": new or none})
    old_cases, new_cases = before.get("cases", {}), after.get("cases", {})
    for pk, case in new_cases.items():
        if pk not in old_cases:
            lines.append(pgettext("summons changes", "Ny sak: %(case)s") % {"case": case["heading"]})
        elif old_cases[pk]["digest"] != case["digest"]:
            lines.append(pgettext("summons changes", "Saksframlegget er endret: %(case)s") % {"case": case["heading"]})
    for pk, case in old_cases.items():
        if pk not in new_cases:
            lines.append(pgettext("summons changes", "Sak tatt av sakslisten: %(case)s") % {"case": case["heading"]})
    return lines


def added_case_lines(cases, lang: str) -> list[str]:
    """ "Ny sak: Sak 3/2017 …" for each case a supplementary summons adds."""
    with translation.override(language_code(lang)):
        return [pgettext("summons changes", "Ny sak: %(case)s") % {"case": case_heading(c, lang)} for c in cases]


def plain_agenda(meeting: Meeting, cases, lang: str) -> list[str]:
    """The agenda as lines of plain text (calendar descriptions, mails)."""
    lines = [f"{n}. {item}" for n, item in enumerate(standard_agenda_items(meeting, lang), 1)]
    lines += [case_heading(c, lang) for c in cases]
    return lines
