"""Tensor ops over hypothesis-generated shapes: 0-d scalars, size-1 dimensions, up to 4-D,
broadcasting pairs.  Each example is checked against PyTorch float64 (values and gradients for
a random upstream gradient) and with ``gradcheck`` (central differences).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

from autograd import Tensor, concatenate, conv1d, conv2d, gradcheck, gradients, linear, max_pool2d, stack

pytestmark = pytest.mark.torch

EXAMPLES = settings(max_examples=30, deadline=None)
FEW = settings(max_examples=20, deadline=None)  # for the slower ones (conv, second order)

shapes = array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=3)
pairs = mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, min_side=1, max_side=3)
seeds = st.integers(0, 2**32 - 1)


def make(shape, seed, kind="any"):
    x = np.random.default_rng(seed).standard_normal(shape)
    if kind == "positive":
        return np.abs(x) + 0.5
    if kind == "nonzero":
        return np.sign(x) * (np.abs(x) + 0.5) + (x == 0)
    return x


def check(torch, f, g, *arrays, seed=0):
    """Values and gradients against torch (1e-12), then gradcheck."""
    xs = [Tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, ref = f(*xs), g(*ts)
    assert type(out.data) is np.ndarray and out.shape == tuple(ref.shape)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-12, atol=1e-13)
    upstream = make(out.shape, seed + 1)
    out.backward(upstream)
    ref.backward(torch.tensor(upstream))
    for x, t in zip(xs, ts):
        assert type(x.grad) is np.ndarray and x.grad.shape == x.shape
        np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-12, atol=1e-13)
    fresh = [Tensor(a, requires_grad=True) for a in arrays]
    assert gradcheck(lambda *xs: (f(*xs) * upstream).sum(), *fresh)


BINARY = {
    "+": (lambda a, b: a + b, "any"), "-": (lambda a, b: a - b, "any"),
    "*": (lambda a, b: a * b, "any"), "/": (lambda a, b: a / b, "nonzero"),
    "**": (lambda a, b: a ** b, "positive"),
}


@EXAMPLES
@given(shape_pair=pairs, op=st.sampled_from(sorted(BINARY)), seed=seeds)
def test_binary_ops_broadcast(torch, shape_pair, op, seed):
    sa, sb = shape_pair.input_shapes
    f, kind = BINARY[op]
    a = make(sa, seed, "positive" if op == "**" else "any")
    b = make(sb, seed + 7, "nonzero" if op == "/" else "any")
    del kind
    check(torch, f, f, a, b, seed=seed)


@EXAMPLES
@given(shape=shapes, seed=seeds, number=st.sampled_from([-2.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0]),
       side=st.sampled_from(["+", "-", "*", "/", "**", "r+", "r-", "r*", "r/", "r**"]))
def test_ops_with_numbers(torch, shape, seed, number, side):
    fs = {"+": lambda x: x + number, "-": lambda x: x - number, "*": lambda x: x * number,
          "/": lambda x: x / (number or 1.0), "**": lambda x: x ** number,
          "r+": lambda x: number + x, "r-": lambda x: number - x, "r*": lambda x: number * x,
          "r/": lambda x: number / x, "r**": lambda x: abs(number or 1.0) ** x}
    positive = side in ("**", "r/")
    check(torch, fs[side], fs[side], make(shape, seed, "positive" if positive else "any"), seed=seed)


UNARY = {
    "neg": (lambda x: -x, lambda t: -t, "any"),
    "exp": (lambda x: x.exp(), lambda t: t.exp(), "any"),
    "log": (lambda x: x.log(), lambda t: t.log(), "positive"),
    "sqrt": (lambda x: x.sqrt(), lambda t: t.sqrt(), "positive"),
    "abs": (lambda x: x.abs(), lambda t: t.abs(), "any"),
    "sin": (lambda x: x.sin(), lambda t: t.sin(), "any"),
    "cos": (lambda x: x.cos(), lambda t: t.cos(), "any"),
    "tanh": (lambda x: x.tanh(), lambda t: t.tanh(), "any"),
    "sigmoid": (lambda x: x.sigmoid(), lambda t: t.sigmoid(), "any"),
    "relu": (lambda x: x.relu(), lambda t: t.relu(), "any"),
    "clip": (lambda x: x.clip(-0.6, 0.4), lambda t: t.clamp(-0.6, 0.4), "any"),
    "step": (lambda x: x.step(), lambda t: t * 0 + (t >= 0).double(), "any"),
}


@EXAMPLES
@given(shape=shapes, name=st.sampled_from(sorted(UNARY)), seed=seeds)
def test_unary_functions(torch, shape, name, seed):
    f, g, kind = UNARY[name]
    check(torch, f, g, make(shape, seed, kind), seed=seed)


@st.composite
def axes(draw, shape):
    """None, one axis (maybe negative) or a tuple of distinct axes, for an array of ``shape``."""
    ndim = len(shape)
    if ndim == 0:
        return draw(st.sampled_from([None, 0, -1]))
    one = st.integers(-ndim, ndim - 1)
    several = st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).map(tuple)
    return draw(st.one_of(st.none(), one, several))


def reduction(torch, name, axis, keepdims, ndim):
    """The reduction ``name`` over ``axis`` here and in torch (max and min as amax and amin,
    whose ties share the gradient, as ours)."""
    dims = tuple(range(ndim)) if axis is None else axis
    theirs = {"sum": lambda t: t.sum(dim=dims, keepdim=keepdims),
              "mean": lambda t: t.mean(dim=dims, keepdim=keepdims),
              "max": lambda t: torch.amax(t, dim=dims, keepdim=keepdims),
              "min": lambda t: torch.amin(t, dim=dims, keepdim=keepdims)}[name]
    return (lambda x: getattr(x, name)(axis=axis, keepdims=keepdims)), theirs


@EXAMPLES
@given(data=st.data(), shape=shapes, name=st.sampled_from(["sum", "mean", "max", "min"]),
       keepdims=st.booleans(), seed=seeds, ties=st.booleans())
def test_reductions(torch, data, shape, name, keepdims, seed, ties):
    axis = data.draw(axes(shape))
    x = make(shape, seed)
    if ties and name in ("max", "min"):  # few distinct values: ties share the gradient (amax)
        x = np.round(x)
    f, g = reduction(torch, name, axis, keepdims, len(shape))
    if ties and name in ("max", "min"):  # central differences cannot see a tie: torch only
        xs, t = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        f(xs).backward(np.ones(f(xs).shape))
        g(t).backward(torch.ones(g(t).shape))
        np.testing.assert_allclose(xs.grad, t.grad.numpy(), rtol=1e-15)
    else:
        check(torch, f, g, x, seed=seed)


@st.composite
def matmul_shapes(draw):
    m, k, n = (draw(st.integers(1, 3)) for _ in range(3))
    kind = draw(st.sampled_from(["1@1", "1@n", "n@1", "n@n"]))
    batch = draw(mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2, max_side=3))
    ba, bb = batch.input_shapes
    a = (k,) if kind[0] == "1" else ba + (m, k)
    b = (k,) if kind[-1] == "1" else bb + (k, n)
    return a, b


@EXAMPLES
@given(sab=matmul_shapes(), seed=seeds)
def test_matmul(torch, sab, seed):
    sa, sb = sab
    f = lambda a, b: a @ b  # noqa: E731
    check(torch, f, f, make(sa, seed), make(sb, seed + 3), seed=seed)


@EXAMPLES
@given(shape=shapes, seed=seeds, data=st.data())
def test_reshape_transpose_flatten(torch, shape, seed, data):
    ndim = len(shape)
    perm = data.draw(st.permutations(range(ndim)))
    size = int(np.prod(shape))
    new = data.draw(st.sampled_from([(size,), (-1,), shape[::-1], (1,) + shape + (1,), ()]
                                    if size == 1 else [(size,), (-1,), shape[::-1], (1,) + shape + (1,)]))
    check(torch, lambda x: x.transpose(perm).reshape(new), lambda t: t.permute(tuple(perm)).reshape(new),
          make(shape, seed), seed=seed)
    check(torch, lambda x: x.T.flatten() * 2, lambda t: t.permute(tuple(reversed(range(ndim)))).flatten() * 2,
          make(shape, seed), seed=seed)


@st.composite
def indices(draw, shape):
    """A basic or advanced index into ``shape``: ints and slices, or slices and one integer array
    (with repeats).  (An int and an array apart would differ: numpy, and we, broadcast them
    together as advanced indices, torch takes the int as basic.)"""
    count = draw(st.integers(1, len(shape)))
    array_at = draw(st.one_of(st.none(), st.integers(0, count - 1)))
    parts = []
    for axis, n in enumerate(shape[:count]):
        if axis == array_at:
            parts.append(np.array(draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=5))))
        elif array_at is None and draw(st.booleans()):
            parts.append(draw(st.integers(-n, n - 1)))
        else:
            start = draw(st.one_of(st.none(), st.integers(-n, n)))
            stop = draw(st.one_of(st.none(), st.integers(-n, n)))
            parts.append(slice(start, stop, draw(st.integers(1, 3))))
    return tuple(parts)


@EXAMPLES
@given(shape=array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=3), seed=seeds, data=st.data())
def test_indexing(torch, shape, seed, data):
    index = data.draw(indices(shape))
    tindex = tuple(torch.tensor(i) if isinstance(i, np.ndarray) else i for i in index)
    check(torch, lambda x: x[index] * 1.5, lambda t: t[tindex] * 1.5, make(shape, seed), seed=seed)


@EXAMPLES
@given(shape=array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=3), seed=seeds, data=st.data())
def test_boolean_masks(torch, shape, seed, data):
    k = data.draw(st.integers(1, len(shape)))
    skip = data.draw(st.integers(0, len(shape) - k))  # the mask covers axes skip .. skip + k - 1
    mask = np.random.default_rng(seed + 5).random(shape[skip:skip + k]) > 0.5
    rest = data.draw(st.sampled_from([(), (slice(None),)])) if skip + k < len(shape) else ()
    index = (slice(None),) * skip + (mask,) + rest
    tindex = (slice(None),) * skip + (torch.tensor(mask),) + rest
    check(torch, lambda x: x[index] * 2, lambda t: t[tindex] * 2, make(shape, seed), seed=seed)


@EXAMPLES
@given(shape=array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=3), seed=seeds, data=st.data(),
       log=st.booleans(), scale=st.sampled_from([1.0, 1000.0]))
def test_softmax_and_log_softmax(torch, shape, seed, data, log, scale):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = make(shape, seed) * scale
    f = (lambda x: x.log_softmax(axis)) if log else (lambda x: x.softmax(axis))
    g = (lambda t: t.log_softmax(axis)) if log else (lambda t: t.softmax(axis))
    if scale == 1.0:
        check(torch, f, g, x, seed=seed)
    else:  # central differences of a function this steep say little: torch only, gradients too
        xs, ts = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        out, t = f(xs), g(ts)
        np.testing.assert_allclose(out.data, t.detach().numpy(), rtol=1e-12, atol=1e-13)
        assert np.isfinite(out.data).all()
        upstream = make(out.shape, seed + 1)
        out.backward(upstream)
        t.backward(torch.tensor(upstream))
        np.testing.assert_allclose(xs.grad, ts.grad.numpy(), rtol=1e-12, atol=1e-13)


def test_softmax_of_a_0d_tensor(torch):
    """Unguarded: the gradient, 0 (softmax of one number is 1 whatever it is), as torch's."""
    for f in ("softmax", "log_softmax"):
        x, t = Tensor(2.0, requires_grad=True), torch.tensor(2.0, requires_grad=True)
        out, ref = getattr(x, f)(), getattr(t, f)(-1)
        assert out.item() == ref.item()
        out.backward(np.array(1.5))
        ref.backward(torch.tensor(1.5))
        assert x.grad.shape == () and x.grad == t.grad.item() == 0.0


@EXAMPLES
@given(shape=array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=3), seed=seeds, data=st.data(),
       count=st.integers(1, 3))
def test_concatenate_and_stack(torch, shape, seed, data, count):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    sizes = data.draw(st.lists(st.integers(1, 3), min_size=count, max_size=count))
    cat_shapes = [shape[:axis % len(shape)] + (s,) + shape[axis % len(shape) + 1:] for s in sizes]
    arrays = [make(s, seed + i) for i, s in enumerate(cat_shapes)]
    check(torch, lambda *xs: concatenate(xs, axis=axis), lambda *ts: torch.cat(ts, dim=axis),
          *arrays, seed=seed)
    new_axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    arrays = [make(shape, seed + i) for i in range(count)]
    check(torch, lambda *xs: stack(xs, axis=new_axis), lambda *ts: torch.stack(ts, dim=new_axis),
          *arrays, seed=seed)


@EXAMPLES
@given(shape=array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=3), seed=seeds, data=st.data())
def test_pad(torch, shape, seed, data):
    width = tuple(tuple(data.draw(st.integers(0, 2)) for _ in range(2)) for _ in shape)
    torch_pad = tuple(p for pair in reversed(width) for p in pair)
    check(torch, lambda x: x.pad(width), lambda t: torch.nn.functional.pad(t, torch_pad),
          make(shape, seed), seed=seed)


@EXAMPLES
@given(rows=array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3), sizes=st.tuples(
    st.integers(1, 4), st.integers(1, 4)), bias=st.booleans(), seed=seeds)
def test_linear(torch, rows, sizes, bias, seed):
    """One sample (no rows), a batch, or batches of batches: every leading axis holds samples."""
    n_in, n_out = sizes
    arrays = [make(rows + (n_in,), seed), make((n_out, n_in), seed + 1)]
    arrays += [make((n_out,), seed + 2)] if bias else []
    check(torch, linear, torch.nn.functional.linear, *arrays, seed=seed)


@st.composite
def conv_setups(draw, d):
    n, c, o = draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(1, 3))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(d))
    padding = tuple(draw(st.integers(0, 2)) for _ in range(d))
    spatial = tuple(draw(st.integers(max(1, k - 2 * p), 6)) for k, p in zip(kernel, padding))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(d))
    return (n, c) + spatial, (o, c) + kernel, stride, padding, draw(st.booleans())


@FEW
@given(setup=conv_setups(1), seed=seeds)
def test_conv1d(torch, setup, seed):
    xs, ws, stride, padding, bias = setup
    arrays = [make(xs, seed), make(ws, seed + 1)] + ([make(ws[:1], seed + 2)] if bias else [])
    check(torch, lambda x, w, *b: conv1d(x, w, *b, stride=stride, padding=padding),
          lambda x, w, *b: torch.nn.functional.conv1d(x, w, *b, stride=stride, padding=padding),
          *arrays, seed=seed)


@FEW
@given(setup=conv_setups(2), seed=seeds)
def test_conv2d(torch, setup, seed):
    xs, ws, stride, padding, bias = setup
    arrays = [make(xs, seed), make(ws, seed + 1)] + ([make(ws[:1], seed + 2)] if bias else [])
    check(torch, lambda x, w, *b: conv2d(x, w, *b, stride=stride, padding=padding),
          lambda x, w, *b: torch.nn.functional.conv2d(x, w, *b, stride=stride, padding=padding),
          *arrays, seed=seed)


@st.composite
def pool_setups(draw):
    """(kernel, stride or None, input shape) for max_pool2d: windows that fit the input."""
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = draw(st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 2)),
             draw(st.integers(kernel[0], 6)), draw(st.integers(kernel[1], 6)))
    return kernel, stride, shape


@FEW
@given(seed=seeds, setup=pool_setups())
def test_max_pool2d(torch, seed, setup):
    kernel, stride, shape = setup
    check(torch, lambda x: max_pool2d(x, kernel, stride),
          lambda t: torch.nn.functional.max_pool2d(t, kernel, stride), make(shape, seed), seed=seed)


SECOND_ORDER = {
    "elementwise": (lambda a, b: (a * b).tanh() * a + (a - b).sigmoid() / (1 + b * b) + (a * b).sin(),
                    lambda a, b: (a * b).tanh() * a + (a - b).sigmoid() / (1 + b * b) + (a * b).sin()),
    "powers": (lambda a, b: (a * a + 1) ** (b * 0.5) + (a * a + 1).log() * b.exp(),
               lambda a, b: (a * a + 1) ** (b * 0.5) + (a * a + 1).log() * b.exp()),
    "reductions": (lambda a, b: (a * b).sum(axis=-1, keepdims=True) ** 2 * (a + b).mean()
                   + (a * b).max() ** 3,
                   lambda a, b: (a * b).sum(dim=-1, keepdim=True) ** 2 * (a + b).mean()
                   + (a * b).amax() ** 3),
}


@FEW
@given(shape_pair=pairs, name=st.sampled_from(sorted(SECOND_ORDER)), seed=seeds)
def test_hessian_vector_products(torch, shape_pair, name, seed):
    sa, sb = shape_pair.input_shapes
    f, g = SECOND_ORDER[name]
    arrays = [make(sa, seed), make(sb, seed + 1)]
    vs = [make(sa, seed + 2), make(sb, seed + 3)]
    xs = [Tensor(a, requires_grad=True) for a in arrays]
    grads = gradients(f(*xs).sum(), xs, create_graph=True)
    hv = gradients(sum(((gx * v).sum() for gx, v in zip(grads, vs)), Tensor(0.0)), xs)
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    tgrads = torch.autograd.grad(g(*ts).sum(), ts, create_graph=True)
    thv = torch.autograd.grad(sum((tg * torch.tensor(v)).sum() for tg, v in zip(tgrads, vs)), ts)
    for ours, theirs in zip(grads, tgrads):
        np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-12, atol=1e-13)
    for ours, theirs in zip(hv, thv):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-11, atol=1e-12)


def _reversed_axes(x):
    return tuple(reversed(range(x.ndim)))


ONE_INPUT_SECOND_ORDER = {  # name: (ours f(x, w), torch's g(torch, t, w)); w is a constant (x.shape[-1], 2)
    "transpose, reshape": (
        lambda x, w: x.transpose(_reversed_axes(x)) * x.reshape(x.shape[::-1]).tanh(),
        lambda torch, t, w: t.permute(_reversed_axes(t)) * t.reshape(tuple(t.shape)[::-1]).tanh()),
    "softmax, log_softmax": (
        lambda x, w: x.softmax(-1) * x + x.log_softmax(0) ** 2,
        lambda torch, t, w: t.softmax(-1) * t + t.log_softmax(0) ** 2),
    "indexing, flatten": (
        lambda x, w: x[..., ::-1] * x.sigmoid() + x.flatten()[0] ** 3,
        lambda torch, t, w: t.flip(-1) * t.sigmoid() + t.flatten()[0] ** 3),
    "matmul": (
        lambda x, w: (x @ w).tanh() * (x @ w),
        lambda torch, t, w: (t @ w).tanh() * (t @ w)),
    "concatenate, stack": (
        lambda x, w: concatenate([x, x * x], axis=-1).sigmoid().sum(axis=-1, keepdims=True)
        * stack([x.sin(), x], axis=0).sum(axis=0) ** 2,
        lambda torch, t, w: torch.cat([t, t * t], -1).sigmoid().sum(-1, keepdim=True)
        * torch.stack([t.sin(), t], 0).sum(0) ** 2),
    "max, min, pad": (
        lambda x, w: (x * x).max(axis=-1, keepdims=True) * x + x.pad(1).tanh().sum() * x.min(),
        lambda torch, t, w: (t * t).amax(-1, keepdim=True) * t
        + torch.nn.functional.pad(t, (1, 1) * t.ndim).tanh().sum() * t.amin()),
}


@FEW
@given(shape=array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=3),
       name=st.sampled_from(sorted(ONE_INPUT_SECOND_ORDER)), seed=seeds)
def test_hessian_vector_products_through_shape_ops(torch, shape, name, seed):
    x0, v, w = make(shape, seed), make(shape, seed + 1), make((shape[-1], 2), seed + 2)
    f, g = ONE_INPUT_SECOND_ORDER[name]
    x = Tensor(x0, requires_grad=True)
    (gx,) = gradients(f(x, Tensor(w)).sum(), [x], create_graph=True)
    (hv,) = gradients((gx * v).sum(), [x])
    t = torch.tensor(x0, requires_grad=True)
    (tg,) = torch.autograd.grad(g(torch, t, torch.tensor(w)).sum(), t, create_graph=True)
    (thv,) = torch.autograd.grad((tg * torch.tensor(v)).sum(), t)
    np.testing.assert_allclose(gx.data, tg.detach().numpy(), rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(hv, thv.numpy(), rtol=1e-11, atol=1e-12)


def hvp_check(torch, f, g, *arrays, seed=0):
    """Gradients (create_graph) and Hessian-vector products of scalar f, against torch's g."""
    vs = [make(a.shape, seed + 10 + i) for i, a in enumerate(arrays)]
    leaves = [Tensor(a, requires_grad=True) for a in arrays]
    grads = gradients(f(*leaves), leaves, create_graph=True)
    hv = gradients(sum(((gx * v).sum() for gx, v in zip(grads, vs)), Tensor(0.0)), leaves)
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    tgrads = torch.autograd.grad(g(*ts), ts, create_graph=True)
    thv = torch.autograd.grad(sum((tg * torch.tensor(v)).sum() for tg, v in zip(tgrads, vs)), ts)
    for ours, theirs in zip(grads, tgrads):
        np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-12, atol=1e-13)
    for ours, theirs in zip(hv, thv):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-11, atol=1e-12)


@FEW
@given(setup=conv_setups(2), seed=seeds)
def test_hessian_vector_products_through_conv2d(torch, setup, seed):
    """Unguarded: the bias (conv_setups drew it, this test left it out)."""
    xs, ws, stride, padding, bias = setup
    arrays = [make(xs, seed), make(ws, seed + 1)] + ([make(ws[:1], seed + 2)] if bias else [])
    hvp_check(torch, lambda *xs: (conv2d(*xs, stride=stride, padding=padding).tanh() ** 2).sum(),
              lambda *ts: (torch.nn.functional.conv2d(*ts, stride=stride, padding=padding).tanh() ** 2).sum(),
              *arrays, seed=seed)


@FEW
@given(setup=conv_setups(1), seed=seeds)
def test_hessian_vector_products_through_conv1d(torch, setup, seed):
    """Unguarded: conv1d's second derivatives over hypothesis shapes, with and without a bias."""
    xs, ws, stride, padding, bias = setup
    arrays = [make(xs, seed), make(ws, seed + 1)] + ([make(ws[:1], seed + 2)] if bias else [])
    F = torch.nn.functional
    hvp_check(torch, lambda *xs: (conv1d(*xs, stride=stride, padding=padding).sin() * 2).tanh().sum(),
              lambda *ts: (F.conv1d(*ts, stride=stride, padding=padding).sin() * 2).tanh().sum(),
              *arrays, seed=seed)


@FEW
@given(seed=seeds, setup=pool_setups())
def test_hessian_vector_products_through_max_pool2d(torch, seed, setup):
    """Unguarded: max_pool2d's second derivatives over hypothesis shapes, kernels and strides."""
    kernel, stride, shape = setup
    hvp_check(torch, lambda x: (max_pool2d(x * x.sin(), kernel, stride).tanh() ** 3).sum(),
              lambda t: (torch.nn.functional.max_pool2d(t * t.sin(), kernel, stride).tanh() ** 3).sum(),
              make(shape, seed), seed=seed)


# -- random compositions: each op's second derivatives meet the others' ----------------------------

# (name, arity, ours, torch's): closed over shapes that broadcast to (2, 3), smooth where drawn
COMPOSED = [
    ("+", 2, lambda a, b: a + b, lambda a, b: a + b),
    ("-", 2, lambda a, b: a - b, lambda a, b: a - b),
    ("*", 2, lambda a, b: a * b, lambda a, b: a * b),
    ("/", 2, lambda a, b: a / (b * b + 1.5), lambda a, b: a / (b * b + 1.5)),
    ("tanh", 1, lambda a: a.tanh(), lambda a: a.tanh()),
    ("sigmoid", 1, lambda a: a.sigmoid(), lambda a: a.sigmoid()),
    ("exp", 1, lambda a: a.tanh().exp(), lambda a: a.tanh().exp()),
    ("log", 1, lambda a: (a * a + 0.5).log(), lambda a: (a * a + 0.5).log()),
    ("**3", 1, lambda a: a ** 3, lambda a: a ** 3),
    ("mean", 1, lambda a: a.mean(axis=-1, keepdims=True) if a.ndim else a,
     lambda a: a.mean(dim=-1, keepdim=True) if a.ndim else a),
    ("max", 1, lambda a: a.max(axis=-1, keepdims=True) if a.ndim else a,
     lambda a: a.amax(dim=-1, keepdim=True) if a.ndim else a),
    ("softmax", 1, lambda a: a.softmax(axis=-1) if a.ndim else a,
     lambda a: a.softmax(dim=-1) if a.ndim else a),
    ("log_softmax", 1, lambda a: a.log_softmax(axis=-1) if a.ndim else a,
     lambda a: a.log_softmax(dim=-1) if a.ndim else a),
]


@st.composite
def compositions(draw):
    """Leaf shapes, and steps (op, operand indices) over the nodes so far: reused, broadcast."""
    leaves = draw(st.lists(st.sampled_from([(), (3,), (2, 1), (1, 3), (2, 3)]), min_size=1, max_size=3))
    steps = []
    for k in range(draw(st.integers(2, 7))):
        op = draw(st.integers(0, len(COMPOSED) - 1))
        picks = tuple(draw(st.integers(0, len(leaves) + k - 1)) for _ in range(COMPOSED[op][1]))
        steps.append((op, picks))
    return leaves, steps


def run_composition(steps, leaves, lib):
    nodes = list(leaves)
    for op, picks in steps:
        nodes.append(COMPOSED[op][2 + lib](*(nodes[i] for i in picks)))
    inner = sum(n.sum() for n in nodes[len(leaves):-1]) * 0.5  # (every node reaches the loss,
    squares = sum((x * x).sum() for x in leaves) * 0.25  # every leaf its second derivatives)
    return (nodes[-1] * nodes[-1]).sum() + inner + squares


@FEW
@given(setup=compositions(), seed=seeds)
def test_random_compositions_match_torch_to_second_order(torch, setup, seed):
    """Single ops were checked to second order, composed graphs only to first (in test_hypothesis,
    of Values): here reused nodes, broadcasting and reductions meet in one Hessian."""
    shapes, steps = setup
    arrays = [make(s, seed + i) for i, s in enumerate(shapes)]
    hvp_check(torch, lambda *xs: run_composition(steps, xs, 0), lambda *ts: run_composition(steps, ts, 1),
              *arrays, seed=seed)
