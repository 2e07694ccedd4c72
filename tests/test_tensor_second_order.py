"""Tensor under ``create_graph``, against PyTorch: a leaf's gradient keeps the leaf's dtype, the
second partials of ``a ** b`` (a Tensor exponent) at negative, zero and positive bases, and
``transpose(None)`` / ``np.transpose(t)`` as numpy's, keeping the graph.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from autograd import Tensor, Value, grad, gradients

pytestmark = pytest.mark.torch

C64 = np.arange(3.0)  # a float64 array operand: it promotes a float32 forward to float64, as in torch


def torch_grads(torch, f, x, create_graph):
    """torch.autograd.grad of f at the numbers of x, in x's dtype."""
    t = torch.tensor(x, requires_grad=True)
    (g,) = torch.autograd.grad(f(t), [t], create_graph=create_graph)
    return t, g


# -- 1. a leaf's gradient has the leaf's dtype, also under create_graph -------------------------

@pytest.mark.parametrize("create_graph", [False, True])
def test_a_float32_leaf_gets_a_float32_gradient_from_a_float64_forward(torch, create_graph):
    x = Tensor(np.ones(3, np.float32), requires_grad=True)
    out = (x * C64).sum()
    assert out.dtype == np.float64  # numpy's promotion by a float64 array operand, as torch's
    (gx,) = gradients(out, [x], create_graph=create_graph)
    _, ref = torch_grads(torch, lambda t: (t * torch.tensor(C64)).sum(), np.ones(3, np.float32), create_graph)
    assert ref.dtype == torch.float32
    assert isinstance(gx, Tensor) == create_graph
    assert gx.dtype == np.float32
    np.testing.assert_array_equal(gx.data if create_graph else gx, np.array([0.0, 1.0, 2.0], np.float32))


def test_grad_of_a_float32_tensor_is_float32():
    f = lambda t: (t * C64).sum()  # noqa: E731
    x = Tensor(np.ones(3, np.float32), requires_grad=True)
    gx = grad(f)(x)  # a Tensor in: create_graph=True
    assert isinstance(gx, Tensor) and gx.dtype == np.float32
    np.testing.assert_array_equal(gx.data, [0.0, 1.0, 2.0])
    assert grad(f)(np.ones(3, np.float32)).dtype == np.float32  # (an array in: no create_graph)


def test_the_cast_gradient_is_a_graph_so_second_derivatives_still_flow(torch):
    """d/dx sum(x**3 * c) = 3 x**2 c, cast to float32 by an astype node; d2 = 6 x c, float32."""
    x0 = np.array([1.0, 2.0, -3.0], np.float32)
    x = Tensor(x0, requires_grad=True)
    (gx,) = gradients((x ** 3 * C64).sum(), [x], create_graph=True)
    assert gx.dtype == np.float32 and gx.op == "astype"
    (gxx,) = gradients((gx * gx).sum(), [x])  # d/dx sum((3 x**2 c)**2) = 36 x**3 c**2
    t, ref = torch_grads(torch, lambda t: (t ** 3 * torch.tensor(C64)).sum(), x0, create_graph=True)
    (ref2,) = torch.autograd.grad((ref * ref).sum(), [t])
    assert ref.dtype == ref2.dtype == torch.float32 and gxx.dtype == np.float32
    np.testing.assert_allclose(gx.data, ref.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(gxx, ref2.numpy(), rtol=1e-6)
    np.testing.assert_array_equal(gxx, np.array([0.0, 36 * 8 * 1, -36 * 27 * 4], np.float32))


def test_create_graph_passes_accumulate_in_the_leafs_dtype():
    x = Tensor(np.ones(3, np.float32), requires_grad=True)
    (x * C64).sum().backward()  # an ndarray gradient first
    (x * C64).sum().backward(create_graph=True)  # then a graph: ndarray + Tensor
    assert isinstance(x.grad, Tensor) and x.grad.dtype == np.float32
    (x * C64).sum().backward(create_graph=True)  # Tensor + Tensor
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad.data, [0.0, 3.0, 6.0])
    x.grad = None


def test_a_gradient_already_in_the_leafs_dtype_gets_no_cast_node():
    x = Tensor(np.ones(3, np.float32), requires_grad=True)
    (gx,) = gradients((x * 2.0).sum(), [x], create_graph=True)  # float32 throughout
    assert gx.dtype == np.float32 and gx.op != "astype"
    np.testing.assert_array_equal(gx.data, [2.0, 2.0, 2.0])


def test_an_intermediate_nodes_gradient_is_the_same_with_and_without_create_graph():
    """Only leaves are cast: an intermediate shows this pass's gradient as its op sent it."""
    seen = {}
    for create_graph in (False, True):
        x = Tensor(np.ones(3, np.float32), requires_grad=True)
        y = x * 1.0  # float32
        (y * C64).sum().backward(create_graph=create_graph)
        assert isinstance(y.grad, Tensor) == create_graph
        seen[create_graph] = y.grad.data if create_graph else y.grad
        assert x.grad.dtype == np.float32
        x.grad = None
    assert seen[True].dtype == seen[False].dtype
    np.testing.assert_array_equal(seen[True], seen[False])
    np.testing.assert_array_equal(seen[True], [0.0, 1.0, 2.0])


# -- 2. second partials of a ** b, b a Tensor ----------------------------------------------------

def our_pow_partials(a, b):
    """[d/da, d/db, d2/da2, d2/dadb, d2/dbda, d2/db2] of a**b at one point, Tensors."""
    x, e = Tensor([a], requires_grad=True), Tensor([b], requires_grad=True)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        gx, ge = gradients((x ** e).sum(), [x, e], create_graph=True)
        xx, xe = gradients(gx.sum(), [x, e])
        ex, ee = gradients(ge.sum(), [x, e])
    return [float(v[0]) for v in (gx.data, ge.data, xx, xe, ex, ee)]


def value_pow_partials(a, b):
    x, e = Value(a), Value(b)
    gx, ge = gradients(x ** e, [x, e], create_graph=True)
    xx, xe = gradients(gx, [x, e])
    ex, ee = gradients(ge, [x, e])
    return [float(getattr(v, "data", v)) for v in (gx, ge, xx, xe, ex, ee)]


def torch_pow_partials(torch, a, b):
    x = torch.tensor([a], requires_grad=True)
    e = torch.tensor([b], requires_grad=True)
    gx, ge = torch.autograd.grad((x ** e).sum(), [x, e], create_graph=True)
    xx, xe = torch.autograd.grad(gx.sum(), [x, e], retain_graph=True, allow_unused=True)
    ex, ee = torch.autograd.grad(ge.sum(), [x, e], allow_unused=True)
    return [0.0 if v is None else v.item() for v in (gx, ge, xx, xe, ex, ee)]


def same(ours, theirs):
    return all((math.isnan(o) and math.isnan(t)) or math.isclose(o, t, rel_tol=1e-12, abs_tol=1e-13)
               for o, t in zip(ours, theirs, strict=True))


NAMES = ["xx", "xe", "ex", "ee"]


@pytest.mark.parametrize("point", [(-2.0, 3.0), (-1.5, 2.0), (-0.7, -2.0), (-2.0, 0.0), (0.0, -1.0),
                                   (0.0, -0.5), (1.5, 2.5), (0.4, 0.0), (0.7, -1e-3)], ids=str)
def test_all_second_partials_of_a_tensor_power_match_torch(torch, point):
    """Negative base: every derivative through the exponent is nan (log of a negative), and so
    is every derivative of those (d/da of d/db included); a zero exponent masks d/da as torch's
    where(), so d2/dbda = d/da (a**b log a) = 1/a there.  Zero base, negative exponent: torch's
    infinities (d/db = inf * log 0 = -inf)."""
    ours, theirs = our_pow_partials(*point), torch_pow_partials(torch, *point)
    assert same(ours, theirs), f"{point}: ours {ours}, torch {theirs}"


def test_the_mixed_partial_at_a_negative_base_is_nan_not_zero(torch):
    x, e = Tensor([-2.0], requires_grad=True), Tensor([3.0], requires_grad=True)
    gx, ge = gradients((x ** e).sum(), [x, e], create_graph=True)
    assert np.isnan(ge.data[0])
    (ex,) = gradients(ge.sum(), [x])
    assert np.isnan(ex[0])
    assert math.isnan(torch_pow_partials(torch, -2.0, 3.0)[4])


@pytest.mark.parametrize("point", [(-2.0, 3.0), (-1.5, 2.0), (-0.7, -2.0), (1.5, 2.5), (0.4, 0.0),
                                   (-2.0, 0.0), (0.0, 0.0), (0.0, 0.5), (0.0, 1.0), (0.0, 1.5),
                                   (0.0, 2.0), (0.0, 3.0)], ids=str)
def test_tensor_and_value_powers_have_the_same_second_partials(point):
    """At a zero base with 0 < b < 1 Value's mixed partials were inf and 0, the Tensor's (and
    torch's) nan: Value took d/db a**b = 0 there as a constant, not as flat in a."""
    ours, values = our_pow_partials(*point), value_pow_partials(*point)
    assert same(ours, values), f"{point}: Tensor {ours}, Value {values}"


@pytest.mark.parametrize("b", [0.0, 0.5, 1.0, 2.0, 3.0])
def test_zero_base_with_a_nonnegative_exponent_keeps_the_limits(torch, b):
    """At a = 0, b >= 0 the first derivatives are torch's and d2/da2 too (but at 0**0, where torch
    has nan, as for Value in test_torch_oracle's test_power_at_zero); derivatives through log(a)
    are the limit here where torch says nan (as for Value, see test_torch_oracle's
    test_power_at_zero_base_with_a_positive_value_exponent): d2/db2 (0**b log(0)**2) = 0."""
    ours, theirs = our_pow_partials(0.0, b), torch_pow_partials(torch, 0.0, b)
    assert same(ours[:2] if b == 0 else ours[:3], theirs[:2] if b == 0 else theirs[:3]), (
        f"{b}: ours {ours}, torch {theirs}")
    assert ours[1] == 0.0 and ours[5] == 0.0
    if b != 0.5:  # (at b = 0.5, d/da = inf: its own derivatives meet inf * 0)
        assert ours[3:] == value_pow_partials(0.0, b)[3:]


def test_first_derivatives_at_a_zero_base_with_a_negative_exponent_are_torchs_infinities(torch):
    a, b = np.array([0.0, 0.0, 2.0]), np.array([-1.0, -0.5, -1.0])
    x, e = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    tx, te = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    with np.errstate(all="ignore"):
        (x ** e).sum().backward()
    (tx ** te).sum().backward()
    np.testing.assert_array_equal(x.grad, tx.grad.numpy())
    np.testing.assert_array_equal(e.grad, te.grad.numpy())
    assert e.grad[0] == -np.inf


def test_a_zero_exponent_masks_a_nan_upstream_gradient_as_torchs_where(torch):
    """d/da a**0 is 0 even where the gradient coming in is nan, as torch's where(b == 0, 0, ...)."""
    a, b, n = np.array([2.0, -1.0, 3.0]), np.array([0.0, 0.0, 1.0]), np.array([-1.0, -1.0, math.e])
    x, e = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    tx, te = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    with np.errstate(invalid="ignore"):
        (x ** e * Tensor(n).log()).sum().backward()  # upstream of a**b: log(n) = [nan, nan, 1]
    (tx ** te * torch.tensor(n).log()).sum().backward()
    np.testing.assert_array_equal(x.grad, tx.grad.numpy())
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 1.0])


def test_second_partials_of_a_broadcast_power_match_torch(torch):
    """Hessian-vector products of a**b, a (4,) and b (3, 1): negative and positive bases, zero,
    integer and fractional exponents, summed over the broadcast."""
    a = np.array([-2.0, 1.5, -0.5, 0.8])
    b = np.array([[3.0], [0.0], [2.0]])
    ours, theirs = [], []
    x, e = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    gx, ge = gradients((x ** e).sum(), [x, e], create_graph=True)
    for first in (gx, ge):
        ours += [g.data if isinstance(g, Tensor) else g for g in gradients(first.sum(), [x, e])]
    tx, te = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    tgx, tge = torch.autograd.grad((tx ** te).sum(), [tx, te], create_graph=True)
    for first in (tgx, tge):
        theirs += [g.numpy() for g in torch.autograd.grad(first.sum(), [tx, te], retain_graph=True)]
    np.testing.assert_allclose(gx.data, tgx.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(ge.data, tge.detach().numpy(), rtol=1e-12)
    for name, o, t in zip(NAMES, ours, theirs):
        np.testing.assert_allclose(o, t, rtol=1e-12, atol=1e-13, err_msg=name)  # (nan == nan here)
    assert np.isnan(ours[2]).tolist() == [True, False, True, False]  # d2/dbda: nan at negative bases


# -- 3. transpose(None) and np.transpose ----------------------------------------------------------

def test_transpose_of_none_reverses_the_axes_as_numpy(torch):
    data = np.arange(24.0).reshape(2, 3, 4)
    up = np.random.default_rng(0).standard_normal((4, 3, 2))
    for f in (lambda t: t.transpose(None), lambda t: t.transpose()):
        x = Tensor(data, requires_grad=True)
        y = f(x)
        assert y.shape == (4, 3, 2) and y.op == "transpose"
        np.testing.assert_array_equal(y.data, data.transpose(None))
        y.backward(up)
        t = torch.tensor(data, requires_grad=True)
        t.permute(2, 1, 0).backward(torch.tensor(up))
        np.testing.assert_array_equal(x.grad, t.grad.numpy())


def test_np_transpose_of_a_tensor_is_the_tensors_transpose_with_its_gradient(torch):
    data = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    w = np.array([[1.0, -1.0], [2.0, 0.5], [-3.0, 4.0]])
    x = Tensor(data, requires_grad=True)
    y = np.transpose(x)
    assert isinstance(y, Tensor) and y.op == "transpose" and y.parents == (x,)
    (y * w).sum().backward()
    t = torch.tensor(data, requires_grad=True)
    (t.T * torch.tensor(w)).sum().backward()
    np.testing.assert_array_equal(x.grad, t.grad.numpy())
    np.testing.assert_array_equal(x.grad, w.T)

    x3 = Tensor(np.arange(24.0).reshape(2, 3, 4), requires_grad=True)
    z = np.transpose(x3, (1, 2, 0))
    assert isinstance(z, Tensor) and z.shape == (3, 4, 2)
    up = np.random.default_rng(1).standard_normal((3, 4, 2))
    z.backward(up)
    t3 = torch.tensor(np.arange(24.0).reshape(2, 3, 4), requires_grad=True)
    t3.permute(1, 2, 0).backward(torch.tensor(up))
    np.testing.assert_array_equal(x3.grad, t3.grad.numpy())


def test_np_transpose_of_a_constant_tensor_is_a_constant_tensor():
    c = Tensor([[1.0, 2.0]])
    y = np.transpose(c)
    assert isinstance(y, Tensor) and not y.requires_grad and y.shape == (2, 1)
    np.testing.assert_array_equal(y.data, [[1.0], [2.0]])


def test_a_gradient_given_to_backward_that_requires_grad_stays_in_the_graph(torch):
    """backward(u, create_graph=True) took u's numbers only, so d(x.grad)/du came out 0: the
    double-backward trick for Jacobian-vector products gave zeros where torch gives J^T."""
    x0, w = np.array([0.3, -0.5, 1.2]), np.array([1.0, 2.0, 3.0])
    x, u = Tensor(x0, requires_grad=True), Tensor(np.zeros(3), requires_grad=True)
    (x.tanh() * 2).backward(u, create_graph=True)
    (du,) = gradients((x.grad * w).sum(), [u])
    tx, tu = (torch.tensor(a, requires_grad=True) for a in (x0, np.zeros(3)))
    (gx,) = torch.autograd.grad(tx.tanh() * 2, tx, grad_outputs=tu, create_graph=True)
    (expected,) = torch.autograd.grad((gx * torch.tensor(w)).sum(), tu)
    np.testing.assert_allclose(du, expected.numpy(), rtol=1e-14)
    a, v = Value(0.3), Value(0.0)  # and Values
    (a.tanh() * 2).backward(v, create_graph=True)
    assert gradients(a.grad * 3, [v])[0] == pytest.approx(6 * (1 - np.tanh(0.3) ** 2), rel=1e-14)
    b = Value(0.3)
    (b * 2).backward(Value(0.5))  # without create_graph a Value gradient gives its number
    assert b.grad == 1.0


def test_grad_takes_a_constant_tensor_as_its_numbers():
    """grad(f)(Tensor([1., 2.])) said "gradients(): input 0 (unlabelled) does not require grad",
    naming a function the learner never called, where the same numbers as an array worked."""
    f = lambda t: (t * t).sum()  # noqa: E731
    got = grad(f)(Tensor(np.array([1.0, 2.0], dtype=np.float32)))
    assert type(got) is np.ndarray and got.dtype == np.float32 and got.tolist() == [2.0, 4.0]
    assert np.array_equal(got, grad(f)(np.array([1.0, 2.0])))  # as an array's numbers: numbers out
    learning = Tensor([1.0, 2.0], requires_grad=True)
    assert isinstance(grad(f)(learning), Tensor)  # a node that requires grad: a node out, as before
    assert grad(lambda v: v * v)(Value(3.0).detach()) == 6.0  # a constant Value too (Value() takes no flag)
