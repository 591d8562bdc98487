"""Layout decisions: a headline set (引题, 主题, 副题, 栏头) broken where the editor says.

An editor's line break (`\\n` in the YAML string) is kept, and no other break is added to that
line. Without one, a headline breaks only at the editor's phrase spaces (奋进平顺 踏征途), into
as few lines as fit the module, balanced; never inside a phrase (a word). A line that cannot
fit the module's width is an overflow: the width is not a variant of the module (variants.py)
and, where no width fits, a located error (`Setting.overflow`).
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ..composer import Paragraph, Run
from .typeset import Typesetter, _compose

PHRASE_SPACE = re.compile(r"[ \u3000]+")
MAX_PHRASES = 12         # phrases tried for balanced breaks (more: greedy)


@dataclass(frozen=True)
class Setting:
    """A headline text set in lines; `overflow` says which line is too wide, if any."""

    paragraph: Paragraph
    overflow: str = ""


def set_headline(setter: Typesetter, text: str, role: str, size_key: str, width: float) -> Setting:
    size = setter.theme.sizes[size_key]
    faces = setter.faces[role]
    editor_lines = [PHRASE_SPACE.sub(" ", line.strip()) for line in text.strip().split("\n") if line.strip()]
    if len(editor_lines) > 1:
        lines = editor_lines
    else:
        lines = _phrase_lines(editor_lines[0].split(" ") if editor_lines else [""],
                              lambda t: _natural(t, faces, size), width)
    composed = [_compose((Run(line, faces),), 100000.0, size, 0).lines[0] for line in lines]
    paragraph = Paragraph(composed, (Run(" ".join(lines), faces),), size, width, 0.0)
    wide = [line for line in composed if line.width > width + 0.01]
    overflow = (f"the line '{wide[0].text}' is {wide[0].width:.0f} pt wide at {size:g} pt, wider than "
                f"its module ({width:.0f} pt): shorten it, or break it with a phrase space or a line "
                f"break (\\n)") if wide else ""
    return Setting(paragraph, overflow)


def _natural(text: str, faces, size: float) -> float:
    return _compose((Run(text, faces),), 100000.0, size, 0).lines[0].width


def _phrase_lines(phrases: list[str], measure, width: float) -> list[str]:
    """The phrases in as few lines as fit `width`, the widest line as narrow as can be; one
    line per phrase if even that does not fit (the caller reports the overflow)."""
    if len(phrases) > MAX_PHRASES:
        return _greedy(phrases, measure, width)
    best = None
    for count in range(1, len(phrases) + 1):
        for cuts in itertools.combinations(range(1, len(phrases)), count - 1):
            bounds = (0, *cuts, len(phrases))
            lines = [" ".join(phrases[a:b]) for a, b in zip(bounds, bounds[1:])]
            widest = max(measure(line) for line in lines)
            if widest <= width + 0.01 and (best is None or widest < best[0] - 0.01):
                best = (widest, lines)
        if best is not None:
            return best[1]
    return phrases


def _greedy(phrases: list[str], measure, width: float) -> list[str]:
    lines = [phrases[0]]
    for phrase in phrases[1:]:
        joined = f"{lines[-1]} {phrase}"
        if measure(joined) <= width + 0.01:
            lines[-1] = joined
        else:
            lines.append(phrase)
    return lines
