"""The skills framework: categories and skills, and a public page per skill.

Courses teach skills at a level; learners gain them on completion. Skills are edited as
snippets; `SkillsIndexPage` (`/skills/`) gives each skill a public page. Categories and skills
are translated (`jazari.i18n`): courses, certificates and filters name the originals.
"""

from django.db import models
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from jazari.i18n import (
    SAME_SLUG,
    ActiveLanguageURLMixin,
    OriginalPagesManager,
    OriginalsQuerySet,
    OriginalsQuerySetMixin,
    with_text,
)
from jazari.registry import ContextRegistry


class SkillLevel(models.IntegerChoices):
    """How far a course takes a skill (levels of the EU DigComp proficiency scale, simplified)."""

    AWARENESS = 1, _("Awareness")
    FOUNDATION = 2, _("Foundation")
    INTERMEDIATE = 3, _("Intermediate")
    ADVANCED = 4, _("Advanced")
    EXPERT = 5, _("Expert")


class SkillCategory(TranslatableMixin, index.Indexed, models.Model):
    """A branch of the framework, e.g. "Machine learning" or "Data engineering"."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = OriginalsQuerySet.as_manager()

    override_translatable_fields = [SAME_SLUG]

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), "sort_order"]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("locale"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="skill_category_slug_locale")
        ]
        verbose_name = _("skill category")
        verbose_name_plural = _("skill categories")

    def __str__(self):
        return self.name


class SkillQuerySet(OriginalsQuerySetMixin, SearchableQuerySetMixin, models.QuerySet):
    pass


class Skill(TranslatableMixin, index.Indexed, models.Model):
    """One entry of the framework. `esco_uri` links it to the European ESCO classification."""

    category = models.ForeignKey(
        SkillCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="skills"
    )
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    esco_uri = models.URLField(
        _("ESCO URI"),
        blank=True,
        help_text=_("e.g. http://data.europa.eu/esco/skill/…"),
    )

    objects = SkillQuerySet.as_manager()

    override_translatable_fields = [SAME_SLUG]

    panels = [
        FieldPanel("category"),
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("esco_uri"),
    ]
    search_fields = [
        index.SearchField("name", boost=2),
        index.AutocompleteField("name"),
        index.SearchField("description"),
        index.RelatedFields("category", [index.SearchField("name")]),
        index.FilterField("category_id"),
        index.FilterField("locale"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["category__sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="skill_slug_locale")]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        index_page = SkillsIndexPage.objects.live().originals().first()
        if index_page is None:
            return None
        return index_page.url + index_page.reverse_subpage("skill", args=[self.slug])


# What the apps above add to a skill's page: `courses` the courses that teach it (`courses`),
# `paths` the learning paths that build it (`paths`).
skill_page_context = ContextRegistry("skill page")


class SkillsIndexPage(ActiveLanguageURLMixin, RoutablePageMixin, Page):
    """`/skills/`: the framework by category, and `/skills/<slug>/` for each skill."""

    objects = OriginalPagesManager()

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("skills index")

    @path("")
    def index(self, request):
        categories = list(
            SkillCategory.objects.originals().prefetch_related(
                models.Prefetch("skills", queryset=Skill.objects.originals().order_by("name"))
            )
        )
        # In the reader's language: one query per model, none in French.
        with_text([*categories, *(skill for c in categories for skill in c.skills.all())])
        for category in categories:
            category.skill_list = sorted(
                category.skills.all(), key=lambda skill: skill.text.name.casefold()
            )
        return self.render(request, context_overrides={"categories": categories})

    @path("<str:slug>/", name="skill")
    def skill(self, request, slug):
        skill = get_object_or_404(Skill.objects.originals().select_related("category"), slug=slug)
        with_text([skill, skill.category])
        context = {"skill": skill, **skill_page_context.context(skill)}
        return self.render(request, context_overrides=context, template="skills/skill_page.html")
