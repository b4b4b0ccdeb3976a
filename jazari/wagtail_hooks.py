"""Admin wiring of the project package: the users' bulk actions ask for a recent log-in, and
Celery beat's scheduled tasks are edited under Settings (`jazari.admin_schedules`). A page's
translation is private where its original is.

Assigning a role to many users, deactivating or deleting them changes who holds which role,
like the user and group forms (see jazari/admin_users.py).
"""

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.wagtail_hooks import check_view_restrictions

from jazari.admin_schedules import POLICIES, VIEWSETS
from jazari.i18n import is_original, original
from jazari.staff import require_recent_authentication


@hooks.register("before_bulk_action")
def users_bulk_actions_need_a_recent_log_in(request, action_type, objects, action_class_instance):
    if get_user_model() in action_class_instance.models:
        require_recent_authentication(request)


for model, policy in POLICIES.items():
    register_permission_policy(model, policy)


@hooks.register("register_admin_viewset")
def register_scheduled_tasks():
    """Settings → Scheduled tasks: Celery beat's periodic tasks, for administrators."""
    return [viewset() for viewset in VIEWSETS]


@hooks.register("on_serve_page")
def translations_are_private_where_their_original_is(callback):
    """A view restriction on a course (or a page above it) guards its translations too, at once:
    wagtail-localize copies restrictions to a translation only when it is next synchronised."""
    passed = HttpResponse()

    def inner(page, request, serve_args, serve_kwargs):
        source = None if is_original(page) else original(page)
        if source is None or source.pk == page.pk:
            return callback(page, request, serve_args, serve_kwargs)
        guard = check_view_restrictions(lambda *args: passed)
        refused = guard(source, request, serve_args, serve_kwargs)
        if refused is not passed:
            return refused
        response = callback(page, request, serve_args, serve_kwargs)
        if source.get_view_restrictions():
            add_never_cache_headers(response)
        return response

    return inner
