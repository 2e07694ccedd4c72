"""Global recording modes: `no_grad()` and `detect_anomaly()`.

Both are read on every op, so they live in one small object whose single
`special` flag is False in the common case: the hot path pays one attribute
check, and only looks closer when a mode is on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


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
def no_grad() -> Iterator[None]:
    """Ops inside record no graph: results are leaves, as in ``torch.no_grad()``.

    >>> from autograd import Value, no_grad
    >>> x = Value(2.0)
    >>> with no_grad():
    ...     y = x * x
    >>> y.op, y.parents
    ('', ())
    """
    saved = MODE.grad_enabled
    MODE.grad_enabled = False
    MODE.refresh()
    try:
        yield
    finally:
        MODE.grad_enabled = saved
        MODE.refresh()


@contextmanager
def enable_grad() -> Iterator[None]:
    """Record the graph again inside a ``no_grad()`` block."""
    saved = MODE.grad_enabled
    MODE.grad_enabled = True
    MODE.refresh()
    try:
        yield
    finally:
        MODE.grad_enabled = saved
        MODE.refresh()


def is_grad_enabled() -> bool:
    """True unless inside ``no_grad()``."""
    return MODE.grad_enabled


class AnomalyError(FloatingPointError):
    """Raised inside ``detect_anomaly()`` by the first op whose result is nan or inf."""


@contextmanager
def detect_anomaly() -> Iterator[None]:
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
    saved = MODE.anomaly
    MODE.anomaly = True
    MODE.refresh()
    try:
        yield
    finally:
        MODE.anomaly = saved
        MODE.refresh()
