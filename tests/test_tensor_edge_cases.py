"""Tensor at the edges, against PyTorch (float64; float32 where float32 is the point): broadcast
integer index arrays with repeats, sqrt and log at 0 and below (infinities and nans to second
order), kinks and ties to second order, size-0 dimensions, negative axes, Fortran-order and
strided arrays, negative-step indices, float32 kept through float64 numbers, and non-numeric
arrays refused with a TypeError.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes
from test_tensor_hypothesis import BINARY, EXAMPLES, FEW, axes, check, make, reduction, seeds
from test_tensor_torch import compare, hvp_compare, rand

from autograd import Tensor, concatenate, conv2d, gradients, max_pool2d, stack, topological_order

pytestmark = pytest.mark.torch


def against_torch(torch, f, g, *arrays, seed=0):
    """``check`` without gradcheck (for outputs that may be nan): values and gradients against torch."""
    xs = [Tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, ref = f(*xs), g(*ts)
    assert type(out.data) is np.ndarray and out.shape == tuple(ref.shape) and out.dtype == np.float64
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-12, atol=1e-13)
    upstream = make(out.shape, seed + 1)
    out.backward(upstream)
    ref.backward(torch.tensor(upstream))
    for x, t in zip(xs, ts):
        assert type(x.grad) is np.ndarray and x.grad.shape == x.shape and x.grad.dtype == np.float64
        np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-12, atol=1e-13)


def torch_index(index, torch):
    """``index`` with its integer arrays as torch tensors (torch's own indexing, not numpy's)."""
    return tuple(torch.tensor(i) if isinstance(i, np.ndarray) else i for i in index)


# -- 1. integer index arrays that broadcast against each other, with repeats -------------------------

BROADCAST_INDICES = {
    "column against row": (np.array([[0], [0], [3]]), np.array([1, 1, 2])),
    "column against row, negative": (np.array([[-1], [3], [-1]]), np.array([-5, 0, -5, 4])),
    "arrays then a slice": (np.array([[2, 2], [0, 2]]), slice(None)),
    "slice then a 2-d array": (slice(None), np.array([[4, 4, 0], [-1, 4, 1]])),
    "two arrays of one element against many": (np.array([3]), np.array([[2, 2], [2, 0]])),
    "arrays apart by a slice": (np.array([[0], [0]]), slice(1, None), np.array([1, 1, -1])),
}


@pytest.mark.parametrize("name", BROADCAST_INDICES)
def test_broadcast_index_arrays_accumulate_repeats_as_torch(torch, name):
    """Guards the scatter of x[i, j] with broadcasting index arrays: every repeat adds its share."""
    index = BROADCAST_INDICES[name]
    shape = (4, 5) if len(index) == 2 else (4, 3, 5)
    check(torch, lambda x: x[index] * 1.5, lambda t: t[torch_index(index, torch)] * 1.5, make(shape, 1))


@st.composite
def broadcast_index_setups(draw):
    """A 2-D to 4-D shape and an index with two integer arrays of broadcastable shapes (repeats
    and negative entries likely), on two of its axes, slices on the others before the last array."""
    shape = draw(array_shapes(min_dims=2, max_dims=4, min_side=1, max_side=4))
    first = draw(st.integers(0, len(shape) - 2))
    second = draw(st.integers(first + 1, len(shape) - 1))
    index_shapes = draw(mutually_broadcastable_shapes(num_shapes=2, min_dims=1, max_dims=3, max_side=3))
    arrays = [draw(hnp.arrays(np.intp, s, elements=st.integers(-shape[axis], shape[axis] - 1)))
              for axis, s in zip((first, second), index_shapes.input_shapes)]
    slices = st.sampled_from([slice(None), slice(1, None), slice(None, None, 2), slice(None, -1)])
    index = tuple(arrays[0] if axis == first else arrays[1] if axis == second else draw(slices)
                  for axis in range(second + 1))
    return shape, index


@EXAMPLES
@given(setup=broadcast_index_setups(), seed=seeds)
def test_broadcast_index_arrays_over_hypothesis_shapes(torch, setup, seed):
    """Guards indexing by two broadcasting integer arrays (adjacent or apart): values, repeats' sums."""
    shape, index = setup
    check(torch, lambda x: x[index] * 1.5, lambda t: t[torch_index(index, torch)] * 1.5, make(shape, seed),
          seed=seed)


# -- 2. sqrt and log at 0 and below ----------------------------------------------------------------

AT_ZERO = np.array([0.0, -0.0, -1.0, 5e-324, 1e-300, 0.25, 4.0])  # (5e-324: 1/x overflows to inf)


def assert_same_specials(ours, theirs, what):
    """nan and +-inf in the same places as torch's, the finite entries close."""
    theirs = theirs.detach().numpy()
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype, what
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs), err_msg=f"{what}: nan")
    np.testing.assert_array_equal(np.where(np.isinf(ours), ours, 0), np.where(np.isinf(theirs), theirs, 0),
                                  err_msg=f"{what}: inf")
    finite = np.isfinite(theirs)
    np.testing.assert_allclose(ours[finite], theirs[finite], rtol=1e-12, atol=0, err_msg=what)


@pytest.mark.parametrize("name", ["sqrt", "log"])
def test_sqrt_and_log_at_zero_and_below_match_torch_to_second_order(torch, name):
    """Guards the infinite slopes at 0 (signed, -0.0 too), the nan below, and their derivatives."""
    w, v = rand(AT_ZERO.size, seed=1), rand(AT_ZERO.size, seed=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # none may leak: numpy's are silenced at the source
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            x = Tensor(AT_ZERO, requires_grad=True)
            y = getattr(x, name)()
            y.backward(w)
            x2 = Tensor(AT_ZERO, requires_grad=True)
            (gx,) = gradients((getattr(x2, name)() * w).sum(), [x2], create_graph=True)
            (hv,) = gradients((gx * v).sum(), [x2])
    t = torch.tensor(AT_ZERO, requires_grad=True)
    ty = getattr(t, name)()
    ty.backward(torch.tensor(w))
    assert_same_specials(y.data, ty, "value")
    zeros = ty.detach().numpy() == 0
    np.testing.assert_array_equal(np.signbit(y.data[zeros]), np.signbit(ty.detach().numpy()[zeros]))
    assert_same_specials(x.grad, t.grad, "gradient")
    t2 = torch.tensor(AT_ZERO, requires_grad=True)
    (tg,) = torch.autograd.grad((getattr(t2, name)() * torch.tensor(w)).sum(), t2, create_graph=True)
    (thv,) = torch.autograd.grad((tg * torch.tensor(v)).sum(), t2)
    assert_same_specials(gx.data, tg, "gradient under create_graph")
    assert_same_specials(hv, thv, "second derivative")
    assert np.isinf(hv[:2]).all() and np.isinf(x.grad[:2]).all()  # (the point of the test: at 0)


# -- 3. second order at kinks and ties ---------------------------------------------------------------

KINKS = {  # name: (ours, torch's, input with points exactly on the kink)
    "relu": (lambda a: a.relu(), lambda t: t.relu(), np.array([-1.0, 0.0, -0.0, 0.5, 0.0, 2.0])),
    "abs": (lambda a: a.abs(), lambda t: t.abs(), np.array([-1.0, 0.0, -0.0, 0.5, 0.0, 2.0])),
    "clip": (lambda a: a.clip(-0.5, 0.75), lambda t: t.clamp(-0.5, 0.75),
             np.array([-0.5, 0.75, -0.5, 0.75, -1.0, 0.0, 2.0])),
}


@pytest.mark.parametrize("name", KINKS)
def test_kinks_match_torch_to_second_order(torch, name):
    """Guards relu'(0) = abs'(0) = 0 and clip' = 1 at both bounds, also inside second derivatives."""
    f, g, x = KINKS[name]
    compare(torch, f, g, x, exact=True)
    hvp_compare(torch, lambda a: (f(a) * a.exp() + f(a) ** 3).sum(),
                lambda t: (g(t) * t.exp() + g(t) ** 3).sum(), x)


TIED = np.random.default_rng(7).integers(-1, 2, size=(2, 3, 4)).astype(float)  # many ties in every slice


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 2), (-1, -2)], ids=str)
@pytest.mark.parametrize("kind", ["max", "min"])
def test_tied_max_and_min_match_torch_amax_to_second_order(torch, kind, axis, keepdims):
    """Guards the equal split of a tie's gradient (torch.amax/amin) inside Hessian-vector products."""
    reduce_t = torch.amax if kind == "max" else torch.amin
    dims = tuple(range(3)) if axis is None else axis
    hvp_compare(torch, lambda a: (getattr(a * a.exp(), kind)(axis=axis, keepdims=keepdims) ** 3).sum()
                + (getattr(a, kind)(axis=axis, keepdims=keepdims) * a.sin().sum()).sum(),
                lambda t: (reduce_t(t * t.exp(), dim=dims, keepdim=keepdims) ** 3).sum()
                + (reduce_t(t, dim=dims, keepdim=keepdims) * t.sin().sum()).sum(), TIED)


@pytest.mark.parametrize("kind", ["max", "min"])
def test_full_max_and_min_with_ties_match_torch_to_second_order(torch, kind):
    """Guards x.max() / x.min() of everything, ties included, against torch's t.max() / t.min()."""
    x = np.array([[2.0, -1.0, 2.0], [-1.0, 2.0, 0.5]])
    compare(torch, lambda a: getattr(a, kind)(), lambda t: getattr(t, kind)(), x)
    hvp_compare(torch, lambda a: getattr(a * a.exp(), kind)() ** 3 + getattr(a, kind)() * a.sin().sum(),
                lambda t: getattr(t * t.exp(), kind)() ** 3 + getattr(t, kind)() * t.sin().sum(), x)


@pytest.mark.parametrize("kernel, stride", [(2, 2), (2, 1), (3, 1), ((1, 3), (1, 2))], ids=str)
def test_max_pool2d_with_tied_windows_matches_torch_to_second_order(torch, kernel, stride):
    """Guards max_pool2d's tie rule (the first maximum of a window takes it all, as torch) to 2nd order."""
    x = np.random.default_rng(8).integers(0, 2, size=(2, 1, 5, 6)).astype(float)
    F = torch.nn.functional
    compare(torch, lambda a: max_pool2d(a, kernel, stride), lambda t: F.max_pool2d(t, kernel, stride), x)
    hvp_compare(torch, lambda a: (max_pool2d(a * a.exp(), kernel, stride) ** 3).sum(),
                lambda t: (F.max_pool2d(t * t.exp(), kernel, stride) ** 3).sum(), x)


# -- 4. awkward shapes and layouts ------------------------------------------------------------------

empty_pairs = mutually_broadcastable_shapes(num_shapes=2, min_dims=1, max_dims=4, min_side=0, max_side=3)
empty_shapes = array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=3)
UNARY = {"exp": lambda x: x.exp(), "tanh": lambda x: x.tanh(), "sigmoid": lambda x: x.sigmoid(),
         "relu": lambda x: x.relu(), "abs": lambda x: x.abs(), "neg": lambda x: -x,
         "square": lambda x: x ** 2, "clip": lambda x: x.clip(-0.5, 0.5)}
TORCH_UNARY = {"relu": lambda t: t.relu(), "clip": lambda t: t.clamp(-0.5, 0.5)}


@EXAMPLES
@given(shape_pair=empty_pairs, op=st.sampled_from(sorted(BINARY)), name=st.sampled_from(sorted(UNARY)),
       seed=seeds)
def test_elementwise_ops_of_size_0_tensors(torch, shape_pair, op, name, seed):
    """Guards broadcasting and sum_to when a dimension has size 0 (values, gradient shapes, dtypes)."""
    assume(0 in shape_pair.result_shape)
    sa, sb = shape_pair.input_shapes
    f = BINARY[op][0]
    u, tu = UNARY[name], TORCH_UNARY.get(name, UNARY[name])
    check(torch, lambda a, b: u(f(a, b)), lambda a, b: tu(f(a, b)),
          make(sa, seed, "positive"), make(sb, seed + 1, "nonzero"), seed=seed)


@EXAMPLES
@given(data=st.data(), shape=empty_shapes, name=st.sampled_from(["sum", "mean", "max", "min"]),
       keepdims=st.booleans(), seed=seeds)
def test_reductions_of_size_0_tensors(torch, data, shape, name, keepdims, seed):
    """Guards size-0 reductions: torch's values (mean of nothing: nan), and max/min over nothing refused."""
    assume(0 in shape)
    axis = data.draw(axes(shape))
    dims = tuple(range(len(shape))) if axis is None else axis
    f, g = reduction(torch, name, axis, keepdims, len(shape))
    x = make(shape, seed)
    reduced = [shape[a] for a in (dims if isinstance(dims, tuple) else (dims,))]
    if name in ("max", "min") and 0 in reduced:
        with pytest.raises(ValueError, match=rf"{name}\(\) over an empty axis of a tensor of shape"):
            f(Tensor(x, requires_grad=True))
        with pytest.raises((IndexError, RuntimeError)):
            g(torch.tensor(x))
        return
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Mean of empty slice", RuntimeWarning)
        with np.errstate(invalid="ignore", divide="ignore"):
            against_torch(torch, f, g, x, seed=seed)


@st.composite
def empty_matmul_shapes(draw):
    """Operands of a matmul whose inner dimension is 0 (1-D, 2-D or batched), outer ones maybe 0 too."""
    m, n = draw(st.integers(0, 3)), draw(st.integers(0, 3))
    kind = draw(st.sampled_from(["1@1", "1@n", "n@1", "n@n"]))
    batches = draw(mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2, max_side=3))
    ba, bb = batches.input_shapes
    return ((0,) if kind[0] == "1" else ba + (m, 0)), ((0,) if kind[-1] == "1" else bb + (0, n))


@EXAMPLES
@given(sab=empty_matmul_shapes(), seed=seeds)
def test_matmul_with_a_size_0_inner_dimension(torch, sab, seed):
    """Guards a @ b summing over nothing: zeros of torch's shape, and gradients of the inputs' shapes."""
    sa, sb = sab
    c = make(np.shape(np.zeros(sa) @ np.zeros(sb)), seed + 5)  # a parameter that gets a real gradient
    check(torch, lambda a, b, c: (a @ b + c) * c, lambda a, b, c: (a @ b + c) * c,
          make(sa, seed), make(sb, seed + 1), c, seed=seed)


@EXAMPLES
@given(shape=array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=3), seed=seeds, data=st.data(),
       name=st.sampled_from(["sum", "mean", "max", "min", "softmax"]), keepdims=st.booleans())
def test_negative_axes_and_negative_transpose_permutations(torch, shape, seed, data, name, keepdims):
    """Guards axis normalisation: a permutation and reduction axes written as negative numbers."""
    ndim = len(shape)
    perm = data.draw(st.permutations(range(ndim)))
    signed_perm = tuple(a - ndim if data.draw(st.booleans()) else a for a in perm)  # (some, or all)
    several = st.lists(st.integers(-ndim, -1), min_size=1, max_size=ndim, unique=True).map(tuple)
    axis = data.draw(st.one_of(st.integers(-ndim, -1), several))
    if name == "softmax":
        axis = axis if isinstance(axis, int) else axis[0]
        g_reduce = lambda t: t.softmax(dim=axis)  # noqa: E731
        f_reduce = lambda x: x.softmax(axis)  # noqa: E731
    else:
        t_name = {"max": "amax", "min": "amin"}.get(name, name)
        g_reduce = lambda t: getattr(t, t_name)(dim=axis, keepdim=keepdims)  # noqa: E731
        f_reduce = lambda x: getattr(x, name)(axis=axis, keepdims=keepdims)  # noqa: E731
    check(torch, lambda x: f_reduce(x.transpose(signed_perm) * 2.0),
          lambda t: g_reduce(t.permute(tuple(perm)) * 2.0), make(shape, seed), seed=seed)
    check(torch, lambda x: x.transpose(*signed_perm).reshape(-1) ** 2,
          lambda t: t.permute(tuple(perm)).reshape(-1) ** 2, make(shape, seed), seed=seed)


def fortran(a):
    return np.asfortranarray(a)


def every_other(a):
    """The numbers of ``a`` as a view of every second row of a larger array."""
    wide = np.zeros((2 * a.shape[0],) + a.shape[1:])
    wide[::2] = a
    return wide[::2]


def reversed_columns(a):
    """The numbers of ``a`` as a view with a negative stride along its last axis."""
    return np.ascontiguousarray(a[..., ::-1])[..., ::-1]


def transposed(a):
    """The numbers of ``a`` as the transpose of a C-ordered array (so itself in Fortran order)."""
    return np.ascontiguousarray(a.T).T


LAYOUTS = {"C": np.ascontiguousarray, "fortran": fortran, "every other row": every_other,
           "reversed columns": reversed_columns, "transposed": transposed}


def reduce(a, name, axis):
    """``a.name(axis, keepdims=True)``, ours or torch's (amax and amin for max and min)."""
    if isinstance(a, Tensor):
        return getattr(a, name)(axis=axis, keepdims=True)
    return getattr(a, {"max": "amax", "min": "amin"}.get(name, name))(dim=axis, keepdim=True)


def layout_cases(flip, pool):
    """name: f(x, c, w), x a leaf (2r, k), c a constant (r, k) and w one (k, m), both laid out in
    memory as drawn; x[::2] and the reversals are views made inside the graph.  ``flip`` reverses
    the last axis (x[..., ::-1] for us, flip(-1) for torch), ``pool`` is max_pool2d."""
    def image(a):  # (r, k) as an image (1, 1, k, r), through a transpose
        return a.T.reshape(1, 1, a.shape[1], a.shape[0])

    return {
        "elementwise": lambda x, c, w: (x[::2] * c + flip(x[1::2]).tanh() / (1.5 + c * c)
                                        - c.sigmoid() * flip(c)),
        "matmul": lambda x, c, w: (x[::2] * c) @ w + flip(x[1::2]) @ flip(w.T).T,
        "reductions": lambda x, c, w: (reduce(x[::2] * c, "max", 0) + reduce(flip(x[1::2]), "sum", -1)
                                       + reduce(c * x[1::2], "mean", 0) * reduce(x[::2], "min", -1)),
        "reshape, transpose": lambda x, c, w: ((x[::2] * c).T.reshape(-1) * c.T.reshape(-1)
                                               + flip(x[1::2]).T.reshape(-1) ** 2
                                               + (x[1::2] * c).reshape(c.shape[::-1]).T.reshape(-1)),
        "max_pool2d": lambda x, c, w: pool(image(x[::2] * c) * image(flip(c)), (2, 1), 1)
        + pool(image(flip(x[1::2])), (1, 2), 1).sum(),
    }


OUR_LAYOUT_CASES = layout_cases(lambda a: a[..., ::-1], max_pool2d)


@pytest.mark.parametrize("name", OUR_LAYOUT_CASES)
@FEW
@given(r=st.integers(2, 4), k=st.integers(2, 4), m=st.integers(1, 3), seed=seeds,
       layout_c=st.sampled_from(sorted(LAYOUTS)), layout_w=st.sampled_from(sorted(LAYOUTS)))
def test_fortran_order_and_strided_arrays(torch, name, r, k, m, seed, layout_c, layout_w):
    """Guards code that reads memory order (ravel, reshape, windows) against Fortran and strided arrays."""
    c, w = LAYOUTS[layout_c](make((r, k), seed + 1)), LAYOUTS[layout_w](make((k, m), seed + 2))
    assert layout_c == "C" or not c.flags.c_contiguous  # (the layout really is awkward)
    f = OUR_LAYOUT_CASES[name]
    g = layout_cases(lambda t: t.flip(-1), torch.nn.functional.max_pool2d)[name]
    tc, tw = torch.tensor(c.copy()), torch.tensor(w.copy())  # (torch takes no negative strides)
    check(torch, lambda x: f(x, Tensor(c), Tensor(w)), lambda t: g(t, tc, tw), make((2 * r, k), seed),
          seed=seed)


@st.composite
def stepped_indices(draw, shape):
    """An index into ``shape`` of ints and slices of any step (negative too), maybe with a run of
    axes replaced by an Ellipsis and Nones anywhere; and the same index for torch, which takes no
    negative step: (axes to flip first, index with the reversed slices made positive)."""
    ours, theirs, flips = [], [], []
    for axis, n in enumerate(shape):
        if draw(st.integers(0, 3)) == 0:
            i = draw(st.integers(-n, n - 1))
            ours.append(i)
            theirs.append(i)
            continue
        step = draw(st.sampled_from([-3, -2, -1, 1, 2, 3]))
        s = slice(draw(st.one_of(st.none(), st.integers(-n - 1, n + 1))),
                  draw(st.one_of(st.none(), st.integers(-n - 1, n + 1))), step)
        ours.append(s)
        if step > 0:
            theirs.append(s)
            continue
        flips.append(axis)  # in the flipped axis element i is n - 1 - i: the same picks, in order
        picked = range(n)[s]
        theirs.append(slice(n - 1 - picked[0], n - picked[-1], -step) if len(picked) else slice(0, 0))
    lo = draw(st.integers(0, len(shape)))
    hi = draw(st.integers(lo, len(shape)))
    if draw(st.booleans()):  # an Ellipsis for axes lo..hi-1 (maybe none), taken whole
        flips = [a for a in flips if not lo <= a < hi]
        ours[lo:hi], theirs[lo:hi] = [Ellipsis], [Ellipsis]
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(ours)))
        ours.insert(at, None)
        theirs.insert(at, None)
    return tuple(ours), tuple(flips), tuple(theirs)


@EXAMPLES
@given(shape=array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=4), seed=seeds, data=st.data())
def test_indices_with_negative_steps_none_and_ellipsis(torch, shape, seed, data):
    """Guards basic indexing's scatter back: negative-step slices, new axes and an Ellipsis."""
    index, flips, torch_index_ = data.draw(stepped_indices(shape))
    check(torch, lambda x: x[index] * 1.5, lambda t: (t.flip(flips) if flips else t)[torch_index_] * 1.5,
          make(shape, seed), seed=seed)


# -- 5. float32 kept through float64 numbers, to second order ---------------------------------------

NUMBERS = {  # name: (the float64 number for us, for torch given the torch module)
    "python float": (2.0, lambda torch: 2.0),
    "np.float64": (np.float64(2.0), lambda torch: torch.tensor(2.0, dtype=torch.float64)),
    "0-d float64 array": (np.array(2.0), lambda torch: torch.tensor(2.0, dtype=torch.float64)),
}
FLOAT32_OPS = {
    "+": lambda x, c: x + c, "c+": lambda x, c: c + x, "-": lambda x, c: x - c, "c-": lambda x, c: c - x,
    "*": lambda x, c: x * c, "c*": lambda x, c: c * x, "/": lambda x, c: x / c, "c/": lambda x, c: c / x,
    "**": lambda x, c: x ** c, "c**": lambda x, c: c ** x,
    "clip": lambda x, c: x.clip(c * 0.4, c * 0.6) if isinstance(x, Tensor) else x.clamp(c * 0.4, c * 0.6),
}


@pytest.mark.parametrize("number", NUMBERS)
@pytest.mark.parametrize("op", FLOAT32_OPS)
def test_float32_stays_float32_through_float64_numbers_to_second_order(torch, op, number):
    """Guards float32 values, gradients and second-order graphs against widening by float64 numbers."""
    x0, v = make((2, 3), 1, "positive").astype(np.float32), make((2, 3), 2).astype(np.float32)
    f, (c, torch_c) = FLOAT32_OPS[op], NUMBERS[number]
    tc = torch_c(torch)

    def loss(x, c):  # the op, then @ and tanh: second derivatives through all of them
        y = f(x, c)
        return (y @ (x * y).T).tanh().sum() + (y * y * x).sum(), y

    x = Tensor(x0, requires_grad=True)
    out, y = loss(x, c)
    assert y.dtype == out.dtype == np.float32
    out.backward()
    assert type(x.grad) is np.ndarray and x.grad.dtype == np.float32
    x2 = Tensor(x0, requires_grad=True)
    (gx,) = gradients(loss(x2, c)[0], [x2], create_graph=True)
    widened = {n.op or "leaf": n.dtype for n in topological_order(gx) if n.dtype != np.float32}
    assert gx.dtype == np.float32 and not widened, f"float32 widened in the gradient's graph: {widened}"
    (hv,) = gradients((gx * v).sum(), [x2])
    assert type(hv) is np.ndarray and hv.dtype == np.float32

    t = torch.tensor(x0, requires_grad=True)
    tout, ty = loss(t, tc)
    assert ty.dtype == tout.dtype == torch.float32  # (torch's rule too: a number does not widen)
    (tg,) = torch.autograd.grad(tout, t, create_graph=True)
    (thv,) = torch.autograd.grad((tg * torch.tensor(v)).sum(), t)
    assert tg.dtype == thv.dtype == torch.float32
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-5)
    np.testing.assert_allclose(x.grad, tg.detach().numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(gx.data, tg.detach().numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(hv, thv.numpy(), rtol=1e-4, atol=1e-4)


# -- 6. object and string arrays refused ------------------------------------------------------------

NON_NUMBERS = {
    "object": np.array([1, "a"], dtype=object),
    "strings": np.array(["a", "b"]),
    "numbers as objects": np.array([1.0, 2.0], dtype=object),
    "bytes": np.array([b"a", b"b"]),
}
REFUSING = {
    "x + bad": lambda x, bad: x + bad, "bad + x": lambda x, bad: bad + x, "x * bad": lambda x, bad: x * bad,
    "bad * x": lambda x, bad: bad * x, "x - bad": lambda x, bad: x - bad, "x / bad": lambda x, bad: x / bad,
    "x ** bad": lambda x, bad: x ** bad, "x @ bad": lambda x, bad: x @ bad,
    "backward(gradient=bad)": lambda x, bad: (x * 2.0).backward(gradient=bad),
    "backward of one element": lambda x, bad: x[:1].backward(gradient=bad[1:]),
    "concatenate": lambda x, bad: concatenate([x, bad]),
    "concatenate, first": lambda x, bad: concatenate([bad, x]),
    "stack": lambda x, bad: stack([x, bad]),
    "conv2d weight": lambda x, bad: conv2d(x.reshape(1, 1, 1, 2), bad.reshape(1, 1, 1, 2)),
}


@pytest.mark.parametrize("kind", NON_NUMBERS)
@pytest.mark.parametrize("call", REFUSING)
def test_object_and_string_arrays_are_a_type_error_that_names_the_dtype(call, kind):
    """Guards against non-numeric arrays slipping into a graph (or a ValueError from deep in numpy)."""
    bad = NON_NUMBERS[kind]
    x = Tensor([1.0, 2.0], requires_grad=True)
    what = rf"takes numbers, got an array of dtype {re.escape(str(bad.dtype))} \(mixed or non-numeric"
    with pytest.raises(TypeError, match=what):
        REFUSING[call](x, bad)
    assert x.grad is None  # (nothing half done)


# -- 7. the values of max and min with ties ---------------------------------------------------------

@EXAMPLES
@given(data=st.data(), shape=array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=4),
       name=st.sampled_from(["max", "min"]), keepdims=st.booleans(), seed=seeds, levels=st.integers(1, 3))
def test_max_and_min_with_ties_match_torch_in_value_and_gradient(torch, data, shape, name, keepdims, seed,
                                                                  levels):
    """Guards tied max/min values and shapes (the hypothesis file's ties branch checks gradients only)."""
    axis = data.draw(axes(shape))
    x = np.random.default_rng(seed).integers(0, levels, size=shape) - 1.0  # (levels 1: all tied)
    dims = tuple(range(len(shape))) if axis is None else axis
    g = lambda t: (torch.amax if name == "max" else torch.amin)(t, dim=dims, keepdim=keepdims)  # noqa: E731
    out = getattr(Tensor(x), name)(axis=axis, keepdims=keepdims)
    ref = g(torch.tensor(x)).numpy()
    assert out.shape == ref.shape and out.dtype == ref.dtype
    np.testing.assert_array_equal(out.data, ref)
    against_torch(torch, lambda a: getattr(a, name)(axis=axis, keepdims=keepdims), g, x, seed=seed)


@pytest.mark.parametrize("axis, n", [(1, 3), (0, 0), (None, 0)])
def test_the_rule_of_a_mean_over_an_empty_array_says_how_many_it_averages(axis, n):
    """It said n = 1 for any empty input."""
    E = Tensor(np.zeros((0, 3)), requires_grad=True)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy's "mean of empty slice"
        m = E.mean(axis=axis)
        m.sum().backward()
    assert f"(n = {n}, how many are averaged)" in m._op.rule(m)
    assert E.grad.shape == (0, 3)


def test_float16_gradients_add_up_in_float32_as_torch(torch):
    """A bias's gradient over 4000 rows of 0.1 came out 256: in float16 the sum stops growing once
    its spacing passes 0.1.  Summed in float32 and cast back, as torch does: 400."""
    g = np.full((4000, 4), 0.1, np.float16)
    for shape in [(4,), (1, 4)]:
        b = Tensor(np.zeros(shape, np.float16), requires_grad=True)
        (Tensor(np.zeros((4000, 4), np.float16)) + b).backward(g)
        assert b.grad.dtype == np.float16 and (b.grad == 400).all()
    x0 = np.random.default_rng(0).standard_normal((4000, 4)).astype(np.float16)
    weights = np.random.default_rng(1).standard_normal((4000, 4)).astype(np.float16)
    for name in ("softmax", "log_softmax"):
        x, tx = Tensor(x0, requires_grad=True), torch.tensor(x0, requires_grad=True)
        (getattr(x, name)(axis=0) * weights).sum().backward()
        (getattr(torch, name)(tx, 0) * torch.tensor(weights)).sum().backward()
        assert x.grad.dtype == np.float16
        np.testing.assert_allclose(x.grad.astype(float), tx.grad.double().numpy(), atol=2e-3, rtol=2e-2)


def test_relu_passes_nan_on_forward_and_backward_as_torch(torch):
    """A Value's relu(nan) was 0.0, hiding the nan (an inf - inf upstream) from everything after it,
    and relu's gradient at nan was 0 for Values and Tensors, where torch passes it on."""
    from autograd import Value

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (numpy's inf - inf)
        big = Value(1e308)
        nan = big * 10 - big * 10
        out = nan.relu()
        out.backward()
        t = Tensor([1e308, 1.0, -1.0], requires_grad=True)
        middle = t * 10 - t * 10
        middle.relu().sum().backward()
        x = torch.tensor([1e308, 1.0, -1.0], requires_grad=True)
        ref = x * 10 - x * 10
        ref.retain_grad()
        torch.relu(ref).sum().backward()
    assert out.data != out.data and nan.grad == 1.0  # nan, and the gradient passed on
    assert np.isnan(middle.relu().data[0]) and middle.grad.tolist() == ref.grad.tolist() == [1.0, 0.0, 0.0]
    assert Value(-2.0).relu().data == 0.0 and Value(0.0).relu().data == 0.0 and Value(3.0).relu().data == 3.0
