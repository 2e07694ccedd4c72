"""Tensor without an oracle: dtypes, input checks, requires_grad, errors, leaf gradients,
the bridge from Value to Tensor, and the stepper on Tensor graphs.

(PyTorch comparisons of every op are in test_tensor_torch.py.)
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd.array_ops as A
from autograd import (
    AnomalyError,
    Backprop,
    Tensor,
    Value,
    concatenate,
    conv1d,
    conv2d,
    detect_anomaly,
    grad,
    gradcheck,
    gradients,
    is_grad_enabled,
    max_pool2d,
    no_grad,
    stack,
    topological_order,
)


def rand(*shape, seed=0, dtype=np.float64):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def leaf(*shape, seed=0, dtype=np.float64, positive=False):
    a = rand(*shape, seed=seed, dtype=dtype)
    if positive:
        a = np.abs(a) + dtype(0.5)
    return Tensor(a, requires_grad=True)


# Every op, as (function of leaves, leaf shapes, leaves must be positive).
OPS = {
    "add": (lambda a, b: a + b, [(2, 3), (3,)], False),
    "radd": (lambda a: 2.5 + a, [(2, 3)], False),
    "sub": (lambda a, b: a - b, [(2, 3), (2, 1)], False),
    "rsub": (lambda a: 1 - a, [(2, 3)], False),
    "mul": (lambda a, b: a * b, [(2, 3), ()], False),
    "div": (lambda a, b: a / b, [(2, 3), (3,)], True),
    "rdiv": (lambda a: 2 / a, [(2, 3)], True),
    "pow-number": (lambda a: a ** 3, [(2, 3)], False),
    "pow-half": (lambda a: a ** 0.5, [(2, 3)], True),
    "pow-zero": (lambda a: a ** 0, [(2, 3)], False),
    "pow-tensor": (lambda a, b: a ** b, [(2, 3), (3,)], True),
    "rpow": (lambda a: 2 ** a, [(2, 3)], False),
    "neg": (lambda a: -a, [(2, 3)], False),
    "exp": (lambda a: a.exp(), [(2, 3)], False),
    "log": (lambda a: a.log(), [(2, 3)], True),
    "sqrt": (lambda a: a.sqrt(), [(2, 3)], True),
    "abs": (lambda a: abs(a), [(2, 3)], False),
    "sin": (lambda a: a.sin(), [(2, 3)], False),
    "cos": (lambda a: a.cos(), [(2, 3)], False),
    "tanh": (lambda a: a.tanh(), [(2, 3)], False),
    "sigmoid": (lambda a: a.sigmoid(), [(2, 3)], False),
    "relu": (lambda a: a.relu(), [(2, 3)], False),
    "clip": (lambda a: a.clip(-0.5, 0.5), [(2, 3)], False),
    "step": (lambda a: a.step(), [(2, 3)], False),
    "matmul": (lambda a, b: a @ b, [(2, 3), (3, 4)], False),
    "dot": (lambda a, b: a @ b, [(3,), (3,)], False),
    "batched-matmul": (lambda a, b: a @ b, [(2, 2, 3), (3, 4)], False),
    "sum": (lambda a: a.sum(axis=0), [(2, 3)], False),
    "mean": (lambda a: a.mean(), [(2, 3)], False),
    "max": (lambda a: a.max(axis=1, keepdims=True), [(2, 3)], False),
    "min": (lambda a: a.min(), [(2, 3)], False),
    "reshape": (lambda a: a.reshape(3, 2), [(2, 3)], False),
    "transpose": (lambda a: a.T, [(2, 3)], False),
    "flatten": (lambda a: a.flatten(), [(2, 3)], False),
    "broadcast_to": (lambda a: a.broadcast_to((4, 2, 3)), [(2, 1)], False),
    "unfold": (lambda a: a.unfold((2, 3), (1, 2)), [(2, 4, 5)], False),
    "unfold-1d": (lambda a: a.unfold(2, 1), [(2, 5)], False),
    "index": (lambda a: a[[0, 0, 1], 1:], [(2, 3)], False),
    "mask": (lambda a: a[a.data > 0], [(2, 3)], False),
    "concatenate": (lambda a, b: concatenate([a, b]), [(2, 3), (1, 3)], False),
    "stack": (lambda a, b: stack([a, b], axis=1), [(2, 3), (2, 3)], False),
    "pad": (lambda a: a.pad(((1, 0), (2, 1))), [(2, 3)], False),
    "softmax": (lambda a: a.softmax(), [(2, 3)], False),
    "log_softmax": (lambda a: a.log_softmax(axis=0), [(2, 3)], False),
    "conv1d": (lambda x, w, b: conv1d(x, w, b, stride=2, padding=1), [(2, 2, 5), (3, 2, 2), (3,)],
               False),
    "conv2d": (lambda x, w, b: conv2d(x, w, b, padding=1), [(1, 2, 4, 4), (3, 2, 3, 3), (3,)], False),
    "max_pool2d": (lambda x: max_pool2d(x, 2), [(1, 2, 4, 4)], False),
}


def leaves_for(name, dtype=np.float64):
    _, shapes, positive = OPS[name]
    return [leaf(*s, seed=i, dtype=dtype, positive=positive) for i, s in enumerate(shapes)]


# -- dtypes --------------------------------------------------------------------------------------

def test_default_dtype_is_float64_and_ints_and_bools_become_float64():
    assert Tensor([1.0, 2.0]).dtype == np.float64
    assert Tensor(3).dtype == np.float64
    assert Tensor([1, 2, 3]).dtype == np.float64
    assert Tensor(np.arange(3, dtype=np.int8)).dtype == np.float64
    assert Tensor(np.array([True, False])).dtype == np.float64
    np.testing.assert_array_equal(Tensor([True, False]).data, [1.0, 0.0])
    assert Tensor(np.ones(2, np.float32)).dtype == np.float32
    assert Tensor([1, 2], dtype=np.float32).dtype == np.float32
    assert Tensor(np.float32(2.0)).dtype == np.float32


@pytest.mark.parametrize("name", OPS)
def test_float32_stays_float32_through_forward_and_gradients(name):
    f = OPS[name][0]
    xs = leaves_for(name, np.float32)
    out = f(*xs)
    assert out.dtype == np.float32
    assert type(out.data) is np.ndarray
    out.backward(np.ones(out.shape, np.float32))
    for x in xs:
        assert type(x.grad) is np.ndarray and x.grad.dtype == np.float32
    # and inside: a leaf's .grad is cast to its dtype, so only the other nodes show an upcast
    assert {n.grad.dtype for n in topological_order(out) if n.grad is not None} == {np.dtype(np.float32)}


@pytest.mark.parametrize("name", OPS)
def test_float32_second_derivative_graphs_stay_float32(name):
    f = OPS[name][0]
    xs = leaves_for(name, np.float32)
    out = f(*xs)
    grads = gradients((out * out).sum(), xs, create_graph=True)
    for g in grads:
        assert isinstance(g, Tensor) and g.dtype == np.float32
        assert {n.dtype for n in topological_order(g)} == {np.dtype(np.float32)}


def test_a_float32_power_with_negative_and_zero_bases_stays_float32_inside(torch):
    """The pow case above has positive bases only: the nan where a negative base has no d/d(exponent),
    and the limit at a zero base, were made in float64 and never met (a mutant dropping their cast
    survived): an intermediate exponent's .grad, and the graph of create_graph, went float64."""
    base = Tensor(np.array([[-2.0, 0.5, 3.0], [0.0, 2.0, 1.0]], np.float32), requires_grad=True)
    w = Tensor(np.array([2.0, 1.5, 0.5], np.float32), requires_grad=True)
    exponent = w * 1.0  # an intermediate node: its .grad is not cast back, as a leaf's is
    out = (base ** exponent).sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        out.backward()
    assert {n.grad.dtype for n in topological_order(out) if n.grad is not None} == {np.dtype(np.float32)}
    tb = torch.tensor(base.data, requires_grad=True)
    tw = torch.tensor(w.data, requires_grad=True)
    te = tw * 1.0
    te.retain_grad()
    (tb ** te).sum().backward()
    np.testing.assert_allclose(exponent.grad, te.grad.numpy(), rtol=1e-6, equal_nan=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        (grad_w,) = gradients(((base ** w) ** 2).sum(), [w], create_graph=True)
    assert {n.dtype for n in topological_order(grad_w)} == {np.dtype(np.float32)}


def test_python_and_numpy_scalars_do_not_upcast_float32():
    x = leaf(3, dtype=np.float32)
    for y in (x * 2.5, 2.5 * x, x + 1, x / 3.0, x ** 2, 2 ** x, x * np.float64(2.0),
              np.float64(2.0) * x, x - True, x ** np.float64(2)):
        assert y.dtype == np.float32


def test_0d_operands_are_numbers_and_do_not_upcast_float32():
    """As 0-d tensors in PyTorch: Tensor(0.0) as sum()'s start, or a 0-d array, keeps float32."""
    x = leaf(3, dtype=np.float32)
    for y in (x * np.array(2.0), np.array(2.0) * x, x * Tensor(2.0), Tensor(0.0) + x,
              x / Tensor(4.0), Tensor(2.0) ** x):
        assert y.dtype == np.float32
    total = sum((x * x for _ in range(2)), Tensor(0.0)).sum()
    total.backward()
    assert total.dtype == np.float32
    assert {n.grad.dtype for n in topological_order(total) if n.grad is not None} == {np.dtype(np.float32)}
    np.testing.assert_allclose(x.grad, 4 * x.data, rtol=1e-6)
    half = Tensor(0.5, label="half")  # cast, it keeps its name in the drawn graph
    assert "half" in [n.label for n in topological_order(x * half)]


def test_a_learnable_0d_float64_tensor_is_cast_and_gets_a_float64_gradient():
    x = leaf(3, dtype=np.float32)
    w = Tensor(2.0, requires_grad=True)
    y = x * w  # as torch: float32, through a cast node whose gradient goes back as float64
    assert y.dtype == np.float32 and y.parents[1].op == "astype"
    y.sum().backward()
    assert w.grad.dtype == np.float64 and w.grad == pytest.approx(float(x.data.sum()), rel=1e-6)
    x64 = leaf(3)  # a narrower 0-d operand needs no cast: numpy's promotion gives float64 anyway
    assert (x64 * Tensor(np.float32(2.0))).parents[1].op == ""


def test_astype_casts_forward_and_casts_the_gradient_back():
    x = leaf(3)
    assert x.astype(np.float64) is x
    y = x.astype(np.float32)
    assert y.dtype == np.float32 and y.op == "astype"
    (y * y).sum().backward()
    assert x.grad.dtype == np.float64
    np.testing.assert_allclose(x.grad, 2 * x.data, rtol=1e-6)
    (g,) = gradients((x.astype(np.float32) ** 3).sum(), [x], create_graph=True)  # second order
    (h,) = gradients(g.sum(), [x])
    np.testing.assert_allclose(h, 6 * x.data, rtol=1e-6)
    with pytest.raises(TypeError, match="astype: a tensor holds floats"):
        x.astype(np.int32)


@pytest.mark.parametrize("dtype, eps", [(np.float32, 1e-3), (np.longdouble, 1e-6)],
                         ids=["float32", "longdouble"])
def test_astype_passes_gradcheck_there_and_back(dtype, eps):
    """Unguarded: astype's gradient had no central differences (float32 rounding: eps 1e-3 there)."""
    w = rand(2, 3, seed=1)
    y = leaf(2, 3).astype(dtype)
    assert (y.op == "astype") == (np.dtype(dtype) != np.float64)
    assert gradcheck(lambda x: (x.astype(dtype).tanh() * w.astype(dtype)).sum(), rand(2, 3), eps=eps)
    assert gradcheck(lambda x: (x.astype(dtype).sin().astype(np.float64) * w).sum(), rand(2, 3), eps=eps)


@pytest.mark.parametrize("shape, to", [((2, 1), (4, 2, 3)), ((), (2, 3)), ((3,), (2, 3)),
                                       ((1, 3, 1), (2, 3, 2)), ((2, 3), (2, 3))], ids=str)
def test_broadcast_to_passes_gradcheck(shape, to):
    """Unguarded: broadcast_to's gradient (a sum back to the shape) had no central differences."""
    w = rand(*to, seed=1)
    assert gradcheck(lambda x: (x.broadcast_to(to).tanh() * w).sum(), rand(*shape))


def test_float32_leaf_gets_a_float32_gradient_in_a_float64_graph():
    """As in PyTorch: a leaf's .grad has the leaf's dtype, whatever the graph computed in."""
    x = leaf(3, dtype=np.float32)
    y = x * np.array([1.0, 2.0, 3.0])  # numpy promotes: the product is float64
    assert y.dtype == np.float64
    y.sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad, [1.0, 2.0, 3.0])


@pytest.mark.parametrize("data", [
    np.array([1, "a"], dtype=object), np.array([1.0, 2.0], dtype=object), ["a", "b"], "abc", b"ab",
    None, {"a": 1}, [1 + 2j], [[1.0, 2.0], [3.0]], Value(1.0),
], ids=["object", "object-numbers", "strings", "str", "bytes", "None", "dict", "complex", "ragged",
        "Value"])
def test_non_numeric_input_raises_type_error(data):
    with pytest.raises(TypeError, match="Tensor()"):
        Tensor(data)


def test_non_float_dtype_argument_and_bad_label_raise_type_error():
    with pytest.raises(TypeError, match="float"):
        Tensor([1, 2], dtype=np.int64)
    with pytest.raises(TypeError, match="label"):
        Tensor(1.0, label=3)
    with pytest.raises(TypeError, match="detach"):
        Tensor(Tensor(1.0))


def test_nan_input_raises_value_error_with_its_index():
    with pytest.raises(ValueError, match=r"nan \(first at index \(1, 0\)\)"):
        Tensor([[1.0, 2.0], [np.nan, 3.0]])
    with pytest.raises(ValueError, match="nan"):
        Tensor(np.array([1.0, np.nan], dtype=np.float32))
    x = leaf(2)
    with pytest.raises(ValueError, match="nan"):
        x + float("nan")
    with pytest.raises(ValueError, match="nan"):
        x * np.array([1.0, np.nan])
    with pytest.raises(ValueError, match="nan"):
        x.sum().backward(np.float64("nan"))
    Tensor([np.inf, -np.inf])  # infinities are numbers


def test_item_and_numpy():
    x = Tensor([[2.5]])
    assert x.item() == 2.5 and type(x.item()) is float
    assert Tensor(np.float32(1.5)).item() == 1.5
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        Tensor([1.0, 2.0]).item()
    data = np.array([1.0, 2.0])
    t = Tensor(data)
    assert t.numpy() is t.data and isinstance(t.numpy(), np.ndarray)
    assert (t.shape, t.ndim, t.size, len(t)) == ((2,), 1, 2, 2)


def test_zero_d_results_are_arrays():
    """numpy gives 0-d results as numpy scalars; a Tensor's data and a leaf's grad are arrays."""
    w, x = Tensor([1.0, 2.0], requires_grad=True), Tensor([3.0, -1.0])
    s = Tensor(0.5, requires_grad=True)
    for y in (w @ x, (w @ x) * s, s.exp(), -s, s + s, s ** 2, w.sum() * 2):
        assert type(y.data) is np.ndarray and y.shape == ()
        assert type(y.numpy()) is np.ndarray
    y = (s * 3.0 + s * s).tanh()
    y.backward()
    assert type(s.grad) is np.ndarray and s.grad.shape == ()
    assert s.grad == pytest.approx((3.0 + 2 * 0.5) * (1 - np.tanh(1.75) ** 2), rel=1e-15)


# -- requires_grad ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", OPS)
def test_no_graph_is_recorded_when_no_input_requires_grad(name):
    f = OPS[name][0]
    xs = [Tensor(x.data) for x in leaves_for(name)]
    out = f(*xs)
    assert out.parents == () and out.op == "" and out.requires_grad is False
    with pytest.raises(RuntimeError, match="does not require grad"):
        out.sum().backward()


def test_constants_in_a_graph_get_no_gradient():
    w, c = leaf(3), Tensor(rand(3, seed=1))
    y = (w * c + c).sum()
    assert y.requires_grad and [p.requires_grad for p in y.parents[0].parents] == [True, False]
    y.backward()
    assert c.grad is None
    np.testing.assert_array_equal(w.grad, c.data)


def test_no_grad_and_detach():
    w = leaf(3)
    with no_grad():
        y = w * 2
    assert y.parents == () and not y.requires_grad
    d = w.detach()
    assert d.data is w.data and d.parents == () and not d.requires_grad
    (w * d).sum().backward()
    np.testing.assert_array_equal(w.grad, w.data)  # d is a constant: not 2 * w


def test_no_grad_as_a_decorator_records_no_graph_and_turns_grad_mode_back_on():
    """@no_grad() on a function: its results are leaves, and after the call (or an error in
    it) ops record the graph again; else a decorated helper would switch recording off for good."""
    w = leaf(3)

    @no_grad()
    def double(x):
        assert not is_grad_enabled()
        return x * 2

    @no_grad()
    def fails(x):
        raise KeyError("inside")

    for _ in range(2):  # the decorator works on every call, not only the first
        y = double(w)
        assert y.parents == () and y.op == "" and not y.requires_grad
        np.testing.assert_array_equal(y.data, 2 * w.data)
        assert is_grad_enabled()
    with pytest.raises(KeyError, match="inside"):
        fails(w)
    assert is_grad_enabled()
    z = w * 2
    assert z.parents[0] is w and z.requires_grad  # recorded again


def test_requires_grad_can_be_set_on_leaves_only():
    x = Tensor([1.0, 2.0])
    assert x.requires_grad_() is x and x.requires_grad
    y = x * 2
    with pytest.raises(RuntimeError, match="leaf"):
        y.requires_grad_(False)


# -- backward ------------------------------------------------------------------------------------

def test_backward_on_a_non_scalar_needs_a_gradient():
    y = leaf(2, 3) * 2
    with pytest.raises(ValueError, match=r"shape \(2, 3\).*gradient"):
        y.backward()
    with pytest.raises(ValueError, match=r"\(3,\).*\(2, 3\)"):
        y.backward(np.ones(3))
    y.backward(np.ones((2, 3)))  # a gradient of the right shape
    x = leaf(1, 1)
    (x * 3).backward()  # one element: fine without a gradient, as in PyTorch
    np.testing.assert_array_equal(x.grad, [[3.0]])


def test_backward_gradient_argument_takes_lists_and_tensors_and_keeps_the_dtype():
    x = leaf(2, dtype=np.float32)
    (x * 2).backward([1, 1])
    (x * 2).backward(Tensor([1.0, 0.0]))
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad, [4.0, 2.0])


def test_leaves_accumulate_and_intermediates_show_the_latest_pass():
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = x * x
    y = (h * 3).sum()
    y.backward()
    np.testing.assert_array_equal(x.grad, [6.0, 12.0])
    y.backward()
    np.testing.assert_array_equal(x.grad, [12.0, 24.0])
    np.testing.assert_array_equal(h.grad, [3.0, 3.0])


@pytest.mark.parametrize("name", OPS)
def test_each_leaf_grad_is_its_own_writeable_array(name):
    f = OPS[name][0]
    xs = leaves_for(name)
    out = f(*xs)
    seed = np.ones(out.shape)
    out.backward(seed)
    grads = [x.grad for x in xs]
    before = [g.copy() for g in grads]
    for g in grads:
        assert g.flags.writeable and not np.shares_memory(g, seed)
        assert not any(np.shares_memory(g, x.data) for x in xs)
    grads[0] += 1.0  # what an optimizer may do in place
    for g, b in zip(grads[1:], before[1:]):
        np.testing.assert_array_equal(g, b)
    np.testing.assert_array_equal(seed, np.ones(out.shape))


@pytest.mark.parametrize("name", OPS)
def test_a_leaf_grad_shares_memory_with_no_other_nodes_grad(name):
    """Unguarded: after a view op (x.T, reshape) a leaf's .grad must not be a view of another's."""
    xs = leaves_for(name)
    out = OPS[name][0](*xs) * 2.0  # (so that the op's own node is not the root)
    out.backward(np.ones(out.shape))
    nodes = [n for n in topological_order(out) if n.grad is not None]
    for x in xs:
        others = [n for n in nodes if n is not x]
        assert not any(np.shares_memory(x.grad, n.grad) for n in others), name
        before = [n.grad.copy() for n in others]
        x.grad += 1.0
        for n, b in zip(others, before):
            np.testing.assert_array_equal(n.grad, b)


def test_the_same_gradient_array_is_not_shared_between_leaves():
    a, b = leaf(3, seed=1), leaf(3, seed=2)
    (a + b).backward(np.ones(3))  # '+' passes the same upstream array to both inputs
    a.grad[0] = 99.0
    assert b.grad[0] == 1.0
    a.grad, b.grad = None, None
    a.backward(np.ones(3))  # a leaf as the root: its grad is not the caller's array
    seed = np.ones(3)
    a.grad = None
    a.backward(seed)
    a.grad[0] = 5.0
    assert seed[0] == 1.0


def test_broadcast_gradients_are_summed_back_to_each_shape():
    a, b, s = leaf(4, 1, 3), leaf(2, 1), Tensor(2.0, requires_grad=True)
    y = (a * b + s).sum()
    y.backward()
    assert (a.grad.shape, b.grad.shape, s.grad.shape) == ((4, 1, 3), (2, 1), ())
    np.testing.assert_allclose(a.grad, np.broadcast_to(b.data.sum(), (4, 1, 3)), rtol=1e-15)
    np.testing.assert_allclose(b.grad, np.full((2, 1), a.data.sum()), rtol=1e-14)
    assert s.grad == 4 * 2 * 3


def test_integer_index_repeats_add_up_and_masks_select():
    x = Tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    (x[[0, 0, 3, 0]] * Tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
    np.testing.assert_array_equal(x.grad, [7.0, 0.0, 0.0, 3.0])
    x.grad = None
    x[x.data > 2].sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 1.0, 1.0])


def test_max_and_min_split_the_gradient_between_ties():
    x = Tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]], requires_grad=True)
    x.max(axis=1).sum().backward()
    np.testing.assert_allclose(x.grad, [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-15)
    x.grad = None
    x.min().backward()
    np.testing.assert_allclose(x.grad, [[1.0, 0, 0], [0, 0, 0]])


def test_max_pool2d_gives_a_tied_windows_gradient_to_its_first_maximum():
    """As torch.nn.functional.max_pool2d on the CPU (unlike max(), which shares it)."""
    x = Tensor(np.zeros((1, 1, 2, 4)), requires_grad=True)
    max_pool2d(x, 2).sum().backward()
    np.testing.assert_array_equal(x.grad[0, 0], [[1, 0, 1, 0], [0, 0, 0, 0]])


# -- error messages -------------------------------------------------------------------------------

@pytest.mark.parametrize("op, f", [
    ("+", lambda a, b: a + b), ("-", lambda a, b: a - b), ("*", lambda a, b: a * b),
    ("/", lambda a, b: a / b), ("**", lambda a, b: a ** b),
])
def test_elementwise_shape_errors_name_the_op_and_both_shapes(op, f):
    a, b = Tensor(np.ones((2, 3))), Tensor(np.ones(4))
    with pytest.raises(ValueError) as err:
        f(a, b)
    assert f"'{op}'" in str(err.value) and "(2, 3)" in str(err.value) and "(4,)" in str(err.value)
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4,\)"):
        f(a, np.ones(4))  # an ndarray operand too


@pytest.mark.parametrize("sa, sb", [((2, 3), (4, 2)), ((3,), (2,)), ((2, 3), (2,)), ((5, 2, 3), (4, 3, 2)),
                                    ((2, 3), ())])
def test_matmul_shape_errors_name_the_op_and_both_shapes(sa, sb):
    with pytest.raises(ValueError) as err:
        Tensor(np.ones(sa)) @ Tensor(np.ones(sb))
    assert "'@'" in str(err.value) and str(sa) in str(err.value) and str(sb) in str(err.value)


def test_conv_and_pool_take_numpy_inputs_and_check_the_bias():
    # a numpy input was AttributeError "'numpy.ndarray' object has no attribute 'unfold'",
    # a bias of the wrong length "reshape: cannot reshape shape (3,) ..."
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    w = Tensor(np.ones((2, 1, 2, 2)), requires_grad=True)
    assert np.array_equal(conv2d(x, w).data, conv2d(Tensor(x), w).data)
    assert np.array_equal(max_pool2d(x, 2).data, max_pool2d(Tensor(x), 2).data)
    with pytest.raises(ValueError, match=r"bias must have shape \(2,\).*\(3,\)"):
        conv2d(x, w, Tensor(np.zeros(3)))
    # a bad stride, padding or window says which function it was given to (it did not)
    for call, message in [
        (lambda: conv2d(x, w, stride=1.0), "conv2d: stride must be an int >= 1 or 2 of them"),
        (lambda: conv2d(x, w, padding=-1), "conv2d: padding must be an int >= 0"),
        (lambda: max_pool2d(x, (2, 0)), "max_pool2d: kernel_size must be an int >= 1"),
    ]:
        with pytest.raises(ValueError, match=f"^{re.escape(message)}"):
            call()


def test_a_one_element_tensor_formats_as_its_number():
    # f"{loss:.4f}" (as with a 0-d torch tensor) was "unsupported format string passed to Tensor.__format__"
    assert f"{Tensor(1.23456):.2f}" == "1.23" and f"{Tensor([[2.5]]):.1f}" == "2.5"
    assert f"{Tensor([1.0, 2.0])}" == str(Tensor([1.0, 2.0]))
    with pytest.raises(TypeError, match=r"one-element tensor.*\(2,\)"):
        f"{Tensor([1.0, 2.0]):.2f}"


def test_item_assignment_says_what_to_do_instead():
    t = Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(TypeError, match=r"cannot be changed in place.*t\.data\[\.\.\.\] = value"):
        t[0] = 5.0  # was Python's bare "'Tensor' object does not support item assignment"
    assert (t.data == 1).all()


@pytest.mark.parametrize("f, words", [
    (lambda x: x.reshape(4, 2), r"reshape.*\(2, 3\).*\(4, 2\)"),
    (lambda x: x.transpose(0, 0), "permutation"),
    (lambda x: x.transpose(1, 2), r"axis 2.*\(2, 3\)"),  # 1-based axes were taken modulo 2: (1, 0)
    (lambda x: Tensor(1.0).transpose(0), "permutation"),  # was ZeroDivisionError
    (lambda x: stack([x, x], axis=3), r"stack.*axis 3"),  # was taken as axis 0
    (lambda x: x.sum(axis=2), r"axis 2.*\(2, 3\)"),
    (lambda x: x.max(axis=-3), "axis -3"),
    (lambda x: x.broadcast_to((4, 3)), r"\(2, 3\).*\(4, 3\)"),
    (lambda x: concatenate([x, Tensor(np.ones((2, 2)))]), r"concatenate.*\(2, 3\).*\(2, 2\)"),
    (lambda x: stack([x, Tensor(np.ones(3))]), r"stack.*\(2, 3\).*\(3,\)"),
    (lambda x: x.clip(1, 0), "lo=1"),
    (lambda x: x.pad(-1), ">= 0"),
    (lambda x: x.pad(((1, 1),) * 3), r"pad.*shape \(2, 3\).*per axis \(2\)"),
    (lambda x: x.clip(float("nan"), 1.0), "clip: a bound is nan"),
    (lambda x: x.pad(()), r"pad.*shape \(2, 3\)"),
    (lambda x: x.pad(((1, 1), (2,))), r"pad.*shape \(2, 3\)"),  # ragged: was numpy's "inhomogeneous"
    (lambda x: Tensor(1.0).pad(1), "0-d tensor has no axes"),
    (lambda x: x[5], r"shape \(2, 3\)"),
    (lambda x: Tensor(np.ones(0)).max(), "empty"),
    (lambda x: conv2d(Tensor(np.ones((1, 2, 4, 4))), Tensor(np.ones((1, 3, 2, 2)))), "channels"),
    (lambda x: conv2d(Tensor(np.ones((4, 4))), Tensor(np.ones((1, 2, 2, 2)))), "4-D"),
    (lambda x: conv1d(Tensor(np.ones((1, 1, 2))), Tensor(np.ones((1, 1, 3)))), "larger"),
    (lambda x: conv2d(Tensor(np.ones((1, 1, 4, 4))), Tensor(np.ones((1, 1, 2, 2))), stride=0), "stride"),
    (lambda x: max_pool2d(x, 2), "4-D"),
])
def test_other_errors_say_what_was_wrong(f, words):
    with pytest.raises((ValueError, IndexError), match=words):
        f(Tensor(np.ones((2, 3))))


@pytest.mark.parametrize("f, words", [
    (lambda x: x.pad(1.5), "pad: widths must be integers"),  # numpy's int cast would make it 1
    (lambda x: x.clip("a", "b"), "clip: bounds must be numbers, got str"),
])
def test_wrong_kinds_of_argument_raise_type_error(f, words):
    with pytest.raises(TypeError, match=words):
        f(Tensor(np.ones((2, 3))))


def test_clip_takes_0d_arrays_as_bounds():
    np.testing.assert_array_equal(Tensor([-2.0, 0.5, 3.0]).clip(np.array(0.0), np.float32(1.0)).data,
                                  [0.0, 0.5, 1.0])


def test_clip_with_one_bound_none_and_np_clip_as_numpy_and_torch(torch):
    """A None bound (no limit on that side) was refused as 'bounds must be numbers', where numpy
    and torch.clamp take it; np.clip(t, ...) failed on numpy's out=None."""
    raw = np.array([-2.0, 0.5, 1.0, 3.0])
    for lo, hi in [(None, 1.0), (0.5, None)]:
        for clipped in (lambda t, lo=lo, hi=hi: t.clip(lo, hi), lambda t, lo=lo, hi=hi: np.clip(t, lo, hi)):
            x = Tensor(raw, requires_grad=True)
            clipped(x).sum().backward()
            tx = torch.tensor(raw, requires_grad=True)
            expected = torch.clamp(tx, lo, hi)
            expected.sum().backward()
            np.testing.assert_array_equal(clipped(x).data, expected.detach().numpy())
            np.testing.assert_array_equal(x.grad, tx.grad.numpy())  # bounds included, as torch
    with pytest.raises(ValueError, match="give lo or hi"):
        Tensor(raw).clip(None, None)


def test_clip_takes_array_bounds_as_numpy_and_torch(torch):
    """A bound per element (an array, a list, a Tensor without a gradient) that broadcasts to the
    tensor's shape, as np.clip and torch.clamp take; np.clip(t, array, ...) failed deep in numpy
    ("numpy cannot take a Tensor that requires grad") after clip refused the array."""
    raw = np.array([[-2.0, 0.5, 1.0], [3.0, -0.25, 0.0]])
    cases = [(np.array([-1.0, 0.5, 0.0]), 2.0), ([[-3.0], [0.0]], [1.0, 0.25, 1.0]),
             (Tensor([-1.0, 0.0, 0.5]), None), (None, np.full((2, 3), 0.5))]
    for lo, hi in cases:
        for clipped in (lambda t, lo=lo, hi=hi: t.clip(lo, hi), lambda t, lo=lo, hi=hi: np.clip(t, lo, hi)):
            x = Tensor(raw, requires_grad=True)
            y = clipped(x)
            (y * Tensor(np.arange(6.0).reshape(2, 3))).sum().backward()
            tx = torch.tensor(raw, requires_grad=True)
            as_torch = [None if b is None else torch.tensor(np.asarray(getattr(b, "data", b)), dtype=float)
                        for b in (lo, hi)]
            expected = torch.clamp(tx, *as_torch)
            (expected * torch.arange(6.0, dtype=torch.float64).reshape(2, 3)).sum().backward()
            np.testing.assert_array_equal(y.data, expected.detach().numpy())
            np.testing.assert_array_equal(x.grad, tx.grad.numpy())  # bounds included, as torch
    x32 = Tensor(np.ones(3, np.float32), requires_grad=True)
    assert x32.clip(np.zeros(3), [0.5, 2.0, 0.5]).dtype == np.float32  # no upcast by float64 bounds
    bounded = Tensor(raw, requires_grad=True, label="x").clip(np.zeros(3), 1.0)
    assert bounded._op.settings(bounded._ctx) == ("[0, 0, 0]", "1")
    tenth = x32.clip(np.array([0.1, 0.2, 0.3], np.float32), 0.7)  # (not float32's 0.10000000149011612)
    assert tenth._op.settings(tenth._ctx) == ("[0.1, 0.2, 0.3]", "0.7")
    wide = Tensor(raw, requires_grad=True).clip(np.zeros((2, 3)), 1.0)
    assert wide._op.settings(wide._ctx) == ("<2x3 bounds>", "1")
    steps = " ".join(" ".join(map(str, bounded.sum().backward_steps())).split())  # (unwrapped)
    assert "1 if [0, 0, 0] <= x <= 1 else 0, element by element" in steps
    for bad, error, match in [
        ((np.zeros(4), 1.0), ValueError, r"a bound of shape \(4,\) does not fit a tensor of shape \(2, 3\)"),
        ((np.zeros((1, 2, 3)), 1.0), ValueError, "must broadcast to it"),
        (([0.0, np.nan, 0.0], 1.0), ValueError, "a bound is nan"),
        (([0.0, 2.0, 0.0], 1.0), ValueError, "lo is above hi at 1 of the bounds' elements"),
        ((np.array(["a", "b", "c"]), 1.0), TypeError, "bounds must be numbers, got an array of <U1"),
        ((Tensor(np.zeros(3), requires_grad=True), 1.0), TypeError, "clip takes fixed bounds"),
    ]:
        # (np.clip retries any TypeError through np.asarray(t), whose refusal then speaks)
        routes = [lambda t, b=bad: t.clip(*b)]
        if error is ValueError:
            routes.append(lambda t, b=bad: np.clip(t, *b))
        for clipped in routes:
            with pytest.raises(error, match=match):
                clipped(Tensor(raw, requires_grad=True))


def test_transpose_takes_an_int_array_of_axes_as_numpy_does():
    """np.transpose(t, np.array([1, 0])) was refused: 'an axis must be an int'."""
    x = Tensor(np.arange(6.0).reshape(1, 2, 3), requires_grad=True)
    for axes in [np.array([2, 0, 1]), np.array([-1, 0, 1])]:
        assert np.transpose(x, axes).shape == x.transpose(tuple(axes)).shape == (3, 1, 2)
    with pytest.raises(TypeError, match="an axis must be an int"):
        x.transpose(np.array([1.0, 0.0, 2.0]))


# -- the bridge: the same MLP on Values and on Tensors ------------------------------------------------

def mlp_weights(seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s) for s in [(4, 3), (4,), (2, 4), (2,)]]


def value_mlp_loss(weights, xs, ys):
    """A 3-4-2 tanh MLP built from Values, one neuron at a time; quadratic cost over the batch."""
    W1, b1, W2, b2 = weights
    loss = 0.0
    for x, y in zip(xs, ys):
        h = [sum((w * xi for w, xi in zip(row, x)), b).tanh() for row, b in zip(W1, b1)]
        out = [sum((w * hi for w, hi in zip(row, h)), b) for row, b in zip(W2, b2)]
        loss = loss + sum((o - t) ** 2 for o, t in zip(out, y))
    return loss / len(xs)


def tensor_mlp_loss(weights, X, Y):
    W1, b1, W2, b2 = weights
    h = (X @ W1.T + b1).tanh()
    return ((h @ W2.T + b2 - Y) ** 2).sum() / X.shape[0]


def test_value_and_tensor_mlps_give_the_same_gradients():
    arrays = mlp_weights()
    X, Y = rand(5, 3, seed=1), rand(5, 2, seed=2)
    values = [[[Value(float(v)) for v in row] for row in a] if a.ndim == 2 else
              [Value(float(v)) for v in a] for a in arrays]
    vloss = value_mlp_loss(values, [[float(v) for v in x] for x in X], Y.tolist())
    vloss.backward()
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    tloss = tensor_mlp_loss(tensors, Tensor(X), Y)
    tloss.backward()
    assert tloss.item() == pytest.approx(vloss.data, rel=1e-13)
    for v, t in zip(values, tensors):
        vgrad = np.array([[x.grad for x in row] for row in v] if t.ndim == 2 else [x.grad for x in v])
        np.testing.assert_allclose(t.grad, vgrad, rtol=1e-12, atol=1e-14)


def test_value_and_tensor_neurons_agree_one_sample_at_a_time():
    """The single neuron of the lectures, tanh(w . x + b), as Values and as a Tensor dot product."""
    x, w, b = [2.0, 0.0], [-3.0, 1.0], 6.8813735870195432
    vw, vb = [Value(v) for v in w], Value(b)
    vo = (vw[0] * x[0] + vw[1] * x[1] + vb).tanh()
    vo.backward()
    tw, tb = Tensor(w, requires_grad=True), Tensor(b, requires_grad=True)
    to = (tw @ Tensor(x) + tb).tanh()
    to.backward()
    assert to.item() == pytest.approx(vo.data, rel=1e-15)
    np.testing.assert_allclose(tw.grad, [v.grad for v in vw], rtol=1e-14)
    assert tb.grad == pytest.approx(vb.grad, rel=1e-14)


# -- the stepper ---------------------------------------------------------------------------------

def cnn_loss(params):
    x = Tensor(rand(2, 1, 6, 6, seed=9))
    w1, b1, w2 = params
    h = max_pool2d(conv2d(x, w1, b1, padding=1).relu(), 2)
    logits = h.reshape(2, -1) @ w2
    return -logits.log_softmax()[np.arange(2), [1, 0]].mean()


@pytest.mark.parametrize("model", ["mlp", "cnn"])
def test_stepping_backprop_to_the_end_gives_backwards_gradients(model):
    def build():
        if model == "mlp":
            params = [Tensor(a, requires_grad=True) for a in mlp_weights()]
            return params, tensor_mlp_loss(params, Tensor(rand(5, 3, seed=1)), rand(5, 2, seed=2))
        params = [Tensor(a, requires_grad=True) for a in (rand(3, 1, 3, 3, seed=1), rand(3, seed=2),
                                                          rand(27, 2, seed=3))]
        return params, cnn_loss(params)

    params, loss = build()
    loss.backward()
    expected = [p.grad for p in params]

    params, loss = build()
    bp = Backprop(loss)
    total = len(bp)
    steps = []
    for step in bp:
        text = str(step)
        assert f"/{total}" in text and step.node.op in text
        steps.append(step)
    assert bp.done and len(steps) == total == sum(n._op is not None for n in topological_order(loss))
    for p, g in zip(params, expected):
        np.testing.assert_array_equal(p.grad, g)

    params, loss = build()  # a few steps, then the rest at once
    bp = loss.backward_steps()
    bp.step()
    bp.step()
    bp.run()
    for p, g in zip(params, expected):
        np.testing.assert_array_equal(p.grad, g)


def test_stepping_through_a_tensor_perceptron():
    """A dot product gives a 0-d result: the stepper explains it like any other node."""
    w, b = Tensor([1.0, -2.0], requires_grad=True, label="w"), Tensor(0.5, requires_grad=True, label="b")
    z = w @ Tensor([3.0, 1.0], label="x") + b
    z.label = "z"
    out = z.sigmoid()
    out.label = "out"
    texts = [str(s) for s in out.backward_steps()]
    assert texts[0].startswith("Step 1/3  out = sigmoid(z)")
    assert any("w.grad" in t for t in texts)
    s = 1 / (1 + np.exp(-1.5))
    np.testing.assert_allclose(w.grad, [3 * s * (1 - s), s * (1 - s)], rtol=1e-15)
    assert b.grad == pytest.approx(s * (1 - s), rel=1e-15)


def test_stepper_after_the_last_step_raises_stop_iteration():
    x = leaf(3)
    bp = Backprop((x * 2).sum())
    bp.run()
    with pytest.raises(StopIteration):
        bp.step()


# -- functional forms and checks -----------------------------------------------------------------

def test_grad_and_gradcheck_on_arrays():
    g = grad(lambda x: (x ** 3).sum())(np.array([1.0, -2.0]))
    assert isinstance(g, np.ndarray)
    np.testing.assert_array_equal(g, [3.0, 12.0])
    gw, gb = grad(lambda w, b: ((w @ np.ones((3, 2)) + b) ** 2).sum())(np.ones((2, 3)), np.zeros(2))
    np.testing.assert_array_equal(gw, np.full((2, 3), 12.0))
    np.testing.assert_array_equal(gb, [12.0, 12.0])
    assert gradcheck(lambda w, x: (w @ x).tanh().sum(), rand(2, 3), rand(3, 4, seed=1))


@pytest.mark.parametrize("name", OPS)
def test_gradcheck_every_op(name):
    f = OPS[name][0]
    xs = leaves_for(name)
    weights = rand(*f(*xs).shape, seed=99)
    assert gradcheck(lambda *xs: (f(*xs) * weights).sum(), *xs)


def test_gradcheck_finds_a_wrong_tensor_gradient():
    from autograd import array_ops
    from autograd.check import GradcheckError

    class BadExp(array_ops.Exp):
        @staticmethod
        def backward(ctx, g, out, a):
            return (g * out * 1.01,)

    x = leaf(3)
    with pytest.raises(GradcheckError, match="exp"):
        gradcheck(lambda x: x._unary(BadExp).sum(), x)


def test_detect_anomaly_names_the_tensor_op():
    x = Tensor([1.0, 0.0], requires_grad=True)
    # numpy warns about the division by zero itself; anomaly mode then stops at the op
    with detect_anomaly(), pytest.warns(RuntimeWarning, match="divide by zero"), \
            pytest.raises(FloatingPointError, match="log"):
        x.log()
    with detect_anomaly(), pytest.warns(RuntimeWarning, match="divide by zero"), \
            pytest.raises(FloatingPointError, match="sqrt"):
        x.sqrt().sum().backward()


def test_repr():
    assert repr(Tensor([1.0, 2.0])) == "Tensor([1., 2.])"
    x = Tensor(np.ones(2, np.float32), requires_grad=True, label="x")
    assert repr(x) == "Tensor([1., 1.], requires_grad=True, dtype=float32, label='x')"
    assert "op='*'" in repr(x * 2)


def test_repr_of_a_big_tensor_is_short_and_gives_its_shape():
    """A CNN's (8, 16, 6, 6) activation printed 271 lines and never its shape."""
    act = Tensor(np.arange(8 * 16 * 36.0).reshape(8, 16, 6, 6), requires_grad=True) * 2
    assert repr(act) == ("Tensor(shape=(8, 16, 6, 6), mean 4607.0000 in [0.0000, 9214.0000], "
                         "requires_grad=True, op='*')")
    wide = repr(Tensor(np.zeros((1000, 1000))))
    assert len(wide.splitlines()) == 7 and wide.endswith("]], shape=(1000, 1000))")
    assert repr(Tensor(np.arange(20.0))) == "Tensor(" + np.array2string(  # 20 numbers: all of them
        np.arange(20.0), separator=", ", prefix="Tensor(") + ")"


def test_gradcheck_names_the_wrong_op_behind_broadcasts_and_constant_operands():
    """The culprit search sums a broadcast input's gradient back and skips constants."""
    from autograd import array_ops
    from autograd.check import GradcheckError

    class BadExp(array_ops.Exp):
        @staticmethod
        def backward(ctx, g, out, a):
            return (g * out * 1.01,)

    x, b, c = leaf(2, 3), leaf(1, 3, seed=1), Tensor(rand(3, 2, seed=2))
    with pytest.raises(GradcheckError) as err:
        gradcheck(lambda x, b: ((x + b) @ c * 0.1)._unary(BadExp).sum(), x, b)
    message = str(err.value)
    assert "op 'exp'" in message.split("first node")[1]
    assert "(0, 2)" in message  # indices as plain numbers


def test_tensor_owns_a_copy_of_the_array_it_was_given():
    raw = np.array([1.0, 2.0])
    w = Tensor(raw, requires_grad=True)
    w.data -= 1.0  # what an optimizer does, in place
    assert raw.tolist() == [1.0, 2.0]


def test_inf_input_is_accepted_without_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = Tensor([np.inf, -np.inf, 1e300])
    assert np.isinf(t.data[:2]).all()


def test_iterating_gives_rows_and_refuses_0d():
    t = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    rows = list(t)
    assert [r.shape for r in rows] == [(2,), (2,)]
    sum(r.sum() for r in rows).backward()
    assert t.grad.tolist() == [[1.0, 1.0], [1.0, 1.0]]
    with pytest.raises(TypeError, match="0-d"):
        list(Tensor(1.0))


def test_max_over_a_nonempty_axis_of_an_empty_tensor_is_empty():
    assert Tensor(np.ones((0, 3))).max(axis=1).shape == (0,)
    with pytest.raises(ValueError, match="empty axis"):
        Tensor(np.ones((0, 3))).max(axis=0)


def test_grad_of_a_function_of_a_0d_array_is_an_array():
    from autograd import grad

    g = grad(lambda x: (x * x).sum())(np.array(3.0))
    assert isinstance(g, np.ndarray) and g.shape == () and float(g) == 6.0


def test_a_0d_intermediate_nodes_grad_is_a_0d_array_like_its_data():
    """numpy's arithmetic on 0-d arrays gives numpy scalars: a 0-d intermediate node's .grad was
    an np.float64 (from a product, a sum over broadcast axes, or two contributions added)."""
    from autograd import Backprop

    s = Tensor(0.5, requires_grad=True)
    for make in [lambda h: h * 3, lambda h: (h * Tensor(np.ones((2, 3)))).sum(), lambda h: h * 3 + h * 4]:
        h = (s * 2.0).tanh()
        for run in [lambda y: y.backward(), lambda y: Backprop(y).run()]:
            h.grad = None
            run(make(h))
            assert type(h.grad) is np.ndarray and h.grad.shape == () and h.grad.dtype == np.float64


def test_a_constant_shares_its_array_and_becoming_a_parameter_copies_it():
    raw = np.array([1.0, 2.0])
    c = Tensor(raw)
    assert np.shares_memory(c.data, raw)  # a batch of data is wrapped without a copy
    c.requires_grad_()
    c.data -= 1.0
    assert raw.tolist() == [1.0, 2.0]


def test_float_and_truth_of_one_element_tensors_as_torch():
    assert float(Tensor(2.5)) == 2.5 and float(Tensor([[1.5]])) == 1.5
    assert not Tensor([0.0]) and Tensor(3.0)
    with pytest.raises(ValueError, match="ambiguous"):
        bool(Tensor([1.0, 2.0]))
    with pytest.raises(ValueError, match="one element"):
        float(Tensor([1.0, 2.0]))


# -- edges found by review: numpy operands, empty shapes, masks, axes ---------------------------


def test_numpy_bools_are_numbers_and_numpy_functions_keep_the_graph():
    t = Tensor([1.0, 2.0], requires_grad=True)
    for y in (t * (np.float64(3) > 1), np.bool_(True) * t, t + np.bool_(False)):
        assert type(y) is Tensor and y.data.tolist() == [1.0, 2.0]
    for y, op in [(np.exp(t), "exp"), (np.tanh(t), "tanh"), (np.ones(2) + t, "+"), (np.eye(2) @ t, "@"),
                  (np.sum(t), "sum"), (np.mean(t, axis=0), "mean"), (np.max(t), "max")]:
        assert type(y) is Tensor and y.op == op  # t's own op, not an object array of Tensors
    np.exp(t).sum().backward()
    np.testing.assert_allclose(t.grad, np.exp([1.0, 2.0]))
    for f in (lambda: np.maximum(t, 0), lambda: np.add(t, 1, out=np.empty(2)), lambda: np.sum(t, dtype=int)):
        with pytest.raises(TypeError, match="own methods|takes no dtype"):
            f()


def test_a_value_and_a_tensor_do_not_mix():
    for f in (lambda: Value(1.0) * Tensor([1.0, 2.0]), lambda: Tensor([1.0]) + Value(1.0)):
        with pytest.raises(TypeError, match="a Value and a Tensor do not mix"):
            f()


def test_in_place_arithmetic_on_a_parameter_is_refused_as_torch():
    """`p -= lr * p.grad` would rebind p to a new node and train nothing."""
    p = Tensor([1.0, 2.0], requires_grad=True)
    for f in ("__iadd__", "__isub__", "__imul__", "__itruediv__"):
        with pytest.raises(RuntimeError, match="update its numbers"):
            getattr(p, f)(0.5)
    c = Tensor([1.0, 2.0])
    c -= 1  # a constant, or an intermediate result, is simply rebound
    y = p * 2
    y += 1
    assert c.data.tolist() == [0.0, 1.0] and y.op == "+" and p.data.tolist() == [1.0, 2.0]


def test_numpy_takes_a_constant_tensors_numbers_but_not_a_parameter():
    assert np.asarray(Tensor([1.0, 2.0])).tolist() == [1.0, 2.0]
    assert np.asarray(Tensor([1.0, 2.0]), dtype=np.float32).dtype == np.float32
    w = Tensor([1.0, 2.0], requires_grad=True)
    for use in (np.asarray, lambda w: np.concatenate([w, w]), lambda w: Tensor([w, w])):
        with pytest.raises(TypeError, match="dropping it from the graph"):
            use(w)


def test_a_nan_exponent_is_refused_as_every_nan_operand():
    with pytest.raises(ValueError, match="nan"):
        Tensor([1.0], requires_grad=True) ** float("nan")


def test_concatenate_refuses_0d_and_flattens_for_axis_none():
    with pytest.raises(ValueError, match="0-d tensors have no axis"):
        concatenate([Tensor(1.0, requires_grad=True), Tensor(2.0)])
    a, b = Tensor(rand(2, 2), requires_grad=True), Tensor(rand(3, seed=1), requires_grad=True)
    c = concatenate([a, b], axis=None)
    np.testing.assert_array_equal(c.data, np.concatenate([a.data, b.data], axis=None))
    (c * np.arange(7.0)).sum().backward()
    np.testing.assert_array_equal(a.grad, np.arange(4.0).reshape(2, 2))
    np.testing.assert_array_equal(b.grad, np.arange(4.0, 7.0))


def test_anomaly_mode_ignores_the_gradient_of_a_constant():
    """d(x**e)/de is nan at x < 0, but e is a constant: its gradient is never used."""
    x = Tensor([-2.0, 3.0], requires_grad=True)
    with detect_anomaly():
        (x ** np.array([2.0, 2.0])).sum().backward()
    assert x.grad.tolist() == [-4.0, 6.0]
    e = Tensor([2.0, 3.0], requires_grad=True)
    with pytest.raises(AnomalyError, match="non-finite gradient"), detect_anomaly():
        (Tensor([-2.0, 3.0]) ** e).sum().backward()  # e needs it: nan is reported


def test_softmax_and_pooling_of_no_samples(torch):
    x = Tensor(np.zeros((0, 3)), requires_grad=True)
    for f in (lambda t: t.softmax(0), lambda t: t.log_softmax(0), lambda t: t.softmax(1)):
        y = f(x)
        assert y.shape == (0, 3)
        y.sum().backward()
        assert x.grad.shape == (0, 3)
    p = max_pool2d(Tensor(np.zeros((0, 1, 4, 4)), requires_grad=True), 2)
    assert p.shape == tuple(torch.nn.functional.max_pool2d(torch.zeros(0, 1, 4, 4), 2).shape)


@pytest.mark.parametrize("mask", [True, False])
def test_a_0d_boolean_mask_as_numpy_and_torch(torch, mask):
    data = np.arange(6.0).reshape(2, 3)
    t = Tensor(data, requires_grad=True)
    y = t[np.array(mask)]
    tt = torch.tensor(data, requires_grad=True)
    yt = tt[torch.tensor(mask)]
    assert y.shape == tuple(yt.shape)
    weights = np.arange(y.size, dtype=np.float64).reshape(y.shape)
    (y * weights).sum().backward()
    (yt * torch.tensor(weights)).sum().backward()
    np.testing.assert_array_equal(t.grad, tt.grad.numpy())


def test_conv_takes_a_bias_given_as_a_list():
    x, w = rand(1, 1, 4, 4), rand(2, 1, 3, 3, seed=1)
    np.testing.assert_array_equal(conv2d(x, w, [1.0, 2.0]).data, conv2d(x, w, np.array([1.0, 2.0])).data)


def test_an_axis_named_twice_or_not_an_int_is_refused():
    t = Tensor(rand(2, 3), requires_grad=True)
    for f in (lambda: t.max(axis=(0, -2)), lambda: t.sum(axis=(1, 1))):
        with pytest.raises(ValueError, match="names an axis twice"):
            f()
    for axis in (1.0, True, "0"):
        with pytest.raises(TypeError, match="an axis must be an int"):
            t.sum(axis=axis)


def test_float16_sums_add_up_in_float32(torch):
    x = np.random.default_rng(0).random((4000, 3)).astype(np.float16)
    exact = x.astype(np.float64).sum(axis=0)
    ours = Tensor(x).sum(axis=0)
    assert ours.dtype == np.float16
    np.testing.assert_array_equal(ours.data, torch.from_numpy(x).sum(dim=0).numpy())
    np.testing.assert_allclose(ours.data, exact, rtol=1e-3)  # float16 adds gave errors of about 1%


def test_gradients_of_a_constant_and_of_an_unused_input():
    x, unused = Tensor([1.0, 2.0], requires_grad=True), Tensor([3.0], requires_grad=True)
    y = (x * x).sum()
    with pytest.raises(ValueError, match="does not require grad"):
        gradients(y, [Tensor([1.0, 2.0])])
    gx, gu = gradients(y, [x, unused], create_graph=True)
    assert type(gu) is Tensor and gu.data.tolist() == [0.0]  # a node, as every gradient then
    assert type(gradients(y, [unused])[0]) is np.ndarray
    a, b = Value(2.0), Value(3.0)
    assert type(gradients(a * a, [a, b], create_graph=True)[1]) is Value


# -- gradients of size-0 tensors, against PyTorch -----------------------------------------------

def _empty_case(torch, f, tf, shapes, seed=0):
    """Run ``f`` on Tensors of ``shapes`` and ``tf`` on torch tensors of the same numbers,
    backpropagate the same random upstream gradient, and compare outputs and gradients."""
    arrays = [rand(*shape, seed=seed + k) for k, shape in enumerate(shapes)]
    ours = [Tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, tout = f(*ours), tf(torch, *theirs)
    assert out.shape == tuple(tout.shape)
    np.testing.assert_array_equal(out.data, tout.detach().numpy())  # nan for the mean of nothing
    g = rand(*out.shape, seed=99)
    out.backward(g)
    tout.backward(torch.tensor(g))
    for x, tx in zip(ours, theirs, strict=True):
        assert x.grad is not None and x.grad.shape == tuple(tx.grad.shape) == x.shape
        np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-12, atol=0)


EMPTY_CASES = {  # name: (ours, torch's given the torch module, input shapes)
    "sum": (lambda x: x.sum(), lambda torch, t: t.sum(), [(0, 3)]),
    "sum over the empty axis": (lambda x: x.sum(axis=0), lambda torch, t: t.sum(dim=0), [(0, 3)]),
    "sum over the other axis": (lambda x: x.sum(axis=1), lambda torch, t: t.sum(dim=1), [(0, 3)]),
    "mean": (lambda x: x.mean(), lambda torch, t: t.mean(), [(0, 3)]),
    "mean over the empty axis": (lambda x: x.mean(axis=0), lambda torch, t: t.mean(dim=0), [(0, 3)]),
    "mean over the other axis": (lambda x: x.mean(axis=1), lambda torch, t: t.mean(dim=1), [(0, 3)]),
    "(0,3)@(3,2)": (lambda a, b: a @ b, lambda torch, a, b: a @ b, [(0, 3), (3, 2)]),
    "(2,0)@(0,3)": (lambda a, b: a @ b, lambda torch, a, b: a @ b, [(2, 0), (0, 3)]),
    "index by an empty array": (lambda x: x[np.array([], dtype=np.intp)],
                                lambda torch, t: t[torch.tensor([], dtype=torch.long)], [(4, 3)]),
    "empty slice": (lambda x: x[1:1], lambda torch, t: t[1:1], [(4, 3)]),
    "index into an empty tensor": (lambda x: x[:, 1], lambda torch, t: t[:, 1], [(0, 3)]),
    "conv2d of a batch of 0": (lambda x, w, b: conv2d(x, w, b, padding=1),
                               lambda torch, x, w, b: torch.nn.functional.conv2d(x, w, b, padding=1),
                               [(0, 2, 5, 5), (3, 2, 3, 3), (3,)]),
}


@pytest.mark.torch
@pytest.mark.filterwarnings("ignore:Mean of empty slice", "ignore:invalid value encountered")
@pytest.mark.parametrize("name", list(EMPTY_CASES))
def test_gradients_of_size_0_tensors_match_torch(torch, name):
    """Reductions, matmul, indexing and conv2d of tensors with no elements: the gradients must
    have the inputs' shapes (zeros where an input had elements), as PyTorch's, not fail."""
    f, tf, shapes = EMPTY_CASES[name]
    _empty_case(torch, f, tf, shapes)


def test_equality_with_numbers_is_refused_and_comparisons_read_the_numbers():
    """`pred == y` was an identity test, always False: an accuracy of 0.0, silently."""
    t, arr = Tensor([1.0, 2.0]), np.array([1.0, 2.0])
    for f in (lambda: t == arr, lambda: arr == t, lambda: t == 2.0, lambda: np.float64(1.0) != t):
        with pytest.raises(TypeError, match=r"compare the numbers, t\.data == x"):
            f()
    assert t == t and t != Tensor([1.0, 2.0]) and {t: 1}[t] == 1 and t in [Tensor(0.0), t]  # nodes: identity
    np.testing.assert_array_equal(t > 1.5, [False, True])
    np.testing.assert_array_equal(np.greater(np.array(1.5), t), [True, False])
    assert bool(Tensor(2.0) <= 2.0) and not (Tensor([3.0]) < Tensor([1.0])).any()
    with pytest.raises(TypeError, match="takes no initial"):
        np.max(t, initial=0.0)


def test_a_float_tensor_cannot_index_and_says_what_can():
    with pytest.raises(IndexError, match=r"holds floats.*astype\(int\)"):
        Tensor([1.0, 2.0, 3.0])[Tensor([0, 2])]


def test_backward_on_a_result_of_no_grad_names_no_grad():
    x = Tensor([1.0], requires_grad=True)
    with no_grad():
        y = (x * 2).sum()
    with pytest.raises(RuntimeError, match=r"no_grad\(\)"):
        y.backward()


def test_a_convolution_and_a_pooling_are_one_node_and_one_step_each():
    """They were im2col pieces (pad, unfold, transpose, reshape, @, reshape, transpose, +):
    eleven steps for conv + pool + sum, none of them named a convolution."""
    x = Tensor(np.ones((1, 1, 4, 4)))
    w = Tensor(np.ones((2, 1, 3, 3)), requires_grad=True, label="w")
    b = Tensor(np.zeros(2), requires_grad=True, label="b")
    conv = conv2d(x, w, b, padding=1)
    pooled = max_pool2d(conv, 2)
    assert (conv.op, conv.parents) == ("conv2d", (x, w, b))
    assert (pooled.op, pooled.parents) == ("max_pool2d", (conv,))
    steps = pooled.sum().backward_steps()
    assert [str(s).split("(op ")[1].split(")")[0] for s in steps] == ["sum", "max_pool2d", "conv2d"]
    assert conv1d(Tensor(np.ones((1, 1, 5))), Tensor(np.ones((1, 1, 3)), requires_grad=True)).op == "conv1d"


def test_a_constant_input_to_a_convolution_costs_no_fold(monkeypatch):
    """The images into a network's first layer need no gradient: backward skips the Fold that
    adds every window's gradient back (the costly part), as MatMul skips a constant's product."""
    folds = []
    original = A.Fold.forward
    monkeypatch.setattr(A.Fold, "forward", staticmethod(lambda *a: folds.append(1) or original(*a)))
    w = Tensor(np.ones((2, 1, 3, 3)), requires_grad=True)
    conv2d(Tensor(np.ones((2, 1, 5, 5))), w, stride=2, padding=1).sum().backward()
    assert folds == [] and w.grad.shape == (2, 1, 3, 3)
    x = Tensor(np.ones((2, 1, 5, 5)), requires_grad=True)
    conv2d(x, w, stride=2, padding=1).sum().backward()
    assert folds == [1] and x.grad.shape == (2, 1, 5, 5)


def test_numbers_given_to_concatenate_stack_conv_and_pool_are_checked_in_their_name():
    """A bad array among the inputs said "Tensor() takes numbers", naming a call never written."""
    from autograd import concatenate, conv2d, max_pool2d, stack

    x = Tensor(np.ones((2, 2)), requires_grad=True)
    for call, message in [
        (lambda: concatenate([x, np.array([["a", "b"]])]), "concatenate: tensor 1 takes numbers"),
        (lambda: stack([x, np.array([[1, "a"], [2, 3]], dtype=object)]), "stack: tensor 1 takes numbers"),
        (lambda: conv2d(np.ones((1, 1, 3, 3)), [[[["a"]]]]), "conv2d: weight takes numbers"),
    ]:
        with pytest.raises(TypeError, match=message):
            call()
    with pytest.raises(ValueError, match=r"max_pool2d: input got nan"):
        max_pool2d(np.full((1, 1, 2, 2), np.nan), 2)
    assert stack([x, [[1, 2], [3, 4]]]).shape == (2, 2, 2)  # numbers are still inputs


def test_argmax_and_argmin_give_indices_as_numpy_ints_as_torch_gives_them():
    """A learner's accuracy, logits.argmax(1) == labels, raised AttributeError, and np.argmax of a
    tensor that requires grad was refused with a hint that named no way to do it."""
    z = Tensor([[0.1, 0.7, 0.7], [0.9, 0.05, -1.0]], requires_grad=True)
    assert z.argmax(1).tolist() == [1, 0] and z.argmin(axis=-1).tolist() == [0, 2]  # ties: the first
    assert z.argmax() == 3 and z.argmax(1, keepdims=True).shape == (2, 1)
    assert isinstance(z.argmax(1), np.ndarray) and z.argmax(1).dtype.kind == "i"
    assert Tensor(2.0).argmax() == 0
    with pytest.raises(TypeError, match=r"argmax\(\) takes one axis \(an int\) or None, got \(0, 1\)"):
        z.argmax((0, 1))
    with pytest.raises(ValueError, match=r"argmin\(\) over an empty axis of a tensor of shape \(0, 3\)"):
        Tensor(np.zeros((0, 3))).argmin(0)
    assert Tensor(np.zeros((0, 3))).argmax(1).shape == (0,)  # an empty batch: no rows, no indices
    with pytest.raises(TypeError, match=r"np\.argmax\(t\.data\), or t\.argmax\(\)"):
        np.argmax(z)
