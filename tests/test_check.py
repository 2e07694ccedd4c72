"""gradcheck (and where it points when a backward is wrong) and detect_anomaly."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import square_op

from autograd import AnomalyError, GradcheckError, Tensor, Value, detect_anomaly, gradcheck, no_grad
from autograd.graph import apply
from autograd.mode import is_grad_enabled
from autograd.ops import Op
from autograd.value import _result

# -- gradcheck on correct graphs ---------------------------------------------------------------


@pytest.mark.parametrize(
    "f, inputs",
    [
        (lambda x: x.exp() + x.log() + x.sqrt(), (0.7,)),
        (lambda x: x.tanh() * x.sigmoid() - x.sin() / (x.cos() + 2), (-1.3,)),
        (lambda x, y: x ** y + y ** 3 - 2 ** x, (1.4, 0.6)),
        (lambda x, y: (x * y).relu() + abs(x - y) + (x / y) * x.step(), (0.8, -1.6)),
        (lambda x, y, z: ((x * y + z).tanh() * (x - z)) / (y * y + 1), (0.3, -1.2, 2.0)),
    ],
)
def test_gradcheck_passes_on_correct_graphs(f, inputs):
    assert gradcheck(f, *inputs) is True


def test_gradcheck_takes_values_and_leaves_them_as_they_were():
    x = Value(0.5, label="x")
    x.grad = 3.0
    assert gradcheck(lambda x: x.tanh() * x, x)
    assert x.data == 0.5 and x.grad == 3.0


# -- gradcheck on a wrong op -------------------------------------------------------------------

# a**2 with a backward that forgot the 2 and used 3: what a learner's first op may look like
WrongSquare = square_op(lambda ctx, g, out, a: (g * 3 * a,), formula="d/da a**2 = 2*a")


def wrong_square(x):
    return _result(WrongSquare, WrongSquare.forward(None, x.data), (x,))


def with_a_wrong_op(x, y):
    a = (x * y).tanh()
    a.label = "a"
    s = wrong_square(a)
    s.label = "s"
    t = s.sin() + x
    t.label = "t"
    return t


def test_gradcheck_reports_the_mismatch_table_and_the_first_wrong_node():
    x, y = Value(0.3, label="x"), Value(-1.2, label="y")
    with pytest.raises(GradcheckError) as info:
        gradcheck(with_a_wrong_op, x, y)
    message = str(info.value)
    assert "backward" in message and "numeric" in message  # the table's header
    rows = [line.split() for line in message.splitlines()]
    assert any(row and row[0] == "x" for row in rows)  # a row for each wrong input
    assert any(row and row[0] == "y" for row in rows)
    culprit = message.splitlines()[-1]
    assert "first node" in culprit
    assert "node s" in culprit and "'square'" in culprit and "d/da" in culprit  # not an input...
    assert "node a" not in culprit and "node t" not in culprit  # ...and not its neighbours


def test_gradcheck_points_at_the_first_of_two_wrong_nodes():
    def f(x):
        first = wrong_square(x.sin())
        first.label = "first"
        second = wrong_square(first.tanh())
        second.label = "second"
        return second * x

    with pytest.raises(GradcheckError, match="node first ") as info:
        gradcheck(f, 0.4)
    assert "node second" not in str(info.value)


def test_gradcheck_table_values():
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x: wrong_square(x), 2.0)
    header, row = str(info.value).splitlines()[1:3]
    assert row.split()[:2] == ["input", "0"]
    backward, numeric, error = map(float, row.split()[2:])
    assert backward == 6.0 and numeric == pytest.approx(4.0) and error == pytest.approx(2.0)


def test_gradcheck_at_a_kink():
    """relu at exactly 0: backward says 0, central differences 0.5: reported as relu's kink,
    with the slopes on either side, not as a wrong derivative."""
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x: x.relu(), 0.0)
    last = str(info.value).splitlines()[-1]
    assert "no op's local derivative is found wrong" in last and "op 'relu'" in last
    assert "slope 0 from the left, 1 from the right" in last


def test_gradcheck_blames_a_wrong_op_past_a_kink():
    """A kink earlier in the graph does not hide a wrong derivative after it."""
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x: wrong_square(x.relu() * 2.0 + x + 1.0), 0.0)
    blame, also = str(info.value).splitlines()[-2:]
    assert blame.startswith("first node whose local derivative disagrees") and "op 'square'" in blame
    assert also.startswith("also, op 'relu'")  # the kink is named too: it may explain other rows


def test_gradcheck_says_what_a_tensor_op_was_compared_by():
    """For an array op the culprit line shows g . d/dx for a random g, and says so."""
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x: apply(WrongSquare, x).sum(), np.array([1.0, 2.0]))
    assert "random upstream gradient g" in str(info.value).splitlines()[-1]


def test_gradcheck_restores_grad_mode():
    with pytest.raises(GradcheckError):
        gradcheck(lambda x: wrong_square(x), 2.0)
    assert is_grad_enabled()


# -- detect_anomaly ----------------------------------------------------------------------------

def test_anomaly_in_forward_names_the_op_inputs_and_labels():
    big, other = Value(1e300, label="big"), Value(2e300, label="other")
    with pytest.raises(AnomalyError) as info:
        with detect_anomaly():
            big * other
    message = str(info.value)
    assert "forward" in message and "'*'" in message and "inf" in message
    assert "big=1e+300" in message and "other=2e+300" in message


def test_anomaly_in_forward_nan():
    p, q = Value(math.inf, label="p"), Value(math.inf, label="q")
    with pytest.raises(AnomalyError, match=r"'-' gave nan .*p=inf, q=inf"):
        with detect_anomaly():
            p - q


def test_anomaly_stops_at_the_first_op():
    x = Value(800.0, label="x")
    with pytest.raises(AnomalyError, match=r"'\*' gave inf from inputs x=800, input=1e\+306"):
        with detect_anomaly():
            ((x * 1e306) * 2).tanh()


def test_anomaly_in_backward_names_the_op_the_node_and_the_input():
    a, b, c = Value(1e300, label="a"), Value(1e-300, label="b"), Value(1e300, label="c")
    y = a * b  # 1: finite
    y.label = "y"
    z = y * c  # 1e300: finite
    z.label = "z"
    with pytest.raises(AnomalyError) as info:
        with detect_anomaly():
            z.backward()  # dz/db = c * a = inf
    message = str(info.value)
    assert "backward" in message and "'*'" in message and "inf" in message
    assert "node y" in message and "input b" in message
    assert "a=1e+300" in message and "b=1e-300" in message


def test_anomaly_in_backward_nan():
    base, exponent = Value(-2.0, label="base"), Value(2.0, label="n")
    out = base ** exponent  # 4: finite, but d/dn = 4 * log(-2) is nan
    out.label = "out"
    with pytest.raises(AnomalyError, match=r"'\*\*' at node out gave .*nan for input n; inputs base=-2, n=2"):
        with detect_anomaly():
            out.backward()


def test_anomaly_in_a_create_graph_backward():
    a, b, c = Value(1e300, label="a"), Value(1e-300, label="b"), Value(1e300, label="c")
    z = (a * b) * c
    with pytest.raises(AnomalyError, match="backward of '\\*'"):
        with detect_anomaly():
            z.backward(create_graph=True)


def test_anomaly_inside_no_grad_still_checks_forward():
    with pytest.raises(AnomalyError):
        with detect_anomaly(), no_grad():
            Value(1e300) * Value(1e300)


def test_outside_detect_anomaly_inf_and_nan_pass_silently():
    a, b, c = Value(1e300), Value(1e-300), Value(1e300)
    z = (a * b) * c
    z.backward()
    assert b.grad == math.inf
    assert (Value(1e300) * Value(1e300)).data == math.inf
    base, exponent = Value(-2.0), Value(2.0)
    (base ** exponent).backward()
    assert math.isnan(exponent.grad) and base.grad == -4.0


def test_detect_anomaly_is_switched_off_after_an_error():
    with pytest.raises(AnomalyError):
        with detect_anomaly():
            Value(1e300) * Value(1e300)
    assert (Value(1e300) * Value(1e300)).data == math.inf


@pytest.mark.parametrize("make", [np.float32, lambda x: Tensor(np.float32(x), requires_grad=True)],
                         ids=["array", "Tensor"])
def test_gradcheck_refuses_float32_instead_of_blaming_a_correct_op(make):
    # was: GradcheckError naming op '*' as wrong, from float32 rounding in central differences
    with pytest.raises(TypeError, match="gradcheck needs float64 inputs; input 0 is float32"):
        gradcheck(lambda a: (a * a).sum(), make(np.array([1.0, 2.0])))


def test_anomaly_in_a_tensor_says_how_many_elements_are_nan_or_inf():
    # was only "gave array(3,)": the shape, not what was wrong with it
    with (detect_anomaly(), np.errstate(divide="ignore", invalid="ignore"),
          pytest.raises(AnomalyError, match=r"'log' gave array\(3,\) with 1 nan and 1 inf")):
        Tensor([-1.0, 0.0, 1.0], requires_grad=True).log()


# -- modes are per thread ----------------------------------------------------------------------

def _in_another_thread(mode, body_done):
    """Start a thread that sits inside ``mode()`` until ``body_done`` is set; return it once inside."""
    import threading

    inside = threading.Event()

    def sit():
        with mode():
            inside.set()
            body_done.wait(10)

    t = threading.Thread(target=sit)
    t.start()
    assert inside.wait(10)
    return t


@pytest.mark.parametrize("kind", ["value", "tensor"])
def test_another_threads_no_grad_does_not_stop_this_thread_recording(kind):
    import threading

    done = threading.Event()
    t = _in_another_thread(no_grad, done)
    try:
        x = Value(3.0) if kind == "value" else Tensor(3.0, requires_grad=True)
        y = x * x
        assert is_grad_enabled() and y.parents  # recorded here, as in PyTorch
        y.backward()
        assert float(x.grad) == 6.0
    finally:
        done.set()
        t.join()


def test_another_threads_anomaly_mode_does_not_raise_here_and_a_new_thread_starts_recording():
    import threading

    done = threading.Event()
    t = _in_another_thread(detect_anomaly, done)
    try:
        assert (Value(1e300) * Value(1e300)).data == math.inf  # no AnomalyError in this thread
    finally:
        done.set()
        t.join()
    seen = []
    with no_grad():  # a thread started inside no_grad() records: modes do not pass to new threads
        worker = threading.Thread(target=lambda: seen.append(bool((Value(2.0) * 3.0).parents)))
        worker.start()
        worker.join()
    assert seen == [True] and is_grad_enabled()


def test_the_culprit_line_leaves_out_a_formula_the_op_does_not_have():
    class NoFormula(WrongSquare):
        formula = ""

    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x: _result(NoFormula, NoFormula.forward(None, x.data), (x,)), 2.0)
    assert "(op 'square'): its backward gives" in str(info.value)


def test_the_culprit_line_gives_the_nodes_own_rule_and_brackets_an_input_that_is_no_name():
    class WithRule(WrongSquare):
        @classmethod
        def rule(cls, node):  # as a power's rule has its exponent in it
            return f"d/da a**2 = 2*a = {2 * node.parents[0].data:g}"

    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x: _result(WithRule, WithRule.forward(None, x.data), (x,)), 2.0)
    assert ("(op 'square', formula: d/da a**2 = 2*a = 4): its backward gives d/d(input 0) = 6, central "
            "differences give 4") in str(info.value)


def test_a_mode_block_left_in_another_thread_restores_the_thread_that_entered_it():
    import threading

    def block():
        with no_grad():
            yield 1
            yield 2

    g = block()
    next(g)  # entered here
    worker = threading.Thread(target=lambda: list(g))  # left there
    worker.start()
    worker.join()
    assert is_grad_enabled() and (Value(2.0) * 3.0).parents
    done = threading.Event()
    t = _in_another_thread(detect_anomaly, done)  # some mode on somewhere: this thread still records
    try:
        assert (Value(2.0) * 3.0).parents
    finally:
        done.set()
        t.join()


class _TwiceLog(Op):
    name = "badlog"
    formula = "d/da log(a) = 1/a"

    @staticmethod
    def forward(ctx, a):
        return math.log(a)

    @staticmethod
    def backward(ctx, g, out, a):
        return (g * 2.0 / a,)


def test_a_wrong_derivative_where_the_function_curves_hard_is_not_called_a_kink():
    """Near 0, log's one-sided slopes differ by about f'' * eps: only a backward equal to one of
    them is a kink's."""
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x: _result(_TwiceLog, _TwiceLog.forward(None, x.data), (x,)), 1e-4)
    last = str(info.value).splitlines()[-1]
    assert last.startswith("first node whose local derivative disagrees") and "'badlog'" in last


def test_gradcheck_of_a_function_that_draws_random_numbers_says_so():
    rng = np.random.default_rng(0)
    with pytest.raises(GradcheckError, match="different results for the same inputs"):
        gradcheck(lambda x: (x * Tensor(rng.random(3))).sum(), np.ones(3))


def test_a_tensor_ops_kink_says_its_slopes_are_of_a_random_projection():
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x: x.relu().sum(), np.array([0.0, 1.0]))
    assert "slope of sum(g * forward), g a random upstream gradient," in str(info.value).splitlines()[-1]


def test_gradcheck_of_grad_checks_second_derivatives():
    """gradcheck(grad(f), x) raised "backward() of a Value computed under no_grad()" (it evaluates f
    under no_grad, where grad() refused to work; torch.func.grad works there).  Now it checks the
    second derivative: an op that keeps its slope as numbers in ctx is right to first order and
    wrong to second, and gradcheck of its grad says so."""
    from autograd import GradcheckError, apply, grad, no_grad
    from autograd.ops import Op

    class SavedSlopeCube(Op):
        name = "cube"

        @staticmethod
        def forward(ctx, a):
            ctx["slope"] = 3 * a * a  # numbers: a constant to a second derivative
            return a ** 3

        @staticmethod
        def backward(ctx, g, out, a):
            return (g * ctx["slope"],)

    def cube(x):
        return apply(SavedSlopeCube, x, ctx={})

    assert gradcheck(grad(lambda x: x ** 3), 0.7) and gradcheck(cube, 0.7)
    with pytest.raises(GradcheckError, match=r"input 0 +0 +4\.2"):
        gradcheck(grad(cube), 0.7)
    with no_grad():
        assert grad(lambda x: x ** 3)(2.0) == 12.0
