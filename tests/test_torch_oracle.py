"""Every op against PyTorch float64: values, and first, second and third derivatives.

Ours: ``backward(create_graph=True)`` repeatedly; PyTorch: ``torch.autograd.grad`` with
``create_graph=True``.  For a function of n inputs, every partial derivative up to order 3.
"""

from __future__ import annotations

import math

import pytest

from autograd import Value

pytestmark = pytest.mark.torch

POINTS = [-2.3, -0.7, -1e-3, 1e-3, 0.4, 1.9]
POSITIVE = [1e-3, 0.05, 0.4, 1.9, 7.5]

UNARY = {
    "neg": lambda x: -x,
    "exp": lambda x: x.exp(),
    "tanh": lambda x: x.tanh(),
    "sigmoid": lambda x: x.sigmoid(),
    "relu": lambda x: x.relu(),
    "abs": lambda x: x.abs(),
    "sin": lambda x: x.sin(),
    "cos": lambda x: x.cos(),
    "x**3": lambda x: x ** 3,
    "x**2": lambda x: x ** 2,
    "x**-2": lambda x: x ** -2,
    "x**0": lambda x: x ** 0,
    "x**1": lambda x: x ** 1,
    "x+2.5": lambda x: x + 2.5,
    "2.5-x": lambda x: 2.5 - x,
    "3*x": lambda x: 3 * x,
    "x/3": lambda x: x / 3,
    "3/x": lambda x: 3 / x,
    "x*x": lambda x: x * x,
    "x/x": lambda x: x / x,
    "x-x": lambda x: x - x,
    "2**x": lambda x: 2 ** x,
}
POSITIVE_UNARY = {
    "log": lambda x: x.log(),
    "sqrt": lambda x: x.sqrt(),
    "x**0.5": lambda x: x ** 0.5,
    "x**2.5": lambda x: x ** 2.5,
    "x**-1.5": lambda x: x ** -1.5,
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a ** b,
}
BINARY_POINTS = [(0.4, 1.9), (1.9, -0.7), (2.3, -1e-3), (1e-3, 2.5), (0.7, 3.0)]
NEGATIVE_BASE_POINTS = [(-1.5, 3.0), (-0.7, -2.0), (-2.0, 2.0)]  # pow: integer exponents only


# -- ours and theirs ---------------------------------------------------------------------------

def our_partials(f, point, order=3):
    """{(i, j, ...): d^k f / dx_i dx_j ...} for k = 0..order, with backward(create_graph=True)."""
    xs = [Value(v) for v in point]
    out = f(*xs)
    result = {(): out.data}
    frontier = {(): out}
    for _ in range(order):
        deeper = {}
        for key, node in frontier.items():
            for x in xs:
                x.grad = 0.0
            if isinstance(node, Value):
                node.backward(create_graph=True)
            for i, x in enumerate(xs):
                deeper[key + (i,)] = x.grad
                result[key + (i,)] = float(getattr(x.grad, "data", x.grad))  # (float() warns: off the graph)
        frontier = deeper
    for x in xs:
        x.grad = 0.0  # break the cycles create_graph makes
    return result


def torch_partials(torch, f, point, order=3):
    xs = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in point]
    out = f(*xs)
    result = {(): out.item()}
    frontier = {(): out}
    for _ in range(order):
        deeper = {}
        for key, node in frontier.items():
            if node is not None and node.requires_grad:
                grads = torch.autograd.grad(node, xs, create_graph=True, allow_unused=True)
            else:
                grads = [None] * len(xs)  # a constant: every further derivative is 0
            for i, g in enumerate(grads):
                deeper[key + (i,)] = g
                result[key + (i,)] = 0.0 if g is None else g.item()
        frontier = deeper
    return result


def close(ours, theirs):
    if math.isnan(theirs):
        return math.isnan(ours)
    return math.isclose(ours, theirs, rel_tol=1e-12, abs_tol=1e-13)


def assert_matches(ours, theirs, what):
    assert ours.keys() == theirs.keys()
    bad = {k: (ours[k], theirs[k]) for k in ours if not close(ours[k], theirs[k])}
    assert not bad, f"{what}: derivative (inputs) -> (ours, torch): {bad}"


# -- the comparisons ---------------------------------------------------------------------------

@pytest.mark.parametrize("x", POINTS)
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_ops_up_to_third_derivative(torch, name, x):
    f = UNARY[name]
    assert_matches(our_partials(f, [x]), torch_partials(torch, f, [x]), f"{name} at {x}")


@pytest.mark.parametrize("x", POSITIVE)
@pytest.mark.parametrize("name", sorted(POSITIVE_UNARY))
def test_ops_defined_for_positive_inputs_up_to_third_derivative(torch, name, x):
    f = POSITIVE_UNARY[name]
    assert_matches(our_partials(f, [x]), torch_partials(torch, f, [x]), f"{name} at {x}")


@pytest.mark.parametrize("point", BINARY_POINTS)
@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_ops_all_partials_up_to_third_order(torch, name, point):
    f = BINARY[name]
    assert_matches(our_partials(f, point), torch_partials(torch, f, point), f"{name} at {point}")


@pytest.mark.parametrize("point", NEGATIVE_BASE_POINTS)
def test_power_of_a_negative_base_by_a_value_exponent(torch, point):
    """d/db a**b = a**b log(a) is nan for a < 0 in both; d/da is a plain number."""
    f = BINARY["pow"]
    assert_matches(our_partials(f, point), torch_partials(torch, f, point), f"pow at {point}")


def test_power_of_a_negative_base_by_a_zero_exponent_to_second_order(torch):
    """a**0 is flat in a whatever flows back (PyTorch's where): d2/db da is log(a)'s slope 1/a,
    not nan, and d2/da db nan (they were nan and 0).  Beyond, PyTorch's nans are 0 * nan."""
    f = BINARY["pow"]
    ours, theirs = our_partials(f, (-2.0, 0.0), order=2), torch_partials(torch, f, (-2.0, 0.0), order=2)
    assert_matches(ours, theirs, "pow at (-2, 0)")
    assert ours[(1, 0)] == -0.5 and math.isnan(ours[(0, 1)])


def test_power_at_zero(torch):
    for f, point in [(lambda a: a ** 3, (0.0,)), (lambda a: a ** 0, (0.0,)),
                     (lambda a: a ** 2, (0.0,))]:
        assert_matches(our_partials(f, point), torch_partials(torch, f, point), f"pow at {point}")
    # 0**0: first derivatives agree (0, 0); beyond that PyTorch gives nan, we give 0
    f, point = (lambda a, b: a ** b), (0.0, 0.0)
    first = our_partials(f, point, order=1)
    assert first == torch_partials(torch, f, point, order=1) == {(): 1.0, (0,): 0.0, (1,): 0.0}


def test_power_at_zero_base_with_a_positive_value_exponent(torch):
    """d/db 0**b is 0 (the limit of a**b log(a)) in both.  Higher derivatives through the
    exponent diverge at a = 0: PyTorch says nan, we say a finite number; not compared."""
    f, point = (lambda a, b: a ** b), (0.0, 2.0)
    ours, theirs = our_partials(f, point), torch_partials(torch, f, point)
    assert ours[(1,)] == theirs[(1,)] == 0.0
    base_only = [k for k in ours if 1 not in k]
    assert_matches({k: ours[k] for k in base_only}, {k: theirs[k] for k in base_only}, "pow at 0")


INFINITE_SLOPES = {  # where the slope is infinite: IEEE's inf at every order, never a raise
    "sqrt at 0": (lambda x: x.sqrt(), (0.0,), 2),
    "x**0.5 at 0": (lambda x: x ** 0.5, (0.0,), 2),
    "x**1.5 at 0": (lambda x: x ** 1.5, (0.0,), 2),
    "x**-1 at 1e-200": (lambda x: x ** -1, (1e-200,), 2),
    "0**e, e a node": (lambda e: 0.0 ** e, (0.5,), 1),  # (beyond: nan in PyTorch, see above)
}


@pytest.mark.parametrize("name", sorted(INFINITE_SLOPES))
def test_infinite_slopes_under_create_graph_are_torchs_infinities(torch, name):
    """Without create_graph these slopes were IEEE's inf already; with it, the slope is a graph
    of Value ops, whose ** raises at 0: the slope's own nodes must give inf as well."""
    f, point, order = INFINITE_SLOPES[name]
    ours = our_partials(f, point, order)
    assert_matches(ours, torch_partials(torch, f, point, order), name)
    x = Value(point[0])
    f(x).backward()
    assert x.grad == ours[(0,)]  # the same first derivative with and without create_graph


@pytest.mark.parametrize("x", POINTS)
def test_step_against_heaviside(torch, x):
    v = Value(x)
    out = v.step()
    out.backward()
    assert out.data == torch.heaviside(torch.tensor(x), torch.tensor(1.0)).item()
    assert v.grad == 0.0
    assert our_partials(lambda v: v.step(), [x]) == {(): out.data, (0,): 0.0, (0, 0): 0.0,
                                                    (0, 0, 0): 0.0}


def test_first_derivatives_of_arithmetic_are_exact(torch):
    for name in ("add", "sub", "mul", "div"):
        for point in BINARY_POINTS:
            f = BINARY[name]
            ours, theirs = our_partials(f, point, order=1), torch_partials(torch, f, point, order=1)
            assert ours == theirs, f"{name} at {point}"


def test_a_composite_function_with_shared_subexpressions(torch):
    def f(x, y, z):
        a = x * y + z.sin()
        b = a.tanh() * a - (y / (z * z + 1)).exp()
        return (b * b + 1).log() + a.sigmoid() * x ** 2 - (a * a + 1).sqrt() + abs(z) * y.relu()

    for point in [(0.3, -1.2, 0.8), (-1.1, 0.9, -0.4)]:
        assert_matches(our_partials(f, point), torch_partials(torch, f, point), f"f at {point}")


# -- Newton's method with second derivatives from create_graph ---------------------------------

def newton_ours(g, x0, steps=30):
    x = Value(x0)
    for _ in range(steps):
        x.grad = 0.0
        g(x).backward(create_graph=True)
        d1 = x.grad
        x.grad = 0.0
        d1.backward()
        d2 = x.grad
        x = Value(x.data - d1.data / d2)
    return x.data


def newton_torch(torch, g, x0, steps=30):
    x = torch.tensor(x0, requires_grad=True)
    for _ in range(steps):
        (d1,) = torch.autograd.grad(g(x), x, create_graph=True)
        (d2,) = torch.autograd.grad(d1, x)
        x = (x - d1 / d2).detach().requires_grad_(True)
    return x.item()


def test_newton_minimisation_converges_to_the_same_point_as_torch(torch):
    def g(x):  # one minimum, near -1.2337; Newton solves g'(x) = 0 with g'' from create_graph
        return x.exp() + (x * x).cos() + x + 0.5 * x ** 4

    for x0 in (-0.3, 0.2):
        ours, theirs = newton_ours(g, x0), newton_torch(torch, g, x0)
        assert ours == pytest.approx(theirs, rel=1e-12)
        x = torch.tensor(ours, requires_grad=True)
        (slope,) = torch.autograd.grad(g(x), x)
        assert abs(slope.item()) < 1e-12  # a stationary point
        (slope,) = torch.autograd.grad(g(x), x, create_graph=True)
        (curvature,) = torch.autograd.grad(slope, x)
        assert curvature.item() > 0  # a minimum
