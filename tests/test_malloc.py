"""A training loop reuses freed memory instead of page-faulting it in again every step."""

import os
import subprocess
import sys
import textwrap

import pytest

from autograd import memory

pytestmark = pytest.mark.skipif(not memory._glibc(), reason="glibc's malloc only")

# A [784, 128, 10] MLP at batch 64, in a fresh process without PyTorch (whose import would
# raise glibc's thresholds by itself): page faults per step, counted after five warm-up steps.
TRAINING = textwrap.dedent("""
    import resource, sys
    sys.modules["torch"] = None
    import numpy as np
    from autograd import Tensor
    from nn.losses import cross_entropy
    rng = np.random.default_rng(0)
    X = Tensor(rng.random((64 * 30, 784)))
    y = rng.integers(0, 10, 64 * 30)
    ps = [Tensor(rng.standard_normal((784, 128)) * 0.03, requires_grad=True),
          Tensor(np.zeros(128), requires_grad=True),
          Tensor(rng.standard_normal((128, 10)) * 0.1, requires_grad=True),
          Tensor(np.zeros(10), requires_grad=True)]
    W1, b1, W2, b2 = ps

    def step(i):
        x, t = X[64 * i:64 * (i + 1)], y[64 * i:64 * (i + 1)]
        cross_entropy((x @ W1 + b1).relu() @ W2 + b2, t).backward()
        for p in ps:
            p.data -= 0.1 * p.grad
            p.grad = None

    for i in range(5):
        step(i)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for i in range(5, 30):
        step(i)
    print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 25)
""")


def faults_per_step(keep: bool) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    # the control hides glibc from the check, so that importing autograd leaves malloc alone
    code = TRAINING if keep else "import os\nos.confstr = lambda name: ''\n" + TRAINING
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True,
                         check=True)
    return float(out.stdout.split()[-1])


def test_training_steps_reuse_freed_memory_instead_of_page_faulting():
    # each step frees an 800 KB weight gradient and its update: about 200 pages each
    assert faults_per_step(keep=True) < 20


def _huge_pages_always() -> bool:
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled") as f:
            return "[always]" in f.read()
    except OSError:
        return False


@pytest.mark.skipif(_huge_pages_always(), reason="huge pages back the heap: few faults either way")
def test_without_the_setting_each_step_page_faults_its_memory_in_again():
    """The control: what keep_freed_memory() prevents does happen without it."""
    assert faults_per_step(keep=False) > 200


@pytest.mark.parametrize("name, value", [("MALLOC_TRIM_THRESHOLD_", "131072"),
                                         ("MALLOC_MMAP_THRESHOLD_", "131072"),
                                         ("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=131072")])
def test_a_users_own_malloc_settings_are_left_alone(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    assert memory.keep_freed_memory() is False


def test_the_thresholds_are_set_where_nothing_says_otherwise(monkeypatch):
    for name in ("MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "GLIBC_TUNABLES"):
        monkeypatch.delenv(name, raising=False)
    assert memory.keep_freed_memory() is True
