"""The lessons' bridge to autograd's drawing: save a graph as SVG and a stepper walkthrough as
HTML, or print how to get them when the drawing tools or a renderer are not installed.

Drawing itself lives in autograd (``draw``, ``Backprop.draw``, ``Backprop.to_html``); this
module only decides what a lesson does when it cannot draw, so that a lesson never fails for
want of graphviz.  Any other error is a bug and propagates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from autograd import Backprop

INSTALL_HINT = 'to draw graphs: pip install -e ".[viz]"  (graphviz, with graphviz-pure as renderer)'


def _cannot_draw() -> tuple[type[BaseException], ...]:
    """The errors that mean "no drawing here": a missing package, module or renderer."""
    try:
        from autograd.viz_render import RendererNotFound
    except ImportError:
        return (ImportError,)
    return (ImportError, RendererNotFound)


def _skipped(what: str, err: BaseException) -> None:
    print(f"  note: not drawing {what}: {err}\n        ({INSTALL_HINT})")


def save_graph(root: Any, path: Path, **options: Any) -> Path | None:
    """Draw the graph under ``root`` (values and gradients; ``options`` go to ``draw``) to
    ``path`` (SVG or PNG by its suffix); None, with a printed note, when drawing or rendering
    is not available."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        from autograd import draw

        draw(root, **options).write(path)  # the format follows the suffix; written atomically
    except _cannot_draw() as err:
        _skipped(path.name, err)
        return None
    print(f"  saved {path}")
    return path


def save_network(model: Any, path: Path, **options: Any) -> Path | None:
    """Draw ``model``'s architecture (neurons in columns, one arrow per weight; ``options`` go
    to ``draw_network``) to ``path``; None, with a printed note, when drawing is unavailable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        from autograd import draw_network

        draw_network(model, **options).write(path)
    except _cannot_draw() as err:
        _skipped(path.name, err)
        return None
    print(f"  saved {path}")
    return path


def save_walkthrough(root: Any, path: Path) -> Path | None:
    """Write the HTML page that steps through backprop from ``root``, one step per view;
    None, with a printed note, when it cannot be made.  Leaves every ``.grad`` as
    ``backward()`` would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    bp = Backprop(root)
    try:
        bp.to_html(path)
    except (AttributeError, *_cannot_draw()) as err:  # AttributeError: an autograd without to_html
        if not bp.done:
            bp.run()
        _skipped(path.name, err)
        return None
    print(f"  saved {path}")
    return path
