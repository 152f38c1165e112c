"""Every bad input of issue 13, given to the real ``mlplab`` command.

Each case runs the installed console script in a fresh working directory and checks what a
user sees and what the machine feels: exit code 2, exactly one line on stderr naming the field
(and its allowed range or the cap and the option raising it), no "Traceback", nothing written
anywhere (not even a run folder), and a peak memory of the process under a bound (the
unfixed cases reached gigabytes or were killed by the OOM killer).
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).with_name("mlplab")
#: Peak resident memory of one `mlplab` process (NumPy + matplotlib are ~150 MB of it).
MAX_RSS_MB = 400

TINY = """[experiment]
name = "tiny"
[data]
source = "builtin"
name = "moons"
n = 200
[model]
hidden = [8]
[train]
lr = 0.1
batch_size = 20
epochs = 2
"""


def _with(**lines) -> str:
    """TINY with ``key = value`` lines replaced, or added after ``[data]``."""
    text = TINY
    for key, value in lines.items():
        old = next((ln for ln in text.splitlines() if ln.startswith(f"{key} =")), None)
        if old is None:
            text = text.replace("[data]\n", f"[data]\n{key} = {value}\n")
        else:
            text = text.replace(old, f"{key} = {value}")
    return text


def _idx_header_only(directory: Path) -> None:
    """Four IDX files whose image header claims 65536**4 bytes (the product overflows int64)."""
    directory.mkdir()
    huge = b"\x00\x00\x08\x04" + (65536).to_bytes(4, "big") * 4
    labels = b"\x00\x00\x08\x01" + (2).to_bytes(4, "big") + b"\x00\x01"
    for stem in ("train-images-idx3-ubyte", "t10k-images-idx3-ubyte"):
        (directory / f"{stem}.gz").write_bytes(gzip.compress(huge))
    for stem in ("train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"):
        (directory / f"{stem}.gz").write_bytes(gzip.compress(labels))


def _long_cell_csv(path: Path) -> None:
    path.write_text("a,b,label\n" + "7" * 100_000 + ",1,0\n" + "1,2,0\n3,4,1\n" * 50_000)


CSV_EXPERIMENT = TINY.replace(
    'source = "builtin"\nname = "moons"\nn = 200', 'source = "csv"\npath = "d.csv"\nlabel = -1'
)

# id: (argv, files {name: text | bytes | callable(path)}, needle in the one stderr line)
CASES = {
    "no command": ([], {}, "give a command: list, run, trace"),
    "run without a target": (["run"], {}, "give what to run: mlplab run NAME|FILE.toml"),
    "epochs -5": (
        ["run", "notebook-231", "--epochs", "-5"],
        {},
        "--epochs: must be an integer >= 1 and <= 100000, got -5",
    ),
    "batch size 0": (["run", "notebook-231", "--batch-size", "0"], {}, "--batch-size: must be"),
    "seed -1": (["run", "notebook-231", "--seed", "-1"], {}, "--seed: must be an integer >= 0"),
    "lr -1": (["run", "notebook-231", "--lr", "-1"], {}, "--lr: must be a number > 0 and <= 1000"),
    "lr 0": (["run", "notebook-231", "--lr", "0"], {}, "--lr: must be a number > 0"),
    "lr nan": (["run", "notebook-231", "--lr", "nan"], {}, "got nan"),
    "lr 1e9": (["run", "notebook-231", "--lr", "1e9"], {}, "got 1000000000.0"),
    "keras lr 0": (["run", "keras-448", "--lr", "0"], {}, "--lr: must be a number > 0"),
    "gd-1d lr -1": (["run", "gd-1d", "--lr", "-1"], {}, "--lr: must be a number > 0"),
    "experiment file lr -1": (["run", "e.toml"], {"e.toml": _with(lr="-1")}, "train.lr: must be"),
    "lesson file lr nan": (
        ["run", "l.toml"],
        {"l.toml": '[run]\nname = "gd-1d"\n[options]\nlr = nan\n'},
        "options.lr: must be a number > 0 and <= 1000, got nan",
    ),
    "trace decimals -1": (
        ["trace", "--x", "1 2", "--t", "1", "--decimals", "-1"],
        {},
        "--decimals must be an integer in [0, 15], got -1",
    ),
    "trace decimals 100000": (
        ["trace", "--x", "1 2", "--t", "1", "--decimals", "100000"],
        {},
        "--decimals must be an integer in [0, 15], got 100000",
    ),
    "trace of a network too big to print": (
        ["trace", "--x", "1 2", "--t", "1", "--sizes", "2,100000,1"],
        {},
        "--sizes must be 2 to 7 integers in [1, 16]",
    ),
    "non-UTF-8 experiment file": (
        ["run", "e.toml"],
        {"e.toml": TINY.replace('"tiny"', '"caf\xe9"').encode("latin-1")},
        "e.toml: line 2: not UTF-8 text (byte 0xe9)",
    ),
    "non-UTF-8 search file": (
        ["search", "s.toml"],
        {"s.toml": TINY.replace('"tiny"', '"caf\xe9"').encode("latin-1")},
        "s.toml: line 2: not UTF-8 text (byte 0xe9)",
    ),
    "--set names the key": (
        ["run", "e.toml", "--set", "train.lrr=1"],
        {"e.toml": TINY},
        "train.lrr: unknown key; allowed:",
    ),  # fmt: skip
    "hidden 10000000": (
        ["run", "e.toml"],
        {"e.toml": _with(hidden="[10000000]")},
        "needs at least 40,000,001 parameters, more than the limit params=20,000,000 "
        "(raise it with --limit params=N)",
    ),
    "hidden 100000 x 100000": (
        ["run", "e.toml"],
        {"e.toml": _with(hidden="[100000, 100000]")},
        "--limit params=N",
    ),
    "n = 10**12": (["run", "e.toml"], {"e.toml": _with(n="1000000000000")}, "data.n: must be"),
    "variant product 100x50x100": (
        ["run", "e.toml"],
        {
            "e.toml": TINY
            + "[variants]\nlr = "
            + str([round(0.001 * (i + 1), 3) for i in range(100)])
            + "\nbatch_size = "
            + str(list(range(1, 51)))
            + "\nepochs = "
            + str(list(range(1, 101)))
            + "\n"
        },
        "variants: the lists give 500,000 combinations, more than the limit variants=1,000",
    ),
    "search grid of 1e9 points": (
        ["search", "s.toml", "--jobs", "0"],
        {
            "s.toml": TINY + '[search]\nsampler = "grid"\n[search.space]\n'
            '"train.lr" = { low = 0.001, high = 0.1, points = 1000000000 }\n'
        },
        "points: must be an integer >= 2 and <= 10000",
    ),
    "search choice of a 10000000-unit layer": (
        ["search", "s.toml", "--jobs", "0"],
        {"s.toml": TINY + '[search]\n[search.space]\n"model.hidden" = [[10000000]]\n'},
        "--limit params=N",
    ),
    "search with data options of another data set": (
        ["search", "s.toml", "--jobs", "0"],
        {"s.toml": _with(dim="3") + '[search]\n[search.space]\n"train.lr" = [0.1]\n'},
        "data.dim: not an option of data set 'moons'",
    ),
    "IDX dimensions overflow": (
        ["run", "e.toml"],
        {
            "idx": _idx_header_only,
            "e.toml": TINY.replace(
                'source = "builtin"\nname = "moons"\nn = 200', 'source = "idx"\npath = "idx"'
            ),
        },
        "IDX shape (65536, 65536, 65536, 65536) needs 18446744073709551616 bytes",
    ),
    "CSV with one very long cell": (
        ["run", "e.toml"],
        {"d.csv": _long_cell_csv, "e.toml": CSV_EXPERIMENT},
        "d.csv: line 2: more than 3011 characters on one line",
    ),
    "semicolon CSV": (
        ["run", "e.toml"],
        {"d.csv": "a;b;label\n1;2;0\n3;4;1\n5;6;0\n", "e.toml": CSV_EXPERIMENT},
        "set data.delimiter = ';'",
    ),
    "CSV first row 0x10": (
        ["run", "e.toml"],
        {"d.csv": "0x10,2,0\n3,4,1\n5,6,0\n", "e.toml": CSV_EXPERIMENT},
        "d.csv: line 1: text '0x10' in numeric column 1",
    ),
    "CSV fractional label": (
        ["run", "e.toml"],
        {"d.csv": "a,b,c\n1,2,0\n3,4,0.5\n5,6,1\n", "e.toml": CSV_EXPERIMENT},
        "non-integer class '0.5' in label column 3 ('c'); set data.task = \"regression\"",
    ),
    "CSV number out of float range": (
        ["run", "e.toml"],
        {"d.csv": "a,b,c\n1,2,0\n3,1e309,1\n5,6,1\n", "e.toml": CSV_EXPERIMENT},
        "number '1e309' in column 2 ('b') is outside the float range",
    ),
    "--data / looks only where the docs say": (
        ["run", "e.toml", "--data", "/"],
        {"e.toml": TINY.replace('name = "moons"\nn = 200', 'name = "mnist"')},
        "MNIST files not found in the directory given (looked in /, /mnist)",
    ),
    "--limit with an unknown name": (
        ["run", "e.toml", "--limit", "speed=3"],
        {"e.toml": TINY},
        "--limit: expected NAME=N with NAME one of params, activations, data, variants",
    ),
}


def _make(cwd: Path, files: dict) -> None:
    for name, content in files.items():
        p = cwd / name
        if callable(content):
            content(p)
        elif isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")


def _snapshot(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


#: Runs a command and writes its peak RSS (KB).  A small middleman: a child forked straight
#: from a big pytest worker would report the worker's RSS as its own peak (Linux counts the
#: memory the process had before exec).
_MEASURE = (
    "import resource, subprocess, sys\n"
    "r = subprocess.run(sys.argv[2:])\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(r.returncode if r.returncode >= 0 else 128 - r.returncode)\n"
)


def run_measured(argv, cwd, timeout=120, env=None):
    """Run ``mlplab argv`` in ``cwd``; return (exit code, stdout, stderr, peak RSS in MB)."""
    out, err, rss = cwd / ".stdout", cwd / ".stderr", cwd / ".rss"
    with open(out, "wb") as fo, open(err, "wb") as fe:
        proc = subprocess.Popen(
            [sys.executable, "-c", _MEASURE, str(rss), str(BIN), *argv],
            cwd=cwd,
            stdout=fo,
            stderr=fe,
            start_new_session=True,
            env=env or {**os.environ, "MLPLAB_DATA": str(cwd / "nodata")},
        )
        try:
            code = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            code = proc.wait()
    peak = int(rss.read_text()) / 1024 if rss.exists() else float("nan")
    text_out, text_err = out.read_text(errors="replace"), err.read_text(errors="replace")
    for f in (out, err, rss):
        f.unlink(missing_ok=True)
    return code, text_out, text_err, peak


@pytest.mark.skipif(not BIN.exists(), reason="the mlplab console script is not installed")
@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_line_exit_2_nothing_written_bounded_memory(tmp_path, case):
    argv, files, needle = CASES[case]
    outside = tmp_path / "outside"
    cwd = outside / "work"
    cwd.mkdir(parents=True)
    _make(cwd, files)
    before_cwd, before_outside = _snapshot(cwd), _snapshot(outside)
    code, out, err, rss = run_measured(argv, cwd)
    assert code == 2, (code, out, err)
    assert "Traceback" not in err + out
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert needle in err, err
    assert _snapshot(cwd) == before_cwd  # no run folder, no temp file
    assert _snapshot(outside) == before_outside
    assert rss < MAX_RSS_MB, f"peak {rss:.0f} MB"


@pytest.mark.skipif(not BIN.exists(), reason="the mlplab console script is not installed")
@pytest.mark.parametrize("name", ["../../../x", "/abs/path", "a/b", ".."])
def test_experiment_names_cannot_write_outside_runs(tmp_path, name):
    outside = tmp_path / "outside"
    cwd = outside / "deep" / "work"
    cwd.mkdir(parents=True)
    (cwd / "e.toml").write_text(TINY.replace('name = "tiny"', f'name = "{name}"'))
    code, out, err, _ = run_measured(["run", "e.toml", "--quiet"], cwd)
    assert code == 0, err
    (folder,) = (cwd / "runs").iterdir()
    assert folder.is_dir() and folder.parent == cwd / "runs"
    assert ".." not in folder.name and "/" not in folder.name
    assert set(_snapshot(outside)) - {"deep", "deep/work"} == {
        f"deep/work/{p}" for p in _snapshot(cwd)
    }
    assert not Path("/abs/path").exists()


def test_usage_rule_help_exits_0_missing_arguments_exit_2(tmp_path):
    for argv in (["--help"], ["run", "--help"], ["search", "--help"]):
        code, out, err, _ = run_measured(argv, tmp_path)
        assert code == 0 and "usage" in out.lower() and err == "", argv
    shutil.rmtree(tmp_path / "nodata", ignore_errors=True)
