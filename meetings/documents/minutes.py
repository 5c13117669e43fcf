"""The minutes (protokoll) and the one-case extract (særutskrift) as PDF/A, in the body's language.

Fixed words follow the body's language from MINUTES_WORDS (like the summons' WORDS), so a Nynorsk
protokoll is right whatever the reader's interface language is.
"""

from django.utils import timezone

from khs.lib import dates
from khs.lib.pdf import html_to_pdf, render_html
from meetings.documents.papers import clean_for_pdf, document_language, title_in_sentence
from meetings.models import ClosedBasis, Minutes, MinutesItem, Participant, Signer

MINUTES_WORDS = {
    "nb": {
        "minutes": "Protokoll",
        "minutes_from": "Protokoll fra",
        "extract": "Særutskrift",
        "time": "Tid",
        "place": "Sted",
        "body": "Organ",
        "meeting_number": "Møte nr.",
        "present": "Til stede",
        "absent_notice": "Meldt forfall",
        "absent": "Ikke møtt",
        "deputies": "Møtende stedfortredere",
        "for": "for",
        "others": "Andre til stede",
        "chair": "Møteleder",
        "minute_taker": "Referent",
        "standard_1": "Valg av møteleder og referent",
        "standard_2": "Godkjenning av innkalling og dagsorden",
        "summons_approved": "Innkalling og dagsorden ble godkjent.",
        "summons_not_approved": "Innkalling og dagsorden ble ikke godkjent.",
        "case": "Sak",
        "proposal": "Forslag til vedtak",
        "alt_proposal": "Forslag fra {who}",
        "adopted": "vedtatt",
        "not_adopted": "ikke vedtatt",
        "treatment": "Behandling",
        "resolution": "Vedtak",
        "votes": "For: {f}, mot: {a}, blanke: {b}.",
        "votes_weighted": "Vektet: for {f}, mot {a}.",
        "vote_by_municipality": "Avstemning per kommune",
        "vote_by_member": "Avstemning per medlem",
        "quorum": "Vedtaksfør: {present} av {required} som kreves.",
        "not_quorate": "Ikke vedtaksfør: {present} av {required} som kreves.",
        "disqualified": "{name} ble erklært inhabil ({ground}). {decision} {name} fratrådte under behandlingen.",
        "substitute": "{name} tiltrådte i saken.",
        "closed": "Saken ble behandlet for lukkede dører, jf. {basis}.",
        "notes": "Merknader",
        "deferred": "Saken ble utsatt.",
        "approval": "Godkjenning",
        "signed_by": "Protokollen er godkjent ved signering:",
        "signed_at": "signert {when}",
        "approved_at_meeting": "Protokollen er godkjent i møtet {date}.",
        "draft": "UTKAST – ikke godkjent",
        "demo": "Demodata: oppmøte og behandling er laget for demonstrasjon.",
        "corrects": "Retter vedtak i sak {label} fra møtet {date}.",
        "none": "ingen",
        "choice_for": "for",
        "choice_against": "mot",
        "choice_blank": "blankt",
        "weight": "vekt",
        "any_other": "Eventuelt",
        "report": "Referatsak",
    },
    "nn": {
        "minutes": "Protokoll",
        "minutes_from": "Protokoll frå",
        "extract": "Særutskrift",
        "time": "Tid",
        "place": "Stad",
        "body": "Organ",
        "meeting_number": "Møte nr.",
        "present": "Til stades",
        "absent_notice": "Meldt forfall",
        "absent": "Ikkje møtt",
        "deputies": "Møtande stedfortredarar",
        "for": "for",
        "others": "Andre til stades",
        "chair": "Møteleiar",
        "minute_taker": "Referent",
        "standard_1": "Val av møteleiar og referent",
        "standard_2": "Godkjenning av innkalling og saksliste",
        "summons_approved": "Innkalling og saksliste vart godkjende.",
        "summons_not_approved": "Innkalling og saksliste vart ikkje godkjende.",
        "case": "Sak",
        "proposal": "Forslag til vedtak",
        "alt_proposal": "Forslag frå {who}",
        "adopted": "vedteke",
        "not_adopted": "ikkje vedteke",
        "treatment": "Handsaming",
        "resolution": "Vedtak",
        "votes": "For: {f}, mot: {a}, blanke: {b}.",
        "votes_weighted": "Vekta: for {f}, mot {a}.",
        "vote_by_municipality": "Røysting per kommune",
        "vote_by_member": "Røysting per medlem",
        "quorum": "Vedtaksført: {present} av {required} som krevst.",
        "not_quorate": "Ikkje vedtaksført: {present} av {required} som krevst.",
        "disqualified": "{name} vart erklært ugild ({ground}). {decision} {name} fråtredde under handsaminga.",
        "substitute": "{name} tiltredde i saka.",
        "closed": "Saka vart handsama for lukka dører, jf. {basis}.",
        "notes": "Merknader",
        "deferred": "Saka vart utsett.",
        "approval": "Godkjenning",
        "signed_by": "Protokollen er godkjend ved signering:",
        "signed_at": "signert {when}",
        "approved_at_meeting": "Protokollen er godkjend i møtet {date}.",
        "draft": "UTKAST – ikkje godkjend",
        "demo": "Demodata: oppmøte og handsaming er laga for demonstrasjon.",
        "corrects": "Rettar vedtak i sak {label} frå møtet {date}.",
        "none": "ingen",
        "choice_for": "for",
        "choice_against": "mot",
        "choice_blank": "blankt",
        "weight": "vekt",
        "any_other": "Eventuelt",
        "report": "Referatsak",
    },
}

DECISION_WORDS = {
    "nb": {
        "unanimous": "Enstemmig vedtatt.",
        "vote": "Vedtatt etter avstemning.",
        "not_adopted": "Forslaget ble ikke vedtatt.",
        "deferred": "Saken ble utsatt.",
        "noted": "Tatt til orientering.",
    },
    "nn": {
        "unanimous": "Samrøystes vedteke.",
        "vote": "Vedteke etter røysting.",
        "not_adopted": "Forslaget vart ikkje vedteke.",
        "deferred": "Saka vart utsett.",
        "noted": "Teke til orientering.",
    },
}


def _when(value) -> str:
    return f"{dates.format_date(value)} kl. {dates.format_time(value)}" if value else ""


def _item_entry(item: MinutesItem, lang: str, participants: dict) -> dict:
    w = MINUTES_WORDS[lang]
    votes = list(item.votes.all())
    choice_words = {"for": w["choice_for"], "against": w["choice_against"], "blank": w["choice_blank"]}
    weighted = any(v.weight != 1 for v in votes)
    vote_lines = []
    for v in votes:
        who = participants.get(v.participant_id)
        name = who.name if who else ""
        where = who.municipality.display_name(lang) if who and who.municipality_id else ""
        line = f"{where}: {name}" if item.vote_mode == MinutesItem.VoteMode.MUNICIPALITIES and where else name
        line += f" – {choice_words[v.choice]}"
        if weighted:
            line += f" ({w['weight']} {v.weight.normalize()})"
        vote_lines.append(line)
    counts = ""
    if item.votes_for is not None:
        counts = w["votes"].format(f=item.votes_for, a=item.votes_against or 0, b=item.votes_blank or 0)
        if weighted:
            f = sum(v.weight for v in votes if v.choice == "for")
            a = sum(v.weight for v in votes if v.choice == "against")
            counts += " " + w["votes_weighted"].format(f=f.normalize(), a=a.normalize())
    disqualifications = []
    for d in item.disqualifications.all():
        text = w["disqualified"].format(
            name=d.participant.name, ground=d.ground, decision=d.body_decision.rstrip(".") + "."
        )
        if d.substitute_id:
            text += " " + w["substitute"].format(name=d.substitute.name)
        disqualifications.append(text)
    quorum = ""
    if item.quorum_required is not None:
        key = "quorum" if item.quorum_ok else "not_quorate"
        quorum = w[key].format(present=item.quorum_present, required=item.quorum_required)
    heading = (
        f"{w['case']} {item.label} {item.title}"
        if item.case_id
        else f"{w[item.kind] if item.kind in w else ''}: {item.title}"
    )
    corrects = ""
    if item.corrects_id:
        earlier = item.corrects
        corrects = w["corrects"].format(
            label=earlier.label or earlier.title, date=dates.format_date(earlier.minutes.meeting.starts_at)
        )
    return {
        "item": item,
        "heading": heading,
        "proposal": clean_for_pdf(item.proposed_resolution),
        "resolution": clean_for_pdf(item.resolution),
        "decision_text": DECISION_WORDS[lang].get(item.decision, ""),
        "counts": counts,
        "vote_title": w["vote_by_municipality"]
        if item.vote_mode == MinutesItem.VoteMode.MUNICIPALITIES
        else w["vote_by_member"],
        "vote_lines": vote_lines,
        "proposals": [
            {
                "label": w["alt_proposal"].format(who=p.proposer),
                "text": p.text,
                "result": (w["adopted"] if p.adopted else w["not_adopted"])
                + (
                    " – " + w["votes"].format(f=p.votes_for, a=p.votes_against or 0, b=p.votes_blank or 0)
                    if p.votes_for is not None
                    else "."
                ),
            }
            for p in item.proposals.all()
        ],
        "disqualifications": disqualifications,
        "quorum": quorum,
        "closed": w["closed"].format(basis=ClosedBasis(item.closed_basis).label) if item.closed_session else "",
        "notes": clean_for_pdf(item.notes),
        "corrects": corrects,
    }


def _participant_lines(participants, lang):
    w = MINUTES_WORDS[lang]

    def name(p):
        where = p.municipality.display_name(lang) if p.municipality_id else ""
        return f"{p.name} ({where})" if where else p.name

    members = [p for p in participants if p.role == Participant.Role.MEMBER]
    return {
        "present": [name(p) for p in members if p.is_present],
        "absent_notice": [name(p) for p in members if p.attendance == Participant.Attendance.ABSENT_NOTICE],
        "absent": [name(p) for p in members if p.attendance == Participant.Attendance.ABSENT],
        "deputies": [
            f"{name(p)} {w['for']} {p.deputy_for.name}" if p.deputy_for_id else name(p)
            for p in participants
            if p.role == Participant.Role.DEPUTY and p.is_present
        ],
        "others": [name(p) for p in participants if p.role == Participant.Role.GUEST and p.is_present],
    }


def _context(minutes: Minutes, items, lang: str) -> dict:
    meeting = minutes.meeting
    w = MINUTES_WORDS[lang]
    participants = list(minutes.participants.select_related("municipality", "deputy_for"))
    by_id = {p.pk: p for p in participants}
    signers = list(Signer.objects.filter(minutes=minutes).order_by("position", "pk"))
    return {
        "meeting": meeting,
        "minutes": minutes,
        "cooperation": meeting.body.cooperation,
        "w": w,
        "time_text": dates.format_meeting_time(minutes.started_at, minutes.ended_at, lang),
        "date_text": dates.format_date(meeting.starts_at),
        "people": _participant_lines(participants, lang),
        "entries": [_item_entry(i, lang, by_id) for i in items],
        "signers": [(s.name, w["signed_at"].format(when=_when(s.signed_at))) for s in signers if s.signed_at],
        "approved_at_meeting": w["approved_at_meeting"].format(
            date=dates.format_date(minutes.approved_by_meeting.starts_at)
        )
        if minutes.approved_by_meeting_id
        else "",
        "title_from": f"{w['minutes_from']} {title_in_sentence(meeting)}",
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


def minutes_pdf(minutes: Minutes) -> bytes:
    """The protokoll: head, who met, each item with proposal, proposals, votes, vedtak; the approval record."""
    return html_to_pdf(minutes_html(minutes))


def extract_pdf(item: MinutesItem) -> bytes:
    """Særutskrift: one case's treatment and decision, with the meeting's head."""
    minutes = item.minutes
    lang = document_language(minutes.meeting.body)
    items = [i for i in _items(minutes) if i.pk == item.pk]
    context = {**_context(minutes, items, lang), "extract": True, "now": timezone.now()}
    return html_to_pdf(render_html("meetings/pdf/minutes_extract.html", context, lang=lang))
