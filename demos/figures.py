"""Saving what the lessons show (matplotlib figures as PNG, written atomically), and the few
pictures several lessons draw: a classifier's decision regions and a grid of digit images."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from autograd.files import atomic_write

# Two classes, colour-blind safe; the same in every lesson so a learner reads them once.
CLASS_COLOURS = ("#1f77b4", "#d62728")


def save(fig: Any, path: Path) -> Path:
    """Write ``fig`` to ``path`` (format from the suffix) via a temp file + rename; close it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with atomic_write(path) as f:
            fig.savefig(f, format=path.suffix.lstrip(".") or "png", dpi=110, bbox_inches="tight")
    finally:
        plt.close(fig)
    print(f"  saved {path}")
    return path


def figure(*args: Any, **kwargs: Any) -> tuple:
    """``plt.subplots`` with the lessons' defaults."""
    kwargs.setdefault("figsize", (7, 4.5))
    kwargs.setdefault("layout", "constrained")  # titles and labels never overlap
    return plt.subplots(*args, **kwargs)


def whole_ticks(*axes: Any, axis: str = "x") -> None:
    """Ticks at whole numbers only, on ``axis`` ('x', 'y' or 'both') of each of ``axes``: counts
    (epochs, mistakes) have no 2.5, which matplotlib's default ticks would show."""
    for ax in axes:
        for name in ("x", "y") if axis == "both" else (axis,):
            getattr(ax, f"{name}axis").set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))


def plane(X: np.ndarray, steps: int = 80, margin: float = 0.5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A ``steps`` x ``steps`` grid around the 2-D points ``X``: ``(xx, yy, points)`` where
    ``points`` holds the grid's coordinates as rows, ready to feed to a model."""
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], steps), np.linspace(lo[1], hi[1], steps))
    return xx, yy, np.c_[xx.ravel(), yy.ravel()]


def decision_regions(
    ax: Any,
    score: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    threshold: float = 0.0,
    steps: int = 80,
    title: str = "",
) -> None:
    """Shade where ``score(points) > threshold`` (class 1) on ``ax``, draw that boundary, and
    scatter the samples ``X`` coloured by their 0/1 label ``y``."""
    xx, yy, points = plane(X, steps)
    zz = np.asarray(score(points), dtype=np.float64).reshape(xx.shape)
    ax.contourf(xx, yy, zz > threshold, levels=[-0.5, 0.5, 1.5], colors=CLASS_COLOURS, alpha=0.18)
    if zz.min() < threshold < zz.max():
        ax.contour(xx, yy, zz, levels=[threshold], colors="k", linewidths=1.2, linestyles="solid")
    for label, colour in enumerate(CLASS_COLOURS):
        pts = X[np.asarray(y) == label]
        ax.scatter(pts[:, 0], pts[:, 1], c=colour, s=36, edgecolors="k", linewidths=0.5, zorder=3,
                   label=f"class {label}")
    if title:
        ax.set_title(title)


def digit_grid(
    images: np.ndarray, captions: Sequence[str], cols: int = 8, title: str = "", signed: bool = False,
    black: Sequence[float] | None = None,
) -> Any:
    """A figure of square images (rows of ``side * side`` pixels, or 2-D arrays), each with its
    caption above.  Grey scale with dark ink, as on paper, each image from its own lowest value
    (white) to its highest (black), unless ``black`` gives, per image, the value drawn black
    (white is then 0), to put several on one scale.  ``signed`` shows weights instead: red
    positive, blue negative, white 0, on one scale for all images."""
    images = np.asarray(images)
    n = len(images)
    if n == 0:
        fig, ax = plt.subplots(figsize=(4, 1))
        ax.axis("off")
        ax.text(0.5, 0.5, "(none)", ha="center", va="center")
        return fig
    side = int(round(np.sqrt(images[0].size)))
    cols = min(cols, n)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(1.1 * cols, 1.3 * rows + (0.4 if title else 0)),
                             squeeze=False, layout="constrained")
    for ax in axes.ravel():
        ax.axis("off")
    scale = float(np.abs(images).max()) or 1.0
    style = dict(cmap="RdBu_r", vmin=-scale, vmax=scale) if signed else dict(cmap="gray_r")
    for i, (ax, img, caption) in enumerate(zip(axes.ravel(), images, captions)):
        grey = {} if black is None or signed else dict(vmin=0.0, vmax=black[i])
        ax.imshow(img.reshape(side, side), interpolation="nearest", **style, **grey)
        ax.set_title(caption, fontsize=8)
    if title:
        fig.suptitle(title)
    return fig
