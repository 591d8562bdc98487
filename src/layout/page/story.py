"""Layout decisions: one story as a grid module (headline set, body columns, figures).

The module spans whole basic columns and whole body lines. Its height is the smallest number of
lines whose columns hold every body line beside the figures; the figures then grow by whole lines
to take up what the last columns would leave empty.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from markupsafe import Markup, escape

from ..composer import Paragraph
from ..model import Story, vertical_obstacle
from ..theme import Grid
from .columns import balanced_capacities, flow, kept_breaks, kept_fits
from .figures import FigureSlot, figure_slot
from .headlines import set_headline
from .plan import Box, ColumnBox, StoryModule, TextBlock
from .typeset import Typesetter
from .vertical import VerticalHeadline, body_measure, em_box_drop, headline_html, set_vertical

HEADLINE_LEADING = 1.25


@dataclass
class StoryDraft:
    """A story measured for a module `span` columns wide, ready to be placed at a row."""

    key: str
    story: Story
    span: int
    lead: bool
    headline_set: list[tuple[str, Paragraph, int]]
    paragraphs: list[Paragraph]
    figures: list[FigureSlot]
    figure_columns: int
    figure_rows: list[int] = field(default_factory=list)
    body_rows: int = 0
    slot_sets: dict[int, list[FigureSlot]] = field(default_factory=dict)
    skip: int = 0            # body lines already placed on an earlier page (a continuation)
    reserve: int = 0         # lines kept free at the end for a jump line (下转第N版)
    jump_text: str = ""
    head_space: int = 0      # lines added around the headline to take up a module's slack
    foot_space: int = 0      # lines of white space left at the module's foot
    overflow: list = field(default_factory=list)   # (key, message) of headline lines too wide
    vertical: VerticalHeadline | None = None     # a 竖排标题 at the right, the body to its left
    vertical_rows: int = 0
    measure: tuple[float, float] = ()            # beside it: (column width, column step) in pt
    po_lan: tuple[int, int] | None = None   # 破栏: (basic, text) columns, e.g. (3, 2) for 3破2
    intro: list[Paragraph] = field(default_factory=list)   # a 导语 set across the module (and byline)

    @property
    def headline_rows(self) -> int:
        """Lines above the body columns: the headline set, a line, and any 导语 and a line."""
        if self.vertical:
            return 0
        return sum(rows for _, _, rows in self.headline_set) + 1 + self.head_space + self.intro_rows

    @property
    def intro_rows(self) -> int:
        return sum(len(p.lines) for p in self.intro) + 1 if self.intro else 0

    @property
    def total_lines(self) -> int:
        return sum(len(p.lines) for p in self.paragraphs)

    @property
    def body_lines(self) -> int:
        """Lines this module must hold: its share of the text and any jump line."""
        return self.total_lines - self.skip + self.reserve

    @property
    def rows(self) -> int:
        return self.headline_rows + self.body_rows + self.foot_space

    @property
    def slack(self) -> int:
        """Body lines the columns could hold beyond the text: holes unless balanced away."""
        return sum(self.capacities()) - self.body_lines

    @property
    def text_columns(self) -> int:
        """Body columns: one a basic column, or M over every N basic columns (破栏 N破M)."""
        return self.span // self.po_lan[0] * self.po_lan[1] if self.po_lan else self.span

    def capacities(self) -> list[int]:
        """Lines each body column holds beside the figures (figures sit top right)."""
        caps = [self.body_rows] * self.text_columns
        for index, rows in enumerate(self.figure_rows):
            total = rows + self.figures[index].caption_rows + 1
            for c in self.covered(index):
                caps[c] = max(0, self.body_rows - total)
        return caps

    def covered(self, index: int) -> range | list[int]:
        """The body columns under figure `index` (those its basic columns overlap)."""
        basic = self._figure_columns(index)
        if not self.po_lan:
            return basic
        n = self.text_columns
        return [t for t in range(n) if t * self.span < basic.stop * n and basic.start * n < (t + 1) * self.span]

    def _figure_columns(self, index: int) -> range:
        right = self.span - index * self.figure_columns
        return range(max(0, right - self.figure_columns), right)


def draft_story(key: str, story: Story, folder, setter: Typesetter, span: int, lead: bool,
                headline_size: str = "", across: bool = False, limits=None,
                vertical: bool = False, po_lan: tuple[int, int] | None = None,
                intro: bool = False) -> StoryDraft:
    """Compose the story's texts once and fit them in the smallest module; the headline is set
    at the theme size `headline_size` (default: the lead's or a story's headline size); with
    `across`, figures may also stand side by side across the module's top, the text under them.
    With `vertical` (or the story's `vertical_headline`), the 主题 is set vertically at the
    module's right if it can be (else `draft.vertical` is None; for the hint, an overflow).
    With a 破栏 `po_lan` (basic, text columns), the body is set in the wider text columns; with
    `intro`, the first paragraph (导语) and the byline are set across the module above them."""
    grid = setter.theme.grid
    width = grid.span_width(span)
    heads = []
    overflow = []
    upright = _vertical_part(key, story, setter, span, headline_size or "headline_narrow", overflow) \
        if vertical or story.vertical_headline else None
    for role, name, text, size_key in _headline_parts(story, lead, headline_size) if not upright else ():
        setting = set_headline(setter, text, "kicker" if role == "rubric" else role, size_key, width)
        heads.append((role, setting.paragraph, setter.rows_for(setting.paragraph, HEADLINE_LEADING)))
        if setting.overflow:
            overflow.append((f"{key}.{name}", setting.overflow))
    face = setter.commentary_role if story.kind == "commentary" else "body"
    po_lan = po_lan if po_lan and span % po_lan[0] == 0 and not upright else None
    column = upright[1][0] if upright else text_width(grid, span, po_lan)
    texts = story.paragraphs
    wide = [setter.body(p, width, face) for p in texts[:1]] if intro and not upright and len(texts) > 1 else []
    paragraphs = [setter.body(p, column, face) for p in texts[len(wide):]]
    if story.byline:
        (wide or paragraphs).insert(0, setter.caption(story.byline, "", width if wide else column))
    draft = StoryDraft(key, story, span, lead, heads, paragraphs, [], 0, overflow=overflow,
                       po_lan=po_lan, intro=wide)  # figures: refit
    if upright:
        draft.vertical, draft.measure = upright
        draft.vertical_rows = upright[0].rows(grid.line_pitch)
    spans = _figure_spans(span, len(story.figures), lead, story.figure_span, across)
    draft.slot_sets = {k: [_slot(f"{key}.figures[{i}]", f, folder, grid.span_width(k), setter, limits)
                           for i, f in enumerate(story.figures)]
                       for k in spans if _on_measure(k, span, len(story.figures), po_lan)}
    return refit(draft, 0)


def text_width(grid: Grid, span: int, po_lan: tuple[int, int] | None) -> float:
    """Width of a body column: a basic column, or with a 破栏 measure N破M the module's width
    shared by its text columns, a gutter between them: (span width - (n - 1) gutters) / n."""
    if not po_lan:
        return grid.column_width
    n = span // po_lan[0] * po_lan[1]
    return (grid.span_width(span) - (n - 1) * grid.gutter) / n


def _on_measure(figure_columns: int, span: int, count: int, po_lan) -> bool:
    """Figures stand on the module's basic grid; under a 破栏 measure they must cover whole
    groups of N basic columns (so whole text columns), or the module's whole width."""
    return not po_lan or not count or figure_columns % po_lan[0] == 0 or figure_columns * count == span


def _vertical_part(key: str, story: Story, setter: Typesetter, span: int, size_key: str,
                   overflow: list) -> tuple[VerticalHeadline, tuple[float, float]] | None:
    """The vertical 主题 and the body's measure beside it; None if it cannot be set so (a story
    that asks for it gets an overflow saying why; it is then set horizontally)."""
    head = set_vertical(setter, story.headline, size_key)
    measure = body_measure(head.chars, span, setter.theme.grid)
    why = head.refusal or ("" if measure else f"a vertical headline {head.chars} characters wide leaves "
                           f"too narrow a body in a module {span} columns wide")
    if why or vertical_obstacle(story):
        if story.vertical_headline and why:
            overflow.append((f"{key}.headline", why))
        return None
    return head, measure


def _slot(key: str, figure, folder, room: float, setter: Typesetter, limits) -> FigureSlot:
    if limits is None:
        return figure_slot(key, figure, folder, room, setter)
    return figure_slot(key, figure, folder, room, setter, limits.widest_of(key), limits.area(key))


def refit(draft: StoryDraft, min_rows: int) -> StoryDraft:
    """The best fit of the draft with a body at least `min_rows` lines tall: the figure width
    that leaves the fewest empty lines, preferring the theme's wanted figure width."""
    best = None
    if not draft.slot_sets:         # no figure width fits its 破栏 measure: no module this wide
        return draft
    for fig_cols, slots in draft.slot_sets.items():
        candidate = replace(draft, figures=slots, figure_columns=fig_cols)
        fit_body(candidate, min_rows)
        score = candidate.slack + 3 * (_wanted_span(draft.lead) - fig_cols) if slots else 0
        if best is None or score < best[0]:
            best = (score, candidate)
    return best[1]


def _headline_parts(story: Story, lead: bool, headline_size: str = ""):
    """(role, the story's key, text, size) of each part of the headline set, top to bottom."""
    if story.kind == "commentary" and story.rubric:
        yield "rubric", "rubric", story.rubric, "kicker"
    if story.kicker:
        yield "kicker", "kicker", story.kicker, "kicker"
    yield "headline", "headline", story.headline, headline_size or ("lead_headline" if lead else "headline")
    if story.subhead:
        yield "kicker", "subhead", story.subhead, "subhead"


def _wanted_span(lead: bool) -> int:
    return 3 if lead else 2


def _figure_spans(span: int, count: int, lead: bool, hint: int = 0, across: bool = False) -> list[int]:
    """Figure widths (in basic columns) worth trying, widest first; at least one text column.
    An editor's `figure_span` hint is the only width tried (bounded by the module)."""
    if not count:
        return [0]
    widest = max(1, (span - 1) // count)
    if hint:
        return [min(hint, widest)]
    wide = [span // count] if across and span // count > widest else []   # the text under them
    if lead and count == 1 and span > LEAD_PHOTO_BESIDE[0]:    # a module wider than its 主图 may be:
        wide += [k for k in LEAD_PHOTO_BESIDE if k <= widest]  # the photo with text beside it
    return wide + list(range(min(_wanted_span(lead), widest), 0, -1))


#: the widths a lead's one photo is also tried at, text beside it, in a module wider than these
#: (the 主图 is at most limits.MAIN_WIDEST_COLUMNS wide: across 8 columns it stood centred)
LEAD_PHOTO_BESIDE = (6, 5)


def fit_body(draft: StoryDraft, min_rows: int = 0) -> None:
    """Smallest body height that holds every line beside figures no smaller than allowed,
    with the figures as large as that height lets them be."""
    lines = draft.body_lines
    shared = _shared_rows(draft)
    draft.figure_rows = [shared[0] if shared else s.min_rows for s in draft.figures]
    fig_total = max((r + s.caption_rows + 1 for r, s in zip(draft.figure_rows, draft.figures)), default=0)
    draft.body_rows = max(fig_total, math.ceil(lines / draft.text_columns), min_rows, draft.vertical_rows)
    while sum(draft.capacities()) < lines:
        draft.body_rows += 1
    _grow_figures(draft, lines)


def _shared_rows(draft: StoryDraft) -> tuple[int, int] | None:
    """(lowest, tallest) image rows that every figure can take, when a story's figures stand
    side by side across its top: one height for all, so their captions share a baseline (as a
    photo row does); None for one figure, or pictures too unlike to share a height in their
    crop limits (they then keep their own)."""
    if len(draft.figures) < 2:
        return None
    lowest = max(s.min_rows for s in draft.figures)
    tallest = min(s.max_rows for s in draft.figures)
    return (lowest, tallest) if lowest <= tallest else None


def _grow_figures(draft: StoryDraft, lines: int) -> None:
    """Grow figures by whole lines while the body still fits beside them (figures that share a
    height grow together)."""
    shared = _shared_rows(draft)
    if shared:
        while draft.figure_rows[0] < shared[1]:
            taller = [r + 1 for r in draft.figure_rows]
            if max(r + 1 + s.caption_rows + 1 for r, s in zip(taller, draft.figures)) > draft.body_rows:
                return
            before, draft.figure_rows = draft.figure_rows, taller
            if sum(draft.capacities()) < lines:
                draft.figure_rows = before
                return
        return
    grew = True
    while grew:
        grew = False
        for index, slot in enumerate(draft.figures):
            total = draft.figure_rows[index] + 1 + slot.caption_rows + 1
            if draft.figure_rows[index] >= slot.max_rows or total > draft.body_rows:
                continue
            draft.figure_rows[index] += 1
            if sum(draft.capacities()) < lines:
                draft.figure_rows[index] -= 1
            else:
                grew = True


def place_story(draft: StoryDraft, y: float, grid: Grid, setter: Typesetter, column: int = 0) -> StoryModule:
    """Turn a draft into a module whose top edge is at `y` pt (a grid line)."""
    pitch = grid.line_pitch
    x0 = grid.column_x(column)
    width = grid.span_width(draft.span)
    blocks, top = [], y
    for role, paragraph, rows in draft.headline_set:
        rows += draft.head_space if role == "headline" else 0     # centred in a taller zone
        blocks.append(TextBlock(Box(x0, top, width, rows * pitch), setter.html(paragraph), role,
                                len(paragraph.lines), paragraph.size))
        top += rows * pitch
    body_top = y + draft.headline_rows * pitch
    intro = _intro_column(draft, x0, body_top - draft.intro_rows * pitch, width, pitch)
    wide = text_width(grid, draft.span, draft.po_lan)
    column_width, step = draft.measure or (wide, wide + grid.gutter)
    columns = [ColumnBox(Box(x0 + c * step, body_top, column_width, draft.body_rows * pitch))
               for c in range(draft.text_columns)]
    if draft.vertical:
        blocks.append(_vertical_block(draft.vertical, x0 + width, y, setter))
    capacities = draft.capacities()
    for index in range(len(draft.figures)):
        for c in draft.covered(index):
            columns[c].box = Box(columns[c].box.x, body_top + (draft.body_rows - capacities[c]) * pitch,
                                 column_width, capacities[c] * pitch)
    full = capacities
    capacities = balanced_capacities(draft.body_lines, full, kept_breaks(draft.paragraphs, draft.skip))
    if not kept_fits(capacities, full):       # only bands place such a height: text over keeps
        capacities = balanced_capacities(draft.body_lines, full)
    last = _last_filled(capacities)
    capacities[last] -= draft.reserve
    left = flow(draft.paragraphs, columns, capacities, skip=draft.skip)
    jump = _jump_line(draft.jump_text, columns[last], setter.pitch) if draft.reserve else None
    figures = [slot.place(x0 + grid.column_x(draft._figure_columns(i).start), body_top,
                          draft.figure_rows[i], slot.caption_rows, pitch, caption_gap=3.0)
               for i, slot in enumerate(draft.figures)]
    box = Box(x0, y, width, draft.rows * pitch)
    overset = 0 if draft.reserve else left      # with a jump line, the rest continues elsewhere
    return StoryModule(draft.key, box, blocks, intro + columns, figures, draft.lead, jump=jump,
                       overset_lines=overset, kind=draft.story.kind)


def _intro_column(draft: StoryDraft, x: float, y: float, width: float, pitch: float) -> list[ColumnBox]:
    """The 导语 (and byline) across the module, a line above the body columns; [] if none."""
    if not draft.intro:
        return []
    lines = draft.intro_rows - 1
    column = ColumnBox(Box(x, y, width, lines * pitch))
    flow(draft.intro, [column], [lines])
    return [column]


def _vertical_block(head: VerticalHeadline, right: float, y: float, setter: Typesetter) -> TextBlock:
    """The vertical headline's strip at the module's right edge, as tall as its longest line
    (vertical_findings reports one longer than its module)."""
    box = Box(right - head.width, y - em_box_drop(setter, head.size), head.width, head.height)
    return TextBlock(box, headline_html(head), "vertical-headline", len(head.lines), head.size)


def _last_filled(capacities: list[int]) -> int:
    return max((i for i, c in enumerate(capacities) if c > 0), default=len(capacities) - 1)


def _jump_line(text: str, column: ColumnBox, pitch: float) -> TextBlock:
    """The 下转第N版 line right under the text of the module's last column."""
    y = column.box.y + column.lines * pitch
    return TextBlock(Box(column.box.x, y, column.box.w, pitch), Markup(escape(text)), "jump")
