"""`/api/v1/`: the JSON API (api/views.py), its OpenAPI 3 document and its docs page."""

from django.urls import path, re_path, register_converter
from django.urls.converters import IntConverter

from api import docs, views
from api.schema import OpenAPIView
from jazari.ids import MAX_ID


class IdConverter(IntConverter):
    """`<int:…>` bounded to database ids: a longer number is no match, hence a JSON 404."""

    MAX = MAX_ID

    def to_python(self, value):
        number = int(value)
        if number > self.MAX:
            raise ValueError(value)
        return number


register_converter(IdConverter, "api_id")

app_name = "api"
urlpatterns = [
    path("sessions/", views.SessionList.as_view(), name="sessions"),
    path("sessions/<api_id:pk>/enrol/", views.EnrolView.as_view(), name="enrol"),
    path("courses/", views.CourseList.as_view(), name="courses"),
    path("courses/<api_id:pk>/", views.CourseDetail.as_view(), name="course"),
    path("skills/", views.SkillList.as_view(), name="skills"),
    path("institutes/", views.InstituteList.as_view(), name="institutes"),
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("me/enrolments/", views.MyEnrolmentList.as_view(), name="my-enrolments"),
    path(
        "me/enrolments/<api_id:pk>/cancel/",
        views.CancelEnrolmentView.as_view(),
        name="cancel-enrolment",
    ),
    path("checkin/", views.CheckInView.as_view(), name="checkin"),
    path("me/export/", views.PersonalDataView.as_view(), name="my-export"),
    path("certificates/<str:code>/", views.CertificateDetail.as_view(), name="certificate"),
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("openapi.json", OpenAPIView.as_view(), name="openapi"),
    path("docs/", docs.docs, name="docs"),
    # Anything else under /api/v1/ is a JSON 404, not the site's HTML page.
    re_path(r"^(?P<rest>[\s\S]*)$", views.not_found, name="not-found"),
]
