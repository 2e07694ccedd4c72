"""A teaching autograd engine: build a graph of numbers, backprop through it, watch every step.

>>> from autograd import Value
>>> a = Value(0.5, label='a'); b = Value(-1.5, label='b')
>>> c = (a * b).tanh(); c.label = 'c'
>>> c.backward()
>>> c
Value(data=-0.6351, grad=1.0000, label='c', op='tanh')
>>> round(a.grad, 6), round(b.grad, 6)
(-0.894879, 0.298293)
"""

from .backprop import Backprop, Step
from .check import GradcheckError, gradcheck
from .display import GraphTooLargeError
from .functional import grad
from .graph import apply, gradients, topological_order
from .memory import keep_freed_memory
from .mode import AnomalyError, detect_anomaly, enable_grad, is_grad_enabled, no_grad
from .tensor import Tensor, concatenate, conv1d, conv2d, linear, max_pool2d, stack
from .tree import tree
from .value import Value
from .viz import draw, draw_network
from .viz_render import RendererNotFound, RenderError

keep_freed_memory()  # a training loop's freed arrays are reused, not page-faulted in again

__all__ = [
    "AnomalyError",
    "Backprop",
    "GradcheckError",
    "GraphTooLargeError",
    "RenderError",
    "RendererNotFound",
    "Step",
    "Tensor",
    "Value",
    "apply",
    "concatenate",
    "conv1d",
    "conv2d",
    "linear",
    "max_pool2d",
    "stack",
    "detect_anomaly",
    "draw",
    "draw_network",
    "enable_grad",
    "grad",
    "gradcheck",
    "gradients",
    "is_grad_enabled",
    "no_grad",
    "topological_order",
    "tree",
]
