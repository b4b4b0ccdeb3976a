"""Learner pages: dashboard, profile, calendar (see learners/views.py)."""

app_name = "learners"
urlpatterns = []
