from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponsePermanentRedirect
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from jazari import health
from search import views as search_views

# A database out of reach answers 503 with Retry-After, anything else the 500 page.
handler500 = "jazari.middleware.server_error"


def redirect_default_language(request, rest):
    """French is served without a prefix; `/fr/…` is accepted and sends you there."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"/{rest}" + (f"?{query}" if query else ""))


urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("materials/", include("materials.urls")),
    path("api/v1/", include("api.urls")),
    re_path(rf"^{settings.LANGUAGE_CODE}/(?P<rest>.*)$", redirect_default_language),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    path("accounts/", include("allauth.urls")),
    path("", include("learners.urls")),
    path("", include("certificates.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
