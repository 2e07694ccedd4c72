"""The lessons' bridge to autograd's drawing: save a graph as SVG and a stepper walkthrough as
HTML, or print how to get them when the drawing tools or a renderer are not installed.

Drawing itself lives in autograd (``draw``, ``Backprop.draw``, ``Backprop.to_html``); this
module only decides what a lesson does when it cannot draw, so that a lesson never fails for
want of graphviz.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from autograd import Backprop

INSTALL_HINT = 'to draw graphs: pip install -e ".[viz]"  (graphviz, with graphviz-pure as renderer)'


def _skipped(what: str, err: BaseException) -> None:
    print(f"  note: not drawing {what}: {err}\n        ({INSTALL_HINT})")


def save_graph(root: Any, path: Path, **options: Any) -> Path | None:
    """Draw the graph under ``root`` (values and gradients) to the SVG file ``path``; None,
    with a printed note, when drawing or rendering is not available."""
    try:
        from autograd import draw
    except ImportError as err:
        _skipped(path.name, err)
        return None
    try:
        svg = draw(root, **options).pipe(format="svg", encoding="utf-8")
    except Exception as err:  # no renderer found: the error says what to install
        _skipped(path.name, err)
        return None
    _write(path, svg)
    return path


def save_walkthrough(root: Any, path: Path) -> Path | None:
    """Write the HTML page that steps through backprop from ``root``, one step per view;
    None, with a printed note, when it cannot be made.  Leaves every ``.grad`` as
    ``backward()`` would."""
    bp = Backprop(root)
    if not hasattr(bp, "to_html"):
        bp.run()
        _skipped(path.name, AttributeError("this autograd has no Backprop.to_html yet"))
        return None
    try:
        bp.to_html(path)
    except Exception as err:
        _skipped(path.name, err)
        return None
    print(f"  saved {path}")
    return path


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    print(f"  saved {path}")
