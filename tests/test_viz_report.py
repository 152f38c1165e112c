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


# ------------------------------------------------------------------ a report a learner reads


def _page_text(out):
    return (out / "report.html").read_text(encoding="utf-8")


def test_results_come_first_and_captions_are_words(tmp_path):
    res = make_result()
    res.captions = {"loss": "Loss on the training and test sets after every update"}
    res.config = {"experiment": {"name": "x"}, "model": {"hidden": [512, 256]}, "lr": 0.1}
    out = write_run_dir(res, tmp_path / "run")
    page = _page_text(out)
    assert page.index(">Results<") < page.index(">Configuration<")
    assert page.index("0.1336") < page.index(">Configuration<")  # the headline number first
    assert page.index(">Results<") < page.index(">Figures<") < page.index(">Output<")
    assert "Figure 1. Loss on the training and test sets after every update" in page
    # the whole list of hidden sizes, not "256 (last of 2)"
    assert "[512, 256]" in page and "256 (last of 2)" not in page


def test_report_in_korean(tmp_path):
    res = make_result()
    res.lang = "ko"
    res.captions = {"loss": "매 갱신 뒤 학습/테스트 손실"}
    res.errata = ["o2 = 0.68047은 z4를 옮겨 적은 것"]
    out = write_run_dir(res, tmp_path / "run")
    page = _page_text(out)
    assert '<html lang="ko">' in page
    for word in ("결과", "설정", "그림 1. 매 갱신 뒤 학습/테스트 손실", "강의 자료의 오류", "출력"):
        assert word in page, word
    assert json.loads((out / "run.json").read_text())["lang"] == "ko"
    # rebuilding keeps the language; --lang en switches it
    assert '<html lang="ko">' in _page_text(out.parent / "run") and build_report(out)
    assert '<html lang="ko">' in _page_text(out)
    build_report(out, lang="en")
    assert '<html lang="en">' in _page_text(out) and ">Results<" in _page_text(out)


def test_long_values_are_cut_between_items_never_mid_number(tmp_path):
    values = [0.123456789 + i for i in range(200)]
    res = RunResult("x", "", metrics={"table": [{"a": v, "b": [v, v]} for v in values]},
                    config={"grid": {"points": values}})  # fmt: skip
    out = write_run_dir(res, tmp_path / "run")
    page = parse(out / "report.html")
    cells = [t for t in page.text if "0.123457" in t or "1.12346" in t]
    assert cells
    for cell in cells:
        # every number shown is complete: the cell ends with "]" or "}" after an elision mark
        assert cell.rstrip().endswith(("]", "}")), cell[-40:]
        assert "… (+" in cell


def test_report_inputs_that_are_broken_or_hostile(tmp_path):
    out = write_run_dir(RunResult("x", "hello", metrics={"a": 1}), tmp_path / "run")
    run = json.loads((out / "run.json").read_text())
    # notes that are not a list of strings
    run["notes"] = 5
    (out / "run.json").write_text(json.dumps(run))
    assert "<li>5</li>" in build_report(out).read_text()
    # output.txt and a figure that are not UTF-8
    (out / "output.txt").write_bytes(b"caf\xe9 \xff\xfe")
    (out / "bad.svg").write_bytes(b"<svg>\xff</svg>")
    run["figures"] = ["bad"]
    (out / "run.json").write_text(json.dumps(run))
    assert "caf\ufffd" in build_report(out).read_text()
    # deeply nested JSON: a one-line error
    (out / "metrics.json").write_text("[" * 100000 + "]" * 100000)
    with pytest.raises(ConfigError, match="nested too deeply"):
        build_report(out)
    (out / "metrics.json").write_text('{"a": 1}')
    # report.html is a folder: a one-line error naming it
    (out / "report.html").unlink()
    (out / "report.html").mkdir()
    with pytest.raises(ConfigError, match="report.html.*folder"):
        build_report(out)
    (out / "report.html").rmdir()


def test_report_never_writes_through_or_embeds_a_link(tmp_path):
    out = write_run_dir(RunResult("x", "hello"), tmp_path / "run")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    target = tmp_path / "victim.html"
    target.write_text("keep me")
    (out / "report.html").unlink()
    (out / "report.html").symlink_to(target)
    (out / "leak.svg").symlink_to(secret)
    (out / "output.txt").unlink()
    (out / "output.txt").symlink_to(secret)
    run = json.loads((out / "run.json").read_text())
    run["figures"] = ["leak"]
    (out / "run.json").write_text(json.dumps(run))
    path = build_report(out)
    assert target.read_text() == "keep me"  # the link's target is untouched
    assert not path.is_symlink() and path.is_file()
    page = path.read_text()
    assert "TOP-SECRET" not in page
    assert base64.b64encode(b"TOP-SECRET").decode() not in page
    assert "symbolic link" in page


def test_cli_report_errors_are_one_line(tmp_path):
    out = write_run_dir(RunResult("x", "hello"), tmp_path / "run")
    (out / "metrics.json").write_text("[" * 100000 + "]" * 100000)
    proc = subprocess.run([sys.executable, "-m", "mlplab.cli", "report", str(out)],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
