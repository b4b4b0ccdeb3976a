"""Admin wiring for certificates: the audit log actions and the certificates area.

A `ModelViewSet` rather than a `SnippetViewSet`, for the reasons given for enrolments in
learners/wagtail_hooks.py: certificates are not content to choose or edit, so the viewset
keeps only the listing (filters, search), the details and two views of its own, revoke and
re-issue. The views are in `certificates/admin_views.py`, the rules in
`certificates/permissions.py`.
"""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from certificates.admin_views import (
    NAMESPACE,
    SEARCH_FIELDS,
    CertificateAdminURLFinder,
    CertificateDetailView,
    CertificateFilterSet,
    CertificateIndexView,
    ReissueView,
    RevokeView,
)
from certificates.models import Certificate
from certificates.permissions import certificate_permission_policy

register_permission_policy(Certificate, certificate_permission_policy)

# Written on the enrolment (see certificates.services), shown in the enrolment's history.
AUDIT_ACTIONS = {
    "jazari.certificate.issued": (_("Certificate issued"), _("Certificate issued")),
    "jazari.certificate.revoked": (_("Certificate revoked"), _("Certificate revoked")),
    "jazari.certificate.reissued": (_("Certificate re-issued"), _("Certificate re-issued")),
}


@hooks.register("register_log_actions")
def register_certificate_actions(actions):
    for action, (label, message) in AUDIT_ACTIONS.items():
        actions.register_action(action, label, message)


class CertificateViewSet(ModelViewSet):
    """`/admin/certificates/`: certificates of the editor's institutes; revoke, re-issue."""

    model = Certificate
    url_prefix = "certificates"
    icon = "doc-full"
    menu_label = _("Certificates")
    menu_order = 260
    add_to_admin_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True

    index_view_class = CertificateIndexView
    inspect_view_class = CertificateDetailView
    filterset_class = CertificateFilterSet
    search_fields = SEARCH_FIELDS
    list_per_page = 50
    url_finder_class = CertificateAdminURLFinder

    def get_common_view_kwargs(self, **kwargs):
        # No add, edit, copy, delete, usage or history views: certificates aren't edited.
        return super().get_common_view_kwargs(
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            usage_url_name=None,
            history_url_name=None,
            **kwargs,
        )

    def action_view(self, view_class):
        return self.construct_view(
            view_class,
            index_url_name=self.get_url_name("index"),
            inspect_url_name=self.get_url_name("inspect"),
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/revoke/", self.action_view(RevokeView), name="revoke"),
            path("<int:pk>/reissue/", self.action_view(ReissueView), name="reissue"),
        ]

    def get_permissions_to_register(self):
        """The groups editor offers "can revoke and re-issue certificates" (viewing them needs
        "view learner profile", registered by the enrolments area)."""
        return Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(Certificate),
            codename="revoke_certificate",
        )


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return CertificateViewSet(NAMESPACE)
