"""Billing demo: KHS's settings and its two rates from the seeds. No invoices: the treasurer runs 2018.

Official: the rates (NOK 2.00 per inhabitant from 2012, 2.50 from 1.1.2018, resolved by the
mayors' meeting 15.06.2017, case 2/2017, seed 000). Invented: the invoice prefix and terms.
"""

from datetime import date
from decimal import Decimal

from billing.models import BillingProfile, ContributionRate, PopulationReference
from billing.services import billing_profile_save, rate_create, rate_link_case
from meetings.models import Case
from membership.models import Cooperation

RATES = [
    # per inhabitant, valid from, citation on invoices, resolution date
    (Decimal("2.00"), date(2012, 1, 1), "", None),
    (Decimal("2.50"), date(2018, 1, 1), "ordførermøtet sak 2/2017", date(2017, 6, 15)),
]


def load() -> str:
    khs = Cooperation.objects.filter(short_name="KHS").first()
    if khs is None:
        return ""
    if not BillingProfile.objects.filter(cooperation=khs).exists():
        # KHS 2018 is billed on the population of 1 January 2017: "the year before".
        billing_profile_save(
            cooperation=khs,
            actor=None,
            invoice_prefix="KHS-",
            due_days=30,
            population_reference=PopulationReference.YEAR_BEFORE,
            vat_registered=False,
        )
    for per_inhabitant, valid_from, citation, resolved_on in RATES:
        if not ContributionRate.objects.filter(cooperation=khs, valid_from=valid_from).exists():
            rate_create(
                cooperation=khs,
                actor=None,
                per_inhabitant=per_inhabitant,
                valid_from=valid_from,
                resolution_text=citation,
                resolution_date=resolved_on,
            )
    # The 2.50 rate was adopted in sak 2/2017 of the mayors' meeting 15.06.2017 (its approved minutes, meetings demo).
    rate = ContributionRate.objects.filter(cooperation=khs, valid_from=date(2018, 1, 1)).first()
    case = Case.objects.filter(body__cooperation=khs, body__kind="mayors_meeting", year=2017, number=2).first()
    if rate is not None and case is not None and rate.resolution_case_id != case.pk:
        rate_link_case(rate=rate, case=case, actor=None)
    return f"KHS billing profile and {ContributionRate.objects.filter(cooperation=khs).count()} rates (no invoices)"
