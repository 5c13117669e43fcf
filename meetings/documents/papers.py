"""The meeting's printable documents: summons (innkalling), supplementary summons, case document (saksframlegg).

One narrow function per document renders a template of ours to PDF/A bytes (khs.lib.pdf). The fixed
words follow the body's language (Bokmål or Nynorsk) from the WORDS dict below, not from .po files,
so that a Nynorsk document is right whatever language the reader's interface is in.
"""

import hashlib
import re

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import linebreaks, strip_tags
from django.utils.safestring import mark_safe

from khs.lib import dates
from khs.lib.pdf import html_to_pdf, render_html
from meetings.models import Case, CaseAttachment, CaseReference, Invitee, Meeting
from meetings.richtext import clean_html
from meetings.selectors import AGENDA_WORDS, meeting_agenda, meeting_cases

WORDS = {
    "nb": {
        "summons": "Innkalling",
        "summons_to": "Innkalling til",
        "supplementary": "Tilleggsinnkalling",
        "supplementary_to": "Tilleggsinnkalling til",
        "cancellation": "Avlysning",
        "cancelled": "Avlyst",
        "case_document": "Saksframlegg",
        "case": "Sak",
        "background": "Saksopplysning",
        "assessment": "Vurdering",
        "proposal": "Forslag til vedtak",
        "attachments": "Vedlegg",
        "time": "Tid",
        "place": "Sted",
        "supplementary_cases": "Tilleggssaker til behandling",
        "no_cases": "Ingen saker er meldt ennå.",
        "deadline": "Påmelding innen",
        "register_at": "på",
        "register_how": "Bruk den personlige lenken i e-posten med innkallingen, eller logg inn med "
        "e-postadressen din.",
        "contact": "Kontaktperson",
        "daily_manager": "Daglig leder",
        "distribution": "Utsendt til",
        "earlier_handling": "Tidligere behandling",
        "municipality": "kommune",
        "to_members": "Til medlemmene i",
        "reason": "Begrunnelse",
        "cancel_text": "Møtet er avlyst.",
        "supplement_intro": "Disse sakene er meldt etter at innkallingen ble sendt, og behandles i det samme møtet.",
        # What changed since the invitees were last told (mail of a re-sent summons).
        "changed_title": "Tittel endret: {old} → {new}",
        "changed_time": "Tid endret: {old} → {new}",
        "changed_place": "Sted endret: {old} → {new}",
        "changed_deadline": "Påmeldingsfrist endret: {old} → {new}",
        "case_added": "Ny sak: {case}",
        "case_removed": "Sak tatt av sakslisten: {case}",
        "case_changed": "Saksframlegget er endret: {case}",
        "none": "ingen",
    },
    "nn": {
        "summons": "Innkalling",
        "summons_to": "Innkalling til",
        "supplementary": "Tilleggsinnkalling",
        "supplementary_to": "Tilleggsinnkalling til",
        "cancellation": "Avlysing",
        "cancelled": "Avlyst",
        "case_document": "Saksframlegg",
        "case": "Sak",
        "background": "Saksopplysning",
        "assessment": "Vurdering",
        "proposal": "Forslag til vedtak",
        "attachments": "Vedlegg",
        "time": "Tid",
        "place": "Stad",
        "supplementary_cases": "Tilleggssaker til handsaming",
        "no_cases": "Ingen saker er melde enno.",
        "deadline": "Påmelding innan",
        "register_at": "på",
        "register_how": "Bruk den personlege lenkja i e-posten med innkallinga, eller logg inn med e-postadressa di.",
        "contact": "Kontaktperson",
        "daily_manager": "Dagleg leiar",
        "distribution": "Sendt til",
        "earlier_handling": "Tidlegare handsaming",
        "municipality": "kommune",
        "to_members": "Til medlemene i",
        "reason": "Grunngjeving",
        "cancel_text": "Møtet er avlyst.",
        "supplement_intro": "Desse sakene er melde etter at innkallinga vart send, og blir handsama i det same møtet.",
        "changed_title": "Tittel endra: {old} → {new}",
        "changed_time": "Tid endra: {old} → {new}",
        "changed_place": "Stad endra: {old} → {new}",
        "changed_deadline": "Påmeldingsfrist endra: {old} → {new}",
        "case_added": "Ny sak: {case}",
        "case_removed": "Sak teken av sakslista: {case}",
        "case_changed": "Saksframlegget er endra: {case}",
        "none": "ingen",
    },
}

_LOOKS_LIKE_HTML = re.compile(r"<[a-zA-Z!/]")


def words(lang: str) -> dict:
    """The fixed words of the documents; the agenda's own words come from the agenda (meetings.selectors)."""
    lang = lang if lang in WORDS else "nb"
    agenda = AGENDA_WORDS[lang]
    return {
        **WORDS[lang],
        "agenda": agenda["agenda"],
        "ordinary_cases": agenda["ordinary"],
        "cases": agenda["cases_for_consideration"],
    }


def standard_agenda_items(meeting: Meeting, lang: str) -> list[str]:
    """The items every agenda opens with (Valg av møteleder og referent, …), from the meeting's agenda."""
    return [item.title for item in meeting_agenda(meeting, lang, cases=[]) if item.is_standard]


def document_language(meeting_or_body) -> str:
    lang = getattr(meeting_or_body, "language", "nb")
    return lang if lang in WORDS else "nb"


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
    return f"{words(lang)['case']} {case.label} {case.title}"


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
    return meeting.body.addressee.strip() or f"{words(lang)['to_members']} {meeting.body.name}"


def _reference_text(reference: CaseReference, lang: str) -> str:
    earlier = reference.earlier_case
    text = f"{earlier.body.name}, {words(lang)['case'].lower()} {earlier.label}"
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
        "w": words(lang),
        "time_text": time_text(meeting, lang),
        "place_text": place_text(meeting),
        "deadline_text": deadline_text(meeting, lang),
        "register_url": register_url(),
        "contact": contact_text(meeting),
        "addressee": addressee_text(meeting, lang),
        "date_text": dates.format_date(meeting.starts_at),
    }


def summons_html(meeting: Meeting, *, cases=None) -> str:
    lang = document_language(meeting)
    cases = agenda_cases(meeting) if cases is None else cases
    entries = [_case_entry(c, lang) for c in cases]
    context = {
        **_meeting_context(meeting, lang),
        "title": meeting_title_after(words(lang)["summons_to"], meeting),
        "standard_items": standard_agenda_items(meeting, lang),
        "entries": entries,
        "all_attachments": [(e["case"], a) for e in entries for a in e["attachments"]],
    }
    return render_html("meetings/pdf/summons.html", context, lang=lang)


def summons_pdf(meeting: Meeting, *, cases=None) -> bytes:
    """The summons: Tid / Sted / Dagsorden, then every case with its texts and proposed resolution."""
    return html_to_pdf(summons_html(meeting, cases=cases))


def supplementary_pdf(meeting: Meeting, cases) -> bytes:
    """The supplementary summons (tilleggsinnkalling): only the cases added after the summons went out."""
    lang = document_language(meeting)
    entries = [_case_entry(c, lang) for c in cases]
    context = {
        **_meeting_context(meeting, lang),
        "title": meeting_title_after(words(lang)["supplementary_to"], meeting),
        "entries": entries,
        "all_attachments": [(e["case"], a) for e in entries for a in e["attachments"]],
    }
    return html_to_pdf(render_html("meetings/pdf/supplementary.html", context, lang=lang))


def cancellation_pdf(meeting: Meeting, *, reason: str = "") -> bytes:
    """A short letter saying the meeting is cancelled (for invitees without an e-mail address, and the archive)."""
    lang = document_language(meeting)
    context = {
        **_meeting_context(meeting, lang),
        "title": f"{words(lang)['cancellation']}: {meeting.title}",
        "reason": reason,
    }
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
            name = f"{invitee.municipality.display_name(lang)} {words(lang)['municipality']}"
        else:
            name = invitee.name
        if name not in names:
            names.append(name)
    return names


def case_document_pdf(case: Case) -> bytes:
    """The saksframlegg of one case, as seed 004: texts, proposal, place and date, signer, attachments, list."""
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
    w = words(lang)
    place = case.document_place.strip() or case.body.cooperation.city
    context = {
        "cooperation": case.body.cooperation,
        "w": w,
        "entry": _case_entry(case, lang),
        "title": f"{w['case_document']}: {case_heading(case, lang)}",
        "place_date": " ".join(p for p in (place, dates.format_date(case.document_date)) if p),
        "signer_name": case.signer_name,
        "signer_title": case.signer_title or (w["daily_manager"] if case.signer_name else ""),
        "distribution": distribution_list(case, lang),
        "meeting_text": (f"{case.meeting.title} · {time_text(case.meeting, lang)}" if case.meeting_id else ""),
    }
    return html_to_pdf(render_html("meetings/pdf/case_document.html", context, lang=lang))


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
    w = words(lang)
    lines = []
    for key in ("title", "time", "place", "deadline"):
        old, new = before.get(key, ""), after.get(key, "")
        if old != new:
            lines.append(w[f"changed_{key}"].format(old=old or w["none"], new=new or w["none"]))
    old_cases, new_cases = before.get("cases", {}), after.get("cases", {})
    for pk, case in new_cases.items():
        if pk not in old_cases:
            lines.append(w["case_added"].format(case=case["heading"]))
        elif old_cases[pk]["digest"] != case["digest"]:
            lines.append(w["case_changed"].format(case=case["heading"]))
    for pk, case in old_cases.items():
        if pk not in new_cases:
            lines.append(w["case_removed"].format(case=case["heading"]))
    return lines


def plain_agenda(meeting: Meeting, cases, lang: str) -> list[str]:
    """The agenda as lines of plain text (calendar descriptions, mails)."""
    lines = [f"{n}. {item}" for n, item in enumerate(standard_agenda_items(meeting, lang), 1)]
    lines += [case_heading(c, lang) for c in cases]
    return lines
