"""Scalar networks: Neuron, Layer, MLP on Values; Rosenblatt's Perceptron."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd import Value
from nn import MLP, Layer, Neuron, Perceptron
from nn.data import gate
from nn.losses import hinge, mse
from nn.optim import Adam


@pytest.mark.parametrize(
    "activation, f",
    [
        ("relu", lambda z: max(z, 0.0)),
        ("tanh", math.tanh),
        ("sigmoid", lambda z: 1 / (1 + math.exp(-z))),
        ("linear", lambda z: z),
        ("step", lambda z: 1.0 if z >= 0 else 0.0),
    ],
)
def test_neuron_computes_activation_of_weighted_sum(activation, f):
    n = Neuron(3, activation=activation, seed=0)
    x = [0.5, -1.0, 2.0]
    z = sum(w.data * xi for w, xi in zip(n.w, x)) + n.b.data
    assert n(x).data == pytest.approx(f(z))
    assert len(n.parameters()) == 4


def test_neuron_weights_are_seeded_and_in_range():
    a, b = Neuron(50, seed=3), Neuron(50, seed=3)
    assert [w.data for w in a.w] == [w.data for w in b.w]
    assert all(-1 <= w.data <= 1 for w in a.w) and a.b.data == 0.0
    assert [w.data for w in Neuron(50, seed=4).w] != [w.data for w in a.w]


def test_neuron_gradients_follow_the_chain_rule():
    n = Neuron(2, activation="tanh", seed=1)
    out = n([Value(0.3), 2.0])
    out.backward()
    local = 1 - out.data**2
    assert n.w[0].grad == pytest.approx(local * 0.3)
    assert n.w[1].grad == pytest.approx(local * 2.0)
    assert n.b.grad == pytest.approx(local)


def test_layer_and_mlp_shapes():
    layer = Layer(3, 4, seed=0)
    assert len(layer([1.0, 2.0, 3.0])) == 4 and len(layer.parameters()) == 16
    assert isinstance(Layer(3, 1, seed=0)([1.0, 2.0, 3.0]), Value)
    net = MLP(3, [4, 4, 2], seed=0)
    assert len(net([1.0, 2.0, 3.0])) == 2
    assert len(net.parameters()) == 16 + 20 + 10
    assert [layer.neurons[0].activation for layer in net.layers] == ["relu", "relu", "linear"]
    net = MLP(3, [4, 1], activation="tanh", out_activation="sigmoid", seed=0)
    assert [layer.neurons[0].activation for layer in net.layers] == ["tanh", "sigmoid"]
    assert 0 < net([1.0, 2.0, 3.0]).data < 1


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Neuron(0), "nin must be a positive int"),
        (lambda: Neuron(2, activation="softplus"), "activation must be one of"),
        (lambda: Layer(2, 0), "nout must be a positive int"),
        (lambda: MLP(2, 3), "sizes must be a non-empty list"),
        (lambda: MLP(2, []), "sizes must be a non-empty list"),
        (lambda: MLP(2, [3], out_activation="max"), "activation must be one of"),
        (lambda: Neuron(2, seed=0)([1.0]), "takes 2 inputs, got 1"),
        (lambda: Perceptron(2).fit([[0, 1]], [2]), "labels must be 0 or 1"),
        (lambda: Perceptron(2).fit([[0, 1, 1]], [1]), "X must have shape"),
        (lambda: Perceptron(2).predict([[0, 1, 1]]), "takes 2 inputs"),
    ],
)
def test_bad_arguments_are_explained(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_a_scalar_network_explains_a_bare_number_and_names_the_neuron_whole():
    with pytest.raises(TypeError, match=r"Neuron\(1, linear\) takes a list of 1 inputs, got float 1.0"):
        MLP(1, [1])(1.0)  # was: object of type 'float' has no len()
    with pytest.raises(ValueError, match=r"^Neuron\(2, relu\) takes 2 inputs, got 3$"):
        MLP(2, [3, 1])([1.0, 2.0, 3.0])  # was: "Neuron(2, relu)  # 3 parameter takes ..."


def test_mlp_learns_xor():
    X, y = gate("xor")
    net = MLP(2, [4, 1], activation="tanh", seed=0)
    opt = Adam(net.parameters(), lr=0.1)
    for _ in range(150):
        loss = mse([net(x) for x in X.tolist()], y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.data < 1e-3
    assert [round(net(x).data) for x in X.tolist()] == [0, 1, 1, 0]


def test_mlp_learns_moons_with_hinge_loss_like_micrograd():
    from nn.data import moons

    X, y = moons(40, noise=0.1, seed=1)
    y = 2 * y - 1  # labels -1 / +1
    net = MLP(2, [8, 8, 1], seed=1)
    opt = Adam(net.parameters(), lr=0.05)
    for _ in range(40):
        scores = [net(x) for x in X.tolist()]
        loss = hinge(scores, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    accuracy = np.mean([(net(x).data > 0) == (t > 0) for x, t in zip(X.tolist(), y)])
    assert accuracy >= 0.95


@pytest.mark.parametrize("name", ["and", "or", "nand", "nor"])
def test_perceptron_learns_linearly_separable_gates(name):
    X, y = gate(name)
    p = Perceptron(2)
    result = p.fit(X, y, epochs=50)
    assert result.converged and result.errors[-1] == 0
    assert p.predict(X).tolist() == y.tolist()
    assert [p(x).data for x in X.tolist()] == y.tolist()  # the graph form agrees


def test_perceptron_does_not_converge_on_xor():
    X, y = gate("xor")
    p = Perceptron(2)
    result = p.fit(X, y, epochs=100)
    assert not result.converged
    assert len(result.errors) == 100 and min(result.errors) > 0
    assert (p.predict(X) != y).any()


def test_perceptron_with_random_start_and_learning_rate_also_converges():
    X, y = gate("or")
    p = Perceptron(2, seed=0)
    assert p.fit(X, y, epochs=100, lr=0.1).converged
    assert p.predict(X).tolist() == [0, 1, 1, 1]
    assert p.predict([1.0, 1.0]).tolist() == [1]


def test_perceptron_rule_by_hand():
    # one sample, wrong answer: w += lr * (y - yhat) * x
    p = Perceptron(2)
    result = p.fit([[1.0, 2.0]], [0], epochs=1, lr=0.5)
    assert result.errors == [1]
    assert [w.data for w in p.w] == [-0.5, -1.0] and p.b.data == -0.5


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, bool, np.float32])
def test_perceptron_learns_from_labels_of_any_dtype(dtype):
    # uint8 labels (as an image file stores them): 0 - 1 wrapped to 255, so AND never converged
    X, y = gate("and")
    p = Perceptron(2)
    assert p.fit(X, y.astype(dtype), epochs=20) == Perceptron(2).fit(X, y, epochs=20)
    assert [w.data for w in p.w] == [2.0, 1.0] and p.b.data == -3.0


def test_mlp_repr_names_its_output_activation():
    # it showed only activation='tanh', as if the sigmoid output layer were linear
    net = MLP(3, [4, 2], activation="tanh", out_activation="sigmoid", seed=1)
    first = repr(net).splitlines()[0]
    assert first == "MLP(3 -> [4, 2], activation='tanh', out_activation='sigmoid')  # 26 parameters"


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_perceptron_refuses_nan_and_inf(bad):
    # nan input made the weights nan and then every prediction 0, silently
    X = np.array([[bad, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    p = Perceptron(2)
    message = r"Perceptron\.fit: X must be finite numbers, got array\(4, 2\) with 1 (nan|inf)"
    with pytest.raises(ValueError, match=message):
        p.fit(X, [1, 1, 1, 1], epochs=5)
    assert [w.data for w in p.w] == [0.0, 0.0]  # unchanged
    with pytest.raises(ValueError, match=r"Perceptron\.predict: X must be finite"):
        p.predict(X)
    with pytest.raises(ValueError, match="labels must be 0 or 1"):  # targets were refused already
        p.fit(np.zeros((2, 2)), [1, bad])


@pytest.mark.parametrize(
    "make, name",
    [
        (lambda: MLP(2, [3, 1], seed=0), r"MLP\(2 -> \[3, 1\], activation='relu'\)"),
        (lambda: Layer(2, 3, seed=0), r"Layer\(2 -> 3, relu\)"),
        (lambda: Neuron(2, "tanh", seed=0), r"Neuron\(2, tanh\)"),
        (lambda: Perceptron(2), r"Perceptron\(2\)"),
    ],
    ids=["MLP", "Layer", "Neuron", "Perceptron"],
)
def test_a_scalar_network_names_a_batch_or_a_tensor_given_for_one_sample(make, name):
    # 4 rows of 2 said "Neuron(2, tanh) takes 2 inputs, got 4"; 2 rows of 2 "a Value holds one number"
    from autograd import Tensor

    net, kind = make(), name.split("\\(")[0]
    batch = rf"^{name} got a batch of shape \(4, 2\); the scalar {kind} takes one sample: \[net\(x\) for"
    with pytest.raises(ValueError, match=batch):
        net(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=batch):
        net([[0.0, 0.0]] * 4)  # a list of lists, too
    with pytest.raises(ValueError, match=r"got a batch of shape \(2, 2\)"):
        net(np.zeros((2, 2)))  # as many rows as inputs
    with pytest.raises(ValueError, match=r"got a batch of shape \(2, \.\.\.\)"):
        net([[0.0, 0.0], [0.0]])  # ragged rows
    with pytest.raises(TypeError, match=rf"^{name} is a scalar model.*Tensor of shape \(4, 2\).*nn\.Linear"):
        net(Tensor(np.zeros((4, 2))))
    with pytest.raises(TypeError, match=r"Tensor of shape \(2,\).*net\(x\.data\.tolist\(\)\)"):
        net(Tensor([1.0, 2.0]))
    for one in (np.array([1.0, 2.0]), [1.0, 2.0], [Value(1.0), Value(2.0)]):  # one sample still works
        assert isinstance(net(one), (Value, list))


def test_a_perceptron_given_a_batch_points_to_predict():
    with pytest.raises(ValueError, match=r"\[net\(x\) for x in X\], or p\.predict\(X\)"):
        Perceptron(2)(gate("and")[0])


def test_micrograds_nonlin_switch_is_taken():
    """Neuron(3, nonlin=False), as micrograd writes a linear unit, was 'unexpected keyword'."""
    from nn import Layer, Neuron

    assert Neuron(3, nonlin=False).activation == "linear" and Neuron(3, nonlin=True).activation == "relu"
    assert Layer(3, 2, nonlin=False).neurons[1].activation == "linear"
    with pytest.raises(ValueError, match="give activation= or micrograd's nonlin=, not both"):
        Neuron(3, activation="tanh", nonlin=True)
    with pytest.raises(TypeError, match="nonlin must be True or False"):
        Layer(3, 2, nonlin="no")


def test_micrograds_nonlin_may_come_where_micrograd_puts_it():
    """Neuron(3, False), micrograd's positional form, said 'activation must be one of ...; got False';
    activation='relu' with nonlin=False built a linear unit without a word."""
    from nn import Layer, Neuron

    assert Neuron(3, False).activation == "linear" and Layer(3, 2, True).neurons[0].activation == "relu"
    assert Neuron(3).activation == "relu" and Neuron(3, "tanh").activation == "tanh"
    with pytest.raises(ValueError, match="not both"):
        Neuron(3, activation="relu", nonlin=False)
