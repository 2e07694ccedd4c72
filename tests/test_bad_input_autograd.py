"""Bad input to the engine gets a clear error, never a crash deep in numpy or wrong numbers.

Each test here pins down one defect a review found: masks of the wrong length, a drawing
that lost its old file when a write failed, gradcheck outside f's domain or with nonsense
tolerances, highlight in the stepper's picture, the Tensor helpers' arguments, and a
Value gradient set to None.
"""

from __future__ import annotations

import builtins
import errno
import io
import math
import os

import numpy as np
import pytest
from conftest import WrongCube, require

from autograd import (
    Backprop,
    GradcheckError,
    Tensor,
    Value,
    apply,
    concatenate,
    conv1d,
    conv2d,
    draw,
    gradcheck,
    linear,
    stack,
)
from autograd.ops import Op

# -- 1. boolean masks must fit the axis they index -----------------------------------------------


def _grid():
    return Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)


@pytest.mark.parametrize("index, axis, size, given", [
    (np.array([True]), 0, 2, 1),  # too short: numpy refuses, the old code took row 0
    ([True], 0, 2, 1),  # a list of bools is a mask too
    (np.array([True, False, True]), 0, 2, 3),  # too long: was "index 2 is out of bounds"
    ((slice(None), [False, True]), 1, 3, 2),  # a mask on the second axis, too short
    ((slice(None), np.array([True, False, True, True])), 1, 3, 4),
    ((Ellipsis, [True, False]), 1, 3, 2),  # after an ellipsis: the last axis
    ((0, [True, True]), 1, 3, 2),  # an integer first uses up axis 0
    ((None, [True]), 0, 2, 1),  # a new axis uses up none
])
def test_a_boolean_mask_of_the_wrong_length_is_an_index_error_like_numpy(index, axis, size, given):
    a = _grid()
    with pytest.raises(IndexError) as numpy_says:
        a.data[index]  # the reference: numpy refuses each of these too
    assert "boolean index did not match" in str(numpy_says.value)
    with pytest.raises(IndexError, match=rf"shape \(2, 3\).*boolean index did not match.*along axis {axis}; "
                                         rf"size of axis is {size} but size of corresponding boolean axis "
                                         rf"is {given}"):
        a[index]


def test_a_multidimensional_mask_must_match_every_axis_it_covers():
    a = _grid()
    with pytest.raises(IndexError, match=r"along axis 1; size of axis is 3 but size of corresponding "
                                         r"boolean axis is 2"):
        a[np.ones((2, 2), dtype=bool)]
    with pytest.raises(IndexError, match=r"along axis 0; size of axis is 2 but .* boolean axis is 3"):
        a[np.ones((3, 3), dtype=bool)]


def test_masks_that_fit_still_pick_the_right_elements_and_gradients():
    a = _grid()
    mask = np.array([[True, False, True], [False, True, False]])
    picked = a[mask]
    np.testing.assert_array_equal(picked.data, a.data[mask])
    picked.sum().backward()
    np.testing.assert_array_equal(a.grad, mask.astype(float))
    np.testing.assert_array_equal(a[:, [False, True, True]].data, a.data[:, [False, True, True]])
    np.testing.assert_array_equal(a[[True, False]].data, a.data[[True, False]])
    last = np.array([True, False, True])
    np.testing.assert_array_equal(a[..., last].data, a.data[..., last])


# -- 2. a failed render leaves the old file as it was --------------------------------------------


class FullDisk:
    """A file whose writes fail as on a full disk (opening it, "w" mode truncated it already)."""

    def __init__(self, f):
        self._f = f

    def write(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()

    def __getattr__(self, name):
        return getattr(self._f, name)


def _fill_the_disk(monkeypatch):
    """Every file opened for writing from now on fails to write."""
    real_open = io.open

    def failing_open(file, mode="r", *args, **kwargs):
        f = real_open(file, mode, *args, **kwargs)
        return FullDisk(f) if "w" in mode else f

    monkeypatch.setattr(io, "open", failing_open)  # (os.fdopen and Path.open use io.open)
    monkeypatch.setattr(builtins, "open", failing_open)


def test_render_writes_atomically_so_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    require("graphviz", "pip install -e '.[viz]' for the drawing tests")
    from autograd.viz_drawing import Drawing

    target = tmp_path / "graph.svg"
    target.write_bytes(b"<svg>the old picture</svg>")
    d = Drawing()
    d.edge("a", "b")
    monkeypatch.setattr(Drawing, "pipe", lambda self, **kw: b"<svg>the new picture</svg>")
    monkeypatch.setattr(Drawing, "save", lambda self, *a, **kw: str(tmp_path / "graph.gv"))  # (its own test)
    _fill_the_disk(monkeypatch)
    with pytest.raises(OSError, match="No space left"):
        d.render(outfile=target)
    monkeypatch.undo()
    assert target.read_bytes() == b"<svg>the old picture</svg>"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.svg"]  # no temporary file left


def test_saving_the_dot_source_writes_atomically_too(tmp_path, monkeypatch):
    require("graphviz", "pip install -e '.[viz]' for the drawing tests")
    from autograd.viz_drawing import Drawing

    source = tmp_path / "graph.gv"
    source.write_text("digraph old {}\n")
    d = Drawing()
    d.edge("a", "b")
    _fill_the_disk(monkeypatch)
    with pytest.raises(OSError, match="No space left"):
        d.render("graph.gv", directory=tmp_path, format="svg")
    monkeypatch.undo()
    assert source.read_text() == "digraph old {}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.gv"]
    assert d.save("graph.gv", directory=tmp_path) == str(source)  # and a good write still works
    assert source.read_text() == d.source


# -- 3. gradcheck: outside f's domain, and tolerances that make no sense --------------------------


@pytest.mark.filterwarnings("ignore:invalid value encountered in log")
def test_gradcheck_outside_the_domain_of_f_says_so_instead_of_blaming_an_op():
    with pytest.raises(ValueError, match=r"f is nan at the inputs.*op 'log'.*outside") as info:
        gradcheck(lambda a: a.log().sum(), np.array([-1.0, 2.0]))
    assert "local derivative" not in str(info.value)
    with pytest.raises(ValueError, match=r"log of non-positive value -1"):  # a Value op says so itself
        gradcheck(lambda x: x.log(), -1.0)
    with pytest.raises(ValueError, match=r"f is inf at the inputs \(first at op '\*', node big, which gives "
                                         r"inf from finite inputs\)"):
        gradcheck(lambda x: _labelled(x * 1e308, "big") * 10.0, 1e10)


def _labelled(node, label):
    node.label = label
    return node


def test_gradcheck_too_near_a_singularity_for_eps_says_so():
    # sqrt is finite at 1e-7, nan at 1e-7 - 1e-6: central differences cannot reach it
    with pytest.raises(ValueError, match=r"finite at the inputs but nan at input 0\[1\] - eps.*"
                                         r"too near a singularity") as info:
        gradcheck(lambda a: a.sqrt().sum(), np.array([4.0, 1e-7]))
    assert "local derivative" not in str(info.value)
    with pytest.raises(ValueError, match=r"finite at the inputs but undefined \(ValueError: sqrt of negative "
                                         r"value .*\) at x - eps"):
        gradcheck(lambda x: x.sqrt(), Value(1e-7, label="x"))
    assert gradcheck(lambda x: x.sqrt(), 1e-7, eps=1e-9)  # a smaller eps can check it


def test_gradcheck_skips_an_op_too_near_its_singularity_and_blames_the_wrong_one():
    # sqrt's own input is 1e-7: moved by eps=1e-6 it is negative, where sqrt is nan; f itself is
    # smooth around x (x * 1e-3 stays near 1e-7), so the real culprit is the cube after it
    def f(x):
        root = (x * 1e-3).sqrt()
        root.label = "root"
        out = apply(WrongCube, root * 1e4)
        out.label = "out"
        return out

    with pytest.raises(GradcheckError) as info:
        gradcheck(f, Value(1e-4, label="x"))
    blame, also = str(info.value).splitlines()[-2:]
    assert "first node whose local derivative disagrees: node out (op 'wrong_cube'" in blame
    assert "root" not in blame
    assert also.startswith("also, op 'sqrt' at node root is nan or undefined within eps=1e-06")


@pytest.mark.parametrize("option, value", [
    ("atol", -1.0), ("atol", math.nan), ("atol", math.inf),
    ("rtol", -1e-3), ("rtol", math.nan), ("rtol", math.inf),
])
def test_gradcheck_refuses_negative_or_non_finite_tolerances(option, value):
    with pytest.raises(ValueError, match=rf"gradcheck: {option} must be a finite number >= 0, got {value}"):
        gradcheck(lambda a: (a * a).sum(), np.array([1.0, 2.0]), **{option: value})


@pytest.mark.parametrize("eps", [0, 0.0, -1e-6, math.nan, math.inf])
def test_gradcheck_refuses_an_eps_that_is_not_a_small_positive_number(eps):
    with pytest.raises(ValueError, match=rf"gradcheck: eps must be a finite number > 0, got {eps}"):
        gradcheck(lambda a: (a * a).sum(), np.array([1.0, 2.0]), eps=eps)


def test_gradcheck_refuses_a_tolerance_that_is_not_a_number():
    with pytest.raises(TypeError, match=r"gradcheck: atol must be a number, got str '1e-5'"):
        gradcheck(lambda x: x * x, 1.0, atol="1e-5")



def test_gradcheck_without_inputs_refuses_instead_of_passing():
    # with nothing to vary, every comparison would hold and gradcheck would say True
    with pytest.raises(ValueError, match=r"gradcheck needs the inputs to check f at"):
        gradcheck(lambda: Value(1.0) * 2)


def test_gradcheck_of_a_non_scalar_f_says_so_in_its_own_words():
    with pytest.raises(ValueError, match=r"gradcheck: f must return a scalar, got a Tensor of shape \(3,\)"):
        gradcheck(lambda x: x * 2, np.ones(3))
    assert gradcheck(lambda x: x * 2, np.ones((1, 1)))  # one element, as backward() takes it


def test_gradcheck_of_an_f_that_returns_a_number_says_so():
    with pytest.raises(TypeError, match=r"gradcheck: f must return a Value or Tensor .* got float 3.0"):
        gradcheck(lambda x: 3.0, 1.0)

# -- 4. highlight in the stepper's picture --------------------------------------------------------


def _stepped():
    x = Value(2.0, label="x")
    y = (x * x).tanh()
    y.label = "y"
    bp = Backprop(y)
    bp.step()
    return x, y, bp


def test_stepper_draw_adds_the_users_highlight_to_its_own():
    require("graphviz", "pip install -e '.[viz]' for the drawing tests")
    x, y, bp = _stepped()
    source = bp.draw(highlight=[x]).source
    assert source.count("highlight") == 3  # y (the step's node) and its op, and x
    one = bp.draw(highlight=x).source  # one node, as draw() takes
    assert one.count("highlight") == 3
    assert bp.draw().source.count("highlight") == 2


def test_stepper_draw_after_run_adds_the_users_highlight_too():
    require("graphviz", "pip install -e '.[viz]' for the drawing tests")
    x, y, bp = _stepped()
    bp.run()
    assert bp.draw(highlight=[x]).source.count("highlight") == 3


@pytest.mark.parametrize("bad, shown", [(5, "int 5"), ("x", "str 'x'"), ([1.0], "float 1.0")])
def test_stepper_draw_with_a_bad_highlight_is_a_type_error(bad, shown):
    require("graphviz", "pip install -e '.[viz]' for the drawing tests")
    _, _, bp = _stepped()
    with pytest.raises(TypeError, match=rf"highlight takes a node or a list of nodes, got {shown}"):
        bp.draw(highlight=bad)


def test_stepper_to_html_says_it_highlights_each_step_itself(tmp_path):
    _, _, bp = _stepped()
    with pytest.raises(TypeError, match=r"to_html\(\) highlights each step's node itself"):
        bp.to_html(tmp_path / "walk.html", highlight=[bp.root])
    assert not (tmp_path / "walk.html").exists()


# -- 5. the Tensor helpers' arguments -------------------------------------------------------------


@pytest.mark.parametrize("join", [stack, concatenate])
def test_stack_and_concatenate_given_one_tensor_say_they_take_a_sequence(join):
    t = Tensor(np.ones((2, 3)))
    with pytest.raises(TypeError, match=rf"{join.__name__} takes a sequence of tensors \(a list or tuple\), "
                                        r"got a Tensor of shape \(2, 3\)"):
        join(t)
    with pytest.raises(TypeError, match=rf"{join.__name__} takes a sequence of tensors .* got a ndarray"):
        join(np.ones((2, 3)))
    with pytest.raises(TypeError, match=rf"{join.__name__} takes a sequence of tensors .* got a float"):
        join(1.0)
    with pytest.raises(ValueError, match=rf"{join.__name__} needs at least one tensor"):
        join(iter([]))
    assert join(x for x in [t, t]).shape == ((2, 2, 3) if join is stack else (4, 3))  # any iterable


def test_stack_axis_must_be_an_int():
    t = Tensor([1.0, 2.0])
    with pytest.raises(TypeError, match=r"stack: axis must be an int, got str '0'"):
        stack([t, t], axis="0")
    with pytest.raises(TypeError, match=r"stack: axis must be an int, got bool True"):
        stack([t, t], axis=True)
    with pytest.raises(ValueError, match=r"stack: axis 2 is out of range"):
        stack([t, t], axis=2)
    assert stack([t, t], axis=np.int64(-1)).shape == (2, 2)


@pytest.mark.parametrize("x_shape, w_shape", [
    ((1, 1, 3, 3), (0, 1, 2, 2)),  # no output channel
    ((1, 0, 3, 3), (2, 0, 2, 2)),  # no input channel
    ((1, 1, 3, 3), (2, 1, 0, 2)),  # an empty kernel
])
def test_conv_with_a_zero_size_weight_is_a_clear_value_error(x_shape, w_shape):
    x, w = Tensor(np.zeros(x_shape)), Tensor(np.zeros(w_shape))
    with pytest.raises(ValueError, match=rf"conv2d: weight of shape {re_shape(w_shape)} has no elements"):
        conv2d(x, w)
    with pytest.raises(ValueError, match=r"conv1d: weight of shape \(0, 1, 2\) has no elements"):
        conv1d(Tensor(np.zeros((1, 1, 3))), Tensor(np.zeros((0, 1, 2))))


@pytest.mark.parametrize("x, w, b, message", [
    (np.ones((2, 3)), np.ones(3), None,
     r"linear: weight must be 2-D \(out_features, in_features\), got shape \(3,\)"),
    (np.ones((2, 3)), np.ones((4, 5)), None,
     r"linear: input of shape \(2, 3\) must have 5 features in its last axis, as the weight of shape "
     r"\(4, 5\)"),
    (np.float64(1.0), np.ones((4, 1)), None,
     r"linear: input of shape \(\) must have 1 feature in its last axis"),
    (np.ones((2, 3)), np.ones((4, 3)), np.ones(3),
     r"linear: bias must have shape \(4,\), one per output of the weight of shape \(4, 3\); got \(3,\)"),
    (np.ones((2, 3)), np.ones((4, 3)), np.ones((1, 4)),
     r"linear: bias must have shape \(4,\).* got \(1, 4\)"),
])
def test_linear_names_what_does_not_fit(x, w, b, message):
    """Not numpy's "matmul: Input operand 1 has a mismatch in its core dimension 0" or a bias
    silently broadcast."""
    with pytest.raises(ValueError, match=message):
        linear(Tensor(x), Tensor(w, requires_grad=True), None if b is None else Tensor(b))


def test_linear_of_text_names_its_argument():
    with pytest.raises(TypeError, match=r"linear: weight takes numbers, got an array of dtype <U1"):
        linear(Tensor(np.ones((2, 3))), [["a", "b", "c"]])
    with pytest.raises(TypeError, match=r"linear: bias takes numbers"):
        linear(Tensor(np.ones((2, 3))), np.ones((1, 3)), ["a"])


def re_shape(shape):
    return "\\(" + ", ".join(map(str, shape)) + "\\)"


def test_unfold_takes_ints_as_numpy_does_and_refuses_windows_that_do_not_fit():
    t = Tensor(np.arange(4.0), requires_grad=True)
    np.testing.assert_array_equal(t.unfold(2, 1).data, [[0, 1], [1, 2], [2, 3]])  # as (2,), (1,)
    np.testing.assert_array_equal(t.unfold((2,), 2).data, [[0, 1], [2, 3]])
    with pytest.raises(ValueError, match=r"unfold: kernel \(5,\) is larger than the last axes \(4,\) of a "
                                         r"tensor of shape \(4,\)"):
        t.unfold((5,), (1,))
    with pytest.raises(ValueError, match=r"unfold: kernel \(2, 2\) has more axes than a tensor of "
                                         r"shape \(4,\)"):
        t.unfold((2, 2), (1, 1))
    with pytest.raises(ValueError, match=r"unfold: stride \(1, 1\) needs one entry per kernel axis \(1\)"):
        t.unfold((2,), (1, 1))
    with pytest.raises(ValueError, match=r"unfold: kernel and stride entries must be >= 1, got kernel \(2,\) "
                                         r"and stride \(0,\)"):
        t.unfold((2,), (0,))
    with pytest.raises(ValueError, match=r"entries must be >= 1, got kernel \(2,\) and stride \(-1,\)"):
        t.unfold((2,), (-1,))  # numpy would silently walk backwards
    with pytest.raises(ValueError, match=r"unfold: kernel \(\) has no axes"):
        t.unfold((), ())
    with pytest.raises(TypeError, match=r"unfold: kernel must be an int or a tuple of ints, got 2.0"):
        t.unfold(2.0, 1)


def test_a_ragged_list_operand_gets_the_constructors_message():
    a = Tensor([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(TypeError) as constructor:
        Tensor([[1, 2], [3]])
    assert "takes a rectangular array of numbers" in str(constructor.value)
    for op in (lambda: a + [[1, 2], [3]], lambda: [[1, 2], [3]] * a, lambda: a @ [[1.0], [2.0, 3.0]]):
        with pytest.raises(TypeError, match=r"an operand takes a rectangular array of numbers"):
            op()


# -- 6. a Value's gradient set to None (PyTorch's zero_grad habit) --------------------------------


def test_repr_of_a_value_whose_grad_is_none():
    x = Value(2.0, label="x")
    x.grad = None
    assert repr(x) == "Value(data=2.0000, grad=None, label='x')"


@pytest.mark.parametrize("make, expected", [
    (lambda x: x * x, 4.0),  # a binary op: the hot loop's scalar fast path
    (lambda x: x.tanh(), 1 - math.tanh(2.0) ** 2),  # a unary op
    (lambda x: x, 1.0),  # the leaf is the root
])
def test_backward_into_a_value_whose_grad_is_none_says_to_use_zero(make, expected):
    x = Value(2.0, label="x")
    y = make(x)
    x.grad = None
    with pytest.raises(TypeError, match=r"leaf x has grad None: a Value's gradient starts at 0.0; "
                                        r"set it to 0.0 \(or call zero_grad\(\)\)"):
        y.backward()
    x.grad = 0.0
    y.backward()
    assert x.grad == pytest.approx(expected)


def test_stepping_into_a_value_whose_grad_is_none_says_to_use_zero():
    x = Value(2.0, label="x")
    y = x * 3.0
    x.grad = None
    with pytest.raises(TypeError, match=r"leaf x has grad None"):
        Backprop(y).step()
    with pytest.raises(TypeError, match=r"leaf x has grad None"):
        Backprop(y).run()


def test_gradcheck_across_a_pole_names_the_pole_not_the_op():
    """1/x at 1e-7 with eps 1e-6: central differences straddle the pole; '/' was blamed as wrong."""
    with pytest.raises(GradcheckError) as err:
        gradcheck(lambda x: 1 / x, 1e-7)
    why = str(err.value)
    assert "a pole (a singularity) lies between" in why and "eps=1e-09 can check it there" in why
    assert "first node whose local derivative disagrees" not in why
    assert gradcheck(lambda x: 1 / x, 1e-7, eps=1e-9)  # as the advice says


def test_gradcheck_at_the_edge_of_the_domain_says_to_move_not_to_shrink_eps():
    with pytest.raises(ValueError, match=r"move the input away \(it is within 1e-09 of"):
        gradcheck(lambda x: x ** 0.5, 0.0)
    with pytest.raises(ValueError, match=r"pass a smaller eps \(eps=1e-09 can check it there\)"):
        gradcheck(lambda x: x.sqrt(), 1e-7)


class WrongReciprocal(Op):
    """1/a whose backward lost the minus sign."""

    name = "recip"
    formula = "d/da 1/a = -1/a**2"

    @staticmethod
    def forward(ctx, a):
        return 1 / a

    @staticmethod
    def backward(ctx, g, out, a):
        return (g / (a * a),)


class WrongShiftedSquare(Op):
    """a*a - 1e-12 (a root near 1e-6) whose backward is 500 times too large."""

    name = "shifted_square"
    formula = "d/da (a*a - 1e-12) = 2*a"

    @staticmethod
    def forward(ctx, a):
        return a * a - 1e-12

    @staticmethod
    def backward(ctx, g, out, a):
        return (g * 1000 * a,)


def test_one_element_near_a_pole_does_not_excuse_an_op_wrong_at_the_others():
    with pytest.raises(GradcheckError, match=r"first node whose local derivative disagrees.*op 'recip'"):
        gradcheck(lambda x: apply(WrongReciprocal, x).sum(), np.array([1e-7, 1.0, 2.0]))


def test_a_root_is_not_taken_for_a_pole():
    """Near x*x - 1e-12's root the values change sign and are largest in size at x, as at a
    pole; but they shrink towards the sign change, so the op's wrong backward is blamed."""
    with pytest.raises(GradcheckError, match=r"first node whose local derivative disagrees.*shifted_square"):
        gradcheck(lambda x: apply(WrongShiftedSquare, x), 2.5e-7)


def test_an_int_too_large_for_a_float_is_named_not_a_bare_overflow():
    for call, what in [(lambda: Value(10**400), "the number Value\\(\\) got"),
                       (lambda: Value(2.0) + 10**400, "an operand"),
                       (lambda: 10**400 * Value(2.0), "an operand"),
                       (lambda: Tensor([1.0]) + 10**400, "an operand"),
                       (lambda: Value(2.0) ** 10**400, "the exponent"),
                       (lambda: Tensor([1.0]) ** 10**400, "the exponent"),
                       (lambda: Tensor([1.0]).clip(10**400, None), "a bound of clip")]:
        with pytest.raises(OverflowError, match=f"^{what} is an int too large for a float \\(401 digits"):
            call()


def test_render_refuses_to_write_its_output_over_its_own_source(tmp_path, monkeypatch):
    """render(outfile='g.gv', cleanup=True) rendered over the DOT source and then removed it: the
    call returned 'g.gv' and left no file.  graphviz refuses, unless overwrite_source=True."""
    require("graphviz", "pip install graphviz")
    monkeypatch.chdir(tmp_path)
    drawing = draw(Value(2.0, label="x") * 2)
    for call in (lambda: drawing.render(outfile="g.gv", cleanup=True),
                 lambda: drawing.render("k.gv", outfile="k.gv")):
        with pytest.raises(ValueError, match="must be different from the DOT source file"):
            call()
    assert os.listdir(tmp_path) == []
    assert drawing.render("k.gv", outfile="k.gv", overwrite_source=True, cleanup=True) == "k.gv"
    assert os.listdir(tmp_path) == ["k.gv"] and "->" in (tmp_path / "k.gv").read_text()
    os.symlink("k.gv", tmp_path / "link.gv")  # the source under another name is the source too
    with pytest.raises(ValueError, match="must be different from the DOT source file"):
        drawing.render("k.gv", outfile="link.gv", cleanup=True)
    assert (tmp_path / "k.gv").exists()
