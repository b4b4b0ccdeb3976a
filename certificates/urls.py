"""Public certificate URLs, inside `i18n_patterns` (`/certificates/…`, `/ar/certificates/…`)."""

from django.urls import path

from certificates import views

app_name = "certificates"
urlpatterns = [
    path("certificates/<str:code>/", views.verify, name="verify"),
    path("certificates/<str:code>/pdf/", views.download_pdf, name="pdf"),
    path("certificates/<str:code>/badge.json", views.open_badge, name="badge"),
    path("certificates/<str:code>/credential.jwt", views.signed_credential, name="credential"),
    path("certificates/<str:code>/revocations.json", views.revocation_list, name="revocations"),
]
