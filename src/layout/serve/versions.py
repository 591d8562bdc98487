"""Proof stage for the live server: numbered proofs and what changed between them (改样).

Every rebuild that changes a page is a new proof (and so is every `layout proof`), numbered
from 1, and keeps the digests of its set lines (`layout.setlines`: which lines changed) and the issue's texts
by key path (`pages[1].stories[0].headline`, one entry per body paragraph
`pages[1].stories[0].body[2]`, captions, credits, and each photo as its file's name, size and
time). Comparing two proofs gives the changed entries, old → new, each on the place of the page
it belongs to (`layout.places.place_of`). The last `KEPT` proofs are kept, in the cache
(`<cache>/proofs/<issue folder's digest>/<number>.json`).
"""
from __future__ import annotations

import difflib
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Issue

KEPT = 100
CONTEXT = 12         # characters shown either side of a change in a long text


@dataclass
class Proof:
    number: int
    version: int          # the proof page's version that published it
    saved: float          # time.time()
    texts: dict[str, str] = field(default_factory=dict)
    lines: dict[str, list[str]] | None = None    # its set lines' digests (`layout.setlines.fingerprint`)


def issue_texts(issue: Issue) -> dict[str, str]:
    """The issue's printed texts and photos, by key path."""
    texts: dict[str, str] = {}
    for i, page in enumerate(issue.pages):
        if page.banner:
            _fields(texts, f"pages[{i}].banner", page.banner, ("kicker", "title", "slogan", "label"))
        for j, story in enumerate(page.stories):
            key = f"pages[{i}].stories[{j}]"
            _fields(texts, key, story, ("kicker", "headline", "subhead", "byline"))
            for k, paragraph in enumerate(story.paragraphs):
                texts[f"{key}.body[{k}]"] = (f"**{paragraph.lead}**" if paragraph.lead else "") + paragraph.text
            for k, figure in enumerate(story.figures):
                _figure(texts, f"{key}.figures[{k}]", figure, issue.folder)
        for k, figure in enumerate(page.photos):
            _figure(texts, f"pages[{i}].photos[{k}]", figure, issue.folder)
    return texts


def _fields(texts: dict, key: str, model, names: tuple[str, ...]) -> None:
    for name in names:
        value = getattr(model, name, "")
        if value:
            texts[f"{key}.{name}"] = str(value)


def _figure(texts: dict, key: str, figure, folder) -> None:
    _fields(texts, key, figure, ("caption", "credit"))
    try:
        info = os.stat(folder / figure.image)
        saved = time.strftime("%H:%M:%S", time.localtime(info.st_mtime))
        texts[f"{key}.image"] = f"{figure.image} ({info.st_size} bytes, {saved})"
    except OSError:
        texts[f"{key}.image"] = str(figure.image)


class ProofRounds:
    """The numbered proofs of one issue folder; with `folder`, each is also kept there as
    `<number>.json`, so the numbering and the comparisons go on when `serve` is started again."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder
        self.proofs: list[Proof] = self._load() if folder else []

    def add(self, version: int, texts: dict[str, str], lines: dict[str, list[str]] | None = None) -> Proof:
        proof = Proof((self.proofs[-1].number + 1) if self.proofs else 1, version, time.time(), texts, lines)
        self.proofs = (self.proofs + [proof])[-KEPT:]
        if self.folder:
            self._save(proof)
        return proof

    def _save(self, proof: Proof) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            data = {"number": proof.number, "saved": proof.saved, "texts": proof.texts, "lines": proof.lines}
            tmp = self.folder / f".{proof.number}.json.part"
            tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            tmp.replace(self.folder / f"{proof.number}.json")
            for old in sorted(self._numbers())[:-KEPT]:
                (self.folder / f"{old}.json").unlink(missing_ok=True)
        except OSError:
            pass                  # a cache that cannot be written: the proofs stay in memory

    def _numbers(self) -> list[int]:
        try:
            return [int(p.stem) for p in self.folder.glob("*.json") if p.stem.isdigit()]
        except OSError:
            return []

    def _load(self) -> list[Proof]:
        proofs = []
        for number in sorted(self._numbers())[-KEPT:]:
            try:
                data = json.loads((self.folder / f"{number}.json").read_text(encoding="utf-8"))
                lines = data.get("lines")
                proofs.append(Proof(number, 0, float(data["saved"]), dict(data["texts"]),
                                    dict(lines) if isinstance(lines, dict) else None))
            except (OSError, ValueError, KeyError, TypeError):
                continue          # a damaged file is left out
        return proofs

    def get(self, number: int) -> Proof | None:
        return next((p for p in self.proofs if p.number == number), None)

    def listing(self) -> list[dict]:
        return [{"number": p.number, "version": p.version,
                 "saved": time.strftime("%H:%M:%S", time.localtime(p.saved))} for p in self.proofs]

    def changes(self, since: int, now: int | None = None) -> list[dict]:
        """What changed from proof `since` to proof `now` (the latest): key, old, new, and a
        short form of each with the changed part in 【】."""
        old, new = self.get(since), self.get(now) if now else (self.proofs[-1] if self.proofs else None)
        if old is None or new is None:
            return []
        keys = list(dict.fromkeys([*new.texts, *old.texts]))
        return [change(key, old.texts.get(key, ""), new.texts.get(key, ""))
                for key in keys if old.texts.get(key, "") != new.texts.get(key, "")]


def change(key: str, old: str, new: str) -> dict:
    """One changed text; `before`/`after` show the changed part with a little context."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    blocks = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    first, last = blocks[0], blocks[-1]
    before = _excerpt(old, first[1], last[2])
    after = _excerpt(new, first[3], last[4])
    return {"key": key, "old": old, "new": new, "before": before, "after": after}


def _excerpt(text: str, start: int, end: int) -> str:
    head = "…" if start > CONTEXT else ""
    tail = "…" if len(text) - end > CONTEXT else ""
    return f"{head}{text[max(0, start - CONTEXT):start]}【{text[start:end]}】{text[end:end + CONTEXT]}{tail}"


def rounds_folder(cache_dir: Path, issue_folder: Path) -> Path:
    """Where the proofs of `issue_folder` are kept: one folder per issue folder (by its path)."""
    digest = hashlib.sha256(str(Path(issue_folder).resolve()).encode()).hexdigest()[:16]
    return Path(cache_dir) / "proofs" / digest
