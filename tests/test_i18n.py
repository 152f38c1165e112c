"""The one glossary/message table, the user's language, and the seeds' own Korean terms."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from korean import english_lines, hangul
from mlplab import i18n
from mlplab.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "env, lang",
    [
        ({}, "en"),
        ({"LANG": "ko_KR.UTF-8"}, "ko"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "ko_KR.UTF-8", "LC_ALL": "C"}, "en"),  # POSIX: LC_ALL wins
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "ko_KR.eucKR"}, "ko"),
        ({"LANG": "en_US.UTF-8", "MLPLAB_LANG": "ko"}, "ko"),
        ({"LANG": "ko_KR.UTF-8", "MLPLAB_LANG": "en"}, "en"),
        ({"LANG": "ko_KR.UTF-8", "MLPLAB_LANG": ""}, "ko"),
    ],
)
def test_default_lang(env, lang):
    assert i18n.default_lang(env) == lang


def test_bad_language_is_a_one_line_error():
    with pytest.raises(ConfigError, match="MLPLAB_LANG must be one of en, ko; got 'fr'"):
        i18n.default_lang({"MLPLAB_LANG": "fr"})
    with pytest.raises(ConfigError, match="--lang"):
        i18n.check_lang("de")


def test_the_seeds_own_terms():
    ko = {k: v[1] for k, v in i18n.TERMS.items()}
    assert ko["epoch"] == "에포크"
    assert ko["learning_rate"] == "학습률"
    assert ko["activation"] == "활성화 함수"
    assert ko["hidden_layer"] == "은닉층"
    assert ko["batch_size"] == "배치 크기"
    assert ko["update"] == "갱신"
    assert ko["iteration"] == "반복" and "이터레이션" in ko["iteration_long"]
    assert ko["course_material"] == "강의 자료"
    assert i18n.t("epoch", "ko") == "에포크" and i18n.t("epoch") == "epoch"
    assert i18n.t("report.title_run", "ko", name="x") == "mlplab 실행: x"
    with pytest.raises(KeyError):
        i18n.t("no.such.key", "ko")


def test_every_message_has_both_languages_and_the_same_placeholders():
    for key, (en, ko) in {**i18n.TERMS, **i18n.MESSAGES}.items():
        assert en and ko, key
        assert sorted(re.findall(r"{(\w*)}", en)) == sorted(re.findall(r"{(\w*)}", ko)), key
    json.dumps(i18n.table(), ensure_ascii=False)  # the playground can read it as JSON


def _texts():
    files = list((ROOT / "src" / "mlplab").rglob("*.py")) + list((ROOT / "examples").glob("*"))
    files += list((ROOT / "src" / "mlplab").rglob("*.toml")) + [ROOT / "README.md"]
    for path in files:
        if path.is_file() and path.suffix in (".py", ".ipynb", ".md", ".toml"):
            yield path, path.read_text(encoding="utf-8")


def test_no_other_words_for_the_seeds_terms():
    """에폭/업데이트 are not the course's words; 시드 would read as a random seed."""
    for path, text in _texts():
        if path.name == "glossary.py":
            continue
        for bad in ("에폭", "업데이트"):
            assert bad not in text, f"{path.relative_to(ROOT)} says {bad}"
        for m in re.finditer("시드", text):
            before = text[max(0, m.start() - 3) : m.start()]
            assert before.endswith("난수 "), f"{path.relative_to(ROOT)}: 시드 = course material?"


def test_errata_page_is_generated_from_the_table():
    from mlplab.i18n.errata import ERRATA, errata_for, errata_markdown

    assert (ROOT / "docs" / "errata.md").read_text(encoding="utf-8") == errata_markdown()
    assert len(ERRATA) >= 11
    for key, e in ERRATA.items():
        assert e["en"] and e["ko"] and (ROOT / "examples" / e["notebook"]).exists(), key
        for run in e["runs"]:
            assert e["ko"] in errata_for(run, "ko"), key


# ---------------------------------------------------------------- list, --help, run summaries
def test_every_run_search_option_and_file_has_korean():
    """Each built-in run's summary, each option's help, each packaged experiment file's
    description: a message whose English is the text itself (so Korean never describes other
    English) and whose Korean is Korean."""
    import tomllib

    from mlplab.experiments.classic import builtin_files
    from mlplab.experiments.registry import all_runs, option_help, run_summary
    from mlplab.search.space import builtin_search_files

    for name, spec in all_runs().items():
        assert i18n.t(f"summary.{name}") == spec.summary, name
        assert hangul(run_summary(name, spec.summary, "ko")), name
        for opt in spec.options:
            assert hangul(option_help(name, opt, "ko")), (name, opt.name)
            assert option_help(name, opt, "en") == opt.help
    files = {**builtin_files(), **builtin_search_files()}
    assert "random-search" in files
    for name, path in files.items():
        desc = tomllib.loads(path.read_text(encoding="utf-8"))["experiment"]["description"]
        assert i18n.t(f"desc.{name}") == desc, name
        assert hangul(i18n.t(f"desc.{name}", "ko")), name
    assert i18n.t("summary.random-search") == i18n.t("desc.random-search")


def test_a_changed_english_text_is_not_translated():
    from mlplab.experiments.registry import Option, option_help, run_summary

    assert run_summary("apple", "my own summary", "ko") == "my own summary"
    assert option_help("apple", Option("apple", float, 1.0, "my own help"), "ko") == "my own help"


def test_width_and_pad_count_hangul_as_two_columns():
    assert i18n.width("abc") == 3 and i18n.width("학습 정확도") == 11
    assert i18n.pad("ab", 4) == "ab  " and i18n.pad("ab", 4, ">") == "  ab"
    assert i18n.pad("학습", 6, ">") == "  학습" and i18n.pad("학습 정확도", 3) == "학습 정확도"
    for s in ("test acc", "0.1234"):  # ASCII: exactly Python's own padding
        assert i18n.pad(s, 12) == f"{s:<12}" and i18n.pad(s, 12, ">") == f"{s:>12}"


def _cli(capsys, *argv) -> str:
    from mlplab.cli import main

    try:
        code = main(list(argv))
    except SystemExit as exc:  # --help
        code = exc.code
    out, err = capsys.readouterr()
    assert code in (0, None), (argv, err)
    return out


def test_list_in_korean_names_every_run_and_the_search(capsys, monkeypatch):
    from mlplab.experiments.registry import all_runs

    monkeypatch.setenv("MLPLAB_LANG", "en")  # restored afterwards (search sets it)
    names = {*all_runs(), "random-search"}
    for argv in (["list", "--lang", "ko"], ["list", "--files", "--lang", "ko"]):
        lines = _cli(capsys, *argv).splitlines()
        assert {ln.split()[0] for ln in lines} == names, argv
        if "--files" not in argv:
            for ln in lines:
                assert hangul(ln), ln
                assert not english_lines(ln, allowed=[*names, "mlplab search random-search"]), ln
    monkeypatch.setenv("MLPLAB_LANG", "ko")
    assert _cli(capsys, "list") == _cli(capsys, "list", "--lang", "ko")
    english = _cli(capsys, "list", "--lang", "en")
    assert not hangul(english) and "mlplab search random-search" in english


def _help_entries(text: str) -> list[str]:
    """The option and command entries of an argparse help (invocation + help text)."""
    entries, body = [], False
    for line in text.splitlines():
        if line.endswith(":") and not line.startswith(" "):  # "options:", "positional ..."
            body = True
            continue
        if not body or not line.strip():
            continue
        if line.startswith("  ") and not line.startswith("    " * 3):
            entries.append(line.strip())
        elif entries:
            entries[-1] += "  " + line.strip()
    return entries


def _help_commands():
    from mlplab.experiments.registry import all_runs

    return [[], ["list"], ["trace"], ["report"], ["playground"], ["search"],
            ["search", "random-search"], ["run", "my-experiment.toml"],
            *(["run", name] for name in all_runs())]  # fmt: skip


def test_help_of_every_command_and_run_speaks_korean(capsys, monkeypatch):
    """`--help --lang ko` (after --help): every option's help sentence is Korean; argparse's
    own words (usage:, options:) may stay."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("MLPLAB_LANG", "en")  # restored afterwards (search sets it)
    for cmd in _help_commands():
        text = _cli(capsys, *cmd, "--help", "--lang", "ko")
        entries = _help_entries(text)
        assert entries, cmd
        for entry in entries:
            invocation, _, helptext = entry.partition("  ")
            if cmd == [] and invocation == "COMMAND":
                continue
            assert hangul(helptext), (cmd, entry)
        english = _cli(capsys, *cmd, "--help", "--lang", "en")
        assert not hangul(english), cmd
        assert "show this help message and exit" in english


@pytest.mark.parametrize(
    "args, env",
    [
        (["run", "notebook-231", "--help", "--lang", "ko"], {"MLPLAB_LANG": ""}),
        (["run", "notebook-231", "--help"], {"MLPLAB_LANG": "ko"}),
        (
            ["run", "notebook-231", "--help"],
            {"MLPLAB_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "ko_KR.UTF-8"},
        ),  # fmt: skip
        (["run", "notebook-231", "--lang=ko", "--help"], {"MLPLAB_LANG": "en"}),
        (["search", "--help", "--lang", "ko"], {"MLPLAB_LANG": ""}),
        (["--help"], {"MLPLAB_LANG": "ko"}),
    ],
)
def test_help_language_from_the_command_line_or_the_environment(args, env):
    import os
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "mlplab.cli", *args], capture_output=True,
                       text=True, timeout=120, env={**os.environ, **env})  # fmt: skip
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert "이 도움말을 보여 주고 끝냄" in r.stdout
    assert "show this help message" not in r.stdout
    if "notebook-231" in args:
        assert "학습률 (이 옵션들 중 하나라도 주면" in r.stdout and "(기본값: cases)" in r.stdout


def test_help_with_a_bad_mlplab_lang_is_english_and_the_command_one_line():
    import os
    import subprocess
    import sys

    def mlplab(*args):
        return subprocess.run([sys.executable, "-m", "mlplab.cli", *args], capture_output=True,
                              text=True, timeout=120, env={**os.environ, "MLPLAB_LANG": "xx"})  # fmt: skip

    r = mlplab("run", "apple", "--help")
    assert r.returncode == 0 and "show this help message" in r.stdout
    r = mlplab("list")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "MLPLAB_LANG" in r.stderr


def test_korean_help_wraps_by_terminal_columns():
    from mlplab.i18n.helptext import HelpFormatter

    fmt = HelpFormatter("prog", width=60)
    text = "가나다라 " * 20
    lines = fmt._split_lines(text, 40)
    assert len(lines) > 1 and all(i18n.width(ln) <= 40 for ln in lines)
    assert " ".join(lines) == text.strip()
    english = "show this help message and exit " * 5
    import argparse

    assert fmt._split_lines(english, 40) == argparse.HelpFormatter("prog")._split_lines(english, 40)


@pytest.mark.parametrize(
    "args",
    [
        ["run", "--help", "--lang", "ko"],
        ["run", "--lang", "ko", "--help"],
        ["run", "--lang", "ko", "backprop-222", "--no-save"],
        ["run", "backprop-222", "--lang", "ko", "--no-save"],
    ],
)
def test_run_takes_lang_before_or_after_the_name_and_help(args):
    """`mlplab run --help --lang ko` listed nothing: "ko" was taken for the run's name."""
    import os
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "mlplab.cli", *args], capture_output=True,
                       text=True, timeout=120, env={**os.environ, "MLPLAB_LANG": "en"})  # fmt: skip
    assert r.returncode == 0, r.stderr
    if "--help" in args:
        assert (
            "실행 목록" in r.stdout and "강의 자료 003: 슬라이드의 2-2-2 오차역전파법" in r.stdout
        )
    else:
        assert "== 순전파 ==" in r.stdout


# ---------------------------------------------------------------- lessons and search in Korean
#: names and program words a Korean lesson line may hold (gate names, the autograd graph's
#: ``leaf``/``data``/``grad``, a command to try)
LESSON_ALLOWED = {
    "gates": ["AND NAND   OR  XOR"],
    "apple": ["leaf", "data=", "grad="],
    "gd-2d": ["mlplab run optimizer-compare"],
    "bn-lesson": ["mlplab run batchnorm-scales"],
}


def _lessons():
    """Every built-in run but the classic experiments (tested in test_experiments_classic)."""
    from mlplab.experiments.registry import all_runs

    return sorted(
        n for n, r in all_runs().items() if r.fn.__module__ != "mlplab.experiments.classic"
    )


@pytest.mark.parametrize("name", _lessons())
def test_every_lesson_run_speaks_korean(name, capsys, monkeypatch):
    """`mlplab run NAME --lang ko`: no line that teaches is left in English (the course
    material's own printed lines, names and numbers may stay); English has no Hangul."""
    monkeypatch.setenv("MLPLAB_LANG", "en")
    argv = ["run", name, "--no-save", "--quick"]
    text = _cli(capsys, *argv, "--lang", "ko")
    allowed = [name, *LESSON_ALLOWED.get(name, [])]
    assert hangul(text) and not english_lines(text, allowed), english_lines(text, allowed)
    assert not hangul(_cli(capsys, *argv, "--lang", "en"))
