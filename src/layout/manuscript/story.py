"""Stage "import": a manuscript's units mapped to a story (headline set, byline, body, figures).

- headline: the first paragraph in the Title style (标题) or starting "主题：" / "标题：", else
  the first heading (Heading 1-9); else the first paragraph, with a warning;
- kicker (引题) and subhead (副题): paragraphs in a style of that name (引题/肩题, 副题/副标题 or
  Subtitle) or starting "引题：" / "副题：" (the marker is dropped);
- byline: the short paragraphs starting 本报记者, 记者, 通讯员 … (not sentences) that come before
  any other text but the headline set, joined by a space;
- figures: each picture, captioned by the paragraph right under it when that looks like a
  图说 (the Caption style, centred, starting 图/图为, or ending in …摄) or the picture has no
  alt text; else by its alt text. A "…摄" ending becomes the credit;
- body: every other paragraph with text, in order; the bold runs that start a paragraph are its
  `**lead-in**` (a paragraph bold throughout, a crosshead, is all lead-in). Leading indents
  (spaces, U+3000) are dropped; a line break inside a paragraph joins its text (in the
  headline set, with a space), a tab is a space.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx.document import Document

from ..errors import Finding, Severity
from ..text import normalise
from .blocks import Unit
from .pictures import Picture, count_in, pictures_in, split_credit

MARKED = re.compile(r"^(引题|肩题|副题|副标题|主题|标题)\s*[：:]\s*")
MARKS = {"引题": "kicker", "肩题": "kicker", "副题": "subhead", "副标题": "subhead",
         "主题": "headline", "标题": "headline"}
STYLES = {"title": "headline", "标题": "headline", "引题": "kicker", "肩题": "kicker", "kicker": "kicker",
          "subtitle": "subhead", "副标题": "subhead", "副题": "subhead", "subhead": "subhead"}
HEADING = re.compile(r"^(heading|标题)\s*\d$")
CAPTION_STYLES = {"caption", "题注", "图说", "图片说明"}
BYLINE = re.compile(r"^(本报|新华社|特约)?(首席)?(记者|通讯员)")
CAPTION_START = re.compile(r"^[（(]?(图为|图：|图:|图片|上图|下图|左图|右图|图\d)")
SENTENCE_END = "。！？!?"
MAX_BYLINE = 60


@dataclass
class ImportedFigure:
    picture: Picture
    caption: str
    credit: str = ""


@dataclass
class Story:
    """What a manuscript gives a story: the headline set, byline, body paragraphs, figures."""

    headline: str = ""
    kicker: str = ""
    subhead: str = ""
    byline: str = ""
    paragraphs: list[str] = field(default_factory=list)
    figures: list[ImportedFigure] = field(default_factory=list)


def compose_story(units: list[Unit], document: Document, label: str, findings: list[Finding]) -> Story:
    """Map the units to a story; located problems go to `findings`."""
    story = Story()
    roles = _head_roles(units, label, findings)
    problems: list[tuple[str, str]] = []
    pending: list[Picture] = []                 # pictures still waiting for their 图说
    lenient = True                              # their 图说 just because they lack alt text?
    numbered = 1
    for index, unit in enumerate(units):
        text, role = clean(unit.text), roles.get(index)
        pictures = pictures_in(unit, document, numbered, problems)
        numbered += count_in(unit)
        if pending and text and not role and _is_caption(unit, text, pending[-1], lenient):
            _add_figures(story, pending, text, label, findings)
            pending, lenient = pictures, True
            continue
        if pending and (text or pictures):
            _add_figures(story, pending, "", label, findings)
            pending = []
        if pictures and text and not role and _is_caption(unit, text, pictures[-1], False):
            _add_figures(story, pictures, text, label, findings)       # picture and 图说 in one
            continue
        if role:
            _set(story, role, MARKED.sub("", clean(unit.text, breaks=" ")))
        elif text:
            story.paragraphs.append(_with_lead_in(unit))
        if pictures:
            pending, lenient = pictures, not text
    _add_figures(story, pending, "", label, findings)
    findings += [Finding(message, file=label, key=place) for place, message in problems]
    return story


def clean(text: str, breaks: str = "") -> str:
    """A paragraph's text as it will be printed: in NFC, no indent; line breaks inside replaced
    by `breaks`, tabs by a space."""
    text = re.sub(r"[\n\r\v\f]+", breaks, normalise(text)).replace("\t", " ")
    return text.strip(" \u3000\u00a0")


def _head_roles(units: list[Unit], label: str, findings: list[Finding]) -> dict[int, str]:
    """Which units are the kicker, headline, subhead and byline (by index)."""
    roles: dict[int, str] = {}
    for index, unit in enumerate(units):
        role = _role(unit)
        if role and role not in roles.values() and unit.origin == "paragraph":
            roles[index] = role
    if "headline" not in roles.values():
        heading = next((i for i, u in enumerate(units) if i not in roles and u.origin == "paragraph"
                        and HEADING.match(_style(u)) and clean(u.text)), None)
        first = next((i for i, u in enumerate(units) if i not in roles and u.origin == "paragraph"
                      and clean(u.text)), None)
        if heading is None and first is not None:
            findings.append(Finding(
                f"no paragraph in the Title style or a heading style: the first paragraph "
                f"'{clean(units[first].text)[:20]}' is taken as the headline", file=label,
                key=units[first].place, severity=Severity.WARNING))
        chosen = heading if heading is not None else first
        if chosen is not None:
            roles[chosen] = "headline"
    roles.update(dict.fromkeys(_bylines(units, roles), "byline"))
    return roles


def _bylines(units: list[Unit], roles: dict[int, str]) -> list[int]:
    """The byline: the lines like one (本报记者 张三 / 通讯员 李四) that come before any other
    text of the manuscript but its headline set (a crosshead 记者手记 in the body is no byline)."""
    found = []
    for index, unit in enumerate(units):
        if index in roles or not clean(unit.text):
            continue
        if unit.origin != "paragraph" or not _is_byline(clean(unit.text)):
            break
        found.append(index)
    return found


def _role(unit: Unit) -> str:
    marked = MARKED.match(clean(unit.text))
    if marked:
        return MARKS[marked.group(1)]
    return STYLES.get(_style(unit), "") if clean(unit.text) else ""


def _style(unit: Unit) -> str:
    return re.sub(r"\s+", " ", unit.style.strip().lower())


def _is_byline(text: str) -> bool:
    return bool(BYLINE.match(text)) and len(text) <= MAX_BYLINE and not text.endswith(tuple(SENTENCE_END))


def _is_caption(unit: Unit, text: str, picture: Picture, lenient: bool) -> bool:
    """Whether `text`, right under `picture`, is its 图说: it looks like one, or (`lenient`) the
    picture has no alt text to be captioned by."""
    return (_style(unit) in CAPTION_STYLES or unit.centred or bool(CAPTION_START.match(text))
            or bool(split_credit(text)[1]) or (lenient and not picture.alt))


def _set(story: Story, role: str, text: str) -> None:
    current = getattr(story, role)
    setattr(story, role, f"{current} {text}" if current else text)


def _add_figures(story: Story, pictures: list[Picture], text: str, label: str,
                 findings: list[Finding]) -> None:
    """Figures for `pictures`: the last one captioned by `text` (its 图说), the others by their
    alt text; a picture with neither is an error."""
    for picture in pictures:
        caption, credit = split_credit(text if picture is pictures[-1] else "")
        if not caption:
            caption, alt_credit = split_credit(picture.alt)
            credit = credit or alt_credit
        if not caption:
            findings.append(Finding(
                f"picture {picture.number} ({picture.name}) has no caption: write its 图说 in the "
                "paragraph right under it, or give the picture alt text", file=label, key=picture.place))
            continue
        story.figures.append(ImportedFigure(picture, caption, credit))


def _with_lead_in(unit: Unit) -> str:
    """The paragraph's text, its leading bold runs marked `**…**`."""
    lead, rest, leading = [], [], True
    for text, bold in unit.runs:
        if leading and (bold or not text.strip()):
            lead.append(text)
        else:
            leading = False
            rest.append(text)
    lead_text, rest_text = clean("".join(lead)), "".join(rest)
    if not lead_text:
        return clean(unit.text)
    return f"**{lead_text}**{clean(rest_text) if rest_text.strip() else ''}"
