"""The document upload form (`WAGTAILDOCS_DOCUMENT_FORM_BASE`).

Every way into the document library goes through `JazariDocumentForm`: the "add a document"
page, the multiple uploader (which validates each file with the same form) and the chooser's
upload tab. It refuses, with a message an editor can act on, a file whose extension is not
allowed, one larger than `MATERIAL_MAX_UPLOAD_SIZE`, one whose content is not what its
extension claims, and any upload while the file store is unreachable, so nothing is saved
half-way (a database row without its object). It also refuses a collection the user may not
add documents to, with the collections they may use: Wagtail offers only those, but hides the
choice when there is one and would then quietly ignore another collection sent by hand.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

from jazari.health import check_storage
from jazari.storage import is_storage_unavailable
from materials.validation import ContentMismatch, check_content, extension_of

STORAGE_UNREACHABLE = _(
    "The file store is unreachable; nothing was saved. Try again in a few minutes."
)

COLLECTION_REFUSED = _(
    "You may not add documents to this collection. Choose one of yours: %(collections)s."
)


def allowed_extensions():
    return [extension.lower() for extension in settings.WAGTAILDOCS_EXTENSIONS]


def check_upload(upload):
    """Raise `ValidationError` unless the uploaded file may become a document."""
    extension = extension_of(upload.name)
    if extension not in allowed_extensions():
        raise ValidationError(
            _("Files of type “.%(extension)s” are not accepted. Accepted types: %(allowed)s.")
            % {
                "extension": extension or "?",
                "allowed": ", ".join(f".{ext}" for ext in allowed_extensions()),
            },
            code="extension",
        )
    limit = settings.MATERIAL_MAX_UPLOAD_SIZE
    if upload.size > limit:
        raise ValidationError(
            _("This file is too large (%(size)s): the largest file accepted is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    try:
        check_content(upload, upload.name)
    except ContentMismatch as mismatch:
        raise ValidationError(mismatch.message, code="content") from None


def storage_is_reachable():
    """Whether the default storage answers now (a HEAD on the bucket, or a writable folder)."""
    try:
        check_storage()
    except Exception as exc:
        if is_storage_unavailable(exc) or isinstance(exc, OSError):
            return False
        raise
    return True


class JazariDocumentForm(BaseDocumentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "collection" in self.fields:
            self.fields["collection"].error_messages["invalid_choice"] = self.collection_refused

    @property
    def collection_refused(self):
        names = ", ".join(f"“{collection.name}”" for collection in self.collections)
        return COLLECTION_REFUSED % {"collections": names}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            check_upload(upload)
        return upload

    def clean(self):
        cleaned_data = super().clean()
        posted = self.data.get(self.add_prefix("collection"))
        allowed = {str(collection.pk) for collection in self.collections}
        if "collection" not in self.fields and posted and posted not in allowed:
            # Wagtail hides a single choice: say so on the file, which the multiple uploader
            # shows (its later edit form has no file: then for the whole form).
            field = "file" if "file" in self.fields else None
            self.add_error(field, ValidationError(self.collection_refused, code="collection"))
        if "file" in self.changed_data and not self.errors and not storage_is_reachable():
            # On the file field: the multiple uploader reports only the file's errors.
            self.add_error("file", ValidationError(STORAGE_UNREACHABLE, code="storage"))
        return cleaned_data
