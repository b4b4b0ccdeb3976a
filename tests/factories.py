"""Small builders for tests: a site tree, institutes, skills, courses and sessions."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from courses.models import (
    Audience,
    CourseIndexPage,
    CoursePage,
    CourseSkill,
    Language,
    Session,
)
from home.models import HomePage
from institutes.models import InstitutePage, InstitutesIndexPage
from skills.models import Skill, SkillCategory, SkillsIndexPage


@dataclass
class SiteTree:
    home: HomePage
    catalogue: CourseIndexPage
    institutes: InstitutesIndexPage
    skills: SkillsIndexPage


def site_tree():
    """The home page (made by a migration) with the catalogue, network and skills pages."""
    home = HomePage.objects.get()

    def child(model, title, slug):
        existing = model.objects.child_of(home).first()
        if existing:
            return existing
        page = model(title=title, slug=slug)
        home.add_child(instance=page)
        return page

    return SiteTree(
        home=home,
        catalogue=child(CourseIndexPage, "Catalogue des formations", "courses"),
        institutes=child(InstitutesIndexPage, "Le réseau Jazari", "institutes"),
        skills=child(SkillsIndexPage, "Référentiel de compétences", "skills"),
    )


def institute(tree, title, region="rabat-sale-kenitra", city="Rabat", **fields):
    page = InstitutePage(title=title, slug=slugify(title), region=region, city=city, **fields)
    tree.institutes.add_child(instance=page)
    return page


def skill(name, category="Apprentissage automatique", **fields):
    category, _ = SkillCategory.objects.get_or_create(
        slug=slugify(category), defaults={"name": category}
    )
    return Skill.objects.create(category=category, name=name, slug=slugify(name), **fields)


def course(
    tree,
    title,
    organiser,
    *,
    skills=(),
    languages=("fr",),
    audiences=("everyone",),
    **fields,
):
    fields.setdefault("summary", f"Résumé de {title}.")
    page = CoursePage(title=title, slug=slugify(title), institute=organiser, **fields)
    page.languages = list(Language.objects.filter(code__in=languages))
    page.audiences = list(Audience.objects.filter(slug__in=audiences))
    tree.catalogue.add_child(instance=page)
    for position, (taught, level) in enumerate(skills):
        CourseSkill.objects.create(course=page, skill=taught, level=level, sort_order=position)
    return page


def session(course_page, *, starts_in=timedelta(days=10), hours=7, **fields):
    starts_at = timezone.now() + starts_in
    fields.setdefault(
        "institute", course_page.institute if fields.get("mode") != "online" else None
    )
    if fields.get("mode") in ("online", "hybrid"):
        fields.setdefault("online_url", "https://meet.example.com/session")
    return Session.objects.create(
        course=course_page,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        **fields,
    )
