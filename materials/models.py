"""Course material: files kept in object storage, attached to a course or one of its sessions.

`JazariDocument` is the site's Wagtail document model (`WAGTAILDOCS_DOCUMENT_MODEL`): Wagtail's
own, plus what the after-upload task records. `Material` attaches a document to a course
page (an inline of the page, so it is published with it), optionally to one session, with
who may download it; the document must come from the collection of the course's organising
institute (or one below it), so an editor can't republish another institute's file under
their own rules. `InstituteCollection` remembers which Wagtail collection holds an
institute's documents, so renaming the institute renames its collection.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.documents.models import AbstractDocument
from wagtail.documents.models import Document as WagtailDocument
from wagtail.models import Collection, Orderable


class JazariDocument(AbstractDocument):
    """A file in object storage; size, SHA-256 and page count are filled in after upload."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True, editable=False)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True, editable=False)

    admin_form_fields = WagtailDocument.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def clean(self):
        """Wagtail's extension check, only when the document has a file to check.

        When the upload form refuses a file (`materials.forms.check_upload`, with the reason),
        the file never reaches the instance, and Wagtail's check of an empty name would add
        "File extension “” is not allowed" to the real reason.
        """
        if self.file:
            super().clean()


class Visibility(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    ENROLLED = "enrolled", _("Enrolled learners")
    ATTENDED = "attended", _("Learners who attended")


class Material(Orderable):
    """A document offered on a course page, to everyone, enrolled learners or attendees."""

    course = ParentalKey("courses.CoursePage", on_delete=models.CASCADE, related_name="materials")
    session = models.ForeignKey(
        "courses.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="materials",
        help_text=_("Leave empty for material of the whole course."),
    )
    document = models.ForeignKey(
        settings.WAGTAILDOCS_DOCUMENT_MODEL,
        verbose_name=_("file"),
        on_delete=models.PROTECT,
        related_name="materials",
    )
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Defaults to the file's title.")
    )
    visibility = models.CharField(
        _("who may download"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.ENROLLED,
    )

    panels = [
        FieldPanel("document"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("session"), FieldPanel("visibility")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("material")
        verbose_name_plural = _("material")

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        return self.title or self.document.title

    def clean(self):
        super().clean()
        errors = {}
        if self.session_id and self.course_id and self.session.course_id != self.course_id:
            errors["session"] = _("Choose one of this course's own sessions, or none.")
        try:
            institute_id = self.course.institute_id
        except ObjectDoesNotExist:
            institute_id = None
        if self.document_id and institute_id:
            home = (
                InstituteCollection.objects.select_related("collection")
                .filter(institute_id=institute_id)
                .first()
            )
            if not self.document_is_from(home):
                errors["document"] = _(
                    "This file is not in the collection of the institute organising the course. "
                    "Choose a file from “%(collection)s”, or upload it there."
                ) % {"collection": home or _("the institute's collection")}
        if errors:
            raise ValidationError(errors)

    def document_is_from(self, home):
        """Whether the document is in the institute collection `home`, or in one below it.

        A course's material must come from the collection of its organising institute: an
        editor may attach only files their institute controls, never another institute's file
        under rules of their choosing.
        """
        if home is None:
            return False
        collection = Collection.objects.filter(pk=self.document.collection_id).first()
        return collection is not None and collection.path.startswith(home.collection.path)


class InstituteCollection(models.Model):
    """The Wagtail collection holding an institute's documents (see `materials.collections`)."""

    institute = models.OneToOneField(
        "institutes.InstitutePage",
        verbose_name=_("institute"),
        on_delete=models.CASCADE,
        related_name="document_collection",
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("collection"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("institute collection")
        verbose_name_plural = _("institute collections")

    def __str__(self):
        return str(self.collection)
