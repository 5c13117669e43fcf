"""The public part as OParl 1.1 objects (https://oparl.org/spezifikation/), with vote results added.

Mapping: an OParl Body is a cooperation (Cooperation), an Organization one of its bodies (membership.Body,
"Gremium"), a Meeting a meeting, an AgendaItem an item of its agenda, a Paper a case, a Consultation the
handling of a case in a meeting, a File a published PDF (summons, case document, approved minutes, attachment).
OParl has no vote counts: AgendaItem carries them in the extension field "khs:votes" ({for, against, blank,
mode, votes: [{municipality, choice}]}). Closed cases show their number and legal basis only ("khs:legalBasis").
"""

from django.conf import settings
from django.urls import reverse

from meetings.models import Case, Meeting, Minutes, MinutesItem
from publishing import rules

OPARL = "https://schema.oparl.org/1.1/"


def url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(f"publishing:{name}", args=args)


def web(name: str, *args) -> str:
    return settings.SITE_URL + reverse(f"publishing:{name}", args=args)


def _iso(value):
    return value.isoformat() if value else None


def system() -> dict:
    return {
        "id": url("api_system"),
        "type": OPARL + "System",
        "oparlVersion": OPARL,
        "name": "khs",
        "body": url("api_body_list"),
        "website": web("index"),
        "vendor": "khs",
        "product": "khs – styring av interkommunale samarbeid",
    }


def body(cooperation, modified) -> dict:
    return {
        "id": url("api_body", cooperation.pk),
        "type": OPARL + "Body",
        "system": url("api_system"),
        "name": cooperation.name,
        "shortName": cooperation.short_name,
        "website": web("cooperation_detail", cooperation.short_name),
        "organization": url("api_organization_list", cooperation.pk),
        "meeting": url("api_meeting_list", cooperation.pk),
        "paper": url("api_paper_list", cooperation.pk),
        "web": web("cooperation_detail", cooperation.short_name),
        "modified": _iso(modified),
    }


def organization(b) -> dict:
    return {
        "id": url("api_organization", b.pk),
        "type": OPARL + "Organization",
        "body": url("api_body", b.cooperation_id),
        "name": b.name,
        "organizationType": "Gremium",
        "classification": b.get_kind_display(),
        "web": web("body_detail", b.pk),
    }


def file_summons(meeting: Meeting) -> dict:
    return {
        "id": url("api_file", f"summons-{meeting.pk}"),
        "type": OPARL + "File",
        "name": f"Innkalling {meeting.title} {meeting.starts_at:%d.%m.%Y}",
        "fileName": f"innkalling-{meeting.starts_at:%Y-%m-%d}.pdf",
        "mimeType": "application/pdf",
        "accessUrl": web("summons_pdf", meeting.pk),
        "downloadUrl": web("summons_pdf", meeting.pk),
    }


def file_minutes(meeting: Meeting, minutes: Minutes) -> dict:
    return {
        "id": url("api_file", f"minutes-{meeting.pk}"),
        "type": OPARL + "File",
        "name": f"Protokoll {meeting.title} {meeting.starts_at:%d.%m.%Y}",
        "fileName": f"protokoll-{meeting.starts_at:%Y-%m-%d}.pdf",
        "mimeType": "application/pdf",
        "accessUrl": web("minutes_pdf", meeting.pk),
        "downloadUrl": web("minutes_pdf", meeting.pk),
        "date": _iso(minutes.approved_at.date()) if minutes.approved_at else None,
        "khs:sha256Checksum": minutes.document_sha256 or None,
    }


def file_case_document(case: Case) -> dict:
    return {
        "id": url("api_file", f"casedoc-{case.pk}"),
        "type": OPARL + "File",
        "name": f"Saksframlegg sak {case.label}",
        "fileName": f"saksframlegg-{case.year}-{case.number}.pdf",
        "mimeType": "application/pdf",
        "accessUrl": web("case_document_pdf", case.pk),
        "downloadUrl": web("case_document_pdf", case.pk),
    }


def file_attachment(attachment) -> dict:
    return {
        "id": url("api_file", f"attachment-{attachment.pk}"),
        "type": OPARL + "File",
        "name": attachment.title,
        "fileName": attachment.original_name or attachment.title,
        "mimeType": attachment.content_type,
        "size": attachment.size,
        "accessUrl": web("case_attachment", attachment.case_id, attachment.pk),
        "downloadUrl": web("case_attachment", attachment.case_id, attachment.pk),
        "khs:sha256Checksum": attachment.sha256,
    }


def votes(item: MinutesItem | None) -> dict | None:
    """The result of the vote on an item, with the municipality of each vote where the body votes so."""
    if item is None or not item.decision:
        return None
    result = {
        "decision": item.decision,
        "mode": item.vote_mode,
        "for": item.votes_for,
        "against": item.votes_against,
        "blank": item.votes_blank,
        "votes": [],
    }
    if item.vote_mode == MinutesItem.VoteMode.MUNICIPALITIES:
        for vote in item.votes.all():
            municipality = vote.participant.municipality
            result["votes"].append(
                {
                    "municipality": municipality.name if municipality else None,
                    "kommunenummer": municipality.number if municipality else None,
                    "choice": vote.choice,
                    "weight": str(vote.weight),
                }
            )
    return result


def agenda_item(case: Case, order: int, item: MinutesItem | None, now) -> dict:
    closed = rules.case_is_closed(case)
    decided = rules.minutes_public(case.meeting, now)
    data = {
        "id": url("api_agenda_item", case.pk),
        "type": OPARL + "AgendaItem",
        "meeting": url("api_meeting", case.meeting_id),
        "number": case.label,
        "order": order,
        "name": "Unntatt offentlighet" if closed else rules.public_title(case),
        "public": not closed,
        "consultation": url("api_consultation", case.pk),
        "web": web("case_detail", case.pk),
    }
    if closed:
        data["khs:legalBasis"] = rules.closed_legal_basis(case)
    elif decided:
        data["result"] = case.get_outcome_display() if case.outcome else None
        data["resolutionText"] = rules.adopted_resolution(case) or None
        data["khs:votes"] = votes(item)
    return data


def meeting(m: Meeting, cases, items_by_case: dict, minutes, now) -> dict:
    documents = rules.meeting_documents_public(m, now)
    data = {
        "id": url("api_meeting", m.pk),
        "type": OPARL + "Meeting",
        "name": m.title,
        "meetingState": {"held": "durchgeführt", "minutes_approved": "durchgeführt"}.get(m.status, "eingeladen"),
        "cancelled": m.status == Meeting.Status.CANCELLED,
        "start": _iso(m.starts_at),
        "end": _iso(m.ends_at),
        "location": {
            "id": url("api_meeting", m.pk) + "#location",
            "type": OPARL + "Location",
            "description": ", ".join(p for p in (m.place_name, m.place_address) if p),
        },
        "organization": [url("api_organization", m.body_id)],
        "agendaItem": [agenda_item(c, i, items_by_case.get(c.pk), now) for i, c in enumerate(cases, start=1)],
        "web": web("meeting_detail", m.pk),
        "created": _iso(m.created_at),
        "modified": _iso(m.updated_at),
    }
    if documents:
        data["invitation"] = file_summons(m)
    if minutes is not None and rules.minutes_public(m, now) and minutes.document:
        data["resultsProtocol"] = file_minutes(m, minutes)
    return data


def paper_modified(case: Case):
    candidates = [case.registered_at, case.decided_at, case.meeting.updated_at if case.meeting else None]
    publication = getattr(case, "publication", None)
    if publication is not None:
        candidates.append(publication.updated_at)
    return max(c for c in candidates if c)


def consultation(case: Case) -> dict:
    return {
        "id": url("api_consultation", case.pk),
        "type": OPARL + "Consultation",
        "paper": url("api_paper", case.pk),
        "agendaItem": url("api_agenda_item", case.pk),
        "meeting": url("api_meeting", case.meeting_id),
        "organization": [url("api_organization", case.body_id)],
        "authoritative": case.kind == Case.Kind.DECISION,
        "role": case.get_kind_display(),
    }


def paper(case: Case, attachments=()) -> dict:
    closed = rules.case_is_closed(case)
    data = {
        "id": url("api_paper", case.pk),
        "type": OPARL + "Paper",
        "body": url("api_body", case.body.cooperation_id),
        "name": "Unntatt offentlighet" if closed else rules.public_title(case),
        "reference": case.label,
        "date": _iso(case.document_date or case.registered_at.date()),
        "paperType": case.get_kind_display(),
        "consultation": [consultation(case)],
        "web": web("case_detail", case.pk),
        "created": _iso(case.registered_at),
        "modified": _iso(paper_modified(case)),
    }
    if closed:
        data["khs:legalBasis"] = rules.closed_legal_basis(case)
    else:
        if rules.case_document_public(case):
            data["mainFile"] = file_case_document(case)
        data["auxiliaryFile"] = [file_attachment(a) for a in attachments]
    return data
