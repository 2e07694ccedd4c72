"""Checks of the settings the ``nn`` classes take (a learning rate, a count), each raising the
error a user can act on: a TypeError for the wrong kind, a ValueError out of range.  A switch
(True or False) is checked by ``autograd.ops.check_flag``, which the drawings use too."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from autograd.ops import data_of


def check_number(owner: str, name: str, value: Any, accepted: str = ">= 0", ok: Any = None) -> None:
    """A setting is a finite real number for which ``ok`` holds (``value >= 0`` by default): a str
    or None is a TypeError, nan, inf or a number out of range a ValueError; both say ``accepted``.

    >>> check_number("SGD", "lr", 0.1)
    >>> check_number("SGD", "lr", float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: SGD: lr must be a finite number >= 0, got nan
    """
    message = f"{owner}: {name} must be a finite number{' ' + accepted if accepted else ''}, got {value!r}"
    # numpy numbers are Real too (np.float32(0.1)); True is an int, but never meant as a number
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(message)
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an int too big for a float (10**400)
        finite = False
    if not finite or not (value >= 0 if ok is None else ok(value)):
        raise ValueError(message)  # nan or inf: the first step() would make every parameter nan


def check_epochs(owner: str, epochs: Any) -> None:
    """A number of passes over the data: an int >= 0 (0 trains nothing); anything else is a
    ValueError, of the wrong kind too (as ``fit`` has always raised).

    >>> check_epochs("fit", 2.5)
    Traceback (most recent call last):
    ...
    ValueError: fit: epochs must be an int >= 0 (0 trains nothing), got 2.5
    """
    if isinstance(epochs, bool) or not isinstance(epochs, numbers.Integral) or epochs < 0:
        raise ValueError(f"{owner}: epochs must be an int >= 0 (0 trains nothing), got {epochs!r}")


def check_real(a: Any, what: str) -> None:
    """An array of real numbers (bools and ints too): a complex one would lose its imaginary
    parts to a float cast with only numpy's warning, and text or objects fail deep in numpy.

    >>> import numpy as np
    >>> check_real(np.array([1 + 2j]), "accuracy: outputs")
    Traceback (most recent call last):
    ...
    TypeError: accuracy: outputs must be real numbers, got dtype complex128 (complex: pass a.real ...
    """
    kind = getattr(getattr(a, "dtype", None), "kind", "")
    if kind not in ("b", "i", "u", "f"):
        hint = " (complex: pass a.real if the imaginary parts are to be dropped)" if kind == "c" else ""
        got = getattr(a, "dtype", type(a).__name__)
        raise TypeError(f"{what} must be real numbers, got dtype {got}{hint}")


def real_array(a: Any, what: str, dtype: Any = np.float64) -> np.ndarray:
    """``a`` (an array, nested lists, a Tensor, or lists of Values or other numbers) as an array
    of ``dtype``; anything :func:`check_real` refuses is a TypeError naming ``what``.

    >>> from autograd import Value
    >>> real_array([Value(0.5), Value(-1.0)], "outputs")
    array([ 0.5, -1. ])
    """
    raw = np.asarray(data_of(a))
    if raw.dtype.kind == "O":  # Values, Fractions...: their numbers, if they all have one
        try:
            raw = np.array([data_of(x) for x in raw.flat], dtype=dtype).reshape(raw.shape)
        except (TypeError, ValueError):
            pass
    check_real(raw, what)
    return raw.astype(dtype, copy=False)
