"""Rates, invoice runs, invoices and credit notes, payments and what was sent.

Issued documents are snapshots: seller, buyer, line, totals and the EHF XML are copied onto the
Invoice row when it is issued and never change; the row refuses to be saved again or deleted.
"""

import hashlib
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khs.models import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet, NeverDeletedModel
from membership.validators import validate_bank_account


class PopulationReference(models.TextChoices):
    """Which 1 January's population a contribution year is billed on."""

    INVOICING_YEAR = "invoicing_year", _("1. januar i kontingentåret")
    YEAR_BEFORE = "year_before", _("1. januar året før kontingentåret")


class BillingProfile(models.Model):
    """A cooperation's invoicing settings: number prefix, terms, population date, VAT, account."""

    cooperation = models.OneToOneField(
        "membership.Cooperation", on_delete=models.PROTECT, related_name="billing_profile", verbose_name=_("samarbeid")
    )
    invoice_prefix = models.CharField(
        _("prefiks for fakturanummer"),
        max_length=10,
        blank=True,
        help_text=_("F.eks. «KHS-» gir fakturanummer KHS-1, KHS-2, …"),
    )
    due_days = models.PositiveSmallIntegerField(_("betalingsfrist (dager)"), default=30)
    population_reference = models.CharField(
        _("innbyggertall per"),
        max_length=20,
        choices=PopulationReference.choices,
        default=PopulationReference.INVOICING_YEAR,
    )
    vat_registered = models.BooleanField(_("registrert i Merverdiavgiftsregisteret"), default=False)
    vat_rate = models.DecimalField(_("mva-sats (prosent)"), max_digits=5, decimal_places=2, default=Decimal("25"))
    payment_account = models.CharField(
        _("kontonummer for innbetaling"),
        max_length=11,
        blank=True,
        validators=[validate_bank_account],
        help_text=_("Tomt: samarbeidets kontonummer."),
    )
    # An IKS is in Foretaksregisteret and must say so on invoices; a plain municipal cooperation often is not.
    in_foretaksregisteret = models.BooleanField(_("registrert i Foretaksregisteret"), default=False)

    class Meta:
        verbose_name = _("faktureringsoppsett")
        verbose_name_plural = _("faktureringsoppsett")
        constraints = [
            models.CheckConstraint(condition=Q(due_days__gte=1) & Q(due_days__lte=365), name="profile_due_days_range"),
            models.CheckConstraint(condition=Q(vat_rate__gte=0) & Q(vat_rate__lt=100), name="profile_vat_rate_range"),
        ]

    def __str__(self):
        return f"{self.cooperation}"

    def reference_year(self, year: int) -> int:
        """The year whose 1 January population bills `year`."""
        return year - 1 if self.population_reference == PopulationReference.YEAR_BEFORE else year

    @property
    def account(self) -> str:
        return self.payment_account or self.cooperation.bank_account


class RateQuerySet(models.QuerySet):
    """A rate that invoices used is never changed or deleted in bulk either."""

    def _refuse_used(self, what: str):
        if Invoice.objects.filter(rate__in=self).exists():
            raise AppendOnlyError(f"A rate that invoices used is never {what}.")

    def update(self, **kwargs):
        if set(kwargs) != {"resolution_case"}:
            self._refuse_used("edited")
        return super().update(**kwargs)

    def delete(self):
        self._refuse_used("deleted")
        return super().delete()


class ContributionRate(models.Model):
    """NOK per inhabitant from a date, set by a resolution; never edited once an invoice used it."""

    objects = RateQuerySet.as_manager()

    cooperation = models.ForeignKey(
        "membership.Cooperation",
        on_delete=models.PROTECT,
        related_name="contribution_rates",
        verbose_name=_("samarbeid"),
    )
    per_inhabitant = models.DecimalField(_("kroner per innbygger"), max_digits=8, decimal_places=2)
    valid_from = models.DateField(
        _("gjelder fra"), help_text=_("Satsen gjelder kontingentår som begynner på eller etter denne datoen.")
    )
    # The citation printed on invoices: "... jf. vedtak i ordførermøtet sak 2/2017".
    resolution_text = models.CharField(
        _("vedtak (henvisning)"),
        max_length=200,
        blank=True,
        help_text=_("Som det skal stå på fakturaen, f.eks. «ordførermøtet sak 2/2017»."),
    )
    resolution_date = models.DateField(_("vedtaksdato"), null=True, blank=True)
    resolution_case = models.ForeignKey(
        "meetings.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vedtatt sak"),
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["cooperation", "-valid_from"]
        verbose_name = _("kontingentsats")
        verbose_name_plural = _("kontingentsatser")
        constraints = [
            models.CheckConstraint(condition=Q(per_inhabitant__gt=0), name="rate_positive"),
            models.UniqueConstraint(fields=["cooperation", "valid_from"], name="rate_valid_from_unique"),
        ]

    def __str__(self):
        return f"{self.per_inhabitant} kr/innb. fra {self.valid_from:%d.%m.%Y}"

    @property
    def citation(self) -> str:
        """The resolution as cited on invoices, e.g. "ordførermøtet sak 2/2017" ("" when none is given).

        From the linked case (the minutes' decision) when there is one; the free text only without a link."""
        if self.resolution_case_id:
            case = self.resolution_case
            return f"{case.body.name_in_sentence} sak {case.label}"
        return self.resolution_text

    @property
    def has_resolution(self) -> bool:
        return bool(self.resolution_text or self.resolution_case_id)

    def is_used(self) -> bool:
        return self.pk is not None and Invoice.objects.filter(rate=self).exists()

    def save(self, *args, **kwargs):
        # Linking the adopted case later is allowed: invoices keep their own copy of the citation.
        if kwargs.get("update_fields") not in (["resolution_case"], ("resolution_case",)) and self.is_used():
            raise AppendOnlyError("A rate that invoices used is never edited: begin a new rate instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_used():
            raise AppendOnlyError("A rate that invoices used is never deleted.")
        return super().delete(*args, **kwargs)


class InvoiceNumberSeries(NeverDeletedModel):
    """The one unbroken number series of a cooperation (invoices and credit notes). Never deleted."""

    deleted_message = "An invoice number series is never deleted."

    objects = AppendOnlyQuerySet.as_manager()  # drawn with select_for_update + save, never in bulk

    cooperation = models.OneToOneField(
        "membership.Cooperation", on_delete=models.PROTECT, related_name="invoice_number_series"
    )
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("nummerserie")
        verbose_name_plural = _("nummerserier")

    def __str__(self):
        return f"{self.cooperation}: {self.last_number}"


class BasisOverride(models.Model):
    """The treasurer's own basis for one member and year, with the reason printed on the invoice."""

    cooperation = models.ForeignKey("membership.Cooperation", on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "membership.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("kommune")
    )
    year = models.PositiveSmallIntegerField(_("kontingentår"))
    inhabitants = models.PositiveIntegerField(_("innbyggere"))
    reason = models.CharField(_("begrunnelse"), max_length=300)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["year", "municipality__number"]
        verbose_name = _("overstyrt grunnlag")
        verbose_name_plural = _("overstyrte grunnlag")
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "municipality", "year"], name="override_once_per_year"),
            models.CheckConstraint(condition=Q(inhabitants__gt=0), name="override_inhabitants_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="override_reason_given"),
        ]

    def __str__(self):
        return f"{self.municipality} {self.year}: {self.inhabitants}"


class MemberReference(models.Model):
    """A member's own reference for the cooperation's invoices ("Deres ref.", bestillerreferanse).

    Printed on the invoice and written to the EHF BuyerReference. `required` says the municipality's
    invoice reception refuses invoices without one: the run is blocked until it is set.
    """

    cooperation = models.ForeignKey("membership.Cooperation", on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "membership.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("kommune")
    )
    reference = models.CharField(_("deres referanse"), max_length=100, blank=True)
    required = models.BooleanField(_("kommunen krever bestillerreferanse"), default=False)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["municipality__number"]
        verbose_name = _("bestillerreferanse")
        verbose_name_plural = _("bestillerreferanser")
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "municipality"], name="member_reference_once"),
        ]

    def __str__(self):
        return f"{self.municipality}: {self.reference}"


class InvoiceRun(AppendOnlyModel):
    """One issuing of a year's contribution invoices; a later run for the year bills only those missing."""

    cooperation = models.ForeignKey("membership.Cooperation", on_delete=models.PROTECT, related_name="invoice_runs")
    year = models.PositiveSmallIntegerField(_("kontingentår"))
    issued_at = models.DateTimeField(_("utstedt"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_by_label = models.CharField(max_length=200, blank=True)
    invoice_count = models.PositiveIntegerField(_("antall fakturaer"))
    total = models.DecimalField(_("sum"), max_digits=14, decimal_places=2)

    changed_message = "An invoice run is never changed."
    deleted_message = "An invoice run is never deleted."

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("fakturakjøring")
        verbose_name_plural = _("fakturakjøringer")

    def __str__(self):
        return f"{self.cooperation.short_name} {self.year} ({self.issued_at:%d.%m.%Y %H:%M})"


class InvoiceRunJob(models.Model):
    """The treasurer's order to issue a year's run, carried out by a worker: its progress and outcome.

    The run itself (InvoiceRun and its invoices) is written in one transaction at the end, with this row
    locked, so a job carried out twice or by two workers issues once.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        VALIDATING = "validating", _("Lager og validerer EHF")
        ISSUING = "issuing", _("Utsteder")
        ISSUED = "issued", _("Utstedt")
        FAILED = "failed", _("Feilet")

    cooperation = models.ForeignKey("membership.Cooperation", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("kontingentår"))
    pro_rata = models.JSONField(default=list, blank=True)  # municipality ids billed by the months of membership
    requested_at = models.DateTimeField(_("bestilt"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    to_issue = models.PositiveIntegerField(default=0)  # invoices the preview counted when it was ordered
    validated = models.PositiveIntegerField(default=0)
    # What went wrong, as data worded when shown (billing/errors.py Say): {"code", "params", "details": [...]},
    # the details being the blockers or broken EHF rules.
    failure = models.JSONField(default=dict, blank=True)
    ehf_warnings = models.JSONField(default=list, blank=True)  # [[rule id, text, [numbers]]]: shown, not blocking
    run = models.OneToOneField(InvoiceRun, null=True, blank=True, on_delete=models.PROTECT, related_name="job")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("bestilt fakturakjøring")
        verbose_name_plural = _("bestilte fakturakjøringer")

    def __str__(self):
        return f"{self.year}: {self.get_status_display()}"

    @property
    def done(self) -> bool:
        return self.status in (self.Status.ISSUED, self.Status.FAILED)

    def failure_says(self):
        """(what went wrong, [its details]) as Says, to word in the reader's language; (None, []) when none."""
        from billing.errors import Say

        if not self.failure:
            return None, []
        return Say.from_data(self.failure), [Say.from_data(d) for d in self.failure.get("details", [])]


def run_bundle_path(instance, filename):
    return f"billing/{instance.run.cooperation_id}/{instance.run.year}/runs/{instance.run_id}/{filename}"


class InvoiceRunBundle(models.Model):
    """Every invoice of a run in one PDF for printing, built once by a worker and kept (the invoices never change)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        BUILDING = "building", _("Lages")
        READY = "ready", _("Klar")
        FAILED = "failed", _("Feilet")

    run = models.OneToOneField(InvoiceRun, on_delete=models.PROTECT, related_name="bundle")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to=run_bundle_path, max_length=300, blank=True)
    error = models.TextField(_("feil"), blank=True)
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("utskriftsfil")
        verbose_name_plural = _("utskriftsfiler")

    def __str__(self):
        return f"{self.run}: {self.get_status_display()}"


class InvoiceQuerySet(AppendOnlyQuerySet):
    def invoices(self):
        return self.filter(kind=Invoice.Kind.INVOICE)

    def credit_notes(self):
        return self.filter(kind=Invoice.Kind.CREDIT_NOTE)


class Invoice(AppendOnlyModel):
    """An issued invoice or credit note: a frozen snapshot with its number, KID and EHF XML.

    Never saved twice, never deleted: a mistake is corrected by a credit note (kind
    credit_note, pointing at the original through `credited_invoice`) and a new invoice.
    """

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Faktura")
        CREDIT_NOTE = "credit_note", _("Kreditnota")

    cooperation = models.ForeignKey("membership.Cooperation", on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.INVOICE)
    series_number = models.PositiveIntegerField(_("løpenummer"))
    number = models.CharField(_("fakturanummer"), max_length=30)
    run = models.ForeignKey(InvoiceRun, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices")
    credited_invoice = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
        verbose_name=_("krediterer faktura"),
    )
    credit_reason = models.CharField(_("årsak til kreditering"), max_length=300, blank=True)
    municipality = models.ForeignKey(
        "membership.Municipality", on_delete=models.PROTECT, related_name="invoices", verbose_name=_("kommune")
    )
    year = models.PositiveSmallIntegerField(_("kontingentår"))
    issue_date = models.DateField(_("fakturadato"))
    due_date = models.DateField(_("forfallsdato"))
    period_start = models.DateField(_("periode fra"))
    period_end = models.DateField(_("periode til"))
    language = models.CharField(_("dokumentspråk"), max_length=2, default="nb")

    seller_name = models.CharField(_("selger"), max_length=200)
    seller_street = models.CharField(max_length=200, blank=True)
    seller_postcode = models.CharField(max_length=10, blank=True)
    seller_city = models.CharField(max_length=100, blank=True)
    seller_org_number = models.CharField(max_length=9)
    seller_account = models.CharField(max_length=34)
    seller_email = models.CharField(max_length=254, blank=True)
    seller_vat_registered = models.BooleanField(default=False)
    seller_in_foretaksregisteret = models.BooleanField(default=False)

    buyer_name = models.CharField(_("kjøper"), max_length=200)
    buyer_street = models.CharField(max_length=200)
    buyer_postcode = models.CharField(max_length=10)
    buyer_city = models.CharField(max_length=100)
    buyer_org_number = models.CharField(max_length=9)
    buyer_email = models.CharField(max_length=254, blank=True)
    buyer_reference = models.CharField(_("deres referanse"), max_length=100, blank=True)

    # The one line: quantity = inhabitants, unit price = rate (x months/12 when pro rata).
    line_text = models.TextField(_("fakturalinje"))
    quantity = models.PositiveIntegerField(_("antall"))
    unit_price = models.DecimalField(_("enhetspris"), max_digits=20, decimal_places=10)
    rate = models.ForeignKey(ContributionRate, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices")
    rate_per_inhabitant = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(null=True, blank=True)
    months = models.PositiveSmallIntegerField(default=12)
    basis_note = models.TextField(_("merknad om grunnlaget"), blank=True)

    net_amount = models.DecimalField(_("beløp uten mva"), max_digits=14, decimal_places=2)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    vat_amount = models.DecimalField(_("mva"), max_digits=14, decimal_places=2, default=Decimal("0"))
    total = models.DecimalField(_("å betale"), max_digits=14, decimal_places=2)
    vat_statement = models.CharField(max_length=300)
    kid = models.CharField(_("KID"), max_length=25, blank=True)  # invoices only; credit notes are not paid
    ehf_xml = models.TextField()

    issued_at = models.DateTimeField(_("utstedt"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = InvoiceQuerySet.as_manager()

    changed_message = "An issued invoice is never changed: issue a credit note instead."
    deleted_message = "An issued invoice is never deleted: issue a credit note instead."

    class Meta:
        ordering = ["cooperation", "series_number"]
        verbose_name = _("faktura")
        verbose_name_plural = _("fakturaer")
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "series_number"], name="invoice_series_number_unique"),
            models.UniqueConstraint(fields=["cooperation", "number"], name="invoice_number_unique"),
            models.UniqueConstraint(fields=["cooperation", "kid"], condition=~Q(kid=""), name="invoice_kid_unique"),
            models.CheckConstraint(condition=Q(kind="credit_note") | ~Q(kid=""), name="invoice_has_kid"),
            models.CheckConstraint(condition=Q(series_number__gte=1), name="invoice_series_number_positive"),
            models.CheckConstraint(
                condition=Q(total__gte=0) & Q(net_amount__gte=0), name="invoice_amounts_not_negative"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="invoice", credited_invoice__isnull=True)
                    | Q(kind="credit_note", credited_invoice__isnull=False)
                ),
                name="invoice_credit_note_refers_to_original",
            ),
            models.CheckConstraint(condition=Q(due_date__gte=models.F("issue_date")), name="invoice_due_after_issue"),
        ]
        indexes = [models.Index(fields=["cooperation", "year", "municipality"], name="invoice_coop_year_member")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_credit_note(self) -> bool:
        return self.kind == self.Kind.CREDIT_NOTE

    @property
    def seller_account_display(self) -> str:
        """1503.79.12345 (Norwegian accounts are written 4.2.5)."""
        a = self.seller_account
        return f"{a[:4]}.{a[4:6]}.{a[6:]}" if len(a) == 11 and a.isdigit() else a

    @property
    def ehf_filename(self) -> str:
        return f"{self.number}.xml"

    @property
    def pdf_filename(self) -> str:
        return f"{self.number}.pdf"


def invoice_pdf_path(instance, filename):
    return f"billing/{instance.invoice.cooperation_id}/{instance.invoice.year}/invoices/{filename}"


class InvoicePdf(AppendOnlyModel):
    """An issued invoice's or credit note's PDF, rendered once by a worker and kept: the invoice never changes."""

    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="stored_pdf")
    file = models.FileField(upload_to=invoice_pdf_path, max_length=300)
    sha256 = models.CharField(max_length=64)
    rendered_at = models.DateTimeField()

    changed_message = "An issued invoice's PDF is never changed."
    deleted_message = "An issued invoice's PDF is never deleted."

    class Meta:
        verbose_name = _("faktura-PDF")
        verbose_name_plural = _("faktura-PDF-er")

    def __str__(self):
        return f"{self.invoice.number}.pdf"


class Payment(AppendOnlyModel):
    """Money received against an invoice (partial payments are several rows). A reversal is a new row."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("betalt dato"))
    amount = models.DecimalField(_("beløp"), max_digits=14, decimal_places=2)
    note = models.CharField(_("merknad"), max_length=300, blank=True)
    # The bank's own reference of the payment (camt.054 AcctSvcrRef, OCR Giro account/assignment/
    # transaction): a bank file imported twice registers nothing twice.
    bank_reference = models.CharField(_("bankreferanse"), max_length=100, blank=True)
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    registered_at = models.DateTimeField()
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    changed_message = "A registered payment is never changed: reverse it instead."
    deleted_message = "A registered payment is never deleted: reverse it instead."

    class Meta:
        ordering = ["paid_on", "pk"]
        verbose_name = _("innbetaling")
        verbose_name_plural = _("innbetalinger")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0, reverses__isnull=True) | Q(amount__lt=0, reverses__isnull=False),
                name="payment_sign",
            ),
            models.UniqueConstraint(
                fields=["bank_reference"], condition=~Q(bank_reference=""), name="payment_bank_reference_unique"
            ),
        ]

    def __str__(self):
        return f"{self.invoice.number} {self.paid_on:%d.%m.%Y} {self.amount}"


def transmission_path(instance, filename):
    return f"billing/{instance.invoice.cooperation_id}/{instance.invoice.year}/{filename}"


class Transmission(AppendOnlyModel):
    """One sending of an invoice, credit note or payment reminder: how, to whom, and the PDF as sent."""

    class Purpose(models.TextChoices):
        INVOICE = "invoice", _("Faktura sendt")
        REMINDER = "reminder", _("Betalingspåminnelse")

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="transmissions")
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.INVOICE)
    channel = models.CharField(_("kanal"), max_length=40)
    recipient = models.CharField(_("mottaker"), max_length=254)
    ok = models.BooleanField(_("vellykket"))
    detail = models.TextField(blank=True)
    pdf = models.FileField(upload_to=transmission_path, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    xml_sha256 = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(_("sendt"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    changed_message = "A transmission record is never changed."
    deleted_message = "A transmission record is never deleted."

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("forsendelse")
        verbose_name_plural = _("forsendelser")

    def __str__(self):
        return f"{self.invoice.number} -> {self.recipient} ({self.sent_at:%d.%m.%Y %H:%M})"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
