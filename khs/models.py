"""The audit trail shared by every app."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khs.lib.audit_labels import verb_label


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


class AppendOnlyModel(models.Model):
    """A row kept for good: saved once, never changed or deleted (row by row or through its queryset).

    Subclasses say why in `changed_message` and `deleted_message`; corrections are new rows.
    """

    changed_message = "This row is never changed."
    deleted_message = "This row is never deleted."

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(self.changed_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(self.deleted_message)


class NeverDeletedModel(models.Model):
    """A row that may change but is never deleted (a number series, a sent extract): `deleted_message` says why."""

    deleted_message = "This row is never deleted."

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(self.deleted_message)


class AuditEntry(AppendOnlyModel):
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

    changed_message = "Audit entries are never changed."
    deleted_message = "Audit entries are never deleted."

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]
        verbose_name = _("logglinje")
        verbose_name_plural = _("endringslogg")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.object_repr}"

    @property
    def verb_label(self) -> str:
        """What happened, in words ("Saken ble endret"), from khs.lib.audit_labels."""
        return verb_label(self.verb)


class OutgoingMail(models.Model):
    """One message in the outbox: written with the change that causes it, handed to SMTP by a worker after commit.

    Life: queued -> sending -> sent; or retrying (temporary error, tried again at next_attempt_at) or failed
    (permanent error, or too many temporary ones). A row in "sending" whose lease ran out belonged to a worker
    that died; another worker takes it again (with the same Message-ID).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("i kø")
        SENDING = "sending", _("sendes")
        SENT = "sent", _("sendt")
        RETRYING = "retrying", _("prøves igjen")
        FAILED = "failed", _("feilet")

    kind = models.CharField(_("slag"), max_length=40)
    # One message per key, ever: a retried service or task cannot queue a second copy for the same recipient.
    idempotency_key = models.CharField(max_length=200, unique=True)
    recipient = models.CharField(_("mottaker"), max_length=320)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    # What the message belongs to (a dispatch recipient, an invoice transmission, a person): any model of any app.
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, blank=True)
    # The rendered message: {"subject", "body", "from_email", "to", "reply_to", "headers", "alternatives",
    # "attachments"}; attachments carry base64 data or the storage name of a file shared by many messages.
    message = models.JSONField(default=dict)
    created_at = models.DateTimeField(_("lagt i kø"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("forsøk"), default=0)
    next_attempt_at = models.DateTimeField(_("neste forsøk"), null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    last_error = models.TextField(_("svar fra e-posttjeneren"), blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
            models.Index(fields=["content_type", "object_id"], name="outbox_object_idx"),
        ]
        verbose_name = _("utgående e-post")
        verbose_name_plural = _("utgående e-post")

    def __str__(self):
        return f"{self.kind} → {self.recipient} ({self.status})"
