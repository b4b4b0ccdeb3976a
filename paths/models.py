"""Learning paths: ordered courses that build skills towards a role.

A learning path (`/paths/<slug>/`) is an ordered list of courses an editor composes towards a
role; learners follow it and see their progress. The rules (progress, suggestions) live in
`paths.progress`.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from jazari.i18n import ActiveLanguageURLMixin, OriginalPagesManager, with_text


class LearningPathIndexPage(ActiveLanguageURLMixin, Page):
    """`/paths/`: every learning path, with its role, length and number of courses."""

    objects = OriginalPagesManager()

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["paths.LearningPathPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("learning paths index")

    def get_context(self, request, *args, **kwargs):
        from paths.progress import path_listing

        context = super().get_context(request, *args, **kwargs)
        context["paths"] = with_text(list(path_listing(self.original)))
        return context


class LearningPathPage(ActiveLanguageURLMixin, RoutablePageMixin, Page):
    """An ordered list of courses towards a role, e.g. "AI for public administration".

    A page rather than a snippet: it has a public URL, drafts, revisions and scheduled
    publishing like the courses it lists, and editors place it under `/paths/`. Learners follow
    it by posting to `follow/` (a route of the page, so no URL configuration is needed).
    """

    objects = OriginalPagesManager()

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
    parent_page_types = ["paths.LearningPathIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")

    def get_context(self, request, *args, **kwargs):
        from paths.progress import path_view

        context = super().get_context(request, *args, **kwargs)
        # A translation lists its original's courses; the learner follows the original.
        context["path"] = path_view(self.original, request.user, timezone.now())
        return context

    @path("follow/", name="follow")
    def follow(self, request):
        """Follow (or, with `action=unfollow`, stop following) the path; POST only."""
        from paths.progress import follow_path, unfollow_path

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        page_url = self.get_url(request)
        if not request.user.is_authenticated:
            return redirect_to_login(page_url)
        if request.POST.get("action") == "unfollow":
            unfollow_path(request.user, self.original)
            messages.success(request, gettext("You no longer follow this learning path."))
        else:
            follow_path(request.user, self.original)
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
