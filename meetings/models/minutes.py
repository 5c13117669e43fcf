"""The minutes (protokoll) of a meeting: who was there, what each item decided and how, and its approval.

Approved minutes are locked: every model here refuses save() and delete() once its minutes are approved,
and its queryset refuses update() and delete() over approved rows (services, views, admin and bulk paths
all end in one of these). A correction is a new decision in a later meeting (MinutesItem.corrects).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khs.models import NeverDeletedModel
from meetings.models.core import Case, Invitee, Meeting
from membership.models import Body


class MinutesLockedError(Exception):
    """Approved minutes (and everything in them) are never changed or deleted."""


class ApprovalMode(models.TextChoices):
    SIGNED = "signed", _("Signeres av møteleder og valgte medlemmer")
    NEXT_MEETING = "next_meeting", _("Godkjennes i neste møte")


class MinutesSettings(models.Model):
    """How a body votes and approves its minutes (the body's own rules, not the law's)."""

    body = models.OneToOneField(Body, on_delete=models.CASCADE, related_name="minutes_settings")
    approval_mode = models.CharField(
        _("godkjenning av protokoll"), max_length=20, choices=ApprovalMode.choices, default=ApprovalMode.SIGNED
    )
    # Votes per member municipality, each with the weight of VoteWeight (population share, agreed share).
    weighted_votes = models.BooleanField(_("vektede stemmer per kommune"), default=False)

    class Meta:
        verbose_name = _("protokollinnstillinger")
        verbose_name_plural = _("protokollinnstillinger")

    def __str__(self):
        return f"{self.body}: {self.get_approval_mode_display()}"


class VoteWeight(models.Model):
    """A member municipality's vote weight in a body (e.g. its population share), when votes are weighted."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="vote_weights")
    municipality = models.ForeignKey("membership.Municipality", on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(_("stemmevekt"), max_digits=8, decimal_places=3)

    class Meta:
        ordering = ["body", "municipality__number"]
        verbose_name = _("stemmevekt")
        verbose_name_plural = _("stemmevekter")
        constraints = [
            models.UniqueConstraint(fields=["body", "municipality"], name="vote_weight_once_per_body"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="vote_weight_positive"),
        ]

    def __str__(self):
        return f"{self.municipality}: {self.weight}"


# --- The lock ----------------------------------------------------------------------------------------------


class LockedQuerySet(models.QuerySet):
    """update() and delete() refuse when any row they reach belongs to approved minutes."""

    minutes_status_path = "minutes__status"

    def _refuse_if_approved(self):
        if self.filter(**{self.minutes_status_path: Minutes.Status.APPROVED}).exists():
            raise MinutesLockedError("Approved minutes are never changed.")

    def update(self, **kwargs):
        self._refuse_if_approved()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_approved()
        return super().delete()

    # bulk_update goes through update(); bulk_create of rows for approved minutes is refused per row below.
    def bulk_create(self, objs, *args, **kwargs):
        for obj in objs:
            obj._refuse_if_locked()
        return super().bulk_create(objs, *args, **kwargs)


class MinutesQuerySet(LockedQuerySet):
    minutes_status_path = "status"


class ItemPartQuerySet(LockedQuerySet):
    minutes_status_path = "item__minutes__status"


class LockedWithMinutes(models.Model):
    """A part of the minutes: save() and delete() refuse once the minutes it belongs to are approved."""

    class Meta:
        abstract = True

    def _minutes_id(self):
        return self.minutes_id

    def _refuse_if_locked(self):
        minutes_id = self._minutes_id()
        if minutes_id and Minutes.objects.filter(pk=minutes_id, status=Minutes.Status.APPROVED).exists():
            raise MinutesLockedError("Approved minutes are never changed.")

    def save(self, *args, **kwargs):
        self._refuse_if_locked()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_locked()
        return super().delete(*args, **kwargs)


def minutes_document_path(instance, filename):
    return f"minutes/{instance.meeting.body_id}/{instance.meeting_id}/{uuid.uuid4().hex}/{filename}"


class Minutes(models.Model):
    """The protokoll of one meeting: a draft the clerk saves (version rises each save), then approved for good."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        AWAITING = "awaiting", _("Til godkjenning")
        APPROVED = "approved", _("Godkjent")

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Optimistic locking: a save names the version it was edited from; a stale version is refused.
    version = models.PositiveIntegerField(default=1)
    approval_mode = models.CharField(
        _("godkjenning"), max_length=20, choices=ApprovalMode.choices, default=ApprovalMode.SIGNED
    )
    started_at = models.DateTimeField(_("møtet satt"))
    ended_at = models.DateTimeField(_("møtet hevet"), null=True, blank=True)
    place = models.CharField(_("sted"), max_length=500, blank=True)
    chair_name = models.CharField(_("møteleder"), max_length=200, blank=True)
    minute_taker_name = models.CharField(_("referent"), max_length=200, blank=True)
    summons_approved = models.BooleanField(_("innkalling og dagsorden godkjent"), default=True)
    summons_note = models.CharField(_("merknad til innkalling og dagsorden"), max_length=500, blank=True)
    # Demo data (attendance and votes invented for the demo) say so on the page and in the PDF.
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("godkjent"), null=True, blank=True)
    # Approval at the next meeting: the case put on its agenda, and the meeting that approved them.
    approval_case = models.OneToOneField(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="approves_minutes"
    )
    approved_by_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="approved_minutes"
    )
    document = models.FileField(_("protokoll (PDF)"), upload_to=minutes_document_path, blank=True, max_length=300)
    document_sha256 = models.CharField(max_length=64, blank=True)

    objects = MinutesQuerySet.as_manager()

    class Meta:
        verbose_name = _("protokoll")
        verbose_name_plural = _("protokoller")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False), name="minutes_approved_has_time"
            ),
        ]

    def __str__(self):
        return f"Protokoll {self.meeting}"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    def _refuse_if_locked(self):
        if self.pk and Minutes.objects.filter(pk=self.pk, status=self.Status.APPROVED).exists():
            raise MinutesLockedError("Approved minutes are never changed.")

    def save(self, *args, **kwargs):
        self._refuse_if_locked()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_locked()
        return super().delete(*args, **kwargs)


class Participant(LockedWithMinutes):
    """Someone in the minutes' attendance list: a member, a deputy (for whom), a substitute for one case, a guest."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Medlem")
        DEPUTY = "deputy", _("Stedfortreder")
        SUBSTITUTE = "substitute", _("Settemedlem")  # takes a disqualified member's seat for one case only
        GUEST = "guest", _("Andre til stede")

    class Attendance(models.TextChoices):
        PRESENT = "present", _("Til stede")
        ABSENT_NOTICE = "absent_notice", _("Meldt forfall")
        ABSENT = "absent", _("Ikke møtt")

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="participants")
    invitee = models.ForeignKey(Invitee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("navn"), max_length=200)
    municipality = models.ForeignKey(
        "membership.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("representerer"),
    )
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    attendance = models.CharField(_("oppmøte"), max_length=20, choices=Attendance.choices, default=Attendance.PRESENT)
    # A deputy's or substitute's principal: the member they met for.
    deputy_for = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="deputies", verbose_name=_("møtte for")
    )
    position = models.PositiveIntegerField(default=0)

    objects = LockedQuerySet.as_manager()

    class Meta:
        ordering = ["minutes", "position", "pk"]
        verbose_name = _("deltaker")
        verbose_name_plural = _("deltakere")

    def __str__(self):
        return self.name

    @property
    def is_present(self) -> bool:
        return self.attendance == self.Attendance.PRESENT

    @property
    def votes_in_meeting(self) -> bool:
        """Members and deputies present vote; guests never, substitutes only in their one case."""
        return self.is_present and self.role in (self.Role.MEMBER, self.Role.DEPUTY)


class ClosedBasis(models.TextChoices):
    """Why a case was treated behind closed doors (kommuneloven § 11-5, offentleglova)."""

    KL_11_5_1 = "kl_11_5_1", _("Kommuneloven § 11-5 første ledd (lovbestemt taushetsplikt)")
    KL_11_5_2A = "kl_11_5_2a", _("Kommuneloven § 11-5 andre ledd bokstav a (arbeidstakers tjenstlige forhold)")
    KL_11_5_3A = "kl_11_5_3a", _("Kommuneloven § 11-5 tredje ledd bokstav a (personvern)")
    KL_11_5_3B = "kl_11_5_3b", _("Kommuneloven § 11-5 tredje ledd bokstav b (tungtveiende offentlige interesser)")
    OFFL_13 = "offl_13", _("Offentleglova § 13 (taushetsplikt)")
    OFFL_23 = "offl_23", _("Offentleglova § 23 (forhandlingsposisjon)")
    OFFL_24 = "offl_24", _("Offentleglova § 24 (kontroll og regulering)")


class MinutesItem(LockedWithMinutes):
    """One item of the minutes: a case of the agenda or one added at the meeting, what was decided and how."""

    class Kind(models.TextChoices):
        CASE = "case", _("Sak")
        ANY_OTHER = "any_other", _("Eventuelt")
        REPORT = "report", _("Referatsak")

    class Decision(models.TextChoices):
        UNANIMOUS = "unanimous", _("Enstemmig vedtatt")
        VOTE = "vote", _("Vedtatt etter avstemning")
        NOT_ADOPTED = "not_adopted", _("Ikke vedtatt")
        DEFERRED = "deferred", _("Utsatt")
        NOTED = "noted", _("Tatt til orientering")

    class VoteMode(models.TextChoices):
        COUNTS = "counts", _("Antall stemmer")
        MEMBERS = "members", _("Per medlem")
        MUNICIPALITIES = "municipalities", _("Per kommune")

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="minutes_items")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.CASE)
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("tittel"), max_length=300)
    proposed_resolution = models.TextField(_("forslag til vedtak"), blank=True)  # sanitised HTML, as summoned
    resolution = models.TextField(_("vedtak"), blank=True)  # sanitised HTML, as adopted
    decision = models.CharField(_("behandling"), max_length=20, choices=Decision.choices, blank=True)
    vote_mode = models.CharField(_("stemmemåte"), max_length=20, choices=VoteMode.choices, default=VoteMode.COUNTS)
    votes_for = models.PositiveIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("mot"), null=True, blank=True)
    votes_blank = models.PositiveIntegerField(_("blanke"), null=True, blank=True)
    notes = models.TextField(_("merknader fra behandlingen"), blank=True)  # sanitised HTML
    closed_session = models.BooleanField(_("behandlet for lukkede dører"), default=False)
    closed_basis = models.CharField(_("hjemmel for lukking"), max_length=20, choices=ClosedBasis.choices, blank=True)
    # Quorum for this item, computed at each save: entitled to vote (after disqualifications) and required.
    quorum_present = models.PositiveIntegerField(null=True, blank=True)
    quorum_required = models.PositiveIntegerField(null=True, blank=True)
    # A correction: this decision (in a later meeting) corrects an item of approved minutes.
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("retter")
    )

    objects = LockedQuerySet.as_manager()

    class Meta:
        ordering = ["minutes", "position", "pk"]
        verbose_name = _("protokollpunkt")
        verbose_name_plural = _("protokollpunkter")
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "case"], condition=Q(case__isnull=False), name="minutes_item_case_once"
            ),
            models.CheckConstraint(
                condition=Q(closed_session=False) | ~Q(closed_basis=""), name="minutes_item_closed_has_basis"
            ),
        ]

    def __str__(self):
        return f"{self.case.label} {self.title}" if self.case_id else self.title

    @property
    def label(self) -> str:
        return self.case.label if self.case_id else ""

    @property
    def adopted(self) -> bool:
        return self.decision in (self.Decision.UNANIMOUS, self.Decision.VOTE)

    @property
    def quorum_ok(self) -> bool | None:
        if self.quorum_present is None or self.quorum_required is None:
            return None
        return self.quorum_present >= self.quorum_required


class ItemPart(LockedWithMinutes):
    class Meta:
        abstract = True

    def _minutes_id(self):
        if not self.item_id:
            return None
        return MinutesItem.objects.filter(pk=self.item_id).values_list("minutes_id", flat=True).first()


class Proposal(ItemPart):
    """An alternative proposal (forslag) put forward at the meeting, by whom, and its votes."""

    item = models.ForeignKey(MinutesItem, on_delete=models.CASCADE, related_name="proposals")
    proposer = models.CharField(_("forslagsstiller"), max_length=200)
    text = models.TextField(_("forslag"))
    votes_for = models.PositiveIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("mot"), null=True, blank=True)
    votes_blank = models.PositiveIntegerField(_("blanke"), null=True, blank=True)
    adopted = models.BooleanField(_("vedtatt"), default=False)
    position = models.PositiveIntegerField(default=0)

    objects = ItemPartQuerySet.as_manager()

    class Meta:
        ordering = ["item", "position", "pk"]
        verbose_name = _("forslag")
        verbose_name_plural = _("forslag")

    def __str__(self):
        return f"{self.proposer}: {self.text[:60]}"


class Vote(ItemPart):
    """How one member (or one municipality's representative) voted on the resolution of an item."""

    class Choice(models.TextChoices):
        FOR = "for", _("For")
        AGAINST = "against", _("Mot")
        BLANK = "blank", _("Blankt")

    item = models.ForeignKey(MinutesItem, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(_("stemme"), max_length=10, choices=Choice.choices)
    weight = models.DecimalField(_("vekt"), max_digits=8, decimal_places=3, default=1)

    objects = ItemPartQuerySet.as_manager()

    class Meta:
        ordering = ["item", "participant__position", "pk"]
        verbose_name = _("stemme")
        verbose_name_plural = _("stemmer")
        constraints = [models.UniqueConstraint(fields=["item", "participant"], name="vote_once_per_item")]

    def __str__(self):
        return f"{self.participant}: {self.choice}"


class Disqualification(ItemPart):
    """A member declared disqualified (inhabil, forvaltningsloven § 6) for one item, and who took the seat."""

    item = models.ForeignKey(MinutesItem, on_delete=models.CASCADE, related_name="disqualifications")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="disqualifications")
    ground = models.CharField(_("grunnlag"), max_length=300, default="forvaltningsloven § 6")
    # The body's own decision on it (forvaltningsloven § 8), e.g. "Enstemmig erklært inhabil."
    body_decision = models.CharField(_("organets avgjørelse"), max_length=500)
    substitute = models.OneToOneField(
        Participant, null=True, blank=True, on_delete=models.PROTECT, related_name="substitute_for"
    )

    objects = ItemPartQuerySet.as_manager()

    class Meta:
        ordering = ["item", "pk"]
        verbose_name = _("inhabilitet")
        verbose_name_plural = _("inhabilitet")
        constraints = [models.UniqueConstraint(fields=["item", "participant"], name="disqualification_once_per_item")]

    def __str__(self):
        return f"{self.participant} ({self.item})"


class Signer(LockedWithMinutes):
    """The chair or a member chosen to sign the minutes, through a personal signed link."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="signers")
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-post"))
    # Part of the signed link: a new request (after a correction) gives new links; old ones no longer work.
    nonce = models.UUIDField(default=uuid.uuid4)
    signed_at = models.DateTimeField(_("signert"), null=True, blank=True)
    correction_requested_at = models.DateTimeField(_("retting bedt om"), null=True, blank=True)
    correction_note = models.TextField(_("hva bør rettes"), blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = LockedQuerySet.as_manager()

    class Meta:
        ordering = ["minutes", "position", "pk"]
        verbose_name = _("signatar")
        verbose_name_plural = _("signatarer")

    def __str__(self):
        return self.name


def extract_document_path(instance, filename):
    return f"extracts/{instance.case.body_id}/{instance.case_id}/{uuid.uuid4().hex}/{filename}"


class DecisionExtract(NeverDeletedModel):
    """One sending of a melding om vedtak (særutskrift): one case's decision to each member municipality."""

    deleted_message = "A sent extract is part of the record."

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="extracts")
    item = models.ForeignKey(MinutesItem, on_delete=models.PROTECT, related_name="extracts")
    sent_at = models.DateTimeField(_("sendt"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document = models.FileField(_("dokument"), upload_to=extract_document_path, max_length=300)
    document_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["case", "sent_at", "pk"]
        verbose_name = _("melding om vedtak")
        verbose_name_plural = _("meldinger om vedtak")

    def __str__(self):
        return f"{self.case.label} {self.sent_at:%d.%m.%Y}"


class DecisionExtractRecipient(models.Model):
    """One member municipality's copy of an extract: mailed, or listed for printing when it has no address."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-post")
        PRINT = "print", _("Utskrift")

    extract = models.ForeignKey(DecisionExtract, on_delete=models.CASCADE, related_name="recipients")
    municipality = models.ForeignKey("membership.Municipality", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-post"), blank=True)
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    error = models.CharField(_("feil"), max_length=300, blank=True)

    class Meta:
        ordering = ["extract", "municipality__number"]
        verbose_name = _("mottaker")
        verbose_name_plural = _("mottakere")

    def __str__(self):
        return self.name
