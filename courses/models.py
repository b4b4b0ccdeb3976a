"""Courses (a Wagtail page per course) and their dated sessions.

A course is a course, seminar, workshop, co-design session, bootcamp or webinar. Its sessions
are edited on the course page; each is one dated run with its own mode, place, capacity,
enrolment window and language.
"""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    TitleFieldPanel,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, PagePermissionTester, TranslatableMixin
from wagtail.query import PageQuerySet
from wagtail.search import index

from courses.blocks import BodyBlock, OutcomeBlock
from courses.forms import CoursePageForm
from courses.privacy import not_restricted, restricted
from courses.schedule import (
    DEFAULT_REMINDERS,
    ScheduleError,
    check_meetings,
    default_meetings,
    parse_meetings,
    parse_reminders,
)
from courses.states import SessionFacts, SessionState, accepts_enrolment, session_state
from jazari.i18n import (
    SAME_SLUG,
    ActiveLanguageURLMixin,
    KeptByOriginal,
    OriginalPagesManager,
    OriginalsQuerySet,
    OriginalsQuerySetMixin,
    with_text,
)
from jazari.registry import ContextRegistry, Registry
from skills.models import SkillLevel


class CourseFormat(models.TextChoices):
    COURSE = "course", _("Course")
    SEMINAR = "seminar", _("Seminar")
    WORKSHOP = "workshop", _("Workshop")
    CODESIGN = "codesign", _("Co-design session")
    BOOTCAMP = "bootcamp", _("Bootcamp")
    WEBINAR = "webinar", _("Webinar")


class CourseLevel(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


# Modes with an online link.
ONLINE_MODES = (SessionMode.ONLINE, SessionMode.HYBRID)


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


# Languages a session can be taught in: the interface languages and Amazigh.
TEACHING_LANGUAGES = [*settings.LANGUAGES, ("zgh", "ⵜⴰⵎⴰⵣⵉⵖⵜ (Amazigh)")]


class Language(models.Model):
    """A teaching language (fr, ar, en, also Amazigh); a course may be taught in several."""

    code = models.SlugField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self):
        return self.name


class Audience(TranslatableMixin, models.Model):
    """Who a course is for: students, public servants, SME staff, start-ups, researchers…
    Translated like a snippet; courses name the originals."""

    slug = models.SlugField(_("slug"), max_length=40)
    name = models.CharField(_("name"), max_length=80)

    objects = OriginalsQuerySet.as_manager()

    override_translatable_fields = [SAME_SLUG]

    class Meta(TranslatableMixin.Meta):
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="audience_slug_locale")
        ]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self):
        return self.name


# Who may link an instructor to a user account: those who manage accounts (administrators).
LINK_INSTRUCTOR_ACCOUNT = "auth.change_user"


class Instructor(TranslatableMixin, index.Indexed, models.Model):
    """A trainer or speaker; a snippet shared between courses.

    Linked to a user account (by administrators), the instructor is a trainer: that user sees
    the participants of the sessions of the courses listing them (`courses.permissions.
    taught_sessions`), on the learner dashboard, and nothing of the admin. Translations (role,
    organisation, biography) leave the account to the original.
    """

    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=160, blank=True)
    organisation = models.CharField(_("organisation"), max_length=160, blank=True)
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="instructor",
        help_text=_("The trainer's account: it sees the participants of their sessions."),
    )

    panels = [
        "name",
        "role",
        "organisation",
        "bio",
        "photo",
        FieldPanel("user", permission=LINK_INSTRUCTOR_ACCOUNT),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("locale"),
    ]

    objects = OriginalsQuerySet.as_manager()

    exclude_fields_in_copy = ["user"]
    override_translatable_fields = [KeptByOriginal("user")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("instructor")
        verbose_name_plural = _("instructors")

    def __str__(self):
        return self.name


# What the apps above add to a course's page: `materials` the course's files with the viewer's
# access to each, `paths` the learning paths that list the course.
course_page_context = ContextRegistry("course page")
# Functions called with a course page about to be saved whole (a version being published, by
# an editor, a workflow's approval or scheduled publishing), to put back children that saving
# must not delete; see `CoursePage.save`.
course_children_kept = Registry("children a course page keeps when saved")


class CourseIndexPage(ActiveLanguageURLMixin, Page):
    """`/courses/`: the catalogue, with facets and free-text search in the query string."""

    objects = OriginalPagesManager()

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.InstituteCoursesPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")

    def catalogue_url(self, request, institute_slug):
        """The catalogue filtered by one institute (under the active language's prefix)."""
        return f"{self.get_url(request)}?{urlencode({'institute': institute_slug})}"

    def get_context(self, request, *args, **kwargs):
        from courses.cache import render_catalogue

        context = super().get_context(request, *args, **kwargs)
        html, status = render_catalogue(self, request)
        context["catalogue_html"] = mark_safe(html)  # rendered by our own template
        context["catalogue_status"] = status
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # Invalid filter values: the page still shows, with the messages, as a 400.
        response.status_code = response.context_data["catalogue_status"]
        return response


class FolderPermissionTester(PagePermissionTester):
    """An institute's folder: its editors add courses in it, only administrators change it.

    The editors' page permissions are granted on the folder, so Wagtail would let them edit,
    publish or unpublish the folder itself (its slug is in every course URL) as well.
    """

    def _administrator(self):
        return self.user.is_active and self.user.is_superuser

    def can_edit(self):
        return self._administrator()

    def can_delete(self, ignore_bulk=False):
        return self._administrator()

    def can_unpublish(self):
        return self._administrator() and super().can_unpublish()

    def can_publish(self):
        return self._administrator() and super().can_publish()

    def can_move(self):
        return self._administrator()

    def can_copy(self):
        return self._administrator()

    def can_lock(self):
        return self._administrator()

    def can_view_revisions(self):
        return self._administrator()


class InstituteCoursesPage(ActiveLanguageURLMixin, Page):
    """`/courses/<institute>/`: the folder of one institute's courses in the page tree.

    It exists so that Wagtail's page permissions and workflows can be given per institute: the
    institute's editors group adds, changes and publishes the pages under its folder only
    (`courses.folders`). Made, renamed and granted with the institute; its own URL shows the
    catalogue filtered by the institute.
    """

    objects = OriginalPagesManager()

    # One folder per institute and language: the original (made by `courses.folders`, the only
    # maker of folders), and its translations in the Arabic and English trees.
    institute = models.ForeignKey(
        "institutes.InstitutePage",
        verbose_name=_("institute"),
        # An institute's courses protect it; without any, its folder goes with it
        # (`courses.signals`). Wagtail's tree forbids a database cascade.
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="course_folders",
    )
    moderated = models.BooleanField(
        _("needs Jazari Root's approval"),
        default=True,
        help_text=_(
            "The institute's editors submit their changes to Jazari Root's editors, who "
            "publish them. Never for Jazari Root itself."
        ),
    )

    content_panels = [FieldPanel("moderated", permission="superuser")]
    promote_panels = []
    settings_panels = []
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.CoursePage"]
    is_creatable = False  # made with its institute (`courses.folders`)

    class Meta:
        verbose_name = _("institute's courses")
        verbose_name_plural = _("institutes' courses")

    def permissions_for_user(self, user):
        return FolderPermissionTester(user, self)

    def serve(self, request, *args, **kwargs):
        if self.institute_id is None:
            raise Http404
        catalogue = CourseIndexPage.objects.get(path=self.path[: -self.steplen])
        return HttpResponseRedirect(catalogue.catalogue_url(request, self.institute.slug))

    def serve_preview(self, request, mode_name):
        return self.serve(request)


class CoursePageQuerySet(OriginalsQuerySetMixin, PageQuerySet):
    def visible(self):
        """Courses and translations any visitor may see: live, without a view restriction on
        them, their original or an ancestor of either (see `courses.privacy`), in the same
        query."""
        private_original = (
            self.model.objects.originals()
            .filter(translation_key=models.OuterRef("translation_key"))
            .filter(restricted("path"))
        )
        return self.live().filter(not_restricted("path")).exclude(models.Exists(private_original))

    def listed(self):
        """Courses any visitor may find in a listing: the visible originals (their
        translations give the text, `jazari.i18n.with_text`)."""
        return self.live().originals().filter(not_restricted("path"))


class CoursePage(ActiveLanguageURLMixin, Page):
    """A course, seminar, workshop, co-design session, bootcamp or webinar."""

    # What it is
    format = models.CharField(
        _("format"), max_length=20, choices=CourseFormat.choices, default=CourseFormat.COURSE
    )
    summary = models.TextField(_("summary"), max_length=400)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("description"), blank=True)
    outcomes = StreamField(OutcomeBlock(), verbose_name=_("learning outcomes"), blank=True)

    # Who it is for
    audiences = ParentalManyToManyField(Audience, verbose_name=_("audience"), blank=True)
    level = models.CharField(
        _("level"), max_length=20, choices=CourseLevel.choices, default=CourseLevel.BEGINNER
    )
    languages = ParentalManyToManyField(Language, verbose_name=_("teaching languages"))
    duration_hours = models.PositiveSmallIntegerField(
        _("duration (hours)"), validators=[MinValueValidator(1)], default=7
    )
    prerequisites = RichTextField(
        _("prerequisites"), blank=True, features=["bold", "italic", "link", "ul"]
    )

    # Who runs it
    institute = models.ForeignKey(
        "institutes.InstitutePage",
        verbose_name=_("organising institute"),
        on_delete=models.PROTECT,
        related_name="courses",
    )

    # Completion: who has completed a session, once it has ended (see `completion_met`)
    completion_threshold = models.PositiveSmallIntegerField(
        _("attendance needed to complete (%)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Share of a session's meetings a learner must attend to complete it (at least one)."
        ),
    )
    completion_automatic = models.BooleanField(
        _("complete automatically"),
        default=False,
        help_text=_(
            "When a session ends, learners meeting the rule are marked completed at once. "
            "Otherwise they are proposed to the editors, who confirm them in one action."
        ),
    )

    content_panels = [
        TitleFieldPanel("title"),
        FieldRowPanel([FieldPanel("format"), FieldPanel("level")]),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
                FieldPanel("languages", widget=forms.CheckboxSelectMultiple),
                FieldPanel("duration_hours"),
                FieldPanel("prerequisites"),
            ],
            heading=_("Audience and practicalities"),
        ),
        FieldPanel("body"),
        FieldPanel("outcomes"),
        InlinePanel("course_skills", heading=_("Skills taught"), label=_("skill")),
        InlinePanel("course_instructors", heading=_("Instructors"), label=_("instructor")),
        InlinePanel("sessions", heading=_("Sessions"), label=_("session")),
        MultiFieldPanel(
            [FieldPanel("completion_threshold"), FieldPanel("completion_automatic")],
            heading=_("Completion"),
        ),
        InlinePanel("materials", heading=_("Material"), label=_("material")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.AutocompleteField("summary"),
        index.RelatedFields(
            "course_skills", [index.RelatedFields("skill", [index.SearchField("name")])]
        ),
        index.FilterField("format"),
        index.FilterField("level"),
    ]
    parent_page_types = ["courses.InstituteCoursesPage"]
    subpage_types = []
    base_form_class = CoursePageForm

    objects = PageManager.from_queryset(CoursePageQuerySet)()

    # Sessions (with their enrolments) and material belong to the original course; a
    # translation shows the original's (`original`).
    exclude_fields_in_copy = ["sessions", "materials"]
    override_translatable_fields = [
        SAME_SLUG,
        KeptByOriginal("sessions"),
        KeptByOriginal("materials"),
    ]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def save(self, *args, **kwargs):
        """Save the page; children the apps above say must stay are put back first.

        The admin's course form already refuses a version that would delete them, with a
        message; this holds for the paths without a form, where a 500 or a scheduled
        publication failing every minute would be the alternative. Saving only some fields
        (`update_fields`, as when a draft is saved) leaves the children alone anyway.
        """
        if self.pk and kwargs.get("update_fields") is None:
            for keep in course_children_kept:
                keep(self)
        return super().save(*args, **kwargs)

    def follow_folder(self, folder=None):
        """The organising institute is the one whose folder holds the course.

        `folder`: the parent page when the course is not in the tree yet (the admin's add
        form); else read from the course's path. A course outside any folder keeps its own.
        """
        if folder is not None:
            institute_id = getattr(folder.specific_deferred, "institute_id", None)
        elif self.path and self.depth and self.depth > 1:
            parent_path = self.path[: -self.steplen]
            institute_id = (
                InstituteCoursesPage.objects.filter(path=parent_path)
                .values_list("institute_id", flat=True)
                .first()
            )
        else:
            institute_id = None
        if institute_id is not None:
            self.institute_id = institute_id

    def clean(self):
        self.follow_folder()
        super().clean()

    def completion_met(self, attended: int, meetings: int) -> bool:
        """The course's completion rule: present at `completion_threshold` % of the session's
        `meetings` (rounded up), and at least at one."""
        return attended >= 1 and attended * 100 >= self.completion_threshold * meetings

    def upcoming_sessions(self):
        """Sessions not yet finished, soonest first, with their venue."""
        return (
            self.sessions.filter(ends_at__gt=timezone.now())
            .select_related("institute")
            .order_by("starts_at")
        )

    def get_context(self, request, *args, **kwargs):
        """`course`: the original course, with its sessions, skills, instructors and venue;
        `course.text`: this page, whose text (title, summary, description…) is in the reader's
        language when it is a translation, in the original's when the course has none."""
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        course = self.original
        page = (
            CoursePage.objects.filter(pk=course.pk)
            .select_related("institute", "cover_image")
            .prefetch_related(
                "languages",
                "audiences",
                models.Prefetch(
                    "course_skills",
                    queryset=CourseSkill.objects.select_related("skill__category"),
                ),
                models.Prefetch(
                    "course_instructors",
                    queryset=CourseInstructor.objects.select_related("instructor__photo"),
                ),
            )
            .first()
        ) or course
        with_text([page.institute, *page.audiences.all()])
        with_text([course_skill.skill for course_skill in page.course_skills.all()])
        with_text([taught.instructor for taught in page.course_instructors.all()])
        page.text = self
        context["course"] = page
        context["sessions"] = list(
            Session.objects.filter(course_id=course.pk, ends_at__gt=now)
            .select_related("institute", "course__institute")
            .prefetch_related("meetings")
            .order_by("starts_at")
        )
        with_text([session.institute for session in context["sessions"]])
        context["now"] = now
        # Shown first, before the body: the next session, as the catalogue's cards name it.
        context["next_session"] = next((s for s in context["sessions"] if s.is_upcoming(now)), None)
        context.update(course_page_context.context(page, request))
        return context


class CourseSkill(Orderable):
    """A skill a course teaches, and to which level."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="course_skills")
    skill = models.ForeignKey(
        "skills.Skill", verbose_name=_("skill"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(
        _("level"), choices=SkillLevel.choices, default=SkillLevel.FOUNDATION
    )

    panels = [FieldRowPanel([FieldPanel("skill"), FieldPanel("level")])]

    class Meta(Orderable.Meta):
        verbose_name = _("skill taught")
        constraints = [
            models.UniqueConstraint(fields=["course", "skill"], name="unique_skill_per_course")
        ]


class CourseInstructor(Orderable):
    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="course_instructors")
    instructor = models.ForeignKey(
        Instructor, verbose_name=_("instructor"), on_delete=models.PROTECT, related_name="+"
    )

    panels = [FieldPanel("instructor")]


class SessionQuerySet(models.QuerySet):
    def listed(self):
        """Sessions of the courses listings show (`CoursePageQuerySet.listed`)."""
        return self.filter(course__live=True).filter(not_restricted("course__path"))

    def scheduled(self):
        return self.filter(status=SessionStatus.SCHEDULED)

    def upcoming(self, now=None):
        """Scheduled sessions that have not started yet."""
        return self.scheduled().filter(starts_at__gt=now or timezone.now())

    def with_free_seats(self):
        return self.filter(confirmed_count__lt=models.F("capacity"))

    def accepting_enrolment(self, now=None):
        """Sessions that would take an enrol request at `now`: upcoming, their enrolment
        window open, and a seat free (display count) or a waiting list. The SQL form of
        `courses.states.accepts_enrolment`; the enrolment itself is decided under the lock."""
        now = now or timezone.now()
        return (
            self.upcoming(now)
            .filter(
                models.Q(enrolment_opens_at__isnull=True) | models.Q(enrolment_opens_at__lte=now)
            )
            .filter(
                models.Q(enrolment_closes_at__isnull=True) | models.Q(enrolment_closes_at__gt=now)
            )
            .filter(
                models.Q(confirmed_count__lt=models.F("capacity")) | models.Q(waitlist_enabled=True)
            )
        )


class Session(Orderable):
    """One dated run of a course. Times are entered in Africa/Casablanca and stored in UTC."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="sessions")

    # When and where
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    mode = models.CharField(
        _("mode"), max_length=20, choices=SessionMode.choices, default=SessionMode.IN_PERSON
    )
    institute = models.ForeignKey(
        "institutes.InstitutePage",
        verbose_name=_("venue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
        help_text=_("Where learners meet; required in person and hybrid."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=TEACHING_LANGUAGES, default=settings.LANGUAGE_CODE
    )
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("Shown only to enrolled learners; required online and hybrid."),
    )
    # The meetings and reminders, as editors write them (`courses.schedule`).
    schedule = models.TextField(
        _("meetings"),
        blank=True,
        help_text=_(
            "One line per meeting: the day, the start and the end, for example "
            "10/03/2027 09:00-12:30. Empty: one meeting per day from the first day to the "
            "last, at the session's start and end times."
        ),
    )
    reminders = models.CharField(
        _("reminders"),
        max_length=60,
        blank=True,
        default=DEFAULT_REMINDERS,
        help_text=_(
            "How long before the start learners are reminded, in days (d) or hours (h), "
            "for example 7d, 1d. Empty: no reminder."
        ),
    )

    # Seats and enrolment
    capacity = models.PositiveIntegerField(
        _("capacity"), default=20, validators=[MinValueValidator(1)]
    )
    waitlist_enabled = models.BooleanField(_("waiting list"), default=True)
    enrolment_opens_at = models.DateTimeField(
        _("enrolment opens"), null=True, blank=True, help_text=_("Empty: open now.")
    )
    enrolment_closes_at = models.DateTimeField(
        _("enrolment closes"),
        null=True,
        blank=True,
        help_text=_("Empty: when the session starts."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )

    # Display caches, kept by the enrolment services; capacity is always counted under a lock.
    confirmed_count = models.PositiveIntegerField(default=0, editable=False)
    waitlist_count = models.PositiveIntegerField(default=0, editable=False)
    # What learners were last told about (dates, place, link), see enrolments.services.sessions.
    notified_signature = models.CharField(max_length=32, blank=True, editable=False)

    objects = SessionQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldRowPanel([FieldPanel("mode"), FieldPanel("language")]),
        FieldPanel("institute"),
        FieldPanel("online_url"),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("waitlist_enabled")]),
        FieldRowPanel([FieldPanel("enrolment_opens_at"), FieldPanel("enrolment_closes_at")]),
        FieldPanel("schedule", widget=forms.Textarea(attrs={"rows": 3})),
        FieldPanel("reminders"),
        FieldPanel("status"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["starts_at"], name="session_starts_at"),
            models.Index(fields=["course", "starts_at"], name="session_course_starts_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="session_capacity"),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at) if self.starts_at else None
        when = local.strftime("%Y-%m-%d %H:%M") if local else "?"
        return f"{self.course.title if self.course_id else ''} — {when}"

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The session must end after it starts.")
        if self.enrolment_closes_at and self.ends_at and self.enrolment_closes_at > self.ends_at:
            errors["enrolment_closes_at"] = _("Enrolment must close before the session ends.")
        if (
            self.enrolment_opens_at
            and self.enrolment_closes_at
            and self.enrolment_opens_at >= self.enrolment_closes_at
        ):
            errors["enrolment_opens_at"] = _("Enrolment must open before it closes.")
        if self.capacity is not None and self.capacity < 1:
            errors["capacity"] = _("A session needs at least one seat.")
        if self.mode in (SessionMode.IN_PERSON, SessionMode.HYBRID) and not self.institute_id:
            errors["institute"] = _("Say where learners meet for an in-person or hybrid session.")
        if self.mode in (SessionMode.ONLINE, SessionMode.HYBRID) and not self.online_url:
            errors["online_url"] = _("Give the link of an online or hybrid session.")
        if self.starts_at and self.ends_at and self.ends_at > self.starts_at:
            try:
                check_meetings(self.meeting_slots(), self.starts_at, self.ends_at)
            except ScheduleError as error:
                errors["schedule"] = str(error)
        try:
            parse_reminders(self.reminders)
        except ScheduleError as error:
            errors["reminders"] = str(error)
        if errors:
            raise ValidationError(errors)

    def meeting_slots(self):
        """The meetings as editors wrote them, else one per day (`courses.schedule`);
        `ScheduleError` when the schedule can't be read."""
        return parse_meetings(self.schedule) or default_meetings(self.starts_at, self.ends_at)

    def reminder_offsets(self):
        """How long before the start learners are reminded, earliest first; none when the
        field can't be read (the form refuses that)."""
        try:
            return parse_reminders(self.reminders)
        except ScheduleError:
            return []

    # Derived values for display
    @property
    def facts(self):
        return SessionFacts(
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            cancelled=self.status == SessionStatus.CANCELLED,
            enrolment_opens_at=self.enrolment_opens_at,
            enrolment_closes_at=self.enrolment_closes_at,
            capacity=self.capacity,
            confirmed=self.confirmed_count,
        )

    def state(self, now=None) -> SessionState:
        return session_state(self.facts, now or timezone.now())

    def is_upcoming(self, now) -> bool:
        """Scheduled and not started yet: `SessionQuerySet.upcoming` for one session."""
        return self.status == SessionStatus.SCHEDULED and self.starts_at > now

    def accepts_enrolment(self, now=None) -> bool:
        """Whether an enrol request would be taken now (by the display counts; the enrolment
        itself is decided under the session's lock)."""
        return accepts_enrolment(self.state(now), self.waitlist_enabled)

    @property
    def seats_left(self):
        return max(self.capacity - self.confirmed_count, 0)

    def venue_allowed_for(self, user, organiser_id) -> bool:
        """Whether `user` may hold this session where it is: administrators anywhere, an
        institute's editors online or at the course's organiser (`organiser_id`), so that no
        editor reaches another institute's learners by naming it as the venue."""
        if user is not None and user.is_active and user.is_superuser:
            return True
        return self.institute_id is None or self.institute_id == organiser_id

    @property
    def venue(self):
        """The institute hosting the session, else the course's organiser (online sessions)."""
        return self.institute or self.course.institute

    @property
    def meeting_place(self):
        """Where learners meet in person: the venue in person and hybrid, None online."""
        return None if self.mode == SessionMode.ONLINE else self.venue


class Meeting(models.Model):
    """One day or time slot of a session, at which attendance is recorded.

    Written from the session's schedule whenever the session is saved (`courses.meetings`);
    a meeting at which attendance was recorded is kept (the attendance protects it).
    """

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["session", "starts_at"], name="meeting_session_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{local:%Y-%m-%d %H:%M}–{timezone.localtime(self.ends_at):%H:%M}"

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600

    def has_started(self, now) -> bool:
        return now >= self.starts_at
