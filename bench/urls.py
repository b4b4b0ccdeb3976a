"""The site's URLs plus two reference points measured in the same run as the catalogue."""

from django.urls import path

from bench import views
from jazari.urls import handler500  # noqa: F401 - the site's, looked up on this module
from jazari.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("bench/trivial/", views.trivial, name="bench-trivial"),
    path("bench/plain-listing/", views.plain_listing, name="bench-plain-listing"),
    *site_urlpatterns,
]
