"""wagtail-localize's "Translate" and "Sync translated pages" views, for the pages the editor
may edit only.

wagtail-localize lets anyone with its `submit_translation` permission translate any page or
sync any page's translations. Institute editors have that permission so that they translate
their own courses (`institutes.groups`); these views add the page's own permissions: a page is
translated, or its translations synced, by those who can edit it. Registered in
`wagtail_hooks` at wagtail-localize's own URLs, ahead of its views.
"""

from django.core.exceptions import PermissionDenied
from wagtail.models import Page
from wagtail_localize.views.submit_translations import SubmitPageTranslationView
from wagtail_localize.views.update_translations import UpdateTranslationsView


def check_can_edit(user, instance):
    """Refuse (403) a user who may not edit `instance`, a page; snippets keep their model
    permissions."""
    if isinstance(instance, Page) and not instance.permissions_for_user(user).can_edit():
        raise PermissionDenied


class SubmitOwnPageTranslationView(SubmitPageTranslationView):
    def get_object(self):
        page = super().get_object()
        check_can_edit(self.request.user, page)
        return page


class UpdateOwnTranslationsView(UpdateTranslationsView):
    def get_object(self):
        source = super().get_object()
        check_can_edit(self.request.user, source.get_source_instance())
        return source
