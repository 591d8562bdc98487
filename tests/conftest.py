"""Shared fixtures: tiny issues written into a temporary folder, and the rendered sample."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "issues" / "2026-changzhi-lianghui"
#: the team's shared folder (seeds, docs, tools) lies beside the repository, in CI as well
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_07aebcb63628b662.txt"

MINIMAL = """\
paper: 示例日报
title: 测试特刊
date: 2026-02-10
pages:
  - section: 要闻
    stories:
      - headline: 标题
        body: |
          第一段正文。

          第二段正文。
"""


def photo(path: Path, size=(1200, 800), colour=(90, 120, 150)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, quality=90)
    return path


@pytest.fixture
def write_issue(tmp_path, monkeypatch):
    """Write `issue.yaml` (dedented) into tmp_path/x and chdir to tmp_path; return the folder."""
    monkeypatch.chdir(tmp_path)

    def write(text: str | bytes, name: str = "x") -> Path:
        folder = tmp_path / name
        folder.mkdir(exist_ok=True)
        data = text if isinstance(text, bytes) else textwrap.dedent(text).encode("utf-8")
        (folder / "issue.yaml").write_bytes(data)
        return folder

    return write
