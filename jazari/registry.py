"""Registries through which a lower app learns about the apps above it, without importing them.

The apps form a stack in which every import points down (see the README). When a lower app
needs something only a higher one knows (the course page lists the course's material, which
`materials` decides; a skill's page lists the courses teaching it, which `courses` knows), the
lower app declares a registry and calls what is registered; the higher app registers a function
from its `AppConfig.ready()`. Wagtail's hooks work the same way.
"""

from collections.abc import Callable, Iterator
from typing import Any


class Registry:
    """An ordered list of functions registered by other apps, called by the app that owns it."""

    def __init__(self, name: str):
        self.name = name
        self._functions: list[Callable] = []

    def __repr__(self):
        return f"<Registry {self.name}: {len(self._functions)} registered>"

    def __iter__(self) -> Iterator[Callable]:
        return iter(list(self._functions))

    def __len__(self) -> int:
        return len(self._functions)

    def register(self, function: Callable) -> Callable:
        """Add `function` (once, however often `ready()` runs); usable as a decorator."""
        if function not in self._functions:
            self._functions.append(function)
        return function

    def unregister(self, function: Callable) -> None:
        if function in self._functions:
            self._functions.remove(function)


class ContextRegistry(Registry):
    """Functions that add variables to a page's template context.

    Each registered function takes the owner's arguments (e.g. the page and the request) and
    returns a dict; `context()` merges them in registration order.
    """

    def context(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for function in self:
            merged.update(function(*args, **kwargs))
        return merged
