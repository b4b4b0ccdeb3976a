"""The certificates area of the Wagtail admin: find a certificate, see it, revoke or re-issue it.

Read-only otherwise: what was certified is never edited (re-issuing makes a new certificate
from the data of the day). The listing and details start from
`visible_certificates(request.user)`, so an editor of one institute never reaches another's
certificates (404) while a programme manager reads them all; the two actions are POST views
that need the "revoke" permission (403 without it: programme managers have none), a
certificate the user may act on (`manageable_certificates`, 404 otherwise) and a recent log-in.
The viewset that wires these views is in `wagtail_hooks.py`.
"""

import django_filters
from django import forms
from django.contrib.admin.utils import quote
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button

from certificates import links, services
from certificates.models import Certificate, CertificateKind
from certificates.pdf import meeting_lines, skill_lines
from certificates.permissions import (
    certificate_permission_policy,
    manageable_certificates,
    visible_certificates,
)
from enrolments.permissions import with_may_act
from institutes.permissions import visible_institutes
from jazari.errors import DomainError
from jazari.staff import RecentAuthenticationRequiredMixin
from jazari.time import format_casablanca

# URL namespace of the area (`/admin/certificates/`), see CertificateViewSet.
NAMESPACE = "certificates_admin"
# Searched with icontains: a code read over the phone, a learner's name, a course.
SEARCH_FIELDS = ["code", "holder_name", "course_title"]


def url_for(name, *args):
    return reverse(f"{NAMESPACE}:{name}", args=[quote(arg) for arg in args])


def status_label(certificate):
    return _("Revoked") if certificate.is_revoked else _("Valid")


class CertificateFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CertificateKind.choices)
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("valid", _("Valid")), ("revoked", _("Revoked"))],
        method="filter_status",
    )
    institute = django_filters.ModelChoiceFilter(
        label=_("Institute"),
        queryset=lambda request: visible_institutes(request.user).order_by("title"),
        method="filter_institute",
    )

    class Meta:
        model = Certificate
        fields = []

    def filter_status(self, queryset, name, value):
        if value == "valid":
            return queryset.filter(revoked_at__isnull=True)
        if value == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset

    def filter_institute(self, queryset, name, value):
        """The institute hosts the session or organises its course."""
        if not value:
            return queryset
        return queryset.filter(
            Q(enrolment__session__institute=value) | Q(enrolment__session__course__institute=value)
        )


class CertificateAdminURLFinder(ModelAdminURLFinder):
    edit_url_name = f"{NAMESPACE}:inspect"

    def get_edit_url(self, instance):
        if self.user and not certificate_permission_policy.user_has_permission_for_instance(
            self.user, "view", instance
        ):
            return None
        return self.construct_edit_url(instance)


def action_menu(user, certificate, *, item_class):
    """Revoke and re-issue, for those allowed to; `item_class` is MenuItem or Button.

    `certificate` comes with `may_act` (`enrolments.permissions.with_may_act`)."""
    if not certificate.may_act:
        return []
    if not certificate_permission_policy.user_has_permission(user, "revoke"):
        return []
    items = []
    if certificate.is_valid:
        items.append(
            item_class(_("Revoke"), url=url_for("revoke", certificate.pk), icon_name="cross")
        )
    if certificate.replaced_by_id is None:
        items.append(
            item_class(_("Re-issue"), url=url_for("reissue", certificate.pk), icon_name="rotate")
        )
    return items


class CertificateIndexView(IndexView):
    """The listing, latest first: search by code or name, filter by status or institute."""

    any_permission_required = ["view"]
    default_ordering = "-issued_at"

    def get_base_queryset(self):
        return with_may_act(
            visible_certificates(self.request.user), self.request.user, "enrolment__session__"
        )

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column(
                "code",
                label=_("Verification code"),
                sort_key="code",
                get_url=lambda certificate: url_for("inspect", certificate.pk),
            ),
            Column("holder_name", label=_("Learner"), sort_key="holder_name"),
            Column("course_title", label=_("Course"), sort_key="course_title"),
            Column("kind", label=_("Kind"), accessor="get_kind_display", sort_key="kind"),
            Column("institute_name", label=_("Institute"), sort_key="institute_name"),
            DateColumn("issued_at", label=_("Issued at"), sort_key="issued_at"),
            StatusTagColumn(
                "status",
                label=_("Status"),
                accessor=status_label,
                primary=lambda certificate: certificate.is_valid,
            ),
        ]

    def get_list_more_buttons(self, instance):
        return [
            MenuItem(
                _("Verification page"),
                url=links.verification_url(instance, request=self.request),
                icon_name="link-external",
            ),
            *action_menu(self.request.user, instance, item_class=MenuItem),
        ]


class CertificateDetailView(InspectView):
    """One certificate as issued, its status, and what became of it."""

    any_permission_required = ["view"]
    labels = {
        "code": _("Verification code"),
        "kind": _("Kind"),
        "status": _("Status"),
        "holder_name": _("Learner"),
        "course_title": _("Course"),
        "institute_name": _("Organising institute"),
        "dates": _("Dates"),
        "hours": _("Hours"),
        "meetings": _("Meetings attended"),
        "signatory": _("Signed by"),
        "skills": _("Skills"),
        "language": _("Language"),
        "issued_at": _("Issued at"),
        "revoked_at": _("Revoked at"),
        "revoked_reason": _("Reason for revoking"),
        "revoked_by": _("Revoked by"),
        "replaced_by": _("Replaced by"),
        "verification_url": _("Verification page"),
    }

    def get_fields(self):
        return list(self.labels)

    def get_object(self, queryset=None):
        queryset = visible_certificates(self.request.user).select_related(
            "replaced_by", "revoked_by"
        )
        queryset = with_may_act(queryset, self.request.user, "enrolment__session__")
        return get_object_or_404(queryset, pk=self.pk)

    def get_page_subtitle(self):
        return self.object.code

    def get_field_label(self, field_name, field):
        return self.labels[field_name]

    def get_field_display_value(self, field_name, field):
        certificate = self.object
        values = {
            "kind": certificate.get_kind_display(),
            "status": status_label(certificate),
            "hours": certificate.duration_label,
            "meetings": ", ".join(
                f"{format_casablanca(m['starts_at'])}–{m['ends_at']:%H:%M}"
                for m in meeting_lines(certificate)
            ),
            "signatory": ", ".join(
                part for part in (certificate.signatory_name, certificate.signatory_role) if part
            ),
            "dates": f"{certificate.starts_on:%Y-%m-%d} – {certificate.ends_on:%Y-%m-%d}",
            "skills": ", ".join(
                f"{skill['name']} ({skill['level_label']})" for skill in skill_lines(certificate)
            ),
            "issued_at": format_casablanca(certificate.issued_at),
            "revoked_at": format_casablanca(certificate.revoked_at),
            "revoked_by": str(certificate.revoked_by or ""),
            "replaced_by": certificate.replaced_by.code if certificate.replaced_by_id else "",
            "verification_url": links.verification_url(certificate, request=self.request),
        }
        value = values[field_name] if field_name in values else getattr(certificate, field_name)
        return "—" if value in (None, "") else value

    @cached_property
    def header_more_buttons(self):
        return [
            Button(
                _("Verification page"),
                url=links.verification_url(self.object, request=self.request),
                icon_name="link-external",
            ),
            *action_menu(self.request.user, self.object, item_class=Button),
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("Shown on the public verification page."),
    )


class CertificateActionView(
    PermissionCheckedMixin, RecentAuthenticationRequiredMixin, WagtailAdminTemplateMixin, FormView
):
    """Revoke or re-issue one certificate: GET asks, POST does (through the services).

    Only for those allowed to, and after a recent log-in (`jazari.staff`)."""

    model = Certificate
    permission_required = "revoke"
    template_name = "certificates/admin/confirm.html"
    index_url_name = None
    inspect_url_name = None
    danger = False

    @cached_property
    def permission_policy(self):
        return certificate_permission_policy

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(
            manageable_certificates(request.user).select_related("replaced_by"), pk=kwargs["pk"]
        )

    def get_page_subtitle(self):
        return f"{self.object.code} · {self.object.holder_name}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Certificates")},
            {
                "url": reverse(self.inspect_url_name, args=[quote(self.object.pk)]),
                "label": self.object.code,
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "certificate": self.object,
                "cancel_url": reverse(self.inspect_url_name, args=[quote(self.object.pk)]),
                "question": self.question(),
                "submit_label": self.submit_label,
                "danger": self.danger,
            }
        )
        return context

    def form_valid(self, form):
        try:
            certificate = self.act(form)
        except DomainError as error:  # a rule refused, or the enrolment is busy
            messages.error(self.request, error.message)
            return redirect(self.inspect_url_name, quote(self.object.pk))
        return redirect(self.inspect_url_name, quote(certificate.pk))


class RevokeView(CertificateActionView):
    form_class = ReasonForm
    page_title = _("Revoke the certificate")
    header_icon = "cross"
    submit_label = _("Yes, revoke")
    danger = True

    def question(self):
        return _(
            "Revoke certificate %(code)s of %(learner)s for %(course)s? The verification page "
            "will say it is no longer valid, with the reason below; the learner keeps their PDF."
        ) % {
            "code": self.object.code,
            "learner": self.object.holder_name,
            "course": self.object.course_title,
        }

    def act(self, form):
        certificate = services.revoke(
            self.object, actor=self.request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            self.request, _("Certificate %(code)s revoked.") % {"code": certificate.code}
        )
        return certificate


class ReissueView(CertificateActionView):
    form_class = forms.Form
    page_title = _("Re-issue the certificate")
    header_icon = "rotate"
    submit_label = _("Yes, re-issue")

    def question(self):
        return _(
            "Issue a new certificate to %(learner)s for %(course)s, with a new code and "
            "today's name and course details? Certificate %(code)s will be revoked and point "
            "to the new one."
        ) % {
            "code": self.object.code,
            "learner": self.object.holder_name,
            "course": self.object.course_title,
        }

    def act(self, form):
        certificate = services.reissue(self.object, actor=self.request.user)
        messages.success(
            self.request,
            _("Certificate %(code)s issued in place of %(old)s.")
            % {"code": certificate.code, "old": self.object.code},
        )
        return certificate
