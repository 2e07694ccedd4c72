"""Global recording modes: `no_grad()` and `detect_anomaly()`.

Both are read on every op, so they live in one small object whose single
`special` flag is False in the common case: the hot path pays one attribute
check, and only looks closer when a mode is on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class _Mode:
    __slots__ = ("grad_enabled", "anomaly", "special")

    def __init__(self) -> None:
        self.grad_enabled = True
        self.anomaly = False
        self.special = False  # True when either mode differs from the default

    def refresh(self) -> None:
        self.special = (not self.grad_enabled) or self.anomaly


MODE = _Mode()


@contextmanager
def _mode(name: str, value: bool) -> Iterator[None]:
    """Set one of MODE's flags for the ``with`` block, and put it back after, even on error."""
    saved = getattr(MODE, name)
    setattr(MODE, name, value)
    MODE.refresh()
    try:
        yield
    finally:
        setattr(MODE, name, saved)
        MODE.refresh()


def no_grad() -> Any:
    """Ops inside record no graph: results are leaves, as in ``torch.no_grad()``.

    >>> from autograd import Value, no_grad
    >>> x = Value(2.0)
    >>> with no_grad():
    ...     y = x * x
    >>> y.op, y.parents
    ('', ())
    """
    return _mode("grad_enabled", False)


def enable_grad() -> Any:
    """Record the graph again inside a ``no_grad()`` block."""
    return _mode("grad_enabled", True)


def is_grad_enabled() -> bool:
    """True unless inside ``no_grad()``."""
    return MODE.grad_enabled


class AnomalyError(FloatingPointError):
    """Raised inside ``detect_anomaly()`` by the first op whose result is nan or inf."""


def detect_anomaly() -> Any:
    """Stop at the first op that makes a nan or an inf, in forward or in backward.

    The error names the op, its inputs and their labels, so a learner sees where
    a network blew up instead of finding ``nan`` in the loss many steps later.

    >>> from autograd import Value, detect_anomaly
    >>> big = Value(1e300, label='big')
    >>> with detect_anomaly():
    ...     big * big
    Traceback (most recent call last):
    ...
    autograd.mode.AnomalyError: forward of '*' gave inf from inputs big=1e+300, big=1e+300
    """
    return _mode("anomaly", True)
