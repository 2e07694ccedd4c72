"""The notebooks: stored without outputs, and every cell runs without error (nbclient).

The kernel is this interpreter: the fixture writes a kernel spec for ``sys.executable`` into a
temporary Jupyter path, so the notebooks see exactly the packages the tests see, with no
``python -m ipykernel install`` needed on the machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import require

nbformat = require("nbformat", "pip install -e '.[dev]' for the notebook tests")
nbclient = require("nbclient", "pip install -e '.[dev]' for the notebook tests")
kernelspec = require("ipykernel.kernelspec", "pip install -e '.[dev]' for the notebook tests")

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
KERNEL = "teachgrad-tests"


@pytest.fixture(scope="module")
def kernel_name(tmp_path_factory):
    """A Jupyter kernel named KERNEL that runs this very Python."""
    root = tmp_path_factory.mktemp("jupyter")
    kernelspec.write_kernel_spec(root / "kernels" / KERNEL)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", str(root))
        yield KERNEL


def _execute(path: Path, kernel: str, workdir: Path) -> object:
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, kernel_name=kernel, timeout=120,
                                     resources={"metadata": {"path": str(workdir)}})
    client.execute()
    return nb


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: clear the outputs"


def test_there_are_two_notebooks():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == [
        "backprop_stepping.ipynb", "digits_training.ipynb"]


def test_digits_notebook_runs_and_plots(kernel_name, tmp_path):
    nb = _execute(NOTEBOOKS / "digits_training.ipynb", kernel_name, tmp_path)
    outputs = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]
    images = [out for out in outputs if "image/png" in out.get("data", {})]
    assert len(images) >= 4  # training digits, history, misread digits, loss curve
    text = "".join(out.get("text", "") for out in outputs)
    assert "test accuracy" in text


def test_backprop_notebook_runs_with_inline_graphs(kernel_name, tmp_path):
    require("graphviz", "pip install -e '.[viz]': this notebook draws graphs")
    nb = _execute(NOTEBOOKS / "backprop_stepping.ipynb", kernel_name, tmp_path)
    outputs = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]
    graphs = [out for out in outputs if "image/svg+xml" in out.get("data", {})]
    assert len(graphs) >= 5
    text = "".join(out.get("text", "") for out in outputs)
    assert "Step 1/5  o = tanh(n)" in text and "dd/da = 7.0" in text
    assert (tmp_path / "neuron_walkthrough.html").stat().st_size > 0
