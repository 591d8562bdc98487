"""Batch stage, photos on a cluster (`cluster_photos`), the parts that need no cluster: a photo
task's key is its prepared file's cache entry, a plan orders only the photos its cache lacks,
the task prepares from the bytes it is given, and the composing worker finds or writes the
prepared file in its own cache, or prepares it itself. (The cluster itself: tests/test_cluster.py,
a photo three issues share prepared by one task; a failed task's photo prepared by the compose
task; tests/test_batch_inprocess.py, the client's side.)"""
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


def order(data: bytes, width=60.0, height=40.0, ppi=300) -> cluster_photos.PhotoOrder:
    sha = hashlib.sha256(data).hexdigest()
    return cluster_photos.PhotoOrder(cluster_photos.photo_key(sha, width, height, ppi), sha, width, height, ppi)


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
    cut = prepare_image(source, placed_width=120.46, placed_height=80.0, target_ppi=300,
                        cache_dir=tmp_path / "cache", region=(0.1, 0.1, 0.9, 0.8))
    assert cluster_photos.photo_key(sha, 120.46, 80.0, 300, region=(0.1, 0.1, 0.9, 0.8)) == f"photo-{cut.path.stem}"


def test_a_photo_task_prepares_the_bytes_it_is_given_into_its_workers_cache(store, tmp_path):
    data = photo(tmp_path / "a.jpg").read_bytes()
    ordered = order(data)
    before = cluster_photos.TASKS_RUN[ordered.key]
    result = cluster_photos.photo_task(data, ordered, str(tmp_path / "cache"), False)
    jpeg = tmp_path / "cache" / "images" / result["name"]
    assert jpeg.is_file() and result["jpeg"] == jpeg.read_bytes() and f"photo-{jpeg.stem}" == ordered.key
    assert result["record"] == jpeg.with_suffix(".json").read_bytes()
    assert (store / "blobs" / ordered.sha).read_bytes() == data
    with Image.open(jpeg) as prepared:
        assert prepared.size == (250, 167)                 # 60 x 40 pt at 300 ppi, cropped to the frame
    assert cluster_photos.TASKS_RUN[ordered.key] == before + 1
    by_reference = cluster_photos.photo_task(data, ordered, str(tmp_path / "cache"), True)
    assert by_reference["jpeg"] == LocalFile(str(jpeg.resolve()), jpeg.stat().st_size)


def test_a_photo_task_says_what_stopped_it_and_never_raises(store, tmp_path):
    data = b"GIF89a not really"
    result = cluster_photos.photo_task(data, order(data), str(tmp_path / "cache"), False)
    assert set(result) == {"problem"} and result["problem"].startswith("ImageProblem: ")
    wrong = order(b"other bytes")
    result = cluster_photos.photo_task(data, wrong, str(tmp_path / "cache"), False)
    assert result == {"problem": f"ValueError: input {wrong.sha[:16]}: the bytes received do not have this hash"}


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


class Figure:
    def __init__(self, key: str, source: Path, w: float = 60.0, h: float = 40.0):
        from layout.page import Box
        self.key, self.source, self.image, self.focus, self.region = key, source, Box(0, 0, w, h), None, None


class Plan:
    def __init__(self, *figures):
        self.photos, self.modules = list(figures), []


def test_a_plan_orders_each_photo_its_cache_lacks_once_and_none_it_has(tmp_path):
    a, b = photo(tmp_path / "a.jpg"), photo(tmp_path / "b.jpg", (480, 640))
    cache = tmp_path / "cache" / "images"
    plans = [Plan(Figure("p1.a", a), Figure("p1.b", b)), Plan(Figure("p2.a", a), Figure("p2.missing", tmp_path / "no.jpg"))]
    orders = cluster_photos.photo_orders(plans, cache, 300)
    assert [o.key for o in orders] == [order(a.read_bytes()).key, order(b.read_bytes()).key]
    prepare_image(a, placed_width=60.0, placed_height=40.0, target_ppi=300, cache_dir=cache)
    assert [o.key for o in cluster_photos.photo_orders(plans, cache, 300)] == [order(b.read_bytes()).key]


def test_an_order_is_its_figures_frame_rounded_to_2_places_its_focus_region_and_ppi_and_its_task_prepares_that(
        store, tmp_path):
    a = photo(tmp_path / "a.jpg")
    figure = Figure("p1.a", a, w=120.456, h=80.456)
    figure.focus, figure.region = (0.2, 0.5), (0.1, 0.1, 0.9, 0.8)
    [ordered] = cluster_photos.photo_orders([Plan(figure)], tmp_path / "cache" / "images", 200)
    expected = prepare_image(a, placed_width=120.456, placed_height=80.456, target_ppi=200,
                             cache_dir=tmp_path / "elsewhere", focus=(0.2, 0.5), region=(0.1, 0.1, 0.9, 0.8))
    sha = hashlib.sha256(a.read_bytes()).hexdigest()
    assert ordered == cluster_photos.PhotoOrder(f"photo-{expected.path.stem}", sha, 120.46, 80.46, 200,
                                                (0.2, 0.5), (0.1, 0.1, 0.9, 0.8))
    result = cluster_photos.photo_task(a.read_bytes(), ordered, str(tmp_path / "cache"), False)
    assert result["name"] == expected.path.name and result["jpeg"] == expected.path.read_bytes()


def test_a_photo_task_given_no_cache_prepares_into_layout_cache(store, tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "env-cache"))
    data = photo(tmp_path / "a.jpg").read_bytes()
    ordered = order(data)
    result = cluster_photos.photo_task(data, ordered, None, False)
    assert (tmp_path / "env-cache" / "images" / result["name"]).read_bytes() == result["jpeg"]
    assert result["name"] == ordered.key.removeprefix("photo-") + ".jpg"


def test_a_compose_task_takes_each_photo_from_its_task_or_the_cache_and_prepares_the_rest(tmp_path):
    a, b, c = photo(tmp_path / "a.jpg"), photo(tmp_path / "b.jpg", (480, 640)), photo(tmp_path / "c.jpg", (300, 300))
    cache = tmp_path / "cache" / "images"
    prepare_image(b, placed_width=60.0, placed_height=40.0, target_ppi=300, cache_dir=cache)       # cached
    task_a = {"name": "fromtask.jpg", "jpeg": b"prepared by a photo task", "record": b"{}"}
    failed_c = {"problem": "OSError: disk full"}
    plans = [Plan(Figure("p1.a", a), Figure("p1.b", b), Figure("p1.c", c), Figure("p1.gone", tmp_path / "gone.jpg"))]
    before = cluster_photos.PREPARED_BY_COMPOSE["c.jpg"]
    urls, findings = cluster_photos.prepared_urls(plans, cache, 300, {order(a.read_bytes()).key: task_a,
                                                                      order(c.read_bytes()).key: failed_c})
    assert urls["p1.a"] == (cache / "fromtask.jpg").resolve().as_uri()
    assert urls["p1.b"] == (cache / f"{order(b.read_bytes()).key[6:]}.jpg").resolve().as_uri()
    assert urls["p1.c"] == (cache / f"{order(c.read_bytes()).key[6:]}.jpg").resolve().as_uri()
    assert Path(urls["p1.c"][7:]).is_file() and "p1.gone" not in urls
    assert [(f.key, f.kind) for f in findings] == [("p1.gone.image", "image")]
    assert cluster_photos.PREPARED_BY_COMPOSE["c.jpg"] == before + 1


def test_a_compose_task_prepares_a_photo_whose_prepared_file_it_cannot_place_at_its_ppi(tmp_path):
    a, b = photo(tmp_path / "a.jpg"), photo(tmp_path / "b.jpg", (480, 640))
    cache = tmp_path / "cache" / "images"
    cached = prepare_image(a, placed_width=60.0, placed_height=40.0, target_ppi=200, cache_dir=cache)
    gone = {"name": "gone.jpg", "jpeg": LocalFile(str(tmp_path / "cleaned" / "gone.jpg"), 10), "record": b"{}"}
    plans = [Plan(Figure("p1.a", a), Figure("p1.b", b))]
    before = cluster_photos.PREPARED_BY_COMPOSE["b.jpg"]
    urls, findings = cluster_photos.prepared_urls(plans, cache, 200, {order(b.read_bytes(), ppi=200).key: gone})
    assert urls["p1.a"] == cached.path.resolve().as_uri()
    assert urls["p1.b"] == (cache / f"{order(b.read_bytes(), ppi=200).key[6:]}.jpg").resolve().as_uri()
    assert Path(urls["p1.b"][7:]).is_file() and not (cache / "gone.jpg").exists() and findings == []
    assert cluster_photos.PREPARED_BY_COMPOSE["b.jpg"] == before + 1
