"""Every change of the publishing app: publication settings, follow-ups, member decisions (audited)."""

from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from khs.lib.audit import audit_log, diff, snapshot
from meetings.models import Case, Meeting
from membership.services import membership_invitation_answer
from publishing.errors import PublishingError
from publishing.models import CasePublication, FollowUp, MeetingPublication, MemberDecision


def _cooperation_id(case: Case) -> int:
    return case.body.cooperation_id


@transaction.atomic
def case_publication_set(
    *,
    case: Case,
    actor,
    public_title: str = "",
    publish_from: datetime | None = None,
    exempt: bool = False,
    legal_basis: str = "",
    municipalities=(),
) -> CasePublication:
    """Set how a case is published; an exempt case must name its legal basis."""
    legal_basis = legal_basis.strip()
    if exempt and not legal_basis:
        raise PublishingError(_("En sak som er unntatt offentlighet, må ha hjemmel."))
    publication, created = CasePublication.objects.select_for_update().get_or_create(case=case)
    before = (
        {}
        if created
        else {
            **snapshot(publication),
            "municipalities": sorted(publication.municipalities.values_list("pk", flat=True)),
        }
    )
    publication.public_title = public_title.strip()
    publication.publish_from = publish_from
    publication.exempt = exempt
    publication.legal_basis = legal_basis
    publication.save()
    publication.municipalities.set(municipalities)
    after = {**snapshot(publication), "municipalities": sorted(m.pk for m in municipalities)}
    audit_log(
        actor=actor,
        action="create" if created else "update",
        verb="case_publication_set",
        obj=case,
        changes=diff(before, after),
        cooperation_id=_cooperation_id(case),
    )
    return publication


@transaction.atomic
def meeting_publication_set(*, meeting: Meeting, actor, publish_from: datetime | None) -> MeetingPublication:
    """Hold a meeting's documents back from the public until a date (None: publish when sent)."""
    publication, created = MeetingPublication.objects.select_for_update().get_or_create(meeting=meeting)
    before = publication.publish_from
    publication.publish_from = publish_from
    publication.save()
    audit_log(
        actor=actor,
        action="create" if created else "update",
        verb="meeting_publication_set",
        obj=meeting,
        changes={"publish_from": [before, publish_from]},
        cooperation_id=meeting.body.cooperation_id,
    )
    return publication


def _check_decided(case: Case):
    if case.meeting is None or case.meeting.status != Meeting.Status.MINUTES_APPROVED and not case.resolution:
        raise PublishingError(_("Bare vedtatte saker kan følges opp."))


@transaction.atomic
def follow_up_create(
    *,
    case: Case,
    actor,
    responsible: str,
    deadline: date | None = None,
    status: str = FollowUp.Status.NOT_STARTED,
    notes: str = "",
) -> FollowUp:
    """Give an adopted resolution a follow-up: who is responsible, by when."""
    _check_decided(case)
    if not responsible.strip():
        raise PublishingError(_("Oppgi hvem som er ansvarlig."))
    follow_up = FollowUp.objects.create(
        case=case, responsible=responsible.strip(), deadline=deadline, status=status, notes=notes
    )
    audit_log(
        actor=actor,
        action="create",
        verb="follow_up_create",
        obj=follow_up,
        changes=snapshot(follow_up, ["responsible", "deadline", "status", "notes"]),
        cooperation_id=_cooperation_id(case),
    )
    return follow_up


@transaction.atomic
def follow_up_update(*, follow_up: FollowUp, actor, **fields) -> FollowUp:
    follow_up = FollowUp.objects.select_for_update().select_related("case__body").get(pk=follow_up.pk)
    allowed = {"responsible", "deadline", "status", "notes"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"follow_up_update does not change {sorted(unknown)}")
    if "responsible" in fields and not fields["responsible"].strip():
        raise PublishingError(_("Oppgi hvem som er ansvarlig."))
    if "status" in fields and fields["status"] not in FollowUp.Status.values:
        raise PublishingError(_("Ukjent status."))
    before = snapshot(follow_up, sorted(allowed))
    for name, value in fields.items():
        setattr(follow_up, name, value)
    follow_up.save()
    changes = diff(before, snapshot(follow_up, sorted(allowed)))
    if changes:
        audit_log(
            actor=actor,
            action="update",
            verb="follow_up_update",
            obj=follow_up,
            changes=changes,
            cooperation_id=_cooperation_id(follow_up.case),
        )
    return follow_up


@transaction.atomic
def member_decisions_request(*, case: Case, municipalities, requested_on: date, actor, invitations=None) -> list:
    """Record that each municipality was asked to decide on the case (the extract sent to it).

    `invitations` ({municipality_id: MembershipInvitation}) ties a request to the membership invitation it is,
    so the answer is kept in one place.
    """
    invitations = invitations or {}
    created = []
    for municipality in municipalities:
        decision, was_new = MemberDecision.objects.get_or_create(
            case=case,
            municipality=municipality,
            defaults={"requested_on": requested_on, "invitation": invitations.get(municipality.pk)},
        )
        if was_new:
            audit_log(
                actor=actor,
                action="create",
                verb="member_decisions_request",
                obj=decision,
                changes={"requested_on": requested_on, "invitation": decision.invitation_id},
                cooperation_id=_cooperation_id(case),
            )
            created.append(decision)
    return created


@transaction.atomic
def member_decisions_from_extract(*, extract, actor) -> list:
    """Follow up the municipalities an extract (melding om vedtak) was sent to, until each has decided."""
    from khs.lib.dates import local

    created = []
    for recipient in extract.recipients.select_related("municipality"):
        decision, was_new = MemberDecision.objects.get_or_create(
            case=extract.case,
            municipality=recipient.municipality,
            defaults={"requested_on": local(extract.sent_at).date(), "extract": extract},
        )
        if was_new:
            audit_log(
                actor=actor,
                action="create",
                verb="member_decisions_from_extract",
                obj=decision,
                changes={"extract": extract.pk, "requested_on": decision.requested_on},
                cooperation_id=_cooperation_id(extract.case),
            )
            created.append(decision)
    return created


@transaction.atomic
def member_decision_record(
    *,
    decision: MemberDecision,
    actor,
    decided_on: date,
    outcome: str,
    their_case_number: str = "",
    link: str = "",
    file=None,
    note: str = "",
) -> MemberDecision:
    """The municipality's own decision. For an invitation, membership's service records it (yes creates the
    membership); otherwise it is kept here."""
    decision = (
        MemberDecision.objects.select_for_update(of=("self",))
        .select_related("case__body", "invitation")
        .get(pk=decision.pk)
    )
    if outcome not in (MemberDecision.Outcome.YES, MemberDecision.Outcome.NO, MemberDecision.Outcome.OTHER):
        raise PublishingError(_("Velg utfallet av kommunens vedtak."))
    if decided_on < decision.requested_on:
        raise PublishingError(_("Kommunen kan ikke ha vedtatt før anmodningen ble sendt."))
    if decision.invitation is not None:
        if outcome == MemberDecision.Outcome.OTHER:
            raise PublishingError(_("En invitasjon besvares med ja eller nei."))
        from membership.exceptions import MembershipError

        try:
            membership_invitation_answer(
                invitation=decision.invitation,
                accepted=outcome == MemberDecision.Outcome.YES,
                answered_on=decided_on,
                actor=actor,
                reference=their_case_number,
                note=note,
            )
        except MembershipError as error:
            raise PublishingError(str(error)) from error
    else:
        if decision.outcome != MemberDecision.Outcome.PENDING:
            raise PublishingError(_("Kommunens vedtak er allerede registrert."))
        decision.decided_on, decision.outcome, decision.their_case_number = decided_on, outcome, their_case_number
    decision.link, decision.note = link, note
    if file is not None:
        decision.file = file
    decision.save()
    audit_log(
        actor=actor,
        action="update",
        verb="member_decision_record",
        obj=decision,
        changes={"decided_on": decided_on, "outcome": outcome, "their_case_number": their_case_number, "link": link},
        cooperation_id=_cooperation_id(decision.case),
    )
    return decision
