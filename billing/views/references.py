"""The treasurer's page of the members' own references ("Deres ref.", bestillerreferanse)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from billing.errors import BillingError
from billing.references import MemberReferenceForm, member_reference_set
from billing.selectors import buyer_reference, member_references
from khs.lib.access import perm_required
from membership.models import Municipality
from membership.scope import cooperation_required


def _members(cooperation):
    today = timezone.localdate()
    return list(
        Municipality.objects.filter(memberships__cooperation=cooperation)
        .exclude(memberships__ends_on__lt=today.replace(month=1, day=1))
        .distinct()
        .order_by("number")
    )


def _page(request, cooperation, forms=None):
    municipalities = _members(cooperation)
    references = member_references(cooperation, [m.pk for m in municipalities])
    rows = []
    for municipality in municipalities:
        own = references.get(municipality.pk)
        effective, required = buyer_reference(municipality, own)
        form = (forms or {}).get(municipality.pk) or MemberReferenceForm(
            initial={"reference": own.reference if own else "", "required": required},
            prefix=f"m{municipality.pk}",
        )
        rows.append(
            {"municipality": municipality, "own": own, "effective": effective, "required": required, "form": form}
        )
    return render(request, "billing/reference_list.html", {"rows": rows})


@require_GET
@perm_required("billing.view_memberreference")
@cooperation_required
def reference_list(request, cooperation):
    return _page(request, cooperation)


@require_POST
@perm_required("billing.change_memberreference", "billing.add_memberreference")
@cooperation_required
def reference_set(request, cooperation, pk: int):
    municipality = next((m for m in _members(cooperation) if m.pk == pk), None)
    if municipality is None:
        raise Http404("Not a member of this cooperation.")
    form = MemberReferenceForm(data=request.POST, prefix=f"m{pk}")
    if form.is_valid():
        try:
            member_reference_set(
                cooperation=cooperation, municipality=municipality, actor=request.user, **form.cleaned_data
            )
        except BillingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Referansen for %(name)s er lagret.") % {"name": municipality.name})
            return redirect("billing:references")
    return _page(request, cooperation, forms={pk: form})
