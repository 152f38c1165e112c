"""The one glossary/message table, the user's language, and the seeds' own Korean terms."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

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
