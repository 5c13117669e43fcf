"""Admin is the administrators' fallback; everyday work goes through the pages and their services."""

from django import forms
from django.contrib import admin

from khs.admin import AuditedModelAdmin, ReadOnlyAdmin
from meetings import models
from meetings.errors import MeetingsError
from meetings.services.bodies import case_number_format_change_check
from membership.models import Body


class InviteeInline(admin.TabularInline):
    """Read-only: answers and addresses change through the attendance services (audited, with their rules)."""

    model = models.Invitee
    fk_name = "meeting"
    extra = 0
    fields = ["name", "email", "municipality", "role", "is_guest", "response"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Meeting)
class MeetingAdmin(AuditedModelAdmin):
    list_display = ["title", "body", "number", "starts_at", "status"]
    list_filter = ["status", "body"]
    readonly_fields = ["uid", "sequence", "number", "status", "cancelled_at"]
    inlines = [InviteeInline]


class CaseAttachmentInline(admin.TabularInline):
    model = models.CaseAttachment
    extra = 0
    fields = ["title", "original_name", "content_type", "size", "sha256"]
    readonly_fields = fields  # uploads go through case_attachment_add (type and size checks)
    can_delete = False  # removal goes through case_attachment_remove (audited, only while the case may move)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Case)
class CaseAdmin(AuditedModelAdmin):
    list_display = ["label", "title", "body", "meeting", "status"]
    list_filter = ["body", "year", "status"]
    search_fields = ["title"]
    # The meeting changes through case_move (same body, open meeting), never here.
    readonly_fields = ["body", "year", "number", "meeting", "registered_at", "registered_by"]
    inlines = [CaseAttachmentInline]

    def has_add_permission(self, request):
        return False  # a number is drawn by case_register only

    def has_delete_permission(self, request, obj=None):
        return False  # a case keeps its number for good


@admin.register(models.CaseNumberSeries)
class CaseNumberSeriesAdmin(ReadOnlyAdmin):
    list_display = ["body", "year", "last_number"]


# --- Minutes: drafts are written on the minutes page (versioned services); approved minutes are read-only ------


class _MinutesPartInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_approved


class ParticipantInline(_MinutesPartInline):
    model = models.Participant
    fields = ["name", "role", "municipality", "attendance"]
    readonly_fields = ["municipality"]


class MinutesItemInline(_MinutesPartInline):
    model = models.MinutesItem
    fk_name = "minutes"
    fields = ["position", "title", "decision", "votes_for", "votes_against", "votes_blank"]


@admin.register(models.Minutes)
class MinutesAdmin(AuditedModelAdmin):
    list_display = ["meeting", "status", "version", "approved_at"]
    list_filter = ["status"]
    readonly_fields = [
        "meeting",
        "status",
        "version",
        "approved_at",
        "approved_by_meeting",
        "document",
        "document_sha256",
    ]
    inlines = [ParticipantInline, MinutesItemInline]

    def has_add_permission(self, request):
        return False  # minutes are started from the meeting (minutes_create fills them in)

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_approved

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.MinutesSettings)
class MinutesSettingsAdmin(AuditedModelAdmin):
    list_display = ["body", "approval_mode", "weighted_votes"]


@admin.register(models.VoteWeight)
class VoteWeightAdmin(AuditedModelAdmin):
    list_display = ["body", "municipality", "weight"]
    raw_id_fields = ["municipality"]


class BodyAdminForm(forms.ModelForm):
    """The admin builds the fields (ModelAdmin.get_form); this adds the pages' rule for the format."""

    def clean_case_number_format(self):
        fmt = self.cleaned_data["case_number_format"]
        if self.instance.pk:
            try:
                case_number_format_change_check(self.instance, fmt)  # the same rule as body_update
            except MeetingsError as error:
                raise forms.ValidationError(error.message) from None
        return fmt


@admin.register(Body)
class BodyAdmin(AuditedModelAdmin):
    form = BodyAdminForm
    list_display = ["name", "cooperation", "kind", "case_number_format", "language", "invite_mode"]
    list_filter = ["cooperation", "kind", "language"]
