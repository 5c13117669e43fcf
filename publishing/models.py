"""What the public may see of a case, and how adopted resolutions are followed up."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CasePublication(models.Model):
    """How a case is published: a public title, held back until a date, or exempt with its legal basis."""

    case = models.OneToOneField("meetings.Case", on_delete=models.CASCADE, related_name="publication")
    # A title without names, shown to the public instead of the internal one.
    public_title = models.CharField(_("offentlig tittel"), max_length=300, blank=True)
    publish_from = models.DateTimeField(
        _("publiseres fra"), null=True, blank=True, help_text=_("Tom: publiseres når innkallingen er sendt.")
    )
    exempt = models.BooleanField(_("unntatt offentlighet"), default=False)
    legal_basis = models.CharField(
        _("hjemmel"),
        max_length=200,
        blank=True,
        help_text=_("For eksempel «offl. § 13, jf. fvl. § 13 første ledd nr. 1»."),
    )
    # "kommuner saken gjelder": the municipalities the decision concerns, for the register's filter.
    municipalities = models.ManyToManyField(
        "membership.Municipality", blank=True, related_name="+", verbose_name=_("kommuner saken gjelder")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("publisering av sak")
        verbose_name_plural = _("publisering av saker")
        constraints = [
            models.CheckConstraint(condition=Q(exempt=False) | ~Q(legal_basis=""), name="exempt_case_has_legal_basis"),
        ]

    def __str__(self):
        return f"{self.case}"


class MeetingPublication(models.Model):
    """A meeting's documents (summons, minutes) held back from the public until a date."""

    meeting = models.OneToOneField("meetings.Meeting", on_delete=models.CASCADE, related_name="publication")
    publish_from = models.DateTimeField(_("publiseres fra"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("publisering av møte")
        verbose_name_plural = _("publisering av møter")

    def __str__(self):
        return f"{self.meeting}"


class FollowUp(models.Model):
    """Oppfølging of an adopted resolution: who, by when, how far it has come."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Ikke startet")
        IN_PROGRESS = "in_progress", _("Pågår")
        DONE = "done", _("Utført")
        REPORTED = "reported", _("Rapportert tilbake")

    # Statuses with nothing left to do; the rest are open.
    CLOSED_STATUSES = (Status.DONE, Status.REPORTED)

    case = models.ForeignKey("meetings.Case", on_delete=models.PROTECT, related_name="follow_ups")
    responsible = models.CharField(_("ansvarlig"), max_length=200)
    deadline = models.DateField(_("frist"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    notes = models.TextField(_("notater"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("oppfølging")
        verbose_name_plural = _("oppfølginger")

    def __str__(self):
        return f"{self.case.label}: {self.responsible}"

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED_STATUSES


def member_decision_path(instance, filename):
    return f"member-decisions/{instance.case_id}/{instance.municipality_id}/{filename[:120]}"


class MemberDecision(models.Model):
    """A decision a member municipality must make itself (IKS-loven § 4): the request sent and its own answer.

    When the matter is taking part for a period, the request *is* a membership invitation
    (membership.MembershipInvitation): its answer, date and reference are read from there and recorded through
    membership's service, so accepting still creates the membership. Other matters (an amended agreement) keep
    the municipality's decision on this row.
    """

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Ikke behandlet")
        YES = "yes", _("Ja")
        NO = "no", _("Nei")
        OTHER = "other", _("Annet vedtak")

    case = models.ForeignKey("meetings.Case", on_delete=models.PROTECT, related_name="member_decisions")
    municipality = models.ForeignKey("membership.Municipality", on_delete=models.PROTECT, related_name="+")
    invitation = models.OneToOneField(
        "membership.MembershipInvitation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member_decision",
    )
    # The request: the melding om vedtak (one-case extract) the municipality was sent, when it went by khs.
    extract = models.ForeignKey(
        "meetings.DecisionExtract", null=True, blank=True, on_delete=models.PROTECT, related_name="member_decisions"
    )
    requested_on = models.DateField(_("anmodning sendt"))
    decided_on = models.DateField(_("vedtaksdato"), null=True, blank=True)
    their_case_number = models.CharField(_("kommunens saksnummer"), max_length=100, blank=True)
    outcome = models.CharField(_("utfall"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    link = models.URLField(_("lenke til vedtaket"), blank=True)
    file = models.FileField(_("vedtaket som fil"), upload_to=member_decision_path, blank=True)
    note = models.CharField(_("merknad"), max_length=500, blank=True)

    class Meta:
        ordering = ["case", "municipality__number"]
        verbose_name = _("kommunens vedtak")
        verbose_name_plural = _("kommunenes vedtak")
        constraints = [
            models.UniqueConstraint(fields=["case", "municipality"], name="member_decision_once_per_case"),
        ]

    def __str__(self):
        return f"{self.case.label} {self.municipality}"
