"""Slides 003: a 4-8-8-3 ReLU/softmax model written the Keras way, trained as batch GD, SGD and
mini-batch GD.

    model = Sequential([Dense(8, input_dim=4, init="uniform", activation="relu"),
                        Dense(8, activation="relu"),
                        Dense(3, activation="softmax")])
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["acc"])
    model.fit(X_train, y_train, batch_size=len(X_train))   # batch gradient descent
    model.fit(X_train, y_train, batch_size=1)              # stochastic gradient descent
    model.fit(X_train, y_train, batch_size=32)             # mini-batch gradient descent
"""

from __future__ import annotations

import time

import numpy as np

from .. import i18n
from ..data.datasets import blobs4
from ..data.utils import one_hot, train_test_split
from ..layers import Dense
from ..model import Sequential
from .registry import Option, RunResult, register

KERAS_CODE = """\
model = Sequential([Dense(8, input_dim=4, init="uniform", activation="relu"),
                    Dense(8, activation="relu"),
                    Dense(3, activation="softmax")])
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["acc"])
model.fit(X_train, y_train, batch_size=BATCH, epochs=EPOCHS)"""


def build_448(seed=0, init="uniform"):
    """The slides' 4-8-8-3 model (Keras 1 ``init='uniform'`` = U(−0.05, 0.05))."""
    kw = {"a": -0.05, "b": 0.05} if init == "uniform" else {}
    return Sequential(
        [
            Dense(8, input_dim=4, init=init, init_kw=kw, activation="relu"),
            Dense(8, activation="relu", init=init, init_kw=kw),
            Dense(3, activation="softmax", init=init, init_kw=kw),
        ],
        seed=seed,
    )


@register(
    "keras-448",
    summary="seed 003: Keras-style 4-8-8-3 ReLU/softmax model — batch GD vs SGD vs mini-batch (32)",
    seed="003",
    options=[
        Option("epochs", int, 50, "epochs for each of the three runs"),
        Option(
            "lr",
            float,
            0.01,
            "Adam learning rate (Keras default 0.001; 0.01 so that 50 epochs suffice)",
        ),
        Option("init", str, "uniform", "initializer of the Dense layers"),
    ],
)
def keras_448(opts):
    seed = 0 if opts["seed"] is None else opts["seed"]
    X, y = blobs4(150, seed=seed)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, seed=seed)
    Ttr, Tte = one_hot(ytr, 3), one_hot(yte, 3)
    epochs = 5 if opts["quick"] else int(opts["epochs"])
    lines = [KERAS_CODE, ""]
    metrics, series = {"runs": {}}, {}
    model = build_448(seed, opts["init"])
    lang = opts.get("lang", "en")
    lines.append(model.summary(lang))
    lines.append("")
    for label, bs in (("batch GD", len(Xtr)), ("SGD", 1), ("mini-batch", 32)):
        model = build_448(seed, opts["init"])
        model.compile(
            loss="categorical_crossentropy", optimizer="adam", metrics=["acc"], lr=opts["lr"]
        )
        t0 = time.perf_counter()
        hist = model.fit(
            Xtr, Ttr, batch_size=bs, epochs=epochs, validation_data=(Xte, Tte), seed=seed
        )
        dt = time.perf_counter() - t0
        h = hist.history
        steps = epochs * int(np.ceil(len(Xtr) / bs))
        loss, acc = model.evaluate(Xte, Tte)
        lines.append(
            f"{label:<11} batch_size={bs:<4} updates={steps:<6} "
            + i18n.t(
                "keras.result",
                lang,
                loss=f"{h['loss'][-1]:.4f}",
                acc=f"{h['acc'][-1]:.3f}",
                test_loss=f"{loss:.4f}",
                test_acc=f"{acc:.3f}",
                s=f"{dt:.2f}",
            )  # fmt: skip
        )
        metrics["runs"][label] = {
            "batch_size": bs, "updates": steps, "train_loss": float(h["loss"][-1]),
            "train_acc": float(h["acc"][-1]), "test_loss": float(loss), "test_acc": float(acc),
            "seconds": dt,
        }  # fmt: skip
        series[f"{label} loss"] = [float(v) for v in h["loss"]]
        series[f"{label} val_loss"] = [float(v) for v in h["val_loss"]]
    figs, captions = {}, {}
    if opts.get("figures", True):
        from ..viz import plot_curves

        figs["loss_by_batch_size"] = plot_curves(series, title=i18n.t("keras.fig_title", lang),
                                                 xlabel="epoch", ylabel="loss",
                                                 lang=lang)  # fmt: skip
        captions["loss_by_batch_size"] = i18n.t("fig.keras_448", lang)
    notes = [i18n.t("keras.updates", lang)]
    return RunResult("keras-448", "\n".join(lines), metrics, dict(opts), figs, notes, series,
                     captions=captions, lang=lang)  # fmt: skip
