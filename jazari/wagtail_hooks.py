"""Admin wiring of the project package: the users' bulk actions ask for a recent log-in.

Assigning a role to many users, deactivating or deleting them changes who holds which role,
like the user and group forms (see jazari/admin_users.py).
"""

from django.contrib.auth import get_user_model
from wagtail import hooks

from jazari.staff import require_recent_authentication


@hooks.register("before_bulk_action")
def users_bulk_actions_need_a_recent_log_in(request, action_type, objects, action_class_instance):
    if get_user_model() in action_class_instance.models:
        require_recent_authentication(request)
