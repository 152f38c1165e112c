"""Execute every example notebook in ``examples/`` and fail on any cell error.

Each notebook reproduces one seed's numbers and checks them with plain ``assert`` cells, so an
engine change that moves a number breaks this test.  The kernel is the ``python3`` kernelspec
run by this interpreter (``sys.executable``), with ``src/`` on ``PYTHONPATH`` and the Agg
matplotlib backend; the notebooks are committed without outputs and are not rewritten.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))
EXPECTED = {
    "000_001_notebook_231.ipynb",
    "002_textbook_mlp.ipynb",
    "003_slides_deep_learning.ipynb",
    "004_report_backprop_layers.ipynb",
}
#: Seconds per notebook (each one runs in well under 30 s on 2 cores).
CELL_TIMEOUT = 180


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    """Environment for the kernel: a ``python3`` kernelspec for ``sys.executable``.

    A kernelspec whose argv starts with ``python`` is launched with the current interpreter by
    jupyter_client; to be independent of whatever ``python3`` spec is installed, one is written
    into a temporary ``JUPYTER_PATH`` directory, which takes precedence.
    """
    from jupyter_client.kernelspec import KernelSpecManager

    share = tmp_path_factory.mktemp("jupyter")
    spec_dir = share / "kernels" / "python3"
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (mlplab tests)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(share), env.get("JUPYTER_PATH")]))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env["MPLBACKEND"] = "Agg"
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = env["JUPYTER_PATH"]
    try:
        found = KernelSpecManager().get_kernel_spec("python3")
        assert found.argv[0] == sys.executable, found.argv
        yield env
    finally:
        if old is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = old


def test_all_notebooks_present():
    assert {p.name for p in NOTEBOOKS} == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_clean(path):
    """Committed without outputs or execution counts, with asserting code cells."""
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)
    assert sum(c.source.count("assert ") for c in code) >= 10
    assert nb.metadata["kernelspec"]["name"] == "python3"
    first_md = next(c for c in nb.cells if c.cell_type == "markdown").source
    assert any("\uac00" <= ch <= "\ud7a3" for ch in first_md)  # Korean + English text
    assert "mlplab run" in "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path, kernel_env):
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(EXAMPLES)}},
        allow_errors=False,
    )
    t0 = time.perf_counter()
    try:
        client.execute(env=kernel_env)
    except nbclient.exceptions.CellExecutionError as exc:
        pytest.fail(f"{path.name}: a cell failed:\n{str(exc)[-3000:]}")
    elapsed = time.perf_counter() - t0
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]  # fmt: skip
    assert not errors
    # figures were produced (inline PNG/SVG), so the plotting cells really ran
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {}) or "image/svg+xml" in o.get("data", {})]  # fmt: skip
    assert len(images) >= 3, f"{path.name}: only {len(images)} figures displayed"
    assert elapsed < 120, f"{path.name} took {elapsed:.0f} s"


def test_history_repr_for_jupyter():
    """History shows an epoch table and its curves in Jupyter; empty histories stay text-only."""
    import numpy as np

    from mlplab import MLP
    from mlplab.train import History, Trainer

    X = np.random.default_rng(0).normal(size=(40, 2))
    y = (X[:, 0] > 0).astype(int)
    h = Trainer(MLP([2, 4, 2], seed=0), "sgd", lr=0.5, batch_size=10, epochs=3, seed=0).fit(X, y)
    html_text = h._repr_html_()
    assert "<table>" in html_text and html_text.count("<tr>") == 1 + 3
    assert "train_acc" in html_text and "<svg" in html_text
    assert h._repr_svg_().lstrip().startswith(("<?xml", "<svg"))
    empty = History()
    assert empty._repr_svg_() is None and "<table>" not in empty._repr_html_()
