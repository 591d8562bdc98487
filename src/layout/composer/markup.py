"""Layout decisions: line composition -- HTML emission.

Writes a composed paragraph as the inner HTML of one block that WeasyPrint only has to paint:
lines joined by <br>, letter-spacing on spans of Han characters and marks, margins on Latin/
number tokens (never letter-spaced), and a `halt` span around each half-width mark. Nothing is
added to the text: copying the PDF gives the source. All text is HTML-escaped.
"""
from __future__ import annotations

from markupsafe import Markup, escape

from .classes import CLOSING_MARKS, DASHES, SPACE, WORD, is_unit
from .metrics import feature_neutral, halt_trims_right
from .spacing import Line, Piece

#: CSS the composer's markup needs. The block holding the lines must not wrap, justify or
#: indent on its own: the composer has decided all of it.
COMPOSER_CSS = """\
.cz-p { white-space: nowrap; text-align: left; text-indent: 0; letter-spacing: 0;
  word-spacing: 0; }
.cz-j { }
.cz-h { font-feature-settings: "halt"; }
.cz-w { letter-spacing: 0; font-feature-settings: normal; }
.cz-d { letter-spacing: 0; font-feature-settings: "fwid"; }
.cz-e { letter-spacing: 0; }
.cz-i { }
.cz-p.cz-pre { white-space: pre; }
"""

#: WeasyPrint's time goes by inline box (a computed style and a layout pass for each), so the
#: markup uses as few elements as it can: one letter-spaced span per run and line, holding the
#: tokens and marks it spaces; one `halt` span for the marks of a line, and the Han characters
#: between them, when the feature leaves those characters as they are; no span where the
#: spacing is 0.


def _pt(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") + "pt"


def _word_html(piece: Piece) -> str:
    """A Latin/number token: never letter-spaced; the Han–Latin space and the line's spacing
    after it are margins."""
    style = []
    if piece.margin_left:
        style.append(f"margin-left:{_pt(piece.margin_left)}")
    if piece.margin_right:
        style.append(f"margin-right:{_pt(piece.margin_right)}")
    attr = f' style="{";".join(style)}"' if style else ""
    return f'<span class="cz-w"{attr}>{escape(piece.text)}</span>'


def _bare_word(piece: Piece) -> bool:
    """A one-character token with no Han–Latin space (· + /): painted as bare text, and
    spaced like a Han character."""
    return piece.kind == WORD and len(piece.text) == 1 and not piece.margin_left and not piece.margin_right


def _plain(piece: Piece) -> bool:
    """A piece painted as bare text (no span of its own, halt aside)."""
    return (piece.kind != WORD or _bare_word(piece)) and not _unit(piece)


def _unit(piece: Piece) -> bool:
    """A dash, an ellipsis unit or a cluster of several characters (classes.is_unit): a span
    of its own, never letter-spaced inside."""
    return piece.kind != WORD and is_unit(piece.text)


def _unit_html(piece: Piece) -> str:
    """—— (full width, 2 em, whatever script Pango gives its box), …… or a cluster of several
    characters: no letter-spacing inside; the line's spacing after it is a margin."""
    cls = "cz-d" if piece.text[0] in DASHES else "cz-e"
    style = f' style="margin-right:{_pt(piece.margin_right)}"' if piece.margin_right else ""
    return f'<span class="{cls}"{style}>{escape(piece.text)}</span>'


def _inline_html(pieces: list[Piece], faces, halted: bool = False) -> str:
    """Pieces without a wrapper. Half-width marks get a `halt` span, which also takes in the
    characters between two of them when `halt` leaves those as they are; with `halted` the
    wrapper already switches `halt` on."""
    out, i, n = [], 0, len(pieces)
    while i < n:
        piece = pieces[i]
        if piece.kind == WORD and not _bare_word(piece):
            out.append(_word_html(piece))
        elif _unit(piece):
            out.append(_unit_html(piece))
        elif piece.halt and not halted:
            end, j = i + 1, i + 1
            while j < n and _plain(pieces[j]) and pieces[j].kind != SPACE and (
                    pieces[j].halt or feature_neutral(pieces[j].text, faces, "halt")):
                j += 1
                if pieces[j - 1].halt:
                    end = j
            out.append(f'<span class="cz-h">{escape("".join(p.text for p in pieces[i:end]))}</span>')
            i = end
            continue
        else:
            out.append(str(escape(piece.text)))
        i += 1
    return "".join(out)


def _spaced_html(pieces: list[Piece], spacing: float, faces) -> tuple[str, str, str]:
    """A letter-spaced run of pieces: (classes, style, inner HTML) of the span that holds it.

    Tokens inside keep letter-spacing 0 (class cz-w). The line's last character is shaped with
    its Han neighbours inside the span; a negative right margin takes back the spacing after it.
    """
    style = f"letter-spacing:{_pt(spacing)}"
    if pieces[-1].last and _plain(pieces[-1]):
        style += f";margin-right:{_pt(-spacing)}"
    texts = [p for p in pieces if _plain(p)]
    halted = any(p.halt for p in texts) and all(
        p.halt or feature_neutral(p.text, faces, "halt") for p in texts)
    return ("cz-j cz-h" if halted else "cz-j"), style, _inline_html(pieces, faces, halted)


def _group_parts(pieces: list[Piece], spacing: float, faces) -> list:
    """One run's pieces on one line: letter-spaced runs (as (classes, style, inner) tuples) and
    bare HTML strings. A run opens at a spaced mark or Han character, takes in the tokens that
    follow (which carry their spacing as margins) and the line's last character.

    A closing mark squeezed at the line end needs no `halt` span when its ink sits in the left
    half of its em box: set full width, it overhangs the column edge by the blank half."""
    parts, run, rest = [], [], []
    pieces = _spaces_into_words(pieces)
    if pieces[-1].last and pieces[-1].halt and pieces[-1].text in CLOSING_MARKS and \
            halt_trims_right(pieces[-1].text, faces):
        pieces = pieces[:-1] + [pieces[-1]._replace(halt=False)]  # overhangs instead
    for piece in pieces + [None]:
        joins = piece is not None and piece.kind != SPACE and (
            (piece.spaced and (piece.kind != WORD or _bare_word(piece)))
            or (run and (piece.kind == WORD or _unit(piece) or piece.last)))
        if joins:
            if rest:
                parts.append(_inline_html(rest, faces))
                rest = []
            run.append(piece)
            continue
        if run:
            parts.append(_spaced_html(run, spacing, faces))
            run = []
        if piece is not None:
            rest.append(piece)
    if rest:
        parts.append(_inline_html(rest, faces))
    return parts


def _spaces_into_words(pieces: list[Piece]) -> list[Piece]:
    """The spaces between a token and what follows it on the line go inside the token's span
    (Crème brûlée): a space alone between two elements is a text box of its own, for which
    Pango may pick another face of the font-family list than the one the composer measured
    (Noto Color Emoji, whose space is 5 times wider)."""
    out: list[Piece] = []
    for k, piece in enumerate(pieces):
        if piece.kind == SPACE and out and out[-1].kind == WORD and not _bare_word(out[-1]) and \
                any(p.kind != SPACE for p in pieces[k + 1:]):
            out[-1] = out[-1]._replace(text=out[-1].text + piece.text)
        else:
            out.append(piece)
    return out


def _wrap(tag: str, classes: str, parts: list) -> str:
    """parts inside <tag class=classes>; a lone letter-spaced run shares the element."""
    if len(parts) == 1 and isinstance(parts[0], tuple):
        cls, style, inner = parts[0]
        return f'<{tag} class="{classes} {cls}" style="{style}">{inner}</{tag}>'
    return f'<{tag} class="{classes}">{_join(parts)}</{tag}>'


def _join(parts: list) -> str:
    return "".join(p if isinstance(p, str) else f'<span class="{p[0]}" style="{p[1]}">{p[2]}</span>'
                   for p in parts)


def _plain_line(line: Line, runs) -> bool:
    """A line painted as bare text: one run without a class, nothing spaced, squeezed or
    wrapped (most lines of Chinese body text)."""
    if line.letter_spacing:
        return False
    run = line.pieces[0].run if line.pieces else 0
    if runs[run].css_class:
        return False
    return all(piece.run == run and not piece.halt and (
        _plain(piece) or piece.kind != WORD and piece.text[0] not in DASHES) for piece in line.pieces)


def _line_html(line: Line, runs, indent: float) -> str:
    if _plain_line(line, runs):
        html = str(escape(line.text))
        return f'<span class="cz-i" style="margin-left:{_pt(indent)}">{html}</span>' if line.first and indent else html
    out, group = [], []
    for piece in list(line.pieces) + [None]:
        if piece is not None and (not group or group[-1].run == piece.run):
            group.append(piece)
            continue
        run = runs[group[0].run]
        parts = _group_parts(group, line.letter_spacing, run.faces)
        if run.css_class == "lead":
            out.append(_wrap("strong", "lead", parts))
        elif run.css_class:
            out.append(_wrap("span", str(escape(run.css_class)), parts))
        else:
            out.append(_join(parts))
        group = [piece] if piece is not None else []
    html = "".join(out)
    if line.first and indent:
        html = f'<span class="cz-i" style="margin-left:{_pt(indent)}">{html}</span>'
    return html


def paragraph_html(paragraph, *, newlines: bool = False, indent: bool = True) -> Markup:
    """The inner HTML of one <p class="cz-p">: the paragraph's lines joined by <br>.

    With newlines=True the lines are joined by a newline character instead, for a block with
    `white-space: pre` (<p class="cz-p cz-pre">): WeasyPrint 70 lays that out markedly faster
    (fewer boxes). Source text should then hold no runs of spaces (pre does not collapse them).
    With indent=False the first line carries no indent: the block sets it as its
    `text-indent` (paragraph.indent pt), which saves WeasyPrint a span around the line.
    """
    return lines_html(paragraph, 0, len(paragraph.lines), newlines=newlines, indent=indent)


def lines_html(paragraph, start: int, stop: int, *, newlines: bool = False, indent: bool = True) -> Markup:
    """The HTML of lines start..stop of a composed paragraph: a column's share of it when a
    paragraph continues from one column into the next. `indent` as for paragraph_html."""
    first_indent = paragraph.indent if indent else 0.0
    lines = [_line_html(line, paragraph.runs, first_indent) for line in paragraph.lines[start:stop]]
    if not newlines:
        return Markup("<br>".join(lines))
    return Markup("".join(_newline_inside(html) for html in lines[:-1]) + (lines[-1] if lines else ""))


def _newline_inside(html: str) -> str:
    """A line and the newline that ends it. When the line ends with an element (a spaced run,
    a lead-in), the newline goes inside it: WeasyPrint then needs no text box of its own for
    the break (the glyphs land where they would anyway)."""
    if html.endswith(">") and not html.endswith("/>"):
        close = html.rfind("</")
        if close != -1:
            return html[:close] + "\n" + html[close:]
    return html + "\n"
