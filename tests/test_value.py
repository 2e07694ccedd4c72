"""Value: every operator and method (value and gradient), repr, labels, parents, modes, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd import Tensor, Value, enable_grad, is_grad_enabled, no_grad
from autograd.graph import apply
from autograd.ops import Op


def grads_of(f, *xs):
    """(value, [d f / d x for x in xs]) after one backward() on fresh leaves."""
    leaves = [Value(x) for x in xs]
    out = f(*leaves)
    out.backward()
    return out.data, [leaf.grad for leaf in leaves]


# -- operators ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "f, a, b, value, da, db",
    [
        (lambda a, b: a + b, 2.0, -3.0, -1.0, 1.0, 1.0),
        (lambda a, b: a - b, 2.0, -3.0, 5.0, 1.0, -1.0),
        (lambda a, b: a * b, 2.0, -3.0, -6.0, -3.0, 2.0),
        (lambda a, b: a / b, 3.0, -2.0, -1.5, -0.5, -0.75),
        (lambda a, b: a ** b, 2.0, 3.0, 8.0, 12.0, 8.0 * math.log(2.0)),
        (lambda a, b: a ** b, 4.0, -0.5, 0.5, -0.0625, 0.5 * math.log(4.0)),
    ],
    ids=["add", "sub", "mul", "div", "pow-value", "pow-value-negative-exponent"],
)
def test_binary_operators_between_values(f, a, b, value, da, db):
    out, (ga, gb) = grads_of(f, a, b)
    assert out == pytest.approx(value, rel=1e-15)
    assert ga == pytest.approx(da, rel=1e-15)
    assert gb == pytest.approx(db, rel=1e-15)


@pytest.mark.parametrize(
    "f, x, value, dx",
    [
        (lambda x: x + 5, 2.0, 7.0, 1.0),
        (lambda x: 5 + x, 2.0, 7.0, 1.0),
        (lambda x: x - 5, 2.0, -3.0, 1.0),
        (lambda x: 5 - x, 2.0, 3.0, -1.0),
        (lambda x: x * 5, 2.0, 10.0, 5.0),
        (lambda x: 5 * x, 2.0, 10.0, 5.0),
        (lambda x: x / 4, 2.0, 0.5, 0.25),
        (lambda x: 4 / x, 2.0, 2.0, -1.0),
        (lambda x: x ** 3, 2.0, 8.0, 12.0),
        (lambda x: x ** 3, -2.0, -8.0, 12.0),
        (lambda x: x ** -1, 2.0, 0.5, -0.25),
        (lambda x: x ** 0.5, 4.0, 2.0, 0.25),
        (lambda x: x ** 0, 2.0, 1.0, 0.0),
        (lambda x: x ** 1, -2.0, -2.0, 1.0),
        (lambda x: 2 ** x, 3.0, 8.0, 8.0 * math.log(2.0)),
        (lambda x: 2.5 + x, 2.0, 4.5, 1.0),
        (lambda x: x * np.float64(3.0), 2.0, 6.0, 3.0),
        (lambda x: -x, 2.0, -2.0, -1.0),
        (lambda x: -(x * 2), 2.0, -4.0, -2.0),
        (lambda x: abs(x), -2.0, 2.0, -1.0),
    ],
    ids=["x+5", "5+x", "x-5", "5-x", "x*5", "5*x", "x/4", "4/x", "x**3", "(-x)**3", "x**-1",
         "x**0.5", "x**0", "x**1", "2**x", "2.5+x", "x*np.float64", "-x", "-(2x)", "abs(x)"],
)
def test_operators_with_numbers_on_either_side(f, x, value, dx):
    out, (gx,) = grads_of(f, x)
    assert out == pytest.approx(value, rel=1e-15)
    assert gx == pytest.approx(dx, rel=1e-15)


def test_numbers_on_either_side_give_value_nodes_with_constant_leaves():
    x = Value(2.0, label="x")
    for out in (x + 1, 1 + x, x - 1, 1 - x, x * 2, 2 * x, x / 2, 2 / x, x ** 2, 2 ** x):
        assert type(out) is Value
        assert len(out.parents) in (1, 2)
        assert x in out.parents
        others = [p for p in out.parents if p is not x]
        assert all(p.op == "" and p.parents == () for p in others)


def test_reflected_ops_keep_the_number_on_the_left():
    x = Value(2.0, label="x")
    for out, number in ((3 - x, 3.0), (3 / x, 3.0), (3 + x, 3.0), (3 * x, 3.0), (3 ** x, 3.0)):
        left, right = out.parents
        assert left.data == number and right is x
    assert (3 - x).data == 1.0 and (3 / x).data == 1.5 and (3 ** x).data == 9.0


# -- methods -----------------------------------------------------------------------------------

SIG = 1 / (1 + math.exp(-0.7))

METHODS = [
    ("exp", 0.7, math.exp(0.7), math.exp(0.7)),
    ("log", 0.7, math.log(0.7), 1 / 0.7),
    ("sqrt", 0.7, math.sqrt(0.7), 0.5 / math.sqrt(0.7)),
    ("tanh", 0.7, math.tanh(0.7), 1 - math.tanh(0.7) ** 2),
    ("tanh", -0.7, math.tanh(-0.7), 1 - math.tanh(0.7) ** 2),
    ("sigmoid", 0.7, SIG, SIG * (1 - SIG)),
    ("sigmoid", -0.7, 1 - SIG, SIG * (1 - SIG)),
    ("sigmoid", -800.0, 0.0, 0.0),
    ("sigmoid", 800.0, 1.0, 0.0),
    ("relu", 0.7, 0.7, 1.0),
    ("relu", -0.7, 0.0, 0.0),
    ("relu", 0.0, 0.0, 0.0),
    ("abs", -0.7, 0.7, -1.0),
    ("abs", 0.7, 0.7, 1.0),
    ("abs", 0.0, 0.0, 0.0),
    ("sin", 0.7, math.sin(0.7), math.cos(0.7)),
    ("cos", 0.7, math.cos(0.7), -math.sin(0.7)),
    ("step", 0.7, 1.0, 0.0),
    ("step", 0.0, 1.0, 0.0),
    ("step", -0.7, 0.0, 0.0),
]


@pytest.mark.parametrize("method, x, value, dx", METHODS, ids=[f"{m}({x})" for m, x, *_ in METHODS])
def test_methods_value_and_gradient(method, x, value, dx):
    out, (gx,) = grads_of(lambda v: getattr(v, method)(), x)
    assert out == pytest.approx(value, rel=1e-15, abs=1e-300)
    assert gx == pytest.approx(dx, rel=1e-14, abs=1e-300)
    assert getattr(Value(x), method)().op == method


def test_float_conversion_warns_that_the_number_is_off_the_graph():
    """math.exp(x) (which calls float) gave a plain number, and x's gradient silently stayed 0;
    torch warns too.  A constant, or .data, converts without a word."""
    import math
    import warnings

    from autograd import Tensor

    x = Value(2.5)
    with pytest.warns(UserWarning, match=r"float\(\) of a Value that needs a gradient .* off the graph"):
        assert math.exp(x) == math.exp(2.5)
    with pytest.warns(UserWarning, match=r"(?s)float\(\) of a Tensor that needs a gradient .*math\.exp\(t\)"
                                         r".*the Tensor's own ops \(t\.exp\(\), t\.tanh\(\)\).*t\.item\(\)"):
        assert float(Tensor([2.5], requires_grad=True) * 2) == 5.0  # (in a tensor's names, not v's)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert float(x.detach()) == float(Tensor(2.5)) == float(x.data) == 2.5


# -- the node protocol: repr, labels, parents, op ----------------------------------------------

def test_repr_format():
    x = Value(0.5, label="x")
    o = (x * 2 - 0.1186264129804570).tanh()  # tanh(atanh(1/sqrt(2)))
    o.label = "o"
    o.backward()
    assert repr(o) == "Value(data=0.7071, grad=1.0000, label='o', op='tanh')"
    assert repr(Value(3.0)) == "Value(data=3.0000, grad=0.0000)"
    assert repr(Value(-2.0, label="w")) == "Value(data=-2.0000, grad=0.0000, label='w')"
    assert repr(Value(1e-5)) == "Value(data=1.0000e-05, grad=0.0000)"
    assert repr(Value(2e6)) == "Value(data=2.0000e+06, grad=0.0000)"
    assert repr(Value(3.0) ** 3) == "Value(data=27.0000, grad=0.0000, op='**3')"
    # as the stepper and the tree write numbers (one function): no "-0.0000", four digits below 0.1
    assert repr(Value(-0.0)) == "Value(data=0.0000, grad=0.0000)"
    assert repr(Value(0.0001816)) == "Value(data=0.0001816, grad=0.0000)"


def test_repr_of_a_gradient_that_is_a_graph():
    x = Value(3.0, label="x")
    (x * x).backward(create_graph=True)
    assert repr(x) == "Value(data=3.0000, grad=Value(6.0000), label='x')"
    x.grad = 0.0  # break the cycle x -> x.grad -> x (see test_graph)


def test_labels():
    x = Value(1.0, label="x")
    assert x.label == "x"
    assert Value(1.0).label == ""
    y = x * 2
    assert y.label == ""
    y.label = "y"
    assert y.label == "y" and "label='y'" in repr(y)
    with pytest.raises(TypeError, match="label must be a str, got int"):
        Value(1.0, label=3)


def test_parents_are_a_tuple_in_argument_order():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    for out in (a + b, a - b, a * b, a / b, a ** b):
        assert type(out.parents) is tuple
        assert out.parents[0] is a and out.parents[1] is b
    for out in (b + a, b * a):
        assert out.parents[0] is b and out.parents[1] is a
    same = a * a
    assert same.parents == (a, a) and same.parents[0] is same.parents[1]
    assert a.tanh().parents[0] is a and len(a.tanh().parents) == 1
    assert a.parents == ()


@pytest.mark.parametrize(
    "f, op",
    [
        (lambda x, y: x + y, "+"), (lambda x, y: x - y, "-"), (lambda x, y: x * y, "*"),
        (lambda x, y: x / y, "/"), (lambda x, y: x ** y, "**"), (lambda x, y: x ** 3, "**3"),
        (lambda x, y: x ** 0.5, "**0.5"), (lambda x, y: x ** -1, "**-1"), (lambda x, y: 2 ** x, "**"),
        (lambda x, y: -x, "neg"), (lambda x, y: abs(x), "abs"), (lambda x, y: x, ""),
    ],
)
def test_op_strings(f, op):
    assert f(Value(2.0), Value(3.0)).op == op


def test_detach_makes_a_new_leaf_that_blocks_gradient():
    x = Value(3.0, label="x")
    y = x * 2
    d = y.detach()
    assert d is not y and d.data == 6.0 and d.op == "" and d.parents == () and d.grad == 0.0
    z = d * x
    z.backward()
    assert x.grad == 6.0  # d(d * x)/dx with d constant; nothing flows through d to x
    assert y.grad == 0.0 and d.grad == 3.0


# -- no_grad / enable_grad ---------------------------------------------------------------------

def test_no_grad_records_no_graph():
    x = Value(2.0)
    with no_grad():
        assert not is_grad_enabled()
        y = (x * x + 1).tanh()
        z = x ** Value(2.0)
    assert is_grad_enabled()
    for out in (y, z):
        assert out.parents == () and out.op == ""
    assert y.data == math.tanh(5.0) and z.data == 4.0
    with pytest.raises(RuntimeError, match="computed under no_grad"):  # x.grad would stay 0, silently
        y.backward()
    assert x.grad == 0.0
    Value(5.0).backward()  # a leaf of one's own is a root like any other: d x / d x = 1


def test_no_grad_nests_and_enable_grad_records_inside_it():
    x = Value(2.0)
    with no_grad():
        with no_grad():
            assert not is_grad_enabled()
        assert not is_grad_enabled()  # leaving the inner block keeps the outer one
        with enable_grad():
            assert is_grad_enabled()
            recorded = x * 3
        unrecorded = x * 3
    assert recorded.parents[0] is x and recorded.op == "*"
    assert unrecorded.parents == ()
    assert is_grad_enabled()


def test_no_grad_is_restored_after_an_exception():
    with pytest.raises(ZeroDivisionError):
        with no_grad():
            Value(1.0) / 0
    assert is_grad_enabled()
    assert (Value(1.0) * 2).op == "*"


# -- accumulation semantics --------------------------------------------------------------------

@pytest.mark.parametrize("cube", [lambda x: x ** 3, lambda x: x * x * x])
def test_leaves_accumulate_across_backward_calls_like_pytorch(cube):
    x = Value(3.0)
    y = cube(x)
    y.backward()
    assert x.grad == 27.0
    y.backward()
    assert x.grad == 54.0  # micrograd gives 72 for x*x*x: it also accumulates into x*x


def test_intermediate_nodes_show_the_latest_pass_only():
    x = Value(2.0)
    y = x * x
    z = y * 3
    z.backward()
    assert (y.grad, z.grad, x.grad) == (3.0, 1.0, 12.0)
    z.backward()
    assert (y.grad, z.grad, x.grad) == (3.0, 1.0, 24.0)
    y.backward()  # y as the root: y.grad is this pass's seed, not 3 + 1
    assert y.grad == 1.0 and x.grad == 28.0


def test_a_leaf_used_as_root():
    x = Value(5.0)
    x.backward()
    assert x.grad == 1.0
    x.backward()
    assert x.grad == 2.0


def test_backward_with_a_seed_gradient():
    x = Value(3.0)
    (x * x).backward(gradient=0.5)
    assert x.grad == 3.0


def test_a_node_used_several_times_sums_its_contributions():
    x = Value(0.5)
    a = x.tanh()
    y = a * a + a + a.exp()
    y.backward()
    t = math.tanh(0.5)
    assert x.grad == pytest.approx((2 * t + 1 + math.exp(t)) * (1 - t * t), rel=1e-15)


# -- bad input ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "data, error, words",
    [
        ("abc", TypeError, ["str", "'abc'"]),
        (None, TypeError, ["NoneType"]),
        ([1, 2], TypeError, ["list"]),
        (np.array([1.0, 2.0]), TypeError, ["ndarray", "(2,)"]),
        (float("nan"), ValueError, ["nan"]),
        (1 + 2j, TypeError, ["complex"]),
    ],
    ids=["str", "None", "list", "array", "nan", "complex"],
)
def test_bad_input_names_what_came(data, error, words):
    with pytest.raises(error) as info:
        Value(data)
    for word in words:
        assert word in str(info.value)


def test_numbers_of_any_real_type_are_accepted():
    for data in (2, 2.0, np.float64(2.0), np.int32(2), np.float32(2.0)):
        v = Value(data)
        assert type(v.data) is float and v.data == 2.0


@pytest.mark.parametrize(
    "f",
    [lambda: Value(1) + "a", lambda: "a" + Value(1), lambda: Value(1) * None,
     lambda: Value(1) - [1], lambda: Value(2) ** "a", lambda: Value(2) / "a"],
    ids=["V+str", "str+V", "V*None", "V-list", "V**str", "V/str"],
)
def test_operating_with_a_non_number_raises_type_error(f):
    with pytest.raises(TypeError):
        f()


def test_a_str_or_none_operand_is_named_with_what_a_value_takes():
    """Python's own words were "unsupported operand type(s) for +: 'Value' and 'str'", and for
    'ab' * v a misleading "can't multiply sequence by non-int of type 'Value'"."""
    import numpy as np

    from autograd import Tensor

    for node, kind in [(Value(1.0), "Value"), (Tensor([1.0]), "Tensor")]:
        for f in [lambda v: v + "a", lambda v: "ab" * v, lambda v: v ** "2", lambda v: "2" ** v]:
            with pytest.raises(TypeError, match=rf"a {kind}'s arithmetic takes numbers and {kind}s, got str "
                                                r".* float\(\) it first"):
                f(node)
        with pytest.raises(TypeError, match=rf"a {kind}'s arithmetic .* got NoneType None$"):
            node - None
    assert (Tensor([1.0]) + np.array([2.0])).data.tolist() == [3.0]  # arrays are still operands


@pytest.mark.parametrize(
    "f, error, words",
    [
        (lambda: Value(0.0).log(), ValueError, ["log", "0"]),
        (lambda: Value(-2.0).log(), ValueError, ["log", "-2"]),
        (lambda: Value(1.0) / 0, ZeroDivisionError, ["/", "1 / 0"]),
        (lambda: Value(1.5) / Value(0.0), ZeroDivisionError, ["/", "1.5 / 0"]),
        (lambda: 3 / Value(0.0), ZeroDivisionError, ["/", "3 / 0"]),
        (lambda: Value(-4.0).sqrt(), ValueError, ["sqrt", "-4"]),
        (lambda: Value(0.0) ** -1, ZeroDivisionError, ["**-1", "0"]),
        (lambda: Value(0.0) ** Value(-2.0), ZeroDivisionError, ["**", "0"]),
        (lambda: Value(-8.0) ** Value(1 / 3), ValueError, ["**", "-8"]),
        (lambda: Value(-8.0) ** 0.5, ValueError, ["**0.5", "-8"]),
        (lambda: Value(800.0).exp(), OverflowError, ["exp", "800"]),
        (lambda: Value(10.0) ** 400, OverflowError, ["**400", "10"]),
        (lambda: Value(2.0) ** Value(2000.0), OverflowError, ["**", "2000"]),
        (lambda: 2 ** Value(2000.0), OverflowError, ["**", "2000"]),
        (lambda: Value(2.0) + float("nan"), ValueError, ["nan"]),
        (lambda: Value(2.0) ** float("nan"), ValueError, ["nan"]),
    ],
    ids=["log0", "log-neg", "div0", "div-Value0", "rdiv0", "sqrt-neg", "0**-1", "0**V(-2)",
         "(-8)**V(1/3)", "(-8)**0.5", "exp-overflow", "pow-overflow", "pow-value-overflow",
         "rpow-overflow", "nan-operand", "nan-exponent"],
)
def test_domain_errors_name_the_op_and_the_value(f, error, words):
    with pytest.raises(error) as info:
        f()
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


class _Reciprocal(Op):
    """1/a with a backward written as a learner might: -g / a**2, a ZeroDivisionError at 0."""

    name = "recip"
    formula = "d/da 1/a = -1/a**2"

    @staticmethod
    def forward(ctx, a):
        return 1.0 / a if a else math.inf

    @staticmethod
    def backward(ctx, g, out, a):
        return (-g / (a * a),)


def test_errors_inside_backward_name_the_op_and_the_node():
    x = Value(0.0, label="x")
    r = apply(_Reciprocal, x)  # forward is fine: inf
    r.label = "one_over_x"
    with pytest.raises(ZeroDivisionError) as info:
        r.backward()  # its backward divides by 0
    message = str(info.value)
    assert "backward of 'recip'" in message
    assert "one_over_x" in message and "x=0" in message


@pytest.mark.parametrize("make", [lambda x: x.sqrt(), lambda x: x ** 0.5, lambda x: x ** Value(0.5)],
                         ids=["sqrt", "**0.5", "** Value"])
def test_an_infinite_slope_at_zero_is_inf_as_torch(torch, make):
    x = Value(0.0)
    make(x).backward()
    t = torch.tensor(0.0, requires_grad=True)
    t.sqrt().backward()
    assert x.grad == t.grad.item() == math.inf


def test_power_zero_has_zero_derivative_even_at_zero():
    # a**0 is the constant 1; its derivative 0 * a**-1 must not be evaluated at a = 0
    x = Value(0.0)
    (x ** 0).backward()
    assert x.grad == 0.0
    a, b = Value(0.0), Value(0.0)
    out = a ** b
    out.backward()
    assert out.data == 1.0 and a.grad == 0.0 and b.grad == 0.0


def test_division_gradient_does_not_square_a_tiny_divisor():
    a, b = Value(1e-300), Value(1e-170)
    out = a / b  # 1e-130; d/db = -a/b**2 = -1e40, though b*b underflows to 0
    out.backward()
    assert b.grad == pytest.approx(-1e40, rel=1e-15) and a.grad == pytest.approx(1e170, rel=1e-15)
    x = Value(-1e-3)
    (x / x).backward()
    assert x.grad == 0.0  # exactly: 1/x - (x/x)/x


def test_a_value_formats_as_its_number():
    # f"{loss:.4f}" (as with a 0-d torch tensor) was "unsupported format string passed to Value.__format__"
    v = Value(1.23456, label="loss")
    assert f"{v:.2f}" == "1.23" and f"{v:>8.3f}" == "   1.235" and f"{v:.1e}" == "1.2e+00"
    assert f"{v}" == repr(v)


# -- numpy on either side ----------------------------------------------------------------------


def test_numpy_numbers_are_ordinary_operands_on_either_side():
    v = Value(2.0, label="v")
    for out, want in [(np.float64(1.5) + v, 3.5), (v * np.float32(3), 6.0), (np.array(5.0) - v, 3.0),
                      (np.float64(1.0) / v, 0.5), (np.int64(3) ** v, 9.0)]:
        assert isinstance(out, Value) and out.data == want
    y = np.float64(3.0) * v
    y.backward()
    assert v.grad == 3.0
    with pytest.raises(ValueError, match="nan"):
        np.float64("nan") + v


@pytest.mark.parametrize("make", [lambda v, a: v + a, lambda v, a: a + v, lambda v, a: a * v,
                                  lambda v, a: v - a, lambda v, a: [1.0, 2.0] * v])
def test_an_array_with_a_value_is_a_clear_type_error_not_an_array_of_values(make):
    """numpy used to broadcast the Value into an object array of Values, one per number."""
    with pytest.raises(TypeError, match=r"a Value holds one number.*shape \(2,\).*Tensor"):
        make(Value(2.0), np.array([1.0, 2.0]))


def test_numpy_functions_of_a_value_are_its_own_methods_or_point_to_them():
    v = Value(1.0)
    y = np.exp(v) + np.tanh(v)  # v.exp() + v.tanh(): the graph is kept
    y.backward()
    assert type(y) is Value and v.grad == pytest.approx(math.e + 1 - math.tanh(1.0) ** 2, rel=1e-15)
    with pytest.raises(TypeError, match=r"numpy's maximum of a Value: use the Value's own methods"):
        np.maximum(Value(1.0), 0.0)


def test_values_compare_by_their_numbers_and_stay_usable_as_keys():
    a, b = Value(1.0, label="a"), Value(3.0, label="b")
    assert a < b and b > a and a <= 1.0 and b >= 3 and 0.5 < a and not (a > 2)
    assert max([a, b]) is b and sorted([b, a]) == [a, b]
    assert a == a and a != Value(1.0)  # equality is identity: nodes are dict keys in the graph
    assert len({a, Value(1.0)}) == 2
    with pytest.raises(TypeError, match="compares with numbers and Values"):
        _ = a < "1"
    loss = (a * b).relu()
    assert loss < 3.5 and loss.op == "relu"  # a comparison adds nothing to the graph


# -- edges found by review: powers at 0 and overflow, numpy operands ---------------------------


def test_the_exponents_gradient_at_a_zero_base_and_an_overflowing_slope(torch):
    """The base's slope b * a**(b-1) is infinite at a = 0 for b < 1, and overflows for
    0.5 ** -1023: IEEE's infinity, as PyTorch, not an exception that loses the exponent's gradient."""
    for base, exponent in [(0.0, 0.5), (0.5, -1023.0), (0.0, 1.5)]:
        a, b = Value(base), Value(exponent)
        (a ** b).backward()
        ta = torch.tensor(base, requires_grad=True)
        tb = torch.tensor(exponent, requires_grad=True)
        (ta ** tb).backward()
        assert (a.grad, b.grad) == (ta.grad.item(), tb.grad.item()), (base, exponent)
    p = Value(0.5)
    (0.0 ** p).backward()  # a constant base: only the exponent's gradient is wanted
    assert p.grad == 0.0
    x = Value(0.0)
    (x ** 0.5).backward()
    assert x.grad == math.inf


def test_powers_by_infinity_and_sines_of_infinity():
    assert (Value(-2.0) ** math.inf).data == math.inf  # Python's (and PyTorch's) value
    for f in (Value.sin, Value.cos):
        with pytest.raises(ValueError, match=r"\((inf|-inf)\) has no value"):
            f(Value(-math.inf))


def test_numpy_numbers_compare_with_a_value_on_either_side():
    loss, best = Value(0.3), np.float64(0.5)
    assert (best > loss) is True and (loss < best) is True and (np.bool_(True) >= loss) is True
    assert sorted([best, loss]) == [loss, best]
    with pytest.raises(TypeError, match="== between a Value and a number would be an identity test"):
        assert loss == best  # (it was False: out == 1 for a Value of 1.0 too, while out >= 1 held)
    other = Value(0.3)
    assert [other, loss].index(loss) == 1 and (loss != other) is True  # between Values, identity


def test_a_0d_array_is_a_number_on_either_side():
    v = Value(2.0)
    for y in (v + np.array(2.5), np.array(2.5) + v):
        assert type(y) is Value and y.data == 4.5
    assert v < np.array(2.5)


@pytest.mark.parametrize("call", [lambda y: y.backward(True), lambda y: y.backward_steps(True)],
                         ids=["backward", "backward_steps"])
def test_backward_true_is_refused_not_read_as_a_seed_of_one(call):
    """PyTorch's order is backward(gradient, create_graph): True would silently seed 1.0."""
    from autograd import Tensor

    for x in (Value(3.0), Tensor(3.0, requires_grad=True)):
        with pytest.raises(TypeError, match="create_graph=True"):
            call(x * x)


def test_numpy_ufuncs_take_python_numbers_and_arrays_are_no_value():
    v = Value(2.0)
    assert np.add(v, 1.0).data == 3.0 and np.power(2, v).data == 4.0 and np.greater(v, 1) is True
    for f in (lambda: np.ones(3) == v, lambda: np.array([1.0, 2.0]) != v):
        with pytest.raises(TypeError, match="a Value holds one number"):
            f()


def test_a_pickled_no_grad_value_still_refuses_backward():
    """The check compared the marker by identity, so a pickled copy could be backpropagated."""
    import pickle

    from autograd import no_grad

    x = Value(2.0)
    with no_grad():
        y = x * 3
    copy = pickle.loads(pickle.dumps(y))
    with pytest.raises(RuntimeError, match="computed under no_grad"):
        copy.backward()


def test_the_hints_for_a_value_inside_value_and_for_gradients_of_a_constant_lead_somewhere():
    """The hint said "use v.detach() for a new leaf", which is now a constant, and gradients() of one
    said "make it with requires_grad=True", an argument Value() does not take."""
    from autograd import gradients

    x = Value(2.0)
    with pytest.raises(TypeError, match=r"Value\(v.data\) makes a new variable \(v.detach\(\) a constant\)"):
        Value(x)
    w = x.detach()
    with pytest.raises(ValueError, match=r"a constant.*Value\(v.data\)"):
        gradients(w * w, [w])
    v = Value(w.data)
    assert gradients(v * v, [v]) == [4.0]


def test_a_parameter_updated_with_minus_equals_is_refused_not_silently_left_as_it_was():
    """p -= lr * p.grad rebinds the loop variable to a new node: the model's parameter stayed,
    and the loss stayed 2.7033 at every step, without a word (Tensors refused it already)."""
    from nn import MLP

    model = MLP(2, [4, 1], seed=0)
    model([1.0, 2.0]).backward()
    for update in (lambda p: p.__isub__(0.1 * p.grad), lambda p: p.__iadd__(-0.1 * p.grad)):
        with pytest.raises(RuntimeError, match=r"on a Value that has a gradient \(a parameter\?\) would make "
                                               r"a new graph node .* \(p.data [-+]= \.\.\.\)"):
            update(next(p for p in model.parameters() if p.grad))
    a, b = Value(-4.0), Value(2.0)  # micrograd's README: += on op nodes builds the graph on
    c = a + b
    c += c + 1
    total = Value(0.0)  # and a leaf without a gradient (a running total) is added to
    for x in (1.0, 2.0):
        total += x
    assert c.data == -3.0 and total.data == 3.0 and bool(Value(0.0)) is False and bool(c) is True


def test_unlabelled_variables_that_read_as_another_leafs_number_are_numbered():
    """Value(3.0) * 3 read 'd(3*3)/d(3)' and '3.grad' beside '3 needs no gradient'; two variables
    of 2.0 both read '2'.  A variable that shares its number with another leaf is #1, #2..."""
    x = Value(3.0)
    text = str(next(iter((x * 3).backward_steps())))
    assert "d(#1*3)/d(#1) = 3.0000" in text and "#1.grad += " in text and "3 needs no gradient" in text
    assert str((Value(2.0) * Value(2.0)).tree()).splitlines()[1:] == ["#1*#2   4.0000", "├── #1  2.0000",
                                                                       "└── #2  2.0000"]
    assert str((Value(2.0) * Value(3.0)).tree()).splitlines()[1] == "2*3    6.0000"  # no clash: numbers


def test_a_node_assigned_to_data_shows_in_the_repr():
    """x.data = x - 0.1 * x.grad (a node, not a number) printed as data=0.8000."""
    x = Value(1.0)
    x.data = x - 0.25
    assert repr(x).startswith("Value(data=Value(data=0.7500, grad=0.0000, op='-')")
    x.data = 3
    assert repr(x) == "Value(data=3.0000, grad=0.0000)"


def test_a_0d_array_makes_a_value_as_it_is_a_number_beside_an_operator():
    """Value(np.array(2.5)) was refused ('use Tensor for arrays') where v * np.array(2.5) works."""
    assert Value(np.array(2.5)).data == 2.5 and type(Value(np.float32(1.5)).data) is float
    with pytest.raises(TypeError, match="use Tensor for arrays"):
        Value(np.array([2.5]))


def test_equality_is_refused_against_numbers_on_either_side_and_false_against_other_things():
    """np.float64(1.0) == v went through numpy's ufunc and stayed a silent identity test; v == None
    and None in [v] raised the numbers' TypeError, where Python (and PyTorch) say False."""
    from unittest import mock

    v = Value(1.0)
    for compare in (lambda: np.float64(1.0) == v, lambda: np.float64(1.0) != v, lambda: v == np.array(1.0),
                    lambda: 1 == v):
        with pytest.raises(TypeError, match="== between a Value and a number would be an identity test"):
            compare()
    assert (v == None) is False and (v != None) is True and None not in [v] and "a" not in [v]  # noqa: E711
    assert (v == mock.ANY) is True and [Value(1.0), v].index(v) == 1
    t = Tensor([1.0, 2.0])
    with pytest.raises(TypeError, match="== between a Tensor and a number"):
        assert np.array([1.0, 2.0]) == t
    assert (t == None) is False  # noqa: E711


def test_in_place_operators_check_their_operand_first_and_cover_power():
    from nn import MLP

    model = MLP(2, [2, 1], seed=0)
    model([1.0, 2.0]).backward()
    p = next(p for p in model.parameters() if p.grad)
    with pytest.raises(TypeError, match="a Value's arithmetic takes numbers and Values, got str"):
        p += "a"  # (it was the parameter refusal, about an update that could never have worked)
    with pytest.raises(RuntimeError, match=r"'\*\*=' on a Value that has a gradient"):
        p **= 2
    with pytest.raises(RuntimeError, match=r"'\*\*=' on a tensor that requires grad"):
        w = Tensor([1.0], requires_grad=True)
        w **= 2
    c = Value(2.0) * 1
    c **= 2
    assert c.data == 4.0 and Value(np.bool_(True)).data == 1.0
