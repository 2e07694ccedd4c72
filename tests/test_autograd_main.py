"""``python -m autograd``: the worked example of backprop through one neuron prints the right numbers."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

from autograd.__main__ import main
from autograd.examples import NEURON_BIAS

ROOT = Path(__file__).resolve().parent.parent


def expected_gradients():
    """d o / d input for o = tanh(x1*w1 + x2*w2 + b), by hand: do/dn = 1 - o**2, then each
    product's input gets do/dn times the other factor, and b gets do/dn."""
    x1, w1, x2, w2, b = 2.0, -3.0, 0.0, 1.0, NEURON_BIAS
    o = math.tanh(x1 * w1 + x2 * w2 + b)
    dn = 1 - o * o
    return o, {"x1": dn * w1, "w1": dn * x1, "x2": dn * w2, "w2": dn * x2, "b": dn}


def test_main_prints_the_forward_value_and_the_gradients_of_the_inputs(capsys):
    """The numbers a learner follows: o = 0.7071, do/dn = 0.5, do/dx1 = -1.5, ... (a wrong
    gradient, a missing leaf or steps out of order would show here)."""
    main([])
    text = capsys.readouterr().out
    o, grads = expected_gradients()
    assert f"Value(data={o:.4f}, grad=0.0000, label='o', op='tanh')" in text
    assert round(o, 4) == 0.7071 and round(grads["b"], 12) == 0.5  # the round numbers it promises
    printed = dict(re.findall(r"d o / d (\w+)\s*= ([+-]\d+\.\d{4})", text))
    assert printed == {name: f"{g:+.4f}" for name, g in grads.items()}
    assert printed == {"x1": "-1.5000", "w1": "+1.0000", "x2": "+0.5000", "w2": "+0.0000", "b": "+0.5000"}
    steps = re.findall(r"^Step (\d)/5  (\w+) = ", text, flags=re.M)
    assert steps == [("1", "o"), ("2", "n"), ("3", "s"), ("4", "x1w1"), ("5", "x2w2")]
    assert "local:  do/dn = 0.5000" in text
    assert "x1.grad += x1w1.grad * -3.0000 = 0.5000 * -3.0000 = -1.5000" in text
    assert text.rstrip().endswith("d o / d b  = +0.5000")


def test_python_dash_m_autograd_runs_the_example():
    """The module entry point itself (``if __name__ == '__main__'``), in a fresh interpreter."""
    result = subprocess.run([sys.executable, "-m", "autograd"], capture_output=True, text=True,
                            cwd=ROOT, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Forward: o = tanh(x1*w1 + x2*w2 + b)\n")
    assert "  d o / d x1 = -1.5000\n" in result.stdout


def test_python_dash_m_autograd_has_help_and_refuses_arguments_it_does_not_take(capsys):
    """--help ran the whole example, and so did a typo, with exit status 0."""
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m autograd") and "one node at a time" in out
    with pytest.raises(SystemExit) as exit_:
        main(["bogus"])
    assert exit_.value.code == 2 and "unrecognized arguments: bogus" in capsys.readouterr().err


def test_main_called_from_a_notebook_reads_no_command_line(capsys, monkeypatch):
    """Called as a function it parsed sys.argv, a kernel's in Jupyter: 'unrecognized arguments'."""
    monkeypatch.setattr("sys.argv", ["ipykernel_launcher.py", "-f", "/tmp/kernel.json"])
    main()
    assert "Gradients of the inputs:" in capsys.readouterr().out
