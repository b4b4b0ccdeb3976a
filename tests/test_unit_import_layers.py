"""The apps form a stack in which every import points down, read from the source with `ast`.

A lower app learns of a higher one through a signal or a registry (`jazari.registry`), never an
import; an import placed inside a function to dodge a cycle is a cycle. The composition root
(settings, URLs, the Celery app, WSGI) may import every app.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

# Bottom first; an app may import the apps of the layers below its own, never its neighbours'.
LAYERS = [
    ("jazari",),
    ("institutes", "skills"),
    ("courses",),
    ("enrolments",),
    ("certificates", "feedback", "materials", "paths"),
    ("learners",),
    ("reports",),
    ("api", "home", "search"),
    ("demo",),
]
LAYER_OF = {app: depth for depth, apps in enumerate(LAYERS) for app in apps}
COMPOSITION_ROOT = {"jazari/urls.py", "jazari/celery.py", "jazari/wsgi.py", "jazari/asgi.py"}


def project_apps():
    """The project's own apps: those of INSTALLED_APPS with a folder here."""
    return sorted(app for app in settings.INSTALLED_APPS if (ROOT / app / "__init__.py").exists())


def source_files():
    for app in project_apps():
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative.startswith("jazari/settings/"):
                continue
            if relative in COMPOSITION_ROOT:
                continue
            yield app, relative, path


def imports_of(path):
    """(imported module, line, at module level?) for each absolute import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    top_level = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        for module in modules:
            yield module, node.lineno, id(node) in top_level


def cross_app_imports():
    apps = set(project_apps())
    for app, relative, path in source_files():
        for module, line, top in imports_of(path):
            target = module.split(".")[0]
            if target in apps and target != app:
                yield app, target, f"{relative}:{line} imports {module}", top


def test_every_app_has_a_place_in_the_stack():
    """A new app is given its layer here, so the rule keeps covering every app."""
    assert set(project_apps()) == set(LAYER_OF)


def test_imports_point_down_the_stack():
    """No app imports an app of its own layer or of a layer above."""
    wrong = [
        where
        for app, target, where, _top in cross_app_imports()
        if LAYER_OF[target] >= LAYER_OF[app]
    ]
    assert wrong == []


def test_no_import_of_another_app_inside_a_function():
    """Imports of other apps are at the top of the module, where the graph can be read."""
    hidden = [where for _app, _target, where, top in cross_app_imports() if not top]
    assert hidden == []


def test_no_cycle_between_apps():
    """The app-level graph has no cycle (a backstop if the layers above are ever relaxed)."""
    edges = defaultdict(set)
    for app, target, _where, _top in cross_app_imports():
        edges[app].add(target)

    def reaches(start, goal, seen):
        for nxt in edges[start]:
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                if reaches(nxt, goal, seen):
                    return True
        return False

    cyclic = [app for app in project_apps() if reaches(app, app, set())]
    assert cyclic == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from courses.models import Session\n", [("courses.models", 1, True)]),
        ("def f():\n    import learners.views\n", [("learners.views", 2, False)]),
        ("from . import models\n", []),
    ],
)
def test_the_reader_sees_top_level_and_hidden_imports(tmp_path, source, expected):
    """The checks above would pass on an empty reading: the reader itself is checked."""
    path = tmp_path / "module.py"
    path.write_text(source)
    assert list(imports_of(path)) == expected
