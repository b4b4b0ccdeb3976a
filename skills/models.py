"""The skills framework, and learning paths that build skills towards a role.

Courses teach skills at a level; learners gain them on completion. Skills are edited as
snippets; `SkillsIndexPage` (`/skills/`) gives each skill a public page. A learning path
(`/paths/<slug>/`) is an ordered list of courses an editor composes towards a role; learners
follow it and see their progress. The rules (progress, suggestions) live in `skills.paths`.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from jazari.i18n import ActiveLanguageURLMixin


class SkillLevel(models.IntegerChoices):
    """How far a course takes a skill (levels of the EU DigComp proficiency scale, simplified)."""

    AWARENESS = 1, _("Awareness")
    FOUNDATION = 2, _("Foundation")
    INTERMEDIATE = 3, _("Intermediate")
    ADVANCED = 4, _("Advanced")
    EXPERT = 5, _("Expert")


class SkillCategory(index.Indexed, models.Model):
    """A branch of the framework, e.g. "Machine learning" or "Data engineering"."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), "sort_order"]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("skill category")
        verbose_name_plural = _("skill categories")

    def __str__(self):
        return self.name


class SkillQuerySet(SearchableQuerySetMixin, models.QuerySet):
    pass


class Skill(index.Indexed, models.Model):
    """One entry of the framework. `esco_uri` links it to the European ESCO classification."""

    category = models.ForeignKey(
        SkillCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="skills"
    )
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    esco_uri = models.URLField(
        _("ESCO URI"),
        blank=True,
        help_text=_("e.g. http://data.europa.eu/esco/skill/…"),
    )

    objects = SkillQuerySet.as_manager()

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
    ]

    class Meta:
        ordering = ["category__sort_order", "name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        index_page = SkillsIndexPage.objects.live().first()
        if index_page is None:
            return None
        return index_page.url + index_page.reverse_subpage("skill", args=[self.slug])


class SkillsIndexPage(ActiveLanguageURLMixin, RoutablePageMixin, Page):
    """`/skills/`: the framework by category, and `/skills/<slug>/` for each skill."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("skills index")

    @path("")
    def index(self, request):
        categories = SkillCategory.objects.prefetch_related(
            models.Prefetch("skills", queryset=Skill.objects.order_by("name"))
        )
        return self.render(request, context_overrides={"categories": categories})

    @path("<str:slug>/", name="skill")
    def skill(self, request, slug):
        from courses.models import CoursePage

        skill = get_object_or_404(Skill.objects.select_related("category"), slug=slug)
        courses = (
            CoursePage.objects.live()
            .filter(course_skills__skill=skill)
            .select_related("institute")
            .distinct()
            .order_by("title")
        )
        paths = (
            LearningPathPage.objects.live()
            .filter(
                # One condition on one join: a live course of the path teaches the skill.
                path_courses__course__course_skills__skill=skill,
                path_courses__course__live=True,
            )
            .distinct()
            .order_by("title")
        )
        return self.render(
            request,
            context_overrides={"skill": skill, "courses": courses, "paths": paths},
            template="skills/skill_page.html",
        )


class LearningPathIndexPage(ActiveLanguageURLMixin, Page):
    """`/paths/`: every learning path, with its role, length and number of courses."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["skills.LearningPathPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("learning paths index")

    def get_context(self, request, *args, **kwargs):
        from skills.paths import path_listing

        context = super().get_context(request, *args, **kwargs)
        context["paths"] = path_listing(self)
        return context


class LearningPathPage(ActiveLanguageURLMixin, RoutablePageMixin, Page):
    """An ordered list of courses towards a role, e.g. "AI for public administration".

    A page rather than a snippet: it has a public URL, drafts, revisions and scheduled
    publishing like the courses it lists, and editors place it under `/paths/`. Learners follow
    it by posting to `follow/` (a route of the page, so no URL configuration is needed).
    """

    # What it leads to
    role = models.CharField(
        _("role"),
        max_length=160,
        help_text=_("The role or job the path prepares for, e.g. “Data analyst”."),
    )
    summary = models.TextField(_("summary"), max_length=400)
    body = RichTextField(_("description"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("role"),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel(
            "path_courses",
            heading=_("Courses, in order"),
            label=_("course"),
            min_num=1,
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("role", boost=2),
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["skills.LearningPathIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")

    def get_context(self, request, *args, **kwargs):
        from skills.paths import path_view

        context = super().get_context(request, *args, **kwargs)
        context["path"] = path_view(self, request.user, timezone.now())
        return context

    @path("follow/", name="follow")
    def follow(self, request):
        """Follow (or, with `action=unfollow`, stop following) the path; POST only."""
        from skills.paths import follow_path, unfollow_path

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        page_url = self.get_url(request)
        if not request.user.is_authenticated:
            return redirect_to_login(page_url)
        if request.POST.get("action") == "unfollow":
            unfollow_path(request.user, self)
            messages.success(request, gettext("You no longer follow this learning path."))
        else:
            follow_path(request.user, self)
            messages.success(
                request,
                gettext("You follow this learning path: its next sessions show on your dashboard."),
            )
        return redirect(page_url)


class LearningPathCourse(Orderable):
    """One step of a path: a course, in the order editors set, with an optional note."""

    path = ParentalKey(LearningPathPage, on_delete=models.CASCADE, related_name="path_courses")
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="path_entries",
    )
    note = models.CharField(
        _("note"),
        max_length=255,
        blank=True,
        help_text=_("Why this course comes here, e.g. “Skip it if you already code in Python”."),
    )

    panels = [PageChooserPanel("course", "courses.CoursePage"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("course of the path")
        verbose_name_plural = _("courses of the path")
        constraints = [
            models.UniqueConstraint(fields=["path", "course"], name="unique_course_per_path")
        ]


class PathFollow(models.Model):
    """A learner following a path: their dashboard tracks it and suggests its sessions."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="path_follows",
    )
    path = models.ForeignKey(
        LearningPathPage,
        verbose_name=_("learning path"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    created_at = models.DateTimeField(_("followed since"), default=timezone.now)

    class Meta:
        verbose_name = _("followed learning path")
        verbose_name_plural = _("followed learning paths")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "path"], name="unique_path_follow")
        ]

    def __str__(self):
        return f"{self.learner} → {self.path}"
