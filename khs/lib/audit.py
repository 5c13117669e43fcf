"""Writing the audit trail. Every service that changes governance data calls audit_log()."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


def jsonable(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """The concrete field values of obj, JSON-ready (foreign keys as ids)."""
    result = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        result[field.name] = jsonable(getattr(obj, field.attname))
    return result


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for every field that differs."""
    keys = set(before) | set(after)
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


def acting_user(actor):
    """The signed-in user behind an action, or None (the system, an anonymous visitor, a personal link)."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def audit_log(
    *,
    actor,
    action: str,
    verb: str,
    obj: models.Model | None = None,
    changes: dict | None = None,
    message: str = "",
    cooperation_id: int | None = None,
    actor_label: str = "",
    at: datetime | None = None,
):
    """Append one entry to the audit trail and return it."""
    from khs.models import AuditEntry

    actor = acting_user(actor)
    if not actor_label and actor is not None:
        actor_label = actor.get_full_name() or actor.get_username()
    entry = AuditEntry(
        at=at or timezone.now(),
        actor=actor,
        actor_label=actor_label[:200],
        action=action,
        verb=verb,
        message=message,
        changes={k: [jsonable(v) for v in pair] for k, pair in (changes or {}).items()}
        if changes and all(isinstance(p, (list, tuple)) for p in changes.values())
        else {k: jsonable(v) for k, v in (changes or {}).items()},
        cooperation_id=cooperation_id,
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:300]
    entry.save()
    return entry


def audit_entries_for(obj: models.Model):
    """The audit trail of one object, newest first."""
    from khs.models import AuditEntry

    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor")
