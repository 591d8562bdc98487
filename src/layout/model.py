"""Stage 2: the validated content model of a special issue.

`load_issue(folder)` reads `issue.yaml` (stage 1, `source`), validates it against the issue
format and returns an `Issue`.  Every problem is collected and reported together, located by
file, line and key path; nothing is silently dropped or coerced.
"""
from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import Collector, Finding, LayoutError
from .source import Source, load_source

ISSUE_FILE = "issue.yaml"
ISSUE_NAMES = {"issue.yaml", "issue.yml"}      # lower-cased names an editor may have used
Text = Annotated[str, Field(strict=True)]
CHINESE_DIGITS = "一二三四五六七八九"
#: a 破栏 measure: N basic columns set as M text columns, in digits or Chinese (3破2, 三破二)
MEASURE_PATTERN = r"^\s*([1-9]|[一二三四五六七八九])\s*破\s*([1-9]|[一二三四五六七八九])\s*$"
WIDE_INTRO = "导语"      # measure: 导语 sets the first paragraph across the module, then columns
#: What may happen to a story that does not fit its page: nothing (an error), copyfit, or a jump.
Fit = Literal["", "copyfit", "jump"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Figure(Strict):
    """A photo with its caption and credit, placed with a story or in a page's photo group."""

    image: Text
    caption: Text
    credit: Text = ""
    # layout hints (issue 10): the page's 主图; a crop's centre; an exact crop (fractions 0-1)
    main: bool = False
    focus: tuple[float, float] | None = None
    crop: tuple[float, float, float, float] | None = None

    @field_validator("focus", "crop", mode="before")
    @classmethod
    def _fractions(cls, value: object, info) -> object:
        count = 2 if info.field_name == "focus" else 4
        form = "[x, y]" if count == 2 else "[x0, y0, x1, y1]"
        if value is None:
            return value
        numbers = isinstance(value, list) and all(_fraction(v) is not None for v in value)
        if not numbers or len(value) != count:
            shown = value if isinstance(value, list) else _show(value)
            raise ValueError(f"expected {form}: {count} numbers from 0 to 1 (fractions of the "
                             f"picture), got {shown}")
        value = [_fraction(v) for v in value]
        if count == 4 and not (value[0] < value[2] and value[1] < value[3]):
            raise ValueError(f"expected x0 < x1 and y0 < y1 in [x0, y0, x1, y1], got {value}")
        return value


def _fraction(value: object) -> float | None:
    """A number from 0 to 1 written in the YAML (the issue source keeps scalars as text)."""
    try:
        number = float(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None
    except ValueError:
        return None
    return number if number is not None and 0 <= number <= 1 else None


class Banner(Strict):
    """The 通栏 banner across the top of a special issue's page."""

    title: Text
    kicker: Text = ""
    slogan: Text = ""
    label: Text = ""


class Paragraph(BaseModel):
    """One body paragraph: an optional bold lead-in phrase, then the text."""

    model_config = ConfigDict(frozen=True)
    lead: str = ""
    text: str = ""

    @property
    def plain(self) -> str:
        return self.lead + self.text


class BriefItem(Strict):
    """One item of a briefs (简讯) module: a run-in headline and a short text."""

    headline: Text
    body: Text


class Story(Strict):
    """A story: its headline set (引题/主题/副题), byline, body and figures."""

    headline: Text
    kicker: Text = ""
    subhead: Text = ""
    byline: Text = ""
    body: Text = ""          # required but for kind: briefs (checks.py)
    figures: list[Figure] = []
    figure_span: int = Field(default=0, ge=0, le=12, strict=False)   # layout hint, basic columns
    # layout hints (issue 10): this story is the page's 头条; its module's width in basic columns
    lead: bool = False
    span: int = Field(default=0, ge=0, le=12, strict=False)
    # 破栏/变栏: `3破2` sets the body in 2 text columns over every 3 basic columns
    measure: Text = Field(default="", json_schema_extra={
        "type": "string", "pattern": f"^\\s*{WIDE_INTRO}\\s*$|{MEASURE_PATTERN}"})
    # a pin: the module's top-left corner at [basic column, grid line], both from 1
    at: tuple[Annotated[int, Field(ge=1)], Annotated[int, Field(ge=1)]] | None = None
    # module kinds (issue 10): news; commentary with its 栏头 rubric; briefs (简讯) with items
    kind: Literal["", "news", "commentary", "briefs"] = ""
    rubric: Text = ""
    items: list[BriefItem] = []
    # layout hint: the 主题 set top to bottom at the module's right (竖排标题), the body to its left
    vertical_headline: bool = False

    @field_validator("measure", mode="before")
    @classmethod
    def _measure(cls, value: object) -> object:
        if value is None or value == "":
            return ""
        if measure_of(str(value)) is None and str(value).strip() != WIDE_INTRO:
            raise ValueError(f"expected N破M with M less than N, such as 3破2 (2 text columns over "
                             f"every 3 basic columns), or {WIDE_INTRO} (the first paragraph across the "
                             f"module), got {_show(value)}")
        return str(value).strip()

    @field_validator("at", mode="before")
    @classmethod
    def _pin(cls, value: object) -> object:
        if value is None:
            return value
        numbers = [_whole(v) for v in value] if isinstance(value, list) else []
        if len(numbers) != 2 or None in numbers:
            shown = value if isinstance(value, list) else _show(value)
            raise ValueError(f"expected [column, line]: 2 whole numbers from 1 (a basic column and "
                             f"a line of the page's grid), got {shown}")
        return tuple(numbers)

    @property
    def columns_measure(self) -> tuple[int, int] | None:
        """(basic columns, text columns) of a 破栏 measure, or None for the basic grid."""
        return measure_of(self.measure) if self.measure else None

    @property
    def wide_intro(self) -> bool:
        """`measure: 导语`: the first paragraph (the 导语) is set across the module."""
        return self.measure == WIDE_INTRO

    @property
    def paragraphs(self) -> list[Paragraph]:
        if self.kind == "briefs":       # each item a paragraph under its bold run-in headline
            return [Paragraph(lead=f"■{i.headline}", text=f"　{_one_line(i.body)}") for i in self.items]
        return split_paragraphs(self.body)


def measure_of(text: str) -> tuple[int, int] | None:
    """(basic, text) columns of `N破M` (digits or 一..九), M < N; None if it is not one."""
    match = re.fullmatch(MEASURE_PATTERN, text.strip())
    if not match:
        return None
    basic, text_columns = (int(n) if n.isdigit() else CHINESE_DIGITS.index(n) + 1 for n in match.groups())
    return (basic, text_columns) if 1 <= text_columns < basic else None


def _whole(value: object) -> int | None:
    """A whole number from 1 written in the YAML (scalars are kept as text)."""
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    return int(text) if text.isdigit() and int(text) >= 1 else None
def vertical_obstacle(story: Story) -> str:
    """The key that keeps a story's headline from standing vertically (竖排标题), or "": a
    vertical headline is a news story's 主题 alone, beside a body without figures."""
    if story.kind not in ("", "news"):
        return "kind"
    return next((name for name in ("kicker", "subhead", "figures") if getattr(story, name)), "")


def _one_line(text: str) -> str:
    return "".join(line.strip() for line in text.strip().splitlines())


class Page(Strict):
    """One printed page (版): its running-header data, banner, stories and photo group."""

    section: Text = ""
    editor: Text = ""
    designer: Text = ""      # 美编, credited beside the 责任编辑
    proofreader: Text = ""   # 校对
    banner: Banner | None = None
    stories: list[Story] = []
    photos: list[Figure] = []
    fit: Fit = ""
    photos_at: Literal["", "top", "bottom"] = ""   # layout hint: the photo group first or last (default: where it reads best)
    spread: bool = False     # layout hint: this page and the next form a 通版; the banner crosses
    # the photo group's (组图) overall title and caption (issue 10)
    photos_title: Text = ""
    photos_caption: Text = ""


class Issue(Strict):
    """A special issue (特刊): paper, title, date and its pages."""

    paper: Text
    title: Text
    label: Text = ""
    date: dt.date
    theme: Text = ""
    fit: Fit = ""
    pages: list[Page] = Field(min_length=1)
    folder: Path = Field(default=Path("."), exclude=True)
    slug: str = Field(default="", exclude=True)

    @field_validator("date", mode="before")
    @classmethod
    def _real_date(cls, value: object) -> dt.date:
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise ValueError(f"expected a date written YYYY-MM-DD, got {_show(value)}")
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"not a real date: '{value.strip()}'") from None


LEAD_IN = re.compile(r"\*\*(.+?)\*\*", re.S)


def split_paragraphs(body: str) -> list[Paragraph]:
    """Paragraphs are separated by blank lines; `**…**` at a paragraph's start is its lead-in."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", body.strip()):
        text = "".join(line.strip() for line in block.splitlines())
        if not text:
            continue
        lead = ""
        match = LEAD_IN.match(text)
        if match:
            lead, text = match.group(1), text[match.end():]
        paragraphs.append(Paragraph(lead=lead, text=text))
    return paragraphs


def load_issue(folder: Path, *, check_images: bool = True) -> Issue:
    """Read and validate `folder/issue.yaml`; raise LayoutError listing every problem.

    Every content problem is found in one run: the schema's (an unknown key, a bad date), the
    written values' (a missing photo, an empty headline) and, once the issue is valid, the
    theme's (an unknown theme, a figure_span wider than its grid)."""
    folder = Path(folder)
    source = load_source(issue_file(folder), label=_label(folder / ISSUE_FILE))
    collector = Collector()
    issue = validate(source, collector)
    from .checks import check_content, check_source
    from .hints import check_hints
    check_source(folder.resolve(), source, collector, check_images=check_images)
    if issue is not None:
        issue = issue.model_copy(update={"folder": folder.resolve(), "slug": folder.resolve().name})
        check_content(issue, source, collector)
        check_hints(issue, source, collector)
    if collector.errors:
        raise LayoutError(sorted(collector.errors, key=lambda f: f.line or 0))
    return issue


def issue_file(folder: Path) -> Path:
    """`folder/issue.yaml`; raise a located error when the folder holds a look-alike instead
    (`issue.yml`, `Issue.yaml`) or issue.yaml is a link to nothing."""
    path = folder / ISSUE_FILE
    if path.is_symlink() and not path.exists():
        raise LayoutError(Finding(f"issue.yaml is a link to '{os.readlink(path)}', which does not exist",
                                  file=str(Path(_label(folder)) / ISSUE_FILE)))
    others = look_alikes(folder) if not path.exists() else []
    if others:
        raise LayoutError(Finding(f"an issue file must be named {ISSUE_FILE}: rename '{others[0].name}'",
                                  file=_label(others[0])))
    return path


def look_alikes(folder: Path) -> list[Path]:
    """Files in `folder` named like an issue file but not exactly `issue.yaml`."""
    try:
        return sorted(p for p in folder.iterdir() if p.name.lower() in ISSUE_NAMES and p.name != ISSUE_FILE)
    except OSError:
        return []


def _label(path: Path) -> str:
    try:
        # the folder resolved, not the file: a linked issue.yaml is still named as the editor sees it
        return str((path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def validate(source: Source, collector: Collector | None = None) -> Issue | None:
    """Turn the plain values into an Issue; every schema problem goes to `collector`, located
    (without one, they are raised as a LayoutError)."""
    out = collector or Collector()
    if not isinstance(source.data, dict):
        out.add("the issue file must be a mapping of keys (paper:, title:, date:, pages:)",
                file=source.label, line=source.line_of(""))
        issue = None
    else:
        try:
            issue = Issue.model_validate(source.data)
        except ValidationError as exc:
            issue = None
            for error in exc.errors(include_url=False):
                key = _key_path(error["loc"])
                out.add(_message(error), file=source.label, line=source.line_of(key), key=key)
    if collector is None:
        out.raise_if_errors()
    return issue


def _key_path(loc: tuple) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part not in ("function-after", "function-before") and not str(part).startswith("function"):
            path += f".{part}" if path else str(part)
    return path


def _message(error: dict) -> str:
    kind, value = error["type"], error.get("input")
    name = str(error["loc"][-1]) if error["loc"] else ""
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return _unknown_key(error)
    if kind in ("string_type", "str_type"):
        return f"expected text, got {_show(value)}"
    if kind == "list_type":
        return f"expected a list (lines starting with '- '), got {_show(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of keys, got {_show(value)}"
    if kind == "too_short":
        return f"needs at least one entry under '{name}'"
    if kind == "literal_error":
        choices = error["ctx"]["expected"].replace("'', ", "")
        return f"expected {choices}, got {_show(value)}"
    if kind in ("bool_parsing", "bool_type"):
        return f"expected true or false, got {_show(value)}"
    if kind in ("int_parsing", "int_type"):
        return f"expected a whole number, got {_show(value)}"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"expected a number from 0 to 12, got {_show(value)}"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    return error["msg"]


def _unknown_key(error: dict) -> str:
    name = str(error["loc"][-1])
    known = _known_keys(error["loc"][:-1])
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(known)}"
    return f"unknown key '{name}'{hint}"


def _known_keys(parent_loc: tuple) -> list[str]:
    model: type[BaseModel] = Issue
    for part in parent_loc:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[str(part)].annotation
        model = _model_in(annotation) or model
    return [k for k, f in model.model_fields.items() if not f.exclude]


def _model_in(annotation) -> type[BaseModel] | None:
    """The model class inside an annotation such as `list[Figure]` or `Banner | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _model_in(argument)
        if found:
            return found
    return None


def _show(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None or value == "":
        return "nothing"
    return f"'{value}'"
