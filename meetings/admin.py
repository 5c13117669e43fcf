"""Admin is the administrators' fallback; everyday work goes through the pages and their services."""

from django.contrib import admin

from khs.admin import AuditedModelAdmin
from meetings import models


class InviteeInline(admin.TabularInline):
    model = models.Invitee
    fk_name = "meeting"
    extra = 0
    fields = ["name", "email", "municipality", "role", "is_guest", "response"]
    raw_id_fields = ["municipality"]


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

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Case)
class CaseAdmin(AuditedModelAdmin):
    list_display = ["label", "title", "body", "meeting", "status"]
    list_filter = ["body", "year", "status"]
    search_fields = ["title"]
    readonly_fields = ["body", "year", "number", "registered_at", "registered_by"]
    inlines = [CaseAttachmentInline]

    def has_add_permission(self, request):
        return False  # a number is drawn by case_register only

    def has_delete_permission(self, request, obj=None):
        return False  # a case keeps its number for good


@admin.register(models.CaseNumberSeries)
class CaseNumberSeriesAdmin(admin.ModelAdmin):
    list_display = ["body", "year", "last_number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
