"""Messages: headings, notes, table columns and sentences, in English and Korean.

Keys are grouped by where they appear (``report.*``, ``cli.*``, ``fig.*`` for figure captions
and titles, ``<run>.*`` for a lesson).  A message may hold ``{name}`` placeholders, filled by
:func:`mlplab.i18n.t`.  Lines that the course material itself printed (``loss train: …``,
``index= [74] …``, ``Before Update``) are not here: they are printed verbatim in every language.
"""

from __future__ import annotations

#: key -> (English, Korean)
MESSAGES: dict[str, tuple[str, str]] = {}


def _add(group: str, items: dict[str, tuple[str, str]]) -> None:
    for k, v in items.items():
        key = f"{group}.{k}"
        if key in MESSAGES:  # pragma: no cover - a programming error caught at import
            raise KeyError(f"duplicate message {key}")
        MESSAGES[key] = v


# ------------------------------------------------------------------------------ run reports
_add(
    "report",
    {
        "title_run": ("mlplab run: {name}", "mlplab 실행: {name}"),
        "title_search": ("mlplab search: {name}", "mlplab 탐색: {name}"),
        "results": ("Results", "결과"),
        "all_results": ("All numbers of this run", "이 실행의 모든 숫자"),
        "show_all": ("show all {n} values", "값 {n}개 모두 보기"),
        "errata": ("Errors in the course material", "강의 자료의 오류 (정오표)"),
        "notes": ("Notes", "참고"),
        "figures": ("Figures", "그림"),
        "output": ("Output", "출력"),
        "configuration": ("Configuration", "설정"),
        "reproduce": ("Reproduce", "다시 실행하기"),
        "option": ("option", "설정 항목"),
        "value": ("value", "값"),
        "metric": ("result", "결과 항목"),
        "final_value": ("final value", "마지막 값"),
        "none": ("none", "없음"),
        "no_output": ("no output", "출력 없음"),
        "last_of": ("{value} (last of {n})", "{value} ({n}개 중 마지막)"),
        "more_items": ("… {n} more", "… {n}개 더"),
        "figure_n": ("Figure {i}. {caption}", "그림 {i}. {caption}"),
        "skipped_link": (
            "{file} was not shown: it is a symbolic link (a report embeds only files of the run folder)",
            "{file}은(는) 보여 주지 않았습니다: 심볼릭 링크입니다 (보고서에는 실행 폴더의 파일만 넣습니다)",
        ),
        "truncated": ("… (cut at {n} characters)", "… ({n}자에서 잘림)"),
        "errata_doc": (
            "All errors found in the course material: docs/errata.md",
            "강의 자료에서 찾은 오류 전체: docs/errata.md",
        ),
    },
)

# ------------------------------------------------------------------------------ command line
_add(
    "cli",
    {
        "run_folder": ("[mlplab] run folder: {path}", "[mlplab] 실행 폴더: {path}"),
        "note": ("note: {text}", "참고: {text}"),
        "erratum": ("course material error: {text}", "강의 자료 오류: {text}"),
        "list_search": ("search: {summary}", "탐색: {summary}"),
        "list_search_hint": (
            "(run with: mlplab search {name})",
            "(실행: mlplab search {name})",
        ),
        "runs_heading": (
            "Runs (`mlplab run NAME --help` for options):",
            "실행 목록 (`mlplab run NAME --help`로 옵션 보기):",
        ),
        "no_file": ("(built in code; no file)", "(코드에 내장; 파일 없음)"),
    },
)
