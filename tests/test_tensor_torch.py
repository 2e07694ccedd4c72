"""Tensor against PyTorch float64, the oracle: values and gradients of every op.

Each case builds the same expression on our Tensors and on torch tensors, compares the
values, runs backward with the same random upstream gradient and compares every leaf's
gradient: bit for bit where the op only moves or adds numbers, else to 1e-12 relative.
Second derivatives (``create_graph=True``) are compared as Hessian-vector products.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from autograd import (
    Tensor,
    Value,
    concatenate,
    conv1d,
    conv2d,
    gradients,
    linear,
    max_pool2d,
    stack,
    topological_order,
)

pytestmark = pytest.mark.torch

RTOL = 1e-12
ATOL = 1e-13  # for entries that cancel to ~0; everything here is of order 1


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def positive(*shape, seed=0):
    return np.abs(rand(*shape, seed=seed)) + 0.5


def away_from_zero(*shape, seed=0):
    x = rand(*shape, seed=seed)
    return np.sign(x) * (np.abs(x) + 0.5)


def assert_same(ours, ref, exact=False, what="value"):
    ref = ref.detach().numpy() if hasattr(ref, "detach") else np.asarray(ref)
    assert isinstance(ours, np.ndarray), f"{what} is a {type(ours).__name__}, not an ndarray"
    assert ours.shape == ref.shape, f"{what}: shape {ours.shape}, torch has {ref.shape}"
    assert ours.dtype == ref.dtype, f"{what}: dtype {ours.dtype}, torch has {ref.dtype}"
    if exact:
        np.testing.assert_array_equal(ours, ref, err_msg=what)
    else:
        np.testing.assert_allclose(ours, ref, rtol=RTOL, atol=ATOL, err_msg=what)


def compare(torch, f, g, *arrays, exact=False, seed=1):
    """f on Tensors and g on torch tensors agree in value and in every input's gradient."""
    xs = [Tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, ref = f(*xs), g(*ts)
    assert_same(out.data, ref, exact)
    upstream = rand(*out.shape, seed=seed) if out.shape else np.float64(rand(1, seed=seed)[0])
    out.backward(np.asarray(upstream))
    ref.backward(torch.tensor(upstream))
    for i, (x, t) in enumerate(zip(xs, ts)):
        assert_same(x.grad, t.grad, exact, what=f"gradient of input {i}")
    return out


# -- elementwise ---------------------------------------------------------------------------------

BROADCAST_PAIRS = [((2, 3), (2, 3)), ((2, 3), (3,)), ((3,), (2, 3)), ((4, 1, 3), (2, 1)),
                   ((), (2, 3)), ((2, 1), ()), ((), ()), ((1,), (3, 1, 2)), ((2, 1, 3, 1), (4, 1, 2))]


@pytest.mark.parametrize("sa, sb", BROADCAST_PAIRS, ids=str)
@pytest.mark.parametrize("op", ["+", "-", "*"])
def test_exact_binary_ops_broadcast(torch, op, sa, sb):
    f = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b}[op]
    # the gradient of a broadcast input is a sum: exact only up to summation order
    exact = sa == sb
    compare(torch, f, f, rand(*sa, seed=1), rand(*sb, seed=2), exact=exact)


@pytest.mark.parametrize("sa, sb", BROADCAST_PAIRS, ids=str)
def test_division_broadcasts(torch, sa, sb):
    f = lambda a, b: a / b  # noqa: E731
    compare(torch, f, f, rand(*sa, seed=1), away_from_zero(*sb, seed=2))


@pytest.mark.parametrize("sa, sb", BROADCAST_PAIRS, ids=str)
def test_power_with_a_tensor_exponent_broadcasts(torch, sa, sb):
    f = lambda a, b: a ** b  # noqa: E731
    compare(torch, f, f, positive(*sa, seed=1), rand(*sb, seed=2))


@pytest.mark.parametrize("f", [
    lambda x: x + 2, lambda x: 2 + x, lambda x: x - 2.5, lambda x: 2.5 - x, lambda x: x * 3,
    lambda x: 3 * x, lambda x: x / 4, lambda x: 4 / x, lambda x: -x, lambda x: x ** 2,
    lambda x: x ** 3, lambda x: x ** -1.5, lambda x: x ** 0.5, lambda x: x ** 1, lambda x: x ** 0,
    lambda x: 2 ** x, lambda x: 0.5 ** x, lambda x: abs(x),
], ids=["x+2", "2+x", "x-2.5", "2.5-x", "x*3", "3*x", "x/4", "4/x", "-x", "x**2", "x**3",
        "x**-1.5", "x**0.5", "x**1", "x**0", "2**x", "0.5**x", "abs"])
def test_operators_with_numbers(torch, f):
    compare(torch, f, f, positive(2, 3))


def test_integer_power_of_negative_numbers(torch):
    for f in (lambda x: x ** 3, lambda x: x ** -2, lambda x: x ** 2.0):
        compare(torch, f, f, rand(3, 4))


def test_power_at_zero_base_matches_torch(torch):
    """0 ** b: torch's gradient for the base is 0 where b == 0 (x**0 is flat), else b*0**(b-1)."""
    a = np.array([0.0, 0.0, 0.0, 2.0, 0.0])
    b = np.array([0.0, 2.0, 1.0, 0.0, 3.0])
    f = lambda x, y: x ** y  # noqa: E731
    compare(torch, f, f, a, b)


UNARY = {
    "exp": (lambda x: x.exp(), lambda t: t.exp(), rand),
    "log": (lambda x: x.log(), lambda t: t.log(), positive),
    "sqrt": (lambda x: x.sqrt(), lambda t: t.sqrt(), positive),
    "abs": (lambda x: x.abs(), lambda t: t.abs(), rand),
    "sin": (lambda x: x.sin(), lambda t: t.sin(), rand),
    "cos": (lambda x: x.cos(), lambda t: t.cos(), rand),
    "tanh": (lambda x: x.tanh(), lambda t: t.tanh(), rand),
    "sigmoid": (lambda x: x.sigmoid(), lambda t: t.sigmoid(), rand),
    "relu": (lambda x: x.relu(), lambda t: t.relu(), rand),
    "clip": (lambda x: x.clip(-0.5, 0.7), lambda t: t.clamp(-0.5, 0.7), rand),
    "step": (lambda x: x.step(), lambda t: t * 0 + (t >= 0).double(), rand),
    "neg": (lambda x: -x, lambda t: -t, rand),
}


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("shape", [(), (1,), (5,), (2, 3), (2, 1, 3, 2)], ids=str)
def test_unary_functions(torch, name, shape):
    f, g, make = UNARY[name]
    exact = name in ("abs", "relu", "clip", "step", "neg")
    compare(torch, f, g, make(*shape, seed=3), exact=exact)


def test_kinks_take_torchs_conventions(torch):
    """relu'(0) = 0, abs'(0) = 0, clip' = 1 at both bounds, as torch."""
    x = np.array([-1.0, 0.0, 0.5, 1.0, -0.5, 2.0])
    for f, g in [(lambda x: x.relu(), lambda t: t.relu()), (lambda x: x.abs(), lambda t: t.abs()),
                 (lambda x: x.clip(-0.5, 1.0), lambda t: t.clamp(-0.5, 1.0))]:
        compare(torch, f, g, x, exact=True)


def test_step_at_zero_is_one_as_value_step_and_torch_heaviside(torch):
    """Unguarded: Tensor.step at 0 and -0.0 must be 1, as Value.step and torch.heaviside(t, 1)."""
    x = np.array([-1.0, -0.0, 0.0, 1e-300, -1e-300, 2.0])
    heaviside = lambda t: t * 0 + torch.heaviside(t.detach(), torch.tensor(1.0))  # noqa: E731
    out = compare(torch, lambda x: x.step(), heaviside, x, exact=True)
    np.testing.assert_array_equal(out.data, [0.0, 1.0, 1.0, 1.0, 0.0, 1.0])
    assert [Value(float(a)).step().data for a in x] == out.data.tolist()


def test_sigmoid_tanh_exp_at_large_inputs(torch):
    x = np.array([-1000.0, -40.0, -1.0, 0.0, 1.0, 40.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # exp(1000) overflows inside sigmoid on purpose: no warning
        compare(torch, lambda x: x.sigmoid(), lambda t: t.sigmoid(), x)
        x32 = x.astype(np.float32)
        ours32 = Tensor(x32).sigmoid().data
    assert ours32.dtype == np.float32
    # far below 0 the exponent is capped: a subnormal number where torch has 0, never more
    tiny = np.finfo(np.float32).tiny
    np.testing.assert_allclose(ours32, torch.sigmoid(torch.tensor(x32)).numpy(), rtol=1e-6, atol=tiny)
    assert 0 < ours32[0] < tiny and 0 < Tensor(x).sigmoid().data[0] < np.finfo(np.float64).tiny
    compare(torch, lambda x: x.tanh(), lambda t: t.tanh(), x)


# -- matmul --------------------------------------------------------------------------------------

MATMUL_SHAPES = [((3,), (3,)), ((3,), (3, 4)), ((2, 3), (3,)), ((2, 3), (3, 4)), ((1, 3), (3, 1)),
                 ((5, 2, 3), (5, 3, 4)), ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)), ((3,), (5, 3, 4)),
                 ((5, 2, 3), (3,)), ((2, 1, 2, 3), (5, 3, 4)), ((2, 1, 2, 3), (1, 4, 3, 2))]


@pytest.mark.parametrize("sa, sb", MATMUL_SHAPES, ids=str)
def test_matmul(torch, sa, sb):
    f = lambda a, b: a @ b  # noqa: E731
    compare(torch, f, f, rand(*sa, seed=4), rand(*sb, seed=5))


def test_matmul_with_a_constant_operand(torch):
    """The data in ``x @ W`` needs no gradient; W's gradient is still right."""
    x, w = rand(4, 3, seed=1), rand(3, 2, seed=2)
    W = Tensor(w, requires_grad=True)
    out = Tensor(x) @ W
    out.backward(np.ones((4, 2)))
    tw = torch.tensor(w, requires_grad=True)
    (torch.tensor(x) @ tw).backward(torch.ones(4, 2))
    assert_same(W.grad, tw.grad)
    out = x @ W  # an ndarray on the left
    assert isinstance(out, Tensor)
    assert_same(out.data, torch.tensor(x) @ tw)


# -- reductions ----------------------------------------------------------------------------------

AXES = [None, 0, 1, -1, (0, 2), (0, 1, 2), (-1, 0)]


def _dims(axis, ndim):
    return tuple(range(ndim)) if axis is None else axis


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", AXES, ids=str)
def test_sum_and_mean(torch, axis, keepdims):
    x = rand(2, 3, 4, seed=6)
    compare(torch, lambda x: x.sum(axis=axis, keepdims=keepdims),
            lambda t: t.sum(dim=_dims(axis, 3), keepdim=keepdims), x)
    compare(torch, lambda x: x.mean(axis=axis, keepdims=keepdims),
            lambda t: t.mean(dim=_dims(axis, 3), keepdim=keepdims), x)


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("kind", ["max", "min"])
@pytest.mark.parametrize("data", ["distinct", "ties"])
def test_max_and_min_share_ties_like_amax(torch, kind, axis, keepdims, data):
    if data == "ties":  # few distinct values: many ties in every slice
        x = np.random.default_rng(7).integers(0, 3, size=(2, 3, 4)).astype(float)
    else:
        x = rand(2, 3, 4, seed=7)
    reduce_t = torch.amax if kind == "max" else torch.amin
    compare(torch, lambda x: getattr(x, kind)(axis=axis, keepdims=keepdims),
            lambda t: reduce_t(t, dim=_dims(axis, 3), keepdim=keepdims), x)


def test_reductions_of_a_0d_tensor(torch):
    x = np.array(1.5)
    for name in ("sum", "mean", "max", "min"):
        compare(torch, lambda x, name=name: getattr(x, name)(),
                lambda t, name=name: getattr(t, name)(), x, exact=True)


# -- shape ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("f, g", [
    (lambda x: x.reshape(4, 6), lambda t: t.reshape(4, 6)),
    (lambda x: x.reshape((3, -1)), lambda t: t.reshape(3, -1)),
    (lambda x: x.reshape(24), lambda t: t.reshape(24)),
    (lambda x: x.flatten(), lambda t: t.flatten()),
    (lambda x: x.transpose(), lambda t: t.permute(2, 1, 0)),
    (lambda x: x.T, lambda t: t.permute(2, 1, 0)),
    (lambda x: x.transpose(1, 0, 2), lambda t: t.permute(1, 0, 2)),
    (lambda x: x.transpose((2, 0, 1)), lambda t: t.permute(2, 0, 1)),
    (lambda x: x.transpose(-1, 0, 1), lambda t: t.permute(2, 0, 1)),
    (lambda x: x[0].T, lambda t: t[0].T),
    (lambda x: x.reshape(2, 12).T.reshape(3, 8), lambda t: t.reshape(2, 12).T.reshape(3, 8)),
], ids=["reshape", "reshape-1", "reshape-1d", "flatten", "transpose", ".T", "transpose-axes",
        "transpose-tuple", "transpose-negative", ".T-2d", "chain"])
def test_shape_ops(torch, f, g):
    compare(torch, f, g, rand(2, 3, 4, seed=8), exact=True)


BROADCASTS = [((2, 1), (4, 2, 3)), ((), (2, 3)), ((3,), (2, 3)), ((1, 3, 1), (2, 3, 2)), ((2, 3), (2, 3)),
              ((1, 1), (5, 1, 4)), ((), ())]


@pytest.mark.parametrize("shape, to", BROADCASTS, ids=str)
def test_broadcast_to(torch, shape, to):
    compare(torch, lambda x: x.broadcast_to(to), lambda t: t.broadcast_to(to), rand(*shape, seed=9))


INDICES = {
    "int": 1,
    "negative-int": -1,
    "two-ints": (1, -2),
    "slice": slice(1, 3),
    "step-slice": (slice(None, None, 2), 1),
    "ellipsis": (Ellipsis, 2),
    "newaxis": (None, 1),
    "int-array-repeats": np.array([0, 2, 0, 0]),
    "int-list-repeats": [1, 1, 3],
    "2d-int-array": np.array([[0, 1], [3, 3]]),
    "int-array-in-axis-1": (slice(None), np.array([2, 0, 2])),
    "two-int-arrays": (np.array([0, 1, 1]), np.array([2, 2, 2])),
    "mixed": (1, np.array([0, 0, 2]), slice(None, 3)),
    "empty-list": [],
    "empty-list-in-tuple": (slice(None), []),
}


@pytest.mark.parametrize("name", INDICES)
def test_indexing(torch, name):
    index = INDICES[name]

    def torch_index(i):
        if isinstance(i, tuple):
            return tuple(torch_index(j) for j in i)
        return torch.tensor(i, dtype=torch.long) if isinstance(i, np.ndarray | list) else i

    compare(torch, lambda x: x[index], lambda t: t[torch_index(index)], rand(4, 3, 5, seed=10),
            exact=True)


def test_integer_indexing_accumulates_repeats(torch):
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[[0, 0, 0, 2]].sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 0.0, 1.0])


@pytest.mark.parametrize("mask_of", [
    lambda x: x > 0, lambda x: (x > 0)[:, :, 0], lambda x: (x > 0)[:, 0, 0], lambda x: x > 10,
], ids=["full", "2-d", "first-axis", "empty"])
def test_boolean_masks(torch, mask_of):
    x = rand(4, 3, 5, seed=11)
    mask = mask_of(x)
    compare(torch, lambda x: x[mask], lambda t: t[torch.tensor(mask)], x, exact=True)
    compare(torch, lambda x: x[list(mask)], lambda t: t[torch.tensor(mask)], x, exact=True)


@pytest.mark.parametrize("index", [
    (slice(None), np.array([True, False, True])), (np.array([True, False, True, True]), slice(1, None)),
    (1, np.array([False, True, True]), np.array([0, 4])), (Ellipsis, np.array([1, 0, 0, 1, 1], bool)),
    (np.array([[True, False, True], [False, False, True], [True] * 3, [False] * 3]), slice(None, 2)),
    ([0, 2], slice(None), (1, 1)),
], ids=["axis-1", "axis-0", "with-ints", "ellipsis", "2-d-mask", "tuple-inside"])
def test_boolean_masks_inside_an_index_tuple(torch, index):
    def torch_index(i):
        return torch.tensor(np.asarray(i)) if isinstance(i, np.ndarray | list | tuple) else i

    compare(torch, lambda x: x[index], lambda t: t[tuple(torch_index(i) for i in index)],
            rand(4, 3, 5, seed=11), exact=True)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concatenate(torch, axis):
    shapes = {0: [(1, 3, 2), (2, 3, 2), (3, 3, 2)], 1: [(2, 1, 2), (2, 4, 2)],
              -1: [(2, 3, 1), (2, 3, 2), (2, 3, 1)]}[axis]
    arrays = [rand(*s, seed=i) for i, s in enumerate(shapes)]
    compare(torch, lambda *xs: concatenate(xs, axis=axis), lambda *ts: torch.cat(ts, dim=axis),
            *arrays, exact=True)


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_stack(torch, axis):
    arrays = [rand(2, 3, seed=i) for i in range(3)]
    compare(torch, lambda *xs: stack(xs, axis=axis), lambda *ts: torch.stack(ts, dim=axis),
            *arrays, exact=True)


def test_concatenate_and_stack_with_constants(torch):
    a = Tensor(rand(2, 2, seed=1), requires_grad=True)
    out = concatenate([a, rand(1, 2, seed=2)]) * stack([a[0], np.ones(2), a[1]]).sum(0)
    ta = torch.tensor(a.data, requires_grad=True)
    ref = torch.cat([ta, torch.tensor(rand(1, 2, seed=2))]) * torch.stack(
        [ta[0], torch.ones(2), ta[1]]).sum(0)
    assert_same(out.data, ref)
    out.sum().backward()
    ref.sum().backward()
    assert_same(a.grad, ta.grad)


@pytest.mark.parametrize("width, torch_pad", [
    (((1, 2), (0, 3)), (0, 3, 1, 2)), (1, (1, 1, 1, 1)), (((0, 0), (2, 0)), (2, 0, 0, 0)),
], ids=["pairs", "one-number", "one-side"])
def test_pad(torch, width, torch_pad):
    compare(torch, lambda x: x.pad(width), lambda t: torch.nn.functional.pad(t, torch_pad),
            rand(2, 3, seed=12), exact=True)


UNFOLDS = [((2, 3, 5, 6), (2, 3), (1, 1)), ((1, 2, 7, 7), (3, 3), (2, 2)), ((2, 1, 6, 5), (2, 2), (3, 1)),
           ((1, 1, 4, 4), (4, 4), 1), ((1, 2, 5, 5), (1, 1), (2, 3)), ((2, 2, 6, 6), (2, 2), 2)]


def _columns(u, n, c):
    """Our windows (N, C, *positions, *kernel) in F.unfold's layout (N, C * kernel size, positions)."""
    kernel = u.shape[4:]
    return u.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * kernel[0] * kernel[1], -1)


@pytest.mark.parametrize("xs, kernel, stride", UNFOLDS, ids=str)
def test_unfold_matches_torchs_unfold(torch, xs, kernel, stride):
    """Unguarded: the public Tensor.unfold, as F.unfold's columns and as torch's Tensor.unfold."""
    F = torch.nn.functional
    steps = stride if isinstance(stride, tuple) else (stride, stride)
    exact = not overlapping(kernel, steps)  # overlapping windows: an input's gradient is a sum
    compare(torch, lambda x: _columns(x.unfold(kernel, stride), *xs[:2]),
            lambda t: F.unfold(t, kernel, stride=steps), rand(*xs, seed=24), exact=exact)
    out = compare(torch, lambda x: x.unfold(kernel, stride),
                  lambda t: t.unfold(2, kernel[0], steps[0]).unfold(3, kernel[1], steps[1]),
                  rand(*xs, seed=24), exact=exact)
    assert out.op == "unfold" and out.parents[0].op == ""


@pytest.mark.parametrize("shape, kernel, stride", [
    ((7,), 3, 2), ((7,), 7, 1), ((2, 3, 6), (2,), 1), ((5, 4), (2, 4), (2, 1)),
    ((2, 4, 5, 6), (2, 2, 3), (1, 2, 2)), ((3, 5, 4), (2, 3), (3, 1)),
], ids=str)
def test_unfold_of_any_rank_matches_torchs_tensor_unfold(torch, shape, kernel, stride):
    """Unguarded: unfold of one to three window axes, as torch's Tensor.unfold axis by axis."""
    kernel_t = kernel if isinstance(kernel, tuple) else (kernel,)
    steps = stride if isinstance(stride, tuple) else (stride,) * len(kernel_t)
    first = len(shape) - len(kernel_t)

    def theirs(t):
        for i, (k, s) in enumerate(zip(kernel_t, steps)):
            t = t.unfold(first + i, k, s)
        return t

    compare(torch, lambda x: x.unfold(kernel, stride), theirs, rand(*shape, seed=25),
            exact=not overlapping(kernel_t, steps))


def test_unfold_second_derivatives_match_torch(torch):
    """Unguarded: second derivatives through Unfold and Fold (whose backward is Unfold), as torch."""
    F = torch.nn.functional
    w = rand(8, 3, seed=26)
    hvp_compare(torch, lambda x: ((_columns(x.unfold((2, 2), 1), 1, 2).tanh() * x.sum()) ** 2).sum()
                + (x.unfold(3, 2) ** 3 @ Tensor(w[:3, :2])).sum(),
                lambda t: ((F.unfold(t, (2, 2), stride=1).tanh() * t.sum()) ** 2).sum()
                + (t.unfold(3, 3, 2) ** 3 @ torch.tensor(w[:3, :2])).sum(), rand(1, 2, 5, 5, seed=27))
    hvp_compare(torch, lambda x: (x.unfold((2, 3), (2, 1)).sin() ** 2 * x.unfold(3, 2)[:, :2, None]).sum(),
                lambda t: (t.unfold(1, 2, 2).unfold(2, 3, 1).sin() ** 2
                           * t.unfold(2, 3, 2)[:, :2, None]).sum(),
                rand(2, 4, 5, seed=28))


# -- softmax -------------------------------------------------------------------------------------

@pytest.mark.parametrize("axis", [-1, 0, 1])
@pytest.mark.parametrize("scale", [1.0, 1000.0], ids=["normal", "large"])
def test_softmax_and_log_softmax(torch, axis, scale):
    x = rand(3, 4, 2, seed=13) * scale
    compare(torch, lambda x: x.softmax(axis=axis), lambda t: t.softmax(dim=axis), x)
    compare(torch, lambda x: x.log_softmax(axis=axis), lambda t: t.log_softmax(dim=axis), x)


def test_softmax_is_stable_for_huge_inputs(torch):
    x = np.array([[1000.0, 1001.0, 999.0], [-1000.0, -1000.0, -999.0], [1e300, 0.0, -1e300]])
    for f, g in [(lambda x: x.softmax(), lambda t: t.softmax(-1)),
                 (lambda x: x.log_softmax(), lambda t: t.log_softmax(-1))]:
        out = compare(torch, f, g, x)
        assert np.isfinite(out.data).all()


def test_log_softmax_of_a_cross_entropy(torch):
    logits, target = rand(5, 4, seed=14), np.array([0, 3, 1, 1, 2])
    compare(torch, lambda z: -z.log_softmax()[np.arange(5), target].mean(),
            lambda t: torch.nn.functional.cross_entropy(t, torch.tensor(target)), logits)


# -- convolution and pooling ---------------------------------------------------------------------

CONV1D = [((2, 3, 7), (4, 3, 3), 1, 0), ((1, 1, 5), (1, 1, 5), 1, 0), ((2, 2, 8), (3, 2, 3), 2, 1),
          ((3, 1, 6), (2, 1, 2), 3, 2), ((2, 2, 9), (1, 2, 4), 2, 0)]


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("xs, ws, stride, padding", CONV1D, ids=str)
def test_conv1d(torch, xs, ws, stride, padding, bias):
    arrays = [rand(*xs, seed=15), rand(*ws, seed=16)] + ([rand(ws[0], seed=17)] if bias else [])
    compare(torch, lambda x, w, *b: conv1d(x, w, *b, stride=stride, padding=padding),
            lambda x, w, *b: torch.nn.functional.conv1d(x, w, *b, stride=stride, padding=padding),
            *arrays)


CONV2D = [((2, 3, 5, 5), (4, 3, 3, 3), 1, 0), ((1, 1, 4, 6), (2, 1, 2, 3), 1, 0),
          ((2, 2, 7, 6), (3, 2, 3, 3), 2, 1), ((2, 2, 7, 6), (3, 2, 3, 2), (2, 1), (1, 2)),
          ((1, 3, 8, 8), (2, 3, 5, 5), 3, 2), ((3, 1, 3, 3), (1, 1, 3, 3), 1, 0),
          ((2, 1, 6, 5), (2, 1, 1, 1), (1, 2), 0)]


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("xs, ws, stride, padding", CONV2D, ids=str)
def test_conv2d(torch, xs, ws, stride, padding, bias):
    arrays = [rand(*xs, seed=18), rand(*ws, seed=19)] + ([rand(ws[0], seed=20)] if bias else [])
    compare(torch, lambda x, w, *b: conv2d(x, w, *b, stride=stride, padding=padding),
            lambda x, w, *b: torch.nn.functional.conv2d(x, w, *b, stride=stride, padding=padding),
            *arrays)


@pytest.mark.parametrize("learn", ["x", "w", "b", "xw", "xb", "wb", "xwb"])
@pytest.mark.parametrize("d", [1, 2])
def test_conv_gives_each_input_that_requires_grad_torchs_gradient_and_no_other(torch, d, learn):
    """Unguarded: a frozen weight with a trainable bias (every mix of learnable inputs), as torch."""
    conv, theirs = (conv1d, torch.nn.functional.conv1d) if d == 1 else (conv2d, torch.nn.functional.conv2d)
    arrays = [rand(*s, seed=60 + i) for i, s in enumerate([(2, 2) + (6,) * d, (3, 2) + (3,) * d, (3,)])]
    compare_learning(torch, lambda *xs: conv(*xs, stride=2, padding=1),
                     lambda *ts: theirs(*ts, stride=2, padding=1), arrays, learn)


def compare_learning(torch, f, g, arrays, learn):
    """f of inputs x, w, b against torch's g, only those named in ``learn`` requiring grad: each of
    those gets torch's gradient, the others none."""
    xs = [Tensor(a, requires_grad=name in learn) for a, name in zip(arrays, "xwb")]
    ts = [torch.tensor(a, requires_grad=name in learn) for a, name in zip(arrays, "xwb")]
    out, ref = f(*xs), g(*ts)
    assert_same(out.data, ref)
    upstream = rand(*out.shape, seed=70)
    out.backward(upstream)
    ref.backward(torch.tensor(upstream))
    for name, x, t in zip("xwb", xs, ts):
        if name in learn:
            assert_same(x.grad, t.grad, what=f"gradient of {name}")
        else:
            assert x.grad is None and t.grad is None


LINEAR = [(5,), (3, 5), (2, 3, 5), (1, 1, 5), (2, 1, 3, 5), (0, 5)]  # one sample, batches, no samples


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("xs", LINEAR, ids=str)
def test_linear(torch, xs, bias):
    arrays = [rand(*xs, seed=21), rand(4, 5, seed=22)] + ([rand(4, seed=23)] if bias else [])
    out = compare(torch, linear, torch.nn.functional.linear, *arrays)
    assert out.op == "linear" and len(out.parents) == len(arrays)  # one node, not @, .T and +


@pytest.mark.parametrize("xs, ws", [((5,), (0, 5)), ((2, 3, 5), (0, 5)), ((0,), (4, 0)), ((2, 3, 0), (4, 0))],
                         ids=str)
def test_linear_with_no_outputs_or_no_inputs(torch, xs, ws):
    """A 0-size weight: numpy could not reshape the gradient's rows to (-1, 0) (torch, and the
    spelled-out x @ w.T + b, give the empty or zero gradients)."""
    arrays = [rand(*xs, seed=28), rand(*ws, seed=29), rand(ws[0], seed=30)]
    compare(torch, linear, torch.nn.functional.linear, *arrays)


@pytest.mark.parametrize("learn", ["x", "w", "b", "xw", "xb", "wb", "xwb"])
def test_linear_gives_each_input_that_requires_grad_torchs_gradient_and_no_other(torch, learn):
    arrays = [rand(3, 2, 5, seed=24), rand(4, 5, seed=25), rand(4, seed=26)]
    compare_learning(torch, linear, torch.nn.functional.linear, arrays, learn)


def test_hvp_of_linear(torch):
    F = torch.nn.functional
    for xs in [(3, 4), (2, 3, 4), (4,)]:
        arrays = [rand(*xs, seed=1), rand(2, 4, seed=2), rand(2, seed=3)]
        hvp_compare(torch, lambda x, w, b: (linear(x, w, b).tanh() ** 3).sum(),
                    lambda x, w, b: (F.linear(x, w, b).tanh() ** 3).sum(), *arrays)
        hvp_compare(torch, lambda x, w: (linear(x * x, w).sigmoid() ** 2).sum(),
                    lambda x, w: (F.linear(x * x, w).sigmoid() ** 2).sum(), *arrays[:2])


POOLS = [((2, 3, 4, 4), 2, None), ((1, 2, 5, 5), 2, None), ((2, 1, 7, 6), 3, 2),
         ((1, 2, 5, 7), (2, 3), 1), ((1, 1, 6, 6), (3, 2), (1, 2)), ((2, 2, 3, 3), 3, None),
         ((1, 2, 20, 19), 17, 1)]  # (the last: windows of 289 elements)


@pytest.mark.parametrize("xs, kernel, stride", POOLS, ids=str)
def test_max_pool2d(torch, xs, kernel, stride):
    compare(torch, lambda x: max_pool2d(x, kernel, stride),
            lambda t: torch.nn.functional.max_pool2d(t, kernel, stride), rand(*xs, seed=21),
            exact=not overlapping(kernel, stride))


def overlapping(kernel, stride):
    """Windows overlap: an input's gradient is a sum, exact only up to the order of adding."""
    return stride is not None and np.any(np.less(stride, kernel))


@pytest.mark.parametrize("xs, kernel, stride", POOLS, ids=str)
def test_max_pool2d_with_ties_sends_the_gradient_to_one_element_like_torch(torch, xs, kernel, stride):
    """Tied maxima: torch (and we) give the whole gradient to the first of them in the window
    (unlike ``max()``, which shares it as ``torch.amax`` does)."""
    ties = np.random.default_rng(22).integers(0, 2, size=xs).astype(float)
    out = compare(torch, lambda x: max_pool2d(x, kernel, stride),
                  lambda t: torch.nn.functional.max_pool2d(t, kernel, stride), ties,
                  exact=not overlapping(kernel, stride))
    x = Tensor(ties, requires_grad=True)
    max_pool2d(x, kernel, stride).backward(np.ones(out.shape))
    assert set(np.unique(x.grad)) <= set(range(10))  # whole units, never a split share
    # after relu: windows of zeros tie; relu then stops the gradient anyway, as in torch
    compare(torch, lambda x: max_pool2d(x.relu(), kernel, stride),
            lambda t: torch.nn.functional.max_pool2d(t.relu(), kernel, stride),
            rand(*xs, seed=23) - 1.0, exact=not overlapping(kernel, stride))


@pytest.mark.filterwarnings("ignore:invalid value encountered in log:RuntimeWarning")
def test_max_pool2d_of_a_window_with_nan_is_nan_and_its_gradient_goes_where_torchs_does(torch):
    """A nan made inside the graph (log of a negative number) is its window's maximum; with two
    nans in a window torch's loop picks the last one (a nan always takes the place), and so do we."""
    x = np.array([[[[-1.0, 0.5, 3.0, -2.0], [2.0, -3.0, -1.0, 4.0]]]])
    compare(torch, lambda t: max_pool2d(t.log(), 2),
            lambda t: torch.nn.functional.max_pool2d(t.log(), 2), x, exact=True)


def test_max_pool2d_of_a_tie_between_zeros_of_two_signs_is_the_zero_it_picks(torch):
    """-0.0 and 0.0 are equal, so a window holding both picks the first, as torch: the output is
    that zero, sign and all, and the gradient goes to it."""
    x = np.tile(np.array([[[[-0.0, 0.0, 0.0, -0.0]]]]), (1, 1, 1, 8))
    out = compare(torch, lambda t: max_pool2d(t, (1, 2)),
                  lambda t: torch.nn.functional.max_pool2d(t, (1, 2)), x, exact=True)
    ref = torch.nn.functional.max_pool2d(torch.tensor(x), (1, 2)).numpy()
    np.testing.assert_array_equal(np.signbit(out.data), np.signbit(ref))  # (== cannot tell the zeros apart)
    assert np.signbit(out.data).any() and not np.signbit(out.data).all()


def test_small_cnn(torch):
    """conv -> relu -> pool -> conv -> flatten -> linear -> cross-entropy, all gradients."""
    F = torch.nn.functional
    x, w1, b1, w2 = rand(2, 1, 8, 8, seed=1), rand(3, 1, 3, 3, seed=2), rand(3, seed=3), rand(
        4, 3, 2, 2, seed=4)
    wl, target = rand(4 * 2 * 2, 5, seed=5), np.array([1, 4])

    def ours(x, w1, b1, w2, wl):
        h = max_pool2d(conv2d(x, w1, b1, padding=1).relu(), 2)
        h = conv2d(h, w2, stride=2).tanh().reshape(2, -1) @ wl
        return -h.log_softmax()[np.arange(2), target].mean()

    def theirs(x, w1, b1, w2, wl):
        h = F.max_pool2d(F.conv2d(x, w1, b1, padding=1).relu(), 2)
        h = F.conv2d(h, w2, stride=2).tanh().reshape(2, -1) @ wl
        return F.cross_entropy(h, torch.tensor(target))

    compare(torch, ours, theirs, x, w1, b1, w2, wl)


# -- second derivatives: Hessian-vector products -------------------------------------------------

def hvp_compare(torch, f, g, *arrays, seed=30):
    """d/dx <grad f(x), v> for every input, ours (create_graph=True) against torch's."""
    vs = [rand(*a.shape, seed=seed + i) for i, a in enumerate(arrays)]
    xs = [Tensor(a, requires_grad=True) for a in arrays]
    grads = gradients(f(*xs), xs, create_graph=True)
    assert all(isinstance(gx, Tensor) for gx in grads), "create_graph=True gives Tensor gradients"
    inner = sum(((gx * v).sum() for gx, v in zip(grads, vs)), Tensor(0.0))
    hv = gradients(inner, xs)

    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    tgrads = torch.autograd.grad(g(*ts), ts, create_graph=True)
    for gx, tg in zip(grads, tgrads):
        assert_same(gx.data, tg, what="first derivative")
    tinner = sum((tg * torch.tensor(v)).sum() for tg, v in zip(tgrads, vs))
    thv = torch.autograd.grad(tinner, ts, allow_unused=True)
    for i, (h, th) in enumerate(zip(hv, thv)):
        th = torch.zeros_like(ts[i]) if th is None else th
        assert_same(np.asarray(h), th, what=f"Hessian-vector product for input {i}")


def test_hvp_of_a_small_mlp_loss(torch):
    x, target = rand(5, 3, seed=1), np.array([0, 1, 1, 0, 1])
    arrays = [rand(3, 4, seed=2), rand(4, seed=3), rand(4, 2, seed=4), rand(2, seed=5)]

    def ours(w1, b1, w2, b2):
        h = (Tensor(x) @ w1 + b1).tanh()
        return -(h @ w2 + b2).log_softmax()[np.arange(5), target].mean()

    def theirs(w1, b1, w2, b2):
        h = (torch.tensor(x) @ w1 + b1).tanh()
        return torch.nn.functional.cross_entropy(h @ w2 + b2, torch.tensor(target))

    hvp_compare(torch, ours, theirs, *arrays)

    def ours_sigmoid(w1, b1, w2, b2):  # Nielsen's network: sigmoid and the quadratic cost
        out = ((Tensor(x) @ w1 + b1).sigmoid() @ w2 + b2).sigmoid()
        return ((out - np.eye(2)[target]) ** 2).sum() / 2

    def theirs_sigmoid(w1, b1, w2, b2):
        out = ((torch.tensor(x) @ w1 + b1).sigmoid() @ w2 + b2).sigmoid()
        return ((out - torch.eye(2)[torch.tensor(target)]) ** 2).sum() / 2

    hvp_compare(torch, ours_sigmoid, theirs_sigmoid, *arrays)



def test_hvp_and_gradients_of_the_fused_losses(torch):
    """cross_entropy, mse and quadratic are one op each (their backward keeps forward's softmax
    or a - t): values, gradients of both inputs, and second derivatives as torch's."""
    from nn.losses import cross_entropy, mse, quadratic

    F = torch.nn.functional
    x, labels = rand(5, 3, seed=1), np.array([0, 2, 1, 1, 0])
    arrays = [rand(3, 4, seed=2), rand(4, seed=3), rand(5, 4, seed=4)]

    def ours(loss):
        return lambda w, b, y: loss((Tensor(x) @ w + b).tanh(), y)

    def theirs(loss):
        return lambda w, b, y: loss((torch.tensor(x) @ w + b).tanh(), y)

    for f, g in ((mse, F.mse_loss), (quadratic, lambda a, y: ((a - y) ** 2).sum() / (2 * a.shape[0]))):
        compare(torch, ours(f), theirs(g), *arrays)
        hvp_compare(torch, ours(f), theirs(g), *arrays)
    ce = (lambda w, b: cross_entropy((Tensor(x) @ w + b) ** 2, labels),
          lambda w, b: F.cross_entropy((torch.tensor(x) @ w + b) ** 2, torch.tensor(labels)))
    compare(torch, *ce, *arrays[:2])
    hvp_compare(torch, *ce, *arrays[:2])

HVP_CASES = {
    "elementwise": (lambda a, b: (a * b.exp() / (1 + a ** 2) - b.sigmoid() * a.tanh()).sum(),
                    [(3, 2), (2,)], rand),
    "pow-log-sqrt": (lambda a, b: ((a ** b).log() * a.sqrt() + a ** 3 - 2 / a).sum(),
                     [(2, 3), (1, 3)], positive),
    "sin-cos-abs-relu-clip": (
        lambda a, b: (a.sin() * b.cos() + (a * b).relu() ** 2 + a.abs() ** 3
                      + (a * b).clip(-0.3, 0.3) ** 2).sum(), [(3, 2), (3, 2)], rand),
    "reductions": (lambda a, b: ((a.sum(0, keepdims=True) * b).mean(1) ** 2).sum()
                   + (a.max(1) * b.min(0).sum()).sum() + a.mean() * b.sum(),
                   [(3, 4), (3, 4)], rand),
    "matmul": (lambda a, b: ((a @ b).tanh() ** 2).sum() + ((a[0] @ b) * (a @ b[:, 0]).sum()).sum(),
               [(2, 3), (3, 2)], rand),
    "batched-matmul": (lambda a, b: ((a @ b) ** 3).sum(), [(2, 1, 2, 3), (4, 3, 2)], rand),
    "softmax": (lambda a, b: ((a * b).softmax(1) * b).sum() + (a.log_softmax(0) ** 2).sum(),
                [(3, 4), (3, 4)], rand),
    "indexing": (lambda a, b: ((a[[0, 0, 2]] * b[1:]) ** 3).sum() + (a[a.data > 0] ** 2).sum()
                 + (a[:, 1] * b[0, ::-1][:3]).tanh().sum(), [(3, 3), (4, 3)], rand),
    "shapes": (lambda a, b: (a.reshape(2, 3).T ** 2 * b.T.broadcast_to((3, 2))).sum()
               + (concatenate([a, b.flatten()]) ** 3).sum()
               + (stack([a[:2], b[:, 0]], axis=1) ** 3).sum() + (a.pad(1) ** 3).sum(),
               [(6,), (2, 1)], rand),
    "neg-step": (lambda a, b: ((-a) ** 3 * b.step() + (a * b).step() * (-b) ** 2 * a
                               - (-(a * b)).tanh()).sum(),
                 [(3, 2), (3, 2)], rand),
    "1d-matmul": (lambda a, b: (a @ b) ** 3 + (a @ a) * (b @ b).tanh() - (a.sin() @ b) * (a @ b.exp()),
                  [(3,), (3,)], rand),
}


def torch_hvp_cases(torch):
    def step(t):  # torch.heaviside has no derivative: the same numbers, gradient 0
        return t * 0 + (t >= 0).double()

    return {
        "elementwise": lambda a, b: (a * b.exp() / (1 + a ** 2) - b.sigmoid() * a.tanh()).sum(),
        "pow-log-sqrt": lambda a, b: ((a ** b).log() * a.sqrt() + a ** 3 - 2 / a).sum(),
        "sin-cos-abs-relu-clip": lambda a, b: (a.sin() * b.cos() + (a * b).relu() ** 2 + a.abs() ** 3
                                               + (a * b).clamp(-0.3, 0.3) ** 2).sum(),
        "reductions": lambda a, b: ((a.sum(0, keepdim=True) * b).mean(1) ** 2).sum()
        + (a.amax(1) * b.amin(0).sum()).sum() + a.mean() * b.sum(),
        "matmul": lambda a, b: ((a @ b).tanh() ** 2).sum() + ((a[0] @ b) * (a @ b[:, 0]).sum()).sum(),
        "batched-matmul": lambda a, b: ((a @ b) ** 3).sum(),
        "softmax": lambda a, b: ((a * b).softmax(1) * b).sum() + (a.log_softmax(0) ** 2).sum(),
        "indexing": lambda a, b: ((a[[0, 0, 2]] * b[1:]) ** 3).sum() + (a[a > 0] ** 2).sum()
        + (a[:, 1] * b[0].flip(0)[:3]).tanh().sum(),
        "shapes": lambda a, b: (a.reshape(2, 3).T ** 2 * b.T.broadcast_to((3, 2))).sum()
        + (torch.cat([a, b.flatten()]) ** 3).sum()
        + (torch.stack([a[:2], b[:, 0]], dim=1) ** 3).sum()
        + (torch.nn.functional.pad(a, (1, 1)) ** 3).sum(),
        "neg-step": lambda a, b: ((-a) ** 3 * step(b) + step(a * b) * (-b) ** 2 * a
                                  - (-(a * b)).tanh()).sum(),
        "1d-matmul": lambda a, b: (a @ b) ** 3 + (a @ a) * (b @ b).tanh() - (a.sin() @ b) * (a @ b.exp()),
    }


@pytest.mark.parametrize("name", HVP_CASES)
def test_hvp_of_ops(torch, name):
    f, shapes, make = HVP_CASES[name]
    arrays = [make(*s, seed=40 + i) for i, s in enumerate(shapes)]
    hvp_compare(torch, f, torch_hvp_cases(torch)[name], *arrays)


def test_hvp_of_conv_and_pool(torch):
    F = torch.nn.functional
    arrays = [rand(2, 2, 6, 6, seed=1), rand(3, 2, 3, 3, seed=2), rand(3, seed=3)]
    hvp_compare(torch, lambda x, w, b: (max_pool2d(conv2d(x, w, b, stride=1, padding=1).tanh(), 2,
                                                   1) ** 3).sum(),
                lambda x, w, b: (F.max_pool2d(F.conv2d(x, w, b, stride=1, padding=1).tanh(), 2,
                                              1) ** 3).sum(), *arrays)
    hvp_compare(torch, lambda x, w, b: (conv2d(x, w, b, stride=2) ** 2).sum(),
                lambda x, w, b: (F.conv2d(x, w, b, stride=2) ** 2).sum(), *arrays)
    arrays1 = [rand(2, 2, 7, seed=4), rand(3, 2, 3, seed=5)]
    hvp_compare(torch, lambda x, w: (conv1d(x, w, stride=2, padding=1).sigmoid() ** 2).sum(),
                lambda x, w: (F.conv1d(x, w, stride=2, padding=1).sigmoid() ** 2).sum(), *arrays1)


def test_third_derivatives_run_the_backward_of_backward_ops(torch):
    """Three levels: ScatterAdd, Fold, BroadcastTo, Conv and MaxPool differentiated on Tensor nodes."""
    F = torch.nn.functional
    cases = [
        (lambda x: (x[[0, 2, 2]] ** 4).sum() + (x.sum(0) ** 4).sum(),
         lambda t: (t[[0, 2, 2]] ** 4).sum() + (t.sum(0) ** 4).sum(), rand(3, 2, seed=1)),
        (lambda x: (conv2d(x, Tensor(rand(2, 1, 2, 2, seed=2)), stride=1) ** 4).sum(),
         lambda t: (F.conv2d(t, torch.tensor(rand(2, 1, 2, 2, seed=2))) ** 4).sum(),
         rand(1, 1, 4, 4, seed=3)),
        (lambda x: (max_pool2d(x, 2) ** 4).sum(), lambda t: (F.max_pool2d(t, 2) ** 4).sum(),
         rand(1, 1, 4, 4, seed=4)),
    ]
    for f, g, a in cases:
        v, w = rand(*a.shape, seed=5), rand(*a.shape, seed=6)
        x = Tensor(a, requires_grad=True)
        (gx,) = gradients(f(x), [x], create_graph=True)
        (hv,) = gradients((gx * v).sum(), [x], create_graph=True)
        (third,) = gradients((hv * w).sum(), [x])
        t = torch.tensor(a, requires_grad=True)
        (tg,) = torch.autograd.grad(g(t), t, create_graph=True)
        (thv,) = torch.autograd.grad((tg * torch.tensor(v)).sum(), t, create_graph=True)
        (tthird,) = torch.autograd.grad((thv * torch.tensor(w)).sum(), t)
        assert_same(hv.data, thv)
        assert_same(third, tthird)


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def test_backward_create_graph_on_tensors_matches_torch(torch):
    """The ``backward(create_graph=True)`` spelling: x.grad is a Tensor, differentiable again."""
    a = rand(3, 2, seed=50)
    x = Tensor(a, requires_grad=True)
    ((x ** 3).sum() * x.tanh().mean()).backward(create_graph=True)
    assert isinstance(x.grad, Tensor)
    gx = x.grad
    x.grad = None
    (gx ** 2).sum().backward()
    t = torch.tensor(a, requires_grad=True)
    ((t ** 3).sum() * t.tanh().mean()).backward(create_graph=True)
    tg = t.grad
    t.grad = None
    (tg ** 2).sum().backward()
    assert_same(gx.data, tg)
    assert_same(x.grad, t.grad)


# -- float32 against torch float32 ---------------------------------------------------------------

def test_mixed_dtypes_with_0d_operands_match_torch(torch):
    """A 0-d operand, learnable or not, does not widen a float32 array (PyTorch's rule); its
    gradient comes back in its own dtype."""
    x0 = rand(2, 3, seed=4).astype(np.float32)
    x, w, c = Tensor(x0, requires_grad=True), Tensor(1.5, requires_grad=True), Tensor(0.25)
    tx, tw = torch.tensor(x0, requires_grad=True), torch.tensor(1.5, requires_grad=True)
    tc = torch.tensor(0.25)
    out = ((x * w).tanh() + c / (w + x * x)).sum()
    ref = ((tx * tw).tanh() + tc / (tw + tx * tx)).sum()
    assert out.dtype == np.float32 and str(ref.dtype) == "torch.float32"
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-6)
    out.backward()
    ref.backward()
    assert x.grad.dtype == np.float32 and w.grad.dtype == np.float64 and str(tw.grad.dtype) == "torch.float64"
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-5)
    np.testing.assert_allclose(w.grad, tw.grad.numpy(), rtol=1e-5)


def test_float32_linear_stays_float32_and_matches_torch_float32(torch):
    arrays = [rand(6, 5, seed=1).astype(np.float32), rand(3, 5, seed=2).astype(np.float32),
              rand(3, seed=3).astype(np.float32)]
    xs = [Tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, ref = linear(*xs), torch.nn.functional.linear(*ts)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-6, atol=1e-6)
    upstream = rand(6, 3, seed=4).astype(np.float32)
    out.backward(upstream)
    ref.backward(torch.tensor(upstream))
    for x, t in zip(xs, ts):
        assert x.grad.dtype == np.float32
        np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_float32_network_matches_torch_float32(torch):
    F = torch.nn.functional
    arrays = [rand(2, 1, 6, 6, seed=1).astype(np.float32), rand(2, 1, 3, 3, seed=2).astype(np.float32),
              rand(8, 3, seed=3).astype(np.float32)]

    def ours(x, w, wl):
        h = max_pool2d(conv2d(x, w, padding=1).relu(), 3).reshape(2, -1) @ wl
        return -h.log_softmax()[np.arange(2), [0, 2]].mean() + (h.sigmoid() ** 2).mean()

    def theirs(x, w, wl):
        h = F.max_pool2d(F.conv2d(x, w, padding=1).relu(), 3).reshape(2, -1) @ wl
        return F.cross_entropy(h, torch.tensor([0, 2])) + (h.sigmoid() ** 2).mean()

    xs = [Tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, ref = ours(*xs), theirs(*ts)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-5)
    out.backward()
    ref.backward()
    assert {n.grad.dtype for n in topological_order(out) if n.grad is not None} == {np.dtype(np.float32)}
    for x, t in zip(xs, ts):
        assert x.grad.dtype == np.float32
        np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-4, atol=1e-6)
