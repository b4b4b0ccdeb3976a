"""Builds the demo site: pages, network, skills framework, instructors, covers, courses, users
(the administrator, learners and staff trying every role).

Every step looks things up by a stable key (page slug, skill slug, instructor name, image
title, username) and writes only what differs from `data.py`, so running `seed_demo` twice
leaves the same rows and a rerun with a larger `--courses` only adds the missing courses.
Courses are written in bulk by `courses.CourseWriter`; the dozen other pages go through
Wagtail's ordinary `add_child` / `save_revision().publish()`, which validates them, as do
the few course pages given demo material (`materials`), so their live revision lists it.

Demo courses left over from an earlier run with a larger `--courses` are kept, not deleted:
deleting pages is slow and an editor may have used them.
"""

import io
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone, translation
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from courses.models import Audience, CourseFormat, CourseIndexPage, Instructor, Language
from demo import covers, data
from demo.after_sessions import ensure_feedback, ensure_message
from demo.certificates import CertificateReport, ensure_certificates
from demo.courses import Counts, CourseWriter, Lookups
from demo.enrolments import EnrolmentReport, ensure_enrolments
from demo.indexing import index_objects, paused_indexing
from demo.materials import MaterialReport, ensure_materials
from demo.paths import ensure_follows, ensure_paths
from demo.plan import CASABLANCA, COVER_COUNT, plan_courses
from demo.translations import TranslationReport, translate_all
from demo.users import Accounts, ensure_admin, ensure_learners, ensure_staff
from home.models import HomeFeaturedCourse, HomePage
from institutes.models import InstitutePage, InstitutesIndexPage
from skills.models import Skill, SkillCategory, SkillsIndexPage

ESCO_NAMESPACE = uuid.UUID("3c2b1a0e-7d55-4e0f-8b8e-2a7e6f1d9c40")
FEATURED_COUNT = 6


class DemoError(Exception):
    """The database is not ready for the demo (e.g. migrations not applied)."""


@dataclass
class SeedOptions:
    courses: int = 60
    sessions_per_course: int = 4
    learners: int = 20
    admin_password: str | None = None
    learner_password: str | None = None
    staff_password: str | None = None


@dataclass
class SeedReport:
    courses: Counts = field(default_factory=Counts)
    sessions: int = 0
    institutes: int = 0
    skills: int = 0
    instructors: int = 0
    admin: Accounts | None = None
    learners: Accounts | None = None
    staff: Accounts | None = None
    enrolments: EnrolmentReport | None = None
    paths: int = 0
    materials: MaterialReport | None = None
    certificates: CertificateReport | None = None
    feedback: int = 0
    message: bool = False
    translations: TranslationReport | None = None


class NoProgress:
    """Stands in for a tqdm bar when none is shown."""

    def update(self, n=1):
        pass

    def set_description(self, text):
        pass


def esco_uri(slug: str) -> str:
    """A stable ESCO-shaped URI for a demo skill (not a real ESCO identifier)."""
    return f"http://data.europa.eu/esco/skill/{uuid.uuid5(ESCO_NAMESPACE, slug)}"


class DemoSeeder:
    """Runs every step in one transaction: a failure leaves the database as it was."""

    def __init__(self, options: SeedOptions, progress=None):
        self.options = options
        self.progress = progress or NoProgress()
        self.now = timezone.now()
        self.today = timezone.localdate(self.now, CASABLANCA)

    def run(self) -> SeedReport:
        report = SeedReport()
        # Region labels and other lazy strings end up in content: write them in French.
        with translation.override("fr"), transaction.atomic():
            self.progress.set_description("pages")
            home = self._home()
            self._site(home)
            catalogue = self._index_page(home, CourseIndexPage, data.CATALOGUE_PAGE)
            network = self._index_page(home, InstitutesIndexPage, data.INSTITUTES_PAGE)
            skills_index = self._index_page(home, SkillsIndexPage, data.SKILLS_PAGE)

            self.progress.set_description("network and skills")
            lookups = Lookups(
                institutes=self._institutes(network),
                skills=self._skills(),
                instructors=self._instructors(),
                covers=self._covers(),
                audiences={a.slug: a for a in Audience.objects.originals()},
                languages={lang.code: lang for lang in Language.objects.all()},
            )
            self._check_reference_data(lookups)

            self.progress.set_description("courses")
            plans = plan_courses(self.options.courses, self.options.sessions_per_course, self.today)
            writer = CourseWriter(catalogue, lookups, self.now, self.progress)
            courses = writer.write(plans)
            self._home_content(home, plans, courses)

            self.progress.set_description("users")
            report.admin = ensure_admin(self.options.admin_password)
            report.learners = ensure_learners(self.options.learners, self.options.learner_password)
            report.staff = ensure_staff(
                lookups.institutes,
                self._trainer_instructor(plans, lookups),
                self.options.staff_password,
            )
            self.progress.set_description("enrolments")
            report.enrolments = ensure_enrolments(courses, self.options.learners, self.now)
            self.progress.set_description("certificates")
            report.certificates = ensure_certificates(courses, self.options.learners, self.now)
            self.progress.set_description("feedback and messages")
            report.feedback = ensure_feedback(self.options.learners, self.now)
            report.message = ensure_message(courses, self.now)
            # After the enrolments: publishing a course saves its sessions from the revision.
            self.progress.set_description("material")
            report.materials = ensure_materials(courses)
            self.progress.set_description("learning paths")
            paths = ensure_paths(self._publish, HomePage.objects.get(pk=home.pk), courses)
            ensure_follows(paths, self.options.learners)
            self.progress.set_description("translations")
            report.translations = translate_all(
                home=HomePage.objects.get(pk=home.pk),
                index_pages={
                    "courses": catalogue,
                    "institutes": network,
                    "skills": skills_index,
                    "paths": paths[0].get_parent() if paths else None,
                },
                institutes=lookups.institutes,
                categories=self._categories,
                skills=lookups.skills,
                audiences=lookups.audiences,
                paths={path.slug: path for path in paths},
                plans=plans,
                courses=courses,
            )

        report.courses = writer.counts
        report.sessions = sum(len(plan.sessions) for plan in plans)
        report.institutes = len(lookups.institutes)
        report.skills = len(lookups.skills)
        report.instructors = len(lookups.instructors)
        report.paths = len(paths)
        return report

    def _trainer_instructor(self, plans, lookups):
        """The instructor `trainer1` is: the first one of the first demo course, who teaches its
        sessions."""
        if plans:
            return lookups.instructors[plans[0].template.instructors[0]]
        return lookups.instructors[data.INSTRUCTORS[0].name]

    # Site and pages

    def _home(self):
        home = HomePage.objects.filter(slug="home", depth=2).first()
        if home is None:
            raise DemoError("No home page: run `manage.py migrate` first (home.0002 creates it).")
        return home

    def _site(self, home):
        """The default site answers any host; its own name is localhost:80."""
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name="Jazari Skills",
            )
            return
        wanted = {"hostname": "localhost", "port": 80, "root_page_id": home.pk}
        if any(getattr(site, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(site, name, value)
            site.save()

    def _publish(self, parent, model, slug, values):
        """The child of `parent` with this slug, created or updated through a revision."""
        page = model.objects.child_of(parent).filter(slug=slug).first()
        if page is None:
            if Page.objects.child_of(parent).filter(slug=slug).exists():
                raise DemoError(f"{parent.url_path}{slug}/ exists but is not a {model.__name__}.")
            page = model(slug=slug, **values)
            parent.add_child(instance=page)
        elif all(getattr(page, name) == value for name, value in values.items()) and page.live:
            return page
        else:
            for name, value in values.items():
                setattr(page, name, value)
        page.save_revision().publish()
        return page

    def _index_page(self, home, model, page_data):
        values = {"title": page_data.title, "intro": page_data.intro}
        return self._publish(home, model, page_data.slug, values)

    def _institutes(self, network):
        institutes = {}
        for item in data.INSTITUTES:
            values = {
                "title": item.title,
                "is_hub": item.is_hub,
                "intro": data.institute_intro(item),
                "body": data.institute_body(item),
                "region": item.region.value,
                "city": item.city,
                "address": item.address,
                "latitude": Decimal(item.latitude),
                "longitude": Decimal(item.longitude),
                "email": item.email,
                "phone": item.phone,
                "website": f"https://jazari.example/{item.slug}/",
                "signatory_name": data.SIGNATORIES[item.slug][0],
                "signatory_role": data.SIGNATORIES[item.slug][1],
            }
            institutes[item.slug] = self._publish(network, InstitutePage, item.slug, values)
        return institutes

    def _home_content(self, home, plans, courses):
        """Headline, introduction and six featured courses, one per format where possible."""
        home = HomePage.objects.get(pk=home.pk)  # fresh: add_child changed its numchild
        by_format = {}
        for plan, course in zip(plans, courses, strict=True):
            by_format.setdefault(plan.template.format, course)
        featured = [by_format[f] for f in CourseFormat if f in by_format]
        featured += [c for c in courses if c not in featured]
        featured_ids = [course.pk for course in featured[:FEATURED_COUNT]]

        values = {
            "hero_title": data.HOME_HERO_TITLE,
            "hero_text": data.HOME_HERO_TEXT,
            "body": data.HOME_BODY,
        }
        current_ids = list(
            home.featured_courses.order_by("sort_order").values_list("course_id", flat=True)
        )
        unchanged = all(getattr(home, name) == value for name, value in values.items())
        if unchanged and current_ids == featured_ids and home.live:
            return
        for name, value in values.items():
            setattr(home, name, value)
        home.featured_courses = [
            HomeFeaturedCourse(course_id=pk, sort_order=i) for i, pk in enumerate(featured_ids)
        ]
        home.save_revision().publish()

    # Snippets and images

    def _skills(self):
        self._categories = categories = _upsert(
            SkillCategory,
            "slug",
            [
                {
                    "slug": category.slug,
                    "name": category.name,
                    "description": category.description,
                    "sort_order": order,
                }
                for order, category in enumerate(data.SKILL_CATEGORIES, start=1)
            ],
        )
        return _upsert(
            Skill,
            "slug",
            [
                {
                    "slug": skill.slug,
                    "category_id": categories[category.slug].pk,
                    "name": skill.name,
                    "description": skill.description,
                    "esco_uri": esco_uri(skill.slug) if skill.esco else "",
                }
                for category in data.SKILL_CATEGORIES
                for skill in category.skills
            ],
        )

    def _instructors(self):
        return _upsert(
            Instructor,
            "name",
            [
                {
                    "name": item.name,
                    "role": item.role,
                    "organisation": item.organisation,
                    "bio": data.INSTRUCTOR_BIO,
                }
                for item in data.INSTRUCTORS
            ],
        )

    def _covers(self):
        """The cover images, drawn and stored once (through the default storage, so S3 too).

        An image whose file has gone (a media folder wiped, a new bucket) gets it back.
        """
        Image = get_image_model()
        titles = [covers.cover_title(n) for n in range(COVER_COUNT)]
        existing = {image.title: image for image in Image.objects.filter(title__in=titles)}
        images = []
        for number, title in enumerate(titles):
            image = existing.get(title) or Image(title=title)
            if not image.pk or not image.file.storage.exists(image.file.name):
                png = io.BytesIO(covers.draw_cover(number))
                image.file = ImageFile(png, name=covers.cover_filename(number))
                image._set_image_file_metadata()
                image.save()  # the file goes through the default storage here
            images.append(image)
        return images

    def _check_reference_data(self, lookups):
        """Audiences and languages come from a migration (courses.0004); say so if missing."""
        missing = {
            slug for t in data.COURSE_TEMPLATES for slug in t.audiences
        } - lookups.audiences.keys()
        missing |= {
            code for t in data.COURSE_TEMPLATES for code in t.languages
        } - lookups.languages.keys()
        if missing:
            raise DemoError(
                f"Missing audiences or languages {sorted(missing)}: run `manage.py migrate`."
            )


def _originals(model):
    """The rows in the default language: translations share the originals' slugs."""
    queryset = model.objects.all()
    return queryset.originals() if hasattr(queryset, "originals") else queryset


def _upsert(model, key, rows):
    """{key: object} for `rows`, creating or updating only the objects that differ.

    Search indexing is paused during the saves and done once for the rows written.
    """
    existing = {
        getattr(obj, key): obj
        for obj in _originals(model).filter(**{f"{key}__in": [row[key] for row in rows]})
    }
    objects, written = {}, []
    with paused_indexing(model):
        for row in rows:
            obj = existing.get(row[key])
            if obj is None:
                obj = model(**row)
            elif any(getattr(obj, name) != value for name, value in row.items()):
                for name, value in row.items():
                    setattr(obj, name, value)
            else:
                objects[row[key]] = obj
                continue
            obj.save()
            written.append(obj)
            objects[row[key]] = obj
    index_objects(model, written)
    return objects
