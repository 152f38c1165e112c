"""Run folders and self-contained HTML reports (``mlplab run NAME --out DIR``, ``mlplab report DIR``).

A run folder holds everything needed to look at and to repeat a run::

    config.json    {"name", "command", "argv", "config"}  (everything to re-run)
    metrics.json   the run's numbers (numpy -> lists/floats, NaN/inf -> null)
    metrics.csv    the series as columns: step, then one column per series (ragged -> empty)
    output.txt     the text the run printed
    run.json       {"name", "notes", "figures"}  (what the report shows besides the above)
    NAME.png/.svg  every figure
    report.html    one page, no external files: PNGs embedded as base64 data URIs

:func:`build_report` rebuilds ``report.html`` from these files alone. Matplotlib is imported
only when a figure has to be written.
"""

from __future__ import annotations

import base64
import csv
import html
import json
import math
import re
import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import ConfigError, MlplabTypeError

_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")
_SUBCOMMANDS = ("run", "trace", "search", "list", "report", "playground")


def to_jsonable(obj: Any) -> Any:
    """Convert numpy scalars/arrays, tuples, Paths to JSON types; NaN and ±inf become None."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        np = None
    if np is not None:
        if isinstance(obj, np.ndarray):
            return to_jsonable(obj.tolist())
        if isinstance(obj, np.bool_):
            return bool(obj)
        if isinstance(obj, np.integer):
            return int(obj)
        if isinstance(obj, np.floating):
            obj = float(obj)
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "tolist"):
        return to_jsonable(obj.tolist())
    return str(obj)


def _dump(path: Path, obj) -> None:
    path.write_text(
        json.dumps(to_jsonable(obj), indent=2, ensure_ascii=False, allow_nan=False) + "\n",
        encoding="utf-8",
    )


def command_line(name: str, config: Mapping | None = None, argv=None) -> str:
    """The shell command that reproduces a run.

    ``argv`` (``sys.argv[1:]`` of the CLI, e.g. ``["run", "apple", "--apple", "150"]``) is
    used as given; without it the command is built from ``config``:
    ``mlplab run NAME --key value ...`` (underscores become dashes, ``True`` flags are bare,
    ``False``/``None`` values are left out).
    """
    if argv:
        args = [str(a) for a in argv]
        if Path(args[0]).name in ("mlplab", "mlplab.exe", "__main__.py", "-m"):
            args = args[1:]
        if args and args[0] not in _SUBCOMMANDS:  # the CLI may pass only "NAME --opt ..."
            args = ["run", *args]
        return "mlplab " + shlex.join(args)
    parts = ["mlplab", "run", str(name)]
    for key, value in (config or {}).items():
        if value is None or value is False:
            continue
        if key == "format" and value == "text":
            continue
        flag = "--" + str(key).replace("_", "-")
        if value is True:
            parts.append(flag)
        elif isinstance(value, (list, tuple)):
            parts += [flag, ",".join(str(v) for v in value)]
        elif isinstance(value, Mapping):
            parts += [flag, json.dumps(to_jsonable(value), separators=(",", ":"))]
        else:
            parts += [flag, str(value)]
    return shlex.join(parts)


def write_series_csv(path: Path, series: Mapping[str, Any]) -> None:
    """Write series as columns ``step, name1, name2, ...``; shorter series leave empty cells.

    ``step`` counts from 1 (the i-th logged value); NaN/inf are written as empty cells.
    """
    names = [str(k) for k in series]
    cols = [to_jsonable(list(v)) for v in series.values()]
    n = max((len(c) for c in cols), default=0)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["step", *names])
        for i in range(n):
            row = [i + 1]
            for c in cols:
                v = c[i] if i < len(c) else None
                row.append("" if v is None else repr(v) if isinstance(v, float) else v)
            w.writerow(row)


def _figure_name(name: str) -> str:
    safe = _SAFE_NAME.sub("_", str(name)).strip("._")
    if not safe:
        raise ConfigError(f"figure name {name!r} has no usable characters (use letters/digits)")
    return safe


def _write_figure(out: Path, name: str, fig) -> str:
    """Write one figure as NAME.png and NAME.svg; returns the file stem."""
    stem = _figure_name(name)
    if isinstance(fig, str) and fig.lstrip().startswith("<svg"):
        (out / f"{stem}.svg").write_text(fig, encoding="utf-8")
        return stem
    if isinstance(fig, (bytes, bytearray)) and bytes(fig[:8]) == b"\x89PNG\r\n\x1a\n":
        (out / f"{stem}.png").write_bytes(bytes(fig))
        return stem
    if not hasattr(fig, "savefig"):
        raise MlplabTypeError(
            f"figure {name!r} must be a matplotlib Figure, SVG text or PNG bytes, "
            f"got {type(fig).__name__}"
        )
    fig.savefig(out / f"{stem}.png", format="png", dpi=100)
    fig.savefig(out / f"{stem}.svg", format="svg")
    return stem


def write_run_dir(result, out_dir, argv=None, build_html: bool = True) -> Path:
    """Write a run folder (see the module docstring) for a ``RunResult``.

    Parameters
    ----------
    result : mlplab.experiments.registry.RunResult
        ``name``, ``text``, ``metrics``, ``config``, ``figures``, ``notes``, ``series``.
    out_dir : str or Path
        Created if missing; existing files of the same names are overwritten.
    argv : list of str, optional
        The CLI arguments, kept in ``config.json`` and shown as the command line.

    Returns
    -------
    Path
        The folder.
    """
    for attr in ("name", "text"):
        if not hasattr(result, attr):
            raise MlplabTypeError(f"result must be a RunResult (missing .{attr})")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out must be a folder, but {str(out)!r} is a file")
    out.mkdir(parents=True, exist_ok=True)
    config = dict(getattr(result, "config", {}) or {})
    argv = None if argv is None else [str(a) for a in argv]
    _dump(
        out / "config.json",
        {
            "name": result.name,
            "command": command_line(result.name, config, argv),
            "argv": argv,
            "config": config,
        },
    )
    _dump(out / "metrics.json", getattr(result, "metrics", {}) or {})
    write_series_csv(out / "metrics.csv", getattr(result, "series", {}) or {})
    (out / "output.txt").write_text(result.text or "", encoding="utf-8")
    stems = [_write_figure(out, n, f) for n, f in (getattr(result, "figures", {}) or {}).items()]
    _dump(
        out / "run.json",
        {"name": result.name, "notes": list(getattr(result, "notes", []) or []), "figures": stems},
    )
    if build_html:
        build_report(out)
    return out


# ------------------------------------------------------------------------------------------
# HTML
# ------------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans KR","NanumGothic",sans-serif;
max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;border-bottom:1px solid #ddd;
padding-bottom:.2em;margin-top:1.6em}code,pre{font-family:"DejaVu Sans Mono",Menlo,Consolas,
monospace;font-size:.9em}pre{background:#f6f8fa;padding:.8em;overflow-x:auto;border-radius:4px}
.cmd{background:#272822;color:#f8f8f2}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1em 0}figure img{max-width:100%;border:1px solid #eee}
figcaption{color:#555;font-size:.9em}.notes li{margin:.2em 0}
"""


def _fmt_value(v) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, list):
        if v and all(isinstance(x, (int, float)) or x is None for x in v):
            last = next((x for x in reversed(v) if x is not None), None)
            shown = "—" if last is None else _fmt_value(last)
            return f"{shown} (last of {len(v)})" if len(v) > 1 else shown
        return json.dumps(v, ensure_ascii=False)[:300]
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False)[:300]
    if v is None:
        return "—"
    return str(v)


def _flatten(d: Mapping, prefix: str = "") -> list[tuple[str, Any]]:
    rows = []
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping) and v and len(v) <= 40:
            rows += _flatten(v, key + ".")
        else:
            rows.append((key, v))
    return rows


def _table(d: Mapping, head: tuple[str, str]) -> str:
    esc = html.escape
    rows = _flatten(d)
    if not rows:
        return "<p><em>none</em></p>"
    out = [f"<table><tr><th>{esc(head[0])}</th><th>{esc(head[1])}</th></tr>"]
    for k, v in rows:
        cls = ' class="num"' if isinstance(v, (int, float)) and not isinstance(v, bool) else ""
        out.append(f"<tr><td><code>{esc(k)}</code></td><td{cls}>{esc(_fmt_value(v))}</td></tr>")
    out.append("</table>")
    return "\n".join(out)


def _read_json(path: Path, default):
    if not path.exists():
        return default
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path} is not valid JSON: {str(exc).splitlines()[0]}") from None


def render_report(
    name: str,
    command: str,
    config: Mapping,
    metrics: Mapping,
    text: str,
    notes=(),
    figures=(),
) -> str:
    """The report page as a string.

    ``figures`` is a list of ``(name, png_bytes_or_None, svg_text_or_None)``; PNGs are
    embedded as ``data:image/png;base64`` URIs, SVG-only figures as ``data:image/svg+xml``.
    """
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>mlplab run: {esc(name)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>mlplab run: {esc(name)}</h1>",
        "<h2>Reproduce</h2>",
        f'<pre class="cmd"><code>{esc(command)}</code></pre>',
        "<h2>Configuration</h2>",
        _table(config, ("option", "value")),
        "<h2>Results</h2>",
        _table(metrics, ("metric", "final value")),
    ]
    notes = [str(n) for n in notes or []]
    if notes:
        parts.append("<h2>Notes</h2>")
        parts.append('<ul class="notes">' + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>")
    parts.append("<h2>Output</h2>")
    parts.append(f'<pre class="output">{esc(text)}</pre>' if text else "<p><em>no output</em></p>")
    if figures:
        parts.append("<h2>Figures</h2>")
        for fname, png, svg in figures:
            if png is not None:
                uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
            elif svg is not None:
                uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
            else:
                continue
            parts.append(
                f'<figure id="fig-{esc(fname)}"><img alt="{esc(fname)}" src="{uri}">'
                f"<figcaption>{esc(fname)}</figcaption></figure>"
            )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def build_report(run_dir) -> Path:
    """(Re)build ``report.html`` in a run folder from its files; returns the report's path.

    Needs ``config.json``; ``metrics.json``, ``output.txt``, ``run.json`` and figure files are
    used when present (figures listed in ``run.json``, else every ``*.png``/``*.svg``).

    Raises
    ------
    ConfigError
        The folder does not exist or is not a run folder (no ``config.json``).
    """
    d = Path(run_dir)
    if not d.is_dir():
        raise ConfigError(f"run folder {str(d)!r} does not exist or is not a folder")
    if not (d / "config.json").exists():
        raise ConfigError(f"{str(d)!r} is not a run folder: config.json is missing")
    cfg = _read_json(d / "config.json", {})
    if not isinstance(cfg, dict):
        raise ConfigError(f"{d / 'config.json'} must hold a JSON object")
    run = _read_json(d / "run.json", {})
    run = run if isinstance(run, dict) else {}
    metrics = _read_json(d / "metrics.json", {})
    metrics = metrics if isinstance(metrics, dict) else {"value": metrics}
    name = str(cfg.get("name") or run.get("name") or d.name)
    config = cfg.get("config") if isinstance(cfg.get("config"), dict) else {}
    command = cfg.get("command") or command_line(name, config, cfg.get("argv"))
    text = (d / "output.txt").read_text(encoding="utf-8") if (d / "output.txt").exists() else ""
    stems = run.get("figures")
    if not isinstance(stems, list):
        stems = sorted({p.stem for p in d.iterdir() if p.suffix in (".png", ".svg")})
    figures = []
    for stem in stems:
        stem = _figure_name(str(stem))
        png = d / f"{stem}.png"
        svg = d / f"{stem}.svg"
        figures.append(
            (
                stem,
                png.read_bytes() if png.exists() else None,
                svg.read_text(encoding="utf-8") if svg.exists() and not png.exists() else None,
            )
        )
    page = render_report(name, str(command), config, metrics, text, run.get("notes", []), figures)
    out = d / "report.html"
    out.write_text(page, encoding="utf-8")
    return out
