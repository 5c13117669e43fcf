"""Memberships (municipality x cooperation over a period) and the invitations that lead to them."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from khs.lib.audit import audit_log, snapshot
from khs.lib.dates import format_date
from membership.access import check_membership_start, check_staff_of
from membership.exceptions import MembershipError
from membership.models import Cooperation, MemberContact, Membership, MembershipInvitation, Municipality
from membership.rules import existence_errors, membership_errors, period_label
from membership.services._common import apply_changes, raise_if, validated


def _lock_pair(cooperation: Cooperation, municipality: Municipality) -> Municipality:
    """Serialise changes to one municipality's memberships: lock the municipality and the pair's rows."""
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    list(Membership.objects.select_for_update().filter(cooperation=cooperation, municipality=municipality))
    return municipality


@transaction.atomic
def membership_create(
    *,
    cooperation: Cooperation,
    municipality: Municipality,
    starts_on: date,
    actor,
    ends_on: date | None = None,
    note: str = "",
    accepted_invitation: MembershipInvitation | None = None,
) -> Membership:
    """The municipality takes part in the cooperation from starts_on (to ends_on, inclusive).

    Staff register directly only what begins this year (see membership.access); a future or backdated
    period comes from the municipality's accepted invitation, or from an administrator."""
    check_staff_of(actor, cooperation.pk)
    check_membership_start(actor, starts_on, accepted_invitation=accepted_invitation is not None)
    municipality = _lock_pair(cooperation, municipality)
    raise_if(
        membership_errors(cooperation=cooperation, municipality=municipality, starts_on=starts_on, ends_on=ends_on)
    )
    membership = Membership.objects.create(
        cooperation=cooperation, municipality=municipality, starts_on=starts_on, ends_on=ends_on, note=note
    )
    audit_log(
        actor=actor,
        action="create",
        verb="membership_create",
        obj=membership,
        changes=snapshot(membership),
        cooperation_id=cooperation.pk,
    )
    return membership


@transaction.atomic
def membership_update(*, membership: Membership, actor, **fields) -> Membership:
    """Correct a membership's period or note (the same rules as a new one)."""
    check_staff_of(actor, membership.cooperation_id)
    _lock_pair(membership.cooperation, membership.municipality)
    membership = Membership.objects.select_related("municipality", "cooperation").get(pk=membership.pk)
    changes = apply_changes(membership, fields, allowed={"starts_on", "ends_on", "note"})
    if "starts_on" in changes:
        check_membership_start(actor, membership.starts_on)
    raise_if(
        membership_errors(
            cooperation=membership.cooperation,
            municipality=membership.municipality,
            starts_on=membership.starts_on,
            ends_on=membership.ends_on,
            exclude_pk=membership.pk,
        )
    )
    if changes:
        membership.save()
        audit_log(
            actor=actor,
            action="update",
            verb="membership_update",
            obj=membership,
            changes=changes,
            cooperation_id=membership.cooperation_id,
        )
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, ends_on: date, actor) -> Membership:
    """The municipality leaves: its membership ends on `ends_on` (its last day as a member)."""
    check_staff_of(actor, membership.cooperation_id)
    _lock_pair(membership.cooperation, membership.municipality)
    membership = Membership.objects.select_related("municipality", "cooperation").get(pk=membership.pk)
    if membership.ends_on is not None and membership.ends_on < ends_on:
        raise MembershipError(
            _("Medlemskapet er allerede avsluttet %(period)s.")
            % {"period": period_label(membership.starts_on, membership.ends_on)},
            field="ends_on",
        )
    before = membership.ends_on
    raise_if(
        membership_errors(
            cooperation=membership.cooperation,
            municipality=membership.municipality,
            starts_on=membership.starts_on,
            ends_on=ends_on,
            exclude_pk=membership.pk,
        )
    )
    membership.ends_on = ends_on
    membership.save(update_fields=["ends_on"])
    audit_log(
        actor=actor,
        action="update",
        verb="membership_end",
        obj=membership,
        changes={"ends_on": [before, ends_on]},
        cooperation_id=membership.cooperation_id,
    )
    return membership


@transaction.atomic
def membership_invitation_create(
    *,
    cooperation: Cooperation,
    municipalities,
    letter_title: str,
    sent_on: date,
    starts_on: date,
    actor,
    ends_on: date | None = None,
) -> list[MembershipInvitation]:
    """Invite municipalities (one letter, one invitation each) to take part from starts_on."""
    check_staff_of(actor, cooperation.pk)
    municipalities = list(municipalities)
    if not municipalities:
        raise MembershipError(_("Velg minst én kommune å invitere."), field="municipalities")
    if ends_on is not None and ends_on < starts_on:
        raise MembershipError(_("Sluttdatoen kan ikke være før startdatoen."), field="ends_on")
    invitations = []
    for municipality in municipalities:
        if MembershipInvitation.objects.filter(
            cooperation=cooperation, municipality=municipality, starts_on=starts_on
        ).exists():
            raise MembershipError(
                _("%(m)s er allerede invitert til deltakelse fra %(day)s.")
                % {"m": municipality, "day": format_date(starts_on)},
                field="municipalities",
            )
        raise_if(
            {
                "municipalities" if key == "starts_on" else key: message
                for key, message in existence_errors(municipality, starts_on, ends_on, what=_("deltakelsen")).items()
            }
        )
        invitation = MembershipInvitation.objects.create(
            cooperation=cooperation,
            municipality=municipality,
            letter_title=letter_title,
            sent_on=sent_on,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        audit_log(
            actor=actor,
            action="create",
            verb="membership_invitation_create",
            obj=invitation,
            changes=snapshot(invitation),
            cooperation_id=cooperation.pk,
        )
        invitations.append(invitation)
    return invitations


@transaction.atomic
def membership_invitation_answer(
    *, invitation: MembershipInvitation, accepted: bool, answered_on: date, actor, reference: str = "", note: str = ""
) -> MembershipInvitation:
    """Record the municipality's answer, citing its own decision; accepting creates the next period."""
    check_staff_of(actor, invitation.cooperation_id)
    invitation = (
        MembershipInvitation.objects.select_for_update()
        .select_related("cooperation", "municipality")
        .get(pk=invitation.pk)
    )
    if invitation.answer != MembershipInvitation.Answer.PENDING:
        raise MembershipError(
            _("%(m)s har allerede svart (%(answer)s %(day)s).")
            % {
                "m": invitation.municipality,
                "answer": invitation.get_answer_display().lower(),
                "day": format_date(invitation.answered_on),
            }
        )
    if answered_on < invitation.sent_on:
        raise MembershipError(
            _("Svaret kan ikke komme før invitasjonen ble sendt (%(day)s).") % {"day": format_date(invitation.sent_on)},
            field="answered_on",
        )
    before = snapshot(invitation)
    if accepted:
        invitation.membership = membership_create(
            cooperation=invitation.cooperation,
            municipality=invitation.municipality,
            starts_on=invitation.starts_on,
            ends_on=invitation.ends_on,
            actor=actor,
            note=_("Takket ja til invitasjon %(day)s") % {"day": format_date(invitation.sent_on)},
            accepted_invitation=invitation,
        )
    invitation.answer = MembershipInvitation.Answer.ACCEPTED if accepted else MembershipInvitation.Answer.DECLINED
    invitation.answered_on, invitation.answer_reference, invitation.answer_note = answered_on, reference, note
    invitation.save()
    after = snapshot(invitation)
    audit_log(
        actor=actor,
        action="update",
        verb="membership_invitation_answer",
        obj=invitation,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        cooperation_id=invitation.cooperation_id,
    )
    return invitation


MEMBER_CONTACT_FIELDS = {
    "invoice_street",
    "invoice_postcode",
    "invoice_city",
    "invoice_email",
    "invoice_reference",
    "contact_name",
    "contact_email",
}


@transaction.atomic
def member_contact_update(*, cooperation: Cooperation, municipality: Municipality, actor, **fields) -> MemberContact:
    """Set where this cooperation's invoices to a member go (its own record; no other cooperation's)."""
    check_staff_of(actor, cooperation.pk)
    if not Membership.objects.filter(cooperation=cooperation, municipality=municipality).exists():
        raise MembershipError(_("%(m)s har aldri vært medlem av samarbeidet.") % {"m": municipality})
    contact = (
        MemberContact.objects.select_for_update().filter(cooperation=cooperation, municipality=municipality).first()
    )
    created = contact is None
    if created:
        # The first record starts from the register's default address, so a blank field is a choice.
        contact = MemberContact(
            cooperation=cooperation,
            municipality=municipality,
            **{name: getattr(municipality, name) for name in MEMBER_CONTACT_FIELDS if hasattr(municipality, name)},
        )
    changes = apply_changes(contact, fields, allowed=MEMBER_CONTACT_FIELDS)
    validated(contact)
    if changes or created:
        contact.save()
        audit_log(
            actor=actor,
            action="create" if created else "update",
            verb="member_contact_update",
            obj=contact,
            changes=snapshot(contact) if created else changes,
            cooperation_id=cooperation.pk,
        )
    return contact
