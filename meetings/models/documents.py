"""Rendered versions of the meeting documents: the PDF bytes kept for one hash of what went into them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def rendered_document_path(instance, filename):
    return f"rendered/{instance.kind}/{instance.object_id}/{instance.content_sha256[:16]}-{filename}"


class RenderedDocument(models.Model):
    """One version of a document (summons, case document, minutes, extract) as rendered, stored in MEDIA.

    content_sha256 is the hash of everything the PDF is made from (the document's HTML, its language and
    the render version, meetings.documents.store), so a version is rendered once and the preview, the mails
    and a member's download all serve the same bytes. A cache: approved minutes and sent dispatches keep
    their own copy of what was approved or sent.
    """

    class Kind(models.TextChoices):
        SUMMONS = "summons", _("Innkalling")
        SUMMONS_HEAD = "summons_head", _("Innkalling: forside og dagsorden")
        SUMMONS_CASE = "summons_case", _("Innkalling: én sak")
        PAGE_FRAME = "page_frame", _("Sidetall og topptekst")
        SUPPLEMENTARY = "supplementary", _("Tilleggsinnkalling")
        CASE_DOCUMENT = "case_document", _("Saksframlegg")
        MINUTES = "minutes", _("Protokoll")
        EXTRACT = "extract", _("Særutskrift")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    # The meeting (summons, head, frame, supplementary), case (case document, one case of a summons),
    # minutes or minutes item (extract) the document is of.
    object_id = models.PositiveBigIntegerField()
    content_sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=rendered_document_path, max_length=300)
    size = models.PositiveIntegerField()
    pages = models.PositiveIntegerField()
    rendered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "content_sha256"], name="rendered_document_once_per_version"
            )
        ]
        indexes = [models.Index(fields=["kind", "object_id", "rendered_at"], name="rendered_document_latest")]
        verbose_name = _("lagret dokument")
        verbose_name_plural = _("lagrede dokumenter")

    def __str__(self):
        return f"{self.kind} {self.object_id} {self.content_sha256[:12]}"
