"""E-paper stage: one article page per story, from the validated model (the print text).

An article is the story as the PDF prints it: its headline set (栏头, 引题, 主题, 副题) with the
editor's line breaks, its byline, its paragraphs with their bold lead-ins (a briefs module's
items as the composer sets them: `■headline`, then the text), and its figures, each with its
caption and credit as the caption line prints them (`caption（credit）`). The text is the model's,
NFC-normalised like every text the composer sets; the templates escape it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Issue, Paragraph, Story

STORY_KEY = re.compile(r"^pages\[(\d+)\]\.stories\[(\d+)\]$")


@dataclass(frozen=True)
class ArticleFigure:
    """A story's photo on the web: the site's image file, its caption and credit."""

    key: str
    file: str
    caption: str
    credit: str
    width: int = 0
    height: int = 0

    @property
    def caption_line(self) -> str:
        """The caption as printed under the photo: `caption（credit）`."""
        return f"{self.caption}（{self.credit}）" if self.credit else self.caption


@dataclass
class Article:
    """One story's article page: where it is printed and what it says."""

    key: str
    story: Story
    pages: list[int] = field(default_factory=list)      # the 版次 it is printed on, first first
    figures: list[ArticleFigure] = field(default_factory=list)
    previous: Article | None = None
    next: Article | None = None

    @property
    def file(self) -> str:
        return article_file(self.key)

    @property
    def rubric(self) -> str:
        return self.story.rubric if self.story.kind == "commentary" else ""

    @property
    def headline_lines(self) -> list[str]:
        return headline_lines(self.story.headline)

    @property
    def kicker_lines(self) -> list[str]:
        return headline_lines(self.story.kicker)

    @property
    def subhead_lines(self) -> list[str]:
        return headline_lines(self.story.subhead)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return self.story.paragraphs

    @property
    def blocks(self) -> list[tuple[str, object]]:
        """The body in reading order: ("paragraph", p) and ("figure", f), the first figure after
        the lead paragraph, the others spread evenly through the text (none is left out)."""
        paragraphs, figures = self.paragraphs, self.figures
        step = max(1, len(paragraphs) // max(1, len(figures)))
        after = [min(len(paragraphs) - 1, i * step) for i in range(len(figures))]
        out = [("figure", f) for f, at in zip(figures, after) if at < 0]      # a story without paragraphs
        for index, paragraph in enumerate(paragraphs):
            out.append(("paragraph", paragraph))
            out += [("figure", f) for f, at in zip(figures, after) if at == index]
        return out

    @property
    def title(self) -> str:
        """The headline on one line, for the window title and the links."""
        return " ".join(self.headline_lines)


def article_file(key: str) -> str:
    """`pages[0].stories[2]` -> `article-1-3.html` (版 and story numbers counted from 1)."""
    match = STORY_KEY.match(key)
    if match is None:
        raise ValueError(f"not a story key: {key!r}")
    return f"article-{int(match.group(1)) + 1}-{int(match.group(2)) + 1}.html"


def headline_lines(text: str) -> list[str]:
    """A headline's lines as the editor broke them (`\\n`), each stripped; none when empty."""
    return [line.strip() for line in text.strip().split("\n") if line.strip()]


def collect_articles(issue: Issue, printed_on: dict[str, list[int]],
                     figures: dict[str, ArticleFigure]) -> list[Article]:
    """Every story of the issue in reading order (page by page, as the issue file lists them),
    linked to the one before and after it. `printed_on` maps a story key to the page numbers
    its modules are on; `figures` a figure key to its web image."""
    articles = []
    for page_index, page in enumerate(issue.pages):
        for story_index, story in enumerate(page.stories):
            key = f"pages[{page_index}].stories[{story_index}]"
            found = [figures[f"{key}.figures[{i}]"] for i, _ in enumerate(story.figures)
                     if f"{key}.figures[{i}]" in figures]
            articles.append(Article(key, story, sorted(printed_on.get(key, [])), found))
    for before, after in zip(articles, articles[1:]):
        before.next, after.previous = after, before
    return articles

