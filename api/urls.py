"""`/api/v1/`: see api/views.py."""

app_name = "api"
urlpatterns = []
