"""Stage 1: read an issue file (YAML) into plain values plus the line of every key.

Editors' files are untrusted: the reader accepts a regular file inside its folder only (see
`files`), UTF-8 only, refuses anchors and aliases (no "billion laughs"), nesting deeper than
any issue needs, and duplicate keys (YAML would silently keep the last one), and keeps every
scalar as text, so that `on`, `2026-02-30` or `1e3` reach validation exactly as written.

Text is taken as written, in one form (`text`): normalised to NFC, tabs turned into spaces,
and invisible characters that change the order or visibility of the text around them refused;
image paths are kept byte for byte.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import Finding, LayoutError
from .files import FileProblem, read_capped
from .text import normalise, refused_characters

MAX_SOURCE_BYTES = 2_000_000
#: An issue nests 6 levels at most (pages[].stories[].figures[].image); a file nested far
#: deeper is not an issue file, and would exhaust Python's recursion limit when built.
MAX_DEPTH = 32
#: LibYAML's parser when PyYAML has it (7x faster: a live proof re-reads the file on every save);
#: a file it refuses is read again by the pure-Python parser, whose messages editors get.
FAST_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


@dataclass
class Source:
    """The values of an issue file and where each key path was written."""

    path: Path
    data: object
    lines: dict[str, int] = field(default_factory=dict)
    label: str = ""
    block_scalars: set[str] = field(default_factory=set)
    spans: list[tuple[int, int, str]] = field(default_factory=list)   # each text's (start, end, key)

    def line_of_text(self, key: str, offset: int) -> int | None:
        """Line of character `offset` inside the text value at `key` (for lint findings)."""
        line = self.line_of(key)
        if line is None or key not in self.block_scalars:
            return line
        text = _get(self.data, key)
        return line + 1 + text[:offset].count("\n") if isinstance(text, str) else line

    def line_of(self, key: str) -> int | None:
        """Line of `key`, or of its nearest written ancestor (a missing key's parent)."""
        while True:
            if key in self.lines:
                return self.lines[key]
            if not key:
                return None
            key = _parent_key(key)


def _get(data, key: str):
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", key):
        if part.startswith("["):
            data = data[int(part[1:-1])]
        else:
            data = data[part]
    return data


def _parent_key(key: str) -> str:
    cut = max(key.rfind("."), key.rfind("["))
    return key[:cut] if cut > 0 else ""


def load_source(path: Path, label: str | None = None) -> Source:
    """Read and parse an issue file; raise LayoutError with located findings.

    The last few files read are kept by path, size and modification time: one render reads its
    issue file more than once, and a live proof re-reads it on every save."""
    label = label or str(path)
    try:
        stat = path.stat()
    except OSError:
        return _load_source(path, label)
    return _load_source_cached(path, label, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _load_source_cached(path: Path, label: str, size: int, mtime: int) -> Source:
    return _load_source(path, label)


def _load_source(path: Path, label: str) -> Source:
    raw = _read_bytes(path, label)
    text = _decode(raw, label)
    _check_events(text, label)
    try:
        node = yaml.compose(text, Loader=FAST_LOADER)
    except yaml.YAMLError as exc:
        raise LayoutError(_yaml_finding(_python_parser_error(text) or exc, label, text)) from None
    source = Source(path=path, data={}, label=label)
    findings: list[Finding] = []
    if node is not None:
        source.data = _construct(node, "", source, findings)
    findings += _refused(text, source)
    if findings:
        raise LayoutError(sorted(findings, key=lambda f: f.line or 0))
    return source


def _read_bytes(path: Path, label: str) -> bytes:
    """The file's bytes: a regular file inside its folder, read up to the cap plus one byte."""
    try:
        return read_capped(path, MAX_SOURCE_BYTES, path.parent, "issue file")
    except FileProblem as exc:
        message = "issue file not found" if exc.message == "file not found" else exc.message
        raise LayoutError(Finding(message, file=label)) from None


def _refused(text: str, source: Source) -> list[Finding]:
    """A located finding for every character the text may not hold (see `text`)."""
    findings = []
    for offset, message in refused_characters(text):
        key = next((k for start, end, k in source.spans if start <= offset < end), "")
        findings.append(Finding(message, file=source.label, line=text.count("\n", 0, offset) + 1,
                                key=key))
    return findings


def _decode(raw: bytes, label: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LayoutError(Finding(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
            file=label, line=line)) from None


def _check_events(text: str, label: str) -> None:
    """Refuse anchors, aliases and deep nesting, reading the parser's events (no recursion)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=FAST_LOADER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise LayoutError(Finding(
                    "YAML anchors and aliases (&name, *name) are not allowed in issue files",
                    file=label, line=event.start_mark.line + 1))
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise LayoutError(Finding(
                        f"nested more than {MAX_DEPTH} levels deep; an issue file needs 6 at most",
                        file=label, line=event.start_mark.line + 1))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        raise LayoutError(_yaml_finding(_python_parser_error(text) or exc, label, text)) from None


def _python_parser_error(text: str) -> yaml.YAMLError | None:
    """The pure-Python parser's account of a problem (its wording is clearer than LibYAML's)."""
    try:
        yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as exc:
        return exc
    return None


def _yaml_finding(exc: yaml.YAMLError, label: str, text: str = "") -> Finding:
    if isinstance(exc, yaml.reader.ReaderError):
        line = text[: exc.position].count("\n") + 1
        return Finding(f"contains the invisible character U+{exc.character:04X}; delete it",
                       file=label, line=line)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"malformed YAML: {problem}" + (f" ({context})" if context else "")
    return Finding(message, file=label, line=mark.line + 1 if mark else None)


def _construct(node, key: str, source: Source, findings: list[Finding]):
    source.lines.setdefault(key, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        return _construct_mapping(node, key, source, findings)
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, f"{key}[{i}]", source, findings)
                for i, item in enumerate(node.value)]
    if node.style in ("|", ">"):
        source.block_scalars.add(key)
    source.spans.append((node.start_mark.index, node.end_mark.index, key))
    return _as_written(node.value, key)


def _as_written(value: str, key: str) -> str:
    """A text value in NFC with its tabs as spaces; a file path exactly as written (Linux file
    names are bytes: a photo saved on a Mac may be named in NFD, and must still be found)."""
    return value if key.endswith(".image") else normalise(value).replace("\t", " ")


def _construct_mapping(node, key, source: Source, findings) -> dict:
    lines, label = source.lines, source.label
    result: dict[str, object] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            findings.append(Finding("a key must be plain text", file=label,
                                    line=key_node.start_mark.line + 1, key=key))
            continue
        name = normalise(key_node.value)
        child = f"{key}.{name}" if key else name
        if name in result:
            findings.append(Finding(
                f"duplicate key '{name}' (first written on line {lines[child]})",
                file=label, line=key_node.start_mark.line + 1, key=child))
            continue
        lines[child] = key_node.start_mark.line + 1
        result[name] = _construct(value_node, child, source, findings)
    return result
