"""Shared test fixtures.

PyTorch is the test oracle (float64).  Tests that need it take the ``torch`` fixture: without
PyTorch they skip, except under ``CI=true``, where a missing oracle fails the run.
"""

from __future__ import annotations

import os

import pytest


def _import_torch():
    try:
        import torch
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("PyTorch (the test oracle) is missing under CI=true: pip install torch==2.13.0")
        pytest.skip("PyTorch is not installed (pip install torch==2.13.0 to compare with it)")
    return torch


@pytest.fixture(scope="session")
def torch():
    """The PyTorch module, set to float64."""
    torch = _import_torch()
    torch.set_default_dtype(torch.float64)
    return torch
