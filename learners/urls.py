"""Learner pages: enrolment actions, dashboard, profile, calendar files, privacy notice,
accessibility statement.

Included inside `i18n_patterns`, so every page also answers under `/ar/…` and `/en/…`.
"""

from django.urls import path
from django.views.generic import TemplateView

from learners import account_views, attendance_sheets, views

app_name = "learners"
urlpatterns = [
    path("sessions/<int:session_id>/enrol/", views.enrol_in_session, name="enrol"),
    path(
        "sessions/<int:session_id>/calendar.ics",
        views.session_calendar,
        name="session_calendar",
    ),
    path("enrolments/<int:enrolment_id>/cancel/", views.cancel_enrolment, name="cancel"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/profile/", views.edit_profile, name="profile"),
    path("dashboard/export/", account_views.export_data, name="export"),
    path("dashboard/delete/", account_views.delete_account, name="delete_account"),
    path("dashboard/calendar/renew/", views.renew_calendar_link, name="renew_calendar"),
    path(
        "dashboard/teaching/sessions/<int:session_id>/",
        views.teaching_session,
        name="teaching_session",
    ),
    path(
        "dashboard/teaching/sessions/<int:session_id>/meetings/<int:meeting_id>/sign-in-sheet.pdf",
        attendance_sheets.sign_in_sheet,
        name="sign_in_sheet",
    ),
    path(
        "dashboard/teaching/sessions/<int:session_id>/check-in/",
        views.teaching_checkin,
        name="teaching_checkin",
    ),
    path(
        "dashboard/teaching/sessions/<int:session_id>/attendance/",
        views.teaching_attendance,
        name="teaching_attendance",
    ),
    path("calendar/<slug:token>.ics", views.calendar_feed, name="calendar_feed"),
    path(
        "account/delete/<str:token>/",
        account_views.confirm_deletion,
        name="delete_confirm",
    ),
    path(
        "account/deleted/",
        TemplateView.as_view(template_name="learners/delete_account_done.html"),
        name="account_deleted",
    ),
    path("privacy/", account_views.privacy_notice, name="privacy"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
]
