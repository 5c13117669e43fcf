"""Dashboard panel for the treasurer: this year's invoices issued, paid, outstanding and overdue."""

from django.utils import timezone

from billing import selectors
from membership.scope import current_cooperation


def panels(request) -> list[dict]:
    if not request.user.has_perm("billing.view_invoice"):
        return []
    cooperation = current_cooperation(request)
    if cooperation is None:
        return []
    today = timezone.localdate()
    years = selectors.invoiced_years(cooperation)
    # This year's run; until it is issued, the latest year that has invoices.
    year = today.year if (not years or today.year in years) else years[0]
    totals, _members = selectors.year_summary(cooperation, year, today=today)
    return [
        {
            "template": "billing/_dashboard_panel.html",
            "context": {
                "year": year,
                "totals": totals,
                "cooperation": cooperation,
                "can_issue": request.user.has_perm("billing.add_invoice"),
            },
        }
    ]
