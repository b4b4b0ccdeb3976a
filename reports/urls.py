"""Public pages of the programme's figures."""

from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [path("figures/", views.public_figures, name="figures")]
