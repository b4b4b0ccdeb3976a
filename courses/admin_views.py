"""The admin's page chooser, browsing from a page: one the user may not choose answers 404.

Wagtail's `construct_page_chooser_queryset` hook narrows the pages listed, not the page the
chooser browses from, whose title it shows: `/admin/choose-page/<id>/` of another institute's
draft would name it. `jazari.urls` routes that path here, before Wagtail's admin.
"""

from django.http import Http404
from wagtail.admin.views.chooser import BrowseView
from wagtail.models import Page

from courses.permissions import choosable_pages


class ChoosablePagesBrowseView(BrowseView):
    def get(self, request, parent_page_id=None):
        if parent_page_id is not None:
            parent = Page.objects.filter(pk=parent_page_id)
            if not choosable_pages(parent, request.user).exists():
                raise Http404
        return super().get(request, parent_page_id)
