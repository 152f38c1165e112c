"""Figures: content checks (artists, labels, sizes, non-blank PNGs), not pixels."""

from __future__ import annotations

import subprocess
import sys
import threading
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.image import imread

from mlplab import viz
from mlplab.errors import ConfigError, ShapeError
from mlplab.functions import ACTIVATION_NAMES
from mlplab.viz import fonts
from mlplab.viz.curves import smooth_curve


def png_ok(path, fig):
    img = imread(path)
    w, h = fig.get_size_inches() * fig.dpi
    assert img.shape[:2] == (round(h), round(w))
    assert img[..., :3].std() > 0.02  # not blank
    return img


# ------------------------------------------------------------------ smooth_curve


def hand_smooth(x):
    """DLfS smooth_curve written out: 11-tap Kaiser(β=2) average with DLfS's edge padding."""
    w = np.kaiser(11, 2)
    w = w / w.sum()
    n = len(x)

    def ext(i):  # DLfS pads x[10..1] on the left and x[-1..-10] on the right
        if i < 0:
            return x[-i]
        if i >= n:
            return x[n - 1 - (i - n)]
        return x[i]

    return np.array([sum(w[k] * ext(i + k - 5) for k in range(11)) for i in range(n)])


def test_smooth_curve_equals_hand_computation():
    x = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0, 8.0, 9.0, 7.0])
    np.testing.assert_allclose(smooth_curve(x), hand_smooth(x), rtol=0, atol=1e-12)
    assert smooth_curve(list(x)).shape == x.shape


@settings(max_examples=25, deadline=None)
@given(n=st.integers(11, 60), c=st.floats(-1e3, 1e3))
def test_smooth_curve_keeps_constants_and_length(n, c):
    y = smooth_curve(np.full(n, c))
    assert y.shape == (n,)
    np.testing.assert_allclose(y, c, rtol=1e-12, atol=1e-9)


def test_smooth_curve_short_series_unchanged():
    np.testing.assert_array_equal(smooth_curve([1, 2, 3]), [1.0, 2.0, 3.0])


# ------------------------------------------------------------------ curves


def test_plot_curves_png_and_labels(tmp_path):
    rng = np.random.default_rng(0)
    series = {"train": rng.random(120), "test": rng.random(80)}
    fig = viz.plot_curves(series, smooth=True, markers=True, ylim=(0, 2.5), save=tmp_path / "c.png")
    ax = fig.axes[0]
    assert [ln.get_label() for ln in ax.lines] == ["train", "test"]
    assert len(ax.lines[1].get_xdata()) == 80
    np.testing.assert_allclose(ax.lines[0].get_ydata(), smooth_curve(series["train"]))
    assert ax.get_ylim() == (0, 2.5)
    assert ax.get_xlabel() == "iteration" and ax.get_ylabel() == "loss"
    png_ok(tmp_path / "c.png", fig)


def test_plot_curves_svg_save(tmp_path):
    viz.plot_curves({"a": [1, 2, 3]}, save=tmp_path / "c.svg")
    assert (tmp_path / "c.svg").read_text().lstrip().startswith("<?xml")
    with pytest.raises(ConfigError):
        viz.plot_curves({"a": [1, 2, 3]}, save=tmp_path / "c.jpg")


def test_plot_history_from_real_fit():
    from mlplab import MLP

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] > 0).astype(int)[:, None]
    model = MLP([2, 3, 1], loss="bce", seed=0).compile(optimizer="sgd", lr=0.1)
    hist = model.fit(X, y, batch_size=10, epochs=3, validation_data=(X, y), seed=0)
    fig = viz.plot_history(hist)
    assert [a.get_ylabel() for a in fig.axes] == ["loss", "accuracy"]
    assert [ln.get_label() for ln in fig.axes[0].lines] == ["train", "validation"]
    assert len(fig.axes[0].lines[0].get_xdata()) == 3
    fig2 = viz.plot_history(hist, metrics="loss", per="step")
    assert len(fig2.axes[0].lines[0].get_xdata()) == 12  # 4 steps per epoch
    with pytest.raises(ConfigError):
        viz.plot_history({"loss": [1.0]}, metrics=("f1",))


def test_plot_grid_curves_bn_layout():
    grid = {
        f"W:{w:.3g}": {"Batch Normalization": np.linspace(0, 1, 20), "Normal": np.ones(20) * 0.1}
        for w in np.logspace(0, -4, 16)
    }
    fig = viz.plot_grid_curves(grid)
    assert len(fig.axes) == 16
    assert fig.axes[0].get_title() == "W:1"
    assert [ln.get_linestyle() for ln in fig.axes[5].lines] == ["-", "--"]
    assert fig.axes[-1].get_legend() is not None and fig.axes[0].get_legend() is None
    assert fig.axes[4].get_ylabel() == "accuracy" and fig.axes[5].get_ylabel() == ""


# ------------------------------------------------------------------ boundary


def moons():
    rng = np.random.default_rng(317)
    X = rng.random((60, 2)) * 4 - 2
    y = (X[:, 1] + 1 > X[:, 0] ** 2).astype(int)
    return X, y


def test_decision_boundary_classes(tmp_path):
    X, y = moons()

    def predict(P):  # P(class 1) from the true rule: a perfect classifier
        return (P[:, 1] + 1 > P[:, 0] ** 2).astype(float)

    fig = viz.plot_decision_boundary(
        predict, X, y, X[:10], y[:10], highlight=[3], grid=60, save=tmp_path / "b.png"
    )
    ax = fig.axes[0]
    scat = [c for c in ax.collections if hasattr(c, "get_offsets") and len(c.get_offsets())]
    train, test, hl = scat[-3], scat[-2], scat[-1]
    colors = train.get_facecolors()[:, :3]
    blue, yellow = np.array([0, 0, 1.0]), np.array([1.0, 1.0, 0])
    np.testing.assert_allclose(colors[y == 0], np.tile(blue, ((y == 0).sum(), 1)))
    np.testing.assert_allclose(colors[y == 1], np.tile(yellow, ((y == 1).sum(), 1)))
    assert len(test.get_offsets()) == 10
    np.testing.assert_allclose(hl.get_offsets(), X[[3]])
    assert ax.get_title() == "Decision Boundary"
    png_ok(tmp_path / "b.png", fig)


def test_decision_boundary_proba_and_pair():
    X, y = moons()

    def proba(P):
        p = 1 / (1 + np.exp(-(P[:, 1] + 1 - P[:, 0] ** 2)))
        return np.c_[1 - p, p]

    fig = viz.plot_decision_boundary(proba, X, y, mode="proba", grid=40)
    assert len(fig.axes) == 2  # plot + colorbar
    pair = viz.plot_boundary_pair(proba, proba, X, y, highlight=[0, 5], grid=30)
    assert [a.get_title() for a in pair.axes] == ["Before Update", "After Update"]
    with pytest.raises(ShapeError):
        viz.plot_decision_boundary(lambda P: np.zeros((3, 3)), X, y, grid=10)
    with pytest.raises(ConfigError):
        viz.plot_decision_boundary(proba, X, y, mode="odds")


# ------------------------------------------------------------------ histograms


def test_unit_histograms_like_notebook(tmp_path):
    rng = np.random.default_rng(0)
    fig = viz.plot_unit_histograms(
        {f"z{i}": rng.random(100) for i in (1, 2, 3)}, save=tmp_path / "h.png"
    )
    assert len(fig.axes) == 3
    assert all(len(a.patches) == 20 for a in fig.axes)
    assert fig.axes[1].get_title() == "Histogram of z2"
    assert fig.axes[0].get_ylabel() == "frequency"
    png_ok(tmp_path / "h.png", fig)


def test_layer_histograms_dlfs():
    rng = np.random.default_rng(0)
    acts = [rng.random((50, 10)) for _ in range(5)]
    fig = viz.plot_layer_histograms(acts)
    assert [a.get_title() for a in fig.axes] == [f"{i}-layer" for i in range(1, 6)]
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert len(heights) == 30 and sum(heights) == 500
    assert fig.axes[0].patches[0].get_x() == pytest.approx(0.0)
    rows = viz.plot_layer_histogram_rows({"std=1": acts, "He": acts[:3]})
    assert len(rows.axes) == 8
    assert rows.axes[5].get_ylabel() == "He"


# ------------------------------------------------------------------ gallery, gd, multiclass


def test_activation_gallery_all_functions():
    fig = viz.plot_activation_gallery()
    assert len(fig.axes) == len(ACTIVATION_NAMES)
    titles = [a.get_title() for a in fig.axes]
    assert "sigmoid" in titles and "leaky_relu (alpha=0.01)" in titles
    sig = fig.axes[titles.index("sigmoid")]
    f_line, d_line = sig.lines[-2], sig.lines[-1]
    assert max(d_line.get_ydata()) == pytest.approx(0.25, abs=1e-3)
    assert f_line.get_ydata()[200] == pytest.approx(0.5)
    relu = fig.axes[titles.index("relu")]
    assert set(np.unique(relu.lines[-1].get_ydata())) == {0.0, 1.0}


def test_gd_plots(tmp_path):
    fig = viz.plot_gd_1d(lambda x: x**2, {0.1: [3, 2.4, 1.92], 0.9: [1, -0.8, 0.64]})
    labels = [ln.get_label() for ln in fig.axes[0].lines]
    assert "lr=0.1" in labels and "lr=0.9" in labels
    f = lambda P: P[:, 0] ** 2 / 20 + P[:, 1] ** 2  # noqa: E731
    paths = {n: np.c_[np.linspace(-7, 0, 5), np.linspace(2, 0, 5)] for n in ("SGD", "Adam")}
    grid = viz.plot_optimizer_paths(f, paths)
    assert [a.get_title() for a in grid.axes] == ["SGD", "Adam"]
    np.testing.assert_allclose(grid.axes[1].lines[-1].get_xydata(), paths["Adam"])
    one = viz.plot_optimizer_paths(f, paths, layout="single")
    assert len(one.axes) == 1
    q = viz.plot_quiver(lambda P: 2 * P, n=5, f=lambda P: (P**2).sum(1))
    assert q.axes[0].get_title().startswith("−∇f")
    with pytest.raises(ShapeError):
        viz.plot_quiver(lambda P: P[:, 0], n=5)
    s = viz.plot_surface_3d(
        lambda P: (P**2).sum(1), n=15, path=[[1, 1], [0, 0]], save=tmp_path / "s.png"
    )
    png_ok(tmp_path / "s.png", s)


def test_confusion_matrix_counts_and_plot():
    yt = np.array([0, 0, 1, 1, 2, 2, 2])
    yp = np.array([0, 1, 1, 1, 2, 0, 2])
    m = viz.confusion_matrix(yt, yp)
    np.testing.assert_array_equal(m, [[1, 1, 0], [0, 2, 0], [1, 0, 2]])
    fig = viz.plot_confusion_matrix(yt, np.eye(3)[yp], class_names=["a", "b", "c"], normalize=True)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts[:3] == ["0.50", "0.50", "0.00"] and texts[-1] == "0.67"
    with pytest.raises(ShapeError):
        viz.plot_confusion_matrix(yt, yp, class_names=["a", "b"])


def test_image_grid_and_first_layer_weights(tmp_path):
    rng = np.random.default_rng(0)
    imgs = rng.random((12, 784))
    labels = np.arange(12) % 10
    preds = labels.copy()
    preds[3] = 7
    fig = viz.plot_image_grid(imgs, labels, preds, ncols=5, save=tmp_path / "g.png")
    assert len(fig.axes) == 12
    assert fig.axes[3].get_title() == "7/3" and fig.axes[3].title.get_color() == "red"
    assert fig.axes[0].images[0].get_array().shape == (28, 28)
    png_ok(tmp_path / "g.png", fig)
    W = rng.normal(size=(784, 6))
    wf = viz.plot_first_layer_weights(W, ncols=3)
    assert len(wf.axes) == 6
    np.testing.assert_allclose(wf.axes[2].images[0].get_array(), W[:, 2].reshape(28, 28))
    with pytest.raises(ShapeError):
        viz.plot_image_grid(rng.random((2, 10)))


# ------------------------------------------------------------------ fonts, laziness, threads


def test_text_table():
    assert fonts.text("loss", "en") == "loss"
    assert fonts.text("loss", "ko") == "손실"
    assert fonts.text("layer", "en", 3) == "3-layer"
    assert fonts.text("no such key", "ko") == "no such key"
    with pytest.raises(ConfigError):
        fonts.text("loss", "fr")


def test_korean_labels_render_without_warnings(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = viz.plot_curves(
            {"학습": [3, 2, 1], "테스트": [3, 2.5, 2]}, lang="ko", save=tmp_path / "ko.png"
        )
    ax = fig.axes[0]
    assert ax.get_xlabel() == "반복" and ax.get_ylabel() == "손실"
    assert fonts.hangul_family() in ax.xaxis.label.get_fontfamily()
    png_ok(tmp_path / "ko.png", fig)


def test_hangul_from_the_pip_package_alone(monkeypatch, tmp_path):
    """A fresh pip install on any OS (no apt fonts): the bundled NanumGothic draws Hangul."""
    monkeypatch.setattr(fonts, "HANGUL_FAMILIES", ())  # pretend no system font is known
    monkeypatch.setattr(fonts, "HANGUL_FILES", ())
    fonts.hangul_family.cache_clear()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert fonts.resolve_lang("ko") == "ko"
            fig = viz.plot_curves({"학습": [3, 2, 1]}, lang="ko", save=tmp_path / "ko.png")
        assert fig.axes[0].get_ylabel() == "손실"
        assert "NanumGothic" in fig.axes[0].yaxis.label.get_fontfamily()
        path = fonts.bundled_font_path()
        assert path is not None and path.name == "NanumGothic.ttf"
        assert "Open Font License" in fonts.FONT_LICENSE
    finally:
        fonts.hangul_family.cache_clear()


def test_missing_hangul_font_is_an_error_not_english(monkeypatch):
    monkeypatch.setattr(fonts, "hangul_family", lambda: None)
    with pytest.raises(fonts.FontError, match="Korean"):
        fonts.resolve_lang("ko")
    with pytest.raises(fonts.FontError):
        viz.plot_curves({"train": [1, 2]}, lang="ko")
    assert fonts.resolve_lang("en") == "en"


def test_import_mlplab_does_not_import_matplotlib():
    code = (
        "import sys, mlplab, mlplab.viz, mlplab.viz.report, mlplab.viz.network\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'\n"
        "mlplab.viz.plot_curves({'a': [1.0, 2.0]})\n"
        "assert 'matplotlib' in sys.modules\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr


def test_figures_from_threads():
    errors, figs = [], {}

    def work(lang):
        try:
            figs[lang] = viz.plot_curves({"train": np.arange(30.0)}, lang=lang)
            figs[lang].canvas.draw()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(lang,)) for lang in ("en", "ko")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert figs["en"].axes[0].get_xlabel() == "iteration"


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_a_laid_out_figure_is_drawn_once_per_file(tmp_path, fmt):
    # finish() lays the figure out; saving must not draw it twice (tight_layout used to leave a
    # placeholder layout engine behind, and savefig draws a figure with an engine twice)
    fig = viz.plot_curves({"train": [0.7, 0.6, 0.5]}, title="loss")
    draws = []
    fig.canvas.mpl_connect("draw_event", lambda event: draws.append(event))
    fig.savefig(tmp_path / f"curves.{fmt}", format=fmt)
    assert len(draws) == 1
