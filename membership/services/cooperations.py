"""Cooperations, their agreement periods and the staff users given each."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from khs.lib.audit import acting_user, audit_log, snapshot
from membership.exceptions import MembershipError
from membership.models import Cooperation, CooperationAgreement
from membership.services._common import apply_changes, validated

# The fields a form may change, in the order forms show them.
COOPERATION_FIELDS = (
    "name",
    "short_name",
    "org_number",
    "street_address",
    "postcode",
    "city",
    "bank_account",
    "contact_email",
    "contact_phone",
    "secretariat_host",
    "language",
    "logo",
)


def _check_short_name(short_name: str, exclude_pk=None):
    if Cooperation.objects.filter(short_name__iexact=short_name).exclude(pk=exclude_pk).exists():
        raise MembershipError(_("Kortnavnet «%(name)s» er allerede i bruk.") % {"name": short_name}, field="short_name")


def _check_host(cooperation: Cooperation):
    host = cooperation.secretariat_host
    seen = {cooperation.pk}
    while host is not None:
        if host.pk in seen:
            raise MembershipError(
                _("Et samarbeid kan ikke drive sitt eget sekretariat, heller ikke i ring."), field="secretariat_host"
            )
        seen.add(host.pk)
        host = host.secretariat_host


@transaction.atomic
def cooperation_create(*, actor, name: str, short_name: str, **fields) -> Cooperation:
    """A new cooperation (an administrator's act: giving staff a cooperation is one); the administrator
    who creates it is given it at once."""
    from membership.access import RegisterAccessDenied, acts_as_administrator

    if not acts_as_administrator(actor):
        raise RegisterAccessDenied(_("Bare en administrator kan opprette et samarbeid og gi ansatte tilgang til det."))
    cooperation = Cooperation(name=name, short_name=short_name)
    apply_changes(cooperation, fields, allowed=COOPERATION_FIELDS)
    validated(cooperation)
    _check_short_name(short_name)
    cooperation.save()
    if acting_user(actor) is not None:
        cooperation.staff.add(actor)
    audit_log(
        actor=actor,
        action="create",
        verb="cooperation_create",
        obj=cooperation,
        changes=snapshot(cooperation),
        cooperation_id=cooperation.pk,
    )
    return cooperation


@transaction.atomic
def cooperation_update(*, cooperation: Cooperation, actor, **fields) -> Cooperation:
    cooperation = Cooperation.objects.select_for_update().get(pk=cooperation.pk)
    changes = apply_changes(cooperation, fields, allowed=COOPERATION_FIELDS)
    validated(cooperation)
    _check_short_name(cooperation.short_name, exclude_pk=cooperation.pk)
    _check_host(cooperation)
    if changes:
        cooperation.save()
        audit_log(
            actor=actor,
            action="update",
            verb="cooperation_update",
            obj=cooperation,
            changes=changes,
            cooperation_id=cooperation.pk,
        )
    return cooperation


@transaction.atomic
def cooperation_staff_set(*, cooperation: Cooperation, users, actor) -> Cooperation:
    """Give exactly these staff users the cooperation (they see it in the switcher)."""
    before = sorted(cooperation.staff.values_list("username", flat=True))
    cooperation.staff.set(users)
    after = sorted(u.username for u in users)
    if before != after:
        audit_log(
            actor=actor,
            action="update",
            verb="cooperation_staff_set",
            obj=cooperation,
            changes={"staff": [before, after]},
            cooperation_id=cooperation.pk,
        )
    return cooperation


def _check_agreement(starts_on: date, ends_on: date | None):
    if ends_on is not None and ends_on < starts_on:
        raise MembershipError(_("Sluttdatoen kan ikke være før startdatoen."), field="ends_on")


@transaction.atomic
def cooperation_agreement_create(
    *, cooperation: Cooperation, actor, starts_on: date, ends_on: date | None = None, title: str = "Samarbeidsavtale"
) -> CooperationAgreement:
    """A samarbeidsavtale period, e.g. ending 31.12.2017."""
    _check_agreement(starts_on, ends_on)
    agreement = CooperationAgreement.objects.create(
        cooperation=cooperation, title=title, starts_on=starts_on, ends_on=ends_on
    )
    audit_log(
        actor=actor,
        action="create",
        verb="cooperation_agreement_create",
        obj=agreement,
        changes=snapshot(agreement),
        cooperation_id=cooperation.pk,
    )
    return agreement


@transaction.atomic
def cooperation_agreement_update(*, agreement: CooperationAgreement, actor, **fields) -> CooperationAgreement:
    agreement = CooperationAgreement.objects.select_for_update().get(pk=agreement.pk)
    changes = apply_changes(agreement, fields, allowed={"title", "starts_on", "ends_on"})
    _check_agreement(agreement.starts_on, agreement.ends_on)
    if changes:
        agreement.save()
        audit_log(
            actor=actor,
            action="update",
            verb="cooperation_agreement_update",
            obj=agreement,
            changes=changes,
            cooperation_id=agreement.cooperation_id,
        )
    return agreement
