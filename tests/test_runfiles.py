"""Every built-in run is available as a file a user can copy, edit and run."""

import pytest

from mlplab.cli import main
from mlplab.errors import ConfigError
from mlplab.experiments.classic import builtin_files
from mlplab.experiments.registry import all_runs
from mlplab.experiments.runfiles import lesson_files, load_run_file, run_lesson_file


def test_every_run_has_a_file():
    files = {**lesson_files(), **builtin_files()}
    missing = set(all_runs()) - set(files)
    assert not missing, missing


@pytest.mark.parametrize("name", sorted(lesson_files()))
def test_packaged_lesson_files_load(name):
    run, given = load_run_file(lesson_files()[name])
    assert run == name


def test_edited_notebook_file_runs_the_custom_case(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text(
        '[run]\nname = "notebook-231"\nseed = 317\n[options]\nlr = 0.05\nbatch_size = 10\nepochs = 2\n'
    )
    res = run_lesson_file(f)
    assert len(res.metrics["cases"]) == 1
    assert "lr: 0.05 / btch_size: 10 / epoch: 2" in res.text


def test_copy_of_the_packaged_file_reproduces_the_seed(tmp_path, capsys):
    f = tmp_path / "nb.toml"
    f.write_text(lesson_files()["notebook-231"].read_text())
    assert main(["run", str(f), "--no-save"]) == 0
    assert "loss train: 0.4771 / loss test: 0.4934" in capsys.readouterr().out


@pytest.mark.parametrize(
    "body,needle",
    [
        ('[run]\nname = "nope"\n', "unknown run"),
        ('[run]\nname = "notebook-231"\n[options]\nlr = "fast"\n', "options.lr"),
        ('[run]\nname = "notebook-231"\n[options]\nbogus = 1\n', "options.bogus"),
        ('[run]\nname = "notebook-231"\n[options]\ngradient = "magic"\n', "gradient"),
        ('[run]\nname = "notebook-231"\n[extra]\n', "[extra]"),
        ("[run]\nseed = 1\n", "run.name"),
    ],
)
def test_bad_run_files(tmp_path, body, needle):
    f = tmp_path / "bad.toml"
    f.write_text(body)
    with pytest.raises(ConfigError, match=needle.replace("[", r"\[").replace("]", r"\]")):
        load_run_file(f)


def test_packaged_lesson_files_match_the_registry(tmp_path):
    from mlplab.experiments.runfiles import write_lesson_files

    fresh = write_lesson_files(tmp_path, skip=set(builtin_files()))
    for path in fresh:
        packaged = lesson_files()[path.stem]
        assert packaged.read_text() == path.read_text(), (
            f"{packaged} is stale: regenerate with mlplab.experiments.runfiles.write_lesson_files"
        )
