"""Data: mini-batches, small seeded toy datasets, the bundled 8x8 digits, and MNIST from IDX files.

Every dataset function returns numpy arrays ``(X, y)``: ``X`` float64 of shape
``(samples, features)`` and ``y`` int labels ``0, 1, ...``.  Same seed, same data.

    >>> from nn.data import moons, batches
    >>> X, y = moons(100, noise=0.1, seed=0)
    >>> X.shape, y.shape, sorted(set(y.tolist()))
    ((100, 2), (100,), [0, 1])
    >>> [xb.shape for xb, yb in batches(X, y, batch_size=40, seed=0)]
    [(40, 2), (40, 2), (20, 2)]
"""

from __future__ import annotations

import errno
import gzip
import math
import os
import struct
import zlib
from collections.abc import Iterator
from typing import Any, NamedTuple

import numpy as np

from autograd.display import shape_text
from autograd.files import file_to_read
from autograd.ops import check_flag

from .checks import check_number
from .init import generator


class Split(NamedTuple):
    """A dataset split into training and test parts; unpacks as four arrays.

    Its repr gives the shapes, not the numbers (a REPL would print thousands of them):

    >>> import numpy as np
    >>> split(np.zeros((8, 2)), [0, 1, 2, 0, 1, 2, 0, 1])
    Split(train 6x2, test 2x2, 3 classes)
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    @property
    def train(self) -> tuple[np.ndarray, np.ndarray]:
        """``(X_train, y_train)``, the form ``fit`` takes."""
        return self.X_train, self.y_train

    @property
    def test(self) -> tuple[np.ndarray, np.ndarray]:
        """``(X_test, y_test)``."""
        return self.X_test, self.y_test

    def __repr__(self) -> str:
        parts = [f"train {shape_text(np.shape(self.X_train))}", f"test {shape_text(np.shape(self.X_test))}"]
        ys = [np.asarray(self.y_train), np.asarray(self.y_test)]
        labels = np.concatenate([y.reshape(-1) for y in ys])
        # one int label per sample: float targets and one-hot rows have no classes to count this way
        if labels.dtype.kind in "iub" and all(y.ndim and y.size == len(y) for y in ys):
            n = len(np.unique(labels))
            parts.append(f"{n} class" + ("" if n == 1 else "es"))
        return f"Split({', '.join(parts)})"


def _rng(seed: int | np.random.Generator | None) -> np.random.Generator:
    """``generator(seed)`` (which checks the seed), but a fresh one for None: shuffles and
    splits do not draw from the layers' shared generator."""
    return np.random.default_rng() if seed is None else generator(seed)


# -- mini-batches --------------------------------------------------------------------------------


def batches(
    X: Any,
    y: Any,
    batch_size: int = 32,
    shuffle: bool = True,
    seed: int | np.random.Generator | None = None,
    drop_last: bool = False,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Mini-batches ``(X_batch, y_batch)`` covering the data once (one epoch).

    With ``shuffle`` the order is a fresh permutation from ``seed`` (an int, or a
    ``numpy.random.Generator`` to get a new order each epoch from one generator).  The last
    batch is smaller unless ``drop_last``.

    >>> import numpy as np
    >>> X = np.arange(5).reshape(5, 1); y = np.arange(5)
    >>> [yb.tolist() for _, yb in batches(X, y, batch_size=2, shuffle=False)]
    [[0, 1], [2, 3], [4]]
    """
    check_flag("batches", "shuffle", shuffle)  # ('no' would shuffle)
    check_flag("batches", "drop_last", drop_last)
    X, y = _samples(X, y, "batches")
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
    order = _rng(seed).permutation(len(X)) if shuffle else np.arange(len(X))
    stop = len(X) - len(X) % batch_size if drop_last else len(X)
    for start in range(0, stop, batch_size):
        idx = order[start : start + batch_size]
        yield X[idx], y[idx]


def as_array(a: Any, what: str) -> np.ndarray:
    """``a`` as a numpy array; ragged rows are a ValueError naming ``what`` (numpy's names none).

    >>> as_array([[1, 2], [3, 4]], "X").shape
    (2, 2)
    >>> as_array([[1, 2], [3]], "split: X")
    Traceback (most recent call last):
    ...
    ValueError: split: X must have rows of one length: setting an array element with a sequence...
    """
    try:
        return np.asarray(a)
    except ValueError as err:
        raise ValueError(f"{what} must have rows of one length: {err}") from None


def _samples(X: Any, y: Any, who: str) -> tuple[np.ndarray, np.ndarray]:
    """``X`` and ``y`` as arrays of one row (one target) per sample, else a ValueError."""
    X, y = as_array(X, f"{who}: X"), as_array(y, f"{who}: y")
    if X.ndim == 0 or y.ndim == 0:  # (len() of a 0-d array: "len() of unsized object")
        raise ValueError(
            f"{who}: X and y must hold one row per sample; got X of shape {X.shape} and y of shape "
            f"{y.shape} (one sample is X=[row], y=[label])"
        )
    if len(X) != len(y):
        raise ValueError(f"{who}: X and y must have one row per sample; got {len(X)} rows of X and "
                         f"{len(y)} of y")
    return X, y


# -- toy datasets --------------------------------------------------------------------------------

_GATES = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "xor": [0, 1, 1, 0],
    "nand": [1, 1, 1, 0],
    "nor": [1, 0, 0, 0],
}


def gate(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The truth table of a logic gate: ``'and'``, ``'or'``, ``'xor'``, ``'nand'`` or ``'nor'``.

    >>> X, y = gate('xor')
    >>> X.tolist(), y.tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    key = str(name).lower()
    if key not in _GATES:
        raise ValueError(f"gate must be one of {', '.join(map(repr, _GATES))}; got {name!r}")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    return X, np.array(_GATES[key])


def _check_n(n: Any, least: int = 1, what: str = "n") -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < least:
        raise ValueError(f"{what} must be an int >= {least}, got {n!r}")
    return int(n)


def _fraction(owner: str, name: str, value: Any) -> float:
    check_number(owner, name, value, "strictly between 0 and 1", ok=lambda v: 0 < v < 1)
    return float(value)


def _spread(owner: str, name: str, value: Any) -> float:
    check_number(owner, name, value)
    return float(value)


def _shuffled(X: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    order = rng.permutation(len(X))
    return X[order], y[order].astype(np.int64)


def moons(n: int = 100, noise: float = 0.1, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (class 0 on top, class 1 below), plus Gaussian ``noise``.

    >>> X, y = moons(6, noise=0.0, seed=0)
    >>> y.tolist()
    [1, 1, 0, 0, 1, 0]
    """
    n = _check_n(n, 2)
    noise = _spread("moons", "noise", noise)
    rng = _rng(seed)
    n0 = n // 2
    t0 = np.linspace(0, np.pi, n0)
    t1 = np.linspace(0, np.pi, n - n0)
    X = np.concatenate([np.c_[np.cos(t0), np.sin(t0)], np.c_[1 - np.cos(t1), 0.5 - np.sin(t1)]])
    y = np.r_[np.zeros(n0), np.ones(n - n0)]
    return _shuffled(X + rng.normal(0, noise, X.shape), y, rng)


def circles(
    n: int = 100, noise: float = 0.05, factor: float = 0.5, seed: int | None = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A circle of radius 1 (class 0) around one of radius ``factor`` (class 1), plus noise.

    >>> X, y = circles(4, noise=0.0, factor=0.5, seed=0)
    >>> np.hypot(X[:, 0], X[:, 1]).round(3).tolist(), y.tolist()
    ([1.0, 0.5, 1.0, 0.5], [0, 1, 0, 1])
    """
    n = _check_n(n, 2)
    factor = _fraction("circles", "factor", factor)
    noise = _spread("circles", "noise", noise)
    rng = _rng(seed)
    n0 = n // 2
    t0 = np.linspace(0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0, 2 * np.pi, n - n0, endpoint=False)
    X = np.concatenate([np.c_[np.cos(t0), np.sin(t0)], factor * np.c_[np.cos(t1), np.sin(t1)]])
    y = np.r_[np.zeros(n0), np.ones(n - n0)]
    return _shuffled(X + rng.normal(0, noise, X.shape), y, rng)


def spirals(
    n: int = 100, classes: int = 2, noise: float = 0.2, seed: int | None = 0
) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` interleaved spiral arms (as in CS231n), ``n`` points in all.

    >>> X, y = spirals(300, classes=3, seed=0)
    >>> X.shape, np.bincount(y).tolist()
    ((300, 2), [100, 100, 100])
    """
    n = _check_n(n, 1)
    classes = _check_n(classes, 1, "classes")
    if n < classes:  # else some arms have no points, and fewer classes come back than asked for
        raise ValueError(f"spirals: n={n} points cannot fill {classes} arms; give n >= {classes}")
    noise = _spread("spirals", "noise", noise)
    rng = _rng(seed)
    parts, labels = [], []
    for k in range(classes):
        m = n // classes + (1 if k < n % classes else 0)
        r = np.linspace(0.0, 1.0, m)
        t = np.linspace(k * 4.0, (k + 1) * 4.0, m) + rng.normal(0, noise, m)
        parts.append(np.c_[r * np.sin(t), r * np.cos(t)])
        labels.append(np.full(m, k))
    return _shuffled(np.concatenate(parts), np.concatenate(labels), rng)


def blobs(
    n: int = 100, centers: int | Any = 3, std: float = 1.0, seed: int | None = 0, features: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian clusters: ``centers`` random centres in [-10, 10]^features (2 features unless
    given), or the given array of centres, each with standard deviation ``std``; ``n`` points
    in all.

    >>> X, y = blobs(100, centers=[[0.0, 0.0], [10.0, 10.0]], std=0.1, seed=0)
    >>> X[y == 1].mean(axis=0).round(1).tolist()
    [10.0, 10.0]
    """
    n = _check_n(n, 1)
    std = _spread("blobs", "std", std)
    rng = _rng(seed)
    if isinstance(centers, (int, np.integer)) and not isinstance(centers, bool):
        dims = 2 if features is None else _check_n(features, 1, "features")
        c = rng.uniform(-10, 10, size=(_check_n(centers, 1, "centers"), dims))
    else:
        try:
            c = np.asarray(centers, dtype=np.float64)
        except (TypeError, ValueError):  # text, None, ragged rows
            raise TypeError(
                f"centers must be an int or a list of points (k, features), got {centers!r}"
            ) from None
        if c.ndim == 1 and c.size:  # [0.0, 5.0] was read as one centre, (0, 5): one class, not two
            raise ValueError(f"centers must be an int or a list of points (k, features), got one list of "
                             f"numbers {centers!r:.60}: write [[0.0], [5.0]] for points on a line, "
                             "[[0.0, 5.0]] for one point in the plane")
        if c.ndim != 2 or c.size == 0:  # (3.0 was one centre at 3.0, in 1-D)
            raise ValueError(f"centers must be an int or a list of points (k, features), got {centers!r:.60}")
        # (features is for random centres; given with centers, it must agree with them)
        if features is not None and _check_n(features, 1, "features") != c.shape[1]:
            raise ValueError(f"blobs: features={features!r} but the centers given have {c.shape[1]}")
        if not np.isfinite(c).all():  # every point of that blob would be nan
            raise ValueError(f"centers must be finite numbers, got {c.tolist()}")
    k = len(c)
    if n < k:  # else some clusters have no points, and fewer classes come back than asked for
        raise ValueError(f"blobs: n={n} points cannot fill {k} clusters; give n >= {k}")
    counts = [n // k + (1 if i < n % k else 0) for i in range(k)]
    X = np.concatenate([c[i] + rng.normal(0, std, (counts[i], c.shape[1])) for i in range(k)])
    y = np.concatenate([np.full(counts[i], i) for i in range(k)])
    return _shuffled(X, y, rng)


def split(X: Any, y: Any, test_fraction: float = 0.25, seed: int | None = 0) -> Split:
    """Shuffle and split into training and test parts.

    >>> import numpy as np
    >>> s = split(np.zeros((8, 2)), np.arange(8), test_fraction=0.25)
    >>> s.X_train.shape, s.X_test.shape
    ((6, 2), (2, 2))
    """
    X, y = _samples(X, y, "split")
    test_fraction = _fraction("split", "test_fraction", test_fraction)
    if len(X) < 2:
        raise ValueError(f"split needs at least 2 samples (one for each part), got {len(X)}")
    order = _rng(seed).permutation(len(X))
    n_test = min(max(int(round(len(X) * test_fraction)), 1), len(X) - 1)  # neither part empty
    test, train = order[:n_test], order[n_test:]
    return Split(X[train], y[train], X[test], y[test])


def digits(test_fraction: float = 0.25, seed: int | None = 0, flatten: bool = True) -> Split:
    """The 1,797 handwritten 8x8 digits bundled with scikit-learn (no download), pixel values
    scaled to [0, 1], shuffled and split into train and test.

    ``flatten=True`` gives rows of 64 pixels; ``flatten=False`` gives images of shape
    ``(1, 8, 8)`` (one channel) for convolutional networks.

    >>> d = digits()
    >>> d
    Split(train 1348x64, test 449x64, 10 classes)
    >>> d.X_train.shape, d.X_test.shape, float(d.X_train.max())
    ((1348, 64), (449, 64), 1.0)
    """
    check_flag("digits", "flatten", flatten)
    try:
        from sklearn.datasets import load_digits
    except ImportError as err:
        raise ImportError(
            "digits() needs scikit-learn, which ships the 8x8 digits: pip install scikit-learn "
            "(or pip install -e '.[demos]')"
        ) from err
    try:
        bunch = load_digits()
    except Exception as err:  # noqa: BLE001 - a broken install raises EOFError, BadGzipFile, IndexError...
        why = f"{type(err).__name__}: {err}"
        raise OSError(f"digits(): scikit-learn's bundled digits file could not be read ({why}); reinstall "
                      "it: pip install --force-reinstall scikit-learn") from err
    X = bunch.data.astype(np.float64) / 16.0
    if not flatten:
        X = X.reshape(-1, 1, 8, 8)
    return split(X, bunch.target.astype(np.int64), test_fraction, seed)


# -- MNIST: the IDX file format ------------------------------------------------------------------

_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
IMAGES_MAGIC = 2051  # 0x00000803: unsigned bytes, 3 dimensions (count, rows, columns)
LABELS_MAGIC = 2049  # 0x00000801: unsigned bytes, 1 dimension (count)


_MAX_NDIM = 64  # numpy's limit


def parse_idx(raw: bytes, name: str = "<bytes>", magic: int | None = None) -> np.ndarray:
    """The array stored in the bytes of an IDX file (the format of the MNIST files).

    An IDX file is: two zero bytes, a type byte (0x08 = unsigned byte, ...), the number of
    dimensions, each dimension as a big-endian 32-bit int, then the data.  Anything else, a
    different ``magic`` number than asked for, or a data length that does not match the
    dimensions, raises ``ValueError`` naming ``name`` and the problem.

    >>> parse_idx(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]), 'labels').tolist()
    [7, 8, 9]
    >>> parse_idx(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 8]), 'labels')
    Traceback (most recent call last):
    ...
    ValueError: labels: truncated: 2 bytes of data, but dimensions (3,) need 3
    """
    if magic is not None and (isinstance(magic, bool) or not isinstance(magic, (int, np.integer))):
        raise TypeError(f"magic must be an int (2051 for images, 2049 for labels), got "
                        f"{type(magic).__name__} {magic!r:.20}")
    raw = bytes(raw)
    if len(raw) < 4:
        raise ValueError(f"{name}: too short for an IDX file ({len(raw)} bytes; the header alone is 4)")
    found = int.from_bytes(raw[:4], "big")
    if magic is not None and found != magic:
        raise ValueError(
            f"{name}: magic number {found} (0x{found:08x}), expected {magic} (0x{magic:08x}); "
            "is this the right file?"
        )
    if raw[0] != 0 or raw[1] != 0:
        raise ValueError(f"{name}: not an IDX file (magic number 0x{found:08x} must start with 0x0000)")
    code, ndim = raw[2], raw[3]
    if code not in _IDX_TYPES:
        raise ValueError(f"{name}: unknown IDX data type 0x{code:02x} in magic number 0x{found:08x}")
    if not 0 < ndim <= _MAX_NDIM:  # (numpy holds at most 64 axes)
        raise ValueError(f"{name}: IDX header says {ndim} dimensions (an array here has 1 to {_MAX_NDIM})")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(
            f"{name}: truncated header: {ndim} dimensions need {header} bytes, file has {len(raw)}"
        )
    dims = struct.unpack(f">{ndim}I", raw[4:header])
    dtype = np.dtype(_IDX_TYPES[code])
    need = math.prod(dims) * dtype.itemsize
    have = len(raw) - header
    if have < need:
        raise ValueError(f"{name}: truncated: {have} bytes of data, but dimensions {dims} need {need}")
    if have > need:
        raise ValueError(f"{name}: {have - need} unexpected bytes after the data of dimensions {dims}")
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(dims).astype(dtype.newbyteorder("="))


def read_idx(path: str | os.PathLike, magic: int | None = None) -> np.ndarray:
    """Read an IDX file, raw or gzip-compressed (recognised by its content, not its name).

    Errors (a corrupt gzip stream, a wrong magic number, a truncated file) raise ``ValueError``
    with the file's path in the message.

    >>> import gzip, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), 'labels.gz')
    >>> with open(path, 'wb') as f:
    ...     _ = f.write(gzip.compress(bytes([0, 0, 8, 1, 0, 0, 0, 2, 4, 2])))
    >>> read_idx(path, LABELS_MAGIC).tolist()
    [4, 2]
    >>> read_idx(path, IMAGES_MAGIC)
    Traceback (most recent call last):
    ...
    ValueError: ...labels.gz: magic number 2049 (0x00000801), expected 2051 (0x00000803); ...
    """
    name = file_to_read(path)
    with open(name, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as err:
            raise ValueError(f"{name}: corrupt or truncated gzip data ({err})") from err
    return parse_idx(raw, name, magic)


_MNIST_FILES = {
    "train_images": ("train-images-idx3-ubyte", "train-images.idx3-ubyte"),
    "train_labels": ("train-labels-idx1-ubyte", "train-labels.idx1-ubyte"),
    "test_images": ("t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte"),
    "test_labels": ("t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte"),
}


def _find(directory: str, names: tuple[str, ...]) -> str:
    for base in names:
        for candidate in (base, base + ".gz"):
            path = os.path.join(directory, candidate)
            if os.path.isfile(path):
                return path
    raise FileNotFoundError(
        f"no {names[0]} (or {names[0]}.gz) in {directory!r}; MNIST is the four IDX files "
        "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, "
        "t10k-labels-idx1-ubyte (gzipped or not)"
    )


def _check_image_shape(image_shape: Any) -> tuple[int, int] | None:
    if image_shape is None:
        return None
    accepted = "None or a pair (rows, columns) of positive ints, e.g. (28, 28)"
    if not isinstance(image_shape, (tuple, list)) or not all(
        isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in image_shape
    ):
        raise TypeError(f"load_mnist: image_shape must be {accepted}, got {image_shape!r}")
    if len(image_shape) != 2 or min(image_shape) < 1:
        raise ValueError(f"load_mnist: image_shape must be {accepted}, got {image_shape!r}")
    return int(image_shape[0]), int(image_shape[1])


def _check_float_dtype(dtype: Any) -> np.dtype:
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt is None or dt.kind != "f":  # int8 would give negative pixels, bool 1/255, int float64 anyway
        raise TypeError(
            "load_mnist: dtype must be a floating dtype (np.float32, np.float64, ...), "
            f"got {dt.name if dt is not None else repr(dtype)}; with normalize=False the pixels stay uint8"
        )
    return dt


def _read_pair(images_path: str, labels_path: str, image_shape: tuple | None) -> tuple:
    images = read_idx(images_path, IMAGES_MAGIC)
    labels = read_idx(labels_path, LABELS_MAGIC)
    if images.ndim != 3:
        raise ValueError(f"{images_path}: images need 3 dimensions (count, rows, cols), got {images.shape}")
    if labels.ndim != 1:
        raise ValueError(f"{labels_path}: labels need 1 dimension (count), got {labels.shape}")
    if image_shape is not None and images.shape[1:] != tuple(image_shape):
        raise ValueError(f"{images_path}: images are {images.shape[1:]}, expected {tuple(image_shape)}")
    if len(images) != len(labels):
        raise ValueError(f"{images_path} has {len(images)} images but {labels_path} has {len(labels)} labels")
    if len(labels) and labels.max() > 9:
        raise ValueError(f"{labels_path}: labels must be digits 0-9, found {int(labels.max())}")
    return images, labels.astype(np.int64)


def load_mnist(
    directory: str | os.PathLike,
    flatten: bool = True,
    normalize: bool = True,
    image_shape: tuple[int, int] | None = (28, 28),
    dtype: Any = np.float64,
) -> Split:
    """MNIST from its four original IDX files in ``directory`` (``.gz`` or not).

    Images become rows of ``rows * columns`` pixels (``flatten``) or arrays of shape
    ``(1, rows, columns)``; ``normalize`` scales the bytes 0..255 to [0, 1] as ``dtype``, a
    floating dtype (otherwise they stay uint8).  Magic numbers (2051 images, 2049 labels),
    dimensions (``image_shape``, a pair ``(rows, columns)``, or None for any shape the training
    and test images share) and lengths are checked; a bad file raises ``ValueError``
    naming the file and the problem, a missing one ``FileNotFoundError``; a valid file of 0
    images loads as an empty array (``(0, 784)``).

    >>> load_mnist('/nowhere')
    Traceback (most recent call last):
    ...
    FileNotFoundError: no train-images-idx3-ubyte (or train-images-idx3-ubyte.gz) in '/nowhere'; ...
    """
    image_shape = _check_image_shape(image_shape)
    dtype = _check_float_dtype(dtype)
    check_flag("load_mnist", "flatten", flatten)  # ('no' would flatten)
    check_flag("load_mnist", "normalize", normalize)
    directory = file_to_read(directory)
    if os.path.exists(directory) and not os.path.isdir(directory):
        raise NotADirectoryError(errno.ENOTDIR, "is a file; load_mnist takes the folder that holds the four "
                                 "MNIST files", directory)
    paths = {key: _find(directory, names) for key, names in _MNIST_FILES.items()}
    pairs = {w: _read_pair(paths[f"{w}_images"], paths[f"{w}_labels"], image_shape)
             for w in ("train", "test")}
    shapes = [pairs[w][0].shape[1:] for w in ("train", "test")]
    if shapes[0] != shapes[1]:  # (image_shape=None): a network takes one size
        raise ValueError(
            f"load_mnist: the training images are {shapes[0]} but the test images are {shapes[1]} "
            f"({paths['train_images']}, {paths['test_images']}); both sets need one image shape"
        )
    parts = []
    for images, labels in pairs.values():
        X = images.astype(dtype) / 255.0 if normalize else images
        # not reshape(len(X), -1): numpy cannot infer the -1 for a valid file of 0 images
        X = X.reshape(len(X), math.prod(X.shape[1:])) if flatten else X.reshape(len(X), 1, *X.shape[1:])
        parts += [X, labels]
    return Split(*parts)


__all__ = [
    "IMAGES_MAGIC",
    "LABELS_MAGIC",
    "Split",
    "batches",
    "blobs",
    "circles",
    "digits",
    "gate",
    "load_mnist",
    "moons",
    "parse_idx",
    "read_idx",
    "split",
    "spirals",
]
