"""``Backprop.to_html``: one self-contained HTML page that walks through a backward pass.

Each view is the graph drawn at that step (inline SVG: the node just processed highlighted, the
gradients known so far filled in, the others blank) beside the step's explanation.  Previous /
Next buttons and the arrow keys move between them.  No scripts or styles are fetched from
anywhere: the file works offline and can be mailed around.

>>> import tempfile, pathlib
>>> from autograd import Backprop, Value
>>> x = Value(2.0, label='x'); y = (x * x).tanh(); y.label = 'y'
>>> path = Backprop(y).to_html(pathlib.Path(tempfile.mkdtemp()) / 'walk.html')
>>> page = path.read_text()
>>> page.count('<section'), 'Step 2/2' in page, x.grad == 4 * (1 - y.data ** 2)
(3, True, True)
"""

from __future__ import annotations

import re
from html import escape
from os import PathLike
from pathlib import Path
from typing import Any

from .display import operand, summary, why_one
from .files import atomic_write, file_to_write
from .viz import draw

STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.2em; color: #111; }
header { display: flex; align-items: center; gap: 1em; flex-wrap: wrap; }
h1 { font-size: 1.3em; margin: 0; }
button { font-size: 1em; padding: 0.3em 0.9em; }
#counter { font-variant-numeric: tabular-nums; }
.step { display: flex; gap: 1em; align-items: flex-start; flex-wrap: wrap; margin-top: 1em; }
.step[hidden] { display: none; }
.graph { flex: 1 1 100%; overflow: auto; }
.graph svg { height: auto; }  /* its own size, scrolled if wide: shrunk to fit, its text was unreadable */
.explain { flex: 0 1 60em; background: #f6f8fa; padding: 0.8em 1em; border-radius: 6px;
           font-size: 1em; line-height: 1.4; white-space: pre-wrap; margin: 0; }
.hint { color: #666; font-size: 0.9em; }
"""

SCRIPT = """
(function () {
  var steps = document.querySelectorAll('section.step');
  var counter = document.getElementById('counter');
  var prev = document.getElementById('prev'), next = document.getElementById('next');
  var current = 0;
  function show(k) {
    current = Math.max(0, Math.min(steps.length - 1, k));
    for (var i = 0; i < steps.length; i++) { steps[i].hidden = (i !== current); }
    counter.textContent = steps[current].getAttribute('data-title');
    prev.disabled = current === 0;
    next.disabled = current === steps.length - 1;
    document.body.setAttribute('data-current', String(current));
    // on a big graph the step's node may be outside the view: bring it in, moving as little as can be
    var mark = steps[current].querySelector('g.highlight');
    if (mark && mark.scrollIntoView) { mark.scrollIntoView({block: 'nearest', inline: 'nearest'}); }
  }
  prev.addEventListener('click', function () { show(current - 1); });
  next.addEventListener('click', function () { show(current + 1); });
  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) { return; }  // the browser's own (Alt+Left: back)
    if (e.key === 'ArrowRight' || e.key === 'PageDown') { show(current + 1); e.preventDefault(); }
    else if (e.key === 'ArrowLeft' || e.key === 'PageUp') { show(current - 1); e.preventDefault(); }
    else if (e.key === 'Home') { show(0); e.preventDefault(); }
    else if (e.key === 'End') { show(steps.length - 1); e.preventDefault(); }
  });
  show(0);
})();
"""


def _inline_svg(svg: str, prefix: str) -> str:
    """An SVG document as an element of the page: no XML prolog, ids made unique per view."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r'\bid="', f'id="{prefix}', svg)
    # references inside attribute values only: a label's own text "url(#a)" stays as written
    svg = re.sub(r'(="[^"<>]*?)url\(#', rf"\1url(#{prefix}", svg)
    return svg.replace('href="#', f'href="#{prefix}')


def _start_text(bp: Any) -> str:
    name = bp.name(bp.root)
    total = len(bp)
    if bp.seed_given:  # backward(gradient): the gradient of some later scalar, given
        start = (f"The backward pass starts at the output {name} with the gradient it was given: "
                 f"{operand(name)}.grad = {summary(bp._seed)}.")
    else:
        start = (f"The backward pass starts at the output {name}: {why_one(name)}, so "
                 f"{operand(name)}.grad = 1.")
    if not total:  # a leaf: it takes the gradient, and there is nothing to step through
        return f"{start}  {name} is a leaf, an input: no op made it, so there is no step to take."
    steps = "The step takes" if total == 1 else f"Each of the {total} steps takes"
    if any(getattr(n.data, "size", 1) > 1 for n in bp.nodes):  # arrays: not always a product
        chain = ("applies the chain rule to its gradient for each input, as the op's rule says (a "
                 "product with the local derivative for numbers, elementwise for tanh, a matrix "
                 "product for @)")
    else:
        chain = "multiplies its gradient by the local derivative with respect to each input (the chain rule)"
    return (f"{start}  Every other gradient is still unknown (blank).\n\n"
            f"{steps} one node, {chain}, and adds the result to that input's gradient."
            f"\n\nPress → or Next to take the first step.")


def write_walkthrough(bp: Any, path: str | PathLike, **options: Any) -> Path:
    """Write the page for a finished, fully recorded :class:`~autograd.Backprop`; return its path."""
    path = Path(file_to_write(path))  # (Path() would drop a trailing slash)
    sections = []
    states = list(bp.states())
    for k, (step, grads, notes) in enumerate(states):
        highlight = [step.node] if step is not None else []
        svg = draw(bp.root, highlight=highlight, grads=grads, notes=notes, **options).svg()
        title = "Start" if step is None else f"Step {step.index} of {step.total}"
        text = _start_text(bp) if step is None else str(step)
        node = "" if step is None else step.name
        sections.append(
            f'<section class="step" data-step="{k}" data-title="{escape(title)}" '
            f'data-node="{escape(node)}"{"" if k == 0 else " hidden"}>\n'
            f'<div class="graph">{_inline_svg(svg, f"s{k}-")}</div>\n'
            f'<pre class="explain">{escape(text)}</pre>\n</section>'
        )
    title = f"Backprop through {bp.name(bp.root)}, step by step"
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{escape(title)}</h1>\n"
        '<button id="prev" type="button">&larr; Previous</button>\n'
        '<span id="counter"></span>\n'
        '<button id="next" type="button">Next &rarr;</button>\n'
        '<span class="hint">(or the arrow keys)</span></header>\n'
        + "\n".join(sections)
        + f"\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )
    with atomic_write(path) as f:
        f.write(page.encode("utf-8"))
    return path


__all__ = ["write_walkthrough"]
