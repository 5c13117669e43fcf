"""Meetings of bodies (membership.Body), their numbered cases, the invitees of each meeting."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from khs.models import AppendOnlyQuerySet, GuardedQuerySet, NeverDeletedModel
from membership.models import Body


class CaseQuerySet(GuardedQuerySet):
    """Cases keep their numbers: no bulk delete, and no bulk change of what makes the number."""

    bulk_frozen = frozenset({"body", "body_id", "year", "number", "registered_at"})


class CaseNumberSeries(NeverDeletedModel):
    """The last case number given out in a body for a year; locked while the next is drawn. Never deleted."""

    deleted_message = "A case number series is never deleted."
    objects = AppendOnlyQuerySet.as_manager()  # drawn with select_for_update + save, never in bulk

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="number_series")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="case_series_body_year_unique")]

    def __str__(self):
        return f"{self.body} {self.year}: {self.last_number}"


class Meeting(models.Model):
    """A møte of a body: drafted -> summoned -> held -> minutes approved, or cancelled."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SUMMONED = "summoned", _("Innkalt")
        HELD = "held", _("Avholdt")
        MINUTES_APPROVED = "minutes_approved", _("Protokoll godkjent")
        CANCELLED = "cancelled", _("Avlyst")

    # States in which the agenda, the invitees and the cases can still change (enforced in services).
    OPEN_STATUSES = (Status.DRAFT, Status.SUMMONED)

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    number = models.PositiveIntegerField(_("møtenummer"), help_text=_("Løpenummer for møter i organet."))
    title = models.CharField(_("tittel"), max_length=300)
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"), null=True, blank=True)
    place_name = models.CharField(_("sted"), max_length=200, blank=True)
    place_address = models.CharField(_("adresse"), max_length=300, blank=True)
    registration_deadline = models.DateTimeField(_("påmeldingsfrist"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Stable calendar identity: UID never changes, SEQUENCE rises with every change sent out.
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField(default=0)
    contact = models.CharField(_("kontaktperson"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(_("avlyst"), null=True, blank=True)
    cancel_reason = models.CharField(_("årsak til avlysning"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("møte")
        verbose_name_plural = _("møter")
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="meeting_number_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.title} {self.starts_at:%d.%m.%Y}"

    @property
    def language(self) -> str:
        return self.body.language

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        """Agenda, invitees and cases may still change (draft or summoned)."""
        return self.status in self.OPEN_STATUSES


class Invitee(models.Model):
    """Someone invited to a meeting, usually for a municipality; carries their attendance answer."""

    class Response(models.TextChoices):
        PENDING = "pending", _("Ikke svart")
        ATTENDING = "attending", _("Kommer")
        ABSENT = "absent", _("Kommer ikke")
        DEPUTY = "deputy", _("Sender stedfortreder")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    person = models.ForeignKey(
        "membership.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="invitations"
    )
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-post"), blank=True)
    municipality = models.ForeignKey(
        "membership.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("representerer"),
    )
    role = models.CharField(_("rolle"), max_length=100, blank=True)
    is_guest = models.BooleanField(_("gjest"), default=False)
    # A deputy sent in someone's place points at the invitee they represent.
    deputy_for = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="deputies")
    response = models.CharField(_("svar"), max_length=20, choices=Response.choices, default=Response.PENDING)
    response_note = models.CharField(_("merknad"), max_length=500, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by_clerk = models.BooleanField(default=False)
    # The signed-in user who entered the answer (a member, or a clerk after a phone call); blank for a link.
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    present = models.BooleanField(_("til stede"), null=True, blank=True)

    class Meta:
        ordering = ["municipality__number", "name"]
        verbose_name = _("invitert")
        verbose_name_plural = _("inviterte")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], condition=Q(person__isnull=False), name="invitee_person_once_per_meeting"
            ),
        ]

    def __str__(self):
        return self.name


class Case(models.Model):
    """A sak: a draft until its number (body, year, sequence) is given, then numbered for good.

    The number is given when the meeting's agenda is finalised (at the latest when the summons is sent),
    in agenda order and in the meeting's year, or earlier when the clerk registers the case. A draft can be
    deleted; a numbered case never (it is withdrawn instead), and a number is never reused.
    """

    class Kind(models.TextChoices):
        DECISION = "decision", _("Vedtakssak")
        ORIENTATION = "orientation", _("Orienteringssak")
        OTHER = "other", _("Eventuelt")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        REGISTERED = "registered", _("Registrert")
        WITHDRAWN = "withdrawn", _("Trukket")

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("Vedtatt")
        NOT_ADOPTED = "not_adopted", _("Ikke vedtatt")
        DEFERRED = "deferred", _("Utsatt")
        NOTED = "noted", _("Tatt til orientering")

    objects = CaseQuerySet.as_manager()

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="cases")
    year = models.PositiveSmallIntegerField(_("år"), null=True, blank=True)  # None while a draft
    number = models.PositiveIntegerField(_("løpenummer"), null=True, blank=True)  # None while a draft
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    agenda_position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("tittel"), max_length=300)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.DECISION)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED)
    background = models.TextField(_("saksopplysning"), blank=True)  # sanitised HTML
    assessment = models.TextField(_("vurdering"), blank=True)  # sanitised HTML
    proposed_resolution = models.TextField(_("forslag til vedtak"), blank=True)  # sanitised HTML
    resolution = models.TextField(_("vedtak"), blank=True)  # sanitised HTML, after the meeting
    signer_name = models.CharField(_("underskriver"), max_length=200, blank=True)
    signer_title = models.CharField(_("underskriverens tittel"), max_length=200, blank=True)
    document_place = models.CharField(_("sted for saksframlegget"), max_length=100, blank=True)
    document_date = models.DateField(_("dato for saksframlegget"), null=True, blank=True)
    registered_at = models.DateTimeField()
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("trukket"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("årsak til at saken er trukket"), max_length=500, blank=True)
    # The case's outcome, set from the approved minutes (meetings.services.minutes.minutes_approve).
    outcome = models.CharField(_("utfall"), max_length=20, choices=Outcome.choices, blank=True)
    decided_at = models.DateTimeField(_("behandlet"), null=True, blank=True)

    class Meta:
        ordering = ["body", "year", "number"]
        verbose_name = _("sak")
        verbose_name_plural = _("saker")
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "number"], name="case_number_unique_per_body_year"),
            models.CheckConstraint(
                condition=(Q(status="draft", number__isnull=True, year__isnull=True))
                | (~Q(status="draft") & Q(number__isnull=False, year__isnull=False)),
                name="case_numbered_unless_draft",
            ),
        ]

    def __str__(self):
        return f"{self.label} {self.title}"

    @property
    def label(self) -> str:
        """The case number in the body's own format, e.g. 1/2017; "(utkast)" while a draft."""
        if self.number is None:
            return pgettext("case", "(utkast)")
        return self.body.case_label(self.number, self.year)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("meetings:case_detail", args=[self.pk])

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def delete(self, *args, **kwargs):
        from khs.models import AppendOnlyError

        if self.number is not None or self.status != self.Status.DRAFT:
            raise AppendOnlyError("A registered case keeps its number: withdraw it instead of deleting it.")
        return super().delete(*args, **kwargs)


def attachment_path(instance, filename):
    stem, dot, ext = filename.rpartition(".")
    if dot and len(filename) > 120:
        filename = f"{stem[:110]}.{ext[:8]}"
    return f"attachments/{instance.case.body_id}/{instance.case.year or 'draft'}/{uuid.uuid4().hex}/{filename[:120]}"


class CaseAttachment(models.Model):
    """A vedlegg to a case, stored with its size and SHA-256."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    title = models.CharField(_("tittel"), max_length=300)
    original_name = models.CharField(_("filnavn"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    position = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "position", "pk"]

    def __str__(self):
        return self.title


class CaseReference(models.Model):
    """This case refers to earlier handling of the same matter in another body ("styret, sak 03/2017")."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="references")
    earlier_case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referenced_by")
    note = models.CharField(_("merknad"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "earlier_case"], name="case_reference_unique"),
            models.CheckConstraint(condition=~Q(case=models.F("earlier_case")), name="case_reference_not_self"),
        ]

    def __str__(self):
        return f"{self.case.label} -> {self.earlier_case.label}"


class ReminderSent(models.Model):
    """A reminder mailed to an invitee who had not answered; at most one a day per invitee."""

    invitee = models.ForeignKey(Invitee, on_delete=models.CASCADE, related_name="reminders")
    sent_at = models.DateTimeField(db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")

    def __str__(self):
        return f"{self.invitee} {self.sent_at:%Y-%m-%d %H:%M}"


def dispatch_document_path(instance, filename):
    return f"summons/{instance.meeting.body_id}/{instance.meeting_id}/{uuid.uuid4().hex}/{filename}"


class Dispatch(models.Model):
    """One sending of a meeting's summons (innkalling), supplementary summons, update or cancellation."""

    class Kind(models.TextChoices):
        SUMMONS = "summons", _("Innkalling")
        SUPPLEMENTARY = "supplementary", _("Tilleggsinnkalling")
        UPDATE = "update", _("Endret innkalling")
        CANCEL = "cancel", _("Avlysning")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="dispatches")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    # The calendar SEQUENCE the invitees were sent with this dispatch.
    sequence = models.PositiveIntegerField()
    sent_at = models.DateTimeField(_("sendt"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("merknad"), blank=True, help_text=_("Hva som er endret, eller hvorfor møtet er avlyst."))
    # What changed since the previous dispatch, as written in the mail (one line each).
    changes = models.JSONField(default=list, blank=True)
    # The meeting as the invitees were told it (time, place, cases), to tell what changes next time.
    snapshot = models.JSONField(default=dict, blank=True)
    cases = models.ManyToManyField(Case, blank=True, related_name="dispatches")
    document = models.FileField(_("dokument"), upload_to=dispatch_document_path, blank=True)

    class Meta:
        ordering = ["meeting", "sent_at", "pk"]
        verbose_name = _("utsending")
        verbose_name_plural = _("utsendinger")

    def __str__(self):
        return f"{self.get_kind_display()} {self.meeting} ({self.sent_at:%d.%m.%Y %H:%M})"


class DispatchRecipient(models.Model):
    """One invitee's copy of a dispatch: e-mailed to an address, or listed for printing when there is none."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-post")
        PRINT = "print", _("Utskrift")

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="recipients")
    # Kept when the invitee is removed later: the record says who was sent what.
    invitee = models.ForeignKey(Invitee, null=True, blank=True, on_delete=models.SET_NULL, related_name="dispatches")
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-post"), blank=True)
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    # Why the mail could not be handed over (the outbox gave up on it); such a recipient is tried again at the
    # next sending. Empty while the mail is queued or being retried.
    error = models.CharField(_("feil"), max_length=300, blank=True)

    class Meta:
        ordering = ["dispatch", "name", "pk"]
        verbose_name = _("mottaker")
        verbose_name_plural = _("mottakere")
        constraints = [
            models.CheckConstraint(condition=~Q(channel="email") | ~Q(email=""), name="dispatch_email_has_address"),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.email else self.name

    @property
    def delivered(self) -> bool:
        return not self.error

    def mail_settled(self, mail) -> None:
        """The outbox's last word on this copy (khs/outbox.py): a message that failed for good is recorded."""
        error = mail.last_error[:300] if mail.status == mail.Status.FAILED else ""
        if error != self.error:
            DispatchRecipient.objects.filter(pk=self.pk).update(error=error)
