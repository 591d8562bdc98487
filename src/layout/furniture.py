"""Stage 4 (context): the page furniture, the running header (报眉) and the editors' credits.

An inner page's 报眉 sits above a rule across the whole type area: the paper's name, the 版次
(第2版) and the 版名 emphasised (bold; the 版名 reversed, red or bold as the theme says), the
date at the right. The first page under its banner keeps the banner as its masthead: a plain
line, no rule and no emphasis. The credits (责任编辑, 美编, 校对) are small, in the caption face,
in the 报眉 before the date or under the type area (`running_head.credits`).
"""
from __future__ import annotations

from dataclasses import dataclass

from .page import PagePlan
from .theme import Theme

#: (PagePlan attribute, the credit's word), in the order they are printed
CREDIT_ROLES = (("editor", "责任编辑"), ("designer", "美编"), ("proofreader", "校对"))
HEAD_HEIGHT = 18.0     # pt: the 报眉's line, above its rule
HEAD_GAP = 8.0         # pt: from the rule to the top of the type area


@dataclass(frozen=True)
class RunningHead:
    """What the 报眉 of one page prints, and where (pt from the type area's corner)."""

    masthead: bool        # the first page under its banner: a plain line, no rule
    paper: str
    folio: str            # 版次: 第2版
    section: str          # 版名
    date: str
    credits: str          # 责任编辑：某某　美编：某某 (empty when none is given)
    credits_at_foot: bool
    top: float            # the 报眉's top edge, above the type area (negative)
    height: float
    rule: float           # the rule's thickness (its bottom edge is the 报眉's bottom)


def credit_line(plan: PagePlan) -> str:
    """`责任编辑：某某　美编：某某　校对：某某`, each name the page gives, in that order."""
    return "\u3000".join(f"{word}：{getattr(plan, name)}" for name, word in CREDIT_ROLES
                         if getattr(plan, name, "").strip())


def running_head(plan: PagePlan, paper: str, date: str, theme: Theme) -> RunningHead:
    """The 报眉 of `plan`'s page."""
    style = theme.running_head
    return RunningHead(
        masthead=plan.number == 1 and plan.banner is not None,
        paper=paper, folio=f"第{plan.number}版", section=plan.section, date=date,
        credits=credit_line(plan), credits_at_foot=style.credits == "foot",
        top=-(HEAD_HEIGHT + HEAD_GAP), height=HEAD_HEIGHT, rule=style.rule)
