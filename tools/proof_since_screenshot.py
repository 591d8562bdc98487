#!/usr/bin/env python3
"""docs/proof-since.png: page 1 of the sample's 改样 proof (`layout proof --since 1`), after a
round of corrections: the stray 'and' and an unclosed quote that `layout check` warns of, a
caption reworded, a sentence cut, a photo replaced (mirrored). Rasterised with pypdfium2.

    PYTHONPATH=src python tools/proof_since_screenshot.py [--out docs] [--dpi 72]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "issues" / "2026-changzhi-lianghui"
EDITS = [
    ("党的二十大精神 and 二十届", "党的二十大精神和二十届"),
    ("“上党中药材产业集群入选", "“上党中药材”产业集群入选"),
    ("caption: 夸克AI讲古建", "caption: 夸克AI讲解古建筑"),
    ("全国首个夸克全景区AI讲解示范区在平顺县落地，覆盖15处国保单位，实现“一部手机游平顺”。", ""),
]
PHOTO = "images/standin-12-shenhua-keji.jpg"


def proof(issue: Path, out: Path, env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "layout.cli", "proof", str(issue), "-o", str(out), "--dpi", "18", *args],
                   env=env, check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--dpi", type=int, default=72)
    args = parser.parse_args()
    import pypdfium2 as pdfium
    from PIL import Image, ImageOps
    with tempfile.TemporaryDirectory(prefix="proof-since-") as tmp:
        work = Path(tmp)
        issue = work / "2026-changzhi-lianghui"
        shutil.copytree(SAMPLE, issue)
        env = {**os.environ, "LAYOUT_CACHE": str(work / "cache"), "PYTHONPATH": str(ROOT / "src")}
        proof(issue, work / "one", env)
        yaml = issue / "issue.yaml"
        text = yaml.read_text(encoding="utf-8")
        for old, new in EDITS:
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        yaml.write_text(text, encoding="utf-8")
        ImageOps.mirror(Image.open(issue / PHOTO)).save(issue / PHOTO, quality=90)
        proof(issue, work / "two", env, "--since", "1")
        pdf = pdfium.PdfDocument(str(work / "two" / f"{issue.name}-proof.pdf"))
        image = pdf[0].render(scale=args.dpi / 72).to_pil()
        pdf.close()
        path = args.out / "proof-since.png"
        image.convert("RGB").save(path, optimize=True)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
