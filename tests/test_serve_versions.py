"""Proof rounds: numbered proofs and what changed between them, old → new."""
from __future__ import annotations

from layout.model import load_issue
from layout.serve.versions import KEPT, ProofRounds, change, issue_texts

from .conftest import MINIMAL, photo

WITH_PHOTO = MINIMAL.replace("          第二段正文。\n", """\
          **导语。**第二段正文。
        figures:
          - image: images/a.jpg
            caption: 图片说明
""")


def test_the_issue_texts_are_kept_by_key_path_one_paragraph_each(write_issue):
    folder = write_issue(WITH_PHOTO)
    photo(folder / "images" / "a.jpg")
    texts = issue_texts(load_issue(folder))
    assert list(texts) == ["pages[0].stories[0].headline", "pages[0].stories[0].body[0]",
                           "pages[0].stories[0].body[1]", "pages[0].stories[0].figures[0].caption",
                           "pages[0].stories[0].figures[0].image"]
    assert texts["pages[0].stories[0].body[1]"] == "**导语。**第二段正文。"
    assert texts["pages[0].stories[0].figures[0].image"].startswith("images/a.jpg (")


def test_a_change_shows_the_changed_part_with_a_little_context():
    assert change("k", "短稿标题", "短稿改过的标题") == {
        "key": "k", "old": "短稿标题", "new": "短稿改过的标题", "before": "短稿【】标题", "after": "短稿【改过的】标题"}
    old = "甲" * 30 + "乙" + "丙" * 30
    new = "甲" * 30 + "丁" + "丙" * 30
    assert (change("k", old, new)["before"], change("k", old, new)["after"]) == (
        "…" + "甲" * 12 + "【乙】" + "丙" * 12 + "…", "…" + "甲" * 12 + "【丁】" + "丙" * 12 + "…")
    assert change("k", "", "新的")["after"] == "【新的】" and change("k", "旧的", "")["before"] == "【旧的】"


def test_proofs_are_numbered_and_compared_with_any_kept_one():
    rounds = ProofRounds()
    rounds.add(1, {"a": "一", "b": "二"})
    rounds.add(3, {"a": "一", "b": "两", "c": "三"})
    rounds.add(4, {"a": "壹", "b": "两"})
    assert [p["number"] for p in rounds.listing()] == [1, 2, 3]
    assert [(c["key"], c["old"], c["new"]) for c in rounds.changes(2)] == [("a", "一", "壹"), ("c", "三", "")]
    assert [(c["key"], c["old"], c["new"]) for c in rounds.changes(1)] == [("a", "一", "壹"), ("b", "二", "两")]
    assert rounds.changes(3) == [] and rounds.changes(9) == []
    for version in range(KEPT):
        rounds.add(5 + version, {})
    assert len(rounds.proofs) == KEPT and rounds.proofs[0].number == 4 and rounds.get(1) is None


def test_proofs_are_kept_in_the_cache_and_numbered_on_after_a_restart(tmp_path):
    folder = tmp_path / "proofs" / "abc"
    first = ProofRounds(folder)
    first.add(1, {"a": "一"})
    first.add(2, {"a": "二"})
    assert sorted(p.name for p in folder.iterdir()) == ["1.json", "2.json"]
    again = ProofRounds(folder)
    assert [p.number for p in again.proofs] == [1, 2]
    assert again.add(1, {"a": "三"}).number == 3
    assert [(c["old"], c["new"]) for c in again.changes(1)] == [("一", "三")]
    (folder / "2.json").write_text("{not json", encoding="utf-8")
    assert [p.number for p in ProofRounds(folder).proofs] == [1, 3]        # a damaged one left out
    for version in range(KEPT):
        again.add(4 + version, {})
    assert len(list(folder.glob("*.json"))) == KEPT and not (folder / "3.json").exists()


def test_a_restart_on_unchanged_texts_is_not_a_new_proof(write_issue, tmp_path):
    from layout.pagerender import RenderPool
    from layout.serve import ProofBook
    folder = write_issue(MINIMAL)
    for _ in range(2):
        book = ProofBook(folder, RenderPool(1), cache_dir=tmp_path / "cache")
        book.rebuild()
        assert [p["number"] for p in book.state()["proofs"]] == [1]
    yaml = folder / "issue.yaml"
    yaml.write_text(MINIMAL.replace("标题", "新标题"), encoding="utf-8")
    book = ProofBook(folder, RenderPool(1), cache_dir=tmp_path / "cache")
    book.rebuild()
    assert [p["number"] for p in book.state()["proofs"]] == [1, 2]
    assert [(c["key"], c["before"], c["after"]) for c in book.changes(1)] == [
        ("pages[0].stories[0].headline", "【】标题", "【新】标题")]
    change = book.changes(1)[0]          # marked on its one line: the headline's, not the body's
    headline = next(p for p in book.places(1)["places"] if p["key"] == "pages[0].stories[0].headline")
    assert len(change["lines"]) == 1 and change["cuts"] == []
    line = change["lines"][0]
    assert (line["x"], line["w"]) == (headline["x"], headline["w"])
    assert headline["y"] <= line["y"] and line["y"] + line["h"] <= headline["y"] + headline["h"] + 0.01
    assert [change[k] for k in "xywh"] == [line[k] for k in "xywh"]


def test_a_cut_paragraph_is_marked_where_it_was(write_issue, tmp_path):
    from layout.pagerender import RenderPool
    from layout.serve import ProofBook
    three = MINIMAL + "\n          第三段正文。\n"
    folder = write_issue(three)
    book = ProofBook(folder, RenderPool(1), cache_dir=tmp_path / "cache")
    book.rebuild()
    (folder / "issue.yaml").write_text(three.replace("          第二段正文。\n\n", ""), encoding="utf-8")
    book.rebuild()
    found = {c["key"]: c for c in book.changes(1)}
    assert found["pages[0].stories[0].body[1]"]["new"] == "第三段正文。"
    third = next(p for p in book.places(1)["places"] if p["key"] == "pages[0].stories[0].body[1]")
    assert found["pages[0].stories[0].body[1]"]["lines"] == []        # 第三段 is set as it was
    assert found["pages[0].stories[0].body[1]"]["cuts"] == [
        {"x": third["x"], "y": third["y"], "w": third["w"], "h": 0.0}]
