"""Languages: the interface's and the content's.

The interface is translated with gettext. Content is written in the default language (French)
and translated by editors with wagtail-localize: a translation is a page of the Arabic or
English page tree, or a row of a snippet (skill, category, instructor, audience) in that
locale, sharing its original's `translation_key`.

Everything the site decides, it decides on the originals: sessions, enrolments, material and
certificates belong to the original course; facets, filters and foreign keys name original
rows. Translations only change the text shown. Hence:

- `originals()` on querysets: the rows in the default language;
- `with_text(objects)`: each object's `text`, its translation in the reader's language where
  one exists, else the object itself (which templates mark with its own `lang` and `dir`);
- `original(obj)`: the original of a translation;
- pages route under every language prefix and fall back to the original where a page has no
  translation (`ActiveLanguageURLMixin`), so a course reached from `/ar/` is always there.
"""

from functools import cache

from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils import translation
from wagtail.models import Locale, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail_localize.fields import BaseTranslatableField, SynchronizedField


class KeptByOriginal(BaseTranslatableField):
    """A field of the original only: translations neither translate nor copy it (a course's
    sessions, an instructor's user account, a folder's institute)."""

    def __repr__(self):
        return f"<KeptByOriginal {self.field_name}>"


# Slugs are the same in every language: `/ar/<path>` is the Arabic version of `/<path>`.
SAME_SLUG = SynchronizedField("slug", overridable=False)


def strip_language_prefix(path):
    """`/ar/courses/` → `/courses/`; paths without a language prefix are returned unchanged."""
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return "/" + path[len(prefix) :]
        if path == f"/{code}":
            return "/"
    return path


def localize_path(path, language_code=None):
    """The same path under a language prefix (none for the default language)."""
    language_code = language_code or translation.get_language() or settings.LANGUAGE_CODE
    path = strip_language_prefix(path)
    if language_code == settings.LANGUAGE_CODE:
        return path
    return f"/{language_code}{path}"


def reader_language() -> str:
    """The active language if the site has it, else the default."""
    active = translation.get_language() or settings.LANGUAGE_CODE
    return active if active in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def text_direction(language_code: str) -> str:
    return "rtl" if translation.get_language_info(language_code)["bidi"] else "ltr"


@cache
def _locale_languages() -> dict[int, str]:
    return dict(Locale.objects.values_list("pk", "language_code"))


def language_of_locale(locale_id) -> str:
    """The language code of a locale, from a per-process table (locales are made once)."""
    language = _locale_languages().get(locale_id)
    if language is None:
        _locale_languages.cache_clear()
        language = _locale_languages().get(locale_id, settings.LANGUAGE_CODE)
    return language


def is_original(obj) -> bool:
    """Whether `obj` is written in the default language (not a translation)."""
    locale_id = getattr(obj, "locale_id", None)
    return locale_id is None or language_of_locale(locale_id) == settings.LANGUAGE_CODE


def content_language(obj) -> str:
    """The language `obj`'s text is written in: its locale's, or for an alias (a page that
    mirrors another, as wagtail-localize makes for the pages above a translated one) the
    language of the page it mirrors."""
    language = getattr(obj, "content_language", None)
    if language:
        return language
    # Read without loading a deferred field (listings load only what they show).
    alias_of_id = obj.__dict__.get("alias_of_id")
    if alias_of_id is not None:
        locale_id = Page.objects.filter(pk=alias_of_id).values_list("locale_id", flat=True).first()
        obj.content_language = language_of_locale(locale_id)
        return obj.content_language
    locale_id = getattr(obj, "locale_id", None)
    return settings.LANGUAGE_CODE if locale_id is None else language_of_locale(locale_id)


def original(obj):
    """The original (default language) of a translated page or snippet; itself if it is one."""
    if obj is None or is_original(obj):
        return obj
    if "_original" not in obj.__dict__:  # read once per object (serving, then its context)
        found = (
            type(obj)
            ._default_manager.filter(
                translation_key=obj.translation_key, locale__language_code=settings.LANGUAGE_CODE
            )
            .first()
        )
        obj.__dict__["_original"] = found or obj
    return obj.__dict__["_original"]


def with_text(objects, language=None):
    """Give each of `objects` (originals) a `text`: its translation in `language` (the reader's
    by default) where one exists (live, for pages), else the object itself.

    One query per model, none in the default language. Returns `objects`.
    """
    language = language or reader_language()
    present = [obj for obj in objects if obj is not None]
    for obj in present:
        obj.text = obj
    if language == settings.LANGUAGE_CODE or not present:
        return objects
    by_model = {}
    for obj in present:
        by_model.setdefault(type(obj), []).append(obj)
    for model, group in by_model.items():
        found = model._default_manager.filter(
            translation_key__in={obj.translation_key for obj in group},
            locale__language_code=language,
        )
        if issubclass(model, Page):
            # An alias mirrors its original's text: not a translation.
            found = found.live().filter(alias_of__isnull=True)
        translations = {text.translation_key: text for text in found}
        for text in translations.values():
            text.content_language = language
        for obj in group:
            obj.text = translations.get(obj.translation_key, obj)
    return objects


class OriginalsQuerySetMixin:
    """For the querysets of translatable models."""

    def originals(self):
        """The rows in the default language: the ones everything else refers to."""
        return self.filter(locale__language_code=settings.LANGUAGE_CODE)


class OriginalsQuerySet(OriginalsQuerySetMixin, models.QuerySet):
    pass


class OriginalPagesQuerySet(OriginalsQuerySetMixin, PageQuerySet):
    pass


OriginalPagesManager = PageManager.from_queryset(OriginalPagesQuerySet)


class ActiveLanguageURLMixin:
    """Pages under every language prefix: their URLs follow the visitor's language, and a page
    without a translation in that language is served from the original.

    A page of the default tree (`/courses/x/`) is linked as `/ar/courses/x/` for an Arabic
    reader. Routing `/ar/courses/x/` goes through the Arabic tree while it has the pages, and
    continues in the original tree where it hasn't (slugs are the same in every language), so
    a course that isn't translated yet is there in its original language.
    """

    override_translatable_fields = [SAME_SLUG]

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request)
        if not parts or parts[2] is None:
            return parts
        site_id, root_url, page_path = parts
        active = translation.get_language() or settings.LANGUAGE_CODE
        # A path without a language prefix belongs to the default locale's tree.
        default_tree = strip_language_prefix(page_path) == page_path
        if default_tree and active != settings.LANGUAGE_CODE and active in dict(settings.LANGUAGES):
            page_path = localize_path(page_path, active)
        return site_id, root_url, page_path

    def route(self, request, path_components):
        try:
            return super().route(request, path_components)
        except Http404:
            source = None if is_original(self) else original(self)
            if source is None or source.pk == self.pk:
                raise
            return source.specific.route(request, path_components)

    @property
    def original(self):
        """The page in the default language (itself, unless it is a translation)."""
        return original(self)
