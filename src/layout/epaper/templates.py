"""E-paper stage: the site's HTML and CSS from Jinja2 templates (`epaper/templates/`).

Templates autoescape every value, as the print templates do: a headline holding `<script>`
shows as text. Fonts are not copied into the site (a CJK face is 10-20 MB): the stylesheet
names the theme's families first, then the faces a reader's system usually has for the same
style (宋体, 黑体, 楷体), then the generic family; with `lang="zh-CN"` the browser takes the
simplified Chinese forms.
"""
from __future__ import annotations

from pathlib import Path

import jinja2

from ..context import date_text

TEMPLATES = Path(__file__).parent / "templates"
#: faces a reader's system may have, by style, after the theme's own family
SYSTEM_FACES = {
    "serif": ["Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "STSong", "SimSun"],
    "sans-serif": ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei"],
    "kai": ["LXGW WenKai", "Kaiti SC", "STKaiti", "KaiTi"],
}
GENERIC = {"serif": "serif", "sans-serif": "sans-serif", "kai": "serif"}
ROLES = ("body", "headline", "kicker", "lead", "caption", "furniture")


def environment() -> jinja2.Environment:
    """HTML templates autoescape; the stylesheet holds only theme data, quoted as CSS (css_string)."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                              autoescape=lambda name: name is None or not name.endswith(".css.j2"),
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def font_style(family: str) -> str:
    """The style of a family, by its name: 楷体 (Kai), 黑体 (Sans) or 宋体 (serif)."""
    name = family.lower()
    if "kai" in name:
        return "kai"
    if "sans" in name or "hei" in name:
        return "sans-serif"
    return "serif"


def font_stack(family: str) -> str:
    """A CSS font-family list: the theme's family, like faces, the generic family."""
    style = font_style(family)
    names = [family] + [f for f in SYSTEM_FACES[style] if f != family]
    return ", ".join(css_string(name) for name in names) + f", {GENERIC[style]}"


def css_string(text: str) -> str:
    """`text` as a CSS string: quotes, backslashes, line breaks and `<` escaped (a family name
    from theme.yaml cannot end the string, the rule or the stylesheet)."""
    return '"' + "".join(f"\\{ord(c):x} " if c in '"\\\n\r<>{};' else c for c in text) + '"'


def font_stacks(theme) -> dict[str, str]:
    return {role: font_stack(theme.fonts[role].family) for role in ROLES if theme.fonts.get(role)}


def write_templates(folder: Path, issue, theme, views, articles) -> list[Path]:
    """index.html, page-N.html, article-P-S.html and style.css into `folder`."""
    env = environment()
    common = {"issue": {"paper": issue.paper, "title": issue.title, "label": issue.label,
                        "date": date_text(issue)},
              "pages": views, "articles": articles}
    out = [_write(folder / "style.css", env.get_template("style.css.j2").render(
        fonts=font_stacks(theme), colours={k: v["rgb"] for k, v in theme.colours.items()}))]
    out.append(_write(folder / "index.html", env.get_template("index.html.j2").render(common)))
    page = env.get_template("page.html.j2")
    for view in views:
        out.append(_write(folder / view.file, page.render(common, page=view)))
    article = env.get_template("article.html.j2")
    for item in articles:
        out.append(_write(folder / item.file, article.render(common, article=item)))
    return out


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
