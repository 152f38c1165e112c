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

# ------------------------------------------------------------------------------ experiments
_add(
    "exp",
    {
        "data": ("data: {info}", "데이터: {info}"),
        "quick": (
            "(quick mode: smaller data / fewer updates)",
            "(빠른 모드: 데이터를 줄이고 갱신 횟수도 줄임)",
        ),
        "gradcheck": (
            "gradient check [{label}] (float64, {n} samples): key  mean|backprop-numerical|  relative error",
            "기울기 확인 [{label}] (float64, 샘플 {n}개): 매개변수  평균|역전파-수치 미분|  상대 오차",
        ),
        "passed": ("PASSED", "통과"),
        "failed": ("FAILED", "실패"),
        "col_variant": ("variant", "조건"),
        "col_train_acc": ("train acc", "학습 정확도"),
        "col_test_acc": ("test acc", "테스트 정확도"),
        "col_train_loss": ("train loss", "학습 손실"),
        "col_batch_loss": ("batch loss", "배치 손실"),
        "col_time": ("time s", "시간(초)"),
        "col_layer_mean_std": ("L{i} mean/std", "{i}층 평균/표준편차"),
        "hist_data": (
            "data: {info}, {layers} layers x {units} units, no bias, {bins} bins",
            "데이터: {info}, {layers}개 층 x 뉴런 {units}개, 편향 없음, 구간 {bins}개",
        ),
    },
)

# ------------------------------------------------------------------------------ figure captions
_add(
    "fig",
    {
        "exp_loss": (
            "Training loss of each mini-batch, per update (smoothed when long)",
            "갱신마다 미니 배치의 학습 손실 (길면 평활화)",
        ),
        "exp_accuracy": (
            "Accuracy on the training and test sets after every epoch (x = the epoch just finished)",
            "매 에포크가 끝난 뒤의 학습/테스트 정확도 (x = 방금 끝난 에포크)",
        ),
        "backprop-221": (
            "The textbook's 2-2-1 network for x = (0, 0), target 0: pre-activations z, sigmoid "
            "outputs a (as the textbook names them), w and ∂E/∂w on every edge, before the update",
            "교과서의 2-2-1 신경망 (x = (0, 0), 정답 0): 활성화 전 z, 시그모이드 출력 a "
            "(교과서의 이름), 모든 연결에 w와 ∂E/∂w (갱신 전)",
        ),
        "backprop-222": (
            "The slides' 2-2-2 network for x = (0.1, 0.2), targets (0.4, 0.6): z → h → z → o "
            "(the slides' names), w and ∂E/∂w on every edge, before the update",
            "슬라이드의 2-2-2 신경망 (x = (0.1, 0.2), 정답 (0.4, 0.6)): z → h → z → o "
            "(슬라이드의 이름), 모든 연결에 w와 ∂E/∂w (갱신 전)",
        ),
        "net_loss": ("loss: {loss}", "손실 함수: {loss}"),
        "net_sample": ("values for sample {sample}", "샘플 {sample}의 값"),
        "exp_hist": (
            "Activations of every layer ({act}), one row per weight scale",
            "층별 활성화 값 분포 ({act}), 가중치 스케일마다 한 줄",
        ),
    },
)

# ------------------------------------------------------------------------------ backprop by hand
_add(
    "trace",
    {
        "forward": ("forward pass", "순전파"),
        "loss": ("loss", "손실"),
        "backward": ("backward pass (chain rule)", "역전파 (연쇄 법칙)"),
        "update": ("update (learning rate {lr})", "갱신 (학습률 {lr})"),
        "after": ("after one step", "한 번 갱신한 뒤"),
    },
)

# ------------------------------------------------------------------------------ backprop-221/222
_add(
    "bp",
    {
        "after_steps": (
            "after {n} steps: out = {out}  E = {E}",
            "{n}번 갱신한 뒤: out = {out}  E = {E}",
        ),
        "digits_head": (
            "== the textbook's digits beside mlplab's ==",
            "== 교과서의 숫자와 mlplab의 숫자 ==",
        ),
        "col_value": ("value", "값"),
        "col_book": ("textbook", "교과서"),
        "col_mlplab": ("mlplab", "mlplab"),
        "col_exact": ("exact", "정확한 값"),
        "digits_why": (
            "The textbook cuts its numbers after 6 decimals (truncates) where mlplab rounds: "
            "0.8923899… is 0.892389 cut, 0.892390 rounded.",
            "교과서는 소수 6자리에서 자르고(버림) mlplab은 반올림합니다: "
            "0.8923899…를 자르면 0.892389, 반올림하면 0.892390입니다.",
        ),
    },
)
