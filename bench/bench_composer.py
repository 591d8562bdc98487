"""Benchmark and demo of the Chinese paragraph composer (layout decisions: line composition).

Renders two demo pages with WeasyPrint -- the long body paragraphs of a seed issue and a
synthetic text full of quotes, brackets, numbers, units, Latin words, adjacent punctuation
and rare characters -- audits them with cjk_audit.py, and prints the composer's time per
1,000 characters and the render time with the composer versus plain justified paragraphs.

    python bench/bench_composer.py [--out DIR] [--seed FILE] [--width 117]
"""
from __future__ import annotations

import argparse
import html
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_composer_render import SIZE, page_html, runs_for, source_text  # noqa: E402

from layout.composer import compose_paragraph  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"      # beside the repository
SEED = SHARED / "seeds" / "000_07aebcb63628b662.txt"
AUDIT = SHARED / "tools" / "cjk_audit.py"

HAN = ("发展产业项目建设推动农村经济服务群众城乡基础设施改革创新生态保护文化旅游教育医疗"
       "就业社会保障科技人才乡村振兴治理能力现代化县域特色中药材企业投资增长质量效益")
WORDS = ["GMP", "AI", "GDP", "5G", "PM2.5", "CPI", "App", "iPhone", "COVID-19", "Wi-Fi", "MW", "km"]
NUMBERS = ["15.8", "2025", "94.9%", "3.2‰", "1,280", "56", "100", "0.75", "12", "7.5%"]
UNITS = ["亿元", "万元", "年", "个", "公里", "吨", "人次", "家", "项", "倍"]
QUOTES = [("“", "”"), ("《", "》"), ("（", "）"), ("「", "」"), ("【", "】"), ("‘", "’")]
ENDS = ["，", "。", "、", "；", "：", "？", "！"]
RARE = ["䶮", "𠮷"]


def synthetic_paragraph(rng: random.Random, n_clauses: int) -> str:
    """A paragraph of clauses mixing Han, quotes, brackets, numbers+units, Latin and pairs."""
    out = []
    for _ in range(n_clauses):
        clause = "".join(rng.choice(HAN) for _ in range(rng.randint(2, 9)))
        pick = rng.random()
        if pick < 0.25:
            o, c = rng.choice(QUOTES)
            clause += o + "".join(rng.choice(HAN) for _ in range(rng.randint(2, 6))) + c
        elif pick < 0.45:
            clause += rng.choice(NUMBERS) + rng.choice(UNITS)
        elif pick < 0.6:
            clause += rng.choice(WORDS) + rng.choice(HAN)
        elif pick < 0.68:
            clause += rng.choice(["——", "……"]) + rng.choice(HAN) * 2
        elif pick < 0.72:
            clause += rng.choice(RARE)
        end = rng.choice(ENDS)
        if pick < 0.25 and end in "。？！" and rng.random() < 0.5:
            clause, end = clause[:-1] + end + clause[-1], rng.choice("，、；")  # 。” then ，
        out.append(clause + end)
    text = "".join(out)
    return text[:-1] + "。"


def synthetic_text(n_paragraphs: int = 30, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    paras = [synthetic_paragraph(rng, rng.randint(3, 14)) for _ in range(n_paragraphs)]
    paras[0] = "[[本报讯]]" + paras[0]
    paras[3] = "[[记者 王某]]" + paras[3]
    return paras


def seed_paragraphs(path: Path = SEED) -> list[str]:
    """The body paragraphs of a seed issue (the long ones)."""
    return [p.strip() for p in path.read_text(encoding="utf-8").splitlines() if len(p.strip()) > 60]


def plain_html(paragraphs: list[str], width: float) -> str:
    """The baseline: the same page with plain justified paragraphs (no composer)."""
    page = page_html([], width)
    body = "".join(f'<p style="text-align: justify; text-indent: 2em">{html.escape(source_text(t))}</p>'
                   for t in paragraphs)
    return page.replace('<div class="cols"></div>', f'<div class="cols">{body}</div>')


def time_compose(paragraphs: list[str], width: float, repeat: int = 3) -> float:
    """Seconds per 1,000 characters, best of `repeat`."""
    chars = sum(len(source_text(t)) for t in paragraphs)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for t in paragraphs:
            compose_paragraph(runs_for(t), width=width, size=SIZE)
        best = min(best, time.perf_counter() - t0)
    return best / chars * 1000


def time_render(markup: str, path: Path) -> float:
    import weasyprint
    t0 = time.perf_counter()
    weasyprint.HTML(string=markup).write_pdf(path)
    return time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("out/bench_composer"))
    ap.add_argument("--seed", type=Path, default=SEED)
    ap.add_argument("--width", type=float, default=13 * SIZE)
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    demos = {"seed": seed_paragraphs(a.seed), "synthetic": synthetic_text()}
    for name, paras in demos.items():
        pdf = a.out / f"{name}.pdf"
        time_render(page_html(paras, a.width), pdf)
        print(subprocess.run([sys.executable, str(AUDIT), str(pdf), "--examples", "3"],
                             capture_output=True, text=True).stdout.rstrip())
    big = (demos["seed"] * 5)[:60]
    chars = sum(len(source_text(t)) for t in big)
    per_k = time_compose(big, a.width)
    with_c = with_nl = without = compose_s = float("inf")
    for _ in range(3):  # interleaved, best of 3: the machine may be busy
        t0 = time.perf_counter()
        composed = page_html(big, a.width)
        took = time.perf_counter() - t0
        compose_s = min(compose_s, took)
        with_c = min(with_c, took + time_render(composed, a.out / "big_composed.pdf"))
        t0 = time.perf_counter()
        composed = page_html(big, a.width, newlines=True)
        with_nl = min(with_nl, time.perf_counter() - t0 + time_render(composed, a.out / "big_pre.pdf"))
        without = min(without, time_render(plain_html(big, a.width), a.out / "big_plain.pdf"))
    print(f"composer: {per_k * 1000:.1f} ms per 1,000 characters ({chars} characters: "
          f"{compose_s:.2f} s incl. HTML)")
    print(f"render {chars} characters, best of 3: plain justified {without:.2f} s; with composer, "
          f"<br> lines {with_c:.2f} s ({100 * (with_c / without - 1):+.0f} %), "
          f"newline lines in white-space: pre {with_nl:.2f} s ({100 * (with_nl / without - 1):+.0f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
