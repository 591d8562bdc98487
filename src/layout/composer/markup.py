"""Layout decisions: line composition -- HTML emission.

Writes a composed paragraph as the inner HTML of one block that WeasyPrint only has to paint:
lines joined by <br>, letter-spacing on spans of Han characters and marks, margins on Latin/
number tokens (never letter-spaced), and a `halt` span around each half-width mark. Nothing is
added to the text: copying the PDF gives the source. All text is HTML-escaped.
"""
from __future__ import annotations

from markupsafe import Markup, escape

from .classes import SPACE, WORD
from .spacing import Line, Piece

#: CSS the composer's markup needs. The block holding the lines must not wrap, justify or
#: indent on its own: the composer has decided all of it.
COMPOSER_CSS = """\
.cz-p { white-space: nowrap; text-align: left; text-indent: 0; letter-spacing: 0;
  word-spacing: 0; hyphens: manual; font-kerning: normal; }
.cz-j { }
.cz-h { font-feature-settings: "halt"; }
.cz-w { letter-spacing: 0; }
.cz-d { font-feature-settings: "fwid"; }
.cz-i { }
.cz-p.cz-pre { white-space: pre; }
"""


def _pt(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") + "pt"


def _piece_html(piece: Piece) -> str:
    text = str(escape(piece.text))
    if piece.kind == WORD:
        style = []
        if piece.margin_left:
            style.append(f"margin-left:{_pt(piece.margin_left)}")
        if piece.margin_right:
            style.append(f"margin-right:{_pt(piece.margin_right)}")
        attr = f' style="{";".join(style)}"' if style else ""
        return f'<span class="cz-w"{attr}>{text}</span>'
    if piece.halt:
        return f'<span class="cz-h">{text}</span>'
    if text[0] == "—":  # —— is full width (2 em) whatever script Pango gives its box
        return f'<span class="cz-d">{text}</span>'
    return text


def _group_html(pieces: list[Piece], spacing: float) -> str:
    """One run's pieces on one line: consecutive spaced pieces share a letter-spaced span.

    The line's last character joins the span before it (so that it is shaped with its Han
    neighbours); a negative right margin takes back the letter-spacing after it.
    """
    out, spaced = [], []
    for piece in pieces + [None]:
        if piece is not None and piece.kind not in (WORD, SPACE) and (piece.spaced or piece.last and spaced):
            spaced.append(_piece_html(piece))
            if not piece.last:
                continue
        if spaced:
            trim = f";margin-right:{_pt(-spacing)}" if piece is not None and piece.last else ""
            out.append(f'<span class="cz-j" style="letter-spacing:{_pt(spacing)}{trim}">{"".join(spaced)}</span>')
            spaced = []
            if piece is not None and piece.last:
                continue
        if piece is not None:
            out.append(_piece_html(piece))
    return "".join(out)


def _line_html(line: Line, classes: list[str | None], indent: float) -> str:
    out, group = [], []
    for piece in list(line.pieces) + [None]:
        if piece is not None and (not group or group[-1].run == piece.run):
            group.append(piece)
            continue
        html = _group_html(group, line.letter_spacing)
        css = classes[group[0].run]
        if css == "lead":
            html = f'<strong class="lead">{html}</strong>'
        elif css:
            html = f'<span class="{escape(css)}">{html}</span>'
        out.append(html)
        group = [piece] if piece is not None else []
    html = "".join(out)
    if line.first and indent:
        html = f'<span class="cz-i" style="margin-left:{_pt(indent)}">{html}</span>'
    return html


def paragraph_html(paragraph, *, newlines: bool = False) -> Markup:
    """The inner HTML of one <p class="cz-p">: the paragraph's lines joined by <br>.

    With newlines=True the lines are joined by a newline character instead, for a block with
    `white-space: pre` (<p class="cz-p cz-pre">): WeasyPrint 70 lays that out markedly faster
    (fewer boxes). Source text should then hold no runs of spaces (pre does not collapse them).
    """
    return lines_html(paragraph, 0, len(paragraph.lines), newlines=newlines)


def lines_html(paragraph, start: int, stop: int, *, newlines: bool = False) -> Markup:
    """The HTML of lines start..stop of a composed paragraph: a column's share of it when a
    paragraph continues from one column into the next."""
    classes = [run.css_class for run in paragraph.runs]
    joiner = "\n" if newlines else "<br>"
    return Markup(joiner.join(_line_html(line, classes, paragraph.indent)
                              for line in paragraph.lines[start:stop]))
