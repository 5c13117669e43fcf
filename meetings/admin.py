from django.contrib import admin

from khs.admin import AuditedModelAdmin
from meetings import models


@admin.register(models.Body)
class BodyAdmin(AuditedModelAdmin):
    list_display = ["name", "cooperation", "kind", "case_number_format", "language"]


@admin.register(models.Meeting)
class MeetingAdmin(AuditedModelAdmin):
    list_display = ["title", "body", "starts_at", "status"]
    list_filter = ["status", "body"]


@admin.register(models.Case)
class CaseAdmin(AuditedModelAdmin):
    list_display = ["label", "title", "body", "meeting", "status"]
    list_filter = ["body", "year"]

    def has_delete_permission(self, request, obj=None):
        return False  # a case keeps its number for good
