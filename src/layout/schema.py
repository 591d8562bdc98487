"""The issue format as JSON Schema, for editors' tools (`layout schema`).

Generated from the content model (`model.Issue`), so it cannot drift from what `layout` accepts.
The descriptions (Chinese, then English, as in the README) live in `DESCRIPTIONS`, keyed by the
model's class and field names, and are applied when the schema is generated: the model's field
lines carry no schema text. Fields without an entry keep the model's docstring only
(`undescribed()` lists them; a test keeps the list empty).

The schema reads an issue file as YAML-language-server does (YAML 1.2): `2026` is a number,
`true` a boolean, an empty value null. `layout` itself reads every scalar as text, so wherever
the model takes text the schema also takes a number, a boolean or nothing; where it takes true
or false, the YAML 1.1 words (`yes`, `off`...) too; an optional mapping (`banner:`) left empty
is refused by both.
"""
from __future__ import annotations

import json

from pydantic.json_schema import GenerateJsonSchema

from .model import Issue

DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: what pydantic takes as true or false when written as text (case-insensitive)
BOOL_WORDS = ["true", "false", "yes", "no", "on", "off", "y", "n", "t", "f", "1", "0"]
SCALAR = ["string", "number", "boolean", "null"]

#: (class, field) -> description; (class, "") -> the object's own. 中文 — English.
DESCRIPTIONS: dict[tuple[str, str], str] = {
    ("Issue", ""): "特刊：报名、标题、日期和版面 — A special issue: paper, title, date and its pages.",
    ("Issue", "paper"): "报名（必填） — The newspaper's name (required).",
    ("Issue", "title"): "特刊标题（必填） — The special issue's title (required).",
    ("Issue", "label"): "特刊标识；某版没有版名时用于报眉 — Special-issue label (running header when a page has no section).",
    ("Issue", "date"): "出版日期，写作 YYYY-MM-DD（必填） — Publication date, written YYYY-MM-DD (required).",
    ("Issue", "theme"): "templates/ 下的模板（默认 newspaper） — Template set under templates/ (default: newspaper).",
    ("Issue", "fit"): "排不下时：copyfit 收紧行距，jump 转版 — "
        "What an overset page does: copyfit tightens the line pitch, jump continues the story on an "
        "added page.",
    ("Issue", "pages"): "版面，至少一个 — The pages (版), at least one.",
    ("Page", ""): "一个版：报眉、通栏、稿件和组图 — One printed page (版): running header, banner, stories and photo group.",
    ("Page", "section"): "版名，印在报眉 — Section name in the running header (报眉).",
    ("Page", "editor"): "责任编辑 — The page's editor (责任编辑).",
    ("Page", "designer"): "美编 — The page's designer (美编), credited with the editor.",
    ("Page", "proofreader"): "校对 — The page's proofreader (校对), credited with the editor.",
    ("Page", "banner"): "版面顶部的通栏 — The 通栏 banner across the top of the page.",
    ("Page", "stories"): "本版稿件，按顺序排；第一篇是头条 — The page's stories in order; the first is the lead.",
    ("Page", "photos"): "本版组图，键与 figures 相同 — The page's photo group: same keys as figures.",
    ("Page", "fit"): "本版排不下时：copyfit 或 jump — What this page does when overset: copyfit or jump.",
    ("Page", "photos_at"): "组图位置：top 在稿件上方，bottom 在下方 — "
        "Where the photo group goes: top (above the stories) or bottom.",
    ("Page", "spread"): "本版与下一版组成通版，通栏跨过中缝 — "
        "This page and the next form a 通版; the banner crosses the gutter.",
    ("Page", "photos_title"): "组图总标题 — The photo group's overall title.",
    ("Page", "photos_caption"): "组图总说明 — The photo group's overall caption.",
    ("Banner", ""): "版面顶部的通栏 — The 通栏 banner across the top of a page.",
    ("Banner", "title"): "通栏标题（必填） — The banner's title (required).",
    ("Banner", "kicker"): "通栏引题 — The banner's kicker.",
    ("Banner", "slogan"): "通栏口号 — The banner's slogan.",
    ("Banner", "label"): "通栏标识，如“两会特刊” — The banner's label, such as 两会特刊.",
    ("Story", ""): "一篇稿件：引题、主题、副题、署名、正文和配图 — A story: kicker, headline, subhead, byline, body and figures.",
    ("Story", "headline"): "主题（必填） — The headline (required).",
    ("Story", "kicker"): "引题 — The kicker above the headline.",
    ("Story", "subhead"): "副题 — The subhead under the headline.",
    ("Story", "byline"): "署名，如“本报记者 某某” — The byline.",
    ("Story", "body"): "正文（必填）：段落之间空一行；段首 **…** 为加粗导语 — "
        "The body (required): paragraphs separated by a blank line; **…** at a paragraph's start is its "
        "bold lead-in.",
    ("Story", "figures"): "稿件配图，排在正文右上方 — The story's figures, at the top right of its body.",
    ("Story", "figure_span"): "配图宽度，以基本栏计（0 为自动） — "
        "Width of the story's figures in basic columns (0: automatic).",
    ("Story", "lead"): "本稿为本版头条 — This story is the page's lead (头条).",
    ("Story", "span"): "稿件模块宽度，以基本栏计（0 为自动） — The story module's width in basic columns (0: automatic).",
    ("Story", "measure"): "破栏/变栏：N破M，每 N 个基本栏排 M 栏正文，如 3破2 — "
        "A 破栏 measure N破M: the body in M wider text columns over every N basic columns, such as 3破2.",
    ("Story", "at"): "定位 [栏, 行]：模块左上角在第几基本栏、版心第几行（从 1 起，含通栏所占的行） — "
        "A pin [column, line]: the module's top-left corner at this basic column and line of the "
        "type area, from 1 (the banner's lines count).",
    ("Story", "kind"): "稿件类型：news 消息、commentary 评论、briefs 简讯 — Module kind: news, commentary or briefs.",
    ("Story", "rubric"): "评论的栏头 — A commentary's rubric (栏头).",
    ("Story", "vertical_headline"): "竖排标题：主题在模块右侧自上而下排，正文在其左 — "
        "A vertical headline (竖排标题): the headline set top to bottom at the module's right, the body "
        "to its left.",
    ("Story", "items"): "简讯条目（kind: briefs） — The items of a briefs module (kind: briefs).",
    ("BriefItem", ""): "一条简讯：标题和短文 — One brief: a run-in headline and a short text.",
    ("BriefItem", "headline"): "简讯标题（必填） — The brief's run-in headline (required).",
    ("BriefItem", "body"): "简讯正文（必填） — The brief's text (required).",
    ("Figure", ""): "一张图片及其图片说明和署名 — A photo with its caption and credit.",
    ("Figure", "image"): "图片文件，在特刊文件夹内（必填） — The photo file, inside the issue folder (required).",
    ("Figure", "caption"): "图片说明（必填） — The caption (required).",
    ("Figure", "credit"): "摄影署名，如“本报记者 某某 摄” — The photo credit.",
    ("Figure", "main"): "本版主图 — This photo is the page's main photo (主图).",
    ("Figure", "focus"): "裁切中心 [x, y]，0 到 1 — The crop's centre [x, y], fractions 0 to 1.",
    ("Figure", "crop"): "精确裁切 [x0, y0, x1, y1]，0 到 1 — An exact crop [x0, y0, x1, y1], fractions 0 to 1.",
}


class IssueSchema(GenerateJsonSchema):
    """Pydantic's generator, reading scalars as `layout` does and leaving out internal fields."""

    def field_is_present(self, field) -> bool:
        return not field.get("serialization_exclude") and super().field_is_present(field)

    def str_schema(self, schema) -> dict:
        return {"type": SCALAR}        # text: any scalar (layout reads `2026` as the text '2026')

    def bool_schema(self, schema) -> dict:
        words = BOOL_WORDS + [w.upper() for w in BOOL_WORDS] + [w.title() for w in BOOL_WORDS]
        return {"anyOf": [{"type": "boolean"}, {"enum": [0, 1]}, {"enum": sorted(set(words))}]}

    def literal_schema(self, schema) -> dict:
        out = super().literal_schema(schema)
        if "" in out.get("enum", []):                 # an empty value is the default
            out = {"enum": out["enum"] + [None]}
        return out

    def nullable_schema(self, schema) -> dict:
        return self.generate_inner(schema["schema"])   # layout reads an empty value as text, not null

    def date_schema(self, schema) -> dict:
        return {"type": "string", "format": "date", "pattern": r"^\s*\d{4}-\d{2}-\d{2}\s*$"}


def issue_schema() -> dict:
    """The JSON Schema of issue.yaml, with the bilingual descriptions."""
    schema = Issue.model_json_schema(schema_generator=IssueSchema)
    for name, model in [("Issue", schema), *schema.get("$defs", {}).items()]:
        _describe(name, model)
    return {"$schema": DIALECT, **schema}


def _describe(name: str, model: dict) -> None:
    model.pop("title", None)
    if (name, "") in DESCRIPTIONS:
        model["description"] = DESCRIPTIONS[name, ""]
    for field, prop in model.get("properties", {}).items():
        prop.pop("title", None)
        if (name, field) in DESCRIPTIONS:
            prop["description"] = DESCRIPTIONS[name, field]


def undescribed() -> list[str]:
    """`Class.field` of every field in the schema without a description."""
    schema = issue_schema()
    return [f"{name}.{field}" for name, model in [("Issue", schema), *schema["$defs"].items()]
            for field, prop in model.get("properties", {}).items() if "description" not in prop]


def schema_text() -> str:
    return json.dumps(issue_schema(), ensure_ascii=False, indent=2) + "\n"
