"""Page places: where each banner, photo, story, headline and figure of a page plan sits on the
page, and the issue.yaml line that made it.

A place is the plan's rectangle (stage 3, measured from the type area's corner) moved to the
page's own coordinates (pt from the page's top-left corner, as the PDF and the proofs have it),
with its key path (`pages[0].stories[1]`) and the line of that key in issue.yaml (the source's
line table). Findings are put on the place whose key path is the longest part of theirs
(`pages[1].photos[4].image` on the photo `pages[1].photos[4]`). Used by `layout serve` (hover a
story to see its line; findings drawn where they are) and `layout render --plan-json`.
"""
from __future__ import annotations

import re

from .errors import Finding
from .page import Box, PagePlan

PAGE_INDEX = re.compile(r"^pages\[(\d+)\]")
PARAGRAPH = re.compile(r"^(.+\.body)\[(\d+)\]$")
#: a headline-set block's role -> the story key it was written under
TEXT_KEYS = {"kicker": "kicker", "headline": "headline", "lead_headline": "headline", "subhead": "subhead",
             "vertical-headline": "headline",
             "byline": "byline"}


def page_places(plan: PagePlan, origin: tuple[float, float], source=None) -> list[dict]:
    """Every place on the page, largest first (so a headline lies over its story)."""
    places = []

    def add(key: str, kind: str, box: Box | None) -> None:
        if box is not None:
            places.append(_place(key, kind, box, origin, source))

    add(f"{_page_key(plan)}.banner", "banner", plan.banner_box)
    for photo in plan.photos:
        add(photo.key, "photo", photo.box)
    for module in plan.modules:
        add(module.key, "story", module.box)
        for field, block in _headline_fields(module.headline_set):
            add(f"{module.key}.{field}", field, block.box)
        for figure in module.figures:
            add(figure.key, "figure", figure.box)
        for key, box in paragraph_boxes(module, plan.line_pitch):
            add(key, "paragraph", box)
    return sorted(places, key=lambda p: -p["w"] * p["h"])


def paragraph_boxes(module, pitch: float) -> list[tuple[str, Box]]:
    """`story.body[k]` and its lines' rectangle in each column it runs through (a column's text
    starts at its box's top, under the story's figures). None for a story continued from another
    page (its first paragraph's number is not in the plan)."""
    out, index = [], -1
    for column in module.columns:
        y = column.box.y
        for fragment in column.fragments:
            if not fragment.continued:
                index += 1
            elif index < 0:
                return []
            out.append((f"{module.key}.body[{index}]", Box(column.box.x, y, column.box.w, fragment.lines * pitch)))
            y += fragment.lines * pitch
    return out


def finding_key(finding: Finding, source) -> str:
    """The finding's key path, down to the body paragraph its line is in (`….body[2]`)."""
    key = finding.key
    if source is None or finding.line is None or key not in source.block_scalars or not key.endswith(".body"):
        return key
    start = source.lines.get(key)
    text = _value(source.data, key)
    if start is None or not isinstance(text, str):
        return key
    index, blank_before = -1, True
    for line in text.split("\n")[:max(0, finding.line - start - 1) + 1]:
        blank = not line.strip()
        index += not blank and blank_before
        blank_before = blank
    return f"{key}[{index}]" if index >= 0 else key


def _value(data, key: str):
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", key):
        try:
            data = data[int(part[1:-1])] if part.startswith("[") else data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _headline_fields(blocks) -> list[tuple[str, object]]:
    """(story key, block) of a headline set: a kicker-set block after the headline is the subhead."""
    out, seen_headline = [], False
    for block in blocks:
        field = TEXT_KEYS.get(block.role, block.role)
        if field == "kicker" and seen_headline:
            field = "subhead"
        seen_headline |= field == "headline"
        out.append((field, block))
    return out


def _place(key: str, kind: str, box: Box, origin: tuple[float, float], source) -> dict:
    return {"key": key, "kind": kind, "x": round(origin[0] + box.x, 2), "y": round(origin[1] + box.y, 2),
            "w": round(box.w, 2), "h": round(box.h, 2), "line": _line(source, key)}


def _line(source, key: str) -> int | None:
    """The line of `key`; of a body paragraph (`….body[2]`), the line it starts on."""
    match = PARAGRAPH.match(key)
    if source is None or match is None or match.group(1) not in source.block_scalars:
        return source.line_of(key) if source else None
    body, wanted = match.group(1), int(match.group(2))
    text, start = _value(source.data, body), source.lines.get(body)
    index, blank_before = -1, True
    for row, line in enumerate(text.split("\n") if isinstance(text, str) and start else []):
        blank = not line.strip()
        index += not blank and blank_before
        blank_before = blank
        if index == wanted:
            return start + 1 + row
    return source.line_of(body)


def _page_key(plan: PagePlan) -> str:
    """`pages[i]` of the issue page this plan shows (a page added for a jump: its stories' page)."""
    for key in [m.key for m in plan.modules] + [p.key for p in plan.photos]:
        match = PAGE_INDEX.match(key)
        if match:
            return match.group(0)
    return f"pages[{plan.number - 1}]"


def place_of(key: str, places: list[dict]) -> dict | None:
    """The place whose key path is the longest that is `key` or contains it (a story's figure
    moved to the photo group is on the figure's place, not on its story's); of a paragraph's
    places, the leftmost: the column where it starts."""
    if not key:
        return None
    inside = [p for p in places if key == p["key"] or key.startswith(p["key"] + ".")
              or key.startswith(p["key"] + "[")]
    return min(inside, key=lambda p: (-len(p["key"]), p.get("x", 0), p.get("y", 0)), default=None)


def markers(findings: list[Finding], places: list[dict], source=None) -> list[dict]:
    """The findings that have a place on this page, each with its place's key and rectangle (a
    finding in a story's body on the paragraph its line is in, where it starts)."""
    out = []
    for index, finding in enumerate(findings):
        place = place_of(finding_key(finding, source), places)
        if place is not None:
            out.append({"finding": index, "severity": finding.severity.value, "message": finding.message,
                        "key": finding.key, "line": finding.line, "place": place["key"],
                        **{k: place[k] for k in ("x", "y", "w", "h")}})
    return out


def plan_json(plans: list[PagePlan], grid, source, findings: list[Finding]) -> dict:
    """Every page's size, places and markers, as `layout render --plan-json` writes them."""
    origin = (grid.margin_side, grid.margin_top)
    pages = []
    for plan in plans:
        places = page_places(plan, origin, source)
        pages.append({"number": plan.number, "width": round(grid.page_width, 2), "height": round(grid.page_height, 2),
                      "places": places, "markers": markers(findings, places, source)})
    return {"file": source.label if source else "", "unit": "pt", "pages": pages,
            "findings": [f.as_dict() for f in findings]}


def write_plan_json(rendered, pdf) -> object:
    """`<pdf stem>-plan.json` beside the PDF: the rendered issue's pages, places and markers."""
    import json

    from .model import ISSUE_FILE, _label
    from .render import write_atomically
    from .source import load_source
    from .theme import load_theme
    issue = rendered.issue
    source = load_source(issue.folder / ISSUE_FILE, label=_label(issue.folder / ISSUE_FILE))
    data = plan_json(rendered.plans, load_theme(issue.theme).grid, source, rendered.findings)
    path = pdf.with_name(f"{pdf.stem}-plan.json")
    text = json.dumps(data, ensure_ascii=False, indent=1)
    write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return path
