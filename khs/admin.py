from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from khs.lib.audit import audit_log, diff, jsonable, snapshot
from khs.lib.audit_labels import verb_label
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

    def save_related(self, request, form, formsets, change):
        """Many-to-many choices and inline rows are audited too (who was given a cooperation, a group)."""
        obj = form.instance
        m2m = [f.name for f in obj._meta.many_to_many if f.name in form.cleaned_data]
        before = {name: sorted(getattr(obj, name).values_list("pk", flat=True)) for name in m2m} if change else {}
        super().save_related(request, form, formsets, change)
        after = {name: sorted(getattr(obj, name).values_list("pk", flat=True)) for name in m2m}
        changes = {name: [before.get(name, []), after[name]] for name in m2m if before.get(name, []) != after[name]}
        if changes:
            audit_log(actor=request.user, action="update", verb="admin_save_related", obj=obj, changes=changes)
        for formset in formsets:
            for row in getattr(formset, "new_objects", []):
                audit_log(actor=request.user, action="create", verb="admin_inline", obj=row, changes=snapshot(row))
            for row, fields in getattr(formset, "changed_objects", []):
                audit_log(
                    actor=request.user,
                    action="update",
                    verb="admin_inline",
                    obj=row,
                    changes={name: ["?", jsonable(getattr(row, name, None))] for name in fields},
                )
            for row in getattr(formset, "deleted_objects", []):
                audit_log(actor=request.user, action="delete", verb="admin_inline", obj=row, changes=snapshot(row))

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


class VerbFilter(admin.SimpleListFilter):
    """The change log filtered by what happened, offered in words (khs.lib.audit_labels)."""

    title = _("hva")
    parameter_name = "verb"

    def lookups(self, request, model_admin):
        verbs = AuditEntry.objects.order_by().values_list("verb", flat=True).distinct()
        return sorted(((v, verb_label(v)) for v in verbs), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(verb=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "what", "object_repr"]
    list_filter = ["action", VerbFilter]
    search_fields = ["object_repr", "actor_label", "message"]

    @admin.display(description=_("hva"), ordering="verb")
    def what(self, entry):
        return entry.verb_label


# Users and groups: who is an Administrator, who is given what, is governance data too.
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.admin import GroupAdmin, UserAdmin  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402

_User = get_user_model()


class AuditedUserAdmin(AuditedModelAdmin, UserAdmin):
    pass


class AuditedGroupAdmin(AuditedModelAdmin, GroupAdmin):
    pass


for _model, _admin in ((_User, AuditedUserAdmin), (Group, AuditedGroupAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)
