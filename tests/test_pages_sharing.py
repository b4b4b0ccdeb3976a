"""What a shared page shows: Open Graph and Twitter card tags, the canonical link, share links,
and the site's icons."""

import io
import json
from pathlib import Path
from urllib.parse import parse_qs, unquote_plus, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.images import get_image_model

from jazari import sharing
from tests import factories

pytestmark = pytest.mark.django_db

PREFIXES = {"fr": "", "ar": "/ar", "en": "/en"}
LOCALES = {"fr": "fr_MA", "ar": "ar_MA", "en": "en"}


@pytest.fixture(scope="module")
def shared_pages(django_db_setup, django_db_blocker):
    """A course with a cover image, an institute without one, and a learning path."""
    from tests.shared_data import built_once

    with built_once(django_db_blocker):
        tree = factories.site_tree()
        rabat = factories.institute(tree, "Jazari Root", is_hub=True, intro="Le centre du réseau.")
        buffer = io.BytesIO()
        Image.new("RGB", (1600, 900), (11, 74, 90)).save(buffer, "PNG")
        cover = get_image_model().objects.create(
            title="Couverture", file=ImageFile(buffer, name="couverture.png")
        )
        course = factories.course(
            tree, "Introduction au machine learning", rabat, cover_image=cover
        )
        path = factories.learning_path(tree, "Parcours données", [course])
        yield {"course": course.url_path, "institute": rabat.url_path, "path": path.url_path}


def page_path(url_path):
    """`/home/courses/…/` (Wagtail's url_path) → `/courses/…/`."""
    return "/" + url_path.strip("/").split("/", 1)[1] + "/"


def head_of(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return soup, {
        tag.get("property") or tag.get("name"): tag["content"]
        for tag in soup.head.find_all("meta")
        if tag.get("property") or tag.get("name")
    }


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
@pytest.mark.parametrize("kind", ["course", "institute", "path"])
def test_shared_pages_describe_themselves_in_the_active_language(
    client, shared_pages, kind, language
):
    """og:url and the canonical link are the page's absolute URL in the language of the page,
    og:locale is Morocco's French or Arabic (or English), with the others as alternates."""
    expected_url = f"http://testserver{PREFIXES[language]}{page_path(shared_pages[kind])}"
    response = client.get(expected_url)
    assert response.status_code == 200
    soup, meta = head_of(response)
    assert soup.head.find("link", rel="canonical")["href"] == expected_url
    assert meta["og:url"] == expected_url
    assert meta["og:locale"] == LOCALES[language]
    alternates = {
        tag["content"] for tag in soup.head.find_all("meta", property="og:locale:alternate")
    }
    assert alternates == set(LOCALES.values()) - {LOCALES[language]}
    assert meta["og:title"] == meta["twitter:title"]
    assert meta["og:title"] in {
        "Introduction au machine learning",
        "Jazari Root",
        "Parcours données",
    }
    assert meta["og:description"]
    assert meta["og:type"] == "website"
    assert meta["twitter:card"] == "summary_large_image"
    for key in ("og:image", "twitter:image"):
        assert meta[key].startswith("http://testserver/"), key


def test_a_course_shares_its_cover_image_cut_for_cards(client, shared_pages):
    """The course's cover image, as a 1200×630 rendition at an absolute URL."""
    _soup, meta = head_of(client.get(page_path(shared_pages["course"])))
    assert meta["og:image"].startswith("http://testserver/")
    assert "fill-1200x630" in meta["og:image"]
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["og:image:alt"] == "Couverture"
    rendition = (
        get_image_model()
        .objects.get(title="Couverture")
        .renditions.get(filter_spec="fill-1200x630")
    )
    assert meta["og:image"] == f"http://testserver{rendition.url}"
    assert rendition.file.storage.exists(rendition.file.name)


def test_a_page_without_an_image_shares_the_default_one(client, shared_pages):
    """An institute without an image shares the site's default image, which exists."""
    _soup, meta = head_of(client.get(page_path(shared_pages["institute"])))
    assert meta["og:image"] == "http://testserver/static/img/share-default.png"
    assert meta["og:description"] == "Le centre du réseau."
    assert finders.find("img/share-default.png")
    with Image.open(finders.find("img/share-default.png")) as image:
        assert image.size == sharing.DEFAULT_IMAGE_SIZE


def test_share_links_carry_the_page_address_and_work_without_javascript(client, shared_pages):
    """ "Share this page" lists plain links (email, LinkedIn, WhatsApp, Facebook) to the page's
    absolute URL; the Web Share button stays hidden until its static script shows it."""
    url = f"http://testserver/ar{page_path(shared_pages['course'])}"
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    section = soup.find("section", class_="share")
    assert section is not None
    hrefs = [a["href"] for a in section.find_all("a")]
    assert len(hrefs) == 4
    mailto = urlsplit(hrefs[0])
    assert mailto.scheme == "mailto"
    assert url in parse_qs(mailto.query)["body"][0]
    for href in hrefs[1:]:
        assert href.startswith("https://")
        assert url in unquote_plus(urlsplit(href).query)
    assert section.find("li", class_="share__native").has_attr("hidden")
    script = section.find("script")
    assert script["src"] == "/static/js/share.js" and not script.string
    assert finders.find("js/share.js")


def test_other_pages_have_no_share_tags(client, shared_pages):
    """The catalogue is not a shared page: no Open Graph tags, no canonical link."""
    soup, meta = head_of(client.get("/courses/"))
    assert "og:url" not in meta
    assert soup.head.find("link", rel="canonical") is None


def test_every_page_links_the_icons_and_the_manifest(client, shared_pages):
    """SVG and ICO favicons, the 180 px Apple touch icon and a web manifest with 192 and 512 px
    icons, all of them static files that exist."""
    soup = BeautifulSoup(client.get("/courses/").content, "html.parser")
    links = {
        (" ".join(link["rel"]), link.get("type", "")): link["href"]
        for link in soup.head.find_all("link")
    }
    assert links[("icon", "image/svg+xml")] == "/static/icons/favicon.svg"
    assert links[("icon", "")] == "/static/icons/favicon.ico"
    assert links[("apple-touch-icon", "")] == "/static/icons/apple-touch-icon.png"
    manifest_path = finders.find("icons/site.webmanifest")
    assert links[("manifest", "")] == "/static/icons/site.webmanifest"
    manifest = json.loads(Path(manifest_path).read_text())
    sizes = {}
    for icon in manifest["icons"]:
        file = Path(manifest_path).parent / icon["src"]
        with Image.open(file) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
        sizes[icon["sizes"]] = icon["type"]
    assert set(sizes) == {"192x192", "512x512"}
    with Image.open(finders.find("icons/apple-touch-icon.png")) as image:
        assert image.size == (180, 180)
    assert Path(finders.find("icons/favicon.svg")).read_text().startswith("<svg")


def test_og_locale_of_each_language():
    """fr → fr_MA, ar → ar_MA, en → en; a regional variant counts as its language."""
    assert [sharing.og_locale(code) for code in ("fr", "ar", "en", "ar-ma")] == [
        "fr_MA",
        "ar_MA",
        "en",
        "ar_MA",
    ]


def test_share_links_encode_title_and_address():
    """Spaces, ampersands and Arabic letters in a title survive the links' query strings."""
    title = "IA & données : الذكاء الاصطناعي"
    url = "https://jazari.example/ar/courses/x/?a=1"
    links = {link.key: link.href for link in sharing.share_links(title, url)}
    mail = parse_qs(urlsplit(links["email"]).query)
    assert mail == {"subject": [title], "body": [f"{title}\n{url}"]}
    assert parse_qs(urlsplit(links["linkedin"]).query) == {"url": [url]}
    assert parse_qs(urlsplit(links["whatsapp"]).query) == {"text": [f"{title} {url}"]}
    assert parse_qs(urlsplit(links["facebook"]).query) == {"u": [url]}
