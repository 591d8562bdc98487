"""Layout decisions: setting each kind of text (body, headline, caption) with the composer.

Every text on the page is composed by the same CJK composer with the font files of its role, so
that its line count, and therefore its height on the line grid, is known before painting.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from markupsafe import Markup

from ..composer import FontFace, Paragraph, Run, compose_paragraph, credit_names, paragraph_html
from ..composer.metrics import vertical_extents
from ..fonts import FontFile, fallback_roles
from ..model import Paragraph as BodyParagraph
from ..theme import Theme


@functools.lru_cache(maxsize=8192)
def _compose(runs: tuple[Run, ...], width: float, size: float, indent: float) -> Paragraph:
    """Composed paragraphs are kept: re-planning a page (copyfit, a live proof) reuses them.
    A composed Paragraph is never changed after composition."""
    return compose_paragraph(runs, width=width, size=size, indent=indent)


@dataclass(frozen=True)
class Typesetter:
    """Composes texts in the theme's font roles; measures them on the line grid."""

    theme: Theme
    faces: dict[str, tuple[FontFace, ...]]

    @classmethod
    def for_theme(cls, theme: Theme, fonts: dict[str, FontFile]) -> Typesetter:
        face = {role: FontFace(str(f.path), f.index) for role, f in fonts.items()}
        fallback = tuple(face[role] for role in fallback_roles(face))
        chains = {role: (f, *fallback) for role, f in face.items()}
        chains["lead"] = (face["lead"], face["body"], *fallback)
        return cls(theme, chains)

    @property
    def pitch(self) -> float:
        return self.theme.grid.line_pitch

    def body(self, paragraph: BodyParagraph, width: float) -> Paragraph:
        runs = []
        if paragraph.lead:
            runs.append(Run(paragraph.lead, self.faces["lead"], "lead"))
        runs.append(Run(paragraph.text, self.faces["body"]))
        return _compose(tuple(runs), width, self.theme.grid.body_size, self.theme.grid.indent_em)

    def caption(self, caption: str, credit: str, width: float) -> Paragraph:
        """A caption and its credit, or a byline: names in them are never split (credit_names)."""
        runs = [Run(caption, self.faces["caption"], keep=credit_names(caption))]
        if credit:
            credit = f"（{credit}）"
            runs.append(Run(credit, self.faces["caption"], "credit", credit_names(credit)))
        return _compose(tuple(runs), width, self.theme.sizes["caption"], 0)

    def display(self, text: str, role: str, size_key: str, width: float) -> Paragraph:
        """A headline-like text (kicker, headline, subhead) at its role's size."""
        return _compose((Run(text, self.faces[role]),), width, self.theme.sizes[size_key], 0)

    def baseline(self, role: str, size: float) -> float:
        """Where a line's baseline falls in a line box one body line tall, for a role's face:
        half the leading above the face's ascender (the metrics Pango uses, from HarfBuzz)."""
        ascent, descent = (e * size for e in vertical_extents(self.faces[role][0]))
        return (self.pitch - ascent - descent) / 2 + ascent

    def baseline_shift(self, role: str, size: float) -> float:
        """How far to lower a text of `role` so that its baselines sit on the body's grid."""
        return self.baseline("body", self.theme.grid.body_size) - self.baseline(role, size)

    def rows_for(self, paragraph: Paragraph, leading: float = 1.0) -> int:
        """Body lines a composed text occupies when each of its lines is `leading` x size tall."""
        height = len(paragraph.lines) * paragraph.size * leading
        return max(1, math.ceil(height / self.pitch - 1e-6))

    @staticmethod
    def html(paragraph: Paragraph) -> Markup:
        """Lines joined by newlines, for a `white-space: pre` block (class "cz-p cz-pre")."""
        return paragraph_html(paragraph, newlines=True)
