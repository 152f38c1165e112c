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
