"""The home page: what the network offers, at a glance."""

from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from courses.models import CourseIndexPage, CoursePage, Session
from institutes.models import InstitutePage, InstitutesIndexPage, group_by_region
from jazari.i18n import ActiveLanguageURLMixin, OriginalPagesManager, with_text
from skills.models import SkillCategory, SkillsIndexPage


class HomePage(ActiveLanguageURLMixin, Page):
    """The site root: upcoming sessions, featured courses, institutes by region, skills."""

    objects = OriginalPagesManager()

    hero_title = models.CharField(_("headline"), max_length=160, blank=True)
    hero_text = models.TextField(_("introduction"), blank=True, max_length=600)
    body = RichTextField(_("about the network"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("body"),
        InlinePanel(
            "featured_courses", heading=_("Featured courses"), label=_("course"), max_num=6
        ),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "courses.CourseIndexPage",
        "institutes.InstitutesIndexPage",
        "skills.SkillsIndexPage",
        "paths.LearningPathIndexPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        upcoming = Session.objects.upcoming(now).listed()
        context["upcoming_sessions"] = list(
            upcoming.select_related("course", "institute", "course__institute").order_by(
                "starts_at"
            )[:6]
        )
        featured_ids = [f.course_id for f in self.original.featured_courses.all()]
        featured = CoursePage.objects.listed().filter(pk__in=featured_ids)
        featured = featured.select_related("institute", "cover_image")
        by_id = {course.pk: course for course in featured}
        context["featured_courses"] = [by_id[pk] for pk in featured_ids if pk in by_id]
        institutes = list(InstitutePage.objects.live().originals().order_by("-is_hub", "title"))
        context["regions"] = group_by_region(institutes)
        context["skill_categories"] = list(
            SkillCategory.objects.originals().annotate(
                skill_count=Count("skills", filter=Q(skills__locale=F("locale")))
            )
        )
        # Their text in the reader's language: one query per model, none in French.
        with_text(
            [
                *context["featured_courses"],
                *(course.institute for course in context["featured_courses"]),
                *(session.course for session in context["upcoming_sessions"]),
                *(session.venue for session in context["upcoming_sessions"]),
                *institutes,
                *context["skill_categories"],
            ]
        )
        context["figures"] = {
            "courses": CoursePage.objects.listed().count(),
            "upcoming_sessions": upcoming.count(),
            "institutes": len(institutes),
            "regions": len(context["regions"]),
            "open_seats": upcoming.aggregate(
                seats=models.Sum(
                    models.F("capacity") - models.F("confirmed_count"),
                    filter=Q(confirmed_count__lt=models.F("capacity")),
                )
            )["seats"]
            or 0,
        }
        context["catalogue_page"] = CourseIndexPage.objects.live().originals().first()
        context["institutes_page"] = InstitutesIndexPage.objects.live().originals().first()
        context["skills_page"] = SkillsIndexPage.objects.live().originals().first()
        return context


class HomeFeaturedCourse(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_courses")
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("course", "courses.CoursePage")]
