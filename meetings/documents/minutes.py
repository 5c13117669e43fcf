"""The minutes (protokoll) and the one-case extract (særutskrift) as PDF/A, in the body's language.

The fixed words are gettext msgids with a context ("minutes", "decision"), rendered inside
translation.override(<the body's language>), like the summons (meetings.documents.papers), so a Nynorsk
protokoll is right whatever the reader's interface language is.
"""

from django.utils import translation
from django.utils.translation import pgettext

from khs.lib import dates
from khs.lib.pdf import html_to_pdf_pages, render_html
from meetings.documents import store
from meetings.documents.papers import clean_for_pdf, document_language, title_in_sentence
from meetings.models import ClosedBasis, Minutes, MinutesItem, Participant, RenderedDocument, Signer

Kind = RenderedDocument.Kind


def _decision_text(decision: str) -> str:
    """What the treatment line says about the outcome (Enstemmig vedtatt. …), in the active language."""
    texts = {
        MinutesItem.Decision.UNANIMOUS: pgettext("decision", "Enstemmig vedtatt."),
        MinutesItem.Decision.VOTE: pgettext("decision", "Vedtatt etter avstemning."),
        MinutesItem.Decision.NOT_ADOPTED: pgettext("decision", "Forslaget ble ikke vedtatt."),
        MinutesItem.Decision.DEFERRED: pgettext("decision", "Saken ble utsatt."),
        MinutesItem.Decision.NOTED: pgettext("decision", "Tatt til orientering."),
    }
    return texts.get(decision, "")


def _kind_word(kind: str) -> str:
    return {
        MinutesItem.Kind.CASE: pgettext("minutes", "Sak"),
        MinutesItem.Kind.ANY_OTHER: pgettext("minutes", "Eventuelt"),
        MinutesItem.Kind.REPORT: pgettext("minutes", "Referatsak"),
    }.get(kind, "")


def _votes_text(f, a, b) -> str:
    return pgettext("minutes", "For: %(f)s, mot: %(a)s, blanke: %(b)s.") % {"f": f, "a": a or 0, "b": b or 0}


def _when(value) -> str:
    return f"{dates.format_date(value)} kl. {dates.format_time(value)}" if value else ""


def _vote_lines(item: MinutesItem, votes, participants: dict, lang: str, weighted: bool) -> list[str]:
    choice_words = {
        "for": pgettext("minutes", "for"),
        "against": pgettext("minutes", "mot"),
        "blank": pgettext("minutes", "blankt"),
    }
    lines = []
    for v in votes:
        who = participants.get(v.participant_id)
        name = who.name if who else ""
        where = who.municipality.display_name(lang) if who and who.municipality_id else ""
        line = f"{where}: {name}" if item.vote_mode == MinutesItem.VoteMode.MUNICIPALITIES and where else name
        line += f" – {choice_words[v.choice]}"
        if weighted:
            line += f" ({pgettext('minutes', 'vekt')} {v.weight.normalize()})"
        lines.append(line)
    return lines


def _item_entry(item: MinutesItem, lang: str, participants: dict) -> dict:
    votes = list(item.votes.all())
    weighted = any(v.weight != 1 for v in votes)
    counts = ""
    if item.votes_for is not None:
        counts = _votes_text(item.votes_for, item.votes_against, item.votes_blank)
        if weighted:
            f = sum(v.weight for v in votes if v.choice == "for")
            a = sum(v.weight for v in votes if v.choice == "against")
            counts += " " + pgettext("minutes", "Vektet: for %(f)s, mot %(a)s.") % {
                "f": f.normalize(),
                "a": a.normalize(),
            }
    disqualifications = []
    for d in item.disqualifications.all():
        text = pgettext(
            "minutes", "%(name)s ble erklært inhabil (%(ground)s). %(decision)s %(name)s fratrådte under behandlingen."
        ) % {"name": d.participant.name, "ground": d.ground, "decision": d.body_decision.rstrip(".") + "."}
        if d.substitute_id:
            text += " " + pgettext("minutes", "%(name)s tiltrådte i saken.") % {"name": d.substitute.name}
        disqualifications.append(text)
    quorum = ""
    if item.quorum_required is not None:
        numbers = {"present": item.quorum_present, "required": item.quorum_required}
        if item.quorum_ok:
            quorum = pgettext("minutes", "Vedtaksfør: %(present)s av %(required)s som kreves.") % numbers
        else:
            quorum = pgettext("minutes", "Ikke vedtaksfør: %(present)s av %(required)s som kreves.") % numbers
    if item.case_id:
        heading = f"{pgettext('minutes', 'Sak')} {item.label} {item.title}"
    else:
        heading = f"{_kind_word(item.kind)}: {item.title}"
    corrects = ""
    if item.corrects_id:
        earlier = item.corrects
        corrects = pgettext("minutes", "Retter vedtak i sak %(label)s fra møtet %(date)s.") % {
            "label": earlier.label or earlier.title,
            "date": dates.format_date(earlier.minutes.meeting.starts_at),
        }
    by_municipality = item.vote_mode == MinutesItem.VoteMode.MUNICIPALITIES
    return {
        "item": item,
        "heading": heading,
        "proposal": clean_for_pdf(item.proposed_resolution),
        "resolution": clean_for_pdf(item.resolution),
        "decision_text": _decision_text(item.decision),
        "counts": counts,
        "vote_title": pgettext("minutes", "Avstemning per kommune")
        if by_municipality
        else pgettext("minutes", "Avstemning per medlem"),
        "vote_lines": _vote_lines(item, votes, participants, lang, weighted),
        "proposals": [
            {
                "label": pgettext("minutes", "Forslag fra %(who)s") % {"who": p.proposer},
                "text": p.text,
                "result": (pgettext("minutes", "vedtatt") if p.adopted else pgettext("minutes", "ikke vedtatt"))
                + (
                    " – " + _votes_text(p.votes_for, p.votes_against, p.votes_blank) if p.votes_for is not None else "."
                ),
            }
            for p in item.proposals.all()
        ],
        "disqualifications": disqualifications,
        "quorum": quorum,
        "closed": pgettext("minutes", "Saken ble behandlet for lukkede dører, jf. %(basis)s.")
        % {"basis": ClosedBasis(item.closed_basis).label}
        if item.closed_session
        else "",
        "notes": clean_for_pdf(item.notes),
        "corrects": corrects,
    }


def _participant_lines(participants, lang):
    def name(p):
        where = p.municipality.display_name(lang) if p.municipality_id else ""
        return f"{p.name} ({where})" if where else p.name

    members = [p for p in participants if p.role == Participant.Role.MEMBER]
    deputy_for = pgettext("minutes", "for")
    return {
        "present": [name(p) for p in members if p.is_present],
        "absent_notice": [name(p) for p in members if p.attendance == Participant.Attendance.ABSENT_NOTICE],
        "absent": [name(p) for p in members if p.attendance == Participant.Attendance.ABSENT],
        "deputies": [
            f"{name(p)} {deputy_for} {p.deputy_for.name}" if p.deputy_for_id else name(p)
            for p in participants
            if p.role == Participant.Role.DEPUTY and p.is_present
        ],
        "others": [name(p) for p in participants if p.role == Participant.Role.GUEST and p.is_present],
    }


def _context(minutes: Minutes, items, lang: str) -> dict:
    meeting = minutes.meeting
    participants = list(minutes.participants.select_related("municipality", "deputy_for"))
    by_id = {p.pk: p for p in participants}
    signers = list(Signer.objects.filter(minutes=minutes).order_by("position", "pk"))
    with translation.override(lang):
        return {
            "meeting": meeting,
            "minutes": minutes,
            "cooperation": meeting.body.cooperation,
            "time_text": dates.format_meeting_time(minutes.started_at, minutes.ended_at, lang),
            "date_text": dates.format_date(meeting.starts_at),
            "people": _participant_lines(participants, lang),
            "entries": [_item_entry(i, lang, by_id) for i in items],
            "signers": [
                (s.name, pgettext("minutes", "signert %(when)s") % {"when": _when(s.signed_at)})
                for s in signers
                if s.signed_at
            ],
            "approved_at_meeting": pgettext("minutes", "Protokollen er godkjent i møtet %(date)s.")
            % {"date": dates.format_date(minutes.approved_by_meeting.starts_at)}
            if minutes.approved_by_meeting_id
            else "",
            "title_from": f"{pgettext('minutes', 'Protokoll fra')} {title_in_sentence(meeting)}",
        }


def _items(minutes: Minutes):
    return list(
        minutes.items.select_related("case__body", "corrects__minutes__meeting").prefetch_related(
            "votes", "proposals", "disqualifications__participant", "disqualifications__substitute"
        )
    )


def minutes_html(minutes: Minutes) -> str:
    lang = document_language(minutes.meeting.body)
    return render_html("meetings/pdf/minutes.html", _context(minutes, _items(minutes), lang), lang=lang)


def minutes_document(minutes: Minutes) -> RenderedDocument:
    """The protokoll as it stands, stored once per version (meetings.documents.store)."""
    lang = document_language(minutes.meeting.body)
    html = minutes_html(minutes)
    key = store.version_key(html, lang=lang)
    return store.stored(
        Kind.MINUTES, minutes.pk, key, lambda: html_to_pdf_pages(html), name=f"protokoll-{minutes.pk}.pdf"
    )


def minutes_pdf(minutes: Minutes) -> bytes:
    """The protokoll: head, who met, each item with proposal, proposals, votes, vedtak; the approval record."""
    return store.read(minutes_document(minutes))


def extract_document(item: MinutesItem) -> RenderedDocument:
    """Særutskrift: one case's treatment and decision, with the meeting's head; stored once per version."""
    minutes = item.minutes
    lang = document_language(minutes.meeting.body)
    items = [i for i in _items(minutes) if i.pk == item.pk]
    context = {**_context(minutes, items, lang), "extract": True}
    html = render_html("meetings/pdf/minutes_extract.html", context, lang=lang)
    key = store.version_key(html, lang=lang)
    return store.stored(Kind.EXTRACT, item.pk, key, lambda: html_to_pdf_pages(html), name=f"saerutskrift-{item.pk}.pdf")


def extract_pdf(item: MinutesItem) -> bytes:
    return store.read(extract_document(item))
