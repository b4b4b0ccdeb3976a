"""How a page looks when shared: Open Graph and Twitter card tags, the canonical link, share links.

Course, institute and learning path pages describe themselves to the sites and apps their
address is pasted into (`social_meta`): title, description, the page's absolute URL in the
active language (also its canonical link), an image (the page's own, cut to 1200×630, else the
site's default image) and the locale. `share_links` makes the plain links of "Share this page"
(email, LinkedIn, WhatsApp, Facebook): ordinary links that work without JavaScript and ask no
third party anything until the visitor follows one.
"""

import logging
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jazari.addresses import absolute_url, page_url

logger = logging.getLogger(__name__)

# og:locale of each language of the site: Morocco's French and Arabic; English as such.
OG_LOCALES = {"fr": "fr_MA", "ar": "ar_MA", "en": "en"}
# The rendition shared pages' images are cut to: the size Open Graph and Twitter cards prefer.
IMAGE_FILTER = "fill-1200x630"
DEFAULT_IMAGE = "img/share-default.png"
DEFAULT_IMAGE_SIZE = (1200, 630)


@dataclass
class SocialMeta:
    """What `includes/social_meta.html` writes in the page's <head>."""

    title: str
    description: str
    url: str
    image: str
    image_width: int
    image_height: int
    image_alt: str
    locale: str
    alternate_locales: list[str] = field(default_factory=list)
    site_name: str = ""
    card: str = "summary_large_image"


def og_locale(language: str | None = None) -> str:
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return OG_LOCALES.get(language, language)


def _image(image, request):
    """(absolute URL, width, height, alt) of the page's image cut for sharing, or None."""
    if image is None:
        return None
    try:
        rendition = image.get_rendition(IMAGE_FILTER)
    except Exception:  # a missing or unreadable file: share the default image instead
        logger.warning("no share image for image %s", image.pk, exc_info=True)
        return None
    return absolute_url(rendition.url, request), rendition.width, rendition.height, image.title


def social_meta(page, request=None, *, description="", image=None) -> SocialMeta | None:
    """The page's Open Graph and Twitter card data, or None when it has no URL to share."""
    url = page_url(page, request)
    if url is None:
        return None
    current = og_locale()
    shared = _image(image, request)
    if shared is None:
        width, height = DEFAULT_IMAGE_SIZE
        shared = (absolute_url(static(DEFAULT_IMAGE), request), width, height, _("Jazari Skills"))
    image_url, width, height, alt = shared
    return SocialMeta(
        title=getattr(page, "seo_title", "") or page.title,
        description=(
            getattr(page, "search_description", "")
            or description
            or _(
                "The catalogue of the Jazari Institutes: courses, seminars and workshops in "
                "artificial intelligence, data and digital skills, across Morocco and online."
            )
        ),
        url=url,
        image=image_url,
        image_width=width,
        image_height=height,
        image_alt=alt,
        locale=current,
        alternate_locales=[
            og_locale(code) for code, _name in settings.LANGUAGES if og_locale(code) != current
        ],
        site_name=_("Jazari Skills"),
    )


@dataclass(frozen=True)
class ShareLink:
    key: str
    label: str
    href: str


def share_links(title: str, url: str) -> list[ShareLink]:
    """Links that share `url` by email and on LinkedIn, WhatsApp and Facebook."""
    subject_and_body = urlencode({"subject": title, "body": f"{title}\n{url}"}, quote_via=quote)
    return [
        ShareLink("email", _("Email"), f"mailto:?{subject_and_body}"),
        ShareLink(
            "linkedin",
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        ),
        ShareLink(
            "whatsapp", "WhatsApp", "https://wa.me/?" + urlencode({"text": f"{title} {url}"})
        ),
        ShareLink(
            "facebook",
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        ),
    ]
