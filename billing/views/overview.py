"""The treasurer's overview of years and a year's summary."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from billing import selectors
from billing.charts import bar_chart
from billing.models import InvoiceRun
from billing.views._common import VIEW
from khs.lib.access import perm_required
from khs.lib.money import format_money
from membership.scope import cooperation_required


@require_GET
@perm_required(VIEW)
@cooperation_required
def overview(request, cooperation):
    """Years with invoices: issued, paid, outstanding, overdue; and the way to a new run."""
    today = timezone.localdate()
    years = selectors.totals_per_year(cooperation, today=today)
    profile = selectors.billing_profile_for(cooperation)
    rate = selectors.rate_for_year(cooperation, today.year)
    return render(
        request,
        "billing/billing_overview.html",
        {
            "years": sorted(years.items(), reverse=True),
            "profile": profile,
            "rate": rate,
            "next_year": today.year if today.year not in years else today.year + 1,
            "runs": InvoiceRun.objects.filter(cooperation=cooperation)[:10],
        },
    )


@require_GET
@perm_required(VIEW)
@cooperation_required
def year_summary(request, cooperation, year: int):
    today = timezone.localdate()
    totals, members = selectors.year_summary(cooperation, year, today=today)
    if not members:
        raise Http404("No invoices for this year.")
    chart = bar_chart(
        [(m.municipality.name, m.totals.net) for m in members],
        title=_("Kontingent per medlem %(year)s") % {"year": year},
        value_label=lambda v: format_money(v),
    )
    return render(
        request, "billing/year_summary.html", {"year": year, "totals": totals, "members": members, "chart": chart}
    )
