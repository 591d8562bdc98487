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
    (those in the store or the cache are the ones a page worker places); the key is the page key
    of the neutral HTML with these hashes and the job's options, not the planning worker's."""
    from pathlib import Path

    from layout.cluster_inputs import CACHE, INPUTS, remote_job
    from layout.pagerender.chunk import PageJob
    from layout.pagerender.keys import page_key
    store, cache = tmp_path / "store", tmp_path / "cache"
    contents = {store / "trees/i/images/p.jpg": b"photo", cache / "photos/q.jpg": b"prepared",
                store / "trees/t/newspaper/theme.yaml": b"name: newspaper", store / "trees/t/newspaper/page.css": b"@page{}",
                store / "trees/f/x.otf": b"font"}
    for path, data in contents.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    html = f'<img src="{(store / "trees/i/images/p.jpg").as_uri()}"><img src="{(cache / "photos/q.jpg").as_uri()}">'
    options = {"pdf_variant": "pdf/x-4"}
    job = PageJob("the planner's key", 1, html, "1", store / "trees/i", [store / "trees/i", cache], options)
    remote, ours = remote_job(job, [(store, INPUTS), (cache, CACHE)], store / "trees/t/newspaper",
                              store / "trees/f", [store / "trees/f/x.otf"])
    neutral = {path: "/layout-" + ("cache/" + str(path.relative_to(cache)) if path.is_relative_to(cache)
                                   else "inputs/" + str(path.relative_to(store))) for path in contents}
    assert remote.html == '<img src="file:///layout-inputs/trees/i/images/p.jpg"><img src="file:///layout-cache/photos/q.jpg">'
    assert remote.files == {neutral[path]: sha256(data) for path, data in contents.items()}
    assert ours == {neutral[path]: path for path in contents}
    assert (remote.job.base_url, remote.job.roots) == (Path("/layout-inputs/trees/i"),
                                                       [Path("/layout-inputs/trees/i"), Path("/layout-cache")])
    assert remote.fonts_dir == "/layout-inputs/trees/f" and remote.job.options == options
    assert remote.key == page_key(remote.html, fonts=[Path("/layout-inputs/trees/f/x.otf")], options=options,
                                  digest=lambda path: remote.files[str(path)])
    assert remote.key != page_key(remote.html, fonts=[Path("/layout-inputs/trees/f/x.otf")],
                                  digest=lambda path: remote.files[str(path)])
