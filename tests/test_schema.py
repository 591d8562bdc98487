"""`layout schema` and `layout new`: the issue format as JSON Schema, checked against the tool.

Issue files are read for the schema as YAML-language-server reads them (YAML 1.2: `2026-02-10`
is text, `2026` a number), validated with `jsonschema` against the printed schema."""
from __future__ import annotations

import ast
import json
import re
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from layout.cli import main
from layout.errors import LayoutError
from layout.errors import Collector
from layout.model import load_issue, validate
from layout.source import load_source
from layout.schema import DESCRIPTIONS, undescribed

from .conftest import MINIMAL, ROOT, SAMPLE
from .test_serve_proofs import short_pages

TESTS = Path(__file__).parent
HAN = re.compile(r"[\u4e00-\u9fff]")


class EditorLoader(yaml.SafeLoader):
    """YAML as editors' tools read it: no timestamps (a date is text, as in JSON)."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def schema_errors(validator, text: str) -> list[str]:
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(
        yaml.load(text, EditorLoader))]


def issue_texts_in_tests() -> list[str]:
    """Every issue file written out as a constant in the tests (and the generated ones)."""
    texts = [short_pages(3), MINIMAL]
    for path in sorted(TESTS.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and "paper:" in node.value and "pages:" in node.value:
                texts.append(textwrap.dedent(node.value))
    return texts


def tool_errors(write_issue, text: str) -> list[str]:
    try:
        load_issue(write_issue(text), check_images=False)
    except LayoutError as exc:
        return [str(f) for f in exc.findings]
    return []


def model_errors(folder: Path) -> list[str]:
    """The model's own findings (stage 2's schema), not the content checks'."""
    collector = Collector()
    validate(load_source(folder / "issue.yaml"), collector)
    return [str(f) for f in collector.errors]


def test_the_schema_describes_every_key_in_chinese_and_english(validator):
    assert undescribed() == []
    schema = validator.schema
    models = [schema, *schema["$defs"].values()]
    props = [prop for model in models for prop in model["properties"].values()]
    assert len(props) >= 26 and "folder" not in schema["properties"] and "slug" not in schema["properties"]
    for text in [model["description"] for model in models] + [prop["description"] for prop in props]:
        chinese, english = text.split(" — ")
        assert HAN.search(chinese) and re.search(r"[A-Za-z]{3}", english), text
    assert schema["properties"]["date"]["description"] == DESCRIPTIONS["Issue", "date"]
    assert schema["required"] == ["paper", "title", "date", "pages"]


def test_the_sample_and_the_tests_issues_pass_the_schema_as_they_pass_the_tool(validator, write_issue):
    files = sorted((ROOT / "issues").glob("*/issue.yaml"))
    assert SAMPLE / "issue.yaml" in files
    for path in files:
        assert schema_errors(validator, path.read_text(encoding="utf-8")) == [], path
    checked = 0
    for text in issue_texts_in_tests():
        try:
            tool = model_errors(write_issue(text))
        except LayoutError:
            continue                      # a template (BODY to fill in), not YAML yet
        assert bool(schema_errors(validator, text)) == bool(tool), (text, tool)
        checked += 1
    assert checked >= 9


@pytest.mark.parametrize("old, new, tool_message, schema_message", [
    ("title: 测试特刊\n", "title: 测试特刊\ntitel: 特刊\n",
     "x/issue.yaml:3: titel: unknown key 'titel'; did you mean 'title'?",
     ": Additional properties are not allowed ('titel' was unexpected)"),
    ("      - headline: 标题\n", "      - kicker: 引题\n",
     "x/issue.yaml:7: pages[0].stories[0].headline: required key is missing",
     "pages.0.stories.0: 'headline' is a required property"),
    ("2026-02-10", "2026-02-30", "x/issue.yaml:3: date: not a real date: '2026-02-30'",
     "date: '2026-02-30' is not a 'date'"),
    ("2026-02-10", "10/02/2026", "x/issue.yaml:3: date: expected a date written YYYY-MM-DD, got '10/02/2026'",
     "date: '10/02/2026' does not match '^\\\\s*\\\\d{4}-\\\\d{2}-\\\\d{2}\\\\s*$'"),
    ("  - section: 要闻\n", "  - section: 要闻\n    fit: squeeze\n",
     "x/issue.yaml:6: pages[0].fit: expected 'copyfit' or 'jump', got 'squeeze'",
     "pages.0.fit: 'squeeze' is not one of ['', 'copyfit', 'jump', None]"),
    ("  - section: 要闻\n", "  - section: 要闻\n    spread: maybe\n",
     "x/issue.yaml:6: pages[0].spread: expected true or false, got 'maybe'",
     "pages.0.spread: 'maybe' is not valid under any of the given schemas"),
    ("      - headline: 标题\n", "      - headline: 标题\n        figure_span: 13\n",
     "x/issue.yaml:8: pages[0].stories[0].figure_span: expected a number from 0 to 12, got '13'",
     "pages.0.stories.0.figure_span: 13 is greater than the maximum of 12"),
    ("    stories:\n", "    banner:\n      kicker: 聚焦\n    stories:\n",
     "x/issue.yaml:6: pages[0].banner.title: required key is missing",
     "pages.0.banner: 'title' is a required property"),
    ("paper: 示例日报", "paper: [示例, 日报]", "x/issue.yaml:1: paper: expected text, got a list",
     "paper: ['示例', '日报'] is not of type 'string', 'number', 'boolean', 'null'"),
])
def test_a_schema_matter_is_rejected_by_both(validator, write_issue, old, new, tool_message, schema_message):
    text = MINIMAL.replace(old, new)
    assert text != MINIMAL
    assert tool_errors(write_issue, text) == [tool_message]
    assert schema_message in schema_errors(validator, text)


def test_no_pages_is_rejected_by_both(validator, write_issue):
    text = "paper: 报\ntitle: 刊\ndate: 2026-02-10\npages: []\n"
    assert tool_errors(write_issue, text) == ["x/issue.yaml:4: pages: needs at least one entry under 'pages'"]
    assert schema_errors(validator, text) == ["pages: [] should be non-empty"]


def test_text_written_as_a_number_is_text_for_both(validator, write_issue):
    text = MINIMAL.replace("headline: 标题", "headline: 2026").replace("    stories:", "    editor:\n    stories:")
    assert tool_errors(write_issue, text) == [] and schema_errors(validator, text) == []


def test_new_writes_a_starter_issue_that_passes_check(tmp_path, monkeypatch, validator):
    monkeypatch.chdir(tmp_path)
    result = run("new", "2026-spring")
    assert result.output == "wrote issues/2026-spring/issue.yaml\nwrote issues/issue.schema.json\n"
    text = (tmp_path / "issues/2026-spring/issue.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../issue.schema.json"
    assert json.loads((tmp_path / "issues/issue.schema.json").read_text(encoding="utf-8")) == validator.schema
    assert schema_errors(validator, text) == []
    check = run("check", "issues/2026-spring")
    assert check.exit_code == 0 and "0 errors" in check.output, check.output
    again = run("new", "2026-spring")
    assert (again.exit_code, again.output) == (2, "error: issues/2026-spring already exists; choose another SLUG\n")
    assert run("new", "../x").exit_code == 2
