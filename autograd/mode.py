"""Recording modes: `no_grad()` and `detect_anomaly()`, each thread its own (as PyTorch's).

Both are read on every op, so the hot path pays one attribute check, ``MODE.special``, which
is False unless some thread is inside one of these blocks; only then does an op look up its
own thread's modes.
"""

from __future__ import annotations

import functools
import inspect
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


class _Switch:
    """A mode for a ``with`` block, or for every call of a function it decorates, a generator
    function too: each resumption of its generator runs in the mode, as PyTorch's do (a plain
    decorator would set the mode only while the generator object is made, before any of its body)."""

    def __init__(self, name: str, value: bool) -> None:
        self.name, self.value = name, value
        # the blocks open, per thread that entered them (one object entered again, or in two
        # threads at once: each exit closes its own thread's last; a block left in another thread,
        # as a generator's resumed there, closes the one open)
        self._open: dict[int, list] = {}

    def __enter__(self) -> None:
        block = _mode(self.name, self.value)
        block.__enter__()
        self._open.setdefault(threading.get_ident(), []).append(block)

    def __exit__(self, *exc: Any) -> Any:
        thread = threading.get_ident()
        if not self._open.get(thread):
            thread = next(t for t, b in self._open.items() if b)
        blocks = self._open[thread]
        block = blocks.pop()
        if not blocks:
            del self._open[thread]
        return block.__exit__(*exc)

    def __call__(self, func: Any) -> Any:
        name, value = self.name, self.value
        if inspect.iscoroutinefunction(func) or inspect.isasyncgenfunction(func):
            which = "enable_grad" if value else "no_grad"
            raise TypeError(f"{which}() cannot decorate an async function (it would set the mode only while "
                            "the coroutine is made): use a with block in its body")
        if inspect.isgeneratorfunction(func):
            @functools.wraps(func)
            def generator(*args: Any, **kwargs: Any) -> Any:
                gen = func(*args, **kwargs)
                try:
                    with _mode(name, value):
                        response = gen.send(None)
                    while True:
                        try:
                            request = yield response
                        except GeneratorExit:
                            with _mode(name, value):
                                gen.close()
                            raise
                        except BaseException as err:  # (thrown in: on into the generator)
                            with _mode(name, value):
                                response = gen.throw(err)
                        else:
                            with _mode(name, value):
                                response = gen.send(request)
                except StopIteration as stop:
                    return stop.value
            return generator

        @functools.wraps(func)
        def function(*args: Any, **kwargs: Any) -> Any:
            with _mode(name, value):
                return func(*args, **kwargs)
        return function


def no_grad(func: Any = None) -> Any:
    """Ops inside record no graph: results are leaves, as in ``torch.no_grad()``; a decorator
    too, ``@no_grad()`` or ``@no_grad`` (of a generator function as well).

    >>> from autograd import Value, no_grad
    >>> x = Value(2.0)
    >>> with no_grad():
    ...     y = x * x
    >>> y.op, y.parents
    ('', ())
    """
    switch = _Switch("grad_enabled", False)
    return switch if func is None else switch(func)


def enable_grad(func: Any = None) -> Any:
    """Record the graph again inside a ``no_grad()`` block (a decorator too, as ``no_grad``)."""
    switch = _Switch("grad_enabled", True)
    return switch if func is None else switch(func)


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
