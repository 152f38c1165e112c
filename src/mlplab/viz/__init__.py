"""Figures and run reports (matplotlib, headless and thread-safe).

Every plotting function builds a :class:`matplotlib.figure.Figure` directly (no ``pyplot``
state), returns it, takes ``lang="en"|"ko"`` for labels and ``save=path`` (.png/.svg/.pdf).
Names are loaded lazily, so ``import mlplab.viz`` (and ``import mlplab``) does not import
matplotlib until a figure is drawn.

=========================  =====================================================================
module                     functions
=========================  =====================================================================
``viz.curves``             :func:`smooth_curve`, :func:`plot_history`, :func:`plot_curves`,
                           :func:`plot_grid_curves`
``viz.boundary``           :func:`plot_decision_boundary`, :func:`plot_boundary_pair`
``viz.hist``               :func:`plot_unit_histograms`, :func:`plot_layer_histograms`,
                           :func:`plot_layer_histogram_rows`
``viz.gallery``            :func:`plot_activation_gallery`
``viz.gd``                 :func:`plot_gd_1d`, :func:`plot_quiver`, :func:`plot_surface_3d`,
                           :func:`plot_optimizer_paths`
``viz.multiclass``         :func:`plot_confusion_matrix`, :func:`plot_image_grid`,
                           :func:`plot_first_layer_weights`, :func:`confusion_matrix`
``viz.network``            :func:`network_svg`, :func:`network_dot`, :func:`plot_network`
``viz.graph``              :func:`plot_value_graph` (computational graphs, DLfS ch. 5)
``viz.report``             :func:`write_run_dir`, :func:`build_report`
``viz.fonts``              :func:`setup_fonts`, :func:`text`
=========================  =====================================================================
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "curves": ("smooth_curve", "plot_history", "plot_curves", "plot_grid_curves"),
    "boundary": ("plot_decision_boundary", "plot_boundary_pair"),
    "hist": ("plot_unit_histograms", "plot_layer_histograms", "plot_layer_histogram_rows"),
    "gallery": ("plot_activation_gallery",),
    "gd": ("plot_gd_1d", "plot_quiver", "plot_surface_3d", "plot_optimizer_paths"),
    "multiclass": (
        "plot_confusion_matrix",
        "plot_image_grid",
        "plot_first_layer_weights",
        "confusion_matrix",
    ),
    "network": ("network_svg", "network_dot", "plot_network"),
    "graph": ("plot_value_graph",),
    "report": ("write_run_dir", "build_report"),
    "fonts": ("setup_fonts", "text"),
    "_common": ("save_figure",),
}
_WHERE = {name: mod for mod, names in _EXPORTS.items() for name in names}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    mod = _WHERE.get(name)
    if mod is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{mod}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))


def _register_jupyter_display() -> None:
    """In IPython/Jupyter, show a model as its summary table *and* its network drawing.

    The engine never imports viz: ``Sequential._repr_html_`` gives the table alone, and this
    registers the richer view with IPython's HTML formatter when ``mlplab.viz`` is imported.
    """
    import sys

    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return
    from ..model import Sequential

    def html(model):
        from .network import model_html

        return model_html(model)

    shell.display_formatter.formatters["text/html"].for_type(Sequential, html)


_register_jupyter_display()
