"""Recording modes: `no_grad()` and `detect_anomaly()`, each thread its own (as PyTorch's).

Both are read on every op, so the hot path pays one attribute check, ``MODE.special``, which
is False unless some thread is inside one of these blocks; only then does an op look up its
own thread's modes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class _Modes:
    """One thread's modes."""

    __slots__ = ("grad_enabled", "anomaly")

    def __init__(self) -> None:
        self.grad_enabled = True
        self.anomaly = False


class _ThreadModes(threading.local):
    """Each thread's own ``_Modes``, made on its first use (``__init__`` runs once per thread)."""

    def __init__(self) -> None:
        self.modes = _Modes()


class _Mode:
    __slots__ = ("special", "_active", "_lock", "_thread")

    def __init__(self) -> None:
        self.special = False  # True while any thread is inside a mode block
        self._active = 0  # how many mode blocks are open, in all threads
        self._lock = threading.Lock()
        self._thread = _ThreadModes()

    @property
    def grad_enabled(self) -> bool:
        return self._thread.modes.grad_enabled

    @property
    def anomaly(self) -> bool:
        return self._thread.modes.anomaly

    def _open(self, step: int) -> None:
        with self._lock:
            self._active += step
            self.special = self._active > 0


MODE = _Mode()


@contextmanager
def _mode(name: str, value: bool) -> Iterator[None]:
    """Set one of this thread's modes for the ``with`` block, and put it back after, even on error."""
    mine = MODE._thread.modes  # this thread's, also if the block is left in another thread
    saved = getattr(mine, name)
    setattr(mine, name, value)
    MODE._open(1)
    try:
        yield
    finally:
        setattr(mine, name, saved)
        MODE._open(-1)


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
