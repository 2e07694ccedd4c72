"""gradcheck's search for the wrong op leaves what the graph's ops saved for backward alone."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import WrongCube, square_op

from autograd import GradcheckError, Tensor, gradcheck
from autograd.graph import apply
from autograd.mode import is_grad_enabled
from nn.losses import cross_entropy, quadratic

rng = np.random.default_rng(1)
LOGITS = rng.normal(size=(5, 4))
LABELS = np.array([0, 3, 1, 2, 3])
TARGET = rng.normal(size=(5, 4))


@pytest.mark.parametrize("loss, target, saved_at", [(cross_entropy, LABELS, 1), (quadratic, TARGET, 2)])
def test_blaming_an_op_does_not_overwrite_what_a_loss_saved_for_backward(loss, target, saved_at):
    # the blame step re-ran each op's forward with the node's own ctx, so the loss node's saved
    # softmax (or difference) became that of the last perturbed input: a later backward was off
    graph = []

    def f(z):
        out = loss(z, target)
        if is_grad_enabled():  # the recorded graph, not gradcheck's no_grad evaluations
            saved = out._ctx[saved_at]
            graph.append((out, saved, saved.copy()))
        return apply(WrongCube, out)

    with pytest.raises(GradcheckError, match="wrong_cube"):  # the loss is checked first, and passes
        gradcheck(f, Tensor(LOGITS, requires_grad=True))
    (node, saved, values), = graph
    assert node._ctx[saved_at] is saved
    np.testing.assert_array_equal(saved, values)

    want = loss(Tensor(LOGITS, requires_grad=True), target)  # a fresh graph, for comparison
    want.backward()
    leaf = node.parents[0]
    leaf.grad = None
    node.backward()
    np.testing.assert_array_equal(leaf.grad, want.parents[0].grad)


def test_a_scalar_op_that_forgets_to_multiply_by_g_is_named():
    """The check of each op's own derivative sent g = 1 through a number's op, where forgetting g
    cannot show: gradcheck said every op's local derivative agrees (a learner's commonest slip)."""
    square_without_g = square_op(lambda ctx, g, out, a: (2 * a,))

    for f in (lambda x: apply(square_without_g, x) * 3, lambda x: apply(square_without_g, x).sin()):
        with pytest.raises(GradcheckError, match="local derivative disagrees: .*op 'square'"):
            gradcheck(f, 0.3)


def test_a_backward_that_forgot_g_is_told_so_with_the_numbers_it_returned():
    """The blame line showed the derivative divided by the hidden g (2.05 for a returned 4.38)."""
    cube_without_g = type("Cube", (square_op(lambda ctx, g, out, a: (3 * a * a,), name="cube"),),
                          {"forward": staticmethod(lambda ctx, a: a ** 3)})
    told = r"sent the upstream gradient g = [\d.]+, its backward returned 4\.38312, which is d/d"
    with pytest.raises(GradcheckError, match=told + ".* forget to multiply by g"):
        gradcheck(lambda x: apply(cube_without_g, x.tanh() * 2.0) * 3.0, 0.7)


def test_the_blamed_op_names_its_input_as_the_table_does():
    """The table said "input 1" for y and the blame line said d/d(input 0), the op's own count."""
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x, y: x * 2 + apply(WrongCube, y), 0.5, 1.5)
    assert "input 1 " in str(info.value) and "d/d(input 1) = 2.25" in str(info.value)


def test_an_intermediate_input_of_the_blamed_op_is_named_by_the_op():
    with pytest.raises(GradcheckError, match=r"d/d\(input 0 of 'wrong_cube'\)"):
        gradcheck(lambda x: apply(WrongCube, x * 2), 0.5)


def test_a_kink_is_still_named_beside_the_op_it_does_not_excuse():
    """relu at 0 explains input 0's row of the table; it was dropped once wrong_cube was blamed."""
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x, y: x.relu() + apply(WrongCube, y), 0.0, 1.5)
    blame, also = str(info.value).splitlines()[-2:]
    assert "op 'wrong_cube'" in blame
    assert also.startswith("also, op 'relu'") and "of input 0 = 0" in also and "kink" in also


def test_a_number_kept_out_of_the_graph_is_suggested_when_every_op_agrees():
    """A value taken out with .data is a constant to backward: no op is wrong, and no kink either."""
    with pytest.raises(GradcheckError, match=r"every op's local derivative agrees.*taken out with \.data"):
        gradcheck(lambda x: x * x.data, 0.7)
