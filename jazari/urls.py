from pathlib import Path

from allauth.account import views as account_views
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import include, path, re_path, reverse
from django.utils.encoding import escape_uri_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from courses.admin_views import ChoosablePagesBrowseView
from jazari import health
from search import views as search_views

# Wagtail's images: the only files of the media folder with public URLs.
PUBLIC_MEDIA_FOLDERS = ("original_images", "images")

# A database out of reach answers 503 with Retry-After, anything else the 500 page.
handler500 = "jazari.middleware.server_error"


def redirect_default_language(request, rest):
    """French is served without a prefix; `/fr/…` is accepted and sends you there.

    The target is always a path on this site: `rest` is percent-encoded (a backslash, tab or
    newline that browsers would drop or read as `/` becomes `%5C`, `%09`…) and its leading
    slashes are dropped, so `/fr//evil.example` goes to `/evil.example`, never to the host
    `//evil.example`.
    """
    target = "/" + escape_uri_path(rest).lstrip("/")
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(target + (f"?{query}" if query else ""))


def log_in_with_allauth(request):
    """Wagtail's own log-in forms are replaced by allauth's, with `next` kept: staff and
    learners log in at one place, under the same rate limits and two-factor step."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(reverse("account_login") + (f"?{query}" if query else ""))


urlpatterns = [
    path("admin/login/", log_in_with_allauth, name="admin_login_redirect"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # The page chooser browsing from a page the user may not choose: 404 (courses.admin_views).
    path(
        "admin/choose-page/<int:parent_page_id>/",
        require_admin_access(ChoosablePagesBrowseView.as_view()),
        name="choose_page_child_scoped",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("materials/", include("materials.urls")),
    path("api/v1/", include("api.urls")),
    # The network's DID document and credential status lists: data, without a language prefix.
    path("", include("certificates.network_urls")),
    re_path(rf"^{settings.LANGUAGE_CODE}/(?P<rest>.*)$", redirect_default_language),
]


def debug_media_patterns():
    """With DEBUG, the media folder's images (public files); documents and certificates are
    handed over by their own views, under their rules, never from the folder."""
    return [
        pattern
        for folder in PUBLIC_MEDIA_FOLDERS
        for pattern in static(
            f"{settings.MEDIA_URL}{folder}/", document_root=Path(settings.MEDIA_ROOT) / folder
        )
    ]


if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += debug_media_patterns()

urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    # The password reset link of the emails, shorter than allauth's `password/reset/key/…` so
    # that it fits on one line (jazari.accounts); allauth's view, which serves both.
    re_path(
        r"^accounts/reset/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        account_views.password_reset_from_key,
        name="account_reset_password_link",
    ),
    path("accounts/", include("allauth.urls")),
    path("", include("learners.urls")),
    path("", include("certificates.urls")),
    path("", include("feedback.urls")),
    path("", include("reports.urls")),
    path("_util/login/", log_in_with_allauth, name="frontend_login_redirect"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
