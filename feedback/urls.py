"""The feedback form, inside `i18n_patterns` (`/feedback/<token>/`, `/ar/feedback/<token>/`)."""

from django.urls import path

from feedback import views

app_name = "feedback"
urlpatterns = [path("feedback/<str:token>/", views.answer, name="form")]
