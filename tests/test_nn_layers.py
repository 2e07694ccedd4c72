"""Tensor layers: shapes, initialisations, and the same numbers as torch.nn given the same weights."""

from __future__ import annotations

import re

import numpy as np
import pytest

import nn
from autograd import Tensor, topological_order
from nn import (
    Conv1d,
    Conv2d,
    Dropout,
    Flatten,
    Identity,
    Linear,
    LogSoftmax,
    MaxPool2d,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
)

rng = np.random.default_rng(0)


def _run(layer, x):
    """Forward and backward (against a fixed random upstream gradient) through our layer."""
    t = Tensor(x, requires_grad=True)
    y = layer(t)
    upstream = np.random.default_rng(1).normal(size=y.shape)
    (y * upstream).sum().backward()
    return y.data, t.grad, upstream


def _torch_run(torch, fn, x, upstream, params=()):
    t = torch.tensor(x, requires_grad=True)
    y = fn(t)
    (y * torch.tensor(upstream)).sum().backward()
    return y.detach().numpy(), t.grad.numpy(), [p.grad.numpy() for p in params]


def _close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


@pytest.mark.torch
@pytest.mark.parametrize("bias", [True, False])
def test_linear_matches_torch(torch, bias):
    layer = Linear(5, 3, bias=bias, seed=0)
    x = rng.normal(size=(4, 5))
    y, gx, up = _run(layer, x)
    w = torch.tensor(layer.weight.data, requires_grad=True)
    b = torch.tensor(layer.bias.data, requires_grad=True) if bias else None
    ty, tgx, tgrads = _torch_run(
        torch, lambda t: torch.nn.functional.linear(t, w, b), x, up, [w, b] if bias else [w]
    )
    _close(y, ty)
    _close(gx, tgx)
    _close(layer.weight.grad, tgrads[0])
    if bias:
        _close(layer.bias.grad, tgrads[1])


def test_linear_accepts_arrays_and_any_leading_axes():
    layer = Linear(3, 2, seed=0)
    assert layer(np.ones((2, 5, 3))).shape == (2, 5, 2)
    assert layer([1.0, 2.0, 3.0]).shape == (2,)
    with pytest.raises(ValueError, match=r"Linear\(3 -> 2\) got input of shape \(4, 2\)"):
        layer(np.ones((4, 2)))


@pytest.mark.parametrize(
    "init, w_std, b_kind",
    [
        ("xavier", np.sqrt(2.0 / (400 + 300)), "zero"),
        ("he", np.sqrt(2.0 / 400), "zero"),
        ("normal", 1.0, "normal"),
        ("torch", 1.0 / np.sqrt(400) / np.sqrt(3), "uniform"),
    ],
)
def test_initialisations_have_the_right_spread(init, w_std, b_kind):
    layer = Linear(400, 300, init=init, seed=0)
    w, b = layer.weight.data, layer.bias.data
    assert w.std() == pytest.approx(w_std, rel=0.02)
    assert abs(w.mean()) < 0.02 * max(w_std, 0.1)
    if b_kind == "zero":
        assert not b.any()
    elif b_kind == "normal":
        assert b.std() == pytest.approx(1.0, rel=0.15)
    else:  # uniform on +-1/sqrt(fan_in), as the weights: an all-zero bias has std 0
        assert np.abs(b).max() <= 1 / np.sqrt(400)
        assert b.std() == pytest.approx(1 / np.sqrt(400) / np.sqrt(3), rel=0.15)
    if init == "xavier":
        assert np.abs(w).max() <= np.sqrt(6 / 700)


def test_seeds_repeat_and_manual_seed_resets_the_shared_generator():
    assert np.array_equal(Linear(4, 4, seed=5).weight.data, Linear(4, 4, seed=5).weight.data)
    nn.manual_seed(123)
    a = Linear(4, 4).weight.data.copy()
    b = Linear(4, 4).weight.data.copy()
    nn.manual_seed(123)
    assert np.array_equal(Linear(4, 4).weight.data, a)
    assert not np.array_equal(a, b)
    with pytest.raises(ValueError, match="init must be one of"):
        Linear(2, 2, init="lecun")


def test_float32_layers_keep_float32():
    layer = Linear(3, 2, seed=0, dtype=np.float32)
    assert layer.weight.dtype == np.float32
    assert layer(np.ones((1, 3), dtype=np.float32)).dtype == np.float32


@pytest.mark.parametrize("model, shape", [
    (lambda dt: Sequential(Linear(3, 4, seed=0, dtype=dt), ReLU(), Linear(4, 2, seed=1, dtype=dt)), (5, 3)),
    (lambda dt: Sequential(Conv2d(1, 2, 3, padding=1, seed=0, dtype=dt), MaxPool2d(2), Flatten(),
                           Linear(8, 2, seed=1, dtype=dt)), (2, 1, 4, 4)),
    (lambda dt: Conv1d(2, 3, 3, seed=0, dtype=dt), (2, 2, 5)),
])
def test_float32_layers_cast_float64_data_to_float32(model, shape):
    """numpy's arrays are float64 unless asked: a float32 model given them computes in float32
    (as a Keras layer casts its inputs), with the float64 model's numbers to float32 precision."""
    x = rng.normal(size=shape)  # float64
    outs = {}
    for dt in (np.float32, np.float64):
        net = model(dt)
        for data in (x, Tensor(x)):
            out = net(data)
            assert out.dtype == dt
            (out * out).sum().backward()
            assert all(p.grad.dtype == dt for p in net.parameters())
            assert {n.grad.dtype for n in topological_order(out) if n.grad is not None} == {np.dtype(dt)}
        outs[dt] = out.data
    np.testing.assert_allclose(outs[np.float32], outs[np.float64], rtol=1e-5, atol=1e-6)


def test_a_float64_graph_node_into_a_float32_layer_follows_numpy():
    h = Tensor(rng.normal(size=(2, 3)), requires_grad=True)  # not data: casting would cut the graph
    out = Linear(3, 2, seed=0, dtype=np.float32)(h)
    assert out.dtype == np.float64
    out.sum().backward()
    assert h.grad.dtype == np.float64


@pytest.mark.torch
@pytest.mark.parametrize(
    "ours, theirs",
    [
        (ReLU(), "relu"),
        (Sigmoid(), "sigmoid"),
        (Tanh(), "tanh"),
        (Softmax(), "softmax"),
        (Softmax(axis=0), "softmax0"),
        (LogSoftmax(), "log_softmax"),
    ],
)
def test_activations_match_torch(torch, ours, theirs):
    F = torch.nn.functional
    fns = {
        "relu": F.relu,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "softmax": lambda t: F.softmax(t, dim=-1),
        "softmax0": lambda t: F.softmax(t, dim=0),
        "log_softmax": lambda t: F.log_softmax(t, dim=-1),
    }
    x = rng.normal(size=(3, 5)) * 3
    y, gx, up = _run(ours, x)
    ty, tgx, _ = _torch_run(torch, fns[theirs], x, up)
    _close(y, ty)
    _close(gx, tgx)


def test_flatten_identity_and_sequential():
    x = rng.normal(size=(2, 3, 4, 5))
    assert Flatten()(x).shape == (2, 60)
    assert Flatten(start_dim=2)(x).shape == (2, 3, 20)
    t = Tensor(x)
    assert Identity()(t) is t
    net = Sequential([Linear(4, 3, seed=0), ReLU()])  # a list works too
    net.append(Linear(3, 2, seed=1))
    assert len(net) == 3 and isinstance(net[2], Linear)
    assert isinstance(net[:2], Sequential) and len(net[:2]) == 2
    assert [type(m).__name__ for m in net] == ["Linear", "ReLU", "Linear"]
    assert net(np.ones((6, 4))).shape == (6, 2)
    with pytest.raises(TypeError, match="item 1 is a int"):
        Sequential(ReLU(), 3)


def test_flatten_refuses_a_start_dim_out_of_range():
    # Flatten(2) of (4, 6) was taken modulo 2 as Flatten(0): one row of 24, the samples merged
    with pytest.raises(ValueError, match=r"start_dim=2.*\(4, 6\)"):
        Flatten(2)(np.zeros((4, 6)))
    assert Flatten(-2)(np.zeros((4, 6, 2))).shape == (4, 12)


@pytest.mark.torch
def test_flatten_of_one_sample_without_its_batch_axis_is_refused_as_torch(torch):
    # Flatten() of shape (5,) returned it unchanged, where torch's nn.Flatten raises IndexError
    for shape in [(5,), ()]:
        message = rf"start_dim=1 .*shape {re.escape(str(shape))}.*keeps the batch axis"
        with pytest.raises(ValueError, match=message):
            Flatten()(np.zeros(shape))
        with pytest.raises(IndexError):
            torch.nn.Flatten()(torch.zeros(shape))
        for start_dim in (0, -1):  # these torch allows: (5,) stays, () becomes (1,)
            want = tuple(torch.nn.Flatten(start_dim)(torch.zeros(shape)).shape)
            assert Flatten(start_dim)(np.zeros(shape)).shape == want


def test_sequential_refuses_a_layer_class_without_its_parentheses():
    # Sequential(Linear(2, 3), ReLU, ...) was taken (ReLU is callable), dropped from the repr,
    # and failed at the first call with "Module.__init__() takes 1 positional argument"
    with pytest.raises(TypeError, match=r"item 1 is the class ReLU.*ReLU\(\)"):
        Sequential(Linear(2, 3, seed=0), ReLU, Linear(3, 1, seed=1))
    with pytest.raises(TypeError, match=r"the class Tanh.*Tanh\(\)"):
        Sequential(Linear(2, 3, seed=0)).append(Tanh)


@pytest.mark.torch
def test_sequential_state_dict_loads_into_torch(torch):
    ours = Sequential(Linear(4, 8, seed=0), ReLU(), Linear(8, 3, seed=1))
    theirs = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3)).double()
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})
    x = rng.normal(size=(5, 4))
    _close(ours(x).data, theirs(torch.tensor(x)).detach().numpy())


def test_dropout_scales_in_training_and_passes_in_eval():
    drop = Dropout(0.25, seed=0)
    x = np.ones((200, 100))
    y = drop(x).data
    assert set(np.unique(y)) == {0.0, 1 / 0.75}
    assert (y == 0).mean() == pytest.approx(0.25, abs=0.01)
    assert y.mean() == pytest.approx(1.0, abs=0.02)
    t = Tensor(np.ones((2, 3)), requires_grad=True)
    out = drop(t)
    out.sum().backward()
    np.testing.assert_array_equal(t.grad, out.data)  # gradient flows through kept units only
    drop.eval()
    assert np.array_equal(drop(x).data, x)
    np.testing.assert_array_equal(Dropout(0.0)(x).data, x)  # p=0 drops nothing, in training too
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\)"):
        Dropout(1.0)


def test_dropout_masks_repeat_with_a_seed_and_change_between_calls():
    """Two layers seeded alike drop the same units, call after call (runs repeat); one layer
    draws a new mask on each call (one mask for every step would train one thinned network)."""
    x = np.ones((20, 30))
    a, b = Dropout(0.5, seed=3), Dropout(0.5, seed=3)
    first_a, second_a = a(x).data, a(x).data
    first_b, second_b = b(x).data, b(x).data
    np.testing.assert_array_equal(first_a, first_b)
    np.testing.assert_array_equal(second_a, second_b)
    assert not np.array_equal(first_a, second_a)
    assert not np.array_equal(first_a, Dropout(0.5, seed=4)(x).data)


@pytest.mark.torch
@pytest.mark.parametrize(
    "kernel, stride, padding, bias",
    [(3, 1, 0, True), (3, 2, 1, True), (1, 1, 0, False), (5, 3, 2, True), (4, 1, 3, False)],
)
def test_conv1d_matches_torch(torch, kernel, stride, padding, bias):
    conv = Conv1d(3, 4, kernel, stride=stride, padding=padding, bias=bias, seed=0)
    x = rng.normal(size=(2, 3, 11))
    y, gx, up = _run(conv, x)
    w = torch.tensor(conv.weight.data, requires_grad=True)
    b = torch.tensor(conv.bias.data, requires_grad=True) if bias else None
    params = [w, b] if bias else [w]
    ty, tgx, tg = _torch_run(
        torch, lambda t: torch.nn.functional.conv1d(t, w, b, stride=stride, padding=padding), x, up, params
    )
    assert y.shape == ty.shape
    _close(y, ty)
    _close(gx, tgx)
    _close(conv.weight.grad, tg[0])
    if bias:
        _close(conv.bias.grad, tg[1])


@pytest.mark.torch
@pytest.mark.parametrize(
    "kernel, stride, padding, bias",
    [
        (3, 1, 0, True),
        (3, 2, 1, True),
        ((2, 3), (1, 2), (1, 0), True),
        (1, 1, 0, False),
        (5, 1, 2, True),
        ((3, 1), 3, (0, 2), False),
    ],
)
def test_conv2d_matches_torch(torch, kernel, stride, padding, bias):
    conv = Conv2d(2, 3, kernel, stride=stride, padding=padding, bias=bias, seed=0)
    x = rng.normal(size=(2, 2, 7, 8))
    y, gx, up = _run(conv, x)
    w = torch.tensor(conv.weight.data, requires_grad=True)
    b = torch.tensor(conv.bias.data, requires_grad=True) if bias else None
    params = [w, b] if bias else [w]
    ty, tgx, tg = _torch_run(
        torch, lambda t: torch.nn.functional.conv2d(t, w, b, stride=stride, padding=padding), x, up, params
    )
    assert y.shape == ty.shape
    _close(y, ty)
    _close(gx, tgx)
    _close(conv.weight.grad, tg[0])
    if bias:
        _close(conv.bias.grad, tg[1])


@pytest.mark.torch
def test_conv2d_module_state_loads_into_torch_conv(torch):
    ours = Conv2d(3, 5, 3, stride=2, padding=1, seed=0)
    theirs = torch.nn.Conv2d(3, 5, 3, stride=2, padding=1).double()
    theirs.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})
    x = rng.normal(size=(1, 3, 9, 9))
    _close(ours(x).data, theirs(torch.tensor(x)).detach().numpy())


@pytest.mark.torch
@pytest.mark.parametrize("kernel, stride", [(2, None), (3, 1), ((2, 3), (2, 1)), (3, 2)])
def test_max_pool2d_matches_torch(torch, kernel, stride):
    pool = MaxPool2d(kernel, stride)
    x = rng.normal(size=(2, 3, 7, 8))  # continuous values: no ties
    y, gx, up = _run(pool, x)
    ty, tgx, _ = _torch_run(torch, lambda t: torch.nn.functional.max_pool2d(t, kernel, stride), x, up)
    _close(y, ty)
    _close(gx, tgx)


@pytest.mark.parametrize(
    "make, x, message",
    [
        (lambda: Conv2d(3, 4, 3), np.zeros((1, 2, 8, 8)), r"input must be \(N, C, H, W\) with C = 3"),
        (lambda: Conv2d(1, 4, 3), np.zeros((8, 8)), r"got shape \(8, 8\)"),
        (lambda: Conv1d(1, 4, 3), np.zeros((1, 1, 4, 4)), r"input must be \(N, C, L\)"),
        (lambda: Conv2d(1, 1, 9), np.zeros((1, 1, 8, 8)), "larger than"),
        (lambda: MaxPool2d(2), np.zeros((8, 8)), "4-D"),
        # refused when made, as Conv2d's (they were accepted, and failed only at the call)
        (lambda: MaxPool2d(0), np.zeros((1, 1, 8, 8)), "MaxPool2d: kernel_size must be an int >= 1"),
        (lambda: MaxPool2d(2, stride=0), np.zeros((1, 1, 8, 8)), "MaxPool2d: stride must be an int >= 1"),
        (lambda: MaxPool2d(2.5), np.zeros((1, 1, 8, 8)), "MaxPool2d: kernel_size must be an int >= 1"),
    ],
)
def test_layer_shape_errors_name_the_shapes(make, x, message):
    with pytest.raises(ValueError, match=message):
        make()(x)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Conv2d(1, 4, 0), "kernel_size must be an int >= 1"),
        (lambda: Conv2d(1, 4, (3, 3, 3)), "kernel_size must be"),
        (lambda: Conv2d(1, 4, 3, stride=0), "stride must be"),
        (lambda: Conv2d(1, 4, 3, padding=-1), "padding must be"),
        (lambda: Conv1d(0, 4, 3), "in_channels must be"),
        (lambda: Conv2d(1, 0, 3), r"^Conv2d: out_channels must be an int >= 1, got 0$"),  # no "or 1 of them"
        (lambda: Linear(0, 3), "in_features must be a positive int"),
    ],
)
def test_bad_layer_settings(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_conv_initialisation_uses_fan_in_of_the_receptive_field():
    conv = Conv2d(16, 32, 5, seed=0)  # He: std sqrt(2 / (16 * 25))
    assert conv.weight.shape == (32, 16, 5, 5) and conv.bias.shape == (32,)
    assert conv.weight.data.std() == pytest.approx(np.sqrt(2 / 400), rel=0.05)


def test_a_small_cnn_trains_on_digit_images():
    d = nn.data.digits(flatten=False, seed=0)
    X, y = d.X_train[:512], d.y_train[:512]
    cnn = Sequential(
        Conv2d(1, 8, 3, padding=1, seed=0), ReLU(), MaxPool2d(2), Flatten(), Linear(8 * 4 * 4, 10, seed=1)
    )
    opt = nn.optim.Adam(cnn.parameters(), lr=0.01)
    history = nn.fit(cnn, "cross_entropy", opt, (X, y), epochs=6, test_data=d.test, progress=False)
    assert history.train_loss[-1] < history.train_loss[0] / 4
    assert history.test_accuracy[-1] > 0.85


def test_sequential_repr_lists_plain_functions_by_name():
    net = Sequential(Linear(2, 3, seed=0), ReLU(), lambda x: x * 2, np.tanh)
    lines = repr(net).splitlines()
    assert lines[0] == "Sequential()  # 9 parameters"
    assert lines[1:] == ["  (0): Linear(2 -> 3)  # 9 parameters", "  (1): ReLU()", "  (2): <lambda>",
                         "  (3): tanh"]


def test_a_cnn_takes_an_empty_batch_through_flatten_as_torch():
    """Conv2d, MaxPool2d and Linear take batch 0; Flatten reshaped to (0, -1), which numpy
    cannot infer, so the network failed only there.  PyTorch gives shape (0, 10)."""
    net = Sequential(Conv2d(1, 2, 3, seed=0), ReLU(), MaxPool2d(2), Flatten(), Linear(2 * 3 * 3, 10, seed=1))
    assert net(Tensor(np.zeros((0, 1, 8, 8)))).shape == (0, 10)
    assert Flatten()(np.zeros((0, 3, 4))).shape == (0, 12)
    assert Flatten()(np.zeros((2, 3, 0))).shape == (2, 0)


@pytest.mark.parametrize("make, error, words", [
    (lambda: Dropout("0.5"), TypeError, "p must be a number"),
    (lambda: Flatten("1"), TypeError, "start_dim must be an int"),
    (lambda: Linear(3, 2, seed="a"), TypeError, "seed must be an int >= 0"),
    (lambda: Linear(3, 2, seed=1.5), TypeError, "got float 1.5"),
    (lambda: nn.MLP(2, [3], seed=-1), ValueError, "got int -1"),
])
def test_layer_settings_of_the_wrong_kind_say_what_they_take(make, error, words):
    """A str p or start_dim failed later in a comparison, a float seed in numpy's SeedSequence."""
    with pytest.raises(error, match=words):
        make()


def test_an_error_inside_a_sequential_says_which_item():
    """A learner's CNN failed with "Linear(32 -> 3) got input of shape (2, 8)" and no word of
    where in the network; now the item's index, and its name when the message lacks it."""
    net = Sequential(Conv2d(1, 2, 3, padding=1, seed=0), ReLU(), MaxPool2d(2), Flatten(),
                     Linear(32, 3, seed=1))
    with pytest.raises(ValueError, match=r"^Sequential item 4: Linear\(32 -> 3\) got input of shape \(2, 8"):
        net(np.zeros((2, 1, 4, 4)))
    with pytest.raises(ValueError, match=r"^Sequential item 0, c: cannot reshape"):
        def c(t):  # (its message starts with its name's letter: named all the same)
            return np.reshape(t, (3, 7))

        Sequential(c, ReLU())(np.zeros(4))


# -- PyTorch's arguments and one-sample input for the conv and pooling layers ----------------------

def test_a_conv_layer_takes_pytorchs_arguments_in_pytorchs_order_or_says_what_it_lacks():
    """Conv2d(3, 4, 3, 1, 0, 2) is dilation 2 in PyTorch; it was read as bias=2 here and made a
    layer without a word.  Options not supported here say so, by their PyTorch names."""
    for call, match in [
        (lambda: nn.Conv2d(3, 4, 3, 1, 0, 2), r"Conv2d: dilation=2 is not supported here \(only 1\)"),
        (lambda: nn.Conv2d(3, 4, 3, groups=3), r"Conv2d: groups=3 is not supported here"),
        (lambda: nn.Conv1d(3, 4, 3, padding_mode="reflect"), "padding_mode='reflect' is not supported"),
        (lambda: nn.MaxPool2d(3, 2, 1), r"max_pool2d: padding=1 is not supported here \(only 0\)"),
        (lambda: nn.MaxPool2d(2, ceil_mode=True), "ceil_mode=True is not supported"),
    ]:
        with pytest.raises(NotImplementedError, match=match):
            call()
    with pytest.raises(TypeError, match="Conv2d: bias must be True or False, got 2"):
        nn.Conv2d(3, 4, 3, bias=2)
    full = nn.Conv2d(3, 4, 3, 1, 0, 1, 1, False, "zeros")  # every slot, as PyTorch's
    assert full.bias is None and full.stride == (1, 1) and full.padding == (0, 0)
    assert nn.MaxPool2d(2).stride == 2 and repr(nn.MaxPool2d(2)) == "MaxPool2d(kernel_size=2)"  # as torch's


def test_padding_valid_and_same_and_one_sample_input_match_torch(torch):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 7, 6))  # one sample (C, H, W), as torch takes it
    for padding in ("same", "valid", 1):
        conv = nn.Conv2d(3, 4, (3, 5), padding=padding, seed=0)
        ref = torch.nn.Conv2d(3, 4, (3, 5), padding=padding, dtype=torch.float64)
        ref.load_state_dict({k: torch.tensor(v) for k, v in conv.state_dict().items()})
        xt = torch.tensor(x, requires_grad=True)
        ours = Tensor(x, requires_grad=True)
        out = conv(ours)
        expected = ref(xt)
        assert out.shape == tuple(expected.shape)
        np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12, atol=1e-12)
        (out * out).sum().backward()
        (expected * expected).sum().backward()
        np.testing.assert_allclose(ours.grad, xt.grad.numpy(), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(conv.weight.grad, ref.weight.grad.numpy(), rtol=1e-12, atol=1e-12)
    pooled = nn.MaxPool2d(2)(Tensor(x))
    np.testing.assert_array_equal(pooled.data, torch.nn.MaxPool2d(2)(torch.tensor(x)).numpy())
    assert nn.Conv1d(3, 2, 3, seed=0)(x[:, 0]).shape == (2, 4)
    with pytest.raises(ValueError, match=r"padding='same' needs stride 1 and an odd kernel here"):
        nn.Conv2d(3, 4, 2, padding="same")
    with pytest.raises(ValueError, match=r"Conv2d: input must be \(N, C, H, W\) with C = 3, or one sample"):
        nn.Conv2d(3, 4, 3)(np.zeros((4, 7, 6)))


def test_flatten_takes_end_dim_as_torch(torch):
    x = np.zeros((2, 3, 4, 5))
    for dims in [(), (1, 2), (0, -1), (2,), (1, -2), (-3, -2)]:
        assert nn.Flatten(*dims)(x).shape == tuple(torch.nn.Flatten(*dims)(torch.zeros(2, 3, 4, 5)).shape)
    assert repr(nn.Flatten(1, 2)) == "Flatten(end_dim=2)"
    with pytest.raises(ValueError, match="start_dim=2 comes after end_dim=1"):
        nn.Flatten(2, 1)(x)


def test_one_sample_errors_name_its_shape_and_pool_options_take_lists():
    from autograd import conv2d, max_pool2d

    with pytest.raises(ValueError, match=r"input has 4 channels, weight expects 3 \(shapes \(4, 5, 5\) and"):
        conv2d(np.ones((4, 5, 5)), np.ones((2, 3, 3, 3)))  # (it named the batch of one, (1, 4, 5, 5))
    assert max_pool2d(Tensor(np.ones((1, 1, 4, 4))), 2, None, [0, 0], np.array([1, 1])).shape == (1, 1, 2, 2)
    with pytest.raises(NotImplementedError, match=r"padding=\(1, 1\) is not supported"):
        max_pool2d(Tensor(np.ones((1, 1, 4, 4))), 2, None, [1, 1])
