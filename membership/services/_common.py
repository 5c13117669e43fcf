"""Small helpers shared by the services of this app."""

from django.core.exceptions import ValidationError

from khs.lib.audit import audit_log, diff, snapshot
from membership.exceptions import MembershipError


def validated(obj, *, exclude=None):
    """Run the model's field validators (org numbers, kommunenummer, …); raise MembershipError."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise MembershipError.from_validation_error(error) from error
    return obj


def apply_changes(obj, fields: dict, *, allowed) -> dict:
    """Set the given fields on obj; returns {field: [old, new]} of what changed."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise MembershipError(f"Cannot change {', '.join(sorted(unknown))} here.")
    before = snapshot(obj)
    for name, value in fields.items():
        setattr(obj, name, value)
    return diff(before, snapshot(obj))


def raise_if(errors: dict):
    """Refuse with every rule broken, the first as the message."""
    if errors:
        raise MembershipError(next(iter(errors.values())), field_errors={k: [v] for k, v in errors.items()})


def audit_log_shared(*, cooperation_ids, **entry):
    """One audit entry in the trail of each cooperation concerned by a change to shared data (a
    municipality's offices or population); one without a cooperation when none is concerned."""
    ids = sorted({i for i in cooperation_ids if i is not None}) or [None]
    return [audit_log(cooperation_id=i, **entry) for i in ids]
