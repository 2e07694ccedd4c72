"""Shared test fixtures.

PyTorch is the test oracle (float64).  Tests that need it take the ``torch`` fixture; tests that
need another optional tool (graphviz, the notebook runner) call :func:`require`.  Without the
tool they skip, except under ``CI=true``, where a missing tool fails the run.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest

from autograd.ops import Op


def require(name: str, install: str) -> ModuleType:
    """Import ``name`` for a test (or a whole test module), or skip saying how to ``install`` it;
    under ``CI=true`` a missing module is a failure, so CI cannot pass by skipping."""
    try:
        return importlib.import_module(name)
    except ImportError:
        why = f"{name} is not installed ({install})"
        if os.environ.get("CI") == "true":
            pytest.fail(why + ", under CI=true", pytrace=False)
        pytest.skip(why, allow_module_level=True)


@pytest.fixture(scope="session")
def torch():
    """The PyTorch module, set to float64."""
    torch = require("torch", "the test oracle: pip install torch==2.13.0")
    torch.set_default_dtype(torch.float64)
    return torch


def square_op(backward, name="square", formula=""):
    """An op computing a**2 with the given ``backward(ctx, g, out, a)``: a learner's op, right or
    wrong (the test ops that differ only in their backward)."""
    members = {"name": name, "formula": formula, "forward": staticmethod(lambda ctx, a: a * a),
               "backward": staticmethod(backward)}
    return type("Square", (Op,), members)


class WrongCube(Op):
    """a**3 whose backward forgot the 3: the op gradcheck should blame."""

    name = "wrong_cube"
    formula = "d/da a**3 = 3 * a**2"

    @staticmethod
    def forward(ctx, a):
        return a * a * a

    @staticmethod
    def backward(ctx, g, out, a):
        return (g * a * a,)
