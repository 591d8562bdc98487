"""Batch stage on a cluster, the worker's side without a cluster (`cluster_inputs`, `cluster`):
the worker's store and what it checks, the environment the fork server starts with, the theme
the client reads from issue.yaml. (Milliseconds; written for the `inputs` group of
scripts/mutation, whose survivors they kill.)"""
from __future__ import annotations

import os

import pytest

from layout import cluster


def test_the_fork_server_gets_our_preload_and_the_environment_a_nanny_gives_a_worker(monkeypatch):
    """A variable already set is kept, as Dask's nanny keeps it; PYTHONHASHSEED=0 (hashing
    randomised) is replaced by the nanny's seed, as the nanny replaces it."""
    from multiprocessing import forkserver
    started = []
    monkeypatch.setattr(forkserver._forkserver, "_preload_modules", ["__main__"])
    monkeypatch.setattr(forkserver, "ensure_running",
                        lambda: started.append(list(forkserver._forkserver._preload_modules)))
    for name in cluster.WORKER_ENVIRON:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "0")
    cluster.start_forkserver()
    assert started == [["distributed", "layout.cluster_preload"]]
    assert {name: os.environ[name] for name in cluster.WORKER_ENVIRON} == {
        "OMP_NUM_THREADS": "0", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "PYTHONHASHSEED": "6640"}
    monkeypatch.setenv("PYTHONHASHSEED", "0")
    cluster.start_forkserver()
    assert os.environ["PYTHONHASHSEED"] == "6640"
    monkeypatch.setenv("PYTHONHASHSEED", "17")
    cluster.start_forkserver()
    assert os.environ["PYTHONHASHSEED"] == "17" and len(started) == 3


@pytest.fixture
def store(tmp_path, monkeypatch):
    """This process's store, in the test's folder."""
    from layout import cluster_inputs
    monkeypatch.setattr(cluster_inputs, "_STORE", [tmp_path / "store"])
    return tmp_path / "store"


def sha256(data: bytes) -> str:
    import hashlib
    return hashlib.sha256(data).hexdigest()


def test_a_file_travels_as_its_bytes_unless_by_reference(tmp_path):
    from layout.cluster_inputs import LocalFile, payload
    (tmp_path / "p.jpg").write_bytes(b"the photo")
    assert payload(tmp_path / "p.jpg", False) == b"the photo"
    assert payload(tmp_path / "p.jpg", True) == LocalFile(str(tmp_path / "p.jpg"), 9)


def test_a_tree_is_built_in_the_store_from_links_to_its_blobs_and_keeps_its_dangling_links(store, monkeypatch):
    """Each file a hard link to its blob (written once, from the bytes given or, when the task
    was not given them, the blob already there); a link that led out of the client's folder is
    the same link here; where a hard link cannot be made, the blob's bytes are copied."""
    from layout import cluster_inputs
    from layout.cluster_inputs import Tree, materialise, place
    text, photo = b"title: x\n", b"\xff\xd8 photo"
    tree = Tree((("images/p.jpg", sha256(photo)), ("issue.yaml", sha256(text)),
                 ("outside.jpg", "link:../../../etc/passwd")))
    folder = materialise(tree, {sha256(text): text, sha256(photo): photo})
    assert folder == store / "trees" / tree.id
    assert (folder / "issue.yaml").read_bytes() == text and (folder / "images" / "p.jpg").read_bytes() == photo
    assert (folder / "issue.yaml").stat().st_ino == (store / "blobs" / sha256(text)).stat().st_ino
    assert os.readlink(folder / "outside.jpg") == "../../../etc/passwd"
    assert sorted(p.name for p in (store / "blobs").iterdir()) == sorted([sha256(text), sha256(photo)])
    again = place("trees/other/p.jpg", sha256(photo), {})          # the blob is in the store already
    assert again.stat().st_ino == (store / "blobs" / sha256(photo)).stat().st_ino

    def refused(*args):
        raise OSError(18, "Invalid cross-device link")
    monkeypatch.setattr(cluster_inputs.os, "link", refused)
    copied = place("trees/third/p.jpg", sha256(photo), {})
    assert copied.read_bytes() == photo and copied.stat().st_ino != (store / "blobs" / sha256(photo)).stat().st_ino


def test_the_embedded_cluster_forks_its_workers_from_our_fork_server_after_dask_set_its_preload(monkeypatch):
    import dask
    from distributed import utils
    method = "distributed.worker.multiprocessing-method"
    order = []
    monkeypatch.setattr(utils, "get_mp_context", lambda: order.append(dask.config.get(method)))
    monkeypatch.setattr(cluster, "start_forkserver", lambda: order.append("ours"))
    with dask.config.set({method: "spawn"}):
        cluster.warm_forkserver()
        assert dask.config.get(method) == "forkserver"
    assert order == ["forkserver", "ours"]


def test_the_dashboard_is_named_only_when_the_scheduler_serves_one(monkeypatch):
    import importlib.util

    class Client:
        dashboard_link = "http://127.0.0.1:8787/status"

        def __init__(self, info):
            self.info = info

        def scheduler_info(self):
            if isinstance(self.info, Exception):
                raise self.info
            return self.info
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: name == "bokeh" or None)
    served = {"services": {"dashboard": 8787}}
    assert cluster.dashboard_of(Client(served)) == "http://127.0.0.1:8787/status"
    assert cluster.dashboard_of(Client({"services": {}})) is None
    assert cluster.dashboard_of(Client(OSError("gone"))) is None
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert cluster.dashboard_of(Client(served)) is None


def test_a_tree_with_no_file_is_an_empty_folder_in_a_new_store(store):
    from layout.cluster_inputs import Tree, materialise
    folder = materialise(Tree(()), {})
    assert folder == store / "trees" / Tree(()).id and folder.is_dir() and list(folder.iterdir()) == []


def test_paths_in_a_page_job_are_written_neutrally_the_longest_folder_first_as_urls_and_as_paths():
    """The cache inside the store is the cache's; a folder whose URL escapes its name (a space,
    Chinese) is found in its URL form too."""
    from pathlib import Path

    from layout.cluster_inputs import CACHE, INPUTS, neutral, neutral_path
    mapping = [(Path("/w/版面 store"), INPUTS), (Path("/w/版面 store/cache"), CACHE)]
    html = ('<img src="file:///w/%E7%89%88%E9%9D%A2%20store/cache/p.jpg">'
            '<img src="file:///w/%E7%89%88%E9%9D%A2%20store/trees/t/q.jpg"> /w/版面 store/cache/r.jpg')
    assert neutral(html, mapping) == ('<img src="file:///layout-cache/p.jpg">'
                                      '<img src="file:///layout-inputs/trees/t/q.jpg"> /layout-cache/r.jpg')
    assert neutral(html, list(reversed(mapping))) == neutral(html, mapping)
    assert neutral_path(Path("/w/版面 store/trees/t"), mapping) == Path("/layout-inputs/trees/t")
    assert str(neutral_path(Path("/w/版面 store"), mapping)) == "/layout-inputs"
    assert str(neutral_path(Path("/"), mapping)) == "/"
    assert str(neutral_path(Path("/w/版面 store/fonts/X"), mapping)) == "/layout-inputs/fonts/X"


def test_a_page_job_names_its_files_neutrally_with_their_hashes_and_is_keyed_on_that_form(tmp_path):
    """Every file the page names, the theme's files and the fonts, by neutral path with its hash
    (those in the store or the cache are the ones a page worker places, not a font of the
    system); the key is the page key
    of the neutral HTML with these hashes and the job's options, not the planning worker's."""
    from pathlib import Path

    from layout.cluster_inputs import CACHE, INPUTS, remote_job
    from layout.pagerender.chunk import PageJob
    from layout.pagerender.keys import page_key
    store, cache = tmp_path / "store", tmp_path / "cache"
    contents = {store / "trees/i/images/p.jpg": b"photo", cache / "photos/q.jpg": b"prepared",
                store / "trees/t/newspaper/theme.yaml": b"name: newspaper", store / "trees/t/newspaper/page.css": b"@page{}",
                store / "trees/f/x.otf": b"font"}
    for path, data in {**contents, tmp_path / "system/y.ttf": b"a font of the system"}.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    html = f'<img src="{(store / "trees/i/images/p.jpg").as_uri()}"><img src="{(cache / "photos/q.jpg").as_uri()}">'
    options = {"pdf_variant": "pdf/x-4"}
    job = PageJob("the planner's key", 1, html, "1", store / "trees/i", [store / "trees/i", cache], options)
    remote, ours = remote_job(job, [(store, INPUTS), (cache, CACHE)], store / "trees/t/newspaper",
                              store / "trees/f", [store / "trees/f/x.otf", tmp_path / "system/y.ttf"])
    neutral = {path: "/layout-" + ("cache/" + str(path.relative_to(cache)) if path.is_relative_to(cache)
                                   else "inputs/" + str(path.relative_to(store))) for path in contents}
    assert remote.html == '<img src="file:///layout-inputs/trees/i/images/p.jpg"><img src="file:///layout-cache/photos/q.jpg">'
    assert remote.files == {neutral[path]: sha256(data) for path, data in contents.items()}
    assert ours == {neutral[path]: path for path in contents}
    assert (remote.job.base_url, remote.job.roots) == (Path("/layout-inputs/trees/i"),
                                                       [Path("/layout-inputs/trees/i"), Path("/layout-cache")])
    assert remote.fonts_dir == "/layout-inputs/trees/f" and remote.job.options == options
    digests = {**remote.files, str(tmp_path / "system/y.ttf"): sha256(b"a font of the system")}
    fonts = [Path("/layout-inputs/trees/f/x.otf"), tmp_path / "system/y.ttf"]
    assert remote.key == page_key(remote.html, fonts=fonts, options=options, digest=lambda path: digests[str(path)])
    assert remote.key != page_key(remote.html, fonts=fonts, digest=lambda path: digests[str(path)])


def test_a_page_worker_places_the_files_a_job_names_in_its_own_store_and_reads_the_job_there(store):
    """Another worker than the planner: the job's files are placed from the blobs it is given
    (the cache's under `cache/`), and its neutral paths lead into this worker's store."""
    from pathlib import Path

    from layout.cluster_inputs import RemoteJob, local_job
    from layout.pagerender.chunk import PageJob
    photo, prepared, font = b"photo", b"prepared", b"font"
    files = {"/layout-inputs/trees/i/images/p.jpg": sha256(photo), "/layout-cache/photos/q.jpg": sha256(prepared),
             "/layout-inputs/trees/f/x.otf": sha256(font)}
    html = ('<img src="file:///layout-inputs/trees/i/images/p.jpg"><img src="file:///layout-cache/photos/q.jpg">'
            '<p>/layout-cache/photos/q.jpg</p>')
    outside = [Path("/"), Path("/usr/share/fonts/X")]
    job = PageJob("k", 3, html, "3", Path("/layout-inputs/trees/i"),
                  [Path("/layout-inputs/trees/i"), Path("/layout-cache"), *outside], {"pdf_variant": "pdf/x-4"})
    blobs = {sha256(data): data for data in (photo, prepared, font)}
    local, fonts_dir = local_job(RemoteJob(job, files, "/layout-inputs/trees/f"), blobs)
    assert [(store / name).read_bytes() for name in ("trees/i/images/p.jpg", "cache/photos/q.jpg", "trees/f/x.otf")] \
        == [photo, prepared, font]
    assert local.html == (f'<img src="{(store / "trees/i/images/p.jpg").as_uri()}">'
                          f'<img src="{(store / "cache/photos/q.jpg").as_uri()}"><p>{store}/cache/photos/q.jpg</p>')
    assert (local.base_url, local.roots) == (store / "trees/i", [store / "trees/i", store / "cache", *outside])
    assert fonts_dir == store / "trees/f" and (local.key, local.number, local.options) == ("k", 3, job.options)


def test_a_worker_whose_font_for_a_family_is_not_the_clients_refuses_naming_both(tmp_path):
    """Each time with the fonts tree of its task: a worker that resolved a family alike for one
    batch refuses another whose dropped-in fonts/ makes it another file."""
    from layout.cluster_inputs import installed
    from layout.fonts import dropped_in_fonts, resolve_role
    from layout.pagerender.keys import file_digest

    from .test_hostile_files import _tiny_font
    client = cluster.theme_fonts("newspaper")
    caption = next(font for font in client if font.role.role == "caption")
    assert caption.family == "LXGW WenKai" and all(font.family == font.role.family for font in client)
    assert caption.name == resolve_role(caption.role).path.name
    (tmp_path / "fonts").mkdir()
    _tiny_font(caption.family).save(tmp_path / "fonts" / "WenKai.ttf")
    assert [font.family for font in dropped_in_fonts(tmp_path / "fonts")] == [caption.family]
    cluster.check_fonts(client)
    with installed(None, tmp_path / "fonts"), pytest.raises(cluster.FontRefused) as caught:
        cluster.check_fonts(client)
    mine = file_digest(tmp_path / "fonts" / "WenKai.ttf")
    assert str(caught.value) == (
        f"worker pid {os.getpid()} refuses to render: its font for family '{caption.family}' (role 'caption') "
        f"is WenKai.ttf sha256 {mine[:16]}, the client's is {caption.name} sha256 {caption.sha256[:16]}; "
        "install the same font file on every worker")
    cluster.check_fonts(client)
    cluster.check_fonts(None)


def photo_issue(tmp_path, monkeypatch, edit=lambda text: text):
    """Issue `a` (2 pages, a photo on the first; its YAML through `edit`) read as the client
    reads it; $LAYOUT_CACHE and the issues this process keeps planned, the test's own."""
    from layout.cluster_run import read_issues

    from .conftest import photo
    from .test_batch_inprocess import TWO_PAGES
    folder = tmp_path / "a"
    photo(folder / "photo.jpg")
    (folder / "issue.yaml").write_text(edit(TWO_PAGES), encoding="utf-8")
    (run,), blobs = read_issues([folder], {folder.resolve(): "a"})
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "env-cache"))
    monkeypatch.setattr(cluster, "_PLANNED", {})
    return folder, run, blobs


def test_an_issue_is_planned_from_the_copies_of_its_inputs_and_names_its_prepared_photos(store, tmp_path, monkeypatch):
    """With the theme of its templates tree (the worker has no templates of its own), the fonts of
    its fonts tree (checked against the client's), the prepared photos in $LAYOUT_CACHE (no
    --cache) and sent back as bytes."""
    from dataclasses import replace

    from layout import theme as themes
    from layout.cluster_inputs import LocalFile
    from layout.pagerender.keys import issue_key
    folder, run, blobs = photo_issue(tmp_path, monkeypatch)
    monkeypatch.setattr(themes, "TEMPLATES_DIR", tmp_path / "no templates")
    plan = cluster.plan_task(str(folder), None, run.fonts, run.inputs, blobs)
    assert "errors" not in plan and [job.number for job in plan["jobs"]] == [1, 2]
    assert [job.fonts_dir for job in plan["jobs"]] == [f"/layout-inputs/trees/{run.inputs.fonts.id}"] * 2
    assert plan["key"] == issue_key([job.key for job in plan["jobs"]])
    prepared = {name: sha for job in plan["jobs"] for name, sha in job.files.items() if name.startswith("/layout-cache/")}
    assert [name.split("/")[2] for name in prepared] == ["images"]
    made = [path.read_bytes() for path in (tmp_path / "env-cache" / "images").iterdir() if path.suffix != ".json"]
    assert len(made) == 1
    assert plan["blobs"] == {sha256(data): data for data in made} and set(plan["blobs"]) == set(prepared.values())
    images = [path for path in (tmp_path / "env-cache" / "images").iterdir() if path.suffix != ".json"]
    referenced = cluster.plan_task(str(folder), None, run.fonts, run.inputs, blobs, by_reference=True)
    assert referenced["blobs"] == {sha: LocalFile(str(images[0]), len(made[0])) for sha in plan["blobs"]}
    wrong = [replace(font, sha256="0" * 64) for font in run.fonts]
    with pytest.raises(cluster.FontRefused):
        cluster.plan_task(str(folder), None, wrong, run.inputs, blobs)


def test_a_plan_given_an_id_orders_its_missing_photos_and_its_compose_task_takes_the_issue_back(store, tmp_path,
                                                                                                  monkeypatch):
    """The planned issue waits on the worker for its compose task; a compose task on another
    worker (the planning one died: nothing kept) plans the issue again. Either way the pages are
    those a plan without photo tasks composes, the photo taken from its task's result."""
    from layout.cluster_photos import photo_task
    folder, run, blobs = photo_issue(tmp_path, monkeypatch)
    planned = cluster.plan_task(str(folder), None, run.fonts, run.inputs, blobs, False, "plan-a-1")
    order, = planned["photos"]
    assert set(planned) == {"photos", "worker", "pid", "seconds", "peak_rss_mb"} and list(cluster._PLANNED) == ["plan-a-1"]
    assert not (tmp_path / "env-cache" / "images").exists()             # not prepared by the plan
    photos = {order.key: photo_task(blobs[order.sha], order, str(tmp_path / "elsewhere"), False)}
    kept = cluster.compose_task("plan-a-1", str(folder), None, run.fonts, run.inputs, blobs, False, photos)
    assert cluster._PLANNED == {}
    again = cluster.compose_task("plan-a-1", str(folder), None, run.fonts, run.inputs, blobs, False, photos)
    direct = cluster.plan_task(str(folder), None, run.fonts, run.inputs, blobs)
    assert [job.key for job in kept["jobs"]] == [job.key for job in again["jobs"]] == [job.key for job in direct["jobs"]]
    assert kept["blobs"] == direct["blobs"] and len(kept["blobs"]) == 1
    assert sorted(p.name for p in (tmp_path / "env-cache" / "images").iterdir()) == [
        f"{order.key[6:]}.jpg", f"{order.key[6:]}.json"]         # written from the task's bytes
    for n in range(cluster.PLANNED_KEPT + 2):
        cluster.plan_task(str(folder), str(tmp_path / f"cache{n}"), run.fonts, run.inputs, blobs, False, f"plan-{n}")
    assert list(cluster._PLANNED) == [f"plan-{n}" for n in range(2, cluster.PLANNED_KEPT + 2)]


def test_a_compose_task_on_a_fresh_worker_plans_again_from_the_copies_it_is_given(store, tmp_path, monkeypatch):
    """Another worker than the planning one: an empty store (the files placed from the blobs
    given), no templates of its own (the theme from its templates tree), the fonts checked, the
    prepared photo sent by reference when asked; the pages those of a plan on the first worker."""
    from dataclasses import replace

    from layout import cluster_inputs
    from layout import theme as themes
    from layout.cluster_inputs import LocalFile
    from layout.cluster_photos import photo_task
    folder, run, blobs = photo_issue(tmp_path, monkeypatch)
    order, = cluster.plan_task(str(folder), None, run.fonts, run.inputs, blobs, False, "plan-a-1")["photos"]
    direct = cluster.plan_task(str(folder), str(tmp_path / "direct"), run.fonts, run.inputs, blobs)
    photos = {order.key: photo_task(blobs[order.sha], order, str(tmp_path / "elsewhere"), False)}
    monkeypatch.setattr(cluster_inputs, "_STORE", [tmp_path / "fresh store"])
    monkeypatch.setattr(cluster, "_PLANNED", {})
    monkeypatch.setattr(themes, "TEMPLATES_DIR", tmp_path / "no templates")
    wrong = [replace(font, sha256="0" * 64) for font in run.fonts]
    with pytest.raises(cluster.FontRefused):
        cluster.compose_task("plan-a-1", str(folder), None, wrong, run.inputs, blobs, True, photos)
    composed = cluster.compose_task("plan-a-1", str(folder), None, run.fonts, run.inputs, blobs, True, photos)
    assert [job.key for job in composed["jobs"]] == [job.key for job in direct["jobs"]]
    jpeg = tmp_path / "env-cache" / "images" / f"{order.key[6:]}.jpg"
    assert composed["blobs"] == {sha: LocalFile(str(jpeg), jpeg.stat().st_size) for sha in direct["blobs"]}
    assert (tmp_path / "fresh store" / "trees" / run.inputs.issue.id / "photo.jpg").is_file()


def test_a_compose_task_returns_the_errors_that_stop_its_issue_located_in_the_clients_folder(store, tmp_path,
                                                                                              monkeypatch):
    """A character no font has stops the issue when its pages are composed (after its plan
    ordered its photo); an issue planned again on another worker stops at its own errors."""
    from layout.cluster_run import read_issues
    folder, run, blobs = photo_issue(tmp_path, monkeypatch,
                                     lambda text: text.replace("第三段正文。", "第三段\U00030041正文。"))
    assert len(cluster.plan_task(str(folder), None, run.fonts, run.inputs, blobs, False, "plan-a-1")["photos"]) == 1
    failed = cluster.compose_task("plan-a-1", str(folder), None, run.fonts, run.inputs, blobs, False, {})
    assert set(failed) == {"errors", "worker", "pid", "seconds", "peak_rss_mb"} and failed["seconds"] >= 0
    assert [(e["file"], e["line"], e["key"], e["kind"]) for e in failed["errors"]] == [
        (str(folder / "issue.yaml"), 19, "pages[1].stories[0].body", "font")]
    assert failed["errors"][0]["message"].startswith("'\U00030041' (U+30041) is in no font of role 'body' (")
    (folder / "issue.yaml").write_text("title: [\n", encoding="utf-8")
    (run,), blobs = read_issues([folder], {folder.resolve(): "a"})
    stopped = cluster.compose_task("plan-a-2", str(folder), None, run.fonts, run.inputs, blobs, False, {})
    assert set(stopped) == {"errors", "worker", "pid", "seconds", "peak_rss_mb"} and stopped["seconds"] >= 0
    assert [(e["file"], e["line"]) for e in stopped["errors"]] == [(str(folder / "issue.yaml"), 2)]


def test_a_findings_paths_are_the_clients_the_longest_folder_first(tmp_path, monkeypatch):
    """A folder inside another is shown as its own client folder, not as a path in the other's;
    a path relative to the worker's working folder is shown too, and a name that only begins
    like a folder is left alone."""
    monkeypatch.chdir(tmp_path)
    store = tmp_path / "store"
    shown = cluster.shown_as({store / "t": "templates", store / "t" / "fonts": "fonts", store / "i": "issues/a"})
    finding = {"file": f"{store}/t/fonts/x.ttf", "line": 3,
               "message": f"see {store}/t/fonts/y.ttf, store/i/issue.yaml:4 and {store}/i2/z.jpg"}
    assert shown(finding) == {"file": "fonts/x.ttf", "line": 3,
                              "message": f"see fonts/y.ttf, issues/a/issue.yaml:4 and {store}/i2/z.jpg"}


def test_a_page_task_renders_into_layout_cache_and_sends_each_pdf_back_unless_told_not_to(store, tmp_path, monkeypatch):
    """Without --cache the pages go to $LAYOUT_CACHE/pages; each page's PDF comes back as bytes
    for a client on another machine, None for the embedded cluster (it reads the page cache);
    the worker's fonts are checked as for a plan."""
    from dataclasses import replace

    from layout.cluster_run import read_issues

    from .conftest import MINIMAL
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "issue.yaml").write_text(MINIMAL, encoding="utf-8")
    (run,), blobs = read_issues([folder], {folder.resolve(): "a"})
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "env-cache"))
    plan = cluster.plan_task(str(folder), None, run.fonts, run.inputs, blobs)
    job, = plan["jobs"]
    sent = cluster.page_task([job], None, run.fonts, blobs)
    pdf = tmp_path / "env-cache" / "pages" / f"{job.key}.pdf"
    assert [page["key"] for page in sent["pages"]] == [job.key] and pdf.read_bytes().startswith(b"%PDF-")
    assert sent["pages"][0]["pdf"] == pdf.read_bytes() and sent["pid"] == os.getpid()
    assert cluster.page_task([job], None, run.fonts, blobs, by_reference=True)["pages"][0]["pdf"] is None
    with pytest.raises(cluster.FontRefused):
        cluster.page_task([job], None, [replace(font, sha256="0" * 64) for font in run.fonts], blobs)


def test_a_task_says_where_it_ran_how_long_it_took_and_its_largest_memory(monkeypatch):
    from layout.pagerender import pool
    monkeypatch.setattr(cluster.time, "perf_counter", lambda: 100.12345)
    monkeypatch.setattr(pool, "peak_rss_mb", lambda: 312.3456)
    assert cluster._where(98.0) == {"worker": f"pid {os.getpid()}", "pid": os.getpid(), "seconds": 2.123,
                                    "peak_rss_mb": 312.3}


def test_a_page_taken_off_a_dead_worker_twice_counts_twice_and_an_erred_one_not_at_all():
    """The scheduler's own count of the workers a task killed (`suspicious`) wins when higher."""
    class Task:
        suspicious = 3

    class Scheduler:
        transition_log = [("page-k1", "processing", "released", {}, "worker-died"),
                          ("page-k1", "processing", "released", {}, "worker-died"),
                          ("page-k1", "processing", "memory", {}, "task-finished"),
                          ("page-k2", "processing", "erred", {}, "task-erred"),
                          ("page-k3", "processing", "released", {}, "worker-died"),
                          ("input-a1", "processing", "released", {}, "worker-died")]
        tasks = {"page-k3": Task()}
    assert cluster.retried_keys(Scheduler(), ["page-k1", "page-k2", "page-k3"]) == {
        "page-k1": 2, "page-k2": 0, "page-k3": 3}


def test_a_blob_is_written_once_a_store_and_refused_when_its_bytes_do_not_have_its_hash(store, monkeypatch):
    from layout import cluster_inputs
    from layout.cluster_inputs import RECEIVED, put_blob
    sha = sha256(b"the photo")
    before = RECEIVED[sha]
    assert put_blob(sha, b"the photo").read_bytes() == b"the photo"
    assert put_blob(sha, b"not read again") == store / "blobs" / sha and RECEIVED[sha] == before + 1
    other = sha256(b"other")
    with pytest.raises(ValueError) as caught:
        put_blob(other, b"the photo")
    assert str(caught.value) == f"input {other[:16]}: the bytes received do not have this hash"
    assert sorted(p.name for p in (store / "blobs").iterdir()) == [sha]
    monkeypatch.setattr(cluster_inputs, "_STORE", [store.parent / "another store"])
    put_blob(sha, b"the photo")
    assert RECEIVED[sha] == before + 2


def test_outside_a_dask_worker_the_store_is_a_new_temporary_folder_for_the_process(tmp_path, monkeypatch):
    import tempfile

    from layout import cluster_inputs
    monkeypatch.setattr(cluster_inputs, "_STORE", [])
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    found = cluster_inputs.store()
    assert found.name == "layout-store" and found.parent.parent == tmp_path.resolve()
    assert found.parent.name.startswith("layout-worker-") and cluster_inputs.store() == found


def test_an_issues_trees_hold_its_files_its_themes_folder_every_themes_yaml_and_the_fonts_of_fonts(tmp_path, monkeypatch):
    """Hidden files are left out; of the templates, the issue's theme's folder and every other
    theme's theme.yaml (an unknown theme's error lists them), nothing of a folder that is not a
    theme; of fonts/, the font files at its top."""
    from layout import theme as themes
    from layout.cluster_inputs import LocalFile, read_inputs
    files = {"a/issue.yaml": b"title: x", "a/images/p.jpg": b"photo", "a/.hidden": b"no", "a/.git/x": b"no",
             "t/newspaper/theme.yaml": b"name: n", "t/newspaper/page.css": b"@page{}", "t/newspaper/parts/x.html": b"<p>",
             "t/other/theme.yaml": b"name: o", "t/other/big.css": b"no", "t/notes/readme.txt": b"no",
             "f/a.ttf": b"font a", "f/B.OTF": b"font b", "f/readme.md": b"no", "f/sub/c.ttf": b"no"}
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    monkeypatch.setattr(themes, "TEMPLATES_DIR", tmp_path / "t")
    monkeypatch.setattr(themes, "FONTS_DIR", tmp_path / "f")
    monkeypatch.chdir(tmp_path)
    blobs = {}
    inputs = read_inputs(tmp_path / "a", "", blobs)
    assert inputs.issue.files == (("images/p.jpg", sha256(b"photo")), ("issue.yaml", sha256(b"title: x")))
    assert [name for name, _ in inputs.theme.files] == ["newspaper/page.css", "newspaper/parts/x.html",
                                                        "newspaper/theme.yaml", "other/theme.yaml"]
    assert inputs.theme_name == themes.DEFAULT_THEME == "newspaper"
    assert inputs.fonts.files == (("B.OTF", sha256(b"font b")), ("a.ttf", sha256(b"font a")))
    assert inputs.shown == {"issue": "a", "templates": str(tmp_path / "t"), "fonts": str(tmp_path / "f")}
    assert blobs[sha256(b"photo")] == b"photo" and len(blobs) == 8
    referenced = {}
    read_inputs(tmp_path / "a", "", referenced, by_reference=True)
    assert referenced[sha256(b"font a")] == LocalFile(str(tmp_path / "f" / "a.ttf"), 6) and len(referenced) == 8
    for unknown in ("notes", "missing"):
        inputs = read_inputs(tmp_path / "a", unknown, {})
        assert inputs.theme_name == unknown
        assert [name for name, _ in inputs.theme.files] == ["newspaper/theme.yaml", "other/theme.yaml"]
    monkeypatch.setattr(themes, "TEMPLATES_DIR", tmp_path / "no templates")
    assert read_inputs(tmp_path / "a", "", {}).theme.files == ()


def test_the_client_reads_an_issues_theme_from_its_yaml_with_libyaml_as_utf_8_whatever_the_locale(tmp_path, monkeypatch):
    """A desk's machine may have a GB18030 locale: the issue file is UTF-8 all the same."""
    from pathlib import Path

    import yaml
    loaders = []
    real, read = yaml.load, Path.read_text
    monkeypatch.setattr(yaml, "load", lambda text, Loader: loaders.append(Loader) or real(text, Loader=Loader))
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None, errors=None:
                        read(self, encoding=encoding or "gb18030", errors=errors))
    for text, theme in (("theme: 晚报\ntitle: x\n", "晚报"), ("title: x\n", ""), ("theme:\n", ""),
                        ("- theme: evening\n", "")):
        (tmp_path / "issue.yaml").write_text(text, encoding="utf-8")
        assert cluster._theme_name(tmp_path) == theme
    assert loaders == [yaml.CSafeLoader] * 4


def test_a_link_inside_the_folder_travels_as_its_file_one_leading_out_or_nowhere_as_the_link(tmp_path):
    """The worker's checks then see what the client's would: a link out of the issue folder is
    refused there as here. Only the names asked for are listed; a folder among them is not a file."""
    from layout.cluster_inputs import LINK, tree_of
    folder = tmp_path / "a"
    (folder / "images").mkdir(parents=True)
    (folder / "issue.yaml").write_bytes(b"title: x")
    (tmp_path / "elsewhere.jpg").write_bytes(b"outside")
    (folder / "inside.yaml").symlink_to("issue.yaml")
    (folder / "out.jpg").symlink_to("../elsewhere.jpg")
    (folder / "dangling.jpg").symlink_to("nothing.jpg")
    blobs = {}
    assert tree_of(folder, blobs).files == (("dangling.jpg", LINK + "nothing.jpg"), ("inside.yaml", sha256(b"title: x")),
                                            ("issue.yaml", sha256(b"title: x")), ("out.jpg", LINK + "../elsewhere.jpg"))
    assert blobs == {sha256(b"title: x"): b"title: x"}
    assert tree_of(folder, {}, ["images", "out.jpg", "issue.yaml"]).files == (
        ("issue.yaml", sha256(b"title: x")), ("out.jpg", LINK + "../elsewhere.jpg"))
