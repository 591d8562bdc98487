"""Bad issue files: every problem is reported with file, line, key path and an exact message."""
from __future__ import annotations

import pytest

from layout.errors import LayoutError
from layout.model import load_issue

from .conftest import MINIMAL, photo


def problems(folder) -> list[str]:
    with pytest.raises(LayoutError) as caught:
        load_issue(folder)
    return [str(f) for f in caught.value.findings]


def test_minimal_issue_loads(write_issue):
    issue = load_issue(write_issue(MINIMAL))
    story = issue.pages[0].stories[0]
    assert [p.text for p in story.paragraphs] == ["第一段正文。", "第二段正文。"]
    assert issue.slug == "x" and str(issue.date) == "2026-02-10"


def test_malformed_yaml(write_issue):
    folder = write_issue("paper: 示例日报\ntitle: [未闭合\ndate: 2026-02-10\n")
    assert problems(folder) == [
        "x/issue.yaml:3: malformed YAML: expected ',' or ']', but got ':' (while parsing a flow sequence)"]


def test_unknown_keys_name_the_likely_key(write_issue):
    text = MINIMAL.replace("    stories:", "    storys:\n      - headline: 标题\n        body: 正文\n    stories:")
    text = text.replace("title:", "titel:")
    assert problems(write_issue(text)) == [
        "x/issue.yaml:1: title: required key is missing",
        "x/issue.yaml:2: titel: unknown key 'titel'; did you mean 'title'?",
        "x/issue.yaml:6: pages[0].storys: unknown key 'storys'; did you mean 'stories'?",
    ]


def test_missing_required_keys_and_wrong_types(write_issue):
    folder = write_issue("""\
        paper: [示例, 日报]
        date: 2026-02-10
        pages:
          - stories:
              - kicker: 引题
                body: 正文
              - headline: 标题
                body: {a: 1}
        """)
    assert problems(folder) == [
        "x/issue.yaml:1: paper: expected text, got a list",
        "x/issue.yaml:1: title: required key is missing",
        "x/issue.yaml:5: pages[0].stories[0].headline: required key is missing",
        "x/issue.yaml:8: pages[0].stories[1].body: expected text, got a mapping",
    ]


@pytest.mark.parametrize("value, message", [
    ("2026-02-30", "not a real date: '2026-02-30'"),
    ("2026-13-01", "not a real date: '2026-13-01'"),
    ("10/02/2026", "expected a date written YYYY-MM-DD, got '10/02/2026'"),
])
def test_impossible_dates(write_issue, value, message):
    folder = write_issue(MINIMAL.replace("2026-02-10", value))
    assert problems(folder) == [f"x/issue.yaml:3: date: {message}"]


def test_no_pages(write_issue):
    folder = write_issue("paper: 报\ntitle: 刊\ndate: 2026-02-10\npages: []\n")
    assert problems(folder) == ["x/issue.yaml:4: pages: needs at least one entry under 'pages'"]


def test_empty_body_and_empty_headline(write_issue):
    text = MINIMAL.replace("headline: 标题", "headline: ' '").replace(
        "body: |\n          第一段正文。\n\n          第二段正文。\n", "body: '   '\n")
    assert problems(write_issue(text)) == [
        "x/issue.yaml:7: pages[0].stories[0].headline: headline is empty",
        "x/issue.yaml:8: pages[0].stories[0].body: story body is empty",
    ]


def test_absurdly_long_headline(write_issue):
    folder = write_issue(MINIMAL.replace("headline: 标题", "headline: " + "长" * 500))
    assert problems(folder) == [
        "x/issue.yaml:7: pages[0].stories[0].headline: headline is 500 characters long; at most 48 fit"]


def test_invalid_utf8_names_the_line(write_issue):
    data = MINIMAL.encode("utf-8").replace("第二段".encode(), "第二段".encode("gbk"))
    assert problems(write_issue(data)) == [
        "x/issue.yaml:11: not valid UTF-8 (byte 0xb5); save the file as UTF-8"]


def test_yaml_alias_bomb_is_refused(write_issue):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
           "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    assert problems(write_issue(bomb)) == [
        "x/issue.yaml:1: YAML anchors and aliases (&name, *name) are not allowed in issue files"]


def test_duplicate_keys_are_not_silently_overwritten(write_issue):
    text = MINIMAL.replace("        body: |", "        body: 被覆盖的正文\n        body: |")
    assert problems(write_issue(text)) == [
        "x/issue.yaml:9: pages[0].stories[0].body: duplicate key 'body' (first written on line 8)"]


def test_invisible_control_characters(write_issue):
    folder = write_issue(MINIMAL.replace("第二段正文。", "第二段\u0007正文。"))
    assert problems(folder) == ["x/issue.yaml:11: contains the invisible character U+0007; delete it"]
    escaped = MINIMAL.replace("headline: 标题", 'headline: "标\\x1b题"')
    assert problems(write_issue(escaped)) == [
        "x/issue.yaml:7: pages[0].stories[0].headline: contains the invisible character U+001B; delete it"]


def test_misplaced_lead_in_markup(write_issue):
    folder = write_issue(MINIMAL.replace("第二段正文。", "第二段**正文**。"))
    assert problems(folder) == [
        "x/issue.yaml:11: pages[0].stories[0].body: '**' marks a bold lead-in only at the start of a paragraph"]


FIGURES = MINIMAL + """\
        figures:
          - image: ../secret.jpg
            caption: 图一
          - image: http://example.com/x.jpg
            caption: 图二
          - image: /etc/passwd
            caption: 图三
          - image: images/missing.jpg
            caption: 图四
          - image: images/fake.jpg
            caption: 图五
          - image: images/ok.jpg
            caption: 图六
"""


def test_image_paths_and_files(write_issue, tmp_path):
    folder = write_issue(FIGURES)
    photo(folder / "images" / "ok.jpg")
    (folder / "images" / "fake.jpg").write_text("not an image")
    photo(tmp_path / "secret.jpg")
    assert problems(folder) == [
        "x/issue.yaml:13: pages[0].stories[0].figures[0].image: image path leaves the issue folder: '../secret.jpg'",
        "x/issue.yaml:15: pages[0].stories[0].figures[1].image: "
        "images must be files in the issue folder, not URLs: 'http://example.com/x.jpg'",
        "x/issue.yaml:17: pages[0].stories[0].figures[2].image: "
        "image path must be relative to the issue folder: '/etc/passwd'",
        "x/issue.yaml:19: pages[0].stories[0].figures[3].image: file 'images/missing.jpg' not found",
        "x/issue.yaml:21: pages[0].stories[0].figures[4].image: "
        "'images/fake.jpg': not a readable image: unknown or damaged file",
    ]


def test_symlink_out_of_the_issue_folder_is_refused(write_issue, tmp_path):
    folder = write_issue(MINIMAL + "        figures:\n          - image: images/link.jpg\n            caption: 图\n")
    outside = photo(tmp_path / "outside.jpg")
    (folder / "images").mkdir()
    (folder / "images" / "link.jpg").symlink_to(outside)
    assert problems(folder) == [
        "x/issue.yaml:13: pages[0].stories[0].figures[0].image: image path leaves the issue folder: 'images/link.jpg'"]


def test_decompression_bomb_image(write_issue):
    folder = write_issue(MINIMAL + "        figures:\n          - image: images/bomb.png\n            caption: 图\n")
    (folder / "images").mkdir()
    (folder / "images" / "bomb.png").write_bytes(_png_header(30000, 30000))
    assert problems(folder) == [
        "x/issue.yaml:13: pages[0].stories[0].figures[0].image: "
        "'images/bomb.png': image is too large to open safely: 900 megapixels (limit 60 megapixels)"]


def _png_header(width: int, height: int) -> bytes:
    import struct
    import zlib
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = lambda kind, data: (struct.pack(">I", len(data)) + kind + data  # noqa: E731
                                + struct.pack(">I", zlib.crc32(kind + data)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
