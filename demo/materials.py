"""Demo course material: a few small, real files attached to some hand-written courses.

Each file is generated here, once, from the course's own texts: slides (a PDF rendered by
WeasyPrint from short HTML, one render of about 0.1 s), a UTF-8 CSV dataset, a Jupyter notebook
(JSON) and a plain-text reading list. All pass `materials.validation.check_content`, all say
they are demo data, and each is stored through the document's `FileField`, so through the
default storage (the media folder, or S3).

A document is found again by its title and lives in the collection of its course's institute
(`materials.collections`); a document whose file has gone (media folder wiped, new bucket) gets
it back. Materials are an inline of the course page (a `ParentalKey`), so the missing ones are
added to the page and published in a new revision, as an editor would: the live revision
always lists the page's material, and a later publish of that revision keeps it. A material is
found again by (course, document); once there, it is never rewritten, so a rerun publishes
nothing. Courses not in this run's `--courses` get no material.
"""

import csv
import io
import json
import random
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.html import escape

from courses.models import CoursePage
from demo.data import COURSE_TEMPLATES, DEMO_NOTICE
from demo.plan import SEED
from materials.collections import ensure_institute_collections
from materials.models import JazariDocument, Material, Visibility

SLIDES, DATASET, NOTEBOOK, READING = "slides", "dataset", "notebook", "reading"
EXTENSIONS = {SLIDES: "pdf", DATASET: "csv", NOTEBOOK: "ipynb", READING: "txt"}


@dataclass(frozen=True)
class DemoFile:
    """One demo document and the material offering it on a course."""

    course: str
    """The hand-written course's slug."""
    kind: str
    title: str
    visibility: str
    for_session: bool = False
    """Tied to the course's first session (in sort order) rather than to the whole course."""

    @property
    def filename(self):
        return f"demo-{self.course}-{self.kind}.{EXTENSIONS[self.kind]}"


_FR = " (données de démonstration)"
_EN = " (demo data)"

DEMO_FILES = (
    DemoFile("ia-pour-tous", SLIDES, "Diapositives — L'IA pour tous" + _FR, Visibility.EVERYONE),
    DemoFile(
        "ia-pour-tous", READING, "Lectures conseillées — L'IA pour tous" + _FR, Visibility.EVERYONE
    ),
    DemoFile(
        "python-pour-la-donnee",
        SLIDES,
        "Diapositives — Python pour l'analyse de données" + _FR,
        Visibility.ENROLLED,
    ),
    DemoFile(
        "python-pour-la-donnee",
        DATASET,
        "Jeu de données — inscriptions par région" + _FR,
        Visibility.ENROLLED,
    ),
    DemoFile(
        "python-pour-la-donnee",
        NOTEBOOK,
        "Carnet Jupyter — premiers pas avec pandas" + _FR,
        Visibility.ATTENDED,
        for_session=True,
    ),
    DemoFile(
        "llm-rag-assistant-documentaire",
        SLIDES,
        "Diapositives — LLM et RAG" + _FR,
        Visibility.ENROLLED,
    ),
    DemoFile(
        "llm-rag-assistant-documentaire",
        READING,
        "Lectures conseillées — LLM et RAG" + _FR,
        Visibility.EVERYONE,
    ),
    DemoFile(
        "mlops-notebook-to-production",
        NOTEBOOK,
        "Notebook — tracking experiments" + _EN,
        Visibility.ENROLLED,
    ),
    DemoFile(
        "mlops-notebook-to-production",
        DATASET,
        "Dataset — model runs" + _EN,
        Visibility.ATTENDED,
    ),
)

_TEMPLATES = {template.slug: template for template in COURSE_TEMPLATES}


@dataclass
class MaterialReport:
    documents_created: int = 0
    documents_restored: int = 0
    """Documents whose file had gone from storage and was written again."""
    created: int = 0
    """Materials added to course pages by this run."""
    total: int = 0
    """Demo materials on the seeded courses."""


def ensure_materials(courses) -> MaterialReport:
    """Demo documents and their materials for those of `courses` that have some; idempotent.

    Call after the courses and their enrolments are written (publishing a course page saves
    its sessions from the new revision, display counts included).
    """
    report = MaterialReport()
    by_slug = {course.slug: course for course in courses}
    files = [item for item in DEMO_FILES if item.course in by_slug]
    if not files:
        return report

    collections = ensure_institute_collections()
    documents = _documents(files, by_slug, collections, report)

    course_ids = {by_slug[item.course].pk for item in files}
    existing = set(
        Material.objects.filter(course_id__in=course_ids).values_list("course_id", "document_id")
    )
    missing = {}
    for item in files:
        course = by_slug[item.course]
        if (course.pk, documents[item].pk) not in existing:
            missing.setdefault(course.pk, []).append(item)
    for course_id, items in missing.items():
        _attach(course_id, [(item, documents[item]) for item in items])
        report.created += len(items)
    report.total = len(files)
    return report


def _documents(files, by_slug, collections, report):
    """{DemoFile: JazariDocument}, created, given their file back or moved as needed."""
    existing = {
        document.title: document
        for document in JazariDocument.objects.filter(title__in=[item.title for item in files])
    }
    documents, to_write = {}, []
    for item in files:
        collection = collections[by_slug[item.course].institute_id]
        document = existing.get(item.title)
        if document is None:
            document = JazariDocument(title=item.title, collection=collection)
            report.documents_created += 1
        elif not document.file or not document.file.storage.exists(document.file.name):
            report.documents_restored += 1
        else:
            if document.collection_id != collection.pk:
                document.collection = collection
                document.save(update_fields=["collection"])
            documents[item] = document
            continue
        document.collection = collection
        to_write.append((item, document))
    files_content = contents([item for item, _document in to_write])
    for item, document in to_write:
        # Through the FileField, so the default storage (local or S3) stores it.
        document.file.save(item.filename, ContentFile(files_content[item]), save=False)
        document._set_document_file_metadata()
        document.save()  # after commit, `inspect_document` records size, SHA-256 and pages
        documents[item] = document
    return documents


def _attach(course_id, pairs):
    """Add materials to the page and publish, the way an editor's "Publish" would."""
    page = CoursePage.objects.get(pk=course_id)
    first_session = page.sessions.order_by("sort_order", "pk").first()
    next_order = len(page.materials.all())
    for offset, (item, document) in enumerate(pairs):
        session = first_session if item.for_session else None
        page.materials.add(
            Material(
                document=document,
                session=session,
                visibility=item.visibility,
                sort_order=next_order + offset,
            )
        )
    page.save_revision().publish()


# The files ------------------------------------------------------------------------------------


def contents(items) -> dict:
    """{DemoFile: bytes}; all the slides come from one WeasyPrint layout."""
    slides = slides_pdfs([_TEMPLATES[item.course] for item in items if item.kind == SLIDES])
    writers = {DATASET: dataset_csv, NOTEBOOK: notebook_json, READING: reading_list}
    return {
        item: slides[item.course]
        if item.kind == SLIDES
        else writers[item.kind](_TEMPLATES[item.course])
        for item in items
    }


_LABELS = {
    "fr": {
        "demo": f"{DEMO_NOTICE} : support de cours fictif, pour essayer le site.",
        "outcomes": "Ce que vous saurez faire",
        "next": "Pour la suite",
        "next_text": "Retrouvez les autres supports sur la page du cours.",
    },
    "en": {
        "demo": f"Demo data, fictional: course material made up to try the site. ({DEMO_NOTICE})",
        "outcomes": "What you will be able to do",
        "next": "Next",
        "next_text": "Find the other material on the course page.",
    },
}

SLIDES_CSS = """
@page { size: 254mm 143mm; margin: 14mm 18mm; }
body { font-family: "DejaVu Sans", sans-serif; color: #0b4a5a; font-size: 15pt; }
section { page-break-after: always; }
section:last-child { page-break-after: auto; }
h1 { font-size: 26pt; margin: 18mm 0 6mm; }
h2 { font-size: 20pt; border-bottom: 2px solid #e0a526; padding-bottom: 2mm; }
.demo { color: #8a3b12; font-size: 11pt; }
"""


def slides_html(templates) -> str:
    """The decks of `templates`, one after the other; each deck's first page has an anchor."""
    decks = []
    for template in templates:
        labels = _LABELS.get(template.text_language, _LABELS["en"])
        outcomes = "".join(f"<li>{escape(text)}</li>" for text in template.outcomes)
        decks.append(
            f'<section lang="{template.text_language}"><h1 id="deck-{template.slug}">'
            f"{escape(template.title)}</h1><p>{escape(template.summary)}</p>"
            f'<p class="demo">{escape(labels["demo"])}</p></section>'
            f"<section><h2>{escape(labels['outcomes'])}</h2><ul>{outcomes}</ul></section>"
            f"<section><h2>{escape(labels['next'])}</h2><p>{escape(labels['next_text'])}</p>"
            f'<p class="demo">{escape(labels["demo"])}</p></section>'
        )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Jazari Skills — '
        f"{escape(DEMO_NOTICE)}</title><style>{SLIDES_CSS}</style></head><body>"
        + "".join(decks)
        + "</body></html>"
    )


def slides_pdfs(templates) -> dict:
    """{course slug: PDF of its three 16:9 slides}, from a single WeasyPrint layout.

    Laying out is the slow part of WeasyPrint (about 0.1 s here, fonts included); the decks
    are laid out together, then each deck's pages are written to a PDF of their own.
    """
    if not templates:
        return {}
    from weasyprint import HTML

    document = HTML(string=slides_html(templates)).render()
    starts = [
        index
        for index, page in enumerate(document.pages)
        if any(anchor.startswith("deck-") for anchor in page.anchors)
    ]
    ends = starts[1:] + [len(document.pages)]
    return {
        template.slug: document.copy(document.pages[start:end]).write_pdf()
        for template, start, end in zip(templates, starts, ends, strict=True)
    }


# Fictional figures, the same on every machine.
_REGIONS = (
    ("Casablanca-Settat", "Casablanca"),
    ("Rabat-Salé-Kénitra", "Rabat"),
    ("Fès-Meknès", "Fès"),
    ("Marrakech-Safi", "Marrakech"),
    ("Tanger-Tétouan-Al Hoceïma", "Tanger"),
    ("Souss-Massa", "Agadir"),
    ("L'Oriental", "Oujda"),
)


def dataset_csv(template) -> bytes:
    """A small UTF-8 CSV; every row says it is fictional."""
    rng = random.Random(f"{SEED}:material:{template.slug}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if template.text_language == "fr":
        writer.writerow(["region", "ville", "annee", "inscrits", "certifies", "source"])
        source = "démo fictive"
        for region, city in _REGIONS:
            for year in (2023, 2024, 2025):
                enrolled = rng.randint(40, 400)
                writer.writerow(
                    [region, city, year, enrolled, rng.randint(enrolled // 3, enrolled), source]
                )
    else:
        writer.writerow(["run_id", "model", "learning_rate", "epochs", "accuracy", "source"])
        for run in range(1, 25):
            writer.writerow(
                [
                    f"run-{run:03d}",
                    rng.choice(["baseline", "gbm", "mlp"]),
                    rng.choice([0.1, 0.03, 0.01, 0.003]),
                    rng.randint(5, 50),
                    f"{rng.uniform(0.71, 0.93):.3f}",
                    "demo, fictional",
                ]
            )
    return out.getvalue().encode("utf-8")


def notebook_json(template) -> bytes:
    """A Jupyter notebook (nbformat 4), without outputs."""
    labels = _LABELS.get(template.text_language, _LABELS["en"])
    if template.text_language == "fr":
        intro = f"# {template.title}\n\n{labels['demo']}"
        code = [
            "import pandas as pd\n",
            "\n",
            f'df = pd.read_csv("demo-{template.slug}-dataset.csv")\n',
            'df.groupby("region")[["inscrits", "certifies"]].sum()',
        ]
    else:
        intro = f"# {template.title}\n\n{labels['demo']}"
        code = [
            "import pandas as pd\n",
            "\n",
            f'runs = pd.read_csv("demo-{template.slug}-dataset.csv")\n',
            'runs.sort_values("accuracy", ascending=False).head()',
        ]
    notebook = {
        "cells": [
            {"cell_type": "markdown", "id": "intro", "metadata": {}, "source": intro},
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "load",
                "metadata": {},
                "outputs": [],
                "source": code,
            },
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return (json.dumps(notebook, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def reading_list(template) -> bytes:
    labels = _LABELS.get(template.text_language, _LABELS["en"])
    heading = "Lectures conseillées" if template.text_language == "fr" else "Further reading"
    lines = [
        template.title,
        "=" * len(template.title),
        "",
        labels["demo"],
        "",
        f"{heading} :" if template.text_language == "fr" else f"{heading}:",
    ]
    sheet = "Fiche de lecture (fictive)" if template.text_language == "fr" else "Reading notes"
    lines += [f"- {sheet} : {text}" for text in template.outcomes]
    lines += ["", "https://jazari.example/"]
    return ("\n".join(lines) + "\n").encode("utf-8")
