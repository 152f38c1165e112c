"""The example notebooks are committed executed, and a fresh execution prints the same.

Each notebook reproduces one document of the course material and checks its numbers with plain
``assert`` cells; it is committed *with* its outputs (numbers and figures visible on GitHub
without running anything).  This test re-executes each one (the ``python3`` kernelspec run by
this interpreter, ``src/`` on ``PYTHONPATH``) and fails on any cell error and on any printed
text — every number — that differs from the committed output, so the stored notebooks can never
go stale.  Regenerate them with ``make notebooks`` (``jupyter nbconvert --execute --inplace``).
"""

from __future__ import annotations

import json
import os
import re
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


def _text_outputs(nb) -> list[tuple[int, str]]:
    """(cell index, printed text) of every code cell: streams and text/plain results, with
    memory addresses (``0x7f…``) removed; images are not compared (their numbers are printed)."""
    out = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        parts = []
        for o in cell.outputs:
            if o.output_type == "stream":
                parts.append(o.text)
            elif o.output_type in ("execute_result", "display_data"):
                parts.append(o.get("data", {}).get("text/plain", ""))
            elif o.output_type == "error":
                parts.append(f"ERROR {o.ename}: {o.evalue}")
        out.append((i, re.sub(r"0x[0-9a-fA-F]+", "0x…", "".join(parts))))
    return out


def _images(nb) -> int:
    return sum(1 for c in nb.cells if c.cell_type == "code" for o in c.outputs
               if "image/png" in o.get("data", {}) or "image/svg+xml" in o.get("data", {}))  # fmt: skip


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_executed(path):
    """Committed with its outputs: every code cell ran once, in order, without an error."""
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and [c.execution_count for c in code] == list(range(1, len(code) + 1))
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    assert sum(bool(c.outputs) for c in code) >= len(code) // 2
    assert _images(nb) >= 3, f"{path.name}: figures are not stored"
    assert sum(c.source.count("assert ") for c in code) >= 10
    assert nb.metadata["kernelspec"]["name"] == "python3"
    first_md = next(c for c in nb.cells if c.cell_type == "markdown").source
    assert any("\uac00" <= ch <= "\ud7a3" for ch in first_md)  # Korean + English text
    assert "mlplab run" in "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes_and_prints_what_is_committed(path, kernel_env):
    stored = nbformat.read(path, as_version=4)
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
    assert _images(nb) >= 3, f"{path.name}: only {_images(nb)} figures displayed"
    fresh, old = _text_outputs(nb), _text_outputs(stored)
    assert len(fresh) == len(old)
    for (i, now), (_, before) in zip(fresh, old):
        assert now == before, (
            f"{path.name}, cell {i}: the committed output is stale; run `make notebooks`.\n"
            f"committed:\n{before[:1500]}\nnow:\n{now[:1500]}"
        )
    assert elapsed < 300, f"{path.name} took {elapsed:.0f} s"


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
