"""Pages the database would refuse to delete get a message in the admin instead of a 500.

An app whose rows protect pages (sessions with enrolments protect their course, courses and
sessions their institute) calls `refuse_page_deletion(reason)` from its `wagtail_hooks`, where
`reason(pages)` says in a sentence why these pages, or pages below them, can't be deleted, or
returns None. The admin's delete view and its bulk deletion then answer with that message and
delete nothing.
"""

from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.models import Page


def pages_under(pages) -> Q:
    """The condition "is one of `pages` or below one of them", on a page model's `path`."""
    under = Q(pk__in=[])
    for page in pages:
        under |= Q(path__startswith=page.path)
    return under


def refuse_page_deletion(reason):
    """Register `reason` with the admin's page deletion, single and in bulk."""

    def refuse(request, pages, next_url):
        message = reason(pages)
        if message is None:
            return None
        messages.error(request, message)
        return redirect(next_url)

    def before_delete_page(request, page):
        return refuse(request, [page], reverse("wagtailadmin_pages:edit", args=[page.pk]))

    def before_bulk_action(request, action_type, objects, action):
        if action_type == "delete" and objects and isinstance(objects[0], Page):
            return refuse(request, objects, action.next_url)
        return None

    hooks.register("before_delete_page", before_delete_page)
    hooks.register("before_bulk_action", before_bulk_action)
    return reason
