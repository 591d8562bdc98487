"""Quality guard for the composer (layout decisions: line composition): on a fixed corpus (the
seed text and a synthetic text of quotes, brackets, units, Latin words, —— and ……) at four
column widths, figures read from the composer's own line decisions -- how many marks it set
half-width, how many lines it letter-spaced and by how much, how many numbers it parted from
their units (keep-together's bound) -- must not get worse than the record in
composer_quality.json by more than a small tolerance.

The figures are lower-is-better. A change that improves one updates the record in the same
commit:  PYTHONPATH=src python tests/test_composer_quality.py --update
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

from layout.composer import Run, compose_paragraph
from layout.composer.classes import CLOSING_MARKS
from layout.composer.items import build_items

sys.path.insert(0, str(Path(__file__).parent))
from test_composer_render import body_faces  # noqa: E402

SIZE = 9.0
WIDTHS = (11 * SIZE, 13 * SIZE, 125.3, 20 * SIZE)
RECORD = Path(__file__).with_name("composer_quality.json")
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
#: closing quotes and brackets: squeezed inside a line only after the stops ，。、；：
QUOTES_BRACKETS = CLOSING_MARKS - set("，。、；：？！")
#: how much worse than the record a figure may get: counts, and em for the spacing figures
TOLERANCE = {"lines": 0, "forced": 0, "parted": 0, "squeezed_end": 2, "squeezed_mid": 1,
             "squeezed_mid_quotes_brackets": 0, "spaced_lines": 2, "loose_lines": 1,
             "mean_spacing_em": 0.0005, "worst_spacing_em": 0.005}
LOOSE_EM = 0.125    # letter-spacing from which a line looks loose

HAN = ("发展产业项目建设推动农村经济服务群众城乡基础设施改革创新生态保护文化旅游教育医疗"
       "就业社会保障科技人才乡村振兴治理能力现代化县域特色中药材企业投资增长质量效益")
WORDS = ["GMP", "AI", "GDP", "5G", "PM2.5", "CPI", "App", "iPhone", "COVID-19", "Wi-Fi", "MW", "km"]
NUMBERS = ["15.8", "2025", "94.9%", "3.2‰", "1,280", "56", "100", "0.75", "12", "7.5%"]
UNITS = ["亿元", "万元", "年", "个", "公里", "吨", "人次", "家", "项", "倍"]
QUOTES = [("“", "”"), ("《", "》"), ("（", "）"), ("「", "」"), ("【", "】"), ("‘", "’")]
ENDS = ["，", "。", "、", "；", "：", "？", "！"]


def synthetic_paragraph(rng: random.Random, clauses: int) -> str:
    """Clauses of Han with quotes, brackets, numbers + units, Latin words, ——, …… and pairs."""
    out = []
    for _ in range(clauses):
        clause = "".join(rng.choice(HAN) for _ in range(rng.randint(2, 9)))
        pick = rng.random()
        if pick < 0.25:
            o, c = rng.choice(QUOTES)
            clause += o + "".join(rng.choice(HAN) for _ in range(rng.randint(2, 6))) + c
        elif pick < 0.45:
            clause += rng.choice(NUMBERS) + rng.choice(UNITS)
        elif pick < 0.6:
            clause += rng.choice(WORDS) + rng.choice(HAN)
        elif pick < 0.7:
            clause += rng.choice(["——", "……"]) + rng.choice(HAN) * 2
        end = rng.choice(ENDS)
        if pick < 0.25 and end in "。？！" and rng.random() < 0.5:
            clause, end = clause[:-1] + end + clause[-1], rng.choice("，、；")   # 。” then ，
        out.append(clause + end)
    return "".join(out)


def corpus() -> list[str]:
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip("seed text not available")
    paragraphs = [p.strip() for path in seeds for p in path.read_text(encoding="utf-8").splitlines()
                  if len(p.strip()) > 20]
    rng = random.Random(15)
    return paragraphs + [synthetic_paragraph(rng, rng.randint(4, 30)) for _ in range(40)]


def figures() -> dict[str, float]:
    """The composer's quality figures over the corpus at every width (lower is better)."""
    f = dict.fromkeys(TOLERANCE, 0)
    spacings = []
    for text in corpus():
        runs = [Run(text, body_faces())]
        for width in WIDTHS:
            para = compose_paragraph(runs, width=width, size=SIZE)
            paired = build_items(runs, SIZE, min(width, width - para.indent)).paired
            _count(f, para, paired, spacings)
    f["mean_spacing_em"] = round(sum(spacings) / len(spacings), 5)
    f["worst_spacing_em"] = round(max(spacings), 5)
    return f


def _count(f: dict, para, paired: list[bool], spacings: list[float]) -> None:
    f["lines"] += len(para.lines)
    f["forced"] += para.forced
    f["parted"] += para.parted
    i = 0
    for n, line in enumerate(para.lines):
        final = n == len(para.lines) - 1
        last = max((k for k, p in enumerate(line.pieces) if p.kind != "space"), default=-1)
        for k, piece in enumerate(line.pieces):
            if piece.halt and not paired[i + k]:           # squeezed by the line breaker
                if k == last and not final:
                    f["squeezed_end"] += 1
                else:
                    f["squeezed_mid"] += 1
                    f["squeezed_mid_quotes_brackets"] += piece.text in QUOTES_BRACKETS
        i += len(line.pieces)
        if not final:
            spacing = line.letter_spacing / SIZE
            spacings.append(spacing)
            f["spaced_lines"] += spacing > 0
            f["loose_lines"] += spacing > LOOSE_EM
    assert i == len(paired)


def test_quality_figures_no_worse_than_recorded():
    """Every figure in one test, measured inside it: a test that reads figures measured once
    for the module (a fixture) is not seen by mutation testing as calling the composer
    (scripts/mutation runs per mutant only the tests that called the mutated function)."""
    measured = figures()
    recorded = json.loads(RECORD.read_text(encoding="utf-8"))
    worse = [f"{name}: {measured[name]} is worse than the recorded {recorded[name]} "
             f"(tolerance {TOLERANCE[name]})" for name in TOLERANCE
             if measured[name] > recorded[name] + TOLERANCE[name]]
    assert worse == [], f"{'; '.join(worse)}; all figures now: {measured}"


if __name__ == "__main__":
    now = figures()
    print(json.dumps(now, indent=2))
    if "--update" in sys.argv:
        RECORD.write_text(json.dumps(now, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {RECORD}")
