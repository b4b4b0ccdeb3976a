"""Wagtail's users and groups areas, where administrators change who holds which role.

The same viewsets as Wagtail's, whose add, edit and delete views (and the users' bulk actions,
see jazari/wagtail_hooks.py) first ask for a recent log-in (`jazari.staff`): a session left
open cannot hand out the administrator's role. Wired by
`jazari.wagtail_users.WagtailUsersConfig`.
"""

from wagtail.users.views import groups, users

from jazari.staff import RecentAuthenticationRequiredMixin


class UserCreateView(RecentAuthenticationRequiredMixin, users.CreateView):
    pass


class UserEditView(RecentAuthenticationRequiredMixin, users.EditView):
    pass


class UserDeleteView(RecentAuthenticationRequiredMixin, users.DeleteView):
    pass


class UserViewSet(users.UserViewSet):
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    delete_view_class = UserDeleteView


class GroupCreateView(RecentAuthenticationRequiredMixin, groups.CreateView):
    pass


class GroupEditView(RecentAuthenticationRequiredMixin, groups.EditView):
    pass


class GroupDeleteView(RecentAuthenticationRequiredMixin, groups.DeleteView):
    pass


class GroupViewSet(groups.GroupViewSet):
    add_view_class = GroupCreateView
    edit_view_class = GroupEditView
    delete_view_class = GroupDeleteView
