"""Experiment files: parsing, validation messages, variants, quick mode, overrides, running."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlplab.errors import ConfigError, DataError
from mlplab.experiments.classic import builtin_files
from mlplab.experiments.runner import build_optimizer, run_file, run_spec
from mlplab.experiments.spec import load_spec, parse_override

BASE = """
[experiment]
name = "tiny"
seed = 3

[data]
source = "builtin"
name = "moons"
n = 200

[model]
hidden = [8]
activation = "tanh"
init = "xavier"

[train]
optimizer = "adam"
lr = 0.02
batch_size = 20
epochs = 30
"""


def spec_with(extra: str = "", base: str = BASE):
    return load_spec(base + "\n" + extra)


# -- valid files -------------------------------------------------------------------------------
def test_defaults_and_values():
    s = spec_with()
    assert s.name == "tiny" and s.seed == 3
    assert s.model["hidden"] == [8] and s.model["activation"] == "tanh"
    assert s.model["loss"] == "cce" and s.model["dtype"] == "float64"  # defaults filled
    assert s.train["sampling"] == "shuffle"
    assert s.combos() == [{}]


@pytest.mark.parametrize("name", sorted(builtin_files()))
def test_builtin_files_validate(name):
    s = load_spec(builtin_files()[name])
    assert s.name == name
    q = s.quick_spec()
    assert q.is_quick
    assert len(q.combos()) >= 1


def test_quick_spec_does_not_change_the_full_spec():
    s = load_spec(builtin_files()["batchnorm-scales"])
    assert len(s.combos()) == 32  # 16 scales x BN on/off
    q = s.quick_spec()
    assert len(q.combos()) == 6 and len(s.combos()) == 32
    assert s.with_overrides({}) is not s


def test_builtin_files_cover_the_runs():
    assert set(builtin_files()) >= {
        "mnist-two-layer",
        "init-histograms",
        "init-compare",
        "optimizer-compare",
        "batchnorm-scales",
        "overfit",
        "fashion-best",
    }


# -- error messages ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "section, line, fragment",
    [
        ("train", "lr = -1", "train.lr: must be a number > 0 and <= 1000, got -1"),
        ("train", "lr = 1e9", "train.lr: must be a number > 0 and <= 1000, got 1000000000.0"),
        ("train", "lr = nan", "train.lr: must be a number > 0 and <= 1000, got nan"),
        ("train", "epochs = -5", "train.epochs: must be an integer >= 1 and <= 100000, got -5"),
        (
            "experiment",
            "seed = -1",
            "experiment.seed: must be an integer >= 0 and <= 4294967295, got -1",
        ),
        ("model", 'activation = "relux"', "model.activation: unknown 'relux'; allowed: identity"),
        ("model", "dropout = 1.0", "model.dropout: must be a number >= 0 and < 1, got 1.0"),
        ("train", 'optimizer = "adamw"', "train.optimizer: unknown 'adamw'; allowed: sgd"),
        (
            "train",
            "batch_size = 2.5",
            "train.batch_size: must be an integer >= 1 and <= 10000000, got 2.5",
        ),
        (
            "train",
            'batch_size = "32"',
            "train.batch_size: must be an integer >= 1 and <= 10000000, got '32'",
        ),
        ("model", "hidden = [8, 0]", "model.hidden: must be a list of at most 100 integers >= 1"),
        ("model", 'init = "glorious"', "model.init: unknown 'glorious'; allowed: zeros"),
        ("train", 'sampling = "random"', "train.sampling: unknown 'random'; allowed: shuffle"),
        ("model", "batchnorm = 1", "model.batchnorm: must be true or false, got 1"),
        ("train", "learning_rate = 0.1", "train.learning_rate: unknown key; allowed: optimizer"),
        ("data", 'name = "cifar"', "data.name: unknown 'cifar'; allowed: fashion-mnist"),
    ],
)
def test_bad_values_name_the_key(section, line, fragment):
    key = line.split("=")[0].strip()
    out, current = [], None
    for ln in BASE.splitlines():
        if ln.startswith("["):
            current = ln.strip("[]")
        elif current == section and ln.split("=")[0].strip() == key:
            continue  # replaced by the bad line below
        out.append(ln)
        if ln == f"[{section}]":
            out.append(line)
    with pytest.raises(ConfigError) as ei:
        load_spec("\n".join(out))
    assert fragment in str(ei.value)


def test_unknown_section_and_syntax_error():
    with pytest.raises(ConfigError, match=r"\[trian\]: unknown section; allowed: experiment"):
        spec_with("[trian]\nlr = 1")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_spec("[train\nlr = 1")


def test_cross_checks():
    with pytest.raises(ConfigError, match="exactly one of epochs or iterations"):
        load_spec(BASE.replace("epochs = 30", "epochs = 30\niterations = 5"))
    with pytest.raises(ConfigError, match="exactly one of epochs or iterations"):
        load_spec(BASE.replace("epochs = 30", ""))
    with pytest.raises(ConfigError, match="train.momentum: not an option of optimizer 'adam'"):
        load_spec(BASE.replace("lr = 0.02", "lr = 0.02\nmomentum = 0.9"))
    with pytest.raises(ConfigError, match="train.min_lr: only used with schedule = 'cosine'"):
        load_spec(BASE.replace("lr = 0.02", "lr = 0.02\nmin_lr = 0.001"))
    with pytest.raises(ConfigError, match="train.step_size: required for schedule 'step'"):
        load_spec(BASE.replace("lr = 0.02", "lr = 0.02\nschedule = 'step'"))
    with pytest.raises(ConfigError, match="data.path: required for source 'csv'"):
        load_spec(BASE.replace('source = "builtin"', 'source = "csv"'))
    with pytest.raises(ConfigError, match="give either sizes or hidden"):
        load_spec(BASE.replace("hidden = [8]", "hidden = [8]\nsizes = [2, 8, 2]"))


def test_variant_values_are_validated_before_running():
    with pytest.raises(ConfigError, match=r"variants.init\[1\]: unknown 'hee'"):
        spec_with('[variants]\ninit = ["he", "hee"]')
    with pytest.raises(ConfigError, match="variants.nonsense: unknown key"):
        spec_with("[variants]\nnonsense = [1, 2]")
    # a variant that breaks a cross-check (momentum only with momentum optimizers)
    with pytest.raises(ConfigError, match="train.momentum: not an option of optimizer 'adam'"):
        spec_with(
            '[variants]\noptimizer = ["momentum", "adam"]\n',
            BASE.replace("lr = 0.02", "lr = 0.02\nmomentum = 0.5").replace(
                'optimizer = "adam"', 'optimizer = "momentum"'
            ),
        )
    with pytest.raises(ConfigError, match="one name per variant"):
        spec_with('[variants]\ninit = ["he", "xavier"]\nlabels = ["a"]')
    with pytest.raises(ConfigError, match="mode 'zip' needs lists of equal length"):
        spec_with('[variants]\nmode = "zip"\ninit = ["he", "xavier"]\nlr = [0.1]')


def test_quick_overrides_are_validated():
    with pytest.raises(
        ConfigError, match="train.epochs: must be an integer >= 1 and <= 100000, got 0"
    ):
        spec_with("[quick]\ntrain.epochs = 0")
    with pytest.raises(ConfigError, match="quick.variants.init"):
        spec_with("[quick.variants]\ninit = 'he'")


# -- variants ----------------------------------------------------------------------------------
def test_product_and_zip_variants():
    s = spec_with('[variants]\ninit = ["he", "xavier"]\noptimizer = ["sgd", "adam", "momentum"]')
    combos = s.combos()
    assert len(combos) == 6
    assert combos[0] == {"model.init": "he", "train.optimizer": "sgd"}
    labels = [lab for lab, _ in s.variant_specs()]
    assert labels[0] == "init=he, optimizer=sgd" and len(set(labels)) == 6
    z = spec_with(
        '[variants]\nmode = "zip"\nweight_decay = [0.0, 0.1]\ndropout = [0.2, 0.0]\n'
        'labels = ["drop", "wd"]'
    )
    vs = z.variant_specs()
    assert [lab for lab, _ in vs] == ["drop", "wd"]
    assert vs[1][1].model["weight_decay"] == 0.1 and vs[1][1].model["dropout"] == 0.0


@given(
    st.lists(
        st.sampled_from(["he", "xavier", "std0.01", "sigmoid", "relu"]), min_size=1, max_size=4
    ),
    st.lists(st.floats(1e-4, 1.0), min_size=1, max_size=3),
)
@settings(max_examples=30, deadline=None)
def test_product_size(inits, lrs):
    lr_text = ", ".join(repr(v) for v in lrs)
    init_text = ", ".join(f'"{v}"' for v in inits)
    s = spec_with(f"[variants]\ninit = [{init_text}]\nlr = [{lr_text}]")
    assert len(s.combos()) == len(inits) * len(lrs)
    for _, vs in s.variant_specs():
        assert vs.train["lr"] in lrs and vs.model["init"] in inits and not vs.variants


# -- quick and overrides -------------------------------------------------------------------------
def test_quick_section_and_default_shrink():
    s = spec_with("[quick]\ntrain.epochs = 2\ndata.n = 50")
    q = s.quick_spec()
    assert q.train["epochs"] == 2 and q.data["n"] == 50 and s.train["epochs"] == 30
    big = load_spec(
        BASE.replace('name = "moons"\nn = 200', 'name = "fashion-mnist"').replace(
            "epochs = 30", "iterations = 5000"
        )
    )
    qb = big.quick_spec()
    assert qb.train["iterations"] == 200 and qb.data["train_size"] == 2000


def test_overrides_parse_strings_and_replace_epochs():
    s = spec_with()
    o = s.with_overrides(
        {"lr": "1e-3", "train.iterations": "50", "hidden": "[4, 4]", "batchnorm": "true"}
    )
    assert o.train["lr"] == 1e-3 and o.train["iterations"] == 50 and "epochs" not in o.train
    assert o.model["hidden"] == [4, 4] and o.model["batchnorm"] is True
    with pytest.raises(ConfigError, match="train.lr: must be a number > 0 and <= 1000, got -2"):
        s.with_overrides({"lr": "-2"})
    with pytest.raises(ConfigError, match="^nope: unknown key"):
        s.with_overrides({"nope": 1})
    assert parse_override("activation", "ReLU") == ("model", "activation", "relu")


def test_override_fixes_a_varied_key():
    s = spec_with('[variants]\ninit = ["he", "xavier"]')
    assert len(s.with_overrides({"init": "he"}).combos()) == 1


# -- running -----------------------------------------------------------------------------------
def test_run_spec_learns_moons_and_is_deterministic(tmp_path):
    s = spec_with()
    r1 = run_spec(s, figures=False, out=tmp_path)
    r2 = run_spec(s, figures=False)
    assert r1.metrics["test_acc"] > 0.8
    assert r1.series["tiny/loss"] == r2.series["tiny/loss"]
    assert len(r1.series["tiny/train_acc"]) == 30
    assert (tmp_path / "model-tiny.npz").exists() and (tmp_path / "history-tiny.json").exists()


def test_run_variants_share_data_and_seed():
    s = spec_with('[variants]\nlr = [0.02, 0.02]\nlabels = ["a", "b"]')
    r = run_spec(s, figures=False)
    assert r.series["a/loss"] == r.series["b/loss"]  # identical settings -> identical runs
    assert set(r.metrics["variants"]) == {"a", "b"}


@pytest.mark.parametrize(("logits", "probs"), [("softmax_cce", "cce"), ("bce_logits", "bce")])
def test_losses_on_logits_train_like_their_fused_pairs(logits, probs):
    """Issue 12: ``softmax_cce`` applied softmax twice (and got one output for two classes)."""
    r_logits = run_spec(spec_with(f'[quick]\nmodel.loss = "{logits}"').quick_spec(), figures=False)
    r_probs = run_spec(spec_with(f'[quick]\nmodel.loss = "{probs}"').quick_spec(), figures=False)
    assert r_logits.series["tiny/loss"] == r_probs.series["tiny/loss"]
    assert r_logits.metrics["test_acc"] == r_probs.metrics["test_acc"] > 0.8
    model = r_logits._results[0]["model"]  # noqa: SLF001
    assert model.layers[-1].out_features == (2 if probs == "cce" else 1)


def test_optimizer_compare_uses_todays_dlfs_nesterov():
    """Issue 12: the Nesterov of ``optimizer-compare`` is DLfS's rule since its 2021 fix."""
    spec = load_spec(builtin_files()["optimizer-compare"])
    opt = next(
        build_optimizer(s, 100)[0] for label, s in spec.variant_specs() if label == "Nesterov"
    )
    w, v = np.array([1.0, -2.0]), np.zeros(2)
    p = {"W1": w.copy()}
    for g in ([0.5, 0.25], [-1.0, 2.0], [0.3, 0.3]):  # DLfS's Nesterov.update, as it reads today
        g = np.array(g)
        w += opt.momentum**2 * v - (1 + opt.momentum) * opt.lr * g
        v = opt.momentum * v - opt.lr * g
        opt.update(p, {"W1": g})
    np.testing.assert_allclose(p["W1"], w, rtol=1e-14)


def test_a_float64_run_with_a_huge_lr_is_stopped_by_the_divergence_guard():
    """Issue 12: ``lr = 1e6`` in float64 used to "complete" with a loss of ~1e38.  Since issue
    13 ``lr`` is at most 1000 (1e6 is rejected up front); 1000 diverges the same way."""
    spec = spec_with().with_overrides(
        {"activation": "relu", "optimizer": "sgd", "lr": 1000, "model.dtype": "float64"}
    )
    r = run_spec(spec, figures=False)
    assert r.metrics["stopped"] == "diverged"
    assert "over 10000 times its start" in r.text and "lower the learning rate" in r.text


def test_a_stopped_variant_and_the_data_are_told_in_korean():
    """--lang ko: why a variant stopped (the trainer's English message) and the data line are
    Korean; the English run says what it always said."""
    spec = spec_with().with_overrides(
        {"activation": "relu", "optimizer": "sgd", "lr": 1000, "model.dtype": "float64"}
    )
    ko = run_spec(spec, figures=False, lang="ko")
    assert ko.metrics["stopped"] == "diverged"
    step = ko._results[0]["steps"]  # noqa: SLF001
    assert f"  (단계 {step}에서 발산: " in ko.text and "학습률을 낮추세요" in ko.text
    assert "lower the learning rate" not in ko.text
    assert "데이터: 내장 데이터 moons: 학습 " in ko.text
    en = run_spec(spec, figures=False)
    assert "data: builtin moons: " in en.text and not any("가" <= c <= "힣" for c in en.text)


def test_run_file_with_overrides(tmp_path):
    f = tmp_path / "exp.toml"
    f.write_text(BASE, encoding="utf-8")
    r = run_file(f, quick=False, overrides={"train.epochs": "2"})
    assert r.metrics["steps"] == 2 * math.ceil(160 / 20)
    with pytest.raises(ConfigError, match="does not exist"):
        run_file(tmp_path / "missing.toml")


# -- the legacy RNG: DLfS's scripts, step for step ----------------------------------------------
LEGACY = """
[experiment]
name = "legacy"
seed = 7

[data]
source = "builtin"
name = "moons"
n = 200

[model]
hidden = [6]
activation = "relu"
init = "std0.5"
loss = "cce"

[train]
optimizer = "sgd"
lr = 0.1
batch_size = 16
iterations = 30
sampling = "replace"
eval_on = "end"
rng = "legacy"

[variants]
init = ["std0.5", "he"]
"""


def _dlfs_script(X, y, seed, inits, lr, batch, iters):
    """What a DLfS ch.6 script does, written out with NumPy only: np.random.seed(seed), build
    every network (W = scale * randn, b = 0), then per iteration one np.random.choice batch
    that every network trains on (ReLU, softmax + cross-entropy, plain SGD)."""
    rs = np.random.RandomState(seed)  # np.random.seed(seed)
    nets = []
    for scale in inits:  # scale(n_in) -> the std of a layer's weights
        net = []
        for n_in, n_out in [(X.shape[1], 6), (6, 2)]:
            net.append((scale(n_in) * rs.randn(n_in, n_out), np.zeros(n_out)))
        nets.append(net)
    for _ in range(iters):
        idx = rs.choice(len(X), batch)
        x, t = X[idx], np.eye(2)[y[idx]]
        for net in nets:
            (W1, b1), (W2, b2) = net
            a = x @ W1 + b1
            h = np.maximum(a, 0)
            z = h @ W2 + b2
            p = np.exp(z - z.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            dz = (p - t) / batch
            dh = dz @ W2.T * (a > 0)
            W2 -= lr * h.T @ dz
            b2 -= lr * dz.sum(axis=0)
            W1 -= lr * x.T @ dh
            b1 -= lr * dh.sum(axis=0)
    return nets


def test_legacy_rng_replays_a_dlfs_script():
    """``rng = "legacy"``: one RandomState draws every variant's weights in turn, then the
    batches all variants share, as a DLfS script after np.random.seed(seed)."""
    spec = load_spec(LEGACY)
    r = run_spec(spec, figures=False)
    data = r._data  # noqa: SLF001
    nets = _dlfs_script(data.X, data.y, 7, [lambda n: 0.5, lambda n: np.sqrt(2.0 / n)], 0.1, 16, 30)
    for res, net in zip(r._results, nets):  # noqa: SLF001
        p = res["model"].params
        for i, (W, b) in enumerate(net, start=1):
            np.testing.assert_allclose(p[f"W{i}"], W, rtol=1e-12, atol=1e-14)
            np.testing.assert_allclose(p[f"b{i}"], b, rtol=1e-12, atol=1e-14)
    assert run_spec(spec, figures=False).series == r.series  # reproducible
    default = run_spec(spec.with_overrides({"train.rng": "default"}), figures=False)
    assert default.series["std0.5/loss"] != r.series["std0.5/loss"]


def test_legacy_rng_with_dropout_is_reproducible():
    spec = load_spec(LEGACY).with_overrides({"model.dropout": 0.3})
    assert run_spec(spec, figures=False).series == run_spec(spec, figures=False).series


def test_classic_run_options_rng_legacy_and_bn_dlfs():
    from mlplab.experiments.classic import load_builtin_spec

    s = load_builtin_spec("mnist-two-layer", {"rng": "legacy", "seed": 0})
    assert (s.train["rng"], s.model["dtype"], s.train["eval_on"]) == (
        "legacy",
        "float64",
        "epoch_start",  # DLfS's `if i % iter_per_epoch == 0` after update i
    )
    assert load_builtin_spec("init-compare", {"rng": "legacy"}).train["eval_on"] == "end"
    assert "rng" not in load_builtin_spec("mnist-two-layer", {}).train
    bn = load_builtin_spec("batchnorm-scales", {"bn": "dlfs"}).model
    assert (bn["bn_eps"], bn["bn_running_var"]) == (1e-6, 0.0)


def test_bn_running_var_sets_the_initial_running_variance():
    spec = load_spec(LEGACY).with_overrides(
        {"model.batchnorm": True, "model.bn_eps": 1e-6, "model.bn_running_var": 0.0}
    )
    from mlplab.experiments.runner import build_model, load_data
    from mlplab.layers import BatchNorm

    bn = next(x for x in build_model(spec, load_data(spec)).layers if isinstance(x, BatchNorm))
    assert bn.eps == 1e-6 and np.all(bn.running_var == 0.0)
    with pytest.raises(ConfigError, match="model.bn_running_var"):
        spec.with_overrides({"model.bn_running_var": -1})


def test_a_semicolon_csv_runs_with_the_delimiter_key(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 2))
    rows = [f"{a:.4f};{b:.4f};{int(a > b)}" for a, b in X]
    (tmp_path / "d.csv").write_text("a;b;label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    csv_base = BASE.replace(
        'source = "builtin"\nname = "moons"\nn = 200',
        'source = "csv"\npath = "PATH"\nlabel = "label"',
    )
    text = csv_base.replace("PATH", str(tmp_path / "d.csv")).replace("epochs = 30", "epochs = 2")
    with pytest.raises(DataError, match=r"only 1 column.*set data.delimiter = ';'"):
        run_spec(load_spec(text), figures=False)
    r = run_spec(
        load_spec(text.replace('label = "label"', 'label = "label"\ndelimiter = ";"')),
        figures=False,
    )
    assert r.metrics["steps"] > 0
    with pytest.raises(ConfigError, match="data.delimiter: must be one character"):
        load_spec(text.replace('label = "label"', 'label = "label"\ndelimiter = ";;"'))
    with pytest.raises(ConfigError, match="data.delimiter: only used with source 'csv'"):
        load_spec(BASE.replace("n = 200", 'n = 200\ndelimiter = ";"'))


def _csv_text(tmp_path, csv: str, extra: str = "") -> str:
    (tmp_path / "d.csv").write_text(csv, encoding="utf-8")
    data = f'source = "csv"\npath = "{tmp_path / "d.csv"}"\nlabel = -1\n{extra}'
    text = BASE.replace('source = "builtin"\nname = "moons"\nn = 200', data)
    return text.replace("epochs = 30", "epochs = 20")


def test_a_csv_of_numeric_targets_is_a_regression_with_data_task(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (80, 2))
    rows = "\n".join(f"{a:.4f},{b:.4f},{a * a + b:.4f}" for a, b in X)
    text = _csv_text(tmp_path, "a,b,t\n" + rows + "\n")
    with pytest.raises(DataError, match='non-integer class .*; set data.task = "regression"'):
        run_spec(load_spec(text), figures=False)
    with pytest.raises(ConfigError, match="model.loss: 'cce' needs class labels, but data.task"):
        load_spec(text.replace("label = -1", 'label = -1\ntask = "regression"'))
    reg = text.replace("label = -1", 'label = -1\ntask = "regression"')
    reg = reg.replace("[model]", '[model]\nloss = "mse"')
    r = run_spec(load_spec(reg), figures=False)
    losses = r.series[next(k for k in r.series if "loss" in k)]
    assert losses[-1] < 0.5 * losses[0]  # it learned the targets, not classes
    header = next(ln for ln in r.text.splitlines() if ln.startswith("variant"))
    assert header.split()[1:3] == ["test", "loss"] and "acc" not in header  # no empty acc columns
    figs = run_spec(load_spec(reg.replace("epochs = 20", "epochs = 3")), figures=True).figures
    assert set(figs) == {
        "loss",
        "epoch_loss",
    }  # per-epoch losses where a classification has accuracy
    lines = figs["epoch_loss"].axes[0].get_lines()
    assert [list(ln.get_xdata()) for ln in lines] == [[1, 2, 3]] * 2  # x = the epoch just finished
    with pytest.raises(ConfigError, match=r"data.task: unknown 'regresion'"):
        load_spec(text.replace("label = -1", 'label = -1\ntask = "regresion"'))


def test_data_header_reads_line_1_as_names_or_as_data(tmp_path):
    body = "1,2,0\n3,1,1\n2,2,0\n5,1,1\n0,3,0\n4,4,1\n"
    mixed = _csv_text(tmp_path, "x,2nd,label\n" + body)  # line 1 has a number-like name
    with pytest.raises(
        DataError, match=r"line 1: .*\(if line 1 is a header, set data.header = true\)"
    ):
        run_spec(load_spec(mixed), figures=False)
    r = run_spec(load_spec(mixed.replace("label = -1", "label = -1\nheader = true")), figures=False)
    assert r.metrics["steps"] > 0
    plain = _csv_text(tmp_path, body)
    named = plain.replace("label = -1", 'label = "label"\nheader = false')
    with pytest.raises(ConfigError, match="give data.label a column index or set data.header"):
        run_spec(load_spec(named), figures=False)
    for bad in ("1", '"yes"'):
        with pytest.raises(ConfigError, match=r'data.header: must be true, false or "auto"'):
            load_spec(plain.replace("label = -1", f"label = -1\nheader = {bad}"))
    with pytest.raises(ConfigError, match="data.header"):
        load_spec(BASE.replace("n = 200", "n = 200\nheader = true"))


@pytest.mark.parametrize(
    ("schedule", "keys"),
    [
        ("step", "step_size = 5\ngamma = 0.5"),
        ("exponential", "decay_rate = 0.9\ndecay_steps = 10\nstaircase = true"),
        ("cosine", "min_lr = 0.001"),
        ("inverse_time", "decay = 0.01"),
    ],
)
def test_a_schedule_is_built_from_its_own_arguments_in_train(schedule, keys):
    """[train] keys of a schedule are its constructor's arguments (one home: mlplab.schedules);
    cosine runs over the whole training."""
    from mlplab.schedules import get_schedule

    spec = load_spec(BASE.replace("lr = 0.02", f"lr = 0.02\nschedule = '{schedule}'\n{keys}"))
    _, sched, total = build_optimizer(spec, 100)
    args = dict(line.split(" = ") for line in keys.splitlines())
    args = {k: True if v == "true" else float(v) if "." in v else int(v) for k, v in args.items()}
    if schedule == "cosine":
        args["total_steps"] = total
    expected = get_schedule(schedule, lr=0.02, **args)
    assert [sched(t) for t in range(0, 60, 7)] == [expected(t) for t in range(0, 60, 7)]
    if schedule == "exponential":
        with pytest.raises(ConfigError, match="^train.decay_steps: required for schedule"):
            load_spec(
                BASE.replace("lr = 0.02", "lr = 0.02\nschedule = 'exponential'\ndecay_rate = 0.9")
            )


def test_override_errors_name_the_key_like_file_errors():
    with pytest.raises(ConfigError, match=r"^train\.lrr: unknown key; allowed: optimizer"):
        spec_with().with_overrides({"train.lrr": "0.1"})
    with pytest.raises(ConfigError, match=r"^train\.lrr: unknown key; allowed: optimizer"):
        load_spec(BASE.replace("lr = 0.02", "lrr = 0.02"))
    with pytest.raises(ConfigError, match=r"^trian\.lr: unknown section 'trian'"):
        spec_with().with_overrides({"trian.lr": "0.1"})
    with pytest.raises(ConfigError, match=r"^train\.lr: must be a number > 0 and <= 1000"):
        spec_with().with_overrides({"train.lr": "nan"})


def _patched(**lines):
    """BASE with ``key = value`` lines replaced (``hidden="[1]"``) or added to a section."""
    text = BASE
    for key, value in lines.items():
        if key.startswith("variants"):
            text += f"\n[variants]\n{value}\n"
            continue
        old = next((ln for ln in text.splitlines() if ln.startswith(f"{key} =")), None)
        if old is None:
            text = text.replace("[data]\n", f"[data]\n{key} = {value}\n")
        else:
            text = text.replace(old, f"{key} = {value}")
    return text


@pytest.mark.parametrize(
    "lines, fragment",
    [
        (
            {"hidden": "[10000000]"},
            "model.hidden: 2-10000000-... needs at least 40,000,001 parameters, more than the limit params=20,000,000 (raise it with --limit params=N)",
        ),
        (
            {"hidden": "[100000, 100000]"},
            "model.hidden: 2-100000-100000-... needs at least 10,000,",
        ),
        ({"n": "1000000000000"}, "data.n: must be an integer >= 1 and <= 100000000"),
        (
            {"n": "50000000"},
            "data.n: the data set holds 100,000,000 numbers (rows × columns), more than the limit data=20,000,000 (raise it with --limit data=N)",
        ),
        (
            {
                "variants": "lr = [0.01, 0.02]\nepochs = [1, 2]\nbatch_size = "
                + str(list(range(1, 501)))
            },
            "variants: the lists give 2,000 combinations, more than the limit variants=1,000",
        ),
        (
            {"variants": "hidden = [[8], [10000000]]"},
            "model.hidden: 2-10000000-... needs at least 40,000,001 parameters",
        ),
    ],
)
def test_sizes_over_the_limits_are_rejected_before_anything_is_allocated(lines, fragment):
    text = _patched(**lines)
    with pytest.raises(ConfigError) as info:
        load_spec(text)
    msg = str(info.value)
    assert fragment in msg, msg
    assert "\n" not in msg


def test_limits_are_named_and_can_be_raised():
    from mlplab.experiments.spec import Limits, parse_limits

    with pytest.raises(ConfigError, match=r"--limit params=N\)$"):
        load_spec(_patched(hidden="[10000000]"))
    lim = parse_limits(["params=1e11"])
    assert lim.params == 10**11 and lim.variants == Limits().variants
    s = load_spec(_patched(hidden="[10000000]"), limits=lim)
    assert s.model["hidden"] == [10000000]  # validated, nothing allocated
    for bad in (["params"], ["speed=3"], ["params=-1"], ["params=1.5"], ["params=abc"]):
        with pytest.raises(ConfigError, match="--limit"):
            parse_limits(bad)


def test_a_huge_variant_product_is_rejected_quickly():
    import time

    extra = "lr = " + str([0.001 * (i + 1) for i in range(100)])
    extra += "\nbatch_size = " + str(list(range(1, 51))) + "\nepochs = " + str(list(range(1, 101)))
    t0 = time.perf_counter()
    with pytest.raises(ConfigError, match=r"^variants: the lists give 500,000 combinations, more"):
        load_spec(_patched(variants=extra))
    assert time.perf_counter() - t0 < 5  # was still validating after 60 s


def test_data_options_must_apply_to_the_data_set():
    with pytest.raises(
        ConfigError, match=r"data\.n: not an option of data set 'spiral' \(options: noise\)"
    ):
        load_spec(BASE.replace('name = "moons"', 'name = "spiral"'))
    with pytest.raises(
        ConfigError, match=r"data\.noise: not an option of data set 'fashion-mnist'"
    ):
        load_spec(BASE.replace('name = "moons"\nn = 200', 'name = "fashion-mnist"\nnoise = 0.1'))


def test_non_utf8_and_odd_experiment_files_are_one_line(tmp_path):
    f = tmp_path / "latin1.toml"
    f.write_bytes(BASE.replace('"tiny"', '"caf\xe9"').encode("latin-1"))
    with pytest.raises(ConfigError, match=r"latin1\.toml: line 3: not UTF-8 text \(byte 0xe9\)"):
        load_spec(f)
    with pytest.raises(ConfigError, match="does not exist"):
        load_spec(tmp_path)
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 50000 + "]" * 50000)
    with pytest.raises(ConfigError, match="deep.toml: invalid TOML"):
        load_spec(deep)


def test_slug_keeps_run_folders_inside():
    from mlplab.experiments.spec import slug

    assert slug("../../../x") == "x"
    assert slug("/abs/path") == "abs-path"
    assert slug("a/b") == "a-b"
    assert slug("..") == "run" and slug("") == "run" and slug(".hidden") == "hidden"
    assert slug("초기화 비교") == "초기화-비교"
    assert len(slug("x" * 500)) == 80


def test_names_with_control_characters_stay_on_one_line():
    """Found by the fuzz test: a section or key named "a\\nb" printed a two-line error."""
    for text in (
        '["a\\nb"]\nx = 1\n',
        BASE + '"l\\nr" = 1\n',
        BASE.replace("lr = 0.02", '"l\\nr" = 1'),
    ):
        with pytest.raises(ConfigError) as info:
            load_spec(text)
        assert "\n" not in str(info.value) and "\\n" in str(info.value), str(info.value)
    with pytest.raises(ConfigError) as info:
        spec_with().with_overrides({"train.l\nr": "1"})
    assert "\n" not in str(info.value)
