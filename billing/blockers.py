"""What stops an invoice run, each with where it is fixed and which role may fix it.

A blocker is shown on the run page as its message, a link to the page where it is put right and
the role that may do so there; the command line and BillingError.details use its message.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from stdnum.no import kontonr, orgnr

from billing.errors import say
from khs.roles import ADMINISTRATOR, ROLE_LABELS, SECRETARIAT, TREASURER


@dataclass(frozen=True)
class Blocker:
    """One thing to put right before the run: `fix_url` is the page, `role` the role allowed there."""

    message: str  # a billing.errors.Say: a run job keeps it as data and words it in its reader's language
    fix_url: str
    fix_label: str
    role: str

    def __str__(self) -> str:
        return self.message

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[self.role])

    def for_member(self, name: str) -> "Blocker":
        """The same blocker named after its member, as listed above the preview table."""
        return Blocker(say("member_blocker", name=name, blocker=self.message), self.fix_url, self.fix_label, self.role)


@dataclass(frozen=True)
class BlockerGroup:
    """Blockers put right on the same page by the same role: listed together, with one link to the fix."""

    messages: list
    fix_url: str
    fix_label: str
    role_label: str


def group_blockers(blockers) -> list[BlockerGroup]:
    """The blockers in their order, those with the same fix (22 members missing one year's population) as one."""
    groups: dict[tuple, BlockerGroup] = {}
    for b in blockers:
        key = (b.fix_url, str(b.fix_label), b.role)
        if key not in groups:
            groups[key] = BlockerGroup([], b.fix_url, b.fix_label, b.role_label)
        groups[key].messages.append(b.message)
    return list(groups.values())


def cooperation_blockers(cooperation, profile) -> list[Blocker]:
    """The seller's own data: organisasjonsnummer and postal address (the clerk's), account (the treasurer's)."""
    cooperation_page = reverse("membership:cooperation-update")
    found = []
    if not cooperation.org_number:
        found.append(
            Blocker(
                say("seller_no_org_number"),
                cooperation_page,
                _("Registrer organisasjonsnummeret"),
                SECRETARIAT,
            )
        )
    elif not orgnr.is_valid(cooperation.org_number):
        found.append(
            Blocker(
                say("seller_bad_org_number", number=cooperation.org_number),
                cooperation_page,
                _("Rett organisasjonsnummeret"),
                SECRETARIAT,
            )
        )
    profile_page = reverse("billing:profile")
    if not profile.account:
        found.append(
            Blocker(
                say("seller_no_account"),
                profile_page,
                _("Registrer kontonummeret"),
                TREASURER,
            )
        )
    elif not kontonr.is_valid(profile.account):
        found.append(
            Blocker(
                say("seller_bad_account", account=profile.account),
                profile_page,
                _("Rett kontonummeret"),
                TREASURER,
            )
        )
    if not (cooperation.street_address and cooperation.postcode and cooperation.city):
        found.append(Blocker(say("seller_no_address"), cooperation_page, _("Registrer postadressen"), SECRETARIAT))
    return found


def member_blockers(municipality, invoice_to=None) -> list[Blocker]:
    """What stops invoicing a member; invoice_to is the cooperation's record of its invoice address.

    The organisasjonsnummer is an installation-wide fact of the municipality (the administrator's);
    the invoice address is this cooperation's record of the member (the clerk's).
    """
    invoice_to = invoice_to or municipality
    found = []
    municipality_page = reverse("membership:municipality-update", args=[municipality.pk])
    if not municipality.org_number:
        found.append(
            Blocker(say("member_no_org_number"), municipality_page, _("Registrer organisasjonsnummeret"), ADMINISTRATOR)
        )
    elif not orgnr.is_valid(municipality.org_number):
        found.append(
            Blocker(
                say("member_bad_org_number", number=municipality.org_number),
                municipality_page,
                _("Rett organisasjonsnummeret"),
                ADMINISTRATOR,
            )
        )
    if not (invoice_to.invoice_street and invoice_to.invoice_postcode and invoice_to.invoice_city):
        found.append(
            Blocker(
                say("member_no_invoice_address"),
                reverse("membership:member-contact-update", args=[municipality.pk]),
                _("Registrer fakturaadressen"),
                SECRETARIAT,
            )
        )
    return found


def population_blocker(population_year: int) -> Blocker:
    return Blocker(
        say("member_no_population", year=population_year),
        reverse("membership:population-import"),
        _("Importer innbyggertall"),
        SECRETARIAT,
    )


def reference_blocker(municipality) -> Blocker:
    return Blocker(
        say("member_no_reference"),
        reverse("billing:references") + f"#reference-{municipality.number}",
        _("Registrer bestillerreferansen"),
        TREASURER,
    )


def rate_blocker(year: int) -> Blocker:
    return Blocker(
        say("run_no_rate", year=year),
        reverse("billing:rates"),
        _("Registrer en sats"),
        TREASURER,
    )
