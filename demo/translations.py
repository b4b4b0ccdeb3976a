"""The demo's translations into Arabic and English, made with wagtail-localize as an editor
makes them: the original becomes a `TranslationSource`, a `Translation` is opened for the
language, each of its strings gets its translated text (`StringTranslation`), and
`Translation.save_target()` writes and publishes the translated page or snippet.

So the demo's translations are what an editor would find after translating by hand: the
translation editor shows them complete, a change to the original shows them out of date, and
"Sync translated pages" carries the change over, keeping the translated strings.

The translated text is `translated.py`'s. It is matched with the original's strings by
extracting the strings of the original with that text put in (same fields, same StreamField
block ids) and pairing them, field by field, in order.

Translating is the slow part of `seed_demo` (a page's translation is a few dozen queries and
one published revision), so an object whose translation already says what `translated.py`
says is left alone: a rerun reads and compares, and writes nothing.
"""

import copy
from collections import defaultdict
from dataclasses import dataclass

from django.utils import translation
from wagtail.models import Locale, Page, ReferenceIndex
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from courses.models import Audience, CoursePage
from demo import data, translated
from demo.indexing import index_objects, paused_indexing
from demo.paths import PATHS
from demo.plan import course_body, no_prerequisites, stable_id
from paths.models import LearningPathIndexPage, LearningPathPage
from skills.models import Skill, SkillCategory

COURSES_TRANSLATED = {template.slug for template in data.COURSE_TEMPLATES[::3]}
"""Every third hand-written course, and their variants: at least a third of any catalogue."""
assert translated.COURSES.keys() == COURSES_TRANSLATED


@dataclass
class TranslationReport:
    written: int = 0
    unchanged: int = 0


class Translator:
    """Writes translations into the demo's languages, skipping those already up to date."""

    def __init__(self):
        self.locales = {
            locale.language_code: locale
            for locale in Locale.objects.filter(language_code__in=translated.LANGUAGES)
        }
        self.report = TranslationReport()
        self.written = defaultdict(list)  # model -> translations written

    def translate(self, original, language, text: dict):
        """`original`'s translation into `language`, with `text` (field → value) as its
        translated text; fields not in `text` keep the original's."""
        locale = self.locales[language]
        if isinstance(original, Page):
            original = original.specific
        wanted = copy.copy(original)
        for name, value in text.items():
            setattr(wanted, name, value)
        strings = _strings(wanted)
        current = (
            type(original)
            ._default_manager.filter(translation_key=original.translation_key, locale=locale)
            .first()
        )
        if current is not None and _strings(current) == strings and _published(current):
            self.report.unchanged += 1
            return current
        source, _created = TranslationSource.update_or_create_from_instance(original)
        translation, _created = Translation.objects.get_or_create(
            source=source, target_locale=locale
        )
        _write_strings(source, locale, strings)
        # wagtail-localize publishes a page's new revision when the transaction commits, which
        # the seed's tests never do and which would index it again after the pause: the draft
        # is saved here and published at once, as "Publish in <language>" does.
        is_page = isinstance(original, Page)
        translation.save_target(publish=not is_page)
        target = translation.get_target_instance()
        if is_page:
            target.latest_revision.publish(skip_permission_checks=True)
            target.refresh_from_db()
        self.report.written += 1
        self.written[type(original)].append(target)
        return target


def _strings(instance) -> dict[str, list[str]]:
    """The translatable strings of `instance`, by content path, in order."""
    strings = defaultdict(list)
    for segment in extract_segments(instance):
        if isinstance(segment, StringSegmentValue):
            strings[segment.path].append(segment.string.data)
    return dict(strings)


def _published(instance) -> bool:
    return not isinstance(instance, Page) or (
        instance.live and not instance.has_unpublished_changes
    )


def _write_strings(source, locale, strings):
    """A `StringTranslation` for each string of `source` that `strings` translates.

    A field whose translated text has more or fewer strings than the original's is left
    untranslated (the original's text is used), rather than paired wrongly.
    """
    segments = defaultdict(list)
    for segment in source.stringsegment_set.select_related("context").order_by("order"):
        segments[segment.context.path].append(segment)
    rows = []
    for path, found in segments.items():
        texts = strings.get(path, [])
        if len(texts) != len(found):
            continue
        rows += [
            StringTranslation(
                translation_of_id=segment.string_id,
                locale=locale,
                context_id=segment.context_id,
                data=text,
                translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
            )
            for segment, text in zip(found, texts, strict=True)
        ]
    StringTranslation.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["locale", "translation_of", "context"],
        update_fields=["data", "translation_type", "has_error"],
    )


# What each demo object says in Arabic and English ---------------------------------------------


def translate_all(
    home, index_pages, institutes, categories, skills, audiences, paths, plans, courses
):
    """Every demo page and snippet but most courses, into every language of `translated`.

    `index_pages` maps slugs (`courses`, `institutes`, `skills`, `paths`) to pages, the others
    map `data.py`'s keys to objects; `plans` and `courses` go together.
    """
    translator = Translator()
    models = [type(home), type(institutes[data.INSTITUTES[0].slug])]
    models += [Skill, SkillCategory, Audience, LearningPathIndexPage, LearningPathPage]
    models += [CoursePage, *(type(page) for page in index_pages.values() if page)]
    # Indexed once at the end rather than at each of the saves a translation makes.
    with paused_indexing(*models):
        _translate_all(
            translator,
            home,
            index_pages,
            institutes,
            categories,
            skills,
            audiences,
            paths,
            plans,
            courses,
        )
    for model, objects in translator.written.items():
        if hasattr(model, "get_search_fields"):
            index_objects(model, objects)
        for obj in objects:
            ReferenceIndex.create_or_update_for_object(obj)
    return translator.report


def _translate_all(
    translator, home, index_pages, institutes, categories, skills, audiences, paths, plans, courses
):
    by_language = {code: i for i, code in enumerate(translated.LANGUAGES)}
    for language, n in by_language.items():
        translator.translate(home, language, translated.HOME[language])
        for slug, page in index_pages.items():
            if page is None:
                continue
            title, _intro = translated.INDEX_PAGES[slug][language]
            intro = translated.index_intro(slug, language)
            translator.translate(page, language, {"title": title, "intro": intro})
        for item in data.INSTITUTES:
            translator.translate(institutes[item.slug], language, _institute(item, language))
        for slug, names in translated.AUDIENCES.items():
            if slug in audiences:
                translator.translate(audiences[slug], language, {"name": names[n]})
        for slug, texts in translated.CATEGORIES.items():
            name, description = texts[n]
            translator.translate(
                categories[slug], language, {"name": name, "description": description}
            )
        for slug, texts in translated.SKILLS.items():
            name, description = texts[n]
            translator.translate(skills[slug], language, {"name": name, "description": description})
        for item in PATHS:
            if item.slug in paths:
                title, role, summary = translated.PATHS[item.slug][language]
                text = {"title": title, "role": role, "summary": summary}
                translator.translate(paths[item.slug], language, text)
        skill_names = {slug: texts[n][0] for slug, texts in translated.SKILLS.items()}
        for plan, course in zip(plans, courses, strict=True):
            if plan.template.slug in COURSES_TRANSLATED:
                translator.translate(course, language, _course(plan, language, skill_names))


def _institute(item, language):
    with_language = translated.LANGUAGES.index(language)
    with translation.override(language):
        region = str(item.region.label)
    intro = translated.institute_intro(item.is_hub, region, item.city, language)
    return {
        "title": translated.institute_title(item.title, item.city, language),
        "intro": intro,
        "body": f"<p>{intro}</p>{translated.INSTITUTE_BODY_TAIL[language]}",
        "city": translated.city(item.city, language),
        "signatory_role": translated.SIGNATORY_ROLES[data.SIGNATORIES[item.slug][1]][with_language],
    }


def _course(plan, language, skill_names):
    """A course's title, summary, description, outcomes and prerequisites in `language`."""
    template = plan.template
    n = translated.LANGUAGES.index(language)
    if template.text_language == language:
        return {}  # written in that language already: the translation keeps its text
    title, summary, outcomes = translated.COURSES[template.slug][language]
    if plan.promotion > 1:
        label = {"ar": "الدفعة", "en": "cohort"}[language]
        title = f"{title} — {label} {plan.promotion}"
    prerequisites = (
        translated.PREREQUISITES[template.slug][n]
        if template.slug in translated.PREREQUISITES
        else no_prerequisites(language)
    )
    return {
        "title": title,
        "summary": summary,
        "body": course_body(plan, language, summary, skill_names),
        "outcomes": [
            {"type": "outcome", "value": text, "id": stable_id(plan.slug, "outcome", i)}
            for i, text in enumerate(outcomes)
        ],
        "prerequisites": prerequisites,
    }
