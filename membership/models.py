"""The register everything else reads: cooperations, municipalities, memberships, people, offices, population."""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khs.lib.text import name_in_sentence
from membership.validators import validate_bank_account, validate_kommunenummer, validate_org_number


class DocumentLanguage(models.TextChoices):
    BOKMAL = "nb", _("Bokmål")
    NYNORSK = "nn", _("Nynorsk")


class Cooperation(models.Model):
    """An interkommunalt samarbeid: municipalities that pool a task."""

    name = models.CharField(_("navn"), max_length=200)
    short_name = models.CharField(_("kortnavn"), max_length=30, unique=True)
    org_number = models.CharField(_("organisasjonsnummer"), max_length=9, blank=True, validators=[validate_org_number])
    street_address = models.CharField(_("postadresse"), max_length=200, blank=True)
    postcode = models.CharField(_("postnummer"), max_length=4, blank=True)
    city = models.CharField(_("poststed"), max_length=100, blank=True)
    bank_account = models.CharField(_("kontonummer"), max_length=11, blank=True, validators=[validate_bank_account])
    contact_email = models.EmailField(_("kontakt-e-post"), blank=True)
    contact_phone = models.CharField(_("kontakttelefon"), max_length=30, blank=True)
    # "sekretariat": another cooperation may run this one's secretariat (KHS is run by Vestregionen).
    secretariat_host = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted",
        verbose_name=_("sekretariat ivaretas av"),
    )
    language = models.CharField(
        _("dokumentspråk"), max_length=2, choices=DocumentLanguage.choices, default=DocumentLanguage.BOKMAL
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="cooperations", verbose_name=_("ansatte med tilgang")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("samarbeid")
        verbose_name_plural = _("samarbeid")

    def __str__(self):
        return self.name


_FORMAT_TOKEN = re.compile(r"\{(n(?::0?\d+)?|yyyy|yy)\}")


def format_case_number(fmt: str, number: int, year: int) -> str:
    """{n}/{yyyy} -> 1/2017, {n:02}/{yyyy} -> 03/2017, {n}/{yy} -> 55/11."""

    def replace(match):
        token = match.group(1)
        if token == "yyyy":
            return f"{year:04d}"
        if token == "yy":
            return f"{year % 100:02d}"
        if ":" in token:
            width = int(token.split(":")[1])
            return f"{number:0{width}d}"
        return str(number)

    return _FORMAT_TOKEN.sub(replace, fmt)


class Body(models.Model):
    """An organ/utvalg of a cooperation: ordførermøtet, styret, rådmannsgruppen, regionrådet, …"""

    class Kind(models.TextChoices):
        MAYORS_MEETING = "mayors_meeting", _("Ordførermøte")
        BOARD = "board", _("Styre")
        CHIEF_EXECUTIVES = "chief_executives", _("Rådmannsgruppe")
        STEERING_GROUP = "steering_group", _("Styringsgruppe")
        REGIONAL_COUNCIL = "regional_council", _("Regionråd")
        OTHER = "other", _("Annet")

    class InviteMode(models.TextChoices):
        MEMBERS = "members", _("Organets medlemmer")
        MEMBER_MAYORS = "member_mayors", _("Ordføreren i hver medlemskommune")

    cooperation = models.ForeignKey(Cooperation, on_delete=models.PROTECT, related_name="bodies")
    name = models.CharField(_("navn"), max_length=200)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    case_number_format = models.CharField(
        _("format for saksnummer"),
        max_length=40,
        default="{n}/{yyyy}",
        help_text=_(
            "{n} løpenummer, {n:02} med ledende null, {yyyy} årstall, {yy} to siffer: "
            "«{n}/{yyyy}» gir 1/2017, «{n:02}/{yyyy}» gir 03/2017, «{n}/{yy}» gir 55/11."
        ),
    )
    language = models.CharField(
        _("dokumentspråk"), max_length=2, choices=DocumentLanguage.choices, default=DocumentLanguage.BOKMAL
    )
    invite_mode = models.CharField(
        _("inviteres som standard"), max_length=20, choices=InviteMode.choices, default=InviteMode.MEMBERS
    )
    # Addressee line of the summons, e.g. "Til ordførere i kommuner tilsluttet …".
    addressee = models.CharField(_("adressatlinje i innkallingen"), max_length=300, blank=True)

    class QuorumRule(models.TextChoices):
        """When the body is vedtaksfør (has a quorum); more than half, counted one of two ways."""

        MAJORITY_OF_MEMBERS = "majority_of_members", _("Mer enn halvparten av medlemmene til stede")
        MAJORITY_OF_MUNICIPALITIES = (
            "majority_of_municipalities",
            _("Mer enn halvparten av medlemskommunene representert"),
        )

    quorum_rule = models.CharField(
        _("vedtaksførhet"), max_length=30, choices=QuorumRule.choices, default=QuorumRule.MAJORITY_OF_MEMBERS
    )
    quorum_minimum = models.PositiveSmallIntegerField(
        _("minst antall til stede"),
        null=True,
        blank=True,
        help_text=_("Valgfritt: et fast minstetall som også må være oppfylt."),
    )

    @property
    def name_in_sentence(self) -> str:
        """The name mid-sentence: "Til medlemmene i styret" (khs.lib.text.name_in_sentence)."""
        return name_in_sentence(self.name)

    class Meta:
        ordering = ["cooperation", "name"]
        verbose_name = _("organ")
        verbose_name_plural = _("organer")
        constraints = [models.UniqueConstraint(fields=["cooperation", "name"], name="body_name_unique")]

    def __str__(self):
        return self.name

    def case_label(self, number: int, year: int) -> str:
        return format_case_number(self.case_number_format, number, year)


class CooperationAgreement(models.Model):
    """A samarbeidsavtale period; continuing or ending it is itself a case."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="agreements")
    title = models.CharField(_("tittel"), max_length=200, default="Samarbeidsavtale")
    starts_on = models.DateField(_("fra"))
    ends_on = models.DateField(_("til"), null=True, blank=True)

    class Meta:
        ordering = ["cooperation", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.title} {self.starts_on}–{self.ends_on or ''}"


class Municipality(models.Model):
    """A kommune, as it was in one period; a merger or renumbering makes a successor, not an edit."""

    number = models.CharField(_("kommunenummer"), max_length=4, validators=[validate_kommunenummer])
    name = models.CharField(_("navn"), max_length=100)
    name_nn = models.CharField(_("navn på nynorsk"), max_length=100, blank=True)
    name_se = models.CharField(_("navn på samisk"), max_length=100, blank=True)
    county = models.CharField(_("fylke"), max_length=100, blank=True)
    org_number = models.CharField(_("organisasjonsnummer"), max_length=9, blank=True, validators=[validate_org_number])
    invoice_street = models.CharField(_("fakturaadresse"), max_length=200, blank=True)
    invoice_postcode = models.CharField(_("postnummer"), max_length=4, blank=True)
    invoice_city = models.CharField(_("poststed"), max_length=100, blank=True)
    invoice_email = models.EmailField(_("e-post for faktura"), blank=True)
    invoice_reference = models.CharField(_("deres referanse"), max_length=100, blank=True)
    valid_from = models.DateField(_("gyldig fra"), null=True, blank=True)
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        verbose_name=_("etterfølger"),
    )

    class Meta:
        ordering = ["number", "valid_from"]
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        constraints = [
            models.UniqueConstraint(fields=["number", "valid_from"], name="municipality_number_period_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="municipality_valid_to_after_from",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    def display_name(self, language: str = "nb") -> str:
        return self.name_nn if language == "nn" and self.name_nn else self.name

    def exists_on(self, day) -> bool:
        """Was this municipality (with this number) in existence on `day`?"""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class Region(models.Model):
    """A named group of municipalities (Hallingdal, Kongsbergregionen, …)."""

    name = models.CharField(_("navn"), max_length=100, unique=True)
    municipalities = models.ManyToManyField(Municipality, related_name="regions", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regioner")

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A municipality takes part in a cooperation from starts_on to ends_on (inclusive; open when blank)."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.PROTECT, related_name="memberships")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="memberships")
    starts_on = models.DateField(_("fra"))
    ends_on = models.DateField(_("til"), null=True, blank=True)
    note = models.CharField(_("merknad"), max_length=300, blank=True)

    class Meta:
        ordering = ["cooperation", "municipality__number", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["cooperation", "municipality", "starts_on"], name="membership_start_unique"
            ),
        ]

    def __str__(self):
        return f"{self.municipality} i {self.cooperation.short_name} {self.starts_on}–{self.ends_on or ''}"


class MemberContact(models.Model):
    """What one cooperation needs of a member municipality: where its invoices go and whom to ask.
    The cooperation's own record, changed only by its staff; without one, the municipality's default
    invoice address in the register (kept by administrators) is used."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.PROTECT, related_name="member_contacts")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="member_contacts", verbose_name=_("kommune")
    )
    invoice_street = models.CharField(_("fakturaadresse"), max_length=200, blank=True)
    invoice_postcode = models.CharField(_("postnummer"), max_length=4, blank=True)
    invoice_city = models.CharField(_("poststed"), max_length=100, blank=True)
    invoice_email = models.EmailField(_("e-post for faktura"), blank=True)
    invoice_reference = models.CharField(_("deres referanse"), max_length=100, blank=True)
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("kontakt-e-post"), blank=True)

    class Meta:
        ordering = ["cooperation", "municipality__number"]
        verbose_name = _("kontaktopplysninger for medlem")
        verbose_name_plural = _("kontaktopplysninger for medlemmer")
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "municipality"], name="member_contact_unique"),
        ]

    def __str__(self):
        return f"{self.municipality} i {self.cooperation.short_name}"


class MembershipInvitation(models.Model):
    """An invitation to a municipality to take part for a period (letter of 7.10.2011), and its answer."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("Ikke svart")
        ACCEPTED = "accepted", _("Takket ja")
        DECLINED = "declined", _("Takket nei")

    cooperation = models.ForeignKey(Cooperation, on_delete=models.PROTECT, related_name="invitations")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("kommune")
    )
    letter_title = models.CharField(_("brev"), max_length=300)
    sent_on = models.DateField(_("sendt"))
    # The period offered: accepting creates a membership from starts_on to ends_on.
    starts_on = models.DateField(_("deltakelse fra"))
    ends_on = models.DateField(_("deltakelse til"), null=True, blank=True)
    answer = models.CharField(_("svar"), max_length=10, choices=Answer.choices, default=Answer.PENDING)
    answered_on = models.DateField(_("svart"), null=True, blank=True)
    # The municipality's own decision, e.g. "Kommunestyret 15.11.2011, sak 55/11".
    answer_reference = models.CharField(_("vedtak/referanse"), max_length=300, blank=True)
    answer_note = models.CharField(_("merknad"), max_length=500, blank=True)
    membership = models.OneToOneField(
        Membership,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invitation",
        verbose_name=_("medlemskap"),
    )

    class Meta:
        ordering = ["-sent_on", "municipality__number"]
        verbose_name = _("invitasjon")
        verbose_name_plural = _("invitasjoner")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "municipality", "starts_on"], name="invitation_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(answer="pending") | Q(answered_on__isnull=False), name="invitation_answer_has_date"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="invitation_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.letter_title} – {self.municipality}"


class Person(models.Model):
    """Someone who holds offices: mayors, board members, chief executives, secretariat staff."""

    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    language = models.CharField(_("språk"), max_length=2, choices=settings.LANGUAGES, default="nb")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")

    def __str__(self):
        return self.name


class Office(models.Model):
    """A person's office over a period: mayor of a municipality, member of a body, …"""

    class Kind(models.TextChoices):
        MAYOR = "mayor", _("Ordfører")
        DEPUTY_MAYOR = "deputy_mayor", _("Varaordfører")
        CHIEF_EXECUTIVE = "chief_executive", _("Kommunedirektør/rådmann")
        BODY_LEADER = "body_leader", _("Leder")
        BODY_DEPUTY_LEADER = "body_deputy_leader", _("Nestleder")
        BODY_MEMBER = "body_member", _("Medlem")
        BODY_SUBSTITUTE = "body_substitute", _("Varamedlem")
        SECRETARIAT = "secretariat", _("Sekretariat")

    MUNICIPAL_KINDS = (Kind.MAYOR, Kind.DEPUTY_MAYOR, Kind.CHIEF_EXECUTIVE)
    BODY_KINDS = (Kind.BODY_LEADER, Kind.BODY_DEPUTY_LEADER, Kind.BODY_MEMBER, Kind.BODY_SUBSTITUTE)

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="offices")
    kind = models.CharField(_("verv"), max_length=30, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="offices", verbose_name=_("kommune")
    )
    body = models.ForeignKey(
        "membership.Body",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offices",
        verbose_name=_("organ"),
    )
    cooperation = models.ForeignKey(
        Cooperation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offices",
        verbose_name=_("samarbeid"),
    )
    title = models.CharField(
        _("tittel"),
        max_length=100,
        blank=True,
        help_text=_("Som det skal stå under signaturen, f.eks. «Dagleg leiar»."),
    )
    starts_on = models.DateField(_("fra"))
    ends_on = models.DateField(_("til"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("verv")
        verbose_name_plural = _("verv")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="office_ends_after_start",
            ),
        ]

    def __str__(self):
        where = self.municipality or self.body or self.cooperation or ""
        return f"{self.person}: {self.get_kind_display()} {where}".strip()


class Population(models.Model):
    """Inhabitants of a municipality on 1 January of `year` (SSB table 07459 or another stated source)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="populations")
    year = models.PositiveSmallIntegerField(_("år"))
    count = models.PositiveIntegerField(_("innbyggere"))
    source = models.CharField(_("kilde"), max_length=200, default="SSB tabell 07459")

    # A figure computed from other official figures (a successor's from its predecessors') says so first.
    DERIVED_PREFIX = "Avledet"

    class Meta:
        ordering = ["municipality__number", "year"]
        verbose_name = _("innbyggertall")
        verbose_name_plural = _("innbyggertall")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="population_year_unique"),
            models.CheckConstraint(condition=Q(count__gt=0), name="population_positive"),
        ]

    def __str__(self):
        return f"{self.municipality} 1.1.{self.year}: {self.count}"

    @property
    def derived(self) -> bool:
        return self.source.startswith(self.DERIVED_PREFIX)
