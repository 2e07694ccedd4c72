"""Saving what the lessons show: matplotlib figures as PNG, written atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # lessons write files; no window needed (or wanted in CI)
import matplotlib.pyplot as plt  # noqa: E402


def save(fig: Any, path: Path) -> Path:
    """Write ``fig`` to ``path`` (format from the suffix) via a temp file + rename; close it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=path.suffix)
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=110, bbox_inches="tight")
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        if os.path.exists(tmp):
            os.remove(tmp)
    print(f"  saved {path}")
    return path


def figure(*args: Any, **kwargs: Any) -> tuple:
    """``plt.subplots`` with the lessons' defaults."""
    kwargs.setdefault("figsize", (7, 4.5))
    return plt.subplots(*args, **kwargs)
