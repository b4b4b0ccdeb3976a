"""The page tree editors may build, creating a course with its sessions in the Wagtail admin,
and access to the skills and instructors snippets."""

from datetime import UTC, datetime

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from courses.models import CourseIndexPage, CoursePage, InstituteCoursesPage, Instructor, Session
from home.models import HomePage
from institutes.models import InstitutePage, InstitutesIndexPage
from paths.models import LearningPathIndexPage
from skills.models import SkillLevel, SkillsIndexPage
from tests import factories

HOME_CHILDREN = {CourseIndexPage, InstitutesIndexPage, SkillsIndexPage, LearningPathIndexPage}


def in_language_of(response, message):
    """`message` translated into the language the admin answered in (`<html lang>`)."""
    language = BeautifulSoup(response.content, "html.parser").html["lang"]
    with translation.override(language):
        return str(translation.gettext(message))


def errors_of(response):
    """The text of the error messages in an admin form."""
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(
        e.get_text(" ", strip=True) for e in soup.select(".error-message, [data-field-errors]")
    )


class PageTreeTests(WagtailPageTestCase):
    """Which page types go where (read off `parent_page_types` / `subpage_types`)."""

    def test_editors_create_the_index_pages_under_home(self):
        """Editors can add the catalogue, the network, the skills framework and the learning
        paths under home."""
        for index_page in HOME_CHILDREN:
            self.assertCanCreateAt(HomePage, index_page)
        self.assertEqual(set(HomePage.creatable_subpage_models()), HOME_CHILDREN)
        self.assertCanNotCreateAt(HomePage, CoursePage)
        self.assertCanNotCreateAt(HomePage, InstitutePage)

    def test_home_allows_only_the_index_pages(self):
        """The home page declares its children: nothing but the four index pages goes there."""
        self.assertAllowedSubpageTypes(HomePage, HOME_CHILDREN)

    def test_home_only_at_the_root(self):
        """The home page is created only under Wagtail's root page."""
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_catalogue_holds_courses(self):
        """Courses live in their institute's folder under the catalogue, and only there."""
        self.assertAllowedSubpageTypes(CourseIndexPage, {InstituteCoursesPage})
        self.assertAllowedParentPageTypes(InstituteCoursesPage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(InstituteCoursesPage, {CoursePage})
        self.assertAllowedParentPageTypes(CoursePage, {InstituteCoursesPage})
        self.assertAllowedSubpageTypes(CoursePage, set())

    def test_network_holds_institutes(self):
        """Institutes live under the network page, and only there."""
        self.assertAllowedSubpageTypes(InstitutesIndexPage, {InstitutePage})
        self.assertAllowedParentPageTypes(InstitutePage, {InstitutesIndexPage})
        self.assertAllowedSubpageTypes(InstitutePage, set())

    def test_index_pages_sit_under_home(self):
        """The three index pages are children of the home page only."""
        for index_page in (CourseIndexPage, InstitutesIndexPage, SkillsIndexPage):
            self.assertAllowedParentPageTypes(index_page, {HomePage})
        self.assertAllowedSubpageTypes(SkillsIndexPage, set())


class CourseCreationTests(WagtailPageTestCase):
    """An editor creates and publishes a course with its sessions through the admin form."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = factories.site_tree()
        cls.organiser = factories.institute(cls.tree, "Jazari Root", is_hub=True)
        cls.fes = factories.institute(
            cls.tree, "Jazari Institute Fès", region="fes-meknes", city="Fès"
        )
        cls.skill = factories.skill("Apprentissage supervisé")
        cls.editor = get_user_model().objects.create_superuser(
            "editor", "editor@example.com", "password"
        )
        cls.folder = factories.folder(cls.organiser)
        cls.add_url = f"/admin/pages/add/courses/coursepage/{cls.folder.pk}/"

    def setUp(self):
        self.client.force_login(self.editor)

    def form(self, title, sessions):
        data = factories.course_form(
            title,
            self.organiser,
            sessions=sessions,
            skills=[(self.skill, SkillLevel.FOUNDATION)],
            languages=("fr", "ar"),
            format="workshop",
            summary="Deux jours pour entraîner un premier modèle.",
        )
        data["action-publish"] = "action-publish"
        return data

    def test_editor_publishes_a_course_with_two_sessions(self):
        """Publishing from the add form creates a live course, its two sessions and its skill."""
        data = self.form(
            "Atelier vision par ordinateur",
            [
                factories.session_form(
                    self.organiser, starts_at="2030-04-15 09:00", ends_at="2030-04-15 17:00"
                ),
                factories.session_form(
                    None,
                    mode="online",
                    online_url="https://meet.example.com/vision",
                    starts_at="2030-05-20 14:00",
                    ends_at="2030-05-20 16:00",
                    capacity="50",
                    language="ar",
                ),
            ],
        )
        self.assertCanCreate(self.folder, CoursePage, data)

        course = CoursePage.objects.get(slug="atelier-vision-par-ordinateur")
        self.assertTrue(course.live)
        self.assertEqual(course.get_parent().specific, self.folder)
        self.assertEqual(course.institute_id, self.organiser.pk)
        self.assertEqual(course.format, "workshop")
        self.assertEqual(sorted(lang.code for lang in course.languages.all()), ["ar", "fr"])
        self.assertEqual([cs.skill for cs in course.course_skills.all()], [self.skill])
        sessions = list(course.sessions.order_by("starts_at"))
        self.assertEqual(len(sessions), 2)
        self.assertEqual(sessions[0].institute.specific, self.organiser)
        self.assertEqual(sessions[0].starts_at, datetime(2030, 4, 15, 8, 0, tzinfo=UTC))
        self.assertEqual(
            (sessions[1].mode, sessions[1].capacity, sessions[1].language), ("online", 50, "ar")
        )

    def test_published_course_is_on_the_site_and_in_the_catalogue(self):
        """Published from the admin, the course answers at its URL and is listed at /courses/."""
        data = self.form(
            "Atelier vision par ordinateur",
            [
                factories.session_form(
                    self.organiser, starts_at="2030-04-15 09:00", ends_at="2030-04-15 17:00"
                ),
                factories.session_form(
                    self.fes, starts_at="2030-05-20 09:00", ends_at="2030-05-20 17:00"
                ),
            ],
        )
        self.assertCanCreate(self.folder, CoursePage, data)
        course = CoursePage.objects.get(slug="atelier-vision-par-ordinateur")
        self.client.logout()

        self.assertEqual(course.url, "/courses/jazari-root/atelier-vision-par-ordinateur/")
        page = self.client.get(course.url)
        self.assertEqual(page.status_code, 200)
        soup = BeautifulSoup(page.content, "html.parser")
        self.assertEqual(soup.h1.get_text(strip=True), "Atelier vision par ordinateur")
        self.assertEqual(len(soup.select("tr.session-row")), 2)
        self.assertIn("Jazari Institute Fès", soup.select_one(".sessions-table").get_text())

        catalogue = self.client.get("/courses/")
        self.assertEqual(catalogue.status_code, 200)
        self.assertContains(catalogue, 'href="/courses/jazari-root/atelier-vision-par-ordinateur/"')
        result = catalogue.context["catalogue"]
        self.assertEqual([c.title for c in result.page.object_list], [course.title])

    def test_session_ending_before_it_starts_is_refused_and_nothing_saved(self):
        """A session ending before it starts re-renders the form with the message; nothing saved."""
        pages_before = Page.objects.count()
        data = self.form(
            "Atelier à l'envers",
            [
                factories.session_form(
                    self.organiser, starts_at="2030-04-15 17:00", ends_at="2030-04-15 09:00"
                )
            ],
        )
        response = self.client.post(self.add_url, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            in_language_of(response, "The session must end after it starts."), errors_of(response)
        )
        self.assertEqual(Page.objects.count(), pages_before)
        self.assertFalse(CoursePage.objects.filter(slug="atelier-a-lenvers").exists())
        self.assertFalse(Session.objects.exists())

    def test_online_session_without_link_is_refused(self):
        """An online session without its link re-renders the form with the message."""
        data = self.form(
            "Webinaire sans lien",
            [factories.session_form(None, mode="online", online_url="")],
        )
        response = self.client.post(self.add_url, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            in_language_of(response, "Give the link of an online or hybrid session."),
            errors_of(response),
        )
        self.assertFalse(CoursePage.objects.filter(slug="webinaire-sans-lien").exists())


class SnippetAccessTests(WagtailPageTestCase):
    """The skills and instructors snippets: listed for editors, closed to visitors."""

    @classmethod
    def setUpTestData(cls):
        factories.skill("Apprentissage supervisé")
        Instructor.objects.create(name="Salma Benali", organisation="Jazari Root")
        cls.editor = get_user_model().objects.create_superuser(
            "editor", "editor@example.com", "password"
        )
        cls.listings = {
            "skills": reverse("wagtailsnippets_skills_skill:list"),
            "instructors": reverse("wagtailsnippets_courses_instructor:list"),
        }

    def test_editor_sees_the_skills_listing(self):
        """An editor's skills listing shows the framework's skills."""
        self.client.force_login(self.editor)
        response = self.client.get(self.listings["skills"])
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Apprentissage supervisé")

    def test_editor_sees_the_instructors_listing(self):
        """An editor's instructors listing shows each instructor and organisation."""
        self.client.force_login(self.editor)
        response = self.client.get(self.listings["instructors"])
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Salma Benali")
        self.assertContains(response, "Jazari Root")

    def test_anonymous_visitors_are_sent_to_log_in(self):
        """Without a session, both listings redirect to the log-in page with `next`."""
        for name, url in self.listings.items():
            with self.subTest(name):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(
                    response["Location"].startswith(reverse("account_login")),
                    response["Location"],
                )
                self.assertIn("next=", response["Location"])
