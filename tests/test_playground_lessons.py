"""Lessons: the file format, its one-line errors, goals checked live, the built-in quizzes."""

import subprocess
import sys
import textwrap

import pytest

from mlplab.errors import ConfigError
from mlplab.playground import lessons
from mlplab.playground.session import Session

GOOD = """
title.en = "Try"
title.ko = "해 보기"
question.en = "Q"
question.ko = "질문"

[setup]
dataset = "xor"
networkShape = [3]
seed = 2

[goal]
test_loss_below = 0.2
within = 50
max_neurons = 3
keep = ["activation"]

[[hints]]
en = "h"
ko = "힌트"

[answer]
activation = "relu"

[explanation]
en = "e"
ko = "설명"
"""


def test_a_lesson_file_is_read():
    lesson = lessons.parse_lesson(GOOD, "try")
    assert lesson.setup == {"dataset": "xor", "networkShape": [3], "seed": 2}
    assert lesson.goal.metrics == {"test_loss_below": 0.2} and lesson.goal.within == 50
    assert lesson.hints[0]["ko"] == "힌트" and lesson.answer == {"activation": "relu"}
    assert lesson.goal.text("en") == (
        "test loss < 0.2 within 50 epochs, at most 3 hidden neurons, without changing: Activation"
    )
    assert lesson.goal.text("ko") == (
        "50 에포크 안에 테스트 손실 < 0.2, 은닉층 뉴런 3개 이하, 그대로 둘 것: 활성화 함수"
    )


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (("[goal]", "[gaol]"), "'gaol' is unknown"),
        (('title.ko = "해 보기"\n', ""), "title needs a text in ko"),
        (("within = 50", "within = 0"), "goal.within must be an integer in [1, 100000], got 0"),
        (("within = 50", "within = 1.5"), "goal.within must be an integer"),
        (("test_loss_below = 0.2", "test_loss_belw = 0.2"), "goal.test_loss_belw is unknown"),
        (("test_loss_below = 0.2\n", ""), "[goal] needs one of test_loss_below"),
        (('dataset = "xor"', 'dataset = "xorr"'), "setup: dataset must be one of"),
        (('dataset = "xor"', 'datset = "xor"'), "setup.datset is not a page setting"),
        (('dataset = "xor"', 'dataset = "upload"'), "setup.dataset cannot be 'upload'"),
        (
            ("networkShape = [3]", "networkShape = [9]"),
            "networkShape[0] must be an integer in [1, 8]",
        ),
        (('activation = "relu"', 'activation = "rel"'), "answer: activation must be one of"),
        (('keep = ["activation"]', 'keep = ["seed"]'), "goal.keep must be a list of settings"),
        (('ko = "힌트"', 'ko = "힌트"\nfr = "x"'), "hints[0] has unknown language(s) fr"),
        (("max_neurons = 3", "max_neurons = -1"), "goal.max_neurons must be an integer in [0, 48]"),
        (("[answer]", "[answer"), "not valid TOML"),
        (("test_loss_below = 0.2", "test_accuracy_above = 1.5"), "test_accuracy_above"),
    ],
)
def test_mistakes_in_a_lesson_file_are_one_line_errors(change, needle):
    old, new = change
    assert old in GOOD
    with pytest.raises(ConfigError) as e:
        lessons.parse_lesson(GOOD.replace(old, new), "try", "try.toml")
    msg = str(e.value)
    assert msg.startswith("lesson try.toml: ") and needle in msg, msg
    assert "\n" not in msg and len(msg) < 300


def test_the_file_name_is_the_lessons_name(tmp_path):
    (tmp_path / "Bad Name.toml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(ConfigError, match="file name must be"):
        lessons.load_folder(tmp_path)
    with pytest.raises(ConfigError, match="--lessons must be a folder"):
        lessons.load_folder(tmp_path / "nothing")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ConfigError, match="no .toml lesson file"):
        lessons.load_folder(empty)


def test_a_teachers_folder_adds_and_overrides_lessons(tmp_path):
    (tmp_path / "mine.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "xor-linear.toml").write_text(GOOD, encoding="utf-8")
    cat = lessons.catalog(tmp_path)
    assert cat["mine"].source == "mine.toml" and cat["xor-linear"].setup["seed"] == 2
    assert cat["xor-two-neurons"].source == "built-in"


def test_the_built_in_lessons_are_seed_002s_quizzes():
    cat = lessons.catalog()
    assert set(cat) == {
        "xor-linear", "xor-sigmoid-relu", "xor-no-hidden", "gauss-sigmoid", "xor-two-neurons",
    }  # fmt: skip
    for lesson in cat.values():
        assert lesson.answer and lesson.explanation and lesson.hints
        for lang in ("en", "ko"):
            assert lesson.title[lang] and lesson.question[lang] and lesson.explanation[lang]
        assert "seed" in lesson.setup and "initSeed" in lesson.setup  # the same run for all
    assert cat["xor-linear"].setup["activation"] == "linear"
    assert cat["xor-no-hidden"].setup["networkShape"] == []
    assert cat["gauss-sigmoid"].setup["networkShape"] == [4, 2]
    assert cat["gauss-sigmoid"].setup["activation"] == "sigmoid"
    assert cat["xor-two-neurons"].setup["networkShape"] == [2]
    assert cat["xor-two-neurons"].goal.max_neurons == 4


def run_to_goal(lesson, change=None):
    """Train a session on the lesson (with an optional change) until the goal pauses it."""
    s = Session(lesson.state(), lesson=lesson)
    if change:
        s.update_state(change)
    assert s.play()
    while s.playing:
        s.train(50)
    return s


@pytest.mark.parametrize("name", sorted(lessons.catalog()))
def test_each_goal_is_met_by_its_answer_and_not_by_its_setup(name):
    lesson = lessons.catalog()[name]
    wrong = run_to_goal(lesson)
    assert wrong.stopped == "lesson" and wrong.epoch == lesson.goal.within
    assert wrong.goal_status()["state"] in ("missed", "broken")
    right = run_to_goal(lesson, lesson.answer)
    st = right.goal_status()
    assert st["state"] == "met" and right.stopped == "lesson", st
    assert st["epoch"] <= lesson.goal.within and lesson.goal.reached(right)
    right.play()  # Play goes on after the pause
    right.train(3)
    assert right.epoch == st["epoch"] + 3 and right.goal_status()["state"] == "met"


def test_breaking_a_rule_keeps_the_goal_from_being_met():
    lesson = lessons.catalog()["xor-two-neurons"]  # at most 4 neurons, sigmoid kept
    big = run_to_goal(lesson, {"networkShape": [4, 2]})
    assert big.goal_status() == {"state": "broken", "epoch": 1000, "within": 1000,
                                 "broken": ["max_neurons"]}  # fmt: skip
    relu = run_to_goal(lesson, {"activation": "relu", "networkShape": [4]})
    assert relu.goal_status()["state"] == "broken" and relu.goal_status()["broken"] == [
        "activation"
    ]


def test_a_reset_starts_the_goal_over():
    lesson = lessons.catalog()["gauss-sigmoid"]
    s = run_to_goal(lesson, {"networkShape": []})
    assert s.goal_status()["state"] == "met"
    s.reset(same=True)
    assert s.goal_status() == {"state": "trying", "epoch": 0, "within": 20, "broken": []}


def test_the_command_checks_the_lessons_folder(tmp_path):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = str(sock.getsockname()[1])
    bad = tmp_path / "lessons"
    bad.mkdir()
    (bad / "oops.toml").write_text(GOOD.replace("within = 50", "within = -5"), encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "mlplab.cli", "playground", "--no-browser", "--lessons", str(bad),
         "--port", port],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert r.returncode == 2
    assert r.stderr.strip() == (
        "mlplab: error: lesson oops.toml: goal.within must be an integer in [1, 100000], got -5"
    )
    assert "Traceback" not in r.stderr


def test_the_format_in_the_docs_is_a_valid_lesson():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "playground-lessons.md").read_text()
    block = doc.split("```toml\n", 1)[1].split("```", 1)[0]
    lesson = lessons.parse_lesson(textwrap.dedent(block), "example")
    assert lesson.goal.within > 0
