"""Where the course material is wrong: one entry per error, in English and Korean.

Each entry names the document (``seed``), the runs whose output repeats the note (``runs``)
and the example notebook that shows it.  ``docs/errata.md`` is :func:`errata_markdown` (a test
keeps it current); a run adds its entries to ``RunResult.errata``, which the command line
prints after the output and the report shows above the figures; the notebooks print the same
text with :func:`erratum`.
"""

from __future__ import annotations

from . import check_lang

#: id -> {"seed", "runs", "notebook", "en", "ko"}
ERRATA: dict[str, dict] = {
    "001-activation": {
        "seed": "001",
        "runs": ["notebook-231"],
        "notebook": "000_001_notebook_231.ipynb",
        "en": "execute_ann does not pass `activation` to get_gradient nor to the test forward pass, "
        "so execute_ann(activation='tanh') would train with ReLU gradients and report a ReLU test "
        "loss. The notebook's four cases all use ReLU, so their numbers are unaffected; mlplab uses "
        "the chosen activation everywhere (--activation tanh).",
        "ko": "execute_ann은 `activation`을 get_gradient에도, 테스트 순전파에도 넘기지 않습니다. 그래서 "
        "execute_ann(activation='tanh')는 ReLU 기울기로 학습하고 ReLU로 계산한 테스트 손실을 보고합니다. "
        "노트북의 네 경우는 모두 ReLU라서 숫자는 그대로 맞습니다. mlplab은 고른 활성화 함수를 모든 곳에 "
        "씁니다 (--activation tanh).",
    },
    "002-truncation": {
        "seed": "002",
        "runs": ["backprop-221"],
        "notebook": "002_textbook_mlp.ipynb",
        "en": "The textbook truncates its numbers instead of rounding them: z_y = 0.892389 "
        "(exactly 0.8923899…), b1⁺ = 0.096352 (0.0963529…), "
        "b3⁺ = 0.270750 (0.2707509…), E = 0.000016 after 10,000 steps (0.0000167… at lr 0.8). "
        "mlplab rounds, so its last digit can be one higher.",
        "ko": "교과서는 숫자를 반올림하지 않고 잘라 씁니다: z_y = 0.892389 (정확히는 0.8923899…), "
        "b1⁺ = 0.096352 (0.0963529…), b3⁺ = 0.270750 (0.2707509…), 10000번 뒤 "
        "E = 0.000016 (학습률 0.8에서 0.0000167…). mlplab은 반올림하므로 마지막 자리가 1 클 수 있습니다.",
    },
    "002-sign": {
        "seed": "002",
        "runs": ["backprop-221"],
        "notebook": "002_textbook_mlp.ipynb",
        "en": "The textbook writes w5(t+1) = w5(t) + η·∂E/∂w5; the rule — and its own arithmetic "
        "0.5 − 0.2 × 0.076775 = 0.484645 — is w5(t) − η·∂E/∂w5.",
        "ko": "교과서는 w5(t+1) = w5(t) + η·∂E/∂w5라고 적었지만, 규칙은 — 교과서의 계산 "
        "0.5 − 0.2 × 0.076775 = 0.484645도 — w5(t) − η·∂E/∂w5입니다.",
    },
    "002-fprime": {
        "seed": "002",
        "runs": ["backprop-221"],
        "notebook": "002_textbook_mlp.ipynb",
        "en": "The textbook writes ∂out_y/∂net_y = f′(out_y); it is f′(net_y), which for the sigmoid "
        "equals out_y·(1 − out_y) = 0.206158 (the value it uses is right).",
        "ko": "교과서는 ∂out_y/∂net_y = f′(out_y)라고 적었지만 f′(net_y)입니다. 시그모이드에서는 "
        "out_y·(1 − out_y) = 0.206158이고, 교과서가 쓴 값은 맞습니다.",
    },
    "002-lr": {
        "seed": "002",
        "runs": ["backprop-221"],
        "notebook": "002_textbook_mlp.ipynb",
        "en": "The textbook does not give the learning rate of its 10,000-step run (out_y 0.005770, "
        "E 0.000016). With its one-step rate 0.2 they are 0.012088 / 0.000073; lr 0.8 gives "
        "0.005775 / 0.000017 (mlplab run backprop-221 --steps 10000 --lr 0.8).",
        "ko": "교과서는 10000번 갱신한 결과(out_y 0.005770, E 0.000016)의 학습률을 밝히지 않습니다. "
        "한 번 갱신할 때의 학습률 0.2로는 0.012088 / 0.000073, 학습률 0.8로는 0.005775 / 0.000017이 "
        "나옵니다 (mlplab run backprop-221 --steps 10000 --lr 0.8).",
    },
    "003-o2": {
        "seed": "003",
        "runs": ["backprop-222"],
        "notebook": "003_slides_deep_learning.ipynb",
        "en": "The slides print o2 = sigmoid(z4) = 0.68047, a copy of z4; the sigmoid of 0.68047 is "
        "0.66384, the value the slides' own E_o2 = 0.00203809 uses.",
        "ko": "슬라이드는 o2 = sigmoid(z4) = 0.68047이라고 적었는데 z4를 옮겨 적은 것입니다. "
        "sigmoid(0.68047) = 0.66384이고, 슬라이드의 E_o2 = 0.00203809도 이 값으로 계산한 것입니다.",
    },
    "003-w1": {
        "seed": "003",
        "runs": ["backprop-222"],
        "notebook": "003_slides_deep_learning.ipynb",
        "en": "The slides' W1⁺ line reads 0.1 − 0.5 × 0.00080888, but W1 is 0.3 "
        "(z1 = 0.3·0.1 + 0.25·0.2 = 0.08); the result 0.29959556 is right.",
        "ko": "슬라이드의 W1⁺ 줄은 0.1 − 0.5 × 0.00080888이지만 W1은 0.3입니다 "
        "(z1 = 0.3·0.1 + 0.25·0.2 = 0.08). 결과 0.29959556은 맞습니다.",
    },
    "003-leaky": {
        "seed": "003",
        "runs": ["activations"],
        "notebook": "003_slides_deep_learning.ipynb",
        "en": "The slides give Leaky ReLU as max(0.1x, x) on one slide and max(0.01x, x) in the "
        "table; 0.01 is the usual default (mlplab's leaky_relu alpha = 0.01; "
        "mlplab run activations --alpha 0.1 draws the other).",
        "ko": "슬라이드는 Leaky ReLU를 한 장에서는 max(0.1x, x), 표에서는 max(0.01x, x)로 적었습니다. "
        "흔히 쓰는 기본값은 0.01입니다 (mlplab의 leaky_relu alpha = 0.01; "
        "mlplab run activations --alpha 0.1이 다른 쪽을 그립니다).",
    },
    "003-step": {
        "seed": "003",
        "runs": ["activations", "gates"],
        "notebook": "003_slides_deep_learning.ipynb",
        "en": "The slides' perceptron fires at Σ wx ≥ θ (and their step function at x ≥ n), while "
        "their gate code returns 0 when x·w + b ≤ 0, i.e. fires only at > 0. The two differ only "
        "when the sum equals the threshold exactly — never for the slides' AND/NAND/OR weights.",
        "ko": "슬라이드의 퍼셉트론은 Σ wx ≥ θ에서 1을 내고 (계단 함수도 x ≥ n), 게이트 코드는 "
        "x·w + b ≤ 0이면 0을 돌려주어 > 0에서만 1을 냅니다. 둘은 합이 임계치와 정확히 같을 때만 "
        "다르고, 슬라이드의 AND/NAND/OR 가중치에서는 그런 경우가 없습니다.",
    },
    "004-sigmoid": {
        "seed": "004",
        "runs": ["affine"],
        "notebook": "004_report_backprop_layers.ipynb",
        "en": "The report defines sigmoid as `1 / 1 + np.exp(-x)`, which Python reads as "
        "(1 / 1) + e^(−x) = 1 + e^(−x) (greater than 1); it must be `1 / (1 + np.exp(-x))`.",
        "ko": "보고서는 sigmoid를 `1 / 1 + np.exp(-x)`로 정의했는데, 파이썬은 이것을 "
        "(1 / 1) + e^(−x) = 1 + e^(−x)로 읽습니다 (1보다 큼). `1 / (1 + np.exp(-x))`여야 합니다.",
    },
    "004-backprop": {
        "seed": "004",
        "runs": ["affine"],
        "notebook": "004_report_backprop_layers.ipynb",
        "en": "The report's hand backprop of y = x·W + b goes wrong three times: it takes "
        "∂L/∂y = cross / y (not the derivative of any loss); it computes ∂L/∂x element-wise with "
        "shape (2, 3) instead of ∂L/∂y·Wᵀ with x's shape (2,); and its ∂L/∂W comes out "
        "transposed, (3, 2), instead of xᵀ·∂L/∂y with W's shape (2, 3).",
        "ko": "보고서의 y = x·W + b 역전파 손계산은 세 군데가 틀렸습니다: ∂L/∂y를 cross / y로 "
        "잡았고 (어떤 손실의 미분도 아님), ∂L/∂x를 원소별 곱으로 (2, 3) 모양으로 구했으며 "
        "(∂L/∂y·Wᵀ, x와 같은 (2,)여야 함), ∂L/∂W가 (3, 2)로 전치되어 나왔습니다 "
        "(xᵀ·∂L/∂y, W와 같은 (2, 3)이어야 함).",
    },
}

_SEED_TITLE = {
    "001": ("Notebook 000/001 (2-3-1 network)", "노트북 000/001 (2-3-1 신경망)"),
    "002": ("Textbook chapter 6 (002)", "교과서 6장 (002)"),
    "003": ("Slides: deep learning overview (003)", "슬라이드: 딥러닝 개요 (003)"),
    "004": ("Report: backpropagation (004)", "보고서: 오차역전파법 (004)"),
}


def erratum(key: str, lang: str = "en") -> str:
    """The text of one erratum in ``lang``."""
    check_lang(lang, "lang")
    return ERRATA[key][lang]


def errata_for(run: str, lang: str = "en") -> list[str]:
    """Every erratum a run repeats in its output, in ``lang``."""
    check_lang(lang, "lang")
    return [e[lang] for e in ERRATA.values() if run in e["runs"]]


def errata_markdown() -> str:
    """The text of ``docs/errata.md``."""
    lines = [
        "# Errata: where the course material is wrong / 정오표: 강의 자료의 오류",
        "",
        "Found while reproducing every item of the course material (`seeds/`) with mlplab. Each",
        "entry is also printed by the run that shows the item (`mlplab run NAME`, after its",
        "output, and in its report) and by the example notebook, in English or Korean (`--lang`).",
        "This page is generated from `src/mlplab/i18n/errata.py`.",
        "",
        "mlplab로 강의 자료의 모든 항목을 재현하면서 찾은 오류입니다. 각 항목은 그 내용을 보여 주는",
        "실행(`mlplab run NAME`의 출력 끝과 보고서)과 예제 노트북에도 나옵니다.",
    ]
    for seed, (title_en, title_ko) in _SEED_TITLE.items():
        items = [(k, e) for k, e in ERRATA.items() if e["seed"] == seed]
        if not items:
            continue
        lines += ["", f"## {title_en} / {title_ko}", ""]
        for key, e in items:
            runs = ", ".join(f"`mlplab run {r}`" for r in e["runs"])
            lines += [
                f"### `{key}`",
                "",
                e["en"],
                "",
                e["ko"],
                "",
                f"Shown by: {runs}; notebook [`{e['notebook']}`](../examples/{e['notebook']}).",
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"
