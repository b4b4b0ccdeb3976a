"""Admin wiring of the project package: the users' bulk actions ask for a recent log-in, and
Celery beat's scheduled tasks are edited under Settings (`jazari.admin_schedules`).

Assigning a role to many users, deactivating or deleting them changes who holds which role,
like the user and group forms (see jazari/admin_users.py).
"""

from django.contrib.auth import get_user_model
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from jazari.admin_schedules import POLICIES, VIEWSETS
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
