"""Messages: headings, notes, table columns and sentences, in English and Korean.

Keys are grouped by where they appear (``report.*``, ``cli.*``, ``fig.*`` for figure captions
and titles, ``<run>.*`` for a lesson, ``classic.*`` for the classic DLfS experiments,
``data.*`` for the data line of an experiment, ``summary.NAME`` for ``mlplab list``,
``desc.NAME`` for a packaged experiment file's description, ``opt.RUN.OPTION`` / ``opt.OPTION``
and ``help.*`` for ``--help``).  ``summary.*``, ``desc.*`` and ``opt.*`` translate a text that
lives elsewhere (the run's ``register``, the file); they are used only while their English is
that text, and the tests check that every run, option and file has one.  A message may hold ``{name}`` placeholders, filled by
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
        "interrupted_kept": (
            "mlplab: interrupted; the variants that finished are kept",
            "mlplab: 중단됨; 끝난 조건의 결과는 남겨 둠",
        ),
        "run_failed": (
            "mlplab: the run failed: every variant diverged (lower the learning rate)",
            "mlplab: 실행 실패: 모든 조건이 발산함 (학습률을 낮추세요)",
        ),
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
        "stopped_by_user": ("interrupted by the user", "사용자가 중단함"),
        "not_run": ("not run: the run was interrupted", "실행 안 함: 실행이 중단됨"),
        "interrupted": (
            "interrupted: {done} of {n} variant(s) finished; the rest are marked interrupted",
            "중단됨: 조건 {n}개 중 {done}개를 마쳤고, 나머지는 중단됨으로 표시함",
        ),
        "all_diverged": (
            "failed: every variant diverged (the loss became NaN or infinite)",
            "실패: 모든 조건이 발산함 (손실이 NaN 또는 무한대가 됨)",
        ),
        "zero_gradient": ("zero gradient", "기울기 0"),
        "gradcheck_rule": (
            "(|backprop - numerical| <= {atol} + {rtol}*|numerical|, h = {h})",
            "(|역전파 - 수치 미분| <= {atol} + {rtol}*|수치 미분|, h = {h})",
        ),
        "col_variant": ("variant", "조건"),
        "col_train_acc": ("train acc", "학습 정확도"),
        "col_test_acc": ("test acc", "테스트 정확도"),
        "col_train_loss": ("train loss", "학습 손실"),
        "col_test_loss": ("test loss", "테스트 손실"),
        "col_batch_loss": ("batch loss", "배치 손실"),
        "col_time": ("time s", "초"),
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
        "exp_epoch_loss": (
            "Loss on the training and test sets after every epoch (a regression has no accuracy)",
            "매 에포크가 끝난 뒤의 학습/테스트 손실 (회귀에는 정확도가 없습니다)",
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
        "nb_cases": (
            "The four execute_ann cases: loss on all training/test points after every update "
            "(top) and the decision boundary at the end (bottom; case 4 standardized with the "
            "training set's statistics)",
            "execute_ann의 네 경우: 매 갱신 뒤 학습/테스트 데이터 전체의 손실(위)과 마지막 결정 "
            "경계(아래; 경우 4는 학습 데이터의 통계로 정규화)",
        ),
        "nb_hist_no_bn": (
            "Hidden outputs z1, z2, z3 over the 100 training points without batch normalization "
            "(case 3)",
            "배치 정규화 없이 학습한 뒤 학습 데이터 100개의 은닉 출력 z1, z2, z3 (경우 3)",
        ),
        "nb_hist_bn": (
            "Hidden outputs z1, z2, z3 with the notebook's batch normalization (case 4)",
            "노트북의 배치 정규화로 학습한 뒤의 은닉 출력 z1, z2, z3 (경우 4)",
        ),
        "nb_graph": (
            "The network for sample 0 with the initial weights of In[10] (values on the nodes, "
            "weights on the edges, loss over all 100 points)",
            "In[10]의 초기 가중치로 본 샘플 0의 신경망 (노드에 값, 연결에 가중치, 손실은 100개 전체)",
        ),
        "nb_graph_boundary": (
            "Decision boundary of these initial weights (In[12])",
            "이 초기 가중치의 결정 경계 (In[12])",
        ),
        "nb_step_boundary": (
            "Decision boundary before and after one update on point {idx} (large dot)",
            "점 {idx}(큰 점)로 한 번 갱신하기 전과 후의 결정 경계",
        ),
        "nb_step_before": (
            "Before Update: sample 0's values, loss over all 100 points = {loss}",
            "갱신 전: 샘플 0의 값, 100개 전체의 손실 = {loss}",
        ),
        "nb_step_after": (
            "After Update: sample 0's values, loss over all 100 points = {loss}",
            "갱신 후: 샘플 0의 값, 100개 전체의 손실 = {loss}",
        ),
        "graph_legend": (
            "black: forward values; red ∂: gradient of the output (backward pass)",
            "검은 숫자: 순전파 값, 빨간 ∂: 출력의 기울기 (역전파)",
        ),
        "apple_buy_apple": (
            "The apple graph: 100 × 2 = 200, × 1.1 = 220 forward; backward 1 → 1.1 → 2.2 "
            "(∂price/∂apple), 110 (∂/∂apple_num), 200 (∂/∂tax)",
            "사과 계산 그래프: 순전파 100 × 2 = 200, × 1.1 = 220; 역전파 1 → 1.1 → 2.2 "
            "(∂price/∂apple), 110 (∂/∂apple_num), 200 (∂/∂tax)",
        ),
        "apple_buy_apple_orange": (
            "Apples and oranges: 200 + 450 = 650, × 1.1 = 715; the add node passes 1.1 to both "
            "branches",
            "사과와 귤: 200 + 450 = 650, × 1.1 = 715; 덧셈 노드는 1.1을 두 갈래에 그대로 보냄",
        ),
        "apple_chain_rule": (
            "The chain rule on z = (x + y)² at x = 1, y = 2: ∂z/∂t = 2t = 6 and ∂t/∂x = 1, so "
            "∂z/∂x = 6",
            "z = (x + y)²의 연쇄 법칙 (x = 1, y = 2): ∂z/∂t = 2t = 6, ∂t/∂x = 1 이므로 ∂z/∂x = 6",
        ),
        "gates": (
            "Linear separability: AND, NAND and OR each with its line w1x1 + w2x2 + b = 0 "
            "(red = 1); XOR has no such line, NAND's and OR's lines together cut its region; "
            "right: the region an MLP learned",
            "선형 분리: AND, NAND, OR와 각자의 직선 w1x1 + w2x2 + b = 0 (빨강 = 1); XOR에는 그런 "
            "직선이 없고 NAND와 OR의 두 직선이 함께 영역을 나눔; 오른쪽: MLP가 학습한 영역",
        ),
        "losses_argmin": (
            "E(w) of y = w·x on three points: gradient descent from w = 0 walks down to "
            "w* = argmin E(w)",
            "세 점에서 y = w·x의 E(w): w = 0에서 시작한 경사 하강법이 w* = argmin E(w)로 내려감",
        ),
        "gd_1d": (
            "Left: gradient descent on (x − 3)² + 10 from x = 10; right: the quiz x² − 6x + 4 "
            "at several learning rates (converges, oscillates, diverges)",
            "왼쪽: x = 10에서 시작한 (x − 3)² + 10의 경사 하강법; 오른쪽: 퀴즈 x² − 6x + 4를 "
            "여러 학습률로 (수렴, 진동, 발산)",
        ),
        "gd_2d": (
            "Left: −∇(x² + y²) points to the minimum everywhere; right: optimizers on x²/20 + y² "
            "from (−7, 2)",
            "왼쪽: −∇(x² + y²)는 어디서나 최솟값을 가리킴; 오른쪽: (−7, 2)에서 출발한 "
            "x²/20 + y² 위의 옵티마이저",
        ),
        "optimizer_family": (
            "The optimizer family as the slides draw it: one line tunes the step's direction "
            "(Momentum, NAG), the other its size (AdaGrad, RMSprop), Adam joins both",
            "슬라이드의 옵티마이저 계보: 한 갈래는 스텝 방향을 (Momentum, NAG), 다른 갈래는 "
            "스텝 크기를 (AdaGrad, RMSprop) 조절하고, Adam이 둘을 합침",
        ),
        "keras_448": (
            "Training and validation loss per epoch of the 4-8-8-3 model with batch GD, SGD "
            "(batch 1) and mini-batches of 32",
            "4-8-8-3 모델의 에포크별 학습/검증 손실: 배치 경사 하강법, SGD (배치 1), 미니 배치 32",
        ),
        "bn_grid": (
            "Training accuracy per epoch for 16 initial weight scales: with batch normalization "
            "(solid) and without (dashed)",
            "초기 가중치 스케일 16가지의 에포크별 학습 정확도: 배치 정규화 있음(실선), 없음(점선)",
        ),
        "confusion": (
            "Confusion matrix on the test set: rows are the true classes, columns the predictions",
            "테스트 데이터의 혼동 행렬: 행은 실제 클래스, 열은 예측",
        ),
        "cures": (
            "Decision boundaries of the overfitting baseline and of each cure on the 60 training "
            "points (title: test accuracy on 1000 new points)",
            "60개 학습 데이터에서 과적합 기준과 각 해결 방법의 결정 경계 (제목: 새 1000개의 "
            "테스트 정확도)",
        ),
        "l1_vs_l2": (
            "First-layer weights without regularization, with L1 (many at 0: sparse) and "
            "with L2 (all small)",
            "규제 없음, L1 규제 (많은 가중치가 0: 희소), L2 규제 (모두 작음)의 첫 층 가중치",
        ),
        "bn_lesson": (
            "Left: internal covariate shift — the 2nd layer's pre-activations drift without BN, "
            "stay at mean 0 / std 1 with BN; right: BN needs batches that are not tiny",
            "왼쪽: 내부 공변량 변화 — 배치 정규화가 없으면 둘째 층 활성화 전 값이 움직이고, "
            "있으면 평균 0 / 표준편차 1에 머묾; 오른쪽: 배치 정규화는 너무 작은 배치에 약함",
        ),
        "neuron": (
            "A biological neuron (dendrites, cell body, axon, synapses) and the artificial neuron "
            "modelled on it (inputs, weights, weighted sum + bias, activation function)",
            "생물학적 뉴런 (수상돌기, 세포체, 축삭, 시냅스)과 그것을 본뜬 인공 뉴런 (입력, 가중치, "
            "가중합 + 편향, 활성화 함수)",
        ),
        "activations": (
            "Each activation function (solid) with its derivative (dashed)",
            "활성화 함수(실선)와 그 도함수(점선)",
        ),
        "step_threshold": (
            "Left: the step function with threshold 0 and n = {n} (filled dot: the value at x = n); "
            "right: Leaky ReLU with slope 0.01 and 0.1 for x < 0",
            "왼쪽: 임계치 0과 n = {n}인 계단 함수 (채운 점: x = n에서의 값); 오른쪽: x < 0에서 "
            "기울기 0.01과 0.1인 Leaky ReLU",
        ),
        "network_types": (
            "Left: a feed-forward network (signals go one way); right: a recurrent network "
            "unrolled in time (the hidden state h is passed on, red)",
            "왼쪽: 피드 포워드 신경망 (신호가 한 방향); 오른쪽: 시간으로 펼친 순환 신경망 "
            "(은닉 상태 h를 다음 단계로 넘김, 빨강)",
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

# ------------------------------------------------------------------------------ notebook-231
_add(
    "nb",
    {
        "case": ("case", "경우"),
        "exact": (
            "The four cases reproduce the course notebook's printed losses exactly.",
            "네 경우 모두 강의 노트북이 출력한 손실과 정확히 같습니다.",
        ),
        "hist_case3_no_bn": ("case 3: without batch normalization", "경우 3: 배치 정규화 없음"),
        "hist_case4_bn": ("case 4: with batch normalization", "경우 4: 배치 정규화 있음"),
        "hist_no_bn": ("without batch normalization (case 3)", "배치 정규화 없음 (경우 3)"),
        "hist_bn": ("with batch normalization (case 4)", "배치 정규화 있음 (경우 4)"),
        "graph_values": (
            "sample 0: x1={x1}, x2={x2} → a = ({a}) → z = ({z}) → ay = {ay} → y = {y};  "
            "loss over all 100 points = {loss}",
            "샘플 0: x1={x1}, x2={x2} → a = ({a}) → z = ({z}) → ay = {ay} → y = {y};  "
            "학습 데이터 100개 전체의 손실 = {loss}",
        ),
        "graph_weights": ("initial weights changed: {w}", "바꾼 초기 가중치: {w}"),
        "graph_title": ("initial weights of In[10]", "In[10]의 초기 가중치"),
        "step_loss": (
            "loss over all 100 training points: {before} before, {after} after the update on "
            "point {idx} (the notebook's graph shows this loss and sample 0's values)",
            "학습 데이터 100개 전체의 손실: 갱신 전 {before}, 점 {idx}로 갱신한 뒤 {after} "
            "(노트북의 그래프가 보여 주는 것도 이 손실과 샘플 0의 값입니다)",
        ),
        "without_bn": (
            "without BN (case 3): loss train {train} / loss test {test}",
            "배치 정규화 없음 (경우 3): 학습 손실 {train} / 테스트 손실 {test}",
        ),
        "with_bn": (
            "with BN (case 4): loss train {train} / loss test {test}",
            "배치 정규화 있음 (경우 4): 학습 손실 {train} / 테스트 손실 {test}",
        ),
        "unit_line": (
            "  z{j}: active {active}  mean {mean}  std {std}",
            "  z{j}: 활성 비율 {active}  평균 {mean}  표준편차 {std}",
        ),
        "bn_bullets": (
            "The notebook's six bullets on batch normalization, with this run's numbers:\n"
            "1. Usually BN improves the result.\n"
            "2. BN standardizes each hidden pre-activation a1, a2, a3 by the statistics of its batch, "
            "before the activation function.\n"
            "3. It spreads the hidden outputs, which usually helps the final result.\n"
            "4. Here — (1) little data, (2) small batches, (3) two identically distributed inputs, "
            "(4) a simple model — the standardized units end up less active on average, and the "
            "final training loss is worse: {bn_loss} with BN vs {no_bn_loss} without.\n"
            "5. The histograms show z1, z2, z3. Without BN, z1 and z2 are positive for {a1} and "
            "{a2} of the points, z3 for {a3}: BN makes every unit look like z3 (active for "
            "{b} of the points) — the effect one usually sees.\n"
            "6. In a more complex model, e.g. with dropout, BN also corrects each unit's scale: "
            "in a 2-16-16-1 net with dropout 0.3 the largest / smallest standard deviation of "
            "the second hidden layer's units is {spread0} without BN and {spread1} with it.",
            "노트북의 배치 정규화 설명 여섯 가지, 이 실행의 숫자로:\n"
            "1. 일반적으로는 배치 정규화에 의한 결과의 성능이 높습니다.\n"
            "2. 배치 정규화는 은닉층에서 활성화 함수 이전의 값 a1, a2, a3를 배치 단위로 "
            "정규화합니다.\n"
            "3. 은닉층 결과의 분포를 넓게 만들어 보통 최종 결과에 긍정적인 영향을 줍니다.\n"
            "4. 이 예처럼 ① 데이터가 작고 ② 배치 크기가 작고 ③ 두 변수의 분포가 같고 ④ 모형이 "
            "간단하면 활성화 정도가 평균적으로 낮아지고, 최종 학습 손실도 나빠집니다: "
            "배치 정규화 {bn_loss}, 없이 {no_bn_loss}.\n"
            "5. 히스토그램은 z1, z2, z3입니다. 배치 정규화가 없으면 z1, z2는 점의 {a1}, {a2}에서 "
            "양수이고 z3는 {a3}에서 양수입니다: 배치 정규화는 모든 뉴런을 z3처럼 만듭니다 "
            "(활성 비율 {b}) — 일반적으로 나타나는 효과입니다.\n"
            "6. 드롭아웃 등으로 모형이 복잡하면 z1, z2, z3 각각의 크기(스케일)를 맞추는 효과도 "
            "있습니다: 드롭아웃 0.3인 2-16-16-1 신경망에서 둘째 은닉층 뉴런들의 표준편차 "
            "최댓값/최솟값은 배치 정규화 없이 {spread0}, 있으면 {spread1}입니다.",
        ),
    },
)

# ------------------------------------------------------------------------------ apple (004)
_add(
    "apple",
    {
        "forward": ("forward:", "순전파:"),
        "raw_price": (
            "(raw float price = {raw}: binary floating point, shown rounded)",
            "(부동소수점 그대로의 price = {raw}: 2진 부동소수점이라 반올림해 보여 줌)",
        ),
        "backward1": ("backward: dprice = 1", "역전파: dprice = 1"),
        "backward2": (
            "backward: dprice = 1 (the add node passes its gradient to both branches)",
            "역전파: dprice = 1 (덧셈 노드는 기울기를 두 갈래에 그대로 보냅니다)",
        ),
        "value_head": (
            "== the same graphs with the scalar autograd Value (price.backward()) ==",
            "== 같은 그래프를 스칼라 자동 미분 Value로 (price.backward()) ==",
        ),
        "graph_of": ("graph of {name} (leaves first):", "{name}의 계산 그래프 (입력부터):"),
        "chain_head": (
            "== chain rule: z = t², t = x + y (report 004) ==",
            "== 연쇄 법칙: z = t², t = x + y (보고서 004) ==",
        ),
        "chain_line": (
            "x = {x}, y = {y}: t = {t}, z = {z};  ∂z/∂t = 2t = {dzdt}, ∂t/∂x = 1, so "
            "∂z/∂x = 2t·1 = 2(x + y) = {dzdx} (formula {formula}, numerical {numeric})",
            "x = {x}, y = {y}: t = {t}, z = {z};  ∂z/∂t = 2t = {dzdt}, ∂t/∂x = 1 이므로 "
            "∂z/∂x = 2t·1 = 2(x + y) = {dzdx} (공식 {formula}, 수치 미분 {numeric})",
        ),
        "nodes_head": (
            "== what a node passes back when 1.3 comes from the right (DLfS fig. 5-9, 5-12) ==",
            "== 오른쪽에서 1.3이 흘러왔을 때 노드가 돌려보내는 값 (밑바닥 그림 5-9, 5-12) ==",
        ),
        "add_line": (
            "add node 10 + 5 = 15: passes 1.3 × 1 on unchanged → dx = {dx}, dy = {dy}",
            "덧셈 노드 10 + 5 = 15: 1.3 × 1을 그대로 보냄 → dx = {dx}, dy = {dy}",
        ),
        "mul_line": (
            "multiply node 10 × 5 = 50: 1.3 times the other input → dx = 1.3·5 = {dx}, "
            "dy = 1.3·10 = {dy}",
            "곱셈 노드 10 × 5 = 50: 1.3에 상대 입력을 곱함 → dx = 1.3·5 = {dx}, dy = 1.3·10 = {dy}",
        ),
        "note_dot": (
            "Graphviz DOT of both graphs is in metrics['dot'] (render: dot -Tsvg graph.dot).",
            "두 그래프의 Graphviz DOT는 metrics['dot']에 있습니다 (그리기: dot -Tsvg graph.dot).",
        ),
    },
)

# ------------------------------------------------------------------------------ mlplab search
_add(
    "search",
    {
        "head": (
            "search {name}: {sampler} sampler, {metric} ({direction}), pruner {pruner}, "
            "study {study}",
            "탐색 {name}: 샘플러 {sampler}, {metric} ({direction}), 가지치기 {pruner}, "
            "스터디 {study}",
        ),
        "storage": ("storage: {storage}", "저장소: {storage}"),
        "counts": (
            "trials: {complete} complete, {pruned} pruned, {failed} failed ({finished} of "
            "{budget}); {now} run now, {interrupted} interrupted and re-run",
            "시행: 완료 {complete}, 가지치기 {pruned}, 실패 {failed} ({budget}개 중 {finished}개); "
            "이번에 {now}개 실행, 중단되어 다시 실행 {interrupted}개",
        ),
        "best_k": ("Best-{k} (sorted by final {metric}):", "Best-{k} (마지막 {metric} 순):"),
        "col_rank": ("rank", "순위"),
        "col_trial": ("trial", "시행"),
        "col_time": ("time s", "초"),
        "failed": ("failed trials ({n}):", "실패한 시행 ({n}개):"),
        "more": ("  ... and {n} more", "  ... 그리고 {n}개 더"),
        "best": (
            "best: trial {number}, {metric} = {value}, ",
            "최고: 시행 {number}, {metric} = {value}, ",
        ),
        "best_written": (
            "best configuration written to {path}",
            "최고 설정을 {path}에 저장했습니다",
        ),
        "figures_skipped": ("(figures skipped: {error})", "(그림 생략: {error})"),
        "folder": (
            "[mlplab] search folder: {out} (study {study})",
            "[mlplab] 탐색 폴더: {out} (스터디 {study})",
        ),
        "stopped": ("mlplab search: stopped: {why}", "mlplab search: 멈춤: {why}"),
        "interrupted": (
            "mlplab search: interrupted; run the same command again to continue",
            "mlplab search: 중단됨; 같은 명령을 다시 실행하면 이어서 합니다",
        ),
        "progress": (
            "{n}/{total} trials, {running} running, {s} s, {best}",
            "시행 {n}/{total}, 실행 중 {running}, {s}초, {best}",
        ),
        "progress_best": ("best {metric} {value} (#{number})", "최고 {metric} {value} (#{number})"),
        "no_workers": (
            "mlplab search: no Dask worker is connected to {address}; waiting up to {s} s "
            "(start one with: dask worker ADDRESS)",
            "mlplab search: {address}에 연결된 Dask 워커가 없습니다; 최대 {s}초 기다립니다 "
            "(워커 시작: dask worker ADDRESS)",
        ),
        "note_db": (
            "Every trial is in the study database; run the same command again to continue "
            "(interrupted trials are re-run, finished ones never).",
            "모든 시행은 스터디 데이터베이스에 있습니다; 같은 명령을 다시 실행하면 이어서 합니다 "
            "(중단된 시행은 다시 실행하고, 끝난 시행은 다시 실행하지 않습니다).",
        ),
        "note_metric": (
            "The metric of a trial is its value at the last evaluation (DLfS sorts by the final "
            "validation accuracy).",
            "시행의 지표는 마지막 평가의 값입니다 (밑바닥은 마지막 검증 정확도로 정렬합니다).",
        ),
        "note_validation": (
            "Validation set: {pct} of the training rows, shuffled with experiment.seed and held "
            "out (DLfS hyperparameter_optimization.py).",
            "검증 데이터: 학습 데이터의 {pct}를 experiment.seed로 섞어 떼어 둡니다 (밑바닥 "
            "hyperparameter_optimization.py).",
        ),
        "note_fashion": (
            "Data set: Fashion-MNIST, not MNIST as in DLfS (pass --data DIR for MNIST); "
            "accuracies are lower than the book's (best 0.84 at lr 9.4e-3, wd 2.8e-6 on MNIST).",
            "데이터: 밑바닥의 MNIST가 아니라 Fashion-MNIST입니다 (MNIST는 --data DIR로); "
            "정확도가 책보다 낮습니다 (책의 MNIST 최고: 학습률 9.4e-3, 가중치 감소 2.8e-6에서 "
            "0.84).",
        ),
        "fig_metric_vs": (
            "{metric} vs {param} ({n} trials)",
            "{param}에 따른 {metric} (시행 {n}개)",
        ),
        "fig_parallel": (
            "parallel coordinates ({metric} {lo} .. {hi}; yellow = high)",
            "평행 좌표 ({metric} {lo} .. {hi}; 노란색 = 높음)",
        ),
        "low": ("low", "낮음"),
        "high": ("high", "높음"),
        # figure captions of the report (English: the figure's name, as before)
        "cap_metric_vs": ("metric vs {param}", "{param}에 따른 각 시행의 지표"),
        "cap_parallel": ("parallel", "평행 좌표: 시행마다 선 하나, 색은 지표"),
        "cap_best_k": ("best k", "Best-k 학습 곡선 (검증은 실선, 학습은 점선)"),
    },
)

# ------------------------------------------------------------------------------ gates, losses, gd
_add(
    "gates",
    {
        "separable": (
            "AND, NAND and OR are linearly separable: one line w1x1 + w2x2 + b = 0 splits their "
            "0s from their 1s. No line splits XOR's {01, 10} from {00, 11}; the two lines of "
            "NAND and OR together (a second layer) do.",
            "AND, NAND, OR는 선형 분리 가능합니다: 직선 w1x1 + w2x2 + b = 0 하나로 0과 1이 "
            "나뉩니다. XOR의 {01, 10}과 {00, 11}을 나누는 직선은 없고, NAND와 OR의 두 직선을 "
            "함께 쓰면 (층을 하나 더 쌓으면) 나뉩니다.",
        ),
        "panel_and": ("AND: one line", "AND: 직선 하나"),
        "panel_nand": ("NAND: one line", "NAND: 직선 하나"),
        "panel_or": ("OR: one line", "OR: 직선 하나"),
        "panel_xor": ("XOR: no single line (NAND and OR)", "XOR: 직선 하나로는 불가 (NAND와 OR)"),
        "panel_mlp": ("XOR learned by an MLP", "MLP가 학습한 XOR"),
        "gates_head": (
            "== single-layer perceptron gates: y = 1 if x1*w1 + x2*w2 + b > 0 else 0 ==",
            "== 단층 퍼셉트론 게이트: x1*w1 + x2*w2 + b > 0이면 y = 1, 아니면 0 ==",
        ),
        "xor_layers": ("(two layers)", "(두 층)"),
        "rule_head": (
            "== perceptron learning rule from w = 0, b = 0 (lr {lr}, <= {epochs} epochs) ==",
            "== 퍼셉트론 학습 규칙, w = 0, b = 0에서 시작 (학습률 {lr}, 에포크 <= {epochs}) ==",
        ),
        "rule": (
            "w += lr*(t - y)*x,  b += lr*(t - y)   (one sample at a time)",
            "w += lr*(t - y)*x,  b += lr*(t - y)   (샘플 하나씩)",
        ),
        "learned": (
            "learned in {epochs} epochs: w = ({w1}, {w2}), b = {b}  -> {n}/4 correct",
            "{epochs} 에포크에 학습됨: w = ({w1}, {w2}), b = {b}  -> 4개 중 {n}개 맞음",
        ),
        "not_learned": (
            "not learned in {epochs} epochs: best {n}/4 correct (not linearly separable: "
            "no line splits {{01, 10}} from {{00, 11}})",
            "{epochs} 에포크 안에 학습되지 않음: 가장 많이 맞힌 것이 4개 중 {n}개 (선형 분리 "
            "불가능: {{01, 10}}과 {{00, 11}}을 나누는 직선이 없음)",
        ),
        "mlp_head": (
            "== MLP 2-{hidden}-1 (tanh hidden, sigmoid output, BCE), full-batch SGD lr {lr}, "
            "{epochs} epochs, seed {seed} ==",
            "== MLP 2-{hidden}-1 (은닉층 tanh, 출력층 sigmoid, BCE), 전체 배치 SGD 학습률 {lr}, "
            "{epochs} 에포크, 난수 시드 {seed} ==",
        ),
        "mlp_skipped": (
            "(skipped: the mlplab engine is not available: {exc})",
            "(건너뜀: mlplab 엔진을 쓸 수 없음: {exc})",
        ),
        "col_target": ("target", "정답"),
        "col_output": ("output", "출력"),
        "col_class": ("class", "분류"),
        "mlp_result": (
            "XOR by MLP: {n}/4 correct, final loss {loss}",
            "MLP의 XOR: 4개 중 {n}개 맞음, 마지막 손실 {loss}",
        ),
    },
)
_add(
    "losses",
    {
        "why_head": ("== why square the error? ==", "== 오차를 왜 제곱할까? =="),
        "why_sign": (
            "errors +0.2 and −0.2: their sum is {s} (they cancel), the sum of |e| is {a}, "
            "½Σe² = {q} — squares are never negative, so errors cannot cancel",
            "오차 +0.2와 −0.2: 합은 {s} (서로 지워짐), |e|의 합은 {a}, ½Σe² = {q} — 제곱은 "
            "음수가 없어 오차가 서로 지워지지 않습니다",
        ),
        "why_grad": (
            "A large error weighs more than a small one (½e² grows faster than |e| once e > 2), "
            "and ½e² has the smooth derivative e, which shrinks as the error does: small, fine "
            "weight changes near the minimum (|e| has the kinked derivative ±1).",
            "큰 오차가 작은 오차보다 훨씬 크게 반영되고 (e > 2이면 ½e²가 |e|보다 빨리 커짐), "
            "½e²의 도함수 e는 매끄럽고 오차와 함께 작아져 최솟값 근처에서 가중치를 미세하게 "
            "조정합니다 (|e|의 도함수는 ±1로 꺾임).",
        ),
        "small": (
            "Both losses are small when the output puts its mass on the right class.",
            "두 손실 함수 모두 출력이 정답 클래스에 몰려 있을 때 작습니다.",
        ),
        "col_target": ("target class 2", "정답 클래스 2"),
        "engine": (
            "mlplab.functions get_loss('half_sse' / 'mse' / 'cce') gives the same numbers: {ok}",
            "mlplab.functions get_loss('half_sse' / 'mse' / 'cce')도 같은 값을 냅니다: {ok}",
        ),
        "yes": ("yes", "예"),
        "no": ("NO", "아니요"),
        "argmin_head": (
            "== learning = finding W* = argmin E(W) (y = w·x on three points) ==",
            "== 학습 = W* = argmin E(W) 찾기 (세 점에서 y = w·x) ==",
        ),
        "argmin_line": (
            "grid search over w: {grid};  closed form Σxt/Σx²: {closed};  gradient descent "
            "from w = 0 (lr 0.05, 30 steps): {gd};  E(W*) = {E}",
            "w 격자 탐색: {grid};  공식 Σxt/Σx²: {closed};  w = 0에서 경사 하강법 "
            "(학습률 0.05, 30번): {gd};  E(W*) = {E}",
        ),
    },
)
_add(
    "gd",
    {
        "fig_quiz": ("x² − 6x + 4 (quiz)", "x² − 6x + 4 (퀴즈)"),
        "fig_field": ("−∇(x² + y²) points to the minimum", "−∇(x² + y²)는 최솟값을 가리킵니다"),
        "fig_race": ("x²/20 + y² from (−7, 2)", "x²/20 + y², (−7, 2)에서 출발"),
        "head_1d": (
            "== gradient descent: f(x) = (x - 3)^2 + 10, f'(x) = 2x - 6, x <- x - lr * f'(x) ==",
            "== 경사 하강법: f(x) = (x - 3)^2 + 10, f'(x) = 2x - 6, x <- x - lr * f'(x) ==",
        ),
        "col_step": ("step", "단계"),
        "minimum_1d": (
            "minimum: x = 3, f = 10; after {steps} steps x = {x}, f = {f}",
            "최솟값: x = 3, f = 10; {steps}번 갱신한 뒤 x = {x}, f = {f}",
        ),
        "quiz_head": (
            "== quiz: f(x) = x^2 - 6x + 4 (minimum f(3) = -5) at several learning rates ==",
            "== 퀴즈: f(x) = x^2 - 6x + 4 (최솟값 f(3) = -5)를 여러 학습률로 ==",
        ),
        "quiz_q": (
            "per step the error x - 3 is multiplied by q = 1 - 2*lr",
            "한 번 갱신할 때마다 오차 x - 3에 q = 1 - 2*lr이 곱해집니다",
        ),
        # verdicts of classify_gd (metrics keep the English); key: the verdict's words
        "v_starts_at_the_minimum": ("starts at the minimum", "최솟값에서 시작"),
        "v_no_steps": ("no steps", "갱신 없음"),
        "v_converges_reaches_the_minimum": (
            "converges (reaches the minimum)",
            "수렴 (최솟값에 도달)",
        ),
        "v_oscillates_forever_no_progress": (
            "oscillates forever (no progress)",
            "끝없이 진동 (나아가지 않음)",
        ),
        "v_converges": ("converges", "수렴"),
        "v_converges_slowly": ("converges slowly", "느리게 수렴"),
        "v_converges_oscillating": ("converges, oscillating", "진동하며 수렴"),
        "v_converges_slowly_oscillating": (
            "converges slowly, oscillating",
            "진동하며 느리게 수렴",
        ),
        "v_diverges": ("diverges", "발산"),
        "v_diverges_oscillating": ("diverges, oscillating", "진동하며 발산"),
        "head_2d": (
            "== gradient of f(x, y) = x^2 + y^2 is (2x, 2y); arrows show -gradient ==",
            "== f(x, y) = x^2 + y^2의 기울기는 (2x, 2y); 화살표는 -기울기 ==",
        ),
        "col_gradient": ("gradient", "기울기"),
        "col_neg_gradient": ("-gradient", "-기울기"),
        "col_points": ("points to (0, 0)?", "(0, 0)을 향하나?"),
        "yes": ("yes", "예"),
        "no": ("no", "아니요"),
        "race_head": (
            "== optimizer race on f(x, y) = x^2/20 + y^2 from (-7, 2), {steps} steps (DLfS ch.6) ==",
            "== f(x, y) = x^2/20 + y^2에서 옵티마이저 경주: (-7, 2)에서 {steps}번 갱신 "
            "(밑바닥 6장) ==",
        ),
        "col_optimizer": ("optimizer", "옵티마이저"),
        "col_final": ("final (x, y)", "마지막 (x, y)"),
        "race_note1": (
            "SGD/Momentum/AdaGrad/Adam: DLfS's learning rates; RMSprop (not in DLfS's script):",
            "SGD/Momentum/AdaGrad/Adam: 밑바닥의 학습률; RMSprop (밑바닥 코드에는 없음):",
        ),
        "race_note2": (
            "lr 0.1 with DLfS's decay_rate 0.99, our choice.",
            "학습률 0.1과 밑바닥의 decay_rate 0.99는 mlplab이 고른 값입니다.",
        ),
        "family_head": (
            "== the optimizer family (slides 003) ==",
            "== 옵티마이저의 계보 (슬라이드 003) ==",
        ),
        "family_base": ("start", "출발"),
        "family_direction": ("tunes the direction of the step", "스텝 방향을 조절"),
        "family_size": ("tunes the size of the step", "스텝 크기를 조절"),
        "family_both": ("both", "둘 다"),
        "family_star": ("* not in mlplab", "* mlplab에 없음"),
        "family_note": (
            "mlplab.optim has SGD, Momentum, Nesterov (NAG), AdaGrad, RMSprop, Adam, AMSGrad; "
            "`mlplab run optimizer-compare` races them on Fashion-MNIST.",
            "mlplab.optim에는 SGD, Momentum, Nesterov (NAG), AdaGrad, RMSprop, Adam, AMSGrad가 "
            "있습니다. `mlplab run optimizer-compare`가 Fashion-MNIST에서 비교합니다.",
        ),
    },
)

_add(
    "model",
    {
        "col_layer": ("Layer", "층"),
        "col_shape": ("Output shape", "출력 모양"),
        "col_params": ("Params", "파라미터 수"),
        "total": ("Total params: {n}   dtype: {dtype}", "전체 파라미터 수: {n}   dtype: {dtype}"),
    },
)
_add(
    "keras",
    {
        "fig_title": ("batch GD vs SGD vs mini-batch", "배치 GD 대 SGD 대 미니배치"),
        "result": (
            "train loss {loss}  acc {acc}  | test loss {test_loss}  acc {test_acc}  ({s} s)",
            "학습 손실 {loss}  정확도 {acc}  | 테스트 손실 {test_loss}  정확도 {test_acc}  ({s}초)",
        ),
        "updates": (
            "Per epoch, SGD makes n updates, mini-batch n/32 and batch GD one: compare 'updates' "
            "(epoch, batch size and iteration, slides 003).",
            "한 에포크에 SGD는 n번, 미니 배치는 n/32번, 배치 경사 하강법은 1번 갱신합니다: "
            "'updates'를 비교해 보세요 (에포크, 배치 크기, 이터레이션, 슬라이드 003).",
        ),
    },
)

# ------------------------------------------------------------------------------ 003 parts 4-5
_add(
    "reg",
    {
        "head": (
            "== overfitting (003): a 2-50-50-2 net on 60 noisy two-moons points, and its cures ==",
            "== 과적합 (003): 노이즈 있는 반달 데이터 60개에 2-50-50-2 신경망, 그리고 해결 방법 ==",
        ),
        "col_case": ("case", "경우"),
        "col_points": ("points", "데이터 수"),
        "col_params": ("params", "매개변수 수"),
        "col_gap": ("gap", "차이"),
        "col_zero": ("share |w| < 0.001", "|w| < 0.001 비율"),
        "col_mean_abs": ("mean |w|", "평균 |w|"),
        "baseline": ("baseline (overfits)", "기준 (과적합)"),
        "more_data": ("1. more data (600 points)", "1. 데이터 늘리기 (600개)"),
        "augmentation": (
            "1. data augmentation (9 noisy copies)",
            "1. 데이터 증강 (노이즈 복사본 9개)",
        ),
        "smaller_model": ("2. smaller model (2-4-2)", "2. 모델 복잡도 줄이기 (2-4-2)"),
        "l2": ("3. L2 weight decay 0.01", "3. L2 규제 (가중치 감쇠 0.01)"),
        "dropout": ("4. dropout 0.5", "4. 드롭아웃 0.5"),
        "capacity": (
            "Train accuracy is measured on the 60 original points; test on 1000 new ones. "
            "The model's capacity is its number of parameters ({big} vs {small}).",
            "학습 정확도는 원래 60개, 테스트는 새 1000개로 잽니다. 모델의 수용력은 매개변수의 "
            "수입니다 ({big}개 대 {small}개).",
        ),
        "l1_head": (
            "== L1 vs L2 (003 table): 2 useful + 8 noise features, 10-16-2 net, first-layer weights ==",
            "== L1 규제 대 L2 규제 (003 표): 쓸모 있는 특성 2개 + 노이즈 8개, 10-16-2, 첫 층 가중치 ==",
        ),
        "l1_text": (
            "L1 (λΣ|w|) drives many weights to zero ({l1z} of them here) — a sparse model that "
            "shows which features matter; L2 (½λΣw², weight decay) makes every weight small but "
            "rarely zero ({l2z}).",
            "L1 규제(λΣ|w|)는 많은 가중치를 0으로 만들어 (여기서는 {l1z}) 어떤 특성이 중요한지 "
            "보여 주는 희소한 모델을 만들고, L2 규제(½λΣw², 가중치 감쇠)는 모든 가중치를 작게 "
            "만들지만 0으로는 거의 만들지 않습니다 ({l2z}).",
        ),
    },
)
_add(
    "bnl",
    {
        "ics_head": (
            "== internal covariate shift: the 2nd layer's pre-activations during 200 SGD updates ==",
            "== 내부 공변량 변화: SGD 200번 동안 둘째 층의 활성화 전 값 ==",
        ),
        "ics_plain": (
            "without BN: mean {m0} → {m1}, std {s0} → {s1} (the input of the next layer moves "
            "as the layer below learns)",
            "배치 정규화 없음: 평균 {m0} → {m1}, 표준편차 {s0} → {s1} (아래층이 학습하면서 "
            "다음 층의 입력 분포가 움직임)",
        ),
        "ics_bn": (
            "with BN: mean {m0} → {m1}, std {s0} → {s1} (normalized again at every step)",
            "배치 정규화 있음: 평균 {m0} → {m1}, 표준편차 {s0} → {s1} (매 단계 다시 정규화)",
        ),
        "ics_title": ("2nd-layer pre-activations", "둘째 층 활성화 전 값"),
        "plain": ("plain", "정규화 없음"),
        "bn": ("BN", "배치 정규화"),
        "mean": ("mean", "평균"),
        "std": ("std", "표준편차"),
        "adv_head": ("== advantages (003) ==", "== 장점 (003) =="),
        "adv_grad": (
            "vanishing gradients in a 7-layer sigmoid net: ‖∂L/∂W1‖ = {p1} (‖∂L/∂W7‖ = {p7}) "
            "without BN, {b1} ({b7}) with BN",
            "7층 시그모이드 신경망의 기울기 소실: 배치 정규화 없이 ‖∂L/∂W1‖ = {p1} "
            "(‖∂L/∂W7‖ = {p7}), 있으면 {b1} ({b7})",
        ),
        "adv_list": (
            "BN's advantages (slides): 1. sigmoid/tanh nets keep their gradients (above); "
            "2. less sensitive to the initial weights (mlplab run batchnorm-scales); "
            "3. larger learning rates and faster learning (at batch 128 above, the same epochs "
            "reach a higher accuracy); 4. a regularizing effect like dropout.",
            "배치 정규화의 장점 (슬라이드): 1. 시그모이드/tanh에서도 기울기 소실이 크게 개선 (위); "
            "2. 가중치 초기화에 덜 민감 (mlplab run batchnorm-scales); 3. 큰 학습률, 빠른 학습 "
            "(위의 배치 128에서 같은 에포크에 더 높은 정확도); 4. 드롭아웃과 비슷한 규제 효과.",
        ),
        "sweep_head": (
            "== BN depends on the batch size: test accuracy on a 3-arm spiral, same epochs ==",
            "== 배치 정규화는 배치 크기에 의존: 3갈래 나선 데이터의 테스트 정확도, 같은 에포크 ==",
        ),
        "sweep_text": (
            "With tiny batches the batch statistics are noise and BN works badly; from about 32 "
            "on it helps. (BN is also hard to apply to RNNs; layer normalization is the usual "
            "alternative.)",
            "배치가 아주 작으면 배치 통계가 잡음이 되어 배치 정규화가 잘 동작하지 않고, 32 정도부터 "
            "도움이 됩니다. (RNN에 적용하기도 어려워 보통 층 정규화를 씁니다.)",
        ),
        "sweep_title": ("test accuracy by batch size", "배치 크기별 테스트 정확도"),
    },
)

# ------------------------------------------------------------------------------ concepts
_add(
    "mx",
    {
        "head": (
            "== matrix product (textbook 002, math review) ==",
            "== 행렬의 곱셈 (교과서 002, 수학 복습) ==",
        ),
        "first": (
            "first element: row 1 of A · column 1 of B = {terms} = {v} (an inner product)",
            "첫 원소: A의 1행 · B의 1열 = {terms} = {v} (내적)",
        ),
        "rule": (
            "(l×m)(m×n) = (l×n): the columns of the first must equal the rows of the second",
            "(l×m)(m×n) = (l×n): 첫 행렬의 열 수와 둘째 행렬의 행 수가 같아야 합니다",
        ),
        "mismatch": (
            "A·A: (2×3)(2×3) does not fit — NumPy raises ValueError",
            "A·A: (2×3)(2×3)은 맞지 않아 NumPy가 ValueError를 냅니다",
        ),
        "xw_head": (
            "== XW + B or WX + B? (inputs as a row: XW + B, as the textbook and mlplab; as a "
            "column: WX + B with W transposed) ==",
            "== XW + B인가 WX + B인가? (입력을 행으로 쌓으면 XW + B — 교과서와 mlplab; 열로 쌓으면 "
            "W를 전치한 WX + B) ==",
        ),
        "xw_same": ("the same numbers: {same}", "같은 값인가: {same}"),
        "keras_head": (
            "== the slides' 4-8-8-3 network, layer by layer ==",
            "== 슬라이드의 4-8-8-3 신경망, 층마다 ==",
        ),
    },
)
_add(
    "nr",
    {
        "head": (
            "== biological neuron → artificial neuron (slides 003) ==",
            "== 생물학적 뉴런 → 인공 뉴런 (슬라이드 003) ==",
        ),
        "dendrite": (
            "dendrites receive signals        → inputs x_i",
            "수상돌기가 신호를 받음        → 입력 x_i",
        ),
        "synapse": (
            "synapses pass them more or less  → weights w_i",
            "시냅스의 연결 강도            → 가중치 w_i",
        ),
        "soma": (
            "the cell body adds them up       → Σ w_i x_i + b",
            "세포체가 신호를 합함          → Σ w_i x_i + b",
        ),
        "axon": (
            "it fires along the axon past a threshold → activation function f",
            "임계치를 넘으면 축삭으로 신호를 보냄 → 활성화 함수 f",
        ),
        "theta_head": ("== threshold θ and bias b = −θ ==", "== 임계치 θ와 편향 b = −θ =="),
        "theta": (
            "x = (1, 0, 1), w = (0.5, 0.4, 0.3): Σ wx = {s} ≥ θ = {theta} → y = {y};  "
            "the same with a bias b = −θ = {b}: Σ wx + b = {sb} ≥ 0 → y = {y}",
            "x = (1, 0, 1), w = (0.5, 0.4, 0.3): Σ wx = {s} ≥ θ = {theta} → y = {y};  "
            "편향 b = −θ = {b}로 쓰면 Σ wx + b = {sb} ≥ 0 → y = {y}",
        ),
        "bio": ("biological neuron", "생물학적 뉴런"),
        "art": ("artificial neuron", "인공 뉴런"),
        "l_dendrite": ("dendrites", "수상돌기"),
        "l_soma": ("cell body", "세포체"),
        "l_axon": ("axon", "축삭"),
        "l_synapse": ("synapses", "시냅스"),
        "l_sum": ("weighted sum", "가중합"),
        "l_inputs": ("inputs", "입력"),
    },
)
_add(
    "act",
    {
        "head": ("== activation functions at a few points ==", "== 몇 점에서의 활성화 함수 값 =="),
        "step_n": (
            "step with threshold n = {n} (slides): y = 1 if x ≥ n, else 0",
            "임계치 n = {n}인 계단 함수 (슬라이드): x ≥ n이면 1, 아니면 0",
        ),
        "step_bias": (
            "a threshold n is a bias b = −n: step(x − n) with step(u) = 1 for u ≥ 0 (mlplab's "
            "'step' fires at u > 0, as the slides' gate code)",
            "임계치 n은 편향 b = −n과 같습니다: step(x − n), step(u) = u ≥ 0이면 1 (mlplab의 "
            "'step'은 슬라이드의 게이트 코드처럼 u > 0에서 1)",
        ),
        "leaky": (
            "Leaky ReLU here: max({a}x, x) (--alpha; the slides show both 0.1 and 0.01)",
            "여기의 Leaky ReLU: max({a}x, x) (--alpha; 슬라이드에는 0.1과 0.01이 둘 다 나옴)",
        ),
    },
)
_add(
    "nt",
    {
        "head": (
            "== feed-forward vs recurrent: two sequences that differ only in the first input ==",
            "== 피드 포워드 대 순환 신경망: 첫 입력만 다른 두 수열 ==",
        ),
        "line": (
            "sequence {name} {seq}: output at the last step — feed-forward {ff}, recurrent {rnn}",
            "수열 {name} {seq}: 마지막 단계의 출력 — 피드 포워드 {ff}, 순환 {rnn}",
        ),
        "text": (
            "A feed-forward network sees only the current input, so both sequences end with the "
            "same output; a recurrent network carries h_t = tanh(x_t·Wx + h_(t−1)·Wh) forward, so "
            "the first input still changes the last output.",
            "피드 포워드 신경망은 지금 입력만 보므로 두 수열의 마지막 출력이 같고, 순환 신경망은 "
            "h_t = tanh(x_t·Wx + h_(t−1)·Wh)를 다음 단계로 넘기므로 첫 입력이 마지막 출력까지 "
            "바꿉니다.",
        ),
    },
)
_add(
    "af",
    {
        "head": (
            "== the Affine layer y = x·W + b (report 004) ==",
            "== Affine 계층 y = x·W + b (보고서 004) ==",
        ),
        "back_head": ("== its backward pass ==", "== 역전파 =="),
        "check": (
            "∂L/∂x agrees with central differences (largest difference {err})",
            "∂L/∂x는 중앙 차분과 같습니다 (가장 큰 차이 {err})",
        ),
        "wrong_head": ("== the report's two mistakes ==", "== 보고서의 두 실수 =="),
        "wrong_dx": (
            "the report's ∂L/∂x = ∂L/∂y * W (element-wise) has shape {shape}; it must have x's "
            "shape {right}",
            "보고서의 ∂L/∂x = ∂L/∂y * W (원소별 곱)는 모양이 {shape}입니다; x와 같은 {right}여야 합니다",
        ),
        "wrong_dw": (
            "the report's ∂L/∂W came out as (3, 2); it must have W's shape {right}",
            "보고서의 ∂L/∂W는 (3, 2)로 나왔습니다; W와 같은 {right}여야 합니다",
        ),
        "bias": (
            "the bias gradient sums over the batch: dY = [[1, 2, 3], [11, 12, 13]] → "
            "dB = np.sum(dY, axis=0) = {dB}",
            "편향의 기울기는 배치 방향으로 더합니다: dY = [[1, 2, 3], [11, 12, 13]] → "
            "dB = np.sum(dY, axis=0) = {dB}",
        ),
    },
)

# ------------------------------------------------------------------------------ classic experiments
# DLfS (Deep Learning from Scratch) is 밑바닥 in Korean, as in its Korean edition's short name.
_add(
    "classic",
    {
        "note_fashion": (
            "Data set: Fashion-MNIST (Debian package), not MNIST as in DLfS; it is harder, so "
            "accuracies are lower than the book's. Pass --data DIR (MNIST IDX files) to use MNIST.",
            "데이터셋: 밑바닥의 MNIST가 아니라 Fashion-MNIST(데비안 패키지)입니다. 더 어려운 "
            "데이터라 정확도가 책보다 낮습니다. MNIST를 쓰려면 --data DIR(MNIST IDX 파일)을 주세요.",
        ),
        "note_float32": (
            "Training runs in float32 end to end (DLfS feeds float32 images to float64 weights); "
            "gradient checks use a float64 copy.",
            "학습은 처음부터 끝까지 float32로 합니다 (밑바닥은 float32 이미지를 float64 가중치에 "
            "넣음). 기울기 확인은 float64 복사본으로 합니다.",
        ),
        "note_eval": (
            "Accuracies are measured after every epoch (and at the end), not at iteration 0 as "
            "DLfS's Trainer also does; an epoch of 'replace' sampling is N // batch_size draws "
            "(DLfS iter_per_epoch).",
            "정확도는 매 에포크가 끝난 뒤(그리고 마지막에) 잽니다. 밑바닥의 Trainer처럼 반복 0에서 "
            "재지는 않습니다. 'replace' 샘플링의 한 에포크는 N // batch_size번 뽑기입니다 "
            "(밑바닥의 iter_per_epoch).",
        ),
        "note_dropout": (
            "Dropout is inverted (kept units are scaled by 1/(1-p) while training, identity at "
            "test time); DLfS multiplies by (1-p) at test time. Expected activations are the same.",
            "드롭아웃은 역 드롭아웃입니다: 학습할 때 남은 뉴런의 출력을 1/(1-p)배 하고, 테스트할 "
            "때는 그대로 둡니다. 밑바닥은 테스트할 때 (1-p)를 곱합니다. 활성화 값의 기댓값은 "
            "같습니다.",
        ),
        "note_bn": (
            "BatchNorm uses eps = 1e-5 and starts the running variance at 1 (DLfS: eps 1e-6 and "
            "running_var 0; --bn dlfs uses those); training-mode statistics are identical.",
            "배치 정규화는 eps = 1e-5를 쓰고 이동 분산(running variance)을 1에서 시작합니다 "
            "(밑바닥: eps 1e-6, running_var 0; --bn dlfs로 그 값을 씀). 학습 모드의 통계는 "
            "같습니다.",
        ),
        "note_bn_dlfs": (
            "BatchNorm is DLfS's (--bn dlfs): eps 1e-6, running variance starting at 0.",
            "배치 정규화는 밑바닥의 것입니다 (--bn dlfs): eps 1e-6, 이동 분산은 0에서 시작.",
        ),
        "note_legacy": (
            "--rng legacy replays DLfS's own run: one np.random.RandomState(seed) (DLfS: "
            "np.random.seed(seed)) draws every network's weights in turn, then the batches all "
            "networks share (np.random.choice); float64 weights on float32 pixels; accuracies "
            "right after the first update of each epoch (steps 1, 1 + iter_per_epoch, ...). "
            "Dropout masks still come from mlplab's own generators.",
            "--rng legacy는 밑바닥의 실행을 그대로 다시 합니다: np.random.RandomState(seed) "
            "하나가 (밑바닥: np.random.seed(seed)) 모든 신경망의 가중치를 차례로 뽑은 뒤, 모든 "
            "신경망이 함께 쓰는 배치를 뽑습니다 (np.random.choice). float32 픽셀에 float64 "
            "가중치를 쓰고, 정확도는 매 에포크의 첫 갱신 직후에 잽니다 (단계 1, 1 + "
            "iter_per_epoch, ...). 드롭아웃 마스크는 그대로 mlplab의 난수 생성기에서 나옵니다.",
        ),
        "note_loss": (
            "The batch loss mlplab records for step i is measured on batch i before its update "
            "and is the exact cross-entropy; DLfS's lists hold the loss after the update, with "
            "1e-7 added inside the log (-log(y + 1e-7)).",
            "mlplab이 단계 i에 기록하는 배치 손실은 배치 i로 갱신하기 전에 잰 정확한 교차 "
            "엔트로피입니다. 밑바닥의 리스트에는 갱신한 뒤의 손실이 들어 있고, log 안에 1e-7을 "
            "더합니다 (-log(y + 1e-7)).",
        ),
        "note_wd": (
            "Weight decay is DLfS's: 0.5*lambda*sum(W^2) added to the loss (so the reported "
            "training loss includes it), lambda*W added to the gradient of every W (not b, "
            "gamma, beta).",
            "가중치 감쇠(밑바닥: 가중치 감소)는 밑바닥과 같습니다: 손실에 0.5*lambda*sum(W^2)를 "
            "더하고 (그래서 보고하는 학습 손실에 들어 있음), 모든 W의 기울기에 lambda*W를 "
            "더합니다 (b, gamma, beta에는 더하지 않음).",
        ),
        # mnist-two-layer
        "col_step": ("step", "단계"),
        "col_epoch": ("epoch", "에포크"),
        "col_train_acc": ("train acc", "학습 정확도"),
        "col_test_acc": ("test acc", "테스트 정확도"),
        "two_layer_ref": (
            "DLfS on MNIST ends at train {ref_train}, test {ref_test} (mlplab: train {train}, "
            "test {test} on {data})",
            "밑바닥은 MNIST에서 학습 {ref_train}, 테스트 {ref_test}로 끝납니다 (mlplab: {data}에서 "
            "학습 {train}, 테스트 {test})",
        ),
        "two_layer_legacy": (
            "(--rng legacy: the rows after the first update of each epoch are the accuracies "
            "DLfS's own train_neuralnet.py prints after np.random.seed(seed) on the same data; "
            "a row at a later last step is mlplab's final evaluation)",
            "(--rng legacy: 매 에포크의 첫 갱신 직후 행은 같은 데이터에서 np.random.seed(seed) "
            "뒤에 밑바닥의 train_neuralnet.py가 출력하는 정확도입니다. 그보다 뒤의 마지막 단계 "
            "행은 mlplab의 최종 평가입니다)",
        ),
        "note_gradcheck": (
            "The gradient check reports, per key, DLfS's mean |backprop - numerical| and the "
            "relative error max|g - n| / (max|g| + max|n|); it passes when every |g - n| <= "
            "atol + rtol*|n|, with h = 6.1e-6 in float64 (DLfS: h = 1e-4 on float32 images and "
            "float64 weights).",
            "기울기 확인은 매개변수마다 밑바닥의 평균 |역전파 - 수치 미분|과 상대 오차 "
            "max|g - n| / (max|g| + max|n|)을 보여 줍니다. 모든 |g - n| <= atol + rtol*|n|이면 "
            "통과이고, float64에서 h = 6.1e-6입니다 (밑바닥: float32 이미지와 float64 가중치에 "
            "h = 1e-4).",
        ),
        # init-histograms
        "hist_same": (
            "Same random matrices (one seed) for every variant; the weights differ only by the "
            "scale.",
            "모든 조건이 같은 난수 행렬(난수 시드 하나)을 쓰고, 가중치는 스케일만 다릅니다.",
        ),
        "hist_range": (
            "Histogram range (0, 1) for sigmoid and ReLU as DLfS's script, (-1, 1) for tanh; "
            "metrics hold every layer's mean/std and the 30 histogram counts.",
            "히스토그램의 범위는 밑바닥의 스크립트처럼 sigmoid와 ReLU는 (0, 1), tanh는 (-1, 1)"
            "입니다. metrics에는 층마다 평균/표준편차와 히스토그램 30구간의 도수가 들어 있습니다.",
        ),
        "hist_text": (
            "sigmoid with std 1 saturates at 0 and 1 (vanishing gradients); std 0.01 piles up at "
            "0.5 (no diversity); Xavier keeps sigmoid/tanh spread, He keeps ReLU's scale "
            "constant.",
            "표준편차 1인 sigmoid는 0과 1로 치우칩니다 (기울기 소실). 표준편차 0.01이면 0.5에 "
            "몰립니다 (표현력 제한). Xavier 초기화는 sigmoid/tanh의 분포를 고르게 펼치고, He "
            "초기화는 ReLU의 스케일을 일정하게 지킵니다.",
        ),
        # init-compare / optimizer-compare
        "compare_head": (
            "final batch loss (mean of the last 10% of updates) vs DLfS on MNIST ({what}):",
            "마지막 배치 손실 (마지막 10% 갱신의 평균)과 MNIST에서 밑바닥의 값 ({what}):",
        ),
        "at_iteration": ("iteration {i}", "반복 {i}"),
        "compare_ref": ("   (DLfS {ref})", "   (밑바닥 {ref})"),
        "opt_lrs": (
            "Learning rates are each optimizer's default: SGD, Momentum (0.9), Nesterov (0.9; "
            "DLfS's rule since its 2021 fix, = Keras/PyTorch), AdaGrad 0.01 as in DLfS; Adam "
            "0.001 as in DLfS; RMSprop 0.001 with rho 0.9 (Keras/Hinton default; DLfS's "
            "commented-out RMSprop uses lr 0.01, decay 0.99).",
            "학습률은 옵티마이저마다 기본값입니다: SGD, Momentum (0.9), Nesterov (0.9; 밑바닥이 "
            "2021년에 고친 뒤의 규칙, = Keras/PyTorch), AdaGrad 0.01 (밑바닥과 같음); Adam 0.001 "
            "(밑바닥과 같음); RMSprop 0.001, rho 0.9 (Keras/Hinton 기본값; 밑바닥에서 주석 처리된 "
            "RMSprop은 학습률 0.01, decay 0.99).",
        ),
        "opt_eps": (
            "Optimizer eps is 1e-7 everywhere, as DLfS.",
            "옵티마이저의 eps는 밑바닥처럼 모두 1e-7입니다.",
        ),
        # batchnorm-scales
        "col_scale": ("scale", "스케일"),
        "col_bn": ("BN", "배치 정규화"),
        "col_plain": ("plain", "정규화 없음"),
        "bn_final": ("(final training accuracy)", "(마지막 학습 정확도)"),
        "diverged": ("diverged", "발산"),
        "bn_diverged": (
            "('diverged': the loss ran away (NaN/inf or 10^4 x its start) and training stopped, "
            "as DLfS's plain net at W=1)",
            "('발산': 손실이 폭주해서 (NaN/inf 또는 처음의 10^4배) 학습을 멈춤, 밑바닥의 배치 "
            "정규화 없는 신경망이 W=1에서 그렇듯이)",
        ),
        "bn_legend_bn": ("Batch Normalization", "배치 정규화"),
        "bn_legend_plain": ("Normal(without BatchNorm)", "일반(배치 정규화 없음)"),
        # overfit
        "gap_head": ("train - test accuracy gap at the end:", "마지막 학습 - 테스트 정확도 차이:"),
        "overfit_ref": (
            "DLfS (MNIST, lambda 0.1, epoch 200): train {train}, test {test}",
            "밑바닥 (MNIST, lambda 0.1, 에포크 200): 학습 {train}, 테스트 {test}",
        ),
        "overfit_epochs": (
            "DLfS's dropout script trains 301 epochs; here all three runs use the same 201 epochs.",
            "밑바닥의 드롭아웃 스크립트는 301 에포크를 학습하지만, 여기서는 세 실행 모두 같은 "
            "201 에포크를 씁니다.",
        ),
        # fashion-best
        "best_line": (
            "test accuracy {acc} (best epoch {best}) in {secs} s of training",
            "테스트 정확도 {acc} (에포크 중 최고 {best}), 학습 시간 {secs}초",
        ),
        "per_class": ("per-class test accuracy:", "클래스별 테스트 정확도:"),
        "recipe": (
            "Recipe: He init, ReLU, dropout 0.2 after each hidden layer, Adam lr 1e-3 with "
            "cosine decay to 1e-5 over all updates, batch 128, shuffled epochs, float32.",
            "구성: He 초기화, ReLU, 은닉층마다 드롭아웃 0.2, Adam 학습률 1e-3을 전체 갱신 동안 "
            "코사인 감쇠로 1e-5까지, 배치 크기 128, 에포크마다 섞기, float32.",
        ),
        "train_subset": (
            "Training accuracy is measured on a fixed 10,000-image subset (eval_train_size) and "
            "with dropout off.",
            "학습 정확도는 고정된 이미지 10,000개(eval_train_size)로, 드롭아웃을 끄고 잽니다.",
        ),
    },
)
# Fashion-MNIST's classes (fashion-best's per-class table and confusion matrix)
_add(
    "fashion",
    {
        "c0": ("T-shirt/top", "티셔츠/탑"),
        "c1": ("Trouser", "바지"),
        "c2": ("Pullover", "풀오버"),
        "c3": ("Dress", "드레스"),
        "c4": ("Coat", "코트"),
        "c5": ("Sandal", "샌들"),
        "c6": ("Shirt", "셔츠"),
        "c7": ("Sneaker", "스니커즈"),
        "c8": ("Bag", "가방"),
        "c9": ("Ankle boot", "앵클 부츠"),
    },
)

# ------------------------------------------------------------------------------ data descriptions
_add(
    "data",
    {
        "mnist": (
            "{label} from {path}: {n} training / {m} test images (first rows, pixels / 255)",
            "{label} ({path}): 학습 이미지 {n}개 / 테스트 이미지 {m}개 (앞쪽부터, 픽셀 / 255)",
        ),
        "gaussian": ("N(0, 1) input {shape}", "N(0, 1) 입력 {shape}"),
        "builtin": ("builtin {name}", "내장 데이터 {name}"),
        "csv": ("CSV {path}", "CSV {path}"),
        "split": ("{desc}: {n} train / {m} test", "{desc}: 학습 {n}개 / 테스트 {m}개"),
        "diverged": (
            "diverged at step {step}: the loss or a parameter became NaN/inf or too large; "
            "training stopped and the last good parameters were restored (lower the learning "
            "rate)",
            "단계 {step}에서 발산: 손실이나 매개변수가 NaN/inf가 되거나 너무 커져서 학습을 멈추고 "
            "마지막 정상 매개변수로 되돌림 (학습률을 낮추세요)",
        ),
        "interrupted": (
            "interrupted by the user at step {step}",
            "단계 {step}에서 사용자가 중단함",
        ),
        "stopped": ("stopped at step {step}", "단계 {step}에서 멈춤"),
    },
)

# ------------------------------------------------------------------------------ packaged files
#: ``desc.NAME``: the ``description`` of the packaged experiment file ``NAME.toml``, printed as
#: the first line of its run (the English must equal the file's; a test checks it).
_add(
    "desc",
    {
        "mnist-two-layer": (
            "DLfS ch.5 TwoLayerNet 784-50-10 (ReLU, std 0.01): gradient check, then 10,000 SGD "
            "steps",
            "밑바닥 5장 TwoLayerNet 784-50-10 (ReLU, std 0.01): 기울기 확인 후 SGD 10,000번 갱신",
        ),
        "init-histograms": (
            "DLfS ch.6 activation histograms: weight scale 1 / 0.01 / Xavier / He x sigmoid / "
            "tanh / ReLU",
            "밑바닥 6장 활성화 값 히스토그램: 가중치 스케일 1 / 0.01 / Xavier / He x sigmoid / "
            "tanh / ReLU",
        ),
        "init-compare": (
            "DLfS ch.6 weight_init_compare.py: 784-[100x4]-10 ReLU, std 0.01 vs Xavier vs He",
            "밑바닥 6장 weight_init_compare.py: 784-[100x4]-10 ReLU, std 0.01 대 Xavier 대 He",
        ),
        "optimizer-compare": (
            "DLfS ch.6 optimizer_compare_mnist.py: 784-[100x4]-10 ReLU/He, six optimizers at "
            "their default lr",
            "밑바닥 6장 optimizer_compare_mnist.py: 784-[100x4]-10 ReLU/He, 옵티마이저 6개를 "
            "각자의 기본 학습률로",
        ),
        "batchnorm-scales": (
            "DLfS ch.6 batch_norm_test.py: 784-[100x5]-10 with/without BatchNorm for 16 weight "
            "scales",
            "밑바닥 6장 batch_norm_test.py: 가중치 스케일 16가지에서 배치 정규화가 있는/없는 "
            "784-[100x5]-10",
        ),
        "overfit": (
            "DLfS ch.6 overfitting on 300 images: 784-[100x6]-10, baseline vs weight decay 0.1 "
            "vs dropout 0.2",
            "밑바닥 6장 이미지 300개로 과적합: 784-[100x6]-10, 기준 대 가중치 감쇠 0.1 대 "
            "드롭아웃 0.2",
        ),
        "fashion-best": (
            "Fashion-MNIST MLP 784-512-256-10: ReLU, He, dropout, Adam with cosine decay, float32",
            "Fashion-MNIST MLP 784-512-256-10: ReLU, He 초기화, 드롭아웃, 코사인 감쇠 Adam, "
            "float32",
        ),
        "random-search": (
            "DLfS ch.6 hyperparameter_optimization.py: 100 random trials of lr = 10^U(-6,-2), "
            "weight decay = 10^U(-8,-4) on 500 images, 20 % held out",
            "밑바닥 6장 hyperparameter_optimization.py: 이미지 500개(20 %는 검증용)에서 학습률 = "
            "10^U(-6,-2), 가중치 감쇠 = 10^U(-8,-4)를 무작위로 100번 시도",
        ),
    },
)

# ------------------------------------------------------------------------------ mlplab list
#: ``summary.NAME``: the one-line summary of a built-in run or search (``mlplab list``,
#: ``mlplab run --help``); the English is the run's ``register(summary=...)`` (a test checks it).
_add(
    "summary",
    {
        "activations": (
            "seed 002/003: activation functions and derivatives, the step with threshold n, "
            "Leaky ReLU 0.1 vs 0.01",
            "강의 자료 002/003: 활성화 함수와 도함수, 임계치 n인 계단 함수, Leaky ReLU 0.1 대 0.01",
        ),
        "affine": (
            "seed 004: x(2,)·W(2,3) + b(3,) with shapes, its backward pass, and the report's "
            "sigmoid/backprop mistakes",
            "강의 자료 004: x(2,)·W(2,3) + b(3,)와 모양, 역전파, 보고서의 sigmoid/역전파 실수",
        ),
        "apple": (
            "DLfS ch.5 computational graph: price 220 / 715, gradients 2.2, 110, 200 / 650",
            "밑바닥 5장 계산 그래프: 가격 220 / 715, 기울기 2.2, 110, 200 / 650",
        ),
        "backprop-221": (
            "seed 002: the textbook's 2-2-1 backprop by hand (E 0.251612 → 0.244687)",
            "강의 자료 002: 교과서의 2-2-1 오차역전파법을 손으로 (E 0.251612 → 0.244687)",
        ),
        "backprop-222": (
            "seed 003: the slides' 2-2-2 backprop (E 0.02397190 → 0.02323634, lr 0.5)",
            "강의 자료 003: 슬라이드의 2-2-2 오차역전파법 (E 0.02397190 → 0.02323634, 학습률 0.5)",
        ),
        "batchnorm-scales": (
            "DLfS ch.6 BatchNorm vs plain net for 16 weight scales (first 1000 images, 20 "
            "epochs): 4x4 grid",
            "밑바닥 6장 배치 정규화 대 일반 신경망, 가중치 스케일 16가지 (이미지 앞 1000개, "
            "20 에포크): 4x4 격자",
        ),
        "bn-lesson": (
            "seed 003: batch normalization — internal covariate shift measured, its advantages, "
            "and a batch-size sweep",
            "강의 자료 003: 배치 정규화 — 내부 공변량 변화 측정, 장점, 배치 크기를 바꿔 가며 비교",
        ),
        "fashion-best": (
            "Best plain MLP on Fashion-MNIST: 784-512-256-10, Adam + cosine, dropout 0.2, "
            "float32 (>= 0.89 test in minutes)",
            "Fashion-MNIST에서 가장 좋은 기본 MLP: 784-512-256-10, Adam + 코사인, 드롭아웃 0.2, "
            "float32 (몇 분 만에 테스트 정확도 0.89 이상)",
        ),
        "gates": (
            "Perceptron gates AND/NAND/OR, XOR = AND(NAND, OR); the learning rule fails on XOR, "
            "an MLP learns it",
            "퍼셉트론 게이트 AND/NAND/OR, XOR = AND(NAND, OR); 퍼셉트론 학습 규칙은 XOR에서 "
            "실패하고 MLP는 학습함",
        ),
        "gd-1d": (
            "Gradient descent on (x-3)^2 + 10 by hand (59 -> 27.64 -> 16.35); learning-rate quiz",
            "(x-3)^2 + 10의 경사 하강법을 손으로 (59 -> 27.64 -> 16.35); 학습률 퀴즈",
        ),
        "gd-2d": (
            "Gradient field of x^2+y^2 (arrows point to the minimum); DLfS optimizer race on "
            "x^2/20 + y^2",
            "x^2+y^2의 기울기 (화살표가 최솟값을 가리킴); x^2/20 + y^2에서 밑바닥의 옵티마이저 "
            "비교",
        ),
        "init-compare": (
            "DLfS ch.6 weight init: 784-[100x4]-10 ReLU, std 0.01 vs Xavier vs He, SGD lr 0.01",
            "밑바닥 6장 가중치 초기화: 784-[100x4]-10 ReLU, std 0.01 대 Xavier 대 He, SGD "
            "학습률 0.01",
        ),
        "init-histograms": (
            "DLfS ch.6 activation histograms of 5 layers: scale 1, 0.01, Xavier, He x sigmoid, "
            "tanh, ReLU",
            "밑바닥 6장 5개 층의 활성화 값 히스토그램: 스케일 1, 0.01, Xavier, He x sigmoid, "
            "tanh, ReLU",
        ),
        "keras-448": (
            "seed 003: Keras-style 4-8-8-3 ReLU/softmax model — batch GD vs SGD vs mini-batch (32)",
            "강의 자료 003: Keras 방식 4-8-8-3 ReLU/softmax 모델 — 배치 경사 하강법 대 SGD 대 "
            "미니 배치 (32)",
        ),
        "losses": (
            "Textbook loss examples: ½Σ(y−t)² = 0.03 / 0.81, cross-entropy 0.2231 / 2.3026",
            "교과서의 손실 함수 예: ½Σ(y−t)² = 0.03 / 0.81, 교차 엔트로피 0.2231 / 2.3026",
        ),
        "matrix": (
            "seed 002/003: matrix product (= 58 …), shape rule, XW + B vs WX + B",
            "강의 자료 002/003: 행렬의 곱셈 (= 58 …), 모양 규칙, XW + B 대 WX + B",
        ),
        "mnist-two-layer": (
            "DLfS ch.5 TwoLayerNet 784-50-10: gradient check in float64, 10,000 SGD steps "
            "(lr 0.1, batch 100)",
            "밑바닥 5장 TwoLayerNet 784-50-10: float64 기울기 확인, SGD 10,000번 갱신 "
            "(학습률 0.1, 배치 크기 100)",
        ),
        "network-types": (
            "seed 003: feed-forward vs recurrent network — memory of the inputs before",
            "강의 자료 003: 피드 포워드 대 순환 신경망 — 앞선 입력의 기억",
        ),
        "neuron": (
            "seed 003: biological vs artificial neuron; threshold θ vs bias",
            "강의 자료 003: 생물학적 뉴런 대 인공 뉴런; 임계치 θ 대 편향",
        ),
        "notebook-231": (
            "seed 000/001: 2-3-1 ReLU/sigmoid net on the quadratic set — the four execute_ann "
            "cases",
            "강의 자료 000/001: 2차 곡선 데이터에서 2-3-1 ReLU/sigmoid 신경망 — execute_ann의 "
            "네 경우",
        ),
        "notebook-bn-hist": (
            "seed 001: hidden activations z1..z3 with and without the notebook's batch norm",
            "강의 자료 001: 노트북의 배치 정규화가 있을 때와 없을 때의 은닉 출력 z1..z3",
        ),
        "optimizer-compare": (
            "DLfS ch.6 optimizers on 784-[100x4]-10: SGD, Momentum, Nesterov, AdaGrad, RMSprop, "
            "Adam at default lr",
            "밑바닥 6장 784-[100x4]-10에서 옵티마이저 비교: SGD, Momentum, Nesterov, AdaGrad, "
            "RMSprop, Adam (기본 학습률)",
        ),
        "overfit": (
            "DLfS ch.6 overfitting on 300 images (784-[100x6]-10, 201 epochs): baseline, weight "
            "decay 0.1, dropout 0.2",
            "밑바닥 6장 이미지 300개로 과적합 (784-[100x6]-10, 201 에포크): 기준, 가중치 감쇠 "
            "0.1, 드롭아웃 0.2",
        ),
        "overfit-cures": (
            "seed 003: overfitting and its cures — more data, augmentation, a smaller model, L2, "
            "dropout; L1 vs L2 (sparsity)",
            "강의 자료 003: 과적합과 해결 방법 — 데이터 늘리기, 데이터 증강, 작은 모델, L2 규제, "
            "드롭아웃; L1 대 L2 (희소성)",
        ),
        "random-search": (
            "DLfS ch.6 hyperparameter_optimization.py: 100 random trials of lr = 10^U(-6,-2), "
            "weight decay = 10^U(-8,-4) on 500 images, 20 % held out",
            "밑바닥 6장 hyperparameter_optimization.py: 이미지 500개(20 %는 검증용)에서 학습률 = "
            "10^U(-6,-2), 가중치 감쇠 = 10^U(-8,-4)를 무작위로 100번 시도",
        ),
    },
)

# ------------------------------------------------------------------------------ run options
#: ``opt.RUN.NAME`` (or ``opt.NAME``, shared): the help of option ``--NAME`` of run ``RUN`` in
#: ``mlplab run RUN --help``; used when its English equals the option's help (a test checks
#: that every option of every run has one).
_add(
    "opt",
    {
        # shared by the classic experiments
        "data": (
            "directory with the MNIST IDX files (default: Fashion-MNIST)",
            "MNIST IDX 파일이 있는 디렉터리 (기본값: Fashion-MNIST)",
        ),
        "rng": (
            "legacy: DLfS's own run (np.random.seed stream for weights and batches, float64)",
            "legacy: 밑바닥의 실행 그대로 (가중치와 배치에 np.random.seed 난수열, float64)",
        ),
        "iterations": ("SGD updates", "SGD 갱신 횟수"),
        "epochs": ("epochs per run", "실행마다 에포크 수"),
        "batchnorm-scales.bn": (
            "dlfs: DLfS's BatchNorm (eps 1e-6, running variance starting at 0)",
            "dlfs: 밑바닥의 배치 정규화 (eps 1e-6, 이동 분산은 0에서 시작)",
        ),
        "fashion-best.epochs": ("training epochs", "학습 에포크 수"),
        "init-histograms.n": ("number of N(0, 1) input rows", "N(0, 1) 입력의 행 수"),
        "optimizer-compare.iterations": ("updates per optimizer", "옵티마이저마다 갱신 횟수"),
        # the lessons
        "activations.threshold": (
            "n of the step function y = 1 if x ≥ n",
            "계단 함수의 n (x ≥ n이면 y = 1)",
        ),
        "activations.alpha": (
            "slope of Leaky ReLU for x < 0 (slides: 0.1 and 0.01)",
            "x < 0에서 Leaky ReLU의 기울기 (슬라이드: 0.1과 0.01)",
        ),
        "apple.apple": ("price of one apple", "사과 한 개의 가격"),
        "apple.apple_num": ("number of apples", "사과 개수"),
        "apple.orange": ("price of one orange", "귤 한 개의 가격"),
        "apple.orange_num": ("number of oranges", "귤 개수"),
        "apple.tax": ("consumption tax factor", "소비세 배율"),
        "backprop-221.lr": ("learning rate (textbook: 0.2)", "학습률 (교과서: 0.2)"),
        "backprop-221.steps": (
            "further steps to run after the traced one (textbook: 10000)",
            "따라가 본 갱신 뒤에 더 할 갱신 횟수 (교과서: 10000)",
        ),
        "backprop-222.lr": ("learning rate (slides: 0.5)", "학습률 (슬라이드: 0.5)"),
        "backprop-222.steps": (
            "further steps to run after the traced one",
            "따라가 본 갱신 뒤에 더 할 갱신 횟수",
        ),
        "bn-lesson.epochs": (
            "epochs per run of the batch-size sweep",
            "배치 크기마다 한 실행의 에포크 수",
        ),
        "gates.lr": ("perceptron learning rate", "퍼셉트론의 학습률"),
        "gates.epochs": ("perceptron epoch budget", "퍼셉트론의 최대 에포크 수"),
        "gates.mlp_lr": (
            "learning rate of the XOR MLP (plain SGD)",
            "XOR MLP의 학습률 (기본 SGD)",
        ),
        "gates.mlp_epochs": (
            "full-batch epochs of the XOR MLP",
            "XOR MLP의 에포크 수 (배치 = 데이터 전체)",
        ),
        "gates.hidden": (
            "hidden units of the XOR MLP (2-hidden-1)",
            "XOR MLP 은닉층의 뉴런 수 (2-은닉층-1)",
        ),
        "gd-1d.x0": ("starting point", "시작점"),
        "gd-1d.lr": ("learning rate", "학습률"),
        "gd-1d.steps": ("number of steps", "단계 수"),
        "gd-1d.lrs": ("quiz learning rates (comma list)", "퀴즈의 학습률들 (쉼표로 구분)"),
        "gd-2d.steps": (
            "optimizer steps from (-7, 2)",
            "(-7, 2)에서 시작하는 옵티마이저의 단계 수",
        ),
        "keras-448.epochs": ("epochs for each of the three runs", "세 실행 각각의 에포크 수"),
        "keras-448.lr": (
            "Adam learning rate (Keras default 0.001; 0.01 so that 50 epochs suffice)",
            "Adam 학습률 (Keras 기본값 0.001; 50 에포크로 충분하도록 0.01)",
        ),
        "keras-448.init": ("initializer of the Dense layers", "Dense 층의 가중치 초기화 방법"),
        "notebook-231.mode": (
            "cases: the four execute_ann runs; step: one update; graph: In[10]-[12], the network "
            "and boundary of --weights",
            "cases: execute_ann의 네 실행; step: 한 번의 갱신; graph: In[10]-[12], --weights로 "
            "정한 신경망과 결정 경계",
        ),
        "notebook-231.lr": (
            "learning rate (set any knob to run one custom case)",
            "학습률 (이 옵션들 중 하나라도 주면 직접 정한 경우 하나를 실행)",
        ),
        "notebook-231.batch_size": ("batch size", "배치 크기"),
        "notebook-231.epochs": (
            "epochs (iterations = int(100 / batch_size) * epochs)",
            "에포크 수 (반복 횟수 = int(100 / batch_size) * epochs)",
        ),
        "notebook-231.bn": (
            "1 = standardize hidden pre-activations per batch (the notebook's BN)",
            "1 = 은닉층의 활성화 전 값을 배치마다 정규화 (노트북의 배치 정규화)",
        ),
        "notebook-231.activation": (
            "hidden activation (relu, tanh, ...)",
            "은닉층의 활성화 함수 (relu, tanh, ...)",
        ),
        "notebook-231.init": (
            "draw initial weights with this initializer instead of the notebook's",
            "노트북의 초기 가중치 대신 이 초기화 방법으로 가중치를 뽑음",
        ),
        "notebook-231.gradient": (
            "backprop or numerical (the notebook's method)",
            "backprop(오차역전파법) 또는 numerical(수치 미분, 노트북의 방법)",
        ),
        "notebook-231.steps": ("updates to show in step mode", "step 모드에서 보여 줄 갱신 횟수"),
        "notebook-231.weights": (
            "initial weights to change, e.g. w31=0.8,w32=0.5 (In[10]; graph and step modes)",
            "바꿀 초기 가중치, 예: w31=0.8,w32=0.5 (In[10]; graph와 step 모드)",
        ),
        "notebook-bn-hist.gradient": (
            "backprop or numerical",
            "backprop(오차역전파법) 또는 numerical(수치 미분)",
        ),
    },
)

# ------------------------------------------------------------------------------ --help
#: ``help.*``: the help sentences of the command line's options (``mlplab ... --help``).
_add(
    "help",
    {
        "default": ("(default: {value})", "(기본값: {value})"),
        "help": ("show this help message and exit", "이 도움말을 보여 주고 끝냄"),
        "version": ("show program's version number and exit", "프로그램 버전을 보여 주고 끝냄"),
        "mlplab": ("mlplab — a neural-network lab in NumPy", "mlplab — NumPy로 만든 신경망 실험실"),
        "lang": (
            "language of the output, figures and report (default: MLPLAB_LANG, else ko for a "
            "Korean locale, else en)",
            "출력, 그림, 보고서의 언어 (기본값: MLPLAB_LANG, 없으면 한국어 로캘에서 ko, 아니면 en)",
        ),
        "seed": ("random seed", "난수 시드"),
        "out": ("run folder (default runs/NAME-TIME)", "실행 폴더 (기본값 runs/NAME-TIME)"),
        "json": ("print the numbers as JSON", "숫자를 JSON으로 출력"),
        "quiet": ("print nothing but errors", "오류 말고는 아무것도 출력하지 않음"),
        "quick": (
            "a small, fast version (for tests and a first look)",
            "작고 빠른 버전 (테스트와 처음 살펴보기용)",
        ),
        "format": ("text output format (traces)", "텍스트 출력 형식 (추적)"),
        "no_save": ("do not write a run folder", "실행 폴더를 만들지 않음"),
        "limit": (
            "raise a size cap: params, activations, data or variants (e.g. --limit "
            "params=50000000)",
            "크기 상한 올리기: params, activations, data, variants (예: --limit params=50000000)",
        ),
        "data": (
            "directory with MNIST-format IDX files (experiments)",
            "MNIST 형식 IDX 파일이 있는 디렉터리 (실험)",
        ),
        "set": (
            "override a value of the file, e.g. --set train.lr=0.1",
            "파일의 값 바꾸기, 예: --set train.lr=0.1",
        ),
        "rng": (
            "legacy: DLfS's np.random.seed stream (= --set train.rng=legacy)",
            "legacy: 밑바닥의 np.random.seed 난수열 (= --set train.rng=legacy)",
        ),
        "list": ("list the built-in runs", "내장 실행 목록 보기"),
        "list_files": ("show where each experiment file lives", "각 실험 파일의 위치 보기"),
        "run": (
            "run a built-in lesson/experiment or an experiment file",
            "내장 수업/실험 또는 실험 파일 실행",
        ),
        "run_target": (
            "run name (see `mlplab list`) or FILE.toml",
            "실행 이름 (`mlplab list` 참고) 또는 FILE.toml",
        ),
        "trace": (
            "trace backprop by hand for a small network",
            "작은 신경망의 오차역전파법을 손으로 따라가기",
        ),
        "trace_W": (
            "weights of a layer, rows separated by ';' (repeat per layer)",
            "한 층의 가중치, 행은 ';'로 구분 (층마다 한 번씩)",
        ),
        "trace_b": (
            "biases of a layer ('none' for no bias; repeat per layer)",
            "한 층의 편향 (편향이 없으면 'none'; 층마다 한 번씩)",
        ),
        "trace_sizes": ("layer sizes when no --W is given", "--W가 없을 때 층의 크기"),
        "trace_seed": ("seed for random weights", "무작위 가중치의 난수 시드"),
        "trace_x": ("input sample, e.g. '0.1 0.2'", "입력 샘플, 예: '0.1 0.2'"),
        "trace_t": ("target, e.g. '0.4 0.6'", "정답, 예: '0.4 0.6'"),
        "trace_activation": ("hidden activation", "은닉층의 활성화 함수"),
        "trace_output": ("output activation", "출력층의 활성화 함수"),
        "trace_loss": ("loss (half_sse = ½Σ(t − y)²)", "손실 함수 (half_sse = ½Σ(t − y)²)"),
        "trace_lr": ("learning rate of the traced update", "따라가 볼 갱신의 학습률"),
        "trace_style": (
            "names as in the textbook (w1, z/a, net_y/out_y) or the slides (W1, z/h, z/o)",
            "이름 붙이는 방식: 교과서 (w1, z/a, net_y/out_y) 또는 슬라이드 (W1, z/h, z/o)",
        ),
        "trace_decimals": ("digits after the decimal point", "소수점 아래 자릿수"),
        "trace_format": ("output format", "출력 형식"),
        "pg_port": ("port to listen on (default 8000)", "서버가 받을 포트 (기본값 8000)"),
        "report": ("rebuild report.html of a run folder", "실행 폴더의 report.html 다시 만들기"),
        "report_dir": ("run folder", "실행 폴더"),
        "playground": ("start the browser playground", "브라우저 플레이그라운드 시작"),
        "pg_host": (
            "address to bind (0.0.0.0 for a classroom)",
            "서버가 받을 주소 (교실에서는 0.0.0.0)",
        ),
        "pg_no_browser": ("do not open a browser", "브라우저를 열지 않음"),
        "pg_token": (
            "shared access token required by the page",
            "페이지가 요구하는 공유 접속 토큰",
        ),
        "pg_workers": (
            "server processes (default: the number of CPU cores)",
            "서버 프로세스 수 (기본값: CPU 코어 수)",
        ),
        "pg_allow_origin": (
            "another page origin allowed to connect, e.g. https://lab.school.kr (repeatable; "
            "default: only the server's own pages)",
            "접속을 허용할 다른 페이지 출처, 예: https://lab.school.kr (여러 번 줄 수 있음; "
            "기본값: 서버 자신의 페이지만)",
        ),
        "pg_max_sessions": (
            "sessions (browser tabs) in all (default 64)",
            "전체 세션(브라우저 탭) 수 (기본값 64)",
        ),
        "pg_max_per_client": (
            "open tabs per client IP address (default 8)",
            "클라이언트 IP 주소 하나가 열 수 있는 탭 수 (기본값 8)",
        ),
        "pg_lessons": (
            "a folder of lesson files (.toml) to offer beside the built-in ones",
            "내장 수업 말고도 보여 줄 수업 파일(.toml)의 폴더",
        ),
        "pg_lang": (
            "the page's language when a link does not say (default: MLPLAB_LANG, else each "
            "browser's language)",
            "링크가 언어를 정하지 않을 때 페이지의 언어 (기본값: MLPLAB_LANG, 없으면 각 브라우저의 "
            "언어)",
        ),
        "search": ("hyperparameter search from a SPEC.toml", "SPEC.toml로 하이퍼파라미터 탐색"),
        "search_spec": (
            "experiment file with a [search] table",
            "[search] 표가 있는 실험 파일",
        ),
        # mlplab search --help
        "s_description": (
            "Hyperparameter search over an experiment file with a [search] table (Optuna: "
            "grid, random or TPE sampling, median / successive-halving pruning).",
            "[search] 표가 있는 실험 파일로 하이퍼파라미터 탐색 (Optuna: 격자, 무작위, TPE "
            "샘플링, 중앙값 / 연속 반감(successive halving) 가지치기).",
        ),
        "s_spec": (
            "experiment file with a [search] table, or a built-in name (random-search)",
            "[search] 표가 있는 실험 파일 또는 내장 탐색의 이름 (random-search)",
        ),
        "s_trials": (
            "budget of finished trials (overrides the file)",
            "끝낼 시도 횟수 (파일의 값 대신)",
        ),
        "s_timeout": (
            "seconds after which no new trial starts",
            "이 시간(초)이 지나면 새 시도를 시작하지 않음",
        ),
        "s_jobs": (
            "local worker processes (default: number of cores; 0: in this process)",
            "이 컴퓨터의 작업 프로세스 수 (기본값: 코어 수; 0: 이 프로세스에서)",
        ),
        "s_dask": ("Dask scheduler, e.g. tcp://HOST:8786", "Dask 스케줄러, 예: tcp://HOST:8786"),
        "s_scheduler_file": ("Dask scheduler file", "Dask 스케줄러 파일"),
        "s_storage": (
            "SQLAlchemy URL of the study database (default sqlite:///OUT/study.db)",
            "탐색 기록 데이터베이스의 SQLAlchemy URL (기본값 sqlite:///OUT/study.db)",
        ),
        "s_out": ("output folder (default runs/NAME)", "출력 폴더 (기본값 runs/NAME)"),
        "s_quick": ("small data, few trials (tests)", "작은 데이터, 적은 시도 (테스트용)"),
        "s_seed": ("sampler seed (overrides search.seed)", "샘플러의 난수 시드 (search.seed 대신)"),
        "s_sampler": ("override search.sampler", "search.sampler 대신 쓸 값"),
        "s_pruner": ("override search.pruner", "search.pruner 대신 쓸 값"),
        "s_data": (
            "directory with the MNIST IDX files (MNIST instead of Fashion-MNIST)",
            "MNIST IDX 파일이 있는 디렉터리 (Fashion-MNIST 대신 MNIST)",
        ),
        "s_no_report": ("no figures / report.html", "그림과 report.html을 만들지 않음"),
        "s_worker_timeout": (
            "with --dask: stop after S seconds without any worker (default 60)",
            "--dask일 때: 작업자가 하나도 없이 S초가 지나면 멈춤 (기본값 60)",
        ),
        "s_limit": (
            "raise a size cap: params, activations, data or variants (grid points)",
            "크기 상한 올리기: params, activations, data, variants (격자 점)",
        ),
    },
)

# ------------------------------------------------------------------------------ the playground page
from .page import PAGE_MESSAGES  # noqa: E402 - its own file: the page's words are many

_add("page", PAGE_MESSAGES)
