"""Bad input to nn (and the demos' CLI) gets a clear error naming the argument, never a crash deep
in numpy, silently wrong numbers or a lost file."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import nn  # noqa: E402
from autograd import Tensor, Value  # noqa: E402
from nn.data import blobs, circles, load_mnist, moons, spirals, split  # noqa: E402
from nn.losses import accuracy, binary_cross_entropy, cross_entropy, mse, quadratic  # noqa: E402
from nn.optim import SGD, Adagrad, Adam, RMSprop, StepLR  # noqa: E402
from nn.train import History, fit  # noqa: E402

NAN, INF = float("nan"), float("inf")


def _write_idx(path: Path, array: np.ndarray, magic: int) -> None:
    dims = np.array(array.shape, dtype=">u4").tobytes()
    path.write_bytes(magic.to_bytes(4, "big") + dims + array.astype(np.uint8).tobytes())


def _mnist(folder: Path, train_shape: tuple = (28, 28), test_shape: tuple = (28, 28)) -> Path:
    folder.mkdir(exist_ok=True)
    rng = np.random.default_rng(0)
    for prefix, n, shape in (("train", 6, train_shape), ("t10k", 4, test_shape)):
        _write_idx(folder / f"{prefix}-images-idx3-ubyte", rng.integers(0, 256, (n, *shape)), 2051)
        _write_idx(folder / f"{prefix}-labels-idx1-ubyte", rng.integers(0, 10, n), 2049)
    return folder


# -- 1. History.plot writes atomically -------------------------------------------------------------


def test_history_plot_failing_write_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "history.png"
    path.write_bytes(b"the old figure")

    def half_then_fail(self, fname, *args, **kwargs):  # as a full disk or `ulimit -f` would
        if isinstance(fname, (str, Path)):
            with open(fname, "wb") as f:
                f.write(b"\x89PNG half")
        else:
            fname.write(b"\x89PNG half")
        raise OSError(27, "File too large")

    monkeypatch.setattr(Figure, "savefig", half_then_fail)
    with pytest.raises(OSError, match="File too large"):
        History(train_loss=[1.0, 0.5]).plot(path)
    assert path.read_bytes() == b"the old figure"
    assert [p.name for p in tmp_path.iterdir()] == ["history.png"]  # no temporary file left


def test_history_plot_still_writes_the_format_of_the_suffix(tmp_path):
    History(train_loss=[1.0, 0.5]).plot(tmp_path / "h.png")
    History(train_loss=[1.0, 0.5]).plot(tmp_path / "h.svg")
    assert (tmp_path / "h.png").read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in (tmp_path / "h.svg").read_bytes()[:1000]
    History(train_loss=[1.0, 0.5]).plot(tmp_path / "curve")  # no suffix: PNG, named as matplotlib does
    assert (tmp_path / "curve.png").read_bytes().startswith(b"\x89PNG")
    assert not (tmp_path / "curve").exists()
    History(train_loss=[1.0, 0.5]).plot(tmp_path / "dotted.")  # matplotlib wrote dotted.png too
    assert (tmp_path / "dotted.png").read_bytes().startswith(b"\x89PNG")


# -- 2. load_mnist: dtype, image_shape, train and test of one shape --------------------------------


@pytest.mark.parametrize("dtype", [np.int8, bool, int, np.uint8, "int64"])
def test_load_mnist_refuses_a_non_floating_dtype(tmp_path, dtype):
    # int8 gave negative pixels, bool 0.0039, int and uint8 silently float64
    with pytest.raises(TypeError, match=r"load_mnist: dtype must be a floating dtype.*got"):
        load_mnist(_mnist(tmp_path / "m"), dtype=dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float16, "float64"])
def test_load_mnist_honours_a_floating_dtype(tmp_path, dtype):
    d = load_mnist(_mnist(tmp_path / "m"), dtype=dtype)
    assert d.X_train.dtype == d.X_test.dtype == np.dtype(dtype)
    assert 0.0 <= d.X_train.min() and d.X_train.max() <= 1.0


@pytest.mark.parametrize("shape", [28, "28x28", (28,), (28, 0), (28.0, 28.0), (28, 28, 1)])
def test_load_mnist_image_shape_must_be_a_pair_of_positive_ints(tmp_path, shape):
    # 28 said "'int' object is not iterable"
    with pytest.raises((TypeError, ValueError), match=r"load_mnist: image_shape must be None or a pair"):
        load_mnist(_mnist(tmp_path / "m"), image_shape=shape)


def test_load_mnist_image_shape_none_still_needs_train_and_test_of_one_shape(tmp_path):
    folder = _mnist(tmp_path / "m", train_shape=(8, 8), test_shape=(28, 28))
    with pytest.raises(ValueError, match=r"training images are \(8, 8\) but .*test images are \(28, 28\)"):
        load_mnist(folder, image_shape=None)
    d = load_mnist(_mnist(tmp_path / "same", (8, 8), (8, 8)), image_shape=None)
    assert d.X_train.shape == (6, 64) and d.X_test.shape == (4, 64)


# -- 3. optimizer settings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: SGD([p], lr=NAN), r"SGD: lr must be a finite number >= 0, got nan"),
        (lambda p: SGD([p], lr=INF), r"SGD: lr must be a finite number >= 0, got inf"),
        (lambda p: SGD([p], lr=0.1, momentum=INF), r"SGD: momentum must be a finite number >= 0, got inf"),
        (lambda p: SGD([p], lr=0.1, weight_decay=NAN), r"SGD: weight_decay must be a finite number >= 0"),
        (lambda p: SGD([p], lr=0.1, momentum=0.9, dampening=NAN), r"SGD: dampening must be a finite number"),
        (lambda p: Adam([p], eps=NAN), r"Adam: eps must be a finite number > 0 \(it keeps .*\), got nan"),
        (lambda p: Adam([p], lr=INF), r"Adam: lr must be a finite number"),
        (lambda p: Adam([p], betas=(NAN, 0.9)), r"Adam: betas must be .* in \[0, 1\)"),
        (lambda p: Adagrad([p], lr_decay=NAN), r"Adagrad: lr_decay must be a finite number >= 0, got nan"),
        (lambda p: Adagrad([p], initial_accumulator_value=INF), r"Adagrad: initial_accumulator_value must"),
        (lambda p: Adagrad([p], eps=INF), r"Adagrad: eps must be a finite number"),
        (lambda p: RMSprop([p], eps=INF), r"RMSprop: eps must be a finite number"),
        (lambda p: RMSprop([p], momentum=NAN), r"RMSprop: momentum must be a finite number"),
        (lambda p: RMSprop([p], alpha=NAN), r"RMSprop: alpha must be a finite number in \[0, 1\]"),
        # a group's own settings are checked as the defaults are
        (lambda p: SGD([{"params": [p], "momentum": NAN}], lr=0.1), r"SGD: momentum must be a finite"),
        (lambda p: Adam([{"params": [p], "eps": INF}]), r"Adam: eps must be a finite"),
        (lambda p: StepLR(SGD([p], lr=0.1), 2, gamma=NAN), r"StepLR: gamma must be a finite number"),
    ],
)
def test_non_finite_optimizer_settings_are_refused(make, message):
    # each was accepted, and the first step() made the parameter nan
    with pytest.raises(ValueError, match=message):
        make(Value(1.0))


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: SGD([p], lr="0.1"), r"SGD: lr must be a finite number >= 0, got '0.1'"),
        (lambda p: SGD([p], lr=0.1, momentum="0.9"), r"SGD: momentum must be a finite number >= 0, got '0"),
        (lambda p: Adam([p], eps=None), r"Adam: eps must be a finite number > 0 .*, got None"),
        (lambda p: Adam([p], betas=0.9), r"Adam: betas must be a pair \(beta1, beta2\).*got 0.9"),
        (lambda p: Adam([p], betas="ab"), r"Adam: betas must be a pair \(beta1, beta2\).*got 'ab'"),
        (lambda p: Adam([p], betas=(0.9, "x")), r"Adam: betas must be a pair \(beta1, beta2\)"),
        (lambda p: Adagrad([p], lr_decay=[0.1]), r"Adagrad: lr_decay must be a finite number"),
        (lambda p: SGD([p], lr=0.1, momentum=0.9, nesterov="yes"), r"SGD: nesterov must be True or False"),
        (lambda p: Adam([p], amsgrad="no"), r"Adam: amsgrad must be True or False, got 'no'"),
        (lambda p: StepLR(SGD([p], lr=0.1), 2, gamma="0.5"), r"StepLR: gamma must be a finite number"),
    ],
)
def test_optimizer_settings_of_the_wrong_type_are_a_type_error(make, message):
    with pytest.raises(TypeError, match=message):  # were raw comparison errors, or a later step() failure
        make(Value(1.0))


@pytest.mark.parametrize("betas", [(0.9,), (0.9, 0.99, 0.999), ()])
def test_adam_betas_must_be_two_numbers(betas):
    # (0.9,) was an IndexError; three betas were accepted and step() failed to unpack them
    with pytest.raises(ValueError, match=rf"Adam: betas must be a pair \(beta1, beta2\).*got {len(betas)}"):
        Adam([Value(1.0)], betas=betas)


def test_adam_betas_may_be_a_list_or_array():
    for betas in ([0.8, 0.9], np.array([0.8, 0.9])):
        assert Adam([Value(1.0)], betas=betas).param_groups[0]["betas"] == (0.8, 0.9)


def test_step_lr_takes_a_numpy_int_but_not_a_bool():
    opt = SGD([Value(0.0)], lr=1.0)
    sched = StepLR(opt, np.int64(2), gamma=0.5)  # was "step_size must be a positive int, got np.int64(2)"
    for _ in range(4):
        sched.step()
    assert opt.param_groups[0]["lr"] == 0.25
    with pytest.raises(ValueError, match="step_size must be a positive int, got True"):
        StepLR(opt, True)


def test_parameter_groups_and_parameters_cannot_be_mixed():
    v, t = Value(1.0), Tensor([1.0], requires_grad=True)
    # was an IndexError about indexing a Tensor
    with pytest.raises(TypeError, match=r"SGD: params must be all parameters or all groups \(dicts\)"):
        SGD([{"params": [v]}, t], lr=0.1)
    with pytest.raises(TypeError, match=r"SGD: params must be all parameters or all groups \(dicts\)"):
        SGD([t, {"params": [v]}], lr=0.1)


def test_a_parameter_group_needs_params():
    with pytest.raises(ValueError, match=r"SGD: parameter group 0 has no 'params'"):  # was KeyError: 'params'
        SGD([{"lr": 0.1}], lr=0.1)


# -- 4. Perceptron.fit's learning rate -------------------------------------------------------------


@pytest.mark.parametrize("lr", [NAN, INF, 0.0, -1.0])
def test_perceptron_refuses_a_non_finite_or_non_positive_lr(lr):
    p = nn.Perceptron(2)
    with pytest.raises(ValueError, match=r"Perceptron\.fit: lr must be a finite number > 0, got"):
        p.fit(*nn.data.gate("and"), lr=lr)  # nan left the weights nan, silently
    assert [w.data for w in p.w] == [0.0, 0.0]


def test_perceptron_refuses_a_string_lr_and_epochs():
    with pytest.raises(TypeError, match=r"Perceptron\.fit: lr must be a finite number > 0, got '1'"):
        nn.Perceptron(2).fit(*nn.data.gate("and"), lr="1")
    epochs = r"Perceptron\.fit: epochs must be an int >= 0 \(0 trains nothing\), got 2\.5"
    with pytest.raises(ValueError, match=epochs):
        nn.Perceptron(2).fit(*nn.data.gate("and"), epochs=2.5)


# -- 5. accuracy of nan outputs --------------------------------------------------------------------


def test_accuracy_of_nan_outputs_says_the_model_diverged():
    out = np.zeros((4, 3))
    out[1, 2] = np.nan  # argmax read nan as the winner (or as class 0): a diverged model scored
    with pytest.raises(ValueError, match=r"accuracy: the outputs contain nan .*diverged.*smaller learning"):
        accuracy(out, [0, 1, 2, 0])
    with pytest.raises(ValueError, match=r"accuracy: the outputs contain nan"):
        accuracy(np.array([np.nan, 1.0]), [-1, 1])


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # numpy's overflow, on the way to nan
def test_fit_records_nan_accuracy_not_a_made_up_score_when_the_model_diverges():
    X, y = nn.data.blobs(60, centers=3, seed=0)
    model = nn.Sequential(nn.Linear(2, 8, seed=0), nn.ReLU(), nn.Linear(8, 3, seed=1))
    h = fit(model, "cross_entropy", SGD(model.parameters(), lr=1e200), (X, y), epochs=3, progress=False)
    assert np.isnan(h.train_loss[-1]) or np.isinf(h.train_loss[-1])
    assert len(h.train_accuracy) == 3 and np.isnan(h.train_accuracy[-1])


def test_a_diverged_regression_has_no_accuracy_at_any_epoch():
    """nan outputs were scored nan even where there is no accuracy (one output, mse): a
    diverging regression gained accuracy entries, plotted at the wrong epochs."""
    X = np.linspace(-1, 1, 40).reshape(-1, 1)
    model = nn.Sequential(nn.Linear(1, 8, seed=0), nn.ReLU(), nn.Linear(8, 1, seed=1))
    with np.errstate(all="ignore"):
        h = fit(model, "mse", SGD(model.parameters(), lr=1e100), (X, 3 * X), epochs=4, test_data=(X, 3 * X),
                progress=False)
    assert np.isnan(h.train_loss[-1])
    assert h.train_accuracy == [] and h.test_accuracy == []


# -- 6-7. fit checks its data once, before the first step ------------------------------------------


def _fit_model():
    return nn.Sequential(nn.Linear(2, 4, seed=0), nn.ReLU(), nn.Linear(4, 3, seed=1))


def _weights(model):
    return [p.data.copy() for p in model.parameters()]


@pytest.mark.parametrize(
    "spoil, message",
    [
        (lambda X, y, tX, ty: X.__setitem__((37, 1), np.nan), r"fit: train_data X has nan at row 37"),
        (lambda X, y, tX, ty: X.__setitem__((5, 0), np.inf), r"fit: train_data X has inf at row 5"),
        (lambda X, y, tX, ty: y.__setitem__(50, np.nan), r"fit: train_data targets have nan at row 50"),
        (lambda X, y, tX, ty: tX.__setitem__((7, 1), np.nan), r"fit: test_data X has nan at row 7"),
        (lambda X, y, tX, ty: ty.__setitem__(9, -np.inf), r"fit: test_data targets have -inf at row 9"),
    ],
)
def test_fit_names_the_row_and_the_argument_of_a_nan(spoil, message):
    X, y = nn.data.blobs(60, centers=3, seed=0)
    y = y.astype(np.float64)
    tX, ty = X[:20].copy(), y[:20].copy()
    spoil(X, y, tX, ty)
    model = _fit_model()
    before = _weights(model)
    # said "Tensor() got nan (first at index (0, 1))": an index in a shuffled batch, and no argument
    with pytest.raises(ValueError, match=message):
        fit(model, "cross_entropy", SGD(model.parameters(), lr=0.1), (X, y), epochs=2,
            test_data=(tX, ty), batch_size=8, progress=False)
    assert all(np.array_equal(a, b) for a, b in zip(before, _weights(model)))


def test_fit_refuses_mismatched_lengths_before_any_step():
    X, y = nn.data.blobs(60, centers=3, seed=0)
    model = _fit_model()
    before = _weights(model)
    with pytest.raises(ValueError, match=r"fit: test_data: X and y .* got 20 rows of X and 19 of y"):
        fit(model, "cross_entropy", SGD(model.parameters(), lr=0.1), (X, y), epochs=1,
            test_data=(X[:20], y[:19]), progress=False)  # was found after the first epoch's steps
    with pytest.raises(ValueError, match=r"fit: train_data: X and y .* got 60 rows of X and 59 of y"):
        fit(model, "cross_entropy", SGD(model.parameters(), lr=0.1), (X, y[:59]), epochs=1, progress=False)
    # test data of no samples or of another width: also found only after the first epoch's steps
    for test_data, message in [((X[:0], y[:0]), r"fit: test_data has no samples \(X of shape \(0, 2\)\)"),
                               ((np.zeros((5, 3)), y[:5]), r"fit: test_data X rows have shape \(3,\) but "
                                                           r"train_data X rows \(2,\)")]:
        with pytest.raises(ValueError, match=message):
            fit(model, "cross_entropy", SGD(model.parameters(), lr=0.1), (X, y), epochs=1,
                test_data=test_data, progress=False)
    # test targets of another form (one-hot rows of the wrong width), a scheduler with no step():
    # also found only after the first epoch's steps
    rows = np.eye(3)[y]
    with pytest.raises(ValueError, match=r"fit: test_data's first sample, tried before training: "
                                         r"cross_entropy: targets of shape \(1, 4\) do not fit"):
        fit(model, "cross_entropy", SGD(model.parameters(), lr=0.1), (X, rows), epochs=1,
            test_data=(X[:5], np.eye(4)[y[:5]]), progress=False)
    with pytest.raises(ValueError, match=r"fit: test_data's first sample, tried before training: mse"):
        fit(model, "mse", SGD(model.parameters(), lr=0.1), (X, rows), epochs=1,
            test_data=(X[:5], np.ones((5, 2))), progress=False)
    with pytest.raises(TypeError, match="fit: scheduler must have a step"):
        fit(model, "cross_entropy", SGD(model.parameters(), lr=0.1), (X, y), epochs=1,
            scheduler="StepLR", progress=False)
    assert all(np.array_equal(a, b) for a, b in zip(before, _weights(model)))
    # labels for one set and probability rows for the other: cross_entropy takes both, so fit does
    fit(model, "cross_entropy", SGD(model.parameters(), lr=0.1), (X, rows), epochs=1,
        test_data=(X[:5], y[:5]), progress=False)


@pytest.mark.parametrize(
    "which, row, label, message",
    [
        ("train", 55, 3, r"fit: train_data targets must be class labels 0\.\.2 for the model's 3 outputs; "
                         r"row 55 has 3"),
        ("train", 41, -1, r"fit: train_data targets must be class labels 0\.\.2.*row 41 has -1"),
        ("test", 12, 7, r"fit: test_data targets must be class labels 0\.\.2.*row 12 has 7"),
    ],
)
def test_fit_checks_every_class_label_before_the_first_step(which, row, label, message):
    X, y = nn.data.blobs(60, centers=3, seed=0)
    tX, ty = X[:20].copy(), y[:20].copy()
    (y if which == "train" else ty)[row] = label
    model = _fit_model()
    before = _weights(model)
    with pytest.raises(ValueError, match=message):  # a bad label in a late batch came after many steps
        fit(model, "cross_entropy", SGD(model.parameters(), lr=0.1), (X, y), epochs=1,
            test_data=(tX, ty), batch_size=4, seed=0, progress=False)
    assert all(np.array_equal(a, b) for a, b in zip(before, _weights(model)))


def test_fit_checks_binary_targets_before_the_first_step():
    X, y = nn.data.moons(60, seed=0)
    y = y.astype(np.float64)
    y[58] = 2.0
    model = nn.Sequential(nn.Linear(2, 1, seed=0), nn.Sigmoid())
    before = _weights(model)
    with pytest.raises(ValueError, match=r"fit: train_data targets must be in \[0, 1\].*row 58 has 2"):
        fit(model, "binary_cross_entropy", SGD(model.parameters(), lr=0.1), (X, y[:, None]), epochs=1,
            batch_size=4, progress=False)
    assert all(np.array_equal(a, b) for a, b in zip(before, _weights(model)))


def test_fit_refuses_data_that_is_not_numbers():
    model = _fit_model()
    with pytest.raises(TypeError, match=r"fit: train_data X must be real numbers, got dtype <U1"):
        fit(model, "cross_entropy", SGD(model.parameters(), lr=0.1), (np.array([["a", "b"]]), [0]),
            progress=False)
    with pytest.raises(TypeError, match=r"fit: test_data targets must be real numbers, got dtype complex128"):
        fit(model, "cross_entropy", SGD(model.parameters(), lr=0.1), (np.zeros((2, 2)), [0, 1]),
            test_data=(np.zeros((2, 2)), np.array([0, 1j])), progress=False)


# -- 8. Module.load of a file that save() did not write --------------------------------------------


def test_load_called_on_the_class_says_to_build_the_model_first(tmp_path):
    """Sequential.load(path), a natural guess, said "Module.load() missing 1 required positional
    argument: 'path'"."""
    path = tmp_path / "m.npz"
    nn.Linear(2, 1, seed=0).save(path)
    for call in (lambda: nn.Sequential.load(path), lambda: nn.Linear(2, 1).load()):
        with pytest.raises(TypeError, match=r"load\(path\) fills a model you have built .* build it first, "
                                            r"with the same layers, then model\.load\(path\)"):
            call()
    assert nn.Linear(2, 1).load(path).weight.data.tolist() == nn.Linear(2, 1, seed=0).weight.data.tolist()


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n" + bytes(100), b"weights: 1, 2, 3\n", b""])
def test_load_of_a_file_that_is_not_a_state_file(tmp_path, content):
    path = tmp_path / "model.npz"
    path.write_bytes(content)
    # said "This file contains pickled (object) data ... allow_pickle=", untrue and unsafe
    with pytest.raises(ValueError, match=r"cannot load '.*model\.npz': not a file written by save\(") as err:
        nn.Linear(2, 1, seed=0).load(path)
    assert "pickle" not in str(err.value)


# -- 9. loss inputs --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: mse(Tensor([1.0, 2.0], requires_grad=True), None), r"mse: target must be .*got None"),
        (lambda: quadratic(Tensor([1.0, 2.0], requires_grad=True), None), r"quadratic: target must .*None"),
        (lambda: binary_cross_entropy(Tensor([0.5]), None), r"binary_cross_entropy: target must be .*None"),
        (lambda: mse([Value(1.0)], None), r"mse: target must be .*got None"),
        (lambda: mse(Tensor([1.0, 2.0]), np.array([1 + 1j, 2])), r"mse: target must be real.*complex128"),
        (lambda: mse([Value(1.0)], [1j]), r"mse: target must be real numbers.*complex"),
        (lambda: mse(Tensor([1.0, 2.0]), ["1", "2"]), r"mse: target must be real numbers.*<U1"),
    ],
)
def test_a_loss_target_that_is_not_real_numbers_is_a_type_error(call, message):
    # None "got nan"; complex dropped its imaginary part with a warning
    with pytest.raises(TypeError, match=message):
        call()


def test_quadratic_of_values_names_both_sizes():
    # was numpy's "cannot reshape array of size 3 into shape (2,newaxis)"
    with pytest.raises(ValueError, match=r"quadratic: 2 predictions but 3 targets"):
        quadratic([Value(1.0), Value(2.0)], [1, 2, 3])


def test_quadratic_of_values_still_takes_nested_samples():
    a = [[Value(0.2), Value(0.9)], [Value(0.6), Value(0.1)]]
    assert quadratic(a, [[0.0, 1.0], [1.0, 0.0]]).data == pytest.approx(0.055)


@pytest.mark.parametrize("logits", [[[1.0, 2.0], [3.0, 4.0]], [1.0, 2.0], 3.0])
def test_a_loss_of_plain_numbers_says_it_takes_a_tensor_or_values(logits):
    # was AttributeError: 'float' object has no attribute 'data'
    with pytest.raises(TypeError, match=r"cross_entropy: logits must be a Tensor or Values .*got .*float"):
        cross_entropy(logits, [0, 1])


def test_mse_of_plain_numbers_says_it_takes_a_tensor_or_values():
    with pytest.raises(TypeError, match=r"mse: predictions must be a Tensor or Values .*got .*float"):
        mse([1.0, 2.0], [1.0, 2.0])


@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
def test_cross_entropy_labels_must_be_finite_integers(bad):
    # inf said "labels must be in 0..1, got -9223372036854775808..1"
    for logits in (Tensor([[1.0, 2.0], [3.0, 4.0]]), [[Value(1.0), Value(2.0)], [Value(3.0), Value(4.0)]]):
        with pytest.raises(ValueError, match=rf"cross_entropy: labels must be finite integers.*got {bad}"):
            cross_entropy(logits, [1.0, bad])


@pytest.mark.parametrize(
    "loss, pred, target",
    [
        (mse, np.zeros((5, 2)), np.zeros((5, 1))),
        (quadratic, np.zeros((5, 2)), np.zeros((5, 1))),
        (nn.losses.binary_cross_entropy, np.full((5, 2), 0.5), np.zeros((5, 1))),
        (nn.losses.hinge, np.zeros((5, 2)), np.ones((5, 1))),
    ],
)
def test_a_target_of_another_shape_is_not_broadcast(loss, pred, target):
    # (N, 2) predictions and (N, 1) targets were broadcast silently (torch warns), and fit trained on it
    with pytest.raises(ValueError, match=rf"{loss.__name__}: prediction shape \(5, 2\) and target shape"):
        loss(Tensor(pred, requires_grad=True), target)


def test_a_single_number_or_one_samples_targets_are_still_broadcast():
    pred = Tensor(np.zeros((3, 2)), requires_grad=True)
    assert mse(pred, 1.0).item() == 1.0
    assert mse(pred, [1.0]).item() == 1.0
    assert mse(pred, Value(2.0)).item() == 4.0
    assert mse(pred, [1.0, 3.0]).item() == 5.0  # one sample's targets, for every row
    assert mse(pred, [[1.0, 3.0]]).item() == 5.0


def test_fit_refuses_targets_of_another_shape_than_the_outputs():
    X, y = nn.data.blobs(20, centers=2, seed=0)
    model = nn.Linear(2, 2, seed=0)
    with pytest.raises(ValueError, match=r"mse: prediction shape \(\d+, 2\) and target shape \(\d+, 1\)"):
        fit(model, "mse", SGD(model.parameters(), lr=0.1), (X, y[:, None].astype(float)), progress=False)


def test_load_state_dict_refuses_complex_numbers(tmp_path):
    model = nn.Linear(2, 1, seed=0)
    before = _weights(model)
    state = model.state_dict()
    state["weight"] = state["weight"] + 1j
    with pytest.raises(TypeError, match=r"load_state_dict: weight holds complex numbers"):
        model.load_state_dict(state)  # the imaginary part was dropped with a warning
    with pytest.raises(TypeError, match=r"load_state_dict: weight, bias hold complex numbers"):
        model.load_state_dict({k: v.astype(complex) for k, v in state.items()})
    np.savez(tmp_path / "c.npz", **state)
    with pytest.raises(TypeError, match=r"cannot load '.*c\.npz': load_state_dict: weight holds complex"):
        model.load(tmp_path / "c.npz")
    assert all(np.array_equal(a, b) for a, b in zip(before, _weights(model)))


# -- 10. arguments of the datasets -----------------------------------------------------------------


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: moons(10, noise="a"), TypeError, r"moons: noise must be a finite number >= 0, got 'a'"),
        (lambda: moons(10, noise=np.inf), ValueError, r"moons: noise must be a finite number >= 0, got inf"),
        (lambda: circles(10, factor="a"), TypeError,
         r"circles: factor must be a finite number strictly between 0 and 1, got 'a'"),
        (lambda: circles(10, factor=np.nan), ValueError,
         r"circles: factor must be a finite number strictly between 0 and 1, got nan"),
        (lambda: split(np.zeros((4, 1)), np.zeros(4), test_fraction="a"), TypeError,
         r"split: test_fraction must be a finite number strictly between 0 and 1, got 'a'"),
        (lambda: moons(10, seed="a"), TypeError, r"seed must be an int >= 0, a numpy Generator or None"),
        (lambda: split(np.zeros((4, 1)), np.zeros(4), seed=1.5), TypeError, r"seed must be an int >= 0"),
        (lambda: moons(10, seed=-1), ValueError, r"seed must be an int >= 0.*got int -1"),
        (lambda: blobs(10, centers=[[0.0, np.nan], [1.0, 1.0]]), ValueError, r"centers must be finite"),
        (lambda: blobs(10, centers=[["a", "b"]]), TypeError, r"centers must be an int or a list of points"),
        (lambda: blobs(10, std=np.inf), ValueError, r"blobs: std must be a finite number >= 0, got inf"),
        # were one cluster in one feature, features ignored, and 2 classes of the 5 asked for
        (lambda: blobs(100, centers=3.0), ValueError, r"centers must be an int or a list of points .*3\.0"),
        (lambda: blobs(10, centers=[[0, 0]], features=3), ValueError, r"features=3 but the centers given"),
        (lambda: blobs(2, centers=5), ValueError, r"blobs: n=2 points cannot fill 5 clusters"),
        (lambda: spirals(2, classes=5), ValueError, r"spirals: n=2 points cannot fill 5 arms"),
    ],
)
def test_dataset_arguments_get_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


# -- 12. the demos' CLI on corrupt MNIST files ------------------------------------------------------


def test_demos_cli_reports_corrupt_mnist_files_in_one_line(tmp_path, capsys):
    from demos.__main__ import main

    folder = _mnist(tmp_path / "m")
    raw = (folder / "train-images-idx3-ubyte").read_bytes()
    (folder / "train-images-idx3-ubyte").write_bytes(raw[:-10])  # truncated
    with pytest.raises(SystemExit) as exit_:
        main(["digits", "--quick", "--mnist", str(folder), "--out", str(tmp_path / "out")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("python -m demos: error: --mnist: ")
    assert "train-images-idx3-ubyte: truncated: " in err


# -- 11. gradients set by hand, targets numpy cannot read, probabilities that are nan ---------------


@pytest.mark.parametrize(
    "grad, error, message",
    [
        (np.ones(1, np.float32), ValueError, r"Adam: the gradient of w has shape \(1,\), its parameter"),
        (np.ones((2, 1), np.float32), ValueError, r"shape \(2, 1\), its parameter \(2,\)"),
        ([1.0, 2.0], TypeError, r"the gradient of w is of type list, not an array of shape \(2,\)"),
        (np.ones(2), TypeError, r"has dtype float64, its parameter float32: set p.grad = g.astype"),
    ],
)
def test_a_gradient_set_by_hand_that_does_not_fit_its_parameter_is_refused(grad, error, message):
    """A (1,) gradient was broadcast over a (2,) parameter, others failed deep in numpy, and a
    float64 gradient made a float32 parameter's Adam state float64 (torch refuses such a .grad)."""
    w = Tensor(np.ones(2, np.float32), requires_grad=True, label="w")
    w.grad = grad
    opt = Adam([w])
    with pytest.raises(error, match=message):
        opt.step()
    assert w.data.tolist() == [1.0, 1.0] and opt.state == {}
    v = Value(1.0)
    v.grad = np.ones(2)
    with pytest.raises(TypeError, match="SGD: the gradient of a parameter is of type ndarray, not a number"):
        SGD([v], lr=0.1).step()


def test_binary_cross_entropy_refuses_nan_probabilities():
    """min() < 0 and max() > 1 are both False for nan: the loss came out nan, silently."""
    with np.errstate(invalid="ignore"):
        p = Tensor([0.0, 0.5]) / Tensor([0.0, 1.0])
    with pytest.raises(ValueError, match=r"probabilities must be in \[0, 1\], got nan"):
        binary_cross_entropy(p, [1.0, 0.0])


@pytest.mark.parametrize("loss", [mse, quadratic, cross_entropy, accuracy])
def test_a_ragged_or_none_holding_target_is_a_type_error_naming_the_loss(loss):
    """numpy's "inhomogeneous shape" error came out of mse; a None inside a list became nan
    ("the target got nan"), and cross_entropy blamed one-hot rows."""
    name = loss.__name__
    with pytest.raises(TypeError, match=rf"{name}: target must be a rectangular array of numbers"):
        loss(Tensor(np.ones((2, 2))), [[1, 2], [1]])
    with pytest.raises(TypeError, match=rf"{name}: target must be real numbers, got a None in"):
        loss(Tensor(np.ones((2, 2))), [[1.0, 0.0], [0.0, None]] if name != "cross_entropy" else [0, None])


def test_a_number_as_a_tensor_parameters_gradient_is_refused_and_a_0d_array_fits_a_value():
    """A Python float on a Tensor parameter was still broadcast over it; a 0-d array on a Value
    parameter was refused though Values take 0-d arrays as numbers."""
    q = Tensor([1.0, 2.0, 3.0], requires_grad=True, label="q")
    q.grad = 0.5
    with pytest.raises(TypeError, match=r"SGD: the gradient of q is of type float, not an array of shape"):
        SGD([q], lr=0.1).step()
    v = Value(1.0)
    v.grad = np.array(0.5)
    SGD([v], lr=0.1).step()
    assert v.data == 0.95 and type(v.data) is float


def test_huge_integers_are_out_of_range_not_an_overflow():
    with pytest.raises(ValueError, match="test_fraction must be a finite number strictly between 0 and 1"):
        split(np.ones((4, 1)), np.ones(4), test_fraction=10**400)


def test_binary_cross_entropy_of_a_0d_tensor():
    """It failed with numpy's "iteration over a 0-d array"."""
    p = Tensor(0.3, requires_grad=True)
    loss = binary_cross_entropy(p, 1.0)
    loss.backward()
    assert loss.data == pytest.approx(-np.log(0.3), rel=1e-15)
    assert p.grad == pytest.approx(-1 / 0.3, rel=1e-15)


def test_a_value_parameter_steps_with_any_real_number_as_data_or_gradient_kept_in_python_floats():
    """A Value whose .data was set to an int (or np.float64) could no longer be stepped, and a
    float16 0-d gradient made the momentum buffer float16 (0.85546875 for 0.855)."""
    v = Value(1.0, label="v")
    v.data = 0  # reset by hand
    (v - 1).__pow__(2).backward()
    SGD([v], lr=0.1).step()
    assert v.data == pytest.approx(0.2, rel=1e-15)
    w = Value(1.0)
    opt = SGD([w], lr=0.1, momentum=0.9)
    for _ in range(2):
        w.grad = np.array(0.5, dtype=np.float16)
        opt.step()
    assert w.data == pytest.approx(1 - 0.05 - 0.095, rel=1e-15)
    assert type(opt.state[w]["momentum_buffer"]) is float
    w.grad = True
    with pytest.raises(TypeError, match="is of type bool, not a number"):
        opt.step()


def test_a_fraction_setting_is_a_number_to_the_optimizer():
    """SGD(lr=Fraction(1, 10)) passed the check, then made numpy object arrays and crashed."""
    from fractions import Fraction

    t = Tensor(np.ones(3), requires_grad=True)
    t.grad = np.ones(3)
    SGD([t], lr=Fraction(1, 10), momentum=Fraction(1, 2)).step()
    assert t.data.dtype == np.float64 and t.data.tolist() == [0.9, 0.9, 0.9]


def test_a_value_whose_data_is_a_numpy_float_steps_in_python_floats_as_torch_float64():
    """With .data set to np.float16(1.0), weight decay and momentum ran in float16 (0.66650390625
    after three steps, torch's float64 0.666274) and the state stayed float16."""
    w = Value(1.0)
    w.data = np.float16(1.0)
    opt = SGD([w], lr=0.1, momentum=0.9, weight_decay=0.1)
    for _ in range(3):
        w.grad = 0.5
        opt.step()
    assert type(w.data) is float and type(opt.state[w]["momentum_buffer"]) is float
    v, buf = 1.0, None
    for _ in range(3):  # torch.optim.SGD's rule, in Python floats
        g = 0.5 + 0.1 * v
        buf = g if buf is None else 0.9 * buf + g
        v -= 0.1 * buf
    assert w.data == pytest.approx(v, rel=1e-15)
    u = Value(1.0)
    u.data = np.float32(1.0)
    u.grad = 0.5
    SGD([u], lr=0.1).step()
    assert u.data == 0.95


def _fit_ragged():
    model = nn.Linear(2, 2, seed=0)
    ragged = ([[1.0, 2.0], [3.0]], [0, 1])
    fit(model, "cross_entropy", SGD(model.parameters(), lr=0.1), ragged, progress=False)


@pytest.mark.parametrize("call, message", [  # were "len() of unsized object", or numpy's own ValueError
    (lambda: split(None, None), r"^split: X and y must hold one row per sample"),
    (lambda: split(3.0, 1), r"^split: X and y must hold one row per sample"),
    (lambda: split([[1.0, 2.0], [3.0]], [0, 1]), r"^split: X must have rows of one length"),
    (lambda: list(nn.data.batches([[1.0, 2.0], [3.0]], [0, 1], 1)), r"^batches: X must have rows of one"),
    (_fit_ragged, r"^fit: train_data X must have rows of one length"),
])
def test_data_that_is_not_rows_is_named_by_the_function_it_was_given_to(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("call, message", [  # a str such as 'no' counted as True
    (lambda: list(nn.data.batches([[1.0]], [0], 1, shuffle="no")), "batches: shuffle must be True or False"),
    (lambda: list(nn.data.batches([[1.0]], [0], 1, drop_last="yes")), "batches: drop_last must be True or"),
    (lambda: nn.data.digits(flatten="no"), "digits: flatten must be True or False"),
    (lambda: load_mnist("/nowhere", flatten="no"), "load_mnist: flatten must be True or False"),
    (lambda: load_mnist("/nowhere", normalize="no"), "load_mnist: normalize must be True or False"),
    (lambda: fit(nn.Linear(2, 2, seed=0), "mse", SGD(nn.Linear(2, 2, seed=0).parameters(), lr=0.1),
                 ([[1.0, 2.0]], [[0.0, 1.0]]), progress="no"), "fit: progress must be True or False"),
    (lambda: Tensor([1.0], requires_grad="no"), "Tensor: requires_grad must be True or False"),
    (lambda: Tensor([1.0]).requires_grad_("no"), "requires_grad_: requires_grad must be True or False"),
    (lambda: nn.Linear(2, 2).train("no"), r"Linear.train: mode must be True or False"),
])
def test_data_switches_must_be_true_or_false(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_a_switch_may_be_a_numpy_bool():
    assert Tensor([1.0], requires_grad=np.True_).requires_grad is True
    assert Tensor([1.0], requires_grad=np.bool_(False)).requires_grad is False


# -- 13. targets that read two ways; Values mixed with numbers ----------------------------------------

def test_labels_against_as_many_outputs_as_rows_are_refused_not_spread_along_the_rows():
    """(N,) targets against (N, C) outputs are one sample's targets for every row, and were taken
    so when N == C: class labels given to mse with a batch of 10 over 10 classes trained on
    nonsense (fit's loss 9.44, accuracy 0.108), where batch 32 said the shapes differ."""
    d = nn.data.digits()
    model = nn.Sequential(nn.Linear(64, 10, seed=0))
    two_ways = r"mse: target shape \(10,\) against prediction shape \(10, 10\) reads two ways: "
    with pytest.raises(ValueError, match=two_ways + r".*np.eye\(10\)\[labels\].*target.reshape\(1, -1\)"):
        fit(model, "mse", SGD(model.parameters(), lr=0.1), (d.X_train[:100], d.y_train[:100]), epochs=1,
            batch_size=10, progress=False)
    out = Tensor(np.ones((3, 3)), requires_grad=True)
    for loss in (mse, binary_cross_entropy):
        with pytest.raises(ValueError, match="reads two ways"):
            loss(out * 0.5, [1.0, 0.0, 1.0])
    assert float(mse(out, np.array([[1.0, 2.0, 3.0]])).data) == pytest.approx(5 / 3)  # said: every row
    assert float(mse(Tensor(np.ones((2, 3))), [1.0, 2.0, 3.0]).data) == pytest.approx(5 / 3)  # one reading


@pytest.mark.parametrize("call, kind", [  # were AttributeError: 'float' object has no attribute 'data'
    (lambda: cross_entropy([[Value(1.0), 2.0]], [0]), "float 2.0"),
    (lambda: binary_cross_entropy([Value(0.5), 0.5], [1, 0]), "float 0.5"),
    (lambda: nn.losses.hinge([Value(0.5), 0.5], [1, -1]), "float 0.5"),
    (lambda: mse([Value(1.0), None], [1, 0]), "NoneType None"),  # (was "unsupported operand type(s)")
    (lambda: mse([[Value(1.0)], [Value(2.0), "a"]], [[1], [0, 1]]), "str 'a'"),
])
def test_a_loss_of_values_checks_every_prediction_not_only_the_first(call, kind):
    with pytest.raises(TypeError, match=f"mix Values with {kind}; a loss of Values takes Values only"):
        call()


# -- 14. state names, optimizers and losses that fit() cannot use ---------------------------------------

def test_two_parameters_under_one_name_are_refused_not_lost_by_state_dict(tmp_path):
    """A dict with keys 1 and '1' (or an attribute 'a.0' beside a list a) named two parameters
    'd.1': state_dict kept one, and save()/load() lost the other without a word."""

    class Clash(nn.Module):
        def __init__(self):
            self.d = {1: Tensor([1.0], requires_grad=True), "1": Tensor([2.0], requires_grad=True)}

    for call in (lambda m: m.state_dict(), lambda m: m.save(tmp_path / "m.npz"),
                 lambda m: m.load_state_dict({"d.1": [3.0]})):
        with pytest.raises(ValueError, match="Clash has two parameters named 'd.1'"):
            call(Clash())
    assert not (tmp_path / "m.npz").exists()
    shared = nn.Linear(2, 2, seed=0)  # one parameter under two names is fine, as in PyTorch
    assert list(nn.Sequential(shared, shared).state_dict()) == ["0.weight", "0.bias", "1.weight", "1.bias"]


def test_load_state_dict_names_keys_numbers_and_torch_parameters_it_cannot_read(torch):
    model = nn.MLP(2, [2, 1], seed=0)
    with pytest.raises(ValueError, match="unexpected: 0$"):  # was TypeError: sequence item 0: expected str
        nn.Linear(2, 2, seed=0).load_state_dict({0: 1.0})
    state = {**model.state_dict(), "layers.0.neurons.0.w.0": 10**400}
    with pytest.raises(ValueError, match=r"layers.0.neurons.0.w.0 \(not numbers: int too large"):
        model.load_state_dict(state)  # was a bare OverflowError naming no key
    source = nn.Linear(2, 2, seed=1)
    params = {k: torch.nn.Parameter(torch.tensor(v)) for k, v in source.state_dict().items()}
    target = nn.Linear(2, 2, seed=0)
    target.load_state_dict(params)  # was RuntimeError: Can't call numpy() on Tensor that requires grad
    assert target.weight.data.tolist() == source.weight.data.tolist()


def test_fit_refuses_an_optimizer_or_a_loss_it_cannot_step_before_it_fails_inside():
    model = nn.Linear(2, 2, seed=0)
    data = (np.ones((4, 2)), np.array([0, 1, 0, 1]))
    with pytest.raises(TypeError, match="fit: optimizer must have zero_grad\\(\\) and step\\(\\).* got None"):
        fit(model, "cross_entropy", None, data, progress=False)  # was AttributeError after a forward pass
    with pytest.raises(TypeError, match="fit: the loss function returned float 1.0, not a graph node"):
        fit(model, lambda out, y: 1.0, SGD(model.parameters(), lr=0.1), data, progress=False)
    with pytest.raises(TypeError, match="StepLR: optimizer must be an optimizer"):
        StepLR(None, 1)


def test_history_plot_checks_its_path_before_drawing(tmp_path, monkeypatch):
    """'' became '.png', and matplotlib said "Format '' is not supported" (after drawing)."""
    def drawn(*args, **kwargs):
        raise AssertionError("the figure was drawn before its path was checked")

    monkeypatch.setattr(Figure, "subplots", drawn)
    history = History()
    history.train_loss = [1.0, 0.5]
    with pytest.raises(FileNotFoundError, match="empty path; give a file name"):
        history.plot("")
    with pytest.raises(IsADirectoryError, match="is a folder"):
        history.plot(tmp_path)


@pytest.mark.parametrize("call, error, message", [  # each was a number, or a numpy ComplexWarning only
    (lambda: nn.Perceptron(2).predict(np.ones((2, 2)) + 1j), TypeError,
     "Perceptron.predict: X must be real numbers, got dtype complex128 \\(complex: pass a.real"),
    (lambda: nn.Perceptron(2).fit(np.ones((2, 2)) + 0j, [0, 1]), TypeError, "Perceptron.fit: X must be real"),
    (lambda: nn.Perceptron(2).predict([["a", "b"]]), TypeError,  # (was "could not convert string to float")
     "Perceptron.predict: X must be real numbers, got dtype <U1"),
    (lambda: accuracy(np.array([[1j, 0.0]]), [0]), TypeError, "accuracy: outputs must be real numbers"),
    (lambda: accuracy(np.eye(2), [1.5, 0.0]), TypeError,  # (was 0.5)
     "accuracy: labels must be integer class indices"),
    (lambda: accuracy(np.eye(2), [7, 9]), ValueError, r"accuracy: labels must be in 0..1, got 7..9"),  # 0.0
    (lambda: accuracy(np.eye(2), [[0, 0], [0, 0]]), ValueError,  # (0.5: an all-zero row read as class 0)
     "accuracy: probability targets must sum to 1 in each row; row 0 sums to 0"),
])
def test_accuracy_and_the_perceptron_refuse_numbers_they_would_misread(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_accuracy_still_takes_labels_columns_float_whole_labels_and_probability_rows():
    out = np.array([[2.0, 0.0], [0.0, 1.0], [3.0, 1.0]])
    for target in ([0, 1, 1], [[0], [1], [1]], [0.0, 1.0, 1.0], [[0.9, 0.1], [0.2, 0.8], [0.4, 0.6]]):
        assert accuracy(out, target) == pytest.approx(2 / 3)


def test_load_names_a_pytorch_checkpoint_or_another_zip_instead_of_listing_its_entries(tmp_path, torch):
    """A torch.save file is a zip too: load said 'missing: 0.weight, ...; unexpected: t/data.pkl, ...'."""
    import warnings
    import zipfile

    model = nn.Sequential(nn.Linear(2, 2, seed=0))
    other = nn.Sequential(nn.Linear(2, 2, seed=3))
    torch.save({k: torch.tensor(v) for k, v in other.state_dict().items()}, tmp_path / "t.pt")
    with pytest.raises(ValueError, match="a PyTorch checkpoint \\(torch.save\\), not a file written by save"):
        model.load(tmp_path / "t.pt")
    model.load_state_dict(torch.load(tmp_path / "t.pt"))  # what the message says to do
    assert model[0].weight.data.tolist() == other[0].weight.data.tolist()
    with zipfile.ZipFile(tmp_path / "z.npz", "w") as z:
        z.writestr("readme.txt", "hi")
    with pytest.raises(ValueError, match="not a file written by save\\(\\) .* it holds readme.txt$"):
        model.load(tmp_path / "z.npz")
    model.save(tmp_path / "m.npz")
    raw = (tmp_path / "m.npz").read_bytes()
    (tmp_path / "half.npz").write_bytes(raw[: len(raw) // 2])
    with warnings.catch_warnings(record=True) as seen:  # np.load(path) left the file to the collector
        warnings.simplefilter("always")                # when the archive was cut short
        with pytest.raises(ValueError, match="not a readable .npz state file"):
            model.load(tmp_path / "half.npz")
        import gc

        gc.collect()
    assert not [w for w in seen if issubclass(w.category, ResourceWarning)]


@pytest.mark.parametrize("failure", [EOFError("Compressed file ended before the end-of-stream marker"),
                                     FileNotFoundError(2, "No such file or directory"),
                                     IndexError("too many indices for array")])
def test_a_broken_scikit_learn_digits_file_is_named_with_the_fix(monkeypatch, failure):
    """A truncated or missing bundled file surfaced as sklearn's own EOFError or IndexError."""
    import sklearn.datasets

    def broken(*args, **kwargs):
        raise failure

    monkeypatch.setattr(sklearn.datasets, "load_digits", broken)
    with pytest.raises(OSError, match="scikit-learn's bundled digits file could not be read .*"
                                      "pip install --force-reinstall scikit-learn"):
        nn.data.digits()


def test_accuracy_reads_values_and_fit_scores_no_accuracy_for_targets_that_are_no_labels():
    """After accuracy checked its labels, a regression's float targets raised TypeError out of
    fit's default accuracy (it caught ValueError only), after the epoch had trained; and a list
    of Values, the scalar engine's output, was refused as dtype object."""
    assert accuracy([Value(0.3), Value(-0.2), Value(0.5)], [1, -1, -1]) == pytest.approx(2 / 3)
    model = nn.Linear(2, 2, seed=0)
    history = fit(model, lambda out, y: ((out.sum(axis=1) - y) ** 2).mean(), SGD(model.parameters(), lr=0.1),
                  (np.ones((4, 2)), np.array([0.3, 0.2, 0.1, 0.5])), epochs=1, progress=False)
    assert history.train_accuracy == [] and len(history.train_loss) == 1
    from fractions import Fraction

    assert nn.Perceptron(2).predict(np.array([[Fraction(1, 2), 1]], dtype=object)).tolist() == [1]


def test_the_two_readings_hint_suits_hinge():
    with pytest.raises(ValueError, match="one target per output, -1 or \\+1 each"):
        nn.losses.hinge(Tensor(np.ones((3, 3)), requires_grad=True), [1, -1, 1])
