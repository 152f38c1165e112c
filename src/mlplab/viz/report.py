"""Run folders and self-contained HTML reports (``mlplab run NAME --out DIR``, ``mlplab report DIR``).

A run folder holds everything needed to look at and to repeat a run::

    config.json    {"name", "command", "argv", "config"}  (everything to re-run)
    metrics.json   the run's numbers (numpy -> lists/floats, NaN/inf -> null)
    metrics.csv    the series as columns: step, then one column per series (ragged -> empty)
    output.txt     the text the run printed
    run.json       {"name", "lang", "notes", "errata", "figures", "captions"}
    NAME.png/.svg  every figure, both formats
    report.html    one page, no external files: PNGs embedded as base64 data URIs

The report speaks the run's language (``<html lang="ko">``, headings, captions) and reads in the
order a learner asks: the results first, then the course material's errors and the notes, the
figures with a caption in words, what the run printed, and only then every number, the
configuration and the command that repeats the run.

:func:`build_report` rebuilds ``report.html`` from these files alone and trusts none of them:
a file that is a symbolic link is never read (its target could be anything), text that is not
UTF-8 is shown with replacement characters, JSON nested too deeply or of the wrong shape is a
one-line error or shown as far as it makes sense, and ``report.html`` itself is replaced, never
written through when it is a link.  Matplotlib is imported only when a figure has to be written.
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

from .. import i18n
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


#: Reading limits for report inputs (a run folder may come from anywhere).
MAX_TEXT_CHARS = 2_000_000
MAX_FIGURE_BYTES = 20_000_000
MAX_JSON_BYTES = 50_000_000
MAX_DEPTH = 6  # nested tables deeper than this are shown as one short JSON value


def _clear(path: Path) -> None:
    """Make ``path`` writable as a new regular file: remove a symlink (never write through it)."""
    if path.is_symlink():
        path.unlink()
    elif path.is_dir():
        raise ConfigError(f"{str(path)!r} is a folder; remove or rename it so the run can write it")


def _write_text(path: Path, text: str) -> None:
    _clear(path)
    path.write_text(text, encoding="utf-8")


def _dump(path: Path, obj) -> None:
    _write_text(
        path, json.dumps(to_jsonable(obj), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
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
    _clear(path)
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
        _write_text(out / f"{stem}.svg", fig)
        return stem
    if isinstance(fig, (bytes, bytearray)) and bytes(fig[:8]) == b"\x89PNG\r\n\x1a\n":
        _clear(out / f"{stem}.png")
        (out / f"{stem}.png").write_bytes(bytes(fig))
        return stem
    if not hasattr(fig, "savefig"):
        raise MlplabTypeError(
            f"figure {name!r} must be a matplotlib Figure, SVG text or PNG bytes, "
            f"got {type(fig).__name__}"
        )
    for suffix in ("png", "svg"):
        _clear(out / f"{stem}.{suffix}")
        fig.savefig(out / f"{stem}.{suffix}", format=suffix, dpi=100)
    return stem


def write_run_dir(result, out_dir, argv=None, build_html: bool = True, lang=None) -> Path:
    """Write a run folder (see the module docstring) for a ``RunResult``.

    Parameters
    ----------
    result : mlplab.experiments.registry.RunResult
        ``name``, ``text``, ``metrics``, ``config``, ``figures``, ``notes``, ``series``,
        ``captions``, ``errata``, ``lang``.
    out_dir : str or Path
        Created if missing; existing files of the same names are replaced.
    argv : list of str, optional
        The CLI arguments, kept in ``config.json`` and shown as the command line.
    lang : "en" | "ko", optional
        Language of the report; default ``result.lang``.

    Returns
    -------
    Path
        The folder.
    """
    for attr in ("name", "text"):
        if not hasattr(result, attr):
            raise MlplabTypeError(f"result must be a RunResult (missing .{attr})")
    lang = i18n.check_lang(lang or getattr(result, "lang", None) or "en", "lang")
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
    _write_text(out / "output.txt", result.text or "")
    stems = [_write_figure(out, n, f) for n, f in (getattr(result, "figures", {}) or {}).items()]
    captions = {_figure_name(k): str(v) for k, v in (getattr(result, "captions", {}) or {}).items()}
    _dump(
        out / "run.json",
        {
            "name": result.name,
            "lang": lang,
            "notes": list(getattr(result, "notes", []) or []),
            "errata": list(getattr(result, "errata", []) or []),
            "figures": stems,
            "captions": captions,
        },
    )
    if build_html:
        build_report(out, lang=lang)
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
figcaption{color:#333;font-size:.95em}.notes li{margin:.2em 0}
.errata{background:#fff8e1;border-left:4px solid #f0b400;padding:.4em 1em}
.headline td{font-size:1.05em}
"""


def _num(v) -> str:
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def _short(v, limit: int = 300, depth: int = 0) -> str:
    """A compact, never cut-mid-number rendering of a JSON value (lists and dicts elided)."""
    if isinstance(v, (bool, int, float)) or v is None:
        return "null" if v is None else _num(v)
    if isinstance(v, str):
        return v if len(v) <= limit else v[: max(limit - 1, 1)] + "…"
    if depth >= MAX_DEPTH:
        return "[…]" if isinstance(v, list) else "{…}"
    if isinstance(v, list):
        items, opening, closing = v, "[", "]"
        render = lambda x: _short(x, limit, depth + 1)  # noqa: E731
    elif isinstance(v, dict):
        items, opening, closing = list(v.items()), "{", "}"
        render = lambda kv: f"{kv[0]}: {_short(kv[1], limit, depth + 1)}"  # noqa: E731
    else:
        return str(v)[:limit]
    parts, used = [], 2
    for i, item in enumerate(items):
        piece = render(item)
        if used + len(piece) + 2 > limit and parts:
            parts.append(f"… (+{len(items) - i})")
            break
        parts.append(piece)
        used += len(piece) + 2
    return opening + ", ".join(parts) + closing


def _fmt_metric(v, lang: str) -> str:
    """A result value: a series shows its last value and its length."""
    if (
        isinstance(v, list)
        and v
        and all(isinstance(x, (int, float)) and not isinstance(x, bool) or x is None for x in v)
    ):
        last = next((x for x in reversed(v) if x is not None), None)
        shown = "—" if last is None else _num(last)
        return i18n.t("report.last_of", lang, value=shown, n=len(v)) if len(v) > 1 else shown
    if v is None:
        return "—"
    return _short(v)


def _fmt_config(v) -> str:
    """A configuration value: shown whole (``[512, 256]``), long lists elided at an element."""
    if v is None:
        return "—"
    return _short(v)


def _flatten(d: Mapping, prefix: str = "", depth: int = 0) -> list[tuple[str, Any]]:
    rows = []
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping) and v and len(v) <= 40 and depth < MAX_DEPTH:
            rows += _flatten(v, key + ".", depth + 1)
        else:
            rows.append((key, v))
    return rows


def _table(rows, head: tuple[str, str], fmt) -> str:
    esc = html.escape
    if not rows:
        return ""
    out = [f"<table><tr><th>{esc(head[0])}</th><th>{esc(head[1])}</th></tr>"]
    for k, v in rows:
        cls = ' class="num"' if isinstance(v, (int, float)) and not isinstance(v, bool) else ""
        out.append(f"<tr><td><code>{esc(str(k))}</code></td><td{cls}>{esc(fmt(v))}</td></tr>")
    out.append("</table>")
    return "\n".join(out)


def _headline(metrics: Mapping) -> list[tuple[str, Any]]:
    """The numbers to show first: top-level scalars, else the first dozen scalar rows."""
    top = [(k, v) for k, v in metrics.items() if isinstance(v, (int, float, str, bool))]
    if top:
        return top[:16]
    flat = [(k, v) for k, v in _flatten(metrics) if isinstance(v, (int, float, str, bool))]
    return flat[:12]


def _read_text(path: Path, limit: int = MAX_TEXT_CHARS) -> str:
    with path.open("r", encoding="utf-8", errors="replace") as fh:
        text = fh.read(limit + 1)
    return text if len(text) <= limit else text[:limit] + "\n…"


def _read_json(path: Path, default):
    if not path.exists() and not path.is_symlink():
        return default
    if path.is_symlink() or not path.is_file():
        raise ConfigError(f"{path} must be a regular file (not a link or a folder)")
    if path.stat().st_size > MAX_JSON_BYTES:
        raise ConfigError(f"{path} is larger than {MAX_JSON_BYTES // 1_000_000} MB")
    try:
        return json.loads(path.read_text(encoding="utf-8", errors="replace"))
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path} is not valid JSON: {str(exc).splitlines()[0]}") from None
    except RecursionError:
        raise ConfigError(f"{path} is nested too deeply to be a run file") from None


def _strings(value) -> list[str]:
    """A list of strings from a run.json field that should be one (anything else coerced)."""
    if value is None:
        return []
    if isinstance(value, list):
        return [_short(v) if not isinstance(v, str) else v for v in value]
    return [_short(value)]


def render_report(
    name: str,
    command: str,
    config: Mapping,
    metrics: Mapping,
    text: str,
    notes=(),
    figures=(),
    lang: str = "en",
    errata=(),
    captions: Mapping | None = None,
    kind: str = "run",
) -> str:
    """The report page as a string.

    ``figures`` is a list of ``(name, png_bytes_or_None, svg_text_or_None)``; PNGs are
    embedded as ``data:image/png;base64`` URIs, SVG-only figures as ``data:image/svg+xml``.
    ``captions`` maps a figure name to its caption in words (else the name is shown).
    """
    esc = html.escape
    lang = i18n.check_lang(lang, "lang")

    def T(key, **kw):
        return i18n.t(key, lang, **kw)

    title = T("report.title_search" if kind == "search" else "report.title_run", name=name)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        f'<h2 id="results">{esc(T("report.results"))}</h2>',
    ]
    head = _headline(metrics)
    parts.append(
        '<div class="headline">'
        + (_table(head, (T("report.metric"), T("report.final_value")), lambda v: _fmt_metric(v, lang))
           or f"<p><em>{esc(T('report.none'))}</em></p>")
        + "</div>"
    )  # fmt: skip
    errata = [str(e) for e in errata or []]
    if errata:
        parts.append(f'<h2 id="errata">{esc(T("report.errata"))}</h2>')
        parts.append(
            '<div class="errata"><ul>'
            + "".join(f"<li>{esc(e)}</li>" for e in errata)
            + f"</ul><p>{esc(T('report.errata_doc'))}</p></div>"
        )
    notes = [str(n) for n in notes or []]
    if notes:
        parts.append(f'<h2 id="notes">{esc(T("report.notes"))}</h2>')
        parts.append('<ul class="notes">' + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>")
    captions = dict(captions or {})
    shown = [(f, png, svg) for f, png, svg in figures or () if png is not None or svg is not None]
    if shown:
        parts.append(f'<h2 id="figures">{esc(T("report.figures"))}</h2>')
        for i, (fname, png, svg) in enumerate(shown, 1):
            if png is not None:
                uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
            else:
                uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
            cap = str(captions.get(fname) or fname.replace("_", " "))
            parts.append(
                f'<figure id="fig-{esc(fname)}"><img alt="{esc(fname)}" src="{uri}">'
                f"<figcaption>{esc(T('report.figure_n', i=i, caption=cap))}</figcaption></figure>"
            )
    parts.append(f'<h2 id="output">{esc(T("report.output"))}</h2>')
    parts.append(
        f'<pre class="output">{esc(text)}</pre>'
        if text
        else f"<p><em>{esc(T('report.no_output'))}</em></p>"
    )
    rows = _flatten(metrics)
    if len(rows) > len(head):
        parts.append(f'<h2 id="all-results">{esc(T("report.all_results"))}</h2>')
        parts.append(
            f"<details><summary>{esc(T('report.show_all', n=len(rows)))}</summary>"
            + _table(rows, (T("report.metric"), T("report.final_value")),
                     lambda v: _fmt_metric(v, lang))
            + "</details>"
        )  # fmt: skip
    parts.append(f'<h2 id="configuration">{esc(T("report.configuration"))}</h2>')
    parts.append(
        _table(_flatten(config), (T("report.option"), T("report.value")), _fmt_config)
        or f"<p><em>{esc(T('report.none'))}</em></p>"
    )
    parts.append(f'<h2 id="reproduce">{esc(T("report.reproduce"))}</h2>')
    parts.append(f'<pre class="cmd"><code>{esc(command)}</code></pre>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _regular(d: Path, name: str, skipped: list[str]) -> Path | None:
    """``d/name`` if it is a regular file of the folder; symlinks are recorded and skipped."""
    p = d / name
    if p.is_symlink():
        skipped.append(name)
        return None
    return p if p.is_file() else None


def build_report(run_dir, lang=None) -> Path:
    """(Re)build ``report.html`` in a run folder from its files; returns the report's path.

    Needs ``config.json``; ``metrics.json``, ``output.txt``, ``run.json`` and figure files are
    used when present (figures listed in ``run.json``, else every ``*.png``/``*.svg``).
    ``lang`` defaults to the language recorded in ``run.json``, else the user's
    (:func:`mlplab.i18n.default_lang`).

    Raises
    ------
    ConfigError
        The folder does not exist or is not a run folder (no ``config.json``), a JSON file is
        broken or nested too deeply, or ``report.html`` is a folder.
    """
    d = Path(run_dir)
    if not d.is_dir():
        raise ConfigError(f"run folder {str(d)!r} does not exist or is not a folder")
    if not (d / "config.json").exists() and not (d / "config.json").is_symlink():
        raise ConfigError(f"{str(d)!r} is not a run folder: config.json is missing")
    out = d / "report.html"
    if out.is_dir() and not out.is_symlink():
        raise ConfigError(f"{str(out)!r} is a folder; remove or rename it to rebuild the report")
    cfg = _read_json(d / "config.json", {})
    if not isinstance(cfg, dict):
        raise ConfigError(f"{d / 'config.json'} must hold a JSON object")
    run = _read_json(d / "run.json", {})
    run = run if isinstance(run, dict) else {}
    metrics = _read_json(d / "metrics.json", {})
    metrics = metrics if isinstance(metrics, dict) else {"value": metrics}
    if lang is None:
        lang = run.get("lang") if run.get("lang") in i18n.LANGS else i18n.default_lang()
    lang = i18n.check_lang(lang)
    name = _short(cfg.get("name") or run.get("name") or d.name, 200)
    config = cfg.get("config") if isinstance(cfg.get("config"), dict) else {}
    argv = cfg.get("argv") if isinstance(cfg.get("argv"), list) else None
    command = cfg.get("command")
    if not isinstance(command, str):
        command = command_line(name, config, argv)
    kind = "search" if command.startswith("mlplab search") else "run"
    skipped: list[str] = []
    out_txt = _regular(d, "output.txt", skipped)
    text = _read_text(out_txt) if out_txt is not None else ""
    stems = run.get("figures")
    if not isinstance(stems, list):
        stems = sorted({p.stem for p in d.iterdir() if p.suffix in (".png", ".svg")})
    figures = []
    for stem in stems:
        try:
            stem = _figure_name(str(stem))
        except ConfigError:
            continue
        png = _regular(d, f"{stem}.png", skipped)
        svg = _regular(d, f"{stem}.svg", skipped)
        png_bytes = None
        if png is not None and png.stat().st_size <= MAX_FIGURE_BYTES:
            png_bytes = png.read_bytes()
        svg_text = None
        if png_bytes is None and svg is not None and svg.stat().st_size <= MAX_FIGURE_BYTES:
            svg_text = _read_text(svg, MAX_FIGURE_BYTES)
        figures.append((stem, png_bytes, svg_text))
    captions = run.get("captions") if isinstance(run.get("captions"), dict) else {}
    notes = _strings(run.get("notes"))
    notes += [i18n.t("report.skipped_link", lang, file=f) for f in skipped]
    page = render_report(
        name,
        command,
        config,
        metrics,
        text,
        notes,
        figures,
        lang=lang,
        errata=_strings(run.get("errata")),
        captions={str(k): _short(v) for k, v in captions.items()},
        kind=kind,
    )
    _write_text(out, page)
    return out
