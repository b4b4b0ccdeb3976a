"""`manage.py seed_demo`: idempotent, complete, valid and usable demo data.

The tests that run the command read one small seed, made once for the module (see
`tests.seeding`); those that change it or seed again do so in their own savepoint. Runs with
other options on an empty database are in `test_command_seed_demo_options`.
"""

import re
from datetime import datetime

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex, Revision, Site

from courses.models import (
    CourseFormat,
    CourseIndexPage,
    CoursePage,
    CourseSkill,
    Instructor,
    Session,
    SessionMode,
)
from demo import data
from demo.builder import SeedOptions, esco_uri
from demo.plan import plan_courses
from home.models import HomePage
from institutes.models import InstitutePage, InstitutesIndexPage
from institutes.regions import Region
from jazari.time import CASABLANCA
from skills.models import Skill, SkillCategory, SkillsIndexPage
from tests.seeding import PASSWORDS, SMALL, seed, seeded_once

AUDIENCE_SLUGS = {"students", "public-servants", "sme-staff", "startups", "researchers", "everyone"}


def counts():
    """Rows of each model; the translatable ones counted in the default language."""
    return {
        model.__name__: (
            model.objects.originals()
            if hasattr(model.objects.all(), "originals")
            else model.objects
        ).count()
        for model in (
            CoursePage,
            Session,
            CourseSkill,
            InstitutePage,
            Skill,
            SkillCategory,
            Instructor,
            get_user_model(),
            get_image_model(),
            Revision,
            Page,
        )
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """`seed_demo` with the small options and given passwords, once for the module: its output."""
    media = tmp_path_factory.mktemp("media")
    with seeded_once(django_db_blocker, media, *SMALL, *PASSWORDS) as output:
        yield output


# The fixed content ---------------------------------------------------------------------------


def test_templates_cover_every_format_audience_and_language():
    """The hand-written courses use every format, every audience and French, Arabic, English."""
    templates = data.COURSE_TEMPLATES
    assert {t.format for t in templates} == set(CourseFormat)
    assert {a for t in templates for a in t.audiences} == AUDIENCE_SLUGS
    assert {lang for t in templates for lang in t.languages} == {"fr", "ar", "en"}
    assert {t.text_language for t in templates} == {"fr", "ar", "en"}
    assert len({t.slug for t in templates}) == len(templates) >= 30


def test_templates_refer_to_existing_skills_instructors_and_institutes():
    """Every slug and name a course template uses exists in the demo framework and network."""
    skills = {s.slug for c in data.SKILL_CATEGORIES for s in c.skills}
    instructors = {i.name for i in data.INSTRUCTORS}
    institutes = {i.slug for i in data.INSTITUTES}
    for template in data.COURSE_TEMPLATES:
        assert {slug for slug, _level in template.skills} <= skills, template.slug
        assert 2 <= len(template.skills) <= 4, template.slug
        assert set(template.instructors) <= instructors, template.slug
        assert 1 <= len(template.instructors) <= 2, template.slug
        assert template.institute in institutes, template.slug
        assert 3 <= len(template.outcomes) <= 4, template.slug
        assert len(template.summary) <= 400, template.slug


def test_default_plan_contains_every_template_and_unique_slugs():
    """With the default options every template is seeded, and variant slugs never collide."""
    today = timezone.localdate(timezone.now(), CASABLANCA)
    plans = plan_courses(SeedOptions().courses, 1, today)
    assert {p.template.slug for p in plans} == {t.slug for t in data.COURSE_TEMPLATES}
    big = plan_courses(1000, 0, today)
    assert len({p.slug for p in big}) == 1000
    second_round = big[len(data.COURSE_TEMPLATES)]
    assert second_round.title == f"{data.COURSE_TEMPLATES[0].title} — promotion 2"


def test_plan_is_reproducible():
    """The same day and options plan exactly the same courses and sessions."""
    today = timezone.localdate(timezone.now(), CASABLANCA)
    assert plan_courses(40, 4, today) == plan_courses(40, 4, today)
    assert plan_courses(40, 4, today)[:12] == plan_courses(12, 4, today)


# Running the command -------------------------------------------------------------------------


@pytest.mark.django_db
def test_seeding_twice_gives_the_same_rows(seeded):
    """A second run with the same options creates, updates and deletes nothing; its ten cover
    images, stored through the default storage, are created once, not duplicated by the rerun."""
    first = counts()
    output = seed(*SMALL, *PASSWORDS)
    assert counts() == first
    assert "0 created, 0 updated, 12 unchanged" in output
    assert first["CoursePage"] == 12
    assert first["Session"] == 36
    assert first["InstitutePage"] == 12
    assert first["Skill"] >= 40
    # admin, 3 learners, 12 institute editors, the programme manager and the trainer
    assert first[get_user_model().__name__] == 18

    images = get_image_model().objects.filter(title__startswith="Couverture de démonstration")
    assert images.count() == 10
    for image in images:
        assert image.file.storage.exists(image.file.name)
        assert (image.width, image.height) == (1200, 630)
        assert image.file_size > 0 and image.file_hash


@pytest.mark.django_db
def test_site_tree_home_and_index_pages(seeded):
    """The seed publishes the three index pages under the home page and fills the home page."""
    home = HomePage.objects.originals().get(slug="home")
    for model, slug, title in (
        (CourseIndexPage, "courses", "Catalogue des formations"),
        (InstitutesIndexPage, "institutes", "Le réseau Jazari"),
        (SkillsIndexPage, "skills", "Référentiel de compétences"),
    ):
        page = model.objects.child_of(home).get(slug=slug)
        assert (page.title, page.live, page.url) == (title, True, f"/{slug}/")
        assert data.DEMO_NOTICE in page.intro
    assert data.DEMO_NOTICE in home.hero_text
    featured = [f.course for f in home.featured_courses.all()]
    assert len(featured) == 6
    assert len({course.format for course in featured}) == 6
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_page_id) == ("localhost", 80, home.pk)
    assert Page.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_network_has_the_hub_and_one_institute_per_region(seeded):
    """Jazari Root in Rabat plus one institute in each of the eleven other regions."""
    institutes = InstitutePage.objects.live().originals()
    hub = institutes.get(is_hub=True)
    assert (hub.title, hub.city, hub.region) == ("Jazari Root", "Rabat", Region.RABAT_SALE_KENITRA)
    assert sorted(institutes.values_list("region", flat=True)) == sorted(Region.values)
    for institute in institutes:
        assert re.fullmatch(r"contact\.[a-z]+@jazari\.example", institute.email)
        assert institute.phone.startswith("+212 ")
        assert institute.latitude and institute.longitude
        institute.full_clean()


@pytest.mark.django_db
def test_skills_framework_with_stable_esco_uris(seeded):
    """Categories with 4 to 7 skills each; ESCO-shaped URIs derived from the slug."""
    sizes = SkillCategory.objects.annotate(n=Count("skills")).values_list("n", flat=True)
    assert len(sizes) >= 8
    assert all(4 <= n <= 7 for n in sizes)
    linked = Skill.objects.exclude(esco_uri="")
    assert linked.exists()
    for skill in linked:
        assert skill.esco_uri == esco_uri(skill.slug)
        assert re.fullmatch(r"http://data\.europa\.eu/esco/skill/[0-9a-f-]{36}", skill.esco_uri)


@pytest.mark.django_db
def test_seeded_courses_are_complete_and_valid(seeded):
    """Each course is live under /courses/<its institute>/, passes validation and has everything
    filled in."""
    for course in CoursePage.objects.live().originals().select_related("institute", "cover_image"):
        course.full_clean()
        assert course.url == f"/courses/{course.institute.slug}/{course.slug}/"
        assert course.locale.language_code == "fr"
        assert course.cover_image.width == 1200 and course.cover_image.height == 630
        assert any(block.block_type == "heading" for block in course.body)
        assert 3 <= len(course.outcomes) <= 4
        assert 2 <= course.course_skills.count() <= 4
        assert 1 <= course.course_instructors.count() <= 2
        assert course.languages.exists() and course.audiences.exists()
        assert course.latest_revision_id and course.live_revision_id == course.latest_revision_id
        assert data.DEMO_NOTICE in str(course.body.raw_data)


@pytest.mark.django_db
def test_seeded_sessions_are_valid_and_span_past_and_future(seeded):
    """Sessions pass model validation, start at 09:00 or 14:00 in Casablanca, past and future."""
    now = timezone.now()
    sessions = Session.objects.select_related("course", "institute")
    assert sessions.filter(starts_at__lt=now).exists()
    assert sessions.filter(starts_at__gt=now).exists()
    for session in sessions:
        session.full_clean()
        local = session.starts_at.astimezone(CASABLANCA)
        assert (local.hour, local.minute) in ((9, 0), (14, 0))
        assert 1 <= (session.ends_at - session.starts_at).days + 1 <= 5
        assert 12 <= session.capacity <= 40
        assert session.language in session.course.languages.values_list("code", flat=True)
        assert session.seats_left == session.capacity - session.confirmed_count
        if session.mode != SessionMode.IN_PERSON:
            assert session.online_url.startswith("https://meet.jazari.example/")


@pytest.mark.django_db
def test_seeded_sessions_have_their_meetings_and_past_learners_their_attendance(seeded):
    """One meeting per day of each session; attended and completed learners were present, at
    enough meetings for completed ones, no-shows absent at all; first presences in person were
    checked in before the meeting."""
    from courses.models import Meeting
    from enrolments.models import Attendance, Enrolment

    for session in Session.objects.all():
        days = (
            session.ends_at.astimezone(CASABLANCA).date()
            - session.starts_at.astimezone(CASABLANCA).date()
        ).days + 1
        assert Meeting.objects.filter(session=session).count() == days
    recorded = Enrolment.objects.filter(status__in=["attended", "completed", "no_show"])
    assert recorded.exists()
    for enrolment in recorded.select_related("session__course"):
        marks = list(
            Attendance.objects.filter(enrolment=enrolment).values_list("present", flat=True)
        )
        meetings = enrolment.session.meetings.count()
        assert len(marks) == meetings
        met = enrolment.session.course.completion_met(sum(marks), meetings)
        assert any(marks) == (enrolment.status != "no_show")
        assert met == (
            enrolment.status == "completed" or (enrolment.status == "attended" and meetings == 1)
        )
    checked_in = Attendance.objects.filter(method="check_in").select_related("meeting")
    assert checked_in.exists()
    for attendance in checked_in:
        assert attendance.present and attendance.checked_in_at < attendance.meeting.starts_at


@pytest.mark.django_db
def test_the_trainer_has_a_session_under_way_to_check_learners_in(seeded):
    """The first course's second session runs from 09:00 today to 17:00 tomorrow, in person;
    learner 1 is confirmed in it, and the demo trainer checks their ticket in today."""
    from courses.permissions import taught_sessions
    from demo.users import TRAINER_USERNAME, demo_learners
    from enrolments.models import Enrolment
    from enrolments.services.checkin import check_in

    trainer = get_user_model().objects.get(username=TRAINER_USERNAME)
    today = timezone.localdate(timezone.now(), CASABLANCA)
    [session] = [
        s
        for s in taught_sessions(trainer)
        if s.starts_at.astimezone(CASABLANCA).date() == today and s.ends_at > timezone.now()
    ]
    assert session.mode == SessionMode.IN_PERSON and session.meetings.count() == 2
    learner = demo_learners(1)[1]
    enrolment = Enrolment.objects.get(session=session, learner=learner)
    assert enrolment.status == "confirmed" and not enrolment.attendances.exists()
    assert Enrolment.objects.filter(session=session, status="confirmed").count() == 3
    result = check_in(enrolment.ticket, staff=trainer, session_id=session.pk)
    assert result.meeting.starts_at.astimezone(CASABLANCA).date() == today


@pytest.mark.django_db
def test_learners_answered_the_feedback_and_the_organisers_wrote_to_the_session_under_way(
    seeded,
):
    """Learners present at ended sessions answered the feedback (only they did), and learner 1
    has the organisers' message of the session under way, its emails not sent; a rerun writes
    neither again."""
    from demo.users import demo_learners
    from enrolments.models import Notification
    from enrolments.services.messages import addressed_to
    from feedback.models import Feedback

    answers = Feedback.objects.select_related("enrolment__session")
    assert answers.exists()
    for answer in answers:
        assert answer.enrolment.status in ("attended", "completed")
        assert answer.enrolment.attendances.filter(present=True).exists()
        assert answer.submitted_at > answer.enrolment.session.ends_at
    [message] = addressed_to(demo_learners(1)[1])
    assert message.subject == "Accueil en salle 2"
    assert not Notification.objects.filter(kind="message", sent_at__isnull=True).exists()
    count = answers.count()
    output = seed(*SMALL, *PASSWORDS)
    assert "Feedback: 0 answers written; organisers' message: none new." in output
    assert Feedback.objects.count() == count


@pytest.mark.django_db
def test_rerun_restores_changed_courses_and_keeps_session_ids(seeded):
    """A course edited or missing a session is put back; untouched sessions keep their ids."""
    course = CoursePage.objects.originals().get(slug="ia-pour-tous")
    sessions = list(course.sessions.order_by("sort_order").values_list("pk", flat=True))
    CoursePage.objects.filter(pk=course.pk).update(title="Titre changé", summary="Résumé changé")
    Session.objects.filter(pk=sessions[-1]).delete()

    output = seed(*SMALL, *PASSWORDS)

    course.refresh_from_db()
    assert course.title == data.COURSE_TEMPLATES[0].title
    assert course.summary == data.COURSE_TEMPLATES[0].summary
    assert (
        list(course.sessions.order_by("sort_order").values_list("pk", flat=True))[:-1]
        == (sessions[:-1])
    )
    assert course.sessions.count() == 3
    assert "0 created, 1 updated, 11 unchanged" in output
    assert course.latest_revision.as_object().summary == course.summary


@pytest.mark.django_db
def test_larger_rerun_adds_numbered_variants_elsewhere(seeded):
    """More courses than templates adds "— promotion N" variants run by another institute."""
    output = seed("--courses", "40", "--sessions-per-course", "3", "--learners", "3")
    assert "28 created, 0 updated, 12 unchanged" in output
    assert CoursePage.objects.originals().count() == 40
    template = data.COURSE_TEMPLATES[0]
    variant = CoursePage.objects.originals().get(slug=f"{template.slug}-promotion-2")
    assert variant.title == f"{template.title} — promotion 2"
    assert variant.institute.slug != template.institute
    assert Page.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_admin_and_learners_can_log_in(seeded, client):
    """The given passwords work for `admin` and for the demo learners."""
    admin = get_user_model().objects.get(username="admin")
    assert (admin.email, admin.is_superuser, admin.is_staff) == ("admin@example.com", True, True)
    assert client.login(username="admin", password="x")
    for number in (1, 3):
        learner = get_user_model().objects.get(username=f"learner{number}@example.com")
        assert learner.email == learner.username and learner.is_active
        assert learner.first_name and learner.last_name
        assert client.login(username=learner.username, password="y")


@pytest.mark.django_db
def test_staff_try_every_role(seeded, client):
    """An editor per institute in its editors group, the programme manager, the trainer linked to
    an instructor who teaches sessions: verified, sharing the staff password, each in their role."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group

    from courses.permissions import taught_sessions
    from enrolments.permissions import manageable_enrolments, visible_enrolments
    from jazari.staff import PROGRAMME_MANAGERS_GROUP

    User = get_user_model()
    institutes = InstitutePage.objects.originals()
    assert institutes.count() == 12
    for institute in institutes:
        editor = User.objects.get(username=f"editor-{institute.slug}")
        assert list(editor.groups.all()) == [institute.editors]
        assert EmailAddress.objects.filter(
            user=editor, email=f"editor-{institute.slug}@example.com", verified=True, primary=True
        ).exists()
    casablanca = User.objects.get(username="editor-jazari-casablanca")
    assert client.login(username=casablanca.username, password="z")
    assert client.get("/admin/").status_code == 200

    manager = User.objects.get(username="manager")
    assert list(manager.groups.values_list("name", flat=True)) == [PROGRAMME_MANAGERS_GROUP]
    assert Group.objects.filter(name=PROGRAMME_MANAGERS_GROUP).count() == 1
    assert (
        visible_enrolments(manager).count()
        == visible_enrolments(User.objects.get(username="admin")).count()
        > 0
    )
    assert not manageable_enrolments(manager).exists()
    assert client.login(username="manager", password="z")
    assert client.get("/admin/enrolments/").status_code == 200

    trainer = User.objects.get(username="trainer1")
    assert trainer.instructor.name == f"{trainer.first_name} {trainer.last_name}"
    session = taught_sessions(trainer).order_by("starts_at").first()
    assert session is not None
    assert not trainer.groups.exists() and not trainer.has_perm("wagtailadmin.access_admin")
    for user in (manager, trainer):
        assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()
    assert client.login(username="trainer1", password="z")
    assert client.get(f"/dashboard/teaching/sessions/{session.pk}/").status_code == 200


@pytest.mark.django_db
def test_rerun_puts_the_staff_back(seeded):
    """A rerun puts an editor back in their group and relinks the trainer, and keeps the
    password when none is given."""
    from courses.models import Instructor

    User = get_user_model()
    editor = User.objects.get(username="editor-jazari-casablanca")
    editor.groups.clear()
    trainer = User.objects.get(username="trainer1")
    Instructor.objects.filter(user=trainer).update(user=None)
    output = seed(*SMALL)
    assert "Staff: 0 created, existing password kept." in output
    assert editor.groups.filter(
        pk=InstitutePage.objects.originals().get(slug="jazari-casablanca").editors_id
    )
    assert Instructor.objects.filter(user=trainer).count() == 1
    assert User.objects.get(username="manager").check_password("z")


@pytest.mark.django_db
def test_seeded_courses_are_searchable(seeded):
    """The search index covers seeded courses: a word of a title finds that course."""
    python = CoursePage.objects.originals().get(slug="python-pour-la-donnee")
    assert python in CoursePage.objects.live().search("Python")
    bootcamp = CoursePage.objects.originals().get(slug="bootcamp-apprentissage-profond")
    assert bootcamp in CoursePage.objects.live().search("bootcamp")


@pytest.mark.django_db
def test_admin_edit_view_of_a_seeded_course(seeded, client):
    """A superuser can open a seeded course in the Wagtail editor, with its sessions."""
    course = CoursePage.objects.originals().get(slug="mlops-notebook-to-production")
    client.login(username="admin", password="x")
    response = client.get(f"/admin/pages/{course.pk}/edit/")
    assert response.status_code == 200
    content = response.content.decode()
    assert course.title in content
    assert 'name="sessions-TOTAL_FORMS" value="3"' in content
    assert client.get(f"/admin/pages/{course.pk}/history/").status_code == 200


@pytest.mark.django_db
def test_reference_index_knows_where_covers_are_used(seeded):
    """The admin's usage count of a cover image lists the seeded courses that use it."""
    course = CoursePage.objects.select_related("cover_image").first()
    usage = ReferenceIndex.get_references_to(course.cover_image)
    assert usage.filter(object_id=str(course.pk)).exists()


@pytest.mark.django_db
def test_cover_image_whose_file_is_gone_gets_it_back(seeded):
    """A rerun stores the file again when the media folder or bucket lost it."""
    image = get_image_model().objects.get(title="Couverture de démonstration 01")
    name = image.file.name
    image.file.storage.delete(name)
    seed(*SMALL, *PASSWORDS)
    image.refresh_from_db()
    assert image.file.storage.exists(image.file.name)
    # Under the same name: the module's seed, restored after this test, finds its file.
    assert image.file.name == name
    assert get_image_model().objects.filter(title=image.title).count() == 1


def test_session_times_are_local_casablanca_times():
    """Planned sessions are aware datetimes in Africa/Casablanca, ending after they start."""
    today = timezone.localdate(timezone.now(), CASABLANCA)
    for plan in plan_courses(64, 4, today):
        for session in plan.sessions:
            assert isinstance(session.starts_at, datetime)
            assert session.starts_at.tzinfo == CASABLANCA
            assert session.ends_at > session.starts_at
            assert session.language in dict(django_settings.LANGUAGES)


@pytest.mark.django_db
def test_rerun_puts_back_demo_profiles_and_verification(seeded):
    """A learner's profile edited or address unverified is restored; the consent date is kept."""
    from allauth.account.models import EmailAddress

    from learners.models import Profile

    learner = get_user_model().objects.get(username="learner2@example.com")
    accepted = learner.profile.privacy_accepted_at
    Profile.objects.filter(user=learner).update(full_name="Changé", organisation="")
    EmailAddress.objects.filter(user=learner).update(verified=False, primary=False)

    seed(*SMALL, *PASSWORDS)

    learner.profile.refresh_from_db()
    assert learner.profile.full_name == f"{learner.first_name} {learner.last_name}"
    assert learner.profile.organisation
    assert learner.profile.privacy_accepted_at == accepted
    address = EmailAddress.objects.get(user=learner)
    assert (address.verified, address.primary) == (True, True)


@pytest.mark.django_db
def test_demo_content_is_translated_into_arabic_and_english(seeded):
    """Every institute, category, skill, audience and path, the site pages and at least a
    third of the courses have an Arabic and an English translation, made with wagtail-localize
    (complete in its translation editor), labelled as demo data; a rerun writes none again."""
    from wagtail_localize.models import Translation

    from courses.models import Audience
    from paths.models import LearningPathPage

    for language in ("ar", "en"):
        for model in (InstitutePage, SkillCategory, Skill, Audience, LearningPathPage, HomePage):
            originals = model.objects.filter(locale__language_code="fr")
            keys = set(originals.values_list("translation_key", flat=True))
            found = set(
                model.objects.filter(
                    translation_key__in=keys, locale__language_code=language
                ).values_list("translation_key", flat=True)
            )
            assert found == keys, (model.__name__, language)
        courses = CoursePage.objects.filter(locale__language_code="fr").count()
        translated = CoursePage.objects.filter(locale__language_code=language).count()
        assert translated * 3 >= courses
        home = HomePage.objects.get(locale__language_code=language)
        for model in (HomePage, InstitutePage, LearningPathPage, CoursePage):
            unpublished = model.objects.filter(locale__language_code=language).exclude(
                live=True, has_unpublished_changes=False
            )
            assert not unpublished.exists(), (model.__name__, language)
        assert {"ar": "بيانات تجريبية", "en": "Demo data"}[language] in home.hero_text
    for translation in Translation.objects.all()[:20]:
        total, done = translation.get_progress()
        assert done == total
    output = seed(*SMALL, *PASSWORDS)
    assert "Translations (ar, en): 0 written" in output
