"""The composer's HTML (composer/markup.py; layout decisions: line composition): for lines set
by hand (pieces with their spacing, halt and margins), the exact markup WeasyPrint is handed:
bare text where nothing is spaced or squeezed, one letter-spaced span per run and line, a
`halt` span around half-width marks (taking in the Han characters between them), margins on
tokens, dashes and clusters, the line-end mark that overhangs, the lead-in, the indent and
the line joins. Written to kill the mutants scripts/mutation found alive (docs/mutation.md)."""
from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import tinycss2

from layout.composer import COMPOSER_CSS, Run, compose_paragraph, lines_html, paragraph_html
from layout.composer.spacing import Line, Piece

sys.path.insert(0, str(Path(__file__).parent))
from test_composer_render import body_faces  # noqa: E402

SIZE = 9.0
Q = 0.25 * SIZE          # a Han–Latin quarter em, 2.25 pt


def han(text, run=0, *, spaced=False, halt=False, last=False, right=0.0):
    return Piece(text, "han", run, halt, spaced, 0.0, right, last)


def mark(text, run=0, *, spaced=False, halt=True, last=False):
    return Piece(text, "punct", run, halt, spaced, 0.0, 0.0, last)


def word(text, run=0, *, left=0.0, right=0.0, spaced=False, last=False):
    return Piece(text, "word", run, False, spaced, left, right, last)


def space(run=0):
    return Piece(" ", "space", run, False, False, 0.0, 0.0, False)


def line(*pieces, spacing=0.0, first=False):
    pieces = pieces[:-1] + (pieces[-1]._replace(last=True),)
    return Line("".join(p.text for p in pieces), 0.0, True, 13 * SIZE, spacing, pieces, first)


def paragraph(*lines, runs=None, indent=0.0):
    runs = runs or (Run("x", body_faces()),)
    return SimpleNamespace(lines=list(lines), runs=runs, indent=indent)


def html(*lines, runs=None, indent=0.0, **kw) -> str:
    return str(lines_html(paragraph(*lines, runs=runs, indent=indent), 0, len(lines), **kw))


def test_a_plain_line_is_escaped_bare_text_and_only_the_first_carries_the_indent():
    lines = (line(han("汉"), word("&"), han("字"), first=True), line(han("<"), han("字")))
    assert html(*lines, indent=18.0) == \
        '<span class="cz-i" style="margin-left:18pt">汉&amp;字</span><br>&lt;字'
    assert str(lines_html(paragraph(*lines, indent=18.0), 0, 2, indent=False)) == "汉&amp;字<br>&lt;字"
    assert str(lines_html(paragraph(*lines, indent=18.0), 1, 2)) == "&lt;字"
    assert html(*lines, indent=0.0) == "汉&amp;字<br>&lt;字"
    para = paragraph(*lines, indent=18.0)
    assert str(paragraph_html(para)) == html(*lines, indent=18.0)
    assert str(paragraph_html(para, indent=False)) == "汉&amp;字<br>&lt;字"
    assert str(paragraph_html(para, newlines=True)) == \
        '<span class="cz-i" style="margin-left:18pt">汉&amp;字\n</span>&lt;字'


def test_an_ellipsis_or_a_cluster_may_stay_bare_a_dash_or_a_halt_mark_may_not():
    assert html(line(han("汉"), han("……"), han("字"))) == "汉……字"
    assert html(line(han("汉"), han("\U0001f44d\U0001f3fd"), han("字"))) == "汉\U0001f44d\U0001f3fd字"
    assert html(line(han("汉"), han("——"), han("字"))) == '汉<span class="cz-d">——</span>字'
    assert html(line(han("汉"), han("⸺"), han("字"))) == '汉<span class="cz-d">⸺</span>字'
    assert html(line(han("汉"), word("AB"), han("字"))) == '汉<span class="cz-w">AB</span>字'
    assert html(line(han("汉"), word("A", left=Q), han("字"))) == \
        '汉<span class="cz-w" style="margin-left:2.25pt">A</span>字'
    assert html(line(han("汉"), word("A", right=Q), han("字"))) == \
        '汉<span class="cz-w" style="margin-right:2.25pt">A</span>字'


def test_a_spaced_line_is_one_span_tokens_and_units_carry_margins_the_last_takes_it_back():
    s = 1.5
    got = html(line(han("汉", spaced=True), han("字", spaced=True),
                    word("ABC", left=Q, right=s + Q), han("好", spaced=True),
                    han("——", right=s), han("……", right=s), word("·", spaced=True),
                    han("汉"), spacing=s))
    assert got == ('<span class="cz-j" style="letter-spacing:1.5pt;margin-right:-1.5pt">汉字'
                   '<span class="cz-w" style="margin-left:2.25pt;margin-right:3.75pt">ABC</span>好'
                   '<span class="cz-d" style="margin-right:1.5pt">——</span>'
                   '<span class="cz-e" style="margin-right:1.5pt">……</span>·汉</span>')


def test_a_spaced_line_ending_with_a_token_keeps_its_own_right_edge():
    """A line whose last item is a word: the span has no negative margin (the word carries no
    spacing after it)."""
    got = html(line(han("汉", spaced=True), han("字", spaced=True), word("2025", left=Q),
                    spacing=0.3333))
    assert got == ('<span class="cz-j" style="letter-spacing:0.3333pt">汉字'
                   '<span class="cz-w" style="margin-left:2.25pt">2025</span></span>')


def test_spacing_figures_are_written_to_four_places_without_trailing_zeros():
    got = html(line(han("汉", spaced=True), han("字"), spacing=0.123456))
    assert got == '<span class="cz-j" style="letter-spacing:0.1235pt;margin-right:-0.1235pt">汉字</span>'
    got = html(line(han("汉", spaced=True), han("字"), spacing=2.0))
    assert got == '<span class="cz-j" style="letter-spacing:2pt;margin-right:-2pt">汉字</span>'


def test_han_before_the_first_spaced_piece_stays_outside_the_span():
    """Only from the first spaced piece on: what comes before stays bare, and spaces outside
    any span stay bare too."""
    got = html(line(han("甲"), han("汉", spaced=True), han("字"), spacing=1.0))
    assert got == '甲<span class="cz-j" style="letter-spacing:1pt;margin-right:-1pt">汉字</span>'
    got = html(line(han("汉", spaced=True), han("字", spaced=True), space(), han("好"), spacing=1.0))
    assert got == '<span class="cz-j" style="letter-spacing:1pt">汉字</span> 好'
    # a space between two spaced runs: two spans
    got = html(line(han("汉", spaced=True), han("字", spaced=True), space(), han("好", spaced=True),
                    han("汉"), spacing=1.0))
    assert got == ('<span class="cz-j" style="letter-spacing:1pt">汉字</span> '
                   '<span class="cz-j" style="letter-spacing:1pt;margin-right:-1pt">好汉</span>')
    # half-width marks before a spaced run are painted before it, with their halt span
    got = html(line(mark("，"), han("字"), han("汉", spaced=True), han("好"), spacing=1.0))
    assert got == ('<span class="cz-h">，</span>字'
                   '<span class="cz-j" style="letter-spacing:1pt;margin-right:-1pt">汉好</span>')


def test_half_width_marks_share_one_halt_span_with_the_han_between_them():
    got = html(line(han("汉"), mark("，"), han("字"), han("好"), mark("。"), han("汉"), han("字")))
    assert got == '汉<span class="cz-h">，字好。</span>汉字'
    # a token stops the span: halt would change its glyphs' context
    got = html(line(mark("，"), word("AB"), mark("。"), han("字")))
    assert got == ('<span class="cz-h">，</span><span class="cz-w">AB</span>'
                   '<span class="cz-h">。</span>字')
    # the span starts at the first half-width mark, whatever stands before it
    got = html(line(han("汉"), mark("？", halt=False), mark("，"), han("字"), mark("。"), han("好")))
    assert got == '汉？<span class="cz-h">，字。</span>好'
    # a mark halt changes but that is not half-width (？) stops it too, and so does a space
    got = html(line(mark("，"), mark("？", halt=False), mark("。"), space(), mark("；"), han("字")))
    assert got == '<span class="cz-h">，</span>？<span class="cz-h">。</span> <span class="cz-h">；</span>字'


def test_a_spaced_run_of_halt_marks_and_neutral_han_switches_halt_on_for_the_whole_span():
    got = html(line(han("汉", spaced=True), mark("，", spaced=True), han("字", spaced=True),
                    han("好"), spacing=1.0))
    assert got == ('<span class="cz-j cz-h" style="letter-spacing:1pt;margin-right:-1pt">'
                   '汉，字好</span>')
    # a full-width mark that halt would change: the span keeps halt off, the mark gets its own
    got = html(line(han("汉", spaced=True), mark("，", spaced=True), mark("？", spaced=True, halt=False),
                    han("好"), spacing=1.0))
    assert got == ('<span class="cz-j" style="letter-spacing:1pt;margin-right:-1pt">'
                   '汉<span class="cz-h">，</span>？好</span>')


def test_a_squeezed_closing_mark_at_the_line_end_overhangs_instead_of_a_halt_span():
    """。 set half-width at the line end only loses blank space on its right: it is painted
    full width, overhanging the column edge; an opening mark there keeps its span."""
    assert html(line(han("汉"), han("字"), mark("。"))) == "汉字。"
    assert html(line(han("汉"), han("字"), mark("”"))) == "汉字”"
    assert html(line(han("汉"), han("字"), mark("“"))) == '汉字<span class="cz-h">“</span>'
    got = html(line(han("汉", spaced=True), han("字", spaced=True), mark("。"), spacing=1.0))
    assert got == '<span class="cz-j" style="letter-spacing:1pt;margin-right:-1pt">汉字。</span>'
    # the last piece decides: an opening mark before it does not keep 。's span
    assert html(line(han("汉"), mark("“", halt=False), mark("。"))) == "汉“。"
    # a run's last mark that is not the line's last keeps its span (a lead-in ending in ：)
    runs = (Run("本报讯：", body_faces(), "lead"), Run("x", body_faces()))
    got = html(line(han("本"), mark("："), han("汉", 1), han("字", 1)), runs=runs)
    assert got == '<strong class="lead">本<span class="cz-h">：</span></strong>汉字'
    # inside the line the same mark keeps its halt span
    assert html(line(mark("。"), han("汉"), han("字"))) == '<span class="cz-h">。</span>汉字'


def test_the_space_after_a_token_goes_inside_its_span():
    assert html(line(word("AB"), space(), han("汉"))) == '<span class="cz-w">AB </span>汉'
    got = html(line(word("Crème"), space(), word("brûlée"), space(), han("汉"), han("字")))
    assert got == '<span class="cz-w">Crème </span><span class="cz-w">brûlée </span>汉字'
    # a space after a bare one-character word, or at the line's end, stays outside
    got = html(line(han("汉"), word("+"), space(), han("字"), word("AB"), space()))
    assert got == '汉+ 字<span class="cz-w">AB</span> '
    got = html(line(han("汉", spaced=True), word("AB"), space(), space(), spacing=1.0))
    assert got == '<span class="cz-j" style="letter-spacing:1pt">汉<span class="cz-w">AB</span></span>  '


def test_the_lead_in_and_a_classed_run_wrap_their_share_of_the_line():
    runs = (Run("本报讯", body_faces(), "lead"), Run("x", body_faces()),
            Run("y", body_faces(), 'q"<x>'))
    got = html(line(han("本"), han("报"), han("讯"), han("汉", 1), han("字", 1)), runs=runs)
    assert got == '<strong class="lead">本报讯</strong>汉字'
    got = html(line(han("本", spaced=True), han("报", spaced=True), han("讯", spaced=True),
                    han("汉", 1, spaced=True), han("字", 1), spacing=1.0), runs=runs)
    assert got == ('<strong class="lead cz-j" style="letter-spacing:1pt">本报讯</strong>'
                   '<span class="cz-j" style="letter-spacing:1pt;margin-right:-1pt">汉字</span>')
    got = html(line(han("汉", 1), han("字", 2), han("好", 2)), runs=runs)
    assert got == '汉<span class="q&#34;&lt;x&gt;">字好</span>'
    got = html(line(han("本", spaced=True), han("报"), han("讯"), han("汉", 1), spacing=1.0),
               runs=runs, indent=18.0)
    assert got == ('<strong class="lead"><span class="cz-j" style="letter-spacing:1pt">本</span>'
                   '报讯</strong>汉')
    got = html(line(han("本"), han("汉", 1), first=True), runs=runs, indent=18.0)
    assert got == ('<span class="cz-i" style="margin-left:18pt"><strong class="lead">本</strong>'
                   '汉</span>')
    got = html(line(han("汉", 1), han("字", 1), first=True), runs=runs, indent=18.0)
    assert got == '<span class="cz-i" style="margin-left:18pt">汉字</span>'


def test_a_line_is_plain_by_the_run_of_its_own_pieces():
    """A line of one run without a class is painted as bare text (an ellipsis with no span),
    even when the paragraph's first run is a lead-in; a line of the lead-in is not."""
    runs = (Run("a", body_faces(), "lead"), Run("b", body_faces()))
    assert html(line(han("汉", 1), han("……", 1), han("字", 1)), runs=runs) == "汉……字"
    assert html(line(han("汉", 0), han("……", 0)), runs=runs) == \
        '<strong class="lead">汉<span class="cz-e">……</span></strong>'
    assert html(line(han("汉", 1)), runs=runs) == "汉"
    runs = (Run("a", body_faces()), Run("b", body_faces()))
    assert html(line(han("汉", 0), han("字", 1)), runs=runs) == "汉字"


def test_newlines_go_inside_a_closing_element_or_after_bare_text():
    lines = (line(han("汉"), han("字")),
             line(han("汉", spaced=True), han("字"), spacing=1.0),
             line(han("末"), han("行")))
    got = html(*lines, newlines=True)
    assert got == ('汉字\n<span class="cz-j" style="letter-spacing:1pt;margin-right:-1pt">汉字\n'
                   '</span>末行')
    assert html(*lines) == ('汉字<br><span class="cz-j" style="letter-spacing:1pt;margin-right:-1pt">'
                            '汉字</span><br>末行')
    assert html(newlines=True) == "" and html() == ""
    # the newline goes before the line's last closing tag, not an inner one
    got = html(line(han("汉", spaced=True), word("AB", left=Q, right=1.0 + Q), han("字"), spacing=1.0),
               line(han("末")), newlines=True)
    assert got == ('<span class="cz-j" style="letter-spacing:1pt;margin-right:-1pt">汉'
                   '<span class="cz-w" style="margin-left:2.25pt;margin-right:3.25pt">AB</span>字\n'
                   '</span>末')


def test_composed_paragraph_markup_reads_back_as_its_lines():
    """A real composition (lead-in, marks, a token): each <br>-separated part, tags taken out,
    is a line's text."""
    import re
    from html import unescape
    runs = [Run("本报讯", body_faces(), "lead"),
            Run("记者从县委获悉，2025年平顺县签约项目56个。“十四五”期间" * 3, body_faces())]
    para = compose_paragraph(runs, width=13 * SIZE, size=SIZE)
    parts = str(paragraph_html(para)).split("<br>")
    assert [unescape(re.sub("<[^>]+>", "", p)) for p in parts] == [ln.text for ln in para.lines]


def _declarations(css: str) -> dict[str, dict[str, str]]:
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    out = {}
    for rule in rules:
        selector = tinycss2.serialize(rule.prelude).strip()
        decls = tinycss2.parse_declaration_list(rule.content, skip_whitespace=True)
        out[selector] = {d.name: tinycss2.serialize(d.value).strip() for d in decls
                         if d.type == "declaration"}
    return out


def test_the_composer_css_switches_off_wrapping_and_sets_each_class_feature():
    rules = _declarations(COMPOSER_CSS)
    assert rules[".cz-p"] == {"white-space": "nowrap", "text-align": "left", "text-indent": "0",
                              "letter-spacing": "0", "word-spacing": "0"}
    assert rules[".cz-h"] == {"font-feature-settings": '"halt"'}
    assert rules[".cz-w"] == {"letter-spacing": "0", "font-feature-settings": "normal"}
    assert rules[".cz-d"] == {"letter-spacing": "0", "font-feature-settings": '"fwid"'}
    assert rules[".cz-e"] == {"letter-spacing": "0"}
    assert rules[".cz-p.cz-pre"] == {"white-space": "pre"}
    assert rules[".cz-j"] == {} and rules[".cz-i"] == {}
