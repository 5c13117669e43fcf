from django.contrib import admin

from khs.lib.audit import audit_log, diff, snapshot
from khs.models import AuditEntry


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin is a fallback for administrators; its changes go to the audit trail like any other."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else {}
        super().save_model(request, obj, form, change)
        audit_log(
            actor=request.user,
            action="update" if change else "create",
            verb="admin_save",
            obj=obj,
            changes=diff(before, snapshot(obj)),
        )

    def delete_model(self, request, obj):
        audit_log(actor=request.user, action="delete", verb="admin_delete", obj=obj, changes=snapshot(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Append-only records: visible, never added, changed or deleted here (services do that)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "verb", "object_repr"]
    list_filter = ["action", "verb"]
    search_fields = ["object_repr", "actor_label", "message"]
