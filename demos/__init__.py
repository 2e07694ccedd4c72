"""Runnable lessons: ``python -m demos`` lists them, ``python -m demos NAME`` runs one.

Each lesson is a module here with a one-line ``TITLE``, the lecture ``TOPIC`` it covers, a
docstring whose paragraphs after the first line explain what it does (the runner prints them
first), and ``run(out: Path, quick: bool, **kw) -> dict``: it prints its steps and results,
saves its figures under ``out``, and returns its key numbers (the tests check them).
"""

from __future__ import annotations

import importlib
import inspect
from types import ModuleType

# In teaching order.  Each name is a module of this package.
LESSONS = [
    "tour",
    "perceptron",
    "xor",
    "approximation",
    "moons",
    "digits",
    "optimizers",
    "activations",
    "cnn",
]


def lesson(name: str) -> ModuleType:
    """The lesson module called ``name``; a clear error for an unknown one."""
    if name not in LESSONS:
        raise SystemExit(f"no lesson called {name!r}; the lessons are: {', '.join(LESSONS)}")
    return importlib.import_module(f"demos.{name}")


def available() -> list[str]:
    """The lessons whose module exists (all of them, once every lesson has landed)."""
    found = []
    for name in LESSONS:
        try:
            importlib.import_module(f"demos.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"demos.{name}":
                raise
            continue
        found.append(name)
    return found


def introduction(mod: ModuleType) -> str:
    """What the lesson does, in words: its docstring without the first (title) line."""
    doc = inspect.getdoc(mod) or ""
    return doc.partition("\n")[2].strip()
