"""Changes to bodies: their names, kinds, case-number formats, languages and quorum."""

from django.db import transaction
from django.utils.translation import gettext as _

from khs.lib.audit import audit_log, diff, snapshot
from meetings import rules
from meetings.errors import MeetingsError
from membership.models import _FORMAT_TOKEN, Body

BODY_FIELDS = (
    "name",
    "kind",
    "case_number_format",
    "language",
    "invite_mode",
    "addressee",
    "quorum_rule",
    "quorum_minimum",
)


def _quorum_check(fields: dict) -> None:
    if "quorum_rule" in fields and fields["quorum_rule"] not in Body.QuorumRule.values:
        raise MeetingsError(_("Ukjent regel for vedtaksførhet."))
    refusal = rules.quorum_minimum_refusal(fields.get("quorum_minimum"))
    if refusal:
        raise MeetingsError(refusal)


def case_number_format_check(fmt: str) -> None:
    """Refuse a format without exactly one {n}, without a year, or with unknown {…} tokens."""
    tokens = _FORMAT_TOKEN.findall(fmt or "")
    rest = _FORMAT_TOKEN.sub("", fmt or "")
    numbers = [t for t in tokens if t.startswith("n")]
    if len(numbers) != 1 or not any(t in ("yyyy", "yy") for t in tokens) or "{" in rest or "}" in rest:
        raise MeetingsError(
            _("Formatet må ha nøyaktig ett {n} (eller {n:02}) og et årstall ({yyyy} eller {yy}), f.eks. «{n}/{yyyy}».")
        )
    if len(fmt) > 40:
        raise MeetingsError(_("Formatet kan være høyst 40 tegn."))


@transaction.atomic
def case_number_format_change_check(body, fmt: str) -> None:
    """A body's case-number format may change only until its first case (the pages and the admin ask this)."""
    if fmt == body.case_number_format:
        return
    case_number_format_check(fmt)
    # The label of a case is computed from the format: changing it would rewrite every old number.
    if body.cases.exists():
        raise MeetingsError(_("Formatet for saksnummer kan ikke endres etter at det er registrert saker i organet."))


def body_create(
    *,
    cooperation,
    actor,
    name: str,
    kind: str = Body.Kind.OTHER,
    case_number_format: str = "{n}/{yyyy}",
    language: str = "nb",
    invite_mode: str = Body.InviteMode.MEMBERS,
    addressee: str = "",
    quorum_rule: str = Body.QuorumRule.MAJORITY_OF_MEMBERS,
    quorum_minimum: int | None = None,
) -> Body:
    name = name.strip()
    if not name:
        raise MeetingsError(_("Organet må ha et navn."))
    case_number_format_check(case_number_format)
    _quorum_check({"quorum_rule": quorum_rule, "quorum_minimum": quorum_minimum})
    if Body.objects.filter(cooperation=cooperation, name__iexact=name).exists():
        raise MeetingsError(_("Samarbeidet har allerede et organ som heter «%(name)s».") % {"name": name})
    body = Body.objects.create(
        cooperation=cooperation,
        name=name,
        kind=kind,
        case_number_format=case_number_format,
        language=language,
        invite_mode=invite_mode,
        addressee=addressee.strip(),
        quorum_rule=quorum_rule,
        quorum_minimum=quorum_minimum,
    )
    audit_log(
        actor=actor,
        action="create",
        verb="body_create",
        obj=body,
        changes=snapshot(body),
        cooperation_id=cooperation.pk,
    )
    return body


@transaction.atomic
def body_update(*, body, actor, verb: str = "body_update", **fields) -> Body:
    unknown = set(fields) - set(BODY_FIELDS)
    if unknown:
        raise TypeError(f"body_update does not change {sorted(unknown)}")
    body = Body.objects.select_for_update().get(pk=body.pk)
    before = snapshot(body)
    _quorum_check(fields)
    if "name" in fields:
        fields["name"] = fields["name"].strip()
        if not fields["name"]:
            raise MeetingsError(_("Organet må ha et navn."))
        if (
            Body.objects.filter(cooperation_id=body.cooperation_id, name__iexact=fields["name"])
            .exclude(pk=body.pk)
            .exists()
        ):
            raise MeetingsError(_("Samarbeidet har allerede et organ som heter «%(name)s».") % {"name": fields["name"]})
    if "case_number_format" in fields:
        case_number_format_change_check(body, fields["case_number_format"])
    for key, value in fields.items():
        setattr(body, key, value)
    body.save()
    changes = diff(before, snapshot(body))
    if changes:
        audit_log(
            actor=actor,
            action="update",
            verb=verb,
            obj=body,
            changes=changes,
            cooperation_id=body.cooperation_id,
        )
    return body
