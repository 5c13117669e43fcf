"""Admin as a fallback: settings are editable; issued documents, payments and what was sent are read-only."""

from django.contrib import admin

from billing import models
from khs.admin import AuditedModelAdmin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Append-only records: visible, never added, changed or deleted here (services do that)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.BillingProfile)
class BillingProfileAdmin(AuditedModelAdmin):
    list_display = ["cooperation", "invoice_prefix", "due_days", "population_reference", "vat_registered"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.ContributionRate)
class ContributionRateAdmin(ReadOnlyAdmin):
    list_display = ["cooperation", "per_inhabitant", "valid_from", "resolution_text", "resolution_case"]
    list_filter = ["cooperation"]


@admin.register(models.InvoiceNumberSeries)
class InvoiceNumberSeriesAdmin(ReadOnlyAdmin):
    list_display = ["cooperation", "last_number"]


@admin.register(models.BasisOverride)
class BasisOverrideAdmin(ReadOnlyAdmin):
    list_display = ["cooperation", "municipality", "year", "inhabitants", "reason"]


@admin.register(models.MemberReference)
class MemberReferenceAdmin(ReadOnlyAdmin):
    """Set on the treasurer's page (member_reference_set, audited)."""

    list_display = ["cooperation", "municipality", "reference", "required", "updated_at"]


@admin.register(models.InvoiceRun)
class InvoiceRunAdmin(ReadOnlyAdmin):
    list_display = ["cooperation", "year", "issued_at", "issued_by_label", "invoice_count", "total"]
    list_filter = ["cooperation", "year"]


@admin.register(models.Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "cooperation", "year", "buyer_name", "total", "issue_date", "due_date", "kid"]
    list_filter = ["cooperation", "kind", "year"]
    search_fields = ["number", "buyer_name", "kid"]


@admin.register(models.Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["invoice", "paid_on", "amount", "bank_reference", "registered_at"]
    search_fields = ["bank_reference", "invoice__number", "invoice__kid"]


@admin.register(models.Transmission)
class TransmissionAdmin(ReadOnlyAdmin):
    list_display = ["invoice", "purpose", "channel", "recipient", "ok", "sent_at"]
