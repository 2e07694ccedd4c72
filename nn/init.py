"""Random starting weights: one seedable generator, and the initialisations of the lectures.

Every layer draws its weights from the generator given to it (``seed=``), or else from this
module's shared one, which :func:`manual_seed` resets::

    >>> from nn import init
    >>> init.manual_seed(0)
    >>> a = init.normal((2,), rng=None)
    >>> init.manual_seed(0)
    >>> bool((init.normal((2,), rng=None) == a).all())
    True

The initialisations, for a layer with ``fan_in`` inputs and ``fan_out`` outputs per unit:

- ``'xavier'`` (Glorot & Bengio): uniform on +-sqrt(6 / (fan_in + fan_out)), biases 0.
  Keeps the variance of activations steady through tanh and sigmoid layers.
- ``'he'`` (He et al.): normal with std sqrt(2 / fan_in), biases 0. The same for ReLU layers.
- ``'normal'`` (Nielsen, chapter 1): weights and biases N(0, 1).
- ``'torch'``: PyTorch's default for Linear and Conv: uniform on +-1/sqrt(fan_in), biases too.
"""

from __future__ import annotations

import numbers

import numpy as np

_GLOBAL = np.random.default_rng()

INITS = ("xavier", "he", "normal", "torch")


def manual_seed(seed: int) -> None:
    """Reset the shared generator, so layers made afterwards without ``seed=`` repeat."""
    global _GLOBAL
    _GLOBAL = np.random.default_rng(seed)


def generator(seed: int | np.random.Generator | None = None) -> np.random.Generator:
    """A generator for ``seed``: a new one for an int, the given one, or the shared one for None.

    >>> int(generator(3).integers(100)) == int(generator(3).integers(100))
    True
    """
    if seed is None:
        return _GLOBAL
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        error = ValueError if isinstance(seed, numbers.Integral) and not isinstance(seed, bool) else TypeError
        raise error(f"seed must be an int >= 0, a numpy Generator or None, got {type(seed).__name__} "
                    f"{seed!r:.40}")
    return np.random.default_rng(int(seed))


def normal(shape: tuple, std: float = 1.0, rng: int | np.random.Generator | None = None) -> np.ndarray:
    """N(0, std**2) samples of ``shape``.

    >>> normal((2, 3), std=0.1, rng=0).shape
    (2, 3)
    """
    return generator(rng).normal(0.0, std, size=shape)


def uniform(shape: tuple, bound: float, rng: int | np.random.Generator | None = None) -> np.ndarray:
    """Uniform samples on [-bound, bound).

    >>> bool(abs(uniform((1000,), 0.5, rng=0)).max() <= 0.5)
    True
    """
    return generator(rng).uniform(-bound, bound, size=shape)


def init_weights(
    shape: tuple, fan_in: int, fan_out: int, init: str, rng: int | np.random.Generator | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``(weight, bias)`` for a layer whose weight has ``shape`` and bias ``shape[0]`` entries.

    >>> w, b = init_weights((3, 4), fan_in=4, fan_out=3, init='xavier', rng=0)
    >>> w.shape, b.tolist()
    ((3, 4), [0.0, 0.0, 0.0])
    >>> init_weights((3, 4), 4, 3, init='lecun')
    Traceback (most recent call last):
    ...
    ValueError: init must be one of 'xavier', 'he', 'normal', 'torch'; got 'lecun'
    """
    g = generator(rng)
    nbias = shape[0]
    if init == "xavier":
        return uniform(shape, np.sqrt(6.0 / (fan_in + fan_out)), g), np.zeros(nbias)
    if init == "he":
        return normal(shape, np.sqrt(2.0 / fan_in), g), np.zeros(nbias)
    if init == "normal":
        return normal(shape, 1.0, g), normal((nbias,), 1.0, g)
    if init == "torch":
        bound = 1.0 / np.sqrt(fan_in)
        return uniform(shape, bound, g), uniform((nbias,), bound, g)
    raise ValueError(f"init must be one of {', '.join(repr(i) for i in INITS)}; got {init!r}")


__all__ = ["INITS", "generator", "init_weights", "manual_seed", "normal", "uniform"]
