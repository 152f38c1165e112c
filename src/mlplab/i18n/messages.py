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
    "keras",
    {
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

# ------------------------------------------------------------------------------ the playground page
from .page import PAGE_MESSAGES  # noqa: E402 - its own file: the page's words are many

_add("page", PAGE_MESSAGES)
