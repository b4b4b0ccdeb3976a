"""Demo learning paths under `/paths/`, composed of the hand-written demo courses, and a few
demo learners following them.

A path lists only the courses this run has seeded (a small `--courses` seeds the first
templates only) and is written only when its fields or its list of courses differ from what
is stored, so a rerun publishes nothing and stays fast.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from wagtail.models import ReferenceIndex

from demo.data import DEMO_NOTICE, IndexPageData
from demo.indexing import index_objects, paused_indexing
from demo.users import learner_email, learner_number
from paths.models import LearningPathCourse, LearningPathIndexPage, LearningPathPage, PathFollow

PATHS_PAGE = IndexPageData(
    "paths",
    "Parcours de formation",
    "<p>Des formations enchaînées dans un ordre réfléchi pour préparer un métier ou un rôle. "
    f"Suivez un parcours pour voir votre progression. <i>{DEMO_NOTICE}.</i></p>",
)


@dataclass(frozen=True)
class PathData:
    slug: str
    title: str
    role: str
    summary: str
    courses: tuple[tuple[str, str], ...]
    """(course slug, note) in the order of the path."""


PATHS = (
    PathData(
        slug="ia-administration-publique",
        title="IA pour l'administration publique",
        role="Agent public référent IA",
        summary="De la culture générale de l'IA à l'achat et à la conduite d'un projet : le "
        "parcours des agents qui portent l'IA dans leur administration.",
        courses=(
            ("ia-pour-tous", "Le socle commun : à suivre en premier."),
            ("ia-generative-administration", ""),
            ("codesign-guichet-augmente", "Un cas concret, conçu avec les usagers."),
            ("loi-09-08-et-ia", "Indispensable avant tout traitement de données personnelles."),
            ("achat-public-solutions-ia", ""),
            ("conduite-changement-service-public", "Pour faire adopter l'outil par les équipes."),
        ),
    ),
    PathData(
        slug="data-analyst",
        title="Data analyst",
        role="Analyste de données",
        summary="Python, apprentissage automatique et ingénierie des données : les bases "
        "techniques pour transformer des données en décisions.",
        courses=(
            ("python-pour-la-donnee", "Passez-la si vous programmez déjà en Python."),
            ("apprentissage-automatique-en-pratique", ""),
            ("ingenierie-des-donnees", ""),
            (
                "donnees-ouvertes-collectivites",
                "Un atelier pour s'exercer sur des données réelles.",
            ),
            ("prevision-demande-energie", ""),
        ),
    ),
    PathData(
        slug="ia-et-pme",
        title="IA et PME",
        role="Référent IA en PME",
        summary="Repérer les usages utiles à une petite entreprise, les essayer sans risque et "
        "lancer un premier produit.",
        courses=(
            ("ia-pour-tous", ""),
            ("webinaire-ia-generative-pme", ""),
            ("ia-rowad-aamal", "En arabe, pour les fondateurs et dirigeants."),
            ("webinaire-cybersecurite", ""),
            ("bootcamp-startup-produit-ia", "Pour aller jusqu'au produit."),
        ),
    ),
    PathData(
        slug="ingenierie-ia-generative",
        title="Ingénierie de l'IA générative",
        role="Ingénieur·e LLM",
        summary="Construire, adapter et mettre en production des applications fondées sur des "
        "modèles de langage ouverts.",
        courses=(
            ("python-pour-la-donnee", "Prérequis : passez-la si vous codez déjà en Python."),
            ("llm-rag-assistant-documentaire", ""),
            ("fine-tuning-open-weight-models", ""),
            ("agents-llm", ""),
            ("mlops-notebook-to-production", "Pour passer du prototype à la production."),
        ),
    ),
)

# Demo learner n follows path (n - 1) mod 4, and the first one follows a second path too.
FOLLOWERS = 8


def ensure_paths(publish, home, courses) -> list[LearningPathPage]:
    """The demo paths, published under `/paths/` with the seeded courses they list.

    `publish(parent, model, slug, values)` is the builder's create-or-update of a page.
    """
    index = publish(
        home,
        LearningPathIndexPage,
        PATHS_PAGE.slug,
        {"title": PATHS_PAGE.title, "intro": PATHS_PAGE.intro},
    )
    by_slug = {course.slug: course for course in courses}
    existing = {
        page.slug: page
        for page in LearningPathPage.objects.child_of(index).prefetch_related("path_courses")
    }
    paths, written = [], []
    # Indexed once at the end rather than on each of the many saves a publication makes.
    with paused_indexing(LearningPathPage):
        for item in PATHS:
            steps = [(by_slug[slug].pk, note) for slug, note in item.courses if slug in by_slug]
            if not steps:
                continue
            values = {"title": item.title, "role": item.role, "summary": item.summary}
            page = existing.get(item.slug)
            if page is None:
                page = LearningPathPage(slug=item.slug, **values)
                index.add_child(instance=page)  # its courses are written once, by publish()
            else:
                stored = [(entry.course_id, entry.note) for entry in page.path_courses.all()]
                same = all(getattr(page, name) == value for name, value in values.items())
                if same and stored == steps and page.live:
                    paths.append(page)
                    continue
                for name, value in values.items():
                    setattr(page, name, value)
            page.path_courses = _entries(steps)
            page.save_revision().publish()
            paths.append(page)
            written.append(page)
    index_objects(LearningPathPage, written)
    for page in written:
        ReferenceIndex.create_or_update_for_object(page)
    return paths


def _entries(steps):
    return [
        LearningPathCourse(course_id=course_id, note=note, sort_order=position)
        for position, (course_id, note) in enumerate(steps)
    ]


def ensure_follows(paths, learner_count) -> int:
    """The first demo learners follow the demo paths; returns how many follows were added."""
    if not paths:
        return 0
    numbers = range(1, min(learner_count, FOLLOWERS) + 1)
    learners = get_user_model().objects.filter(username__in=[learner_email(n) for n in numbers])
    wanted = set()
    for learner in learners:
        number = learner_number(learner.username)
        wanted.add((learner.pk, paths[(number - 1) % len(paths)].pk))
        if number == 1 and len(paths) > 1:
            wanted.add((learner.pk, paths[1].pk))
    present = set(
        PathFollow.objects.filter(learner__in=learners).values_list("learner_id", "path_id")
    )
    missing = [PathFollow(learner_id=lid, path_id=pid) for lid, pid in sorted(wanted - present)]
    PathFollow.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
