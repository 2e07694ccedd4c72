"""Rendering DOT source to SVG or PNG: with the system ``dot``, else the ``graphviz-pure`` binary.

``graphviz-pure`` (on PyPI) is a self-contained port of Graphviz's ``dot`` command with the same
flags; it writes svg, png, jpeg and the text formats, not pdf.  It installs a program named
``graphviz-pure`` next to the Python that installed it, never a ``dot``.

Which program renders: ``program=`` where it is offered, else the environment variable
``TEACHGRAD_RENDERER``, each one of ``'dot'``, ``'graphviz-pure'``, a path to an executable,
or ``'auto'`` (the default: ``dot`` when it is on PATH, else ``graphviz-pure``).

>>> name, path = find_program()          # on a machine with either installed
>>> name in ('dot', 'graphviz-pure')
True
>>> render('digraph { a -> b }', 'svg').startswith(b'<?xml')
True
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig
from pathlib import Path

ENV = "TEACHGRAD_RENDERER"
PURE = "graphviz-pure"
# what graphviz-pure can write (its -T? list); pdf and ps are not among them
PURE_FORMATS = frozenset({"svg", "svgz", "png", "jpeg", "jpg", "jpe", "dot", "gv", "xdot", "xdot1.2",
                          "xdot1.4", "xdot_json", "canon", "json", "json0", "dot_json", "plain",
                          "plain-ext"})

INSTALL = (
    "Install either:\n"
    "  pip install graphviz-pure      (a self-contained dot; svg and png, no pdf)\n"
    "  Graphviz itself, for `dot` on PATH: apt-get install graphviz, brew install graphviz,\n"
    "  conda install graphviz, or the installer from graphviz.org on Windows\n"
    "The graph is fine without one: its DOT text is in `.source`."
)


class RendererNotFound(RuntimeError):
    """Neither Graphviz's ``dot`` nor ``graphviz-pure`` is installed (or the one asked for is not)."""


class RenderError(RuntimeError):
    """The layout program ran and failed; the message has what it printed."""


def _pure_path() -> str | None:
    """Where pip put ``graphviz-pure``: from the package's own file list, else the scripts folders."""
    try:
        from importlib.metadata import PackageNotFoundError, distribution

        dist = distribution(PURE)
    except (ImportError, PackageNotFoundError):
        dist = None
    if dist is not None:
        for f in dist.files or ():
            if f.name in (PURE, PURE + ".exe"):
                path = Path(dist.locate_file(f)).resolve()
                if path.is_file() and os.access(path, os.X_OK):
                    return str(path)
    exe = PURE + (".exe" if os.name == "nt" else "")
    for scheme in (None, f"{os.name}_user"):
        try:
            folder = sysconfig.get_path("scripts", scheme) if scheme else sysconfig.get_path("scripts")
        except KeyError:  # pragma: no cover - a platform without a user scheme
            continue
        candidate = Path(folder) / exe
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which(PURE)


def find_program(program: str | None = None) -> tuple[str, str]:
    """``(name, path)`` of the layout program to run: see the module docstring for the choice.

    Raises :class:`RendererNotFound`, saying how to install one, when there is none.
    """
    choice = program or os.environ.get(ENV, "").strip() or "auto"
    if choice in ("auto", "dot"):
        path = shutil.which("dot")
        if path:
            return "dot", path
        if choice == "dot":
            raise RendererNotFound(f"Graphviz's `dot` is not on PATH ({ENV} or program= asked for it).\n"
                                   + INSTALL)
    if choice in ("auto", PURE):
        path = _pure_path()
        if path:
            return PURE, path
        if choice == PURE:
            raise RendererNotFound(f"graphviz-pure is not installed ({ENV} or program= asked for it).\n"
                                   + INSTALL)
        raise RendererNotFound("No Graphviz renderer found: neither `dot` on PATH nor graphviz-pure.\n"
                               + INSTALL)
    path = shutil.which(choice)
    if path is None:
        raise RendererNotFound(f"no program {choice!r} to render with ({ENV} or program= asked for it); "
                               f"use 'dot', 'graphviz-pure', 'auto' or a path to one of them.\n" + INSTALL)
    name = PURE if Path(path).name.startswith(PURE) else "dot"
    return name, path


def render(source: str, format: str = "svg", program: str | None = None, engine: str = "dot") -> bytes:
    """Lay out the DOT text ``source`` and return it as ``format`` (``'svg'``, ``'png'``...)."""
    name, path = find_program(program)
    base = format.split(":")[0]
    if name == PURE and base not in PURE_FORMATS:
        raise RenderError(
            f"graphviz-pure cannot write {format!r}: it writes {', '.join(sorted(PURE_FORMATS))}. "
            "Use svg or png, or install Graphviz (`dot`) for the other formats."
        )
    cmd = [path, f"-K{engine}", f"-T{format}"]
    try:
        done = subprocess.run(cmd, input=source.encode("utf-8"), capture_output=True, check=False)
    except OSError as err:  # a file that is not a program here ("Exec format error"), or no longer there
        raise RenderError(f"{name} ({path}) could not be run: {err.strerror}") from err
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip()
        raise RenderError(f"{name} ({path}) failed with exit code {done.returncode}: {err}")
    return done.stdout


__all__ = ["ENV", "RenderError", "RendererNotFound", "find_program", "render"]
