"""Side-by-side screenshots of the mlplab playground and TF Playground at the same size.

TF Playground is built from its own repository (``git clone
https://github.com/tensorflow/playground && npm ci && npm run build``; pass its ``dist/``).
Both pages open the same setup (TF's default: circle, 4-2 tanh), play for ``--play`` seconds
and pause; each size gives one picture, mlplab on the left, TF on the right.

Usage::

    .venv/bin/python benchmarks/page_screenshots.py --tf /tmp/tfpg/dist --out docs/figures
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench_page import ARGS, CHROMIUM, mlplab_server, static_server

SIZES = [(1024, 768), (1280, 720)]


def shoot(browser, url: str, size, path: Path, *, tf: bool, play: float) -> None:
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="en-US")
    pg = ctx.new_page()
    pg.goto(url)
    button = "#play-pause-button" if tf else "#play"
    if tf:
        pg.wait_for_selector(button)
    else:
        pg.wait_for_function("window.mlplab && window.mlplab.frame && window.mlplab.data")
    pg.click(button)
    pg.wait_for_timeout(play * 1000)
    pg.click(button)
    pg.wait_for_timeout(500)
    pg.screenshot(path=str(path))
    ctx.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tf", metavar="DIR", required=True, help="TF Playground's built dist/")
    ap.add_argument("--out", default="test-output/screenshots")
    ap.add_argument("--play", type=float, default=3.0)
    a = ap.parse_args()
    from PIL import Image
    from playwright.sync_api import sync_playwright

    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        with mlplab_server(None) as (ours, _), static_server(a.tf) as theirs:
            for w, h in SIZES:
                mine, tf = out / f"mlplab_{w}x{h}.png", out / f"tf_{w}x{h}.png"
                shoot(browser, ours + "#seed=1&initSeed=1", (w, h), mine, tf=False, play=a.play)
                shoot(browser, theirs + "#seed=0.00001", (w, h), tf, tf=True, play=a.play)
                both = Image.new("RGB", (2 * w + 16, h), "white")
                both.paste(Image.open(mine), (0, 0))
                both.paste(Image.open(tf), (w + 16, 0))
                both.resize((w + 8, h // 2)).save(out / f"side_by_side_{w}x{h}.png")
                print(out / f"side_by_side_{w}x{h}.png")
        browser.close()


if __name__ == "__main__":
    main()
