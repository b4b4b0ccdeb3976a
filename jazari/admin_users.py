"""Wagtail's users and groups areas, where administrators change who holds which role.

The same viewsets as Wagtail's, whose add, edit and delete views (and the users' bulk actions,
see jazari/wagtail_hooks.py) first ask for a recent log-in (`jazari.staff`): a session left
open cannot hand out the administrator's role. Wired by
`jazari.wagtail_users.WagtailUsersConfig`.
"""

from wagtail.users.views import groups, users

from jazari.staff import require_recent_authentication


class RoleChangeMixin:
    """A recent log-in first, for those Wagtail lets in (the others are refused as before)."""

    def dispatch(self, request, *args, **kwargs):
        if self.permission_required is None or self.user_has_permission(self.permission_required):
            require_recent_authentication(request)
        return super().dispatch(request, *args, **kwargs)


class UserCreateView(RoleChangeMixin, users.CreateView):
    pass


class UserEditView(RoleChangeMixin, users.EditView):
    pass


class UserDeleteView(RoleChangeMixin, users.DeleteView):
    pass


class UserViewSet(users.UserViewSet):
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    delete_view_class = UserDeleteView


class GroupCreateView(RoleChangeMixin, groups.CreateView):
    pass


class GroupEditView(RoleChangeMixin, groups.EditView):
    pass


class GroupDeleteView(RoleChangeMixin, groups.DeleteView):
    pass


class GroupViewSet(groups.GroupViewSet):
    add_view_class = GroupCreateView
    edit_view_class = GroupEditView
    delete_view_class = GroupDeleteView
