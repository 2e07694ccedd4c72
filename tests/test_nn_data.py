"""Data: batches, toy datasets, digits, and the MNIST IDX reader (files written here, and fuzzed)."""

from __future__ import annotations

import gzip
import os
import signal
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn.data import (
    IMAGES_MAGIC,
    LABELS_MAGIC,
    batches,
    blobs,
    circles,
    digits,
    gate,
    load_mnist,
    moons,
    parse_idx,
    read_idx,
    spirals,
    split,
)

# -- batches -------------------------------------------------------------------------------------


def test_batches_cover_every_sample_once_per_epoch():
    X = np.arange(10).reshape(10, 1)
    y = np.arange(10) * 10
    got = list(batches(X, y, batch_size=3, seed=0))
    assert [len(b[0]) for b in got] == [3, 3, 3, 1]
    seen = np.concatenate([b[0][:, 0] for b in got])
    assert sorted(seen.tolist()) == list(range(10)) and seen.tolist() != list(range(10))
    assert all((yb == xb[:, 0] * 10).all() for xb, yb in got)  # rows stay paired
    again = list(batches(X, y, batch_size=3, seed=0))
    assert all((a[0] == b[0]).all() for a, b in zip(got, again))  # seeded
    assert [len(b[0]) for b in batches(X, y, 3, drop_last=True)] == [3, 3, 3]


def test_batches_from_one_generator_differ_each_epoch():
    X, y = np.arange(20).reshape(20, 1), np.arange(20)
    g = np.random.default_rng(0)
    first = np.concatenate([yb for _, yb in batches(X, y, 5, seed=g)])
    second = np.concatenate([yb for _, yb in batches(X, y, 5, seed=g)])
    assert first.tolist() != second.tolist()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: list(batches(np.zeros((3, 1)), np.zeros(2))), "3 rows of X and 2 of y"),
        (lambda: list(batches(np.zeros((3, 1)), np.zeros(3), batch_size=0)), "batch_size"),
        (lambda: gate("xnor"), "gate must be one of"),
        (lambda: moons(1), "n must be an int >= 2"),
        (lambda: circles(10, factor=1.5), "factor"),
        # these named n (which was fine), gave numpy's "scale < 0", or made samples of 0 features
        (lambda: blobs(100, centers=0), "centers must be an int >= 1, got 0"),
        (lambda: spirals(100, classes=0), "classes must be an int >= 1, got 0"),
        (lambda: moons(100, noise=-0.1), "moons: noise must be a finite number >= 0, got -0.1"),
        (lambda: blobs(100, std=-1.0), "blobs: std must be a finite number >= 0, got -1.0"),
        (lambda: blobs(100, centers=[]), "centers"),
        # one flat list was one centre, (0, 5): one class where two on a line were meant
        (lambda: blobs(100, centers=[0.0, 5.0]),
         r"got one list of numbers \[0.0, 5.0\]: write \[\[0.0\], \[5.0\]\]"),
        (lambda: blobs(100, centers=[[0.0, 0.0]], features="2"), "features must be an int >= 1, got '2'"),
        (lambda: split(np.zeros(4), np.zeros(4), test_fraction=1.0), "test_fraction"),
    ],
)
def test_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# -- toy datasets --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, classes",
    [
        (lambda s: moons(101, noise=0.1, seed=s), 2),
        (lambda s: circles(101, seed=s), 2),
        (lambda s: spirals(101, classes=3, seed=s), 3),
        (lambda s: blobs(101, centers=4, seed=s), 4),
    ],
)
def test_datasets_are_seeded_balanced_and_shaped(make, classes):
    X, y = make(0)
    assert X.shape == (101, 2) and X.dtype == np.float64 and y.shape == (101,)
    assert y.dtype.kind == "i" and sorted(set(y.tolist())) == list(range(classes))
    counts = np.bincount(y)
    assert counts.max() - counts.min() <= 1
    X2, y2 = make(0)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert not np.array_equal(make(1)[0], X)


def test_dataset_geometry():
    X, y = circles(400, noise=0.0, factor=0.3, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.allclose(r[y == 0], 1.0) and np.allclose(r[y == 1], 0.3)
    X, y = moons(400, noise=0.0, seed=0)
    assert X[y == 0, 1].min() >= -1e-12 and X[y == 1, 1].max() <= 0.5 + 1e-12
    X, y = blobs(300, centers=[[0.0, 0.0], [20.0, 20.0]], std=0.5, seed=0)
    assert np.allclose(X[y == 1].mean(axis=0), [20, 20], atol=0.2)


def test_gates():
    assert gate("AND")[1].tolist() == [0, 0, 0, 1]
    assert gate("or")[1].tolist() == [0, 1, 1, 1]
    assert gate("nand")[1].tolist() == [1, 1, 1, 0]


def test_digits_split_and_scaling():
    d = digits(test_fraction=0.2, seed=1)
    assert len(d.X_train) + len(d.X_test) == 1797
    assert len(d.X_test) == round(1797 * 0.2)
    assert d.X_train.shape[1] == 64 and 0.0 <= d.X_train.min() and d.X_train.max() == 1.0
    assert set(d.y_train.tolist()) == set(range(10))
    X_train, y_train, X_test, y_test = d  # unpacks
    assert d.train[0] is X_train and d.test[1] is y_test
    images = digits(test_fraction=0.2, flatten=False, seed=1)
    assert images.X_train.shape[1:] == (1, 8, 8)
    assert np.array_equal(images.X_train.reshape(-1, 64), d.X_train)


def test_a_split_prints_its_shapes_not_its_arrays():
    # digits() at the REPL printed ~40 lines of arrays
    assert repr(digits()) == "Split(train 1348x64, test 449x64, 10 classes)"
    assert repr(digits(flatten=False)) == "Split(train 1348x1x8x8, test 449x1x8x8, 10 classes)"
    assert repr(split(np.zeros((4, 3)), [1, 1, 1, 1])) == "Split(train 3x3, test 1x3, 1 class)"
    # only labels have classes: float targets and one-hot rows are not counted as their values
    assert repr(split(np.zeros((4, 3)), np.linspace(0, 1, 4))) == "Split(train 3x3, test 1x3)"
    assert repr(split(np.zeros((4, 3)), np.eye(4, dtype=int))) == "Split(train 3x3, test 1x3)"


def test_digits_without_sklearn_says_how_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_sklearn(name, *args, **kwargs):
        if name.startswith("sklearn"):
            raise ImportError("No module named 'sklearn'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sklearn)
    with pytest.raises(ImportError, match="pip install scikit-learn"):
        digits()


# -- IDX / MNIST ---------------------------------------------------------------------------------


def idx_bytes(array, code=0x08):
    array = np.asarray(array)
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    dtype = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}[code]
    return header + array.astype(dtype).tobytes()


def write_mnist(directory, n_train=5, n_test=3, shape=(28, 28), gz=False, seed=0):
    rng = np.random.default_rng(seed)
    parts = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        images = rng.integers(0, 256, size=(n, *shape), dtype=np.uint8)
        labels = rng.integers(0, 10, size=n, dtype=np.uint8)
        for kind, arr in (("images-idx3-ubyte", images), ("labels-idx1-ubyte", labels)):
            raw = idx_bytes(arr)
            name = f"{prefix}-{kind}" + (".gz" if gz else "")
            (directory / name).write_bytes(gzip.compress(raw) if gz else raw)
        parts[prefix] = (images, labels)
    return parts


@pytest.mark.parametrize("gz", [False, True], ids=["raw", "gzip"])
def test_load_mnist_reads_what_was_written(tmp_path, gz):
    parts = write_mnist(tmp_path, gz=gz)
    d = load_mnist(tmp_path)
    images, labels = parts["train"]
    assert d.X_train.shape == (5, 784) and d.X_train.dtype == np.float64
    np.testing.assert_allclose(d.X_train, images.reshape(5, -1) / 255.0)
    assert d.y_train.tolist() == labels.tolist() and d.y_train.dtype == np.int64
    assert d.X_test.shape == (3, 784) and d.y_test.tolist() == parts["t10k"][1].tolist()
    raw = load_mnist(tmp_path, flatten=False, normalize=False)
    assert raw.X_train.shape == (5, 1, 28, 28) and raw.X_train.dtype == np.uint8
    assert np.array_equal(raw.X_train[:, 0], images)


def test_load_mnist_finds_the_dotted_names_too(tmp_path):
    write_mnist(tmp_path)
    for p in tmp_path.iterdir():
        p.rename(tmp_path / p.name.replace("-idx", ".idx"))
    assert load_mnist(tmp_path).X_train.shape == (5, 784)


def test_load_mnist_small_images_with_any_shape(tmp_path):
    write_mnist(tmp_path, shape=(4, 3))
    with pytest.raises(ValueError, match=r"images are \(4, 3\), expected \(28, 28\)"):
        load_mnist(tmp_path)
    assert load_mnist(tmp_path, image_shape=None).X_train.shape == (5, 12)


def test_load_mnist_reads_a_valid_file_of_no_images_as_empty(tmp_path):
    # numpy's reshape failed: "cannot reshape array of size 0 into shape (0,newaxis)", no file named
    write_mnist(tmp_path, n_train=0)
    d = load_mnist(tmp_path)
    assert d.X_train.shape == (0, 784) and d.y_train.shape == (0,) and d.X_test.shape == (3, 784)
    assert load_mnist(tmp_path, flatten=False).X_train.shape == (0, 1, 28, 28)


def test_missing_file_names_what_is_expected(tmp_path):
    write_mnist(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(FileNotFoundError, match="no t10k-labels-idx1-ubyte"):
        load_mnist(tmp_path)


def _corrupt(tmp_path, name, raw):
    (tmp_path / name).write_bytes(raw)
    with pytest.raises(ValueError) as err:
        load_mnist(tmp_path)
    assert name in str(err.value)
    return str(err.value)


def test_wrong_magic_number_is_named(tmp_path):
    write_mnist(tmp_path)
    labels = (tmp_path / "train-labels-idx1-ubyte").read_bytes()
    message = _corrupt(tmp_path, "train-images-idx3-ubyte", labels)  # labels where images belong
    assert "magic number 2049" in message and "expected 2051" in message


def test_truncated_and_padded_files_are_named(tmp_path):
    write_mnist(tmp_path)
    raw = (tmp_path / "train-images-idx3-ubyte").read_bytes()
    assert "truncated: 3919 bytes of data" in _corrupt(tmp_path, "train-images-idx3-ubyte", raw[:-1])
    assert "truncated header" in _corrupt(tmp_path, "train-images-idx3-ubyte", raw[:10])
    assert "too short" in _corrupt(tmp_path, "train-images-idx3-ubyte", raw[:2])
    assert "1 unexpected bytes" in _corrupt(tmp_path, "train-images-idx3-ubyte", raw + b"\0")


def test_count_mismatch_and_bad_labels_are_named(tmp_path):
    write_mnist(tmp_path)
    message = _corrupt(tmp_path, "train-labels-idx1-ubyte", idx_bytes(np.zeros(4, dtype=np.uint8)))
    assert "5 images" in message and "4 labels" in message
    message = _corrupt(tmp_path, "train-labels-idx1-ubyte", idx_bytes(np.array([1, 2, 3, 4, 12])))
    assert "digits 0-9" in message


def test_corrupt_gzip_is_named(tmp_path):
    write_mnist(tmp_path, gz=True)
    raw = (tmp_path / "t10k-images-idx3-ubyte.gz").read_bytes()
    assert "gzip" in _corrupt(tmp_path, "t10k-images-idx3-ubyte.gz", raw[: len(raw) // 2])


@pytest.mark.parametrize("code", [0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E])
def test_parse_idx_reads_every_data_type(code):
    arr = np.arange(-3, 9).reshape(3, 2, 2) if code != 0x08 else np.arange(12).reshape(3, 2, 2)
    got = parse_idx(idx_bytes(arr, code))
    assert got.shape == (3, 2, 2) and np.array_equal(got, arr)
    assert got.dtype.isnative


def test_read_idx_checks_the_magic_number_it_is_given(tmp_path):
    path = tmp_path / "x.idx"
    path.write_bytes(idx_bytes(np.zeros((2, 3, 3), dtype=np.uint8)))
    assert read_idx(path, IMAGES_MAGIC).shape == (2, 3, 3)
    with pytest.raises(ValueError, match=r"x\.idx: magic number 2051 .*expected 2049"):
        read_idx(path, LABELS_MAGIC)


def test_read_idx_names_a_magic_number_of_the_wrong_type_and_too_many_dimensions(tmp_path):
    """magic='2049' broke an f-string ("Unknown format code 'x'"); a header of 255 dimensions gave
    numpy's "maximum supported dimension is 64" without the file's name."""
    path = tmp_path / "x.idx"
    path.write_bytes(idx_bytes(np.zeros(3, dtype=np.uint8)))
    with pytest.raises(TypeError, match=r"magic must be an int \(2051 for images, 2049 for labels\), "
                                        r"got str '2049'"):
        read_idx(path, "2049")
    with pytest.raises(ValueError, match=r"deep\.idx: IDX header says 255 dimensions \(an array here has "
                                         r"1 to 64\)"):
        parse_idx(bytes([0, 0, 8, 255]) + bytes(4 * 255), "deep.idx")


def test_reading_a_pipe_is_refused_instead_of_waiting_for_ever(tmp_path):
    import nn

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def stuck(*_):  # (without the check, open() waits for a writer: fail instead of hanging the suite)
        raise AssertionError("reading the pipe waited for a writer")

    before = signal.signal(signal.SIGALRM, stuck)
    try:
        for read in (lambda: read_idx(fifo), lambda: nn.Linear(1, 1).load(fifo), lambda: load_mnist(fifo)):
            signal.alarm(10)
            with pytest.raises(OSError, match=r"is not a regular file \(a device or a pipe\); not reading"):
                read()
            signal.alarm(0)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)


def test_load_mnist_given_a_file_says_it_takes_the_folder(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(idx_bytes(np.zeros((1, 2, 2), dtype=np.uint8)))
    with pytest.raises(NotADirectoryError, match="is a file; load_mnist takes the folder that holds"):
        load_mnist(path)
    with pytest.raises(TypeError, match=r"expected a file path \(a str or a pathlib.Path\), got NoneType"):
        load_mnist(None)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64))
def test_parse_idx_fuzz_any_bytes_give_an_array_or_a_clear_value_error(raw):
    try:
        arr = parse_idx(raw, "fuzz.idx")
    except ValueError as err:
        assert str(err).startswith("fuzz.idx: ")
    else:
        assert arr.ndim == raw[3] and arr.size * arr.itemsize == len(raw) - 4 - 4 * raw[3]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E]),
    st.lists(st.integers(0, 3), min_size=1, max_size=3),
    st.integers(-3, 3),
    st.booleans(),
    st.integers(0, 12),
)
def test_read_idx_fuzz_near_valid_files(tmp_path_factory, code, dims, delta, gz, cut):
    """Valid files with a few bytes missing or added, raw or gzipped (and maybe cut short)."""
    raw = idx_bytes(np.ones(dims), code)
    raw = raw[: len(raw) + delta] if delta < 0 else raw + bytes(delta)
    data = gzip.compress(raw) if gz else raw
    cut = cut if gz else 0
    path = tmp_path_factory.mktemp("near") / "near.idx.gz"
    path.write_bytes(data[: len(data) - cut])
    try:
        got = read_idx(path)
    except ValueError as err:
        assert str(path) in str(err)
        assert delta != 0 or cut > 0
    else:
        assert delta == 0 and cut == 0 and got.shape == tuple(dims)


@settings(max_examples=100, deadline=None)
@given(st.binary(min_size=0, max_size=80), st.booleans())
def test_read_idx_fuzz_files(tmp_path_factory, raw, gz):
    path = tmp_path_factory.mktemp("fuzz") / "f.idx"
    path.write_bytes(gzip.compress(raw) if gz else raw)
    try:
        read_idx(path)
    except ValueError as err:
        assert str(path) in str(err)


@pytest.mark.parametrize("fraction, n_test", [(0.01, 1), (0.99, 9), (0.25, 2)])
def test_split_never_leaves_a_part_empty(fraction, n_test):
    # 0.01 of 10 samples gave an empty test set (test loss and accuracy nan in fit)
    s = split(np.zeros((10, 2)), np.arange(10), test_fraction=fraction)
    assert len(s.X_test) == len(s.y_test) == n_test and len(s.X_train) == 10 - n_test
    with pytest.raises(ValueError, match="at least 2 samples"):
        split(np.zeros((1, 2)), [0])
