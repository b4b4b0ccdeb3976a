"""The enrolments area's URLs: its namespace, and the links from one of its views to another."""

from urllib.parse import urlencode

from django.contrib.admin.utils import quote
from django.urls import reverse
from wagtail.admin.admin_url_finder import ModelAdminURLFinder

from learners.permissions import enrolment_permission_policy

# URL namespace of the enrolments area (`/admin/enrolments/`), see EnrolmentViewSet.
NAMESPACE = "enrolments"


def url_for(name, *args):
    return reverse(f"{NAMESPACE}:{name}", args=[quote(arg) for arg in args])


class EnrolmentAdminURLFinder(ModelAdminURLFinder):
    """Links to an enrolment (e.g. from the site history) open its details, when visible."""

    edit_url_name = f"{NAMESPACE}:inspect"

    def get_edit_url(self, instance):
        if self.user and not enrolment_permission_policy.user_has_permission_for_instance(
            self.user, "view", instance
        ):
            return None
        return self.construct_edit_url(instance)


class EnrolmentLinksMixin:
    """URLs shared by the enrolment views; names are set by the viewset."""

    inspect_url_name = None
    history_url_name = None
    session_url_name = None
    promote_url_name = None
    messages_url_name = None

    def detail_url(self, enrolment):
        return reverse(self.inspect_url_name, args=(quote(enrolment.pk),))

    def history_url(self, enrolment):
        return reverse(self.history_url_name, args=(quote(enrolment.pk),))

    def session_url(self, session_id):
        return reverse(self.session_url_name, args=(quote(session_id),))

    def messages_url(self, session_id):
        """Write to the session's participants (`learners.admin.messages`)."""
        return reverse(self.messages_url_name, args=(quote(session_id),))

    def promote_url(self, enrolment, next_url=None):
        url = reverse(self.promote_url_name, args=(quote(enrolment.pk),))
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url
