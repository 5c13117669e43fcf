"""The audit trail shared by every app."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a row that is kept for good."""


class AppendOnlyQuerySet(models.QuerySet):
    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are never deleted.")

    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are never changed.")


class GuardedQuerySet(models.QuerySet):
    """A queryset that refuses bulk delete(), and bulk update() of the fields in `bulk_frozen` (for a
    case: what makes its number; its title or agenda order may be set in one statement)."""

    bulk_frozen: frozenset = frozenset()

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are never deleted.")

    def update(self, **kwargs):
        refused = set(kwargs) & self.bulk_frozen
        if refused:
            raise AppendOnlyError(f"{self.model.__name__}: {', '.join(sorted(refused))} are never changed in bulk.")
        return super().update(**kwargs)


class AuditEntry(models.Model):
    """One change to governance data: who, when, what. Never changed or deleted."""

    class Action(models.TextChoices):
        CREATE = "create", _("opprettet")
        UPDATE = "update", _("endret")
        DELETE = "delete", _("slettet")
        EVENT = "event", _("hendelse")

    at = models.DateTimeField(_("tidspunkt"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who acted when no user is signed in, e.g. "Invitee link: Ola Nordmann".
    actor_label = models.CharField(_("utført av"), max_length=200, blank=True)
    action = models.CharField(_("handling"), max_length=10, choices=Action.choices)
    verb = models.CharField(_("hva"), max_length=100, help_text=_("Service that made the change, e.g. case_register"))
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("objekt"), max_length=300, blank=True)
    # Plain id rather than a foreign key: the audit log outlives what it describes.
    cooperation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(_("endringer"), default=dict, blank=True)
    message = models.TextField(_("merknad"), blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]
        verbose_name = _("logglinje")
        verbose_name_plural = _("endringslogg")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries are never deleted.")
