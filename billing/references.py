"""Each member's own reference for the cooperation's invoices ("Deres ref.", bestillerreferanse)."""

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing.errors import BillingError
from billing.models import MemberReference
from khs.lib.audit import audit_log, diff

MAX_LENGTH = 100


@transaction.atomic
def member_reference_set(*, cooperation, municipality, reference: str, required: bool, actor) -> MemberReference:
    """Set the member's reference (printed on its invoices and sent as EHF BuyerReference) and whether
    its invoice reception requires one; invoices already issued keep the reference they were issued with."""
    reference = " ".join((reference or "").split())
    if len(reference) > MAX_LENGTH:
        raise BillingError(_("Referansen kan være høyst %(max)s tegn.") % {"max": MAX_LENGTH})
    if not cooperation.memberships.filter(municipality=municipality).exists():
        raise BillingError(_("%(name)s er ikke medlem.") % {"name": municipality.name})
    now = timezone.now()
    current = MemberReference.objects.select_for_update().filter(cooperation=cooperation, municipality=municipality)
    before = current.first()
    old = {"reference": before.reference, "required": before.required} if before else {}
    obj, _created = MemberReference.objects.update_or_create(
        cooperation=cooperation,
        municipality=municipality,
        defaults={"reference": reference, "required": required, "updated_at": now},
    )
    new = {"reference": reference, "required": required}
    audit_log(
        actor=actor,
        action="update" if before else "create",
        verb="member_reference_set",
        obj=obj,
        cooperation_id=cooperation.pk,
        at=now,
        changes=diff(old, new),
        message=f"{municipality.name}: {reference}",
    )
    return obj


class MemberReferenceForm(forms.Form):
    reference = forms.CharField(label=gettext_lazy("Deres ref."), max_length=MAX_LENGTH, required=False)
    required = forms.BooleanField(label=gettext_lazy("Kommunen krever bestillerreferanse"), required=False)
