"""`/materials/<id>/download/`: outside the language prefixes, a link that never changes."""

from django.urls import path

from materials import views

app_name = "materials"
urlpatterns = [
    path("<int:material_id>/download/", views.download, name="download"),
]
