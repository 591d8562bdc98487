"""Stage 2 (checks): layout hints that contradict each other on one page.

Each hint is validated alone by the model (model.py); here, hints that cannot all be honoured
together are located errors: two stories marked `lead: true` on one page, two photos marked
`main: true`, a photo with both `focus` and `crop`, a 破栏 `measure` its `span` does not hold; keys of another kind of module (`items`
outside briefs, `rubric` outside a commentary, a briefs module without items). Hints the layout cannot honour (a `span`
wider than the grid, a composition that cannot keep it) are reported by the layout
(page/hints.py).
"""
from __future__ import annotations

from .errors import Collector
from .model import Issue, vertical_obstacle
from .source import Source

VERTICAL_OBSTACLES = {
    "kind": "a vertical headline (竖排标题) is for a news story; set this one horizontally",
    "kicker": "a vertical headline (竖排标题) stands alone: leave out the kicker (引题), or set it horizontally",
    "subhead": "a vertical headline (竖排标题) stands alone: leave out the subhead (副题), "
               "or set it horizontally",
    "figures": "a vertical headline (竖排标题) is for a module of text: move its figures, or set it horizontally",
}


def check_hints(issue: Issue, source: Source, out: Collector) -> None:
    """Add every contradiction among the issue's hints to `out`, in the file's order."""
    found = Collector()
    _contradictions(issue, source, found)
    for finding in sorted(found.findings, key=lambda f: f.line or 0):
        out.add(finding.message, file=finding.file, line=finding.line, key=finding.key)


def _contradictions(issue: Issue, source: Source, out: Collector) -> None:
    for p, page in enumerate(issue.pages):
        key = f"pages[{p}]"
        leads = [f"{key}.stories[{s}]" for s, story in enumerate(page.stories) if story.lead]
        for other in leads[1:]:
            _add(out, source, f"{other}.lead", f"only one story on a page may be the lead; {leads[0]} is already")
        figures = [(f"{key}.stories[{s}].figures[{f}]", figure) for s, story in enumerate(page.stories)
                   for f, figure in enumerate(story.figures)]
        figures += [(f"{key}.photos[{f}]", figure) for f, figure in enumerate(page.photos)]
        mains = sorted((k for k, figure in figures if figure.main), key=lambda k: source.line_of(k) or 0)
        for other in mains[1:]:
            _add(out, source, f"{other}.main", f"only one photo on a page may be the main picture; {mains[0]} is already")
        for s, story in enumerate(page.stories):
            _kind(story, f"{key}.stories[{s}]", source, out)
        for k, figure in figures:
            if figure.focus is not None and figure.crop is not None:
                _add(out, source, f"{k}.crop", "give either focus (where to crop) or crop (the exact crop), not both")


def _kind(story, key: str, source: Source, out: Collector) -> None:
    """Keys that belong to another kind of module (`items` to briefs, `rubric` to commentary)."""
    if story.kind == "briefs":
        if not story.items:
            _add(out, source, f"{key}.items", "a briefs module (kind: briefs) needs items: [{headline, body}, ...]")
        if story.body.strip():
            _add(out, source, f"{key}.body", "a briefs module takes items, not a body")
    elif story.items:
        _add(out, source, f"{key}.items", "items are for kind: briefs")
    if story.rubric and story.kind != "commentary":
        _add(out, source, f"{key}.rubric", "a rubric (栏头) is for kind: commentary")
    measure = story.columns_measure
    if measure and story.span and story.span % measure[0]:
        _add(out, source, f"{key}.measure", f"measure {story.measure} sets {measure[1]} text columns over "
             f"every {measure[0]} basic columns: the module's span must be a multiple of {measure[0]}, "
             f"and span {story.span} is not")
    if story.measure and story.vertical_headline:
        _add(out, source, f"{key}.measure", f"measure {story.measure} is for a headline across the module, "
             f"not beside a vertical headline (vertical_headline: true)")
    obstacle = vertical_obstacle(story) if story.vertical_headline else ""
    if obstacle:
        _add(out, source, f"{key}.vertical_headline", VERTICAL_OBSTACLES[obstacle])


def _add(out: Collector, source: Source, key: str, message: str) -> None:
    out.add(message, file=source.label, line=source.line_of(key), key=key)
