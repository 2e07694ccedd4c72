"""Example graphs the docs, lessons and tests share, so each is written once."""

from __future__ import annotations

from .value import Value

# makes n = 0.8814, so o = tanh(n) = 0.7071 and do/dn = 1 - o**2 = 0.5: round numbers to follow
NEURON_BIAS = 6.8813735870195432


def neuron() -> Value:
    """The neuron of the lectures, o = tanh(x1*w1 + x2*w2 + b), every node labelled.

    >>> o = neuron()
    >>> o
    Value(data=0.7071, grad=0.0000, label='o', op='tanh')
    >>> o.backward()
    >>> {p.label: round(p.grad, 12) for p in o.parents[0].parents}
    {'s': 0.5, 'b': 0.5}
    """
    x1, w1 = Value(2.0, label="x1"), Value(-3.0, label="w1")
    x2, w2 = Value(0.0, label="x2"), Value(1.0, label="w2")
    b = Value(NEURON_BIAS, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1w1"
    x2w2 = x2 * w2
    x2w2.label = "x2w2"
    s = x1w1 + x2w2
    s.label = "s"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o
