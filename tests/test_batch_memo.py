"""batch_memo: the key of everything an issue's PDF is made of, and what is remembered under it
(unit tests, no cluster: tests/test_batch_inprocess.py has the batches that use them)."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from layout import batch_memo

SHA = "a" * 64


def issue_run(name="a", issue=(("issue.yaml", SHA),), theme=(("theme.yaml", "b" * 64),), theme_name="newspaper",
              fonts_dir=(), shown=None, fonts=None):
    """What `inputs_key` reads of a `cluster_run.IssueRun` and its `cluster_inputs.IssueInputs`."""
    inputs = SimpleNamespace(issue=SimpleNamespace(files=issue), theme=SimpleNamespace(files=theme),
                             theme_name=theme_name, fonts=SimpleNamespace(files=fonts_dir),
                             shown=shown if shown is not None else {"issue": "issues/a"})
    if fonts is None:
        fonts = [font()]
    return SimpleNamespace(name=name, inputs=inputs, fonts=fonts)


def font(role="body", family="Noto Serif CJK SC", name="NotoSerifCJK-Regular.ttc", sha256="c" * 64):
    return SimpleNamespace(role=role, family=family, name=name, sha256=sha256)


def test_the_key_changes_with_each_thing_the_pdf_is_made_of_and_only_with_it(monkeypatch):
    key = batch_memo.inputs_key(issue_run())
    assert key == batch_memo.inputs_key(issue_run()) and len(key) == 64 and int(key, 16) >= 0
    others = [issue_run(name="b"),
              issue_run(issue=(("issue.yaml", "d" * 64),)),
              issue_run(issue=(("issue.yaml", SHA), ("photos/1.jpg", SHA))),
              issue_run(theme=(("theme.yaml", "d" * 64),)),
              issue_run(theme_name="magazine"),
              issue_run(fonts_dir=(("a.ttf", SHA),)),
              issue_run(shown={"issue": "elsewhere/a"}),
              issue_run(fonts=[font(role="headline")]),
              issue_run(fonts=[font(family="Noto Sans CJK SC")]),
              issue_run(fonts=[font(name="NotoSerifCJK-Bold.ttc")]),
              issue_run(fonts=[font(sha256="d" * 64)]),
              issue_run(fonts=[font(), font(role="headline")]),
              issue_run(fonts=[])]
    keys = [batch_memo.inputs_key(run) for run in others]
    assert len({key, *keys}) == 1 + len(others), keys
    monkeypatch.setattr(batch_memo, "code_digest", lambda: "another version")
    assert batch_memo.inputs_key(issue_run()) != key


def test_an_issue_whose_inputs_or_fonts_are_not_known_has_no_key():
    for run in (issue_run(), issue_run()):
        run.inputs = None
        assert batch_memo.inputs_key(run) is None
    run = issue_run()
    run.fonts = None
    assert batch_memo.inputs_key(run) is None


def test_what_is_remembered_is_recalled_under_its_key_only(tmp_path):
    findings = [{"severity": "warning", "message": "第2版：标题过长"}]
    batch_memo.remember(tmp_path, "k1", "issue-key", 3, findings)
    assert json.loads((tmp_path / "issues" / "k1.json").read_text(encoding="utf-8")) == {
        "key": "issue-key", "pages": 3, "findings": findings}
    assert batch_memo.recall(tmp_path, "k1") == {"key": "issue-key", "pages": 3, "findings": findings}
    assert batch_memo.recall(str(tmp_path), "k1")["pages"] == 3
    assert batch_memo.recall(tmp_path, "k2") is None
    batch_memo.remember(str(tmp_path), "k1", "other-key", 1, [])                 # written again
    assert batch_memo.recall(tmp_path, "k1") == {"key": "other-key", "pages": 1, "findings": []}
    assert sorted(p.name for p in (tmp_path / "issues").iterdir()) == ["k1.json"]   # no temporary left


def test_no_key_nothing_remembered_nor_recalled(tmp_path):
    batch_memo.remember(tmp_path, None, "issue-key", 3, [])
    assert not (tmp_path / "issues").exists()
    (tmp_path / "issues").mkdir()
    (tmp_path / "issues" / "None.json").write_text('{"key": "x", "pages": 1, "findings": []}', encoding="utf-8")
    assert batch_memo.recall(tmp_path, None) is None


@pytest.mark.parametrize("text", [
    "not json", "[1, 2]", '"a string"', "{}",
    '{"key": 1, "pages": 3, "findings": []}',
    '{"key": "k", "pages": "3", "findings": []}',
    '{"key": "k", "pages": 3, "findings": {}}',
    '{"pages": 3, "findings": []}',
    '{"key": "k", "findings": []}',
    '{"key": "k", "pages": 3}',
])
def test_a_memory_that_does_not_read_right_is_not_recalled(tmp_path, text):
    (tmp_path / "issues").mkdir()
    (tmp_path / "issues" / "k.json").write_text(text, encoding="utf-8")
    assert batch_memo.recall(tmp_path, "k") is None


def test_a_memory_that_cannot_be_written_is_only_not_remembered(tmp_path):
    (tmp_path / "issues").write_text("a file where the folder should be", encoding="utf-8")
    batch_memo.remember(tmp_path, "k", "issue-key", 3, [])
    assert batch_memo.recall(tmp_path, "k") is None


def test_the_code_digest_is_the_packages_source_and_the_libraries_versions(tmp_path, monkeypatch):
    """mutmut 3.8.1 does not mutate `code_digest` (a decorated function): its promises, here."""
    import importlib.metadata
    package = tmp_path / "layout"
    (package / "templates").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    monkeypatch.setattr(batch_memo, "__file__", str(package / "batch_memo.py"))
    versions = dict.fromkeys(batch_memo.LIBRARIES, "1.0")

    def version(name):
        if versions[name] is None:
            raise importlib.metadata.PackageNotFoundError(name)
        return versions[name]

    monkeypatch.setattr(importlib.metadata, "version", version)
    digest = batch_memo.code_digest.__wrapped__
    files = ["batch_memo.py", "templates/page.html.j2", "templates/page.css", "theme.yaml", "data.json"]
    for name in files:
        (package / name).write_text("first", encoding="utf-8")
    seen = [digest()]
    assert digest() == seen[0] and len(seen[0]) == 64
    for name in files:
        (package / name).write_text(f"edited {name}", encoding="utf-8")
        seen.append(digest())
    (package / "data.json").rename(package / "other.json")                         # the same bytes, moved
    seen.append(digest())
    for name in batch_memo.LIBRARIES:
        versions[name] = "2.0"
        seen.append(digest())
    versions["pyphen"] = None                                                       # not installed
    seen.append(digest())
    assert len(set(seen)) == len(seen)
    for name in ("notes.txt", "__pycache__/batch_memo.cpython-311.pyc", "__pycache__/stale.py", "batch_memo.pyc",
                 "../beside_the_package.py"):
        (package / name).write_text("not source", encoding="utf-8")
    assert digest() == seen[-1]


def test_the_memory_is_utf8_whatever_the_locale(tmp_path):
    """A newsroom machine whose locale is not UTF-8 (here ASCII: the C locale, not coerced) reads
    the Chinese findings another process remembered, and remembers them for it."""
    import os
    import subprocess
    import sys
    findings = [{"severity": "warning", "message": "第2版：标题过长"}]
    batch_memo.remember(tmp_path, "k1", "issue-key", 2, findings)
    script = ("import json, locale\nfrom layout import batch_memo\n"
              "assert locale.getpreferredencoding(False) == 'ANSI_X3.4-1968'\n"
              f"memo = batch_memo.recall({str(tmp_path)!r}, 'k1')\n"
              f"batch_memo.remember({str(tmp_path)!r}, 'k2', 'issue-key', 2, memo['findings'])\n"
              "print(json.dumps(memo))\n")
    env = dict(os.environ, LC_ALL="C", LANG="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"key": "issue-key", "pages": 2, "findings": findings}
    assert batch_memo.recall(tmp_path, "k2") == {"key": "issue-key", "pages": 2, "findings": findings}
