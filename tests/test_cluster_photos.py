"""Batch stage, photos on a cluster (`cluster_photos`), the parts that need no cluster: a photo
task's key is its prepared file's cache entry, the task prepares from the bytes it is given, and
the planning worker finds or writes the prepared file in its own cache. (The cluster itself:
tests/test_cluster.py, a photo three issues share prepared by one task; a failed task's photo
prepared by the plan.)"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PIL import Image

from layout import cluster_photos
from layout.cluster_inputs import LocalFile
from layout.images import prepare_image


@pytest.fixture
def store(tmp_path, monkeypatch):
    from layout import cluster_inputs
    monkeypatch.setattr(cluster_inputs, "_STORE", [tmp_path / "store"])
    return tmp_path / "store"


def photo(path: Path, size=(640, 480)) -> Path:
    Image.new("RGB", size, (200, 120, 40)).save(path, quality=90)
    return path


def test_a_photo_tasks_key_is_the_cache_entry_its_photo_is_prepared_into(tmp_path):
    source = photo(tmp_path / "a.jpg")
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    prepared = prepare_image(source, placed_width=120.456, placed_height=80.0, target_ppi=300,
                             cache_dir=tmp_path / "cache")
    assert cluster_photos.photo_key(sha, 120.46, 80.0, 300) == f"photo-{prepared.path.stem}"
    framed = prepare_image(source, placed_width=120.46, placed_height=80.0, target_ppi=300,
                           cache_dir=tmp_path / "cache", focus=(0.2, 0.5))
    assert cluster_photos.photo_key(sha, 120.46, 80.0, 300, focus=(0.2, 0.5)) == f"photo-{framed.path.stem}"
    assert len({cluster_photos.photo_key(sha, 120.46, 80.0, ppi) for ppi in (300, 200)}) == 2


def test_a_photo_task_prepares_the_bytes_it_is_given_into_its_workers_cache(store, tmp_path):
    data = photo(tmp_path / "a.jpg").read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    before = cluster_photos.TASKS_RUN[cluster_photos.photo_key(sha, 60.0, 40.0, 300)]
    result = cluster_photos.photo_task(data, sha, 60.0, 40.0, 300, None, None, str(tmp_path / "cache"), False)
    jpeg = tmp_path / "cache" / "images" / result["name"]
    assert jpeg.is_file() and result["jpeg"] == jpeg.read_bytes()
    assert result["record"] == jpeg.with_suffix(".json").read_bytes()
    assert (store / "blobs" / sha).read_bytes() == data
    with Image.open(jpeg) as prepared:
        assert prepared.size == (250, 167)                 # 60 x 40 pt at 300 ppi, cropped to the frame
    assert cluster_photos.TASKS_RUN[f"photo-{jpeg.stem}"] == before + 1
    by_reference = cluster_photos.photo_task(data, sha, 60.0, 40.0, 300, None, None, str(tmp_path / "cache"), True)
    assert by_reference["jpeg"] == LocalFile(str(jpeg.resolve()), jpeg.stat().st_size)


def test_a_photo_task_reports_what_is_not_a_printable_photo(store, tmp_path):
    data = b"GIF89a not really"
    sha = hashlib.sha256(data).hexdigest()
    result = cluster_photos.photo_task(data, sha, 60.0, 40.0, 300, None, None, str(tmp_path / "cache"), False)
    assert set(result) == {"problem"} and "image" in result["problem"]


def test_the_planning_worker_writes_a_prepared_photo_its_cache_lacks_and_reuses_one_it_has(tmp_path):
    made = {"name": "abc.jpg", "jpeg": b"jpeg bytes", "record": b"{}"}
    cache = tmp_path / "cache" / "images"
    assert cluster_photos._placed(made, cache) == (cache / "abc.jpg").resolve().as_uri()
    assert (cache / "abc.jpg").read_bytes() == b"jpeg bytes" and (cache / "abc.json").read_bytes() == b"{}"
    assert cluster_photos._placed({**made, "jpeg": b"other"}, cache) and (cache / "abc.jpg").read_bytes() == b"jpeg bytes"
    elsewhere = tmp_path / "other.jpg"
    elsewhere.write_bytes(b"from another cache")
    local = {"name": "def.jpg", "jpeg": LocalFile(str(elsewhere), 18), "record": b"{}"}
    cluster_photos._placed(local, cache)
    assert (cache / "def.jpg").read_bytes() == b"from another cache"
    assert cluster_photos._placed({"problem": "not a photo"}, cache) is None
    assert sorted(p.name for p in cache.iterdir()) == ["abc.jpg", "abc.json", "def.jpg", "def.json"]


def test_outside_a_dask_worker_photos_are_prepared_in_the_process(tmp_path, monkeypatch):
    calls = []
    from layout.pagerender import compose
    monkeypatch.setattr(compose, "prepare_photos", lambda plans, cache, ppi: calls.append((plans, cache, ppi)) or ({}, []))
    prepare = cluster_photos.photos_on_cluster(None, False)
    assert prepare(["plan"], tmp_path, 200) == ({}, [])
    assert calls == [(["plan"], tmp_path, 200)]
