"""The Python export: a script that recreates a playground setup with mlplab.

Its module-level names ``x_train``, ``t_train``, ``x_test``, ``t_test``, ``model``,
``initial``, ``opt`` and ``epoch_state`` are the session's inputs, targets, network (with the
page's initial weights), optimizer and :class:`~mlplab.playground.epoch.EpochState`;
``run_epoch(epoch)`` trains one epoch exactly as the page does, by calling the page's own
:func:`mlplab.playground.epoch.train_epoch` (no copy of it), so running the script gives the
page's weights epoch for epoch.  The training loop runs only under ``__main__``.
"""

from __future__ import annotations

from mlplab.playground.data import DATASET_KEY, NUM_CLASSIFY

#: Most numbers of an uploaded data set that the Python export writes out as literals.
SNIPPET_MAX_NUMBERS = 60_000


def python_snippet(s) -> str:
    """Python code that recreates session ``s`` (data, model, optimizer, the page's epoch).

    The script carries both seeds of the page: ``data_seed`` (the state's ``seed``) gives the
    same points in the same train/test order, and ``init_seed`` (``initSeed``) the same initial
    weights through the seed the session derives from it,
    ``default_rng([init_seed, 11]).integers(2**31)``; fixed starting weights (a preset, a
    lesson or an imported model) are written out, and so are the rows of an uploaded CSV (up
    to :data:`SNIPPET_MAX_NUMBERS` numbers; a larger upload leaves a placeholder) with the
    standardization of its columns.
    """
    st = s.state
    if st["initZero"]:
        init = 'init="zeros", bias_init=0.0'
    elif st["init"] == "tf":
        init = 'init="uniform", init_kw={"a": -0.5, "b": 0.5}, bias_init=0.1'
    else:
        init = f'init="{st["init"]}", bias_init=0.0'
    problem = st["problem"]
    name = st[DATASET_KEY[problem]]
    perm = "order = np.random.default_rng([data_seed, 7]).permutation(len(X))\n"
    upload = name == "upload"
    if upload:
        data = _upload_rows(s) + perm
    elif problem == "multiclass" and name == "spiral":
        k = st["numClasses"]
        data = (
            "from mlplab.data.datasets import spiral\n"
            f"X, y = spiral({max(NUM_CLASSIFY // k, 10)}, {k}, {st['noise'] / 100.0!r},"
            " data_seed)\n" + perm
        )
    elif problem == "multiclass":
        data = f'from mlplab.data.datasets import gates\nX, y = gates("{name}")\n' + perm
    elif name == "quadratic":
        data = (
            "from mlplab.playground.data import quadratic_data\n"
            "X, y = quadratic_data(data_seed or 317)\n"
            "order = np.arange(len(X))  # the notebook's own train/test halves\n"
        )
    else:
        data = (
            "from mlplab.data.playground import generate\n"
            f'X, y = generate("{name}", noise={st["noise"]}, seed=data_seed)\n' + perm
        )
    if s.X_train is s.X_test:  # at most 8 rows: train and test on all (make_data)
        split = "k = len(X)\ntrain = test = slice(None)  # a truth table: train and test on all\n"
    else:
        split = (
            f"k = max(1, min(len(X) - 1, len(X) * {st['percTrainData']} // 100))\n"
            "train, test = slice(None, k), slice(k, None)\n"
        )
    if problem == "multiclass":
        target = f"np.eye({s.classes})[np.asarray(y, dtype=np.int64)]"
    elif s.loss_name == "bce":
        target = "(y > 0).astype(float)[:, None]"
    else:
        target = "y[:, None].astype(float)"
    if upload:
        scaled = ""
        if st["standardize"]:
            mean, std = (v.tolist() for v in s.upload["scale"])
            scaled = (
                "# standardized inputs (the page's default for uploads): (column - mean) / std\n"
                f"mean, std = np.array({mean!r}), np.array({std!r})\n"
                "X_in, E_in = standardize(X, mean[:2], std[:2]), standardize(E, mean[2:], std[2:])\n"
            )
        else:
            scaled = "X_in, E_in = X, E  # the columns as uploaded (not standardized)\n"
        inputs = (
            "X, y, E = X[order], y[order], E[order]\n"
            + split
            + scaled
            + f"features = {st['features']!r}\n"
            "x_train = np.hstack([feature_matrix(X_in[train], features), E_in[train]])\n"
            "x_test = np.hstack([feature_matrix(X_in[test], features), E_in[test]])\n"
        )
    else:
        inputs = (
            "X, y = X[order], y[order]\n" + split + f"features = {st['features']!r}\n"
            "x_train, x_test = feature_matrix(X[train], features), "
            "feature_matrix(X[test], features)\n"
        )
    fixed = ""
    if s.fixed_params is not None:  # exact float reprs: the same starting weights
        values = {k: v.tolist() for k, v in s.initial.items()}
        fixed = (
            "# the page's fixed starting weights (a preset, a lesson or an imported model)\n"
            f"for name, value in {values!r}.items():\n"
            "    model.params[name][...] = value\n"
        )
    lr, spec = st["learningRate"], s.schedule_spec()
    schedule = "None" if spec is None else f"schedules.{spec[0]}{spec[1]!r}"
    reg, lam = st["regularization"], st["regularizationRate"]
    epochs = st["maxEpochs"] or 1000
    target_loss = st["targetLoss"] or None
    std_import = "from mlplab.playground.data import standardize\n" if upload else ""
    return f'''"""Recreates a mlplab playground setup (epoch {s.epoch}).

Run it to train as the page does; run it under another name (``runpy.run_path(path)``) to
get the setup only: the data, ``model`` with the page's initial weights (also kept in
``initial``) and ``run_epoch``.
"""
import numpy as np

from mlplab import optim, schedules
from mlplab.data.playground import features as feature_matrix
from mlplab.model import MLP
from mlplab.playground.epoch import EpochState, train_epoch
{std_import}
data_seed = {st["seed"]}  # the page's seed (Regenerate draws a new one)
init_seed = {st["initSeed"]}  # the page's initSeed (a reset with new weights draws a new one)

{data}{inputs}t = {target}
t_train, t_test = t[train], t[test]

model = MLP({s.sizes()!r}, activation="{st["activation"]}", output="{s.output_name}",
            loss="{s.loss_name}", {init},
            batchnorm={st["batchNorm"]}, dropout={st["dropout"]},
            seed=int(np.random.default_rng([init_seed, 11]).integers(2**31)))
{fixed}initial = {{k: v.copy() for k, v in model.params.items()}}
opt = optim.get_optimizer("{st["optimizer"]}", lr={lr!r})
schedule = {schedule}  # learning rate per epoch
regularization, lam = {reg!r}, {lam!r}  # on the weights, after each optimizer step
batch = {st["batchSize"]}
epoch_state = EpochState.for_params(model.params)  # carried partial batch, L1-dead weights


def run_epoch(epoch):
    """Epoch number ``epoch`` (from 0) as the page runs it: TF Playground's epoch
    (mlplab.playground.epoch.train_epoch) at the epoch's learning rate."""
    opt.lr = schedule(epoch) if schedule is not None else {lr!r}
    train_epoch(model, opt, x_train, t_train, batch, epoch_state, regularization, lam)


if __name__ == "__main__":
    target_loss = {target_loss!r}
    for epoch in range({epochs}):
        with np.errstate(all="ignore"):
            run_epoch(epoch)
        loss_train, loss_test = model.loss(x_train, t_train), model.loss(x_test, t_test)
        if epoch % 100 == 0 or epoch == {epochs} - 1:
            print(f"epoch {{epoch + 1}}: train loss {{loss_train:.4f}}, test loss {{loss_test:.4f}}")
        if not np.isfinite(loss_train) or (target_loss and loss_train <= target_loss):
            break
    model.save("playground_model.npz")
'''


def _upload_rows(s) -> str:
    """The uploaded rows (before the shuffle) as literals, or a placeholder if too many."""
    X, y, E = s.upload["X"], s.upload["y"], s.upload["E"]  # the file's order
    if X.size + y.size + E.size > SNIPPET_MAX_NUMBERS:
        return (
            f"# your uploaded CSV ({len(X)} rows) is too large to write out here: load it\n"
            "# with mlplab.data.load_csv; X (N, 2) = the plotted columns, E (N, m) = the other\n"
            "# input columns, y (N,) = the labels\n"
            "X, E, y = ...\n"
        )
    return (
        "# the uploaded CSV: X = the plotted columns, E = the other inputs, y = the labels\n"
        f"X = np.array({X.tolist()!r}).reshape({X.shape[0]}, {X.shape[1]})\n"
        f"E = np.array({E.tolist()!r}).reshape({E.shape[0]}, {E.shape[1]})\n"
        f"y = np.array({y.tolist()!r})\n"
    )
