"""Run folders and the self-contained HTML report."""

from __future__ import annotations

import base64
import csv
import json
import subprocess
import sys
from html.parser import HTMLParser

import numpy as np
import pytest

from mlplab.errors import ConfigError, MlplabTypeError
from mlplab.experiments.registry import RunResult
from mlplab.viz.report import build_report, command_line, to_jsonable, write_run_dir


class Page(HTMLParser):
    """Collects tags, image sources, links and visible text; checks tags are balanced."""

    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.tags, self.imgs, self.refs, self.text, self.stack = [], [], [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "img":
            self.imgs.append(a)
        for k in ("href", "src"):
            if k in a:
                self.refs.append(a[k])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}> after {self.stack}"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(path):
    p = Page()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    assert p.stack == []
    return p


def make_result():
    from mlplab import MLP
    from mlplab.viz import network_svg, plot_curves

    fig = plot_curves({"train": [1.0, 0.5, 0.25], "test": [1.1, 0.7]})
    svg = network_svg(MLP([2, 3, 1], loss="bce", seed=0))
    return RunResult(
        name="notebook-sim",
        text="iter: 1000 / lr: 0.1\nloss train: 0.1336 <script>alert(1)</script>",
        metrics={
            "loss_train": np.float64(0.1336),
            "loss_test": 0.2472,
            "acc": np.array([0.5, 0.75, 0.875]),
            "bad": float("nan"),
            "epochs": np.int64(200),
            "nested": {"w11": np.float32(0.25), "inf": np.inf},
        },
        config={
            "lr": 0.1,
            "batch_size": 20,
            "activation": "relu",
            "batch_normalize": True,
            "seed": 317,
        },
        figures={"loss": fig, "network": svg},
        notes=["differs from the book: inverted dropout", "A & B <ok>"],
        series={"loss_train": [1.0, 0.5, float("nan")], "loss_test": np.array([1.1, 0.7])},
    )


def test_run_folder_files(tmp_path):
    out = write_run_dir(
        make_result(), tmp_path / "run", argv=["run", "notebook-sim", "--lr", "0.1"]
    )
    names = {p.name for p in out.iterdir()}
    assert {
        "config.json",
        "metrics.json",
        "metrics.csv",
        "output.txt",
        "run.json",
        "loss.png",
        "loss.svg",
        "network.svg",
        "report.html",
    } <= names
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["name"] == "notebook-sim"
    assert cfg["argv"] == ["run", "notebook-sim", "--lr", "0.1"]
    assert cfg["command"] == "mlplab run notebook-sim --lr 0.1"
    assert cfg["config"]["batch_size"] == 20
    metrics = json.loads((out / "metrics.json").read_text())  # strict JSON: no NaN tokens
    assert "NaN" not in (out / "metrics.json").read_text()
    assert metrics["bad"] is None and metrics["nested"] == {"w11": 0.25, "inf": None}
    assert metrics["acc"] == [0.5, 0.75, 0.875] and metrics["epochs"] == 200
    rows = list(csv.reader((out / "metrics.csv").open()))
    assert rows[0] == ["step", "loss_train", "loss_test"]
    assert rows[1] == ["1", "1.0", "1.1"]
    assert rows[3] == ["3", "", ""]  # NaN and the missing 3rd test value are empty cells
    assert (out / "output.txt").read_text().startswith("iter: 1000")
    assert (out / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (out / "network.svg").read_text().startswith("<svg")


def test_report_html_is_self_contained_and_complete(tmp_path):
    out = write_run_dir(make_result(), tmp_path / "run")
    page = parse(out / "report.html")
    html_text = (out / "report.html").read_text()
    assert "script" not in page.tags  # the printed <script> was escaped
    assert "<script>alert" not in html_text and "&lt;script&gt;" in html_text
    assert all(r.startswith("data:") for r in page.refs)  # no external files
    srcs = {i["alt"]: i["src"] for i in page.imgs}
    assert set(srcs) == {"loss", "network"}
    assert srcs["loss"].startswith("data:image/png;base64,")
    png = base64.b64decode(srcs["loss"].split(",", 1)[1])
    assert png == (out / "loss.png").read_bytes()
    assert srcs["network"].startswith("data:image/svg+xml;base64,")
    text = " ".join(page.text)
    for needle in (
        "notebook-sim",
        "0.1336",
        "0.2472",
        "0.875 (last of 3)",
        "nested.w11",
        "differs from the book: inverted dropout",
        "A & B <ok>",
        "batch_normalize",
        "mlplab run notebook-sim --lr 0.1 --batch-size 20 --activation relu "
        "--batch-normalize --seed 317",
    ):
        assert needle in text, needle


def test_build_report_rebuilds_from_files(tmp_path):
    out = write_run_dir(make_result(), tmp_path / "run", argv=["run", "notebook-sim"])
    first = (out / "report.html").read_text()
    (out / "report.html").unlink()
    path = build_report(out)
    assert path == out / "report.html"
    assert path.read_text() == first
    # without run.json the figures are found by file name
    (out / "run.json").unlink()
    page = parse(build_report(out))
    assert {i["alt"] for i in page.imgs} == {"loss", "network"}


def test_build_report_bad_folders(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        build_report(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match="config.json is missing"):
        build_report(tmp_path / "empty")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "config.json").write_text("{not json")
    with pytest.raises(ConfigError, match="not valid JSON"):
        build_report(tmp_path / "broken")
    with pytest.raises(MlplabTypeError):
        write_run_dir(RunResult("x", "", figures={"f": 42}), tmp_path / "r")


def test_command_line_and_jsonable():
    assert command_line("apple", {"apple": 150.0, "quick": True, "verbose": False}) == (
        "mlplab run apple --apple 150.0 --quick"
    )
    assert command_line("x", {}, ["run", "x", "--name", "two words"]) == (
        "mlplab run x --name 'two words'"
    )
    assert command_line("x", {"lr": 1}, ["x", "--quick"]) == "mlplab run x --quick"
    assert command_line("x", {}, ["trace", "--net", "2-2-1"]) == "mlplab trace --net 2-2-1"
    assert to_jsonable({"a": (np.float32(1.5), -np.inf), 3: np.bool_(True)}) == {
        "a": [1.5, None],
        "3": True,
    }


def test_text_only_run_does_not_need_matplotlib(tmp_path):
    code = (
        "import sys\n"
        "from mlplab.experiments.registry import RunResult\n"
        "from mlplab.viz.report import write_run_dir\n"
        f"write_run_dir(RunResult('apple', '220', metrics={{'price': 220}}), {str(tmp_path)!r})\n"
        "assert 'matplotlib' not in sys.modules\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "220" in (tmp_path / "report.html").read_text()
