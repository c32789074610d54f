"""Manifests in corpora/<iso3>/manifest.yaml, and resolving their files.

A manifest holds facts; the PDF comes from a mirror folder or the official URL, and is
only used when its sha256 is the manifest's. The statutes themselves live in
../shared/corpus beside the repository (never copied into it); tests that need them skip
with a reason when that folder is absent. The download path is tested against a real
HTTP server on 127.0.0.1 serving a PDF generated here.
"""
from __future__ import annotations

import functools
import hashlib
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
import yaml
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from lexcop.corpus import CORPORA_DIR, load_manifest, load_manifests, manifest_paths, resolve, sync
from lexcop.errors import ChecksumMismatch, ManifestError
from lexcop.ids import DOC_ID

REPO = Path(__file__).resolve().parent.parent
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
NO_CORPUS = f"{SHARED_CORPUS} is absent: the statutes live in ../shared/corpus beside the repository"
MANIFESTS = manifest_paths()
ALL_DOCS = [d for p in MANIFESTS for d in load_manifest(p)]


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def lexcop(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lexcop.cli", *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=300, env={**os.environ, **(env or {})})


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch) -> Path:
    """An empty download cache, so that nothing from the user's cache is found."""
    path = tmp_path / "cache"
    monkeypatch.setenv("LEXCOP_CACHE", str(path))
    return path / "corpus"


# ------------------------------------------------------------------ manifests

def test_there_are_manifests() -> None:
    assert len(MANIFESTS) >= 10, f"expected the default corpus' manifests in {CORPORA_DIR}"


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.parent.name)
def test_manifest_loads(path: Path) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    docs = load_manifest(path)
    assert raw["iso3"] == path.parent.name, f"{path}: iso3 {raw['iso3']!r} is not the folder name"
    assert raw.get("complete") is False, f"{path}: a manifest never claims a country's whole law"
    assert docs, f"{path}: no documents"
    for d in docs:
        assert d.iso3 == path.parent.name
        assert len(d.sha256) == 64 and set(d.sha256) <= set("0123456789abcdef"), f"{path}: {d.file} sha256"
        assert d.file.endswith(".pdf") and "/" not in d.file, f"{path}: file {d.file!r}"
        assert len(d.lang) == 2, f"{path}: {d.file} language {d.lang!r} is not ISO 639-1"


def test_document_ids_are_unique_and_well_formed() -> None:
    ids = Counter(d.doc_id for d in ALL_DOCS)
    assert not [i for i, n in ids.items() if n > 1], "duplicate document ids"
    for d in ALL_DOCS:
        assert DOC_ID.match(d.doc_id), f"{d.iso3}/manifest.yaml: id {d.doc_id!r} does not match lexcop.ids.DOC_ID"
        assert d.doc_id.startswith(d.iso3 + "/"), f"{d.doc_id}: does not start with its country {d.iso3}"
    files = Counter((d.iso3, d.file) for d in ALL_DOCS)
    assert not [f for f, n in files.items() if n > 1], "a file is listed twice"


@pytest.mark.corpus
@pytest.mark.parametrize("doc", ALL_DOCS, ids=lambda d: f"{d.iso3}/{d.file}")
def test_sha256_matches_the_shared_copy(doc) -> None:
    path = SHARED_CORPUS / doc.iso3 / doc.file
    if not path.exists():
        pytest.skip(f"{path} absent" if SHARED_CORPUS.exists() else NO_CORPUS)
    assert sha256_bytes(path.read_bytes()) == doc.sha256, \
        f"{path}: sha256 differs from corpora/{doc.iso3}/manifest.yaml"


@pytest.mark.corpus
def test_manifests_are_what_the_shared_sources_tsv_give(tmp_path: Path) -> None:
    """`lexcop corpus manifests` regenerates the committed manifests byte for byte; a
    difference means sources.tsv or the id scheme changed and ids would move."""
    if not SHARED_CORPUS.exists():
        pytest.skip(NO_CORPUS)
    res = lexcop("corpus", "manifests", str(SHARED_CORPUS), "--out", str(tmp_path))
    assert res.returncode == 0, res.stderr
    written = sorted(tmp_path.glob("*/manifest.yaml"))
    assert [p.parent.name for p in written] == [p.parent.name for p in MANIFESTS]
    for new in written:
        committed = CORPORA_DIR / new.parent.name / "manifest.yaml"
        assert new.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), \
            f"{committed} differs from `lexcop corpus manifests {SHARED_CORPUS}`"


def test_malformed_manifest_names_file_and_document(tmp_path: Path) -> None:
    doc = {"id": "tst/act/2024/test-act", "file": "a.pdf", "title": "Test Act", "language": "en",
           "sha256": "0" * 64}
    cases = {"flavour": ({**doc, "flavour": "x"}, "flavour"), "sha256": ({k: v for k, v in doc.items()
                                                                         if k != "sha256"}, "sha256")}
    for name, (bad, key) in cases.items():
        path = tmp_path / name / "tst" / "manifest.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(yaml.safe_dump({"iso3": "tst", "documents": [doc, bad]}), encoding="utf-8")
        with pytest.raises(ManifestError) as err:
            load_manifest(path)
        assert err.value.code == "LX202"
        assert f"{path}: documents[1]" in str(err.value) and key in str(err.value)


def test_unknown_country_lists_the_known_ones() -> None:
    with pytest.raises(ManifestError) as err:
        load_manifests(["zzz"])
    assert "zzz" in str(err.value) and "ken" in err.value.remedy


# ------------------------------------------------------------ sync from a mirror

@pytest.mark.corpus
def test_corpus_sync_from_the_shared_mirror(tmp_path: Path) -> None:
    if not SHARED_CORPUS.exists():
        pytest.skip(NO_CORPUS)
    res = lexcop("corpus", "sync", "--mirror", str(SHARED_CORPUS), env={"LEXCOP_CACHE": str(tmp_path)})
    assert res.returncode == 0, res.stderr
    n = len(ALL_DOCS)
    assert f"corpus: {n} mirror of {n} documents" in res.stdout
    assert not (tmp_path / "corpus").exists(), "nothing should have been downloaded"


def test_mismatching_file_in_mirror_is_a_clear_error(tmp_path: Path) -> None:
    ken = [d for d in ALL_DOCS if d.iso3 == "ken"]
    target = ken[0]
    original = SHARED_CORPUS / "ken" / target.file
    data = original.read_bytes() if original.exists() else b"%PDF-1.4\n"
    mirror = tmp_path / "mirror"
    (mirror / "ken").mkdir(parents=True)
    bad = mirror / "ken" / target.file
    bad.write_bytes(data + b"\n% one changed byte at the end\n")  # a modified copy

    with pytest.raises(ChecksumMismatch) as err:
        resolve(target, str(mirror), download=False)
    assert str(bad) in str(err.value) and target.sha256[:12] in str(err.value)

    res = lexcop("corpus", "sync", "--mirror", str(mirror), "--country", "ken", "--no-download",
                 env={"LEXCOP_CACHE": str(tmp_path / "cache")})
    assert res.returncode == 1
    errors = [ln for ln in res.stderr.splitlines() if "[LX201]" in ln]
    assert len(errors) == 1 and str(bad) in errors[0] and "differs from the manifest" in errors[0], res.stderr
    assert f"corpus: 1 mismatch, {len(ken) - 1} missing of {len(ken)} documents" in res.stdout
    assert "Traceback" not in res.stderr


# ------------------------------------------------------------- download fallback

class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@pytest.fixture()
def server(tmp_path: Path, monkeypatch):
    """A real HTTP server on 127.0.0.1 in a thread, serving tmp_path/site."""
    site = tmp_path / "site"
    site.mkdir()
    requests: list[str] = []

    class Handler(_Handler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            requests.append(self.path)
            super().do_GET()

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    yield f"http://127.0.0.1:{httpd.server_address[1]}", site, requests
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)


def make_pdf(path: Path) -> bytes:
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(72, 750, "1. Short title")
    c.drawString(72, 736, "This Act may be cited as the Download Test Act, 2024.")
    c.showPage()
    c.save()
    return path.read_bytes()


def write_manifest(root: Path, url: str, sha: str) -> list:
    path = root / "tst" / "manifest.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"iso3": "tst", "jurisdiction": "Test", "complete": False, "documents": [{
        "id": "tst/act/2024/download-test-act", "file": "download-test-act.pdf", "title": "Download Test Act",
        "language": "en", "doc_type": "act", "year": "2024",
        "official_url": url + " (the official site; a note after the URL is allowed)", "sha256": sha}]}),
        encoding="utf-8")
    return load_manifests(root=root)


def test_download_fallback_fetches_and_verifies(tmp_path: Path, server, cache: Path) -> None:
    base, site, requests = server
    data = make_pdf(site / "act.pdf")
    docs = write_manifest(tmp_path / "corpora", f"{base}/act.pdf", sha256_bytes(data))
    empty_mirror = tmp_path / "mirror"
    empty_mirror.mkdir()

    [first] = sync(docs, str(empty_mirror))
    assert (first.status, first.message) == ("downloaded", "")
    kept = cache / "tst" / "download-test-act.pdf"
    assert Path(first.doc.path) == kept and kept.read_bytes() == data
    assert requests == ["/act.pdf"]
    assert not list(kept.parent.glob("*.part"))

    [again] = sync(docs, None)  # now from the cache, without asking the server
    assert again.status == "cache" and Path(again.doc.path) == kept
    assert requests == ["/act.pdf"]


def test_download_with_wrong_sha_is_rejected_and_not_kept(tmp_path: Path, server, cache: Path) -> None:
    base, site, requests = server
    data = make_pdf(site / "act.pdf")
    docs = write_manifest(tmp_path / "corpora", f"{base}/act.pdf", sha256_bytes(data + b"other version"))

    [res] = sync(docs, None)
    assert res.status == "mismatch"
    assert "[LX201]" in res.message and f"{base}/act.pdf" in res.message
    assert requests == ["/act.pdf"]
    folder = cache / "tst"
    assert not (folder / "download-test-act.pdf").exists()
    assert not (folder.exists() and list(folder.iterdir())), "nothing, not even a .part file, may stay behind"


def test_download_error_is_reported_and_nothing_kept(tmp_path: Path, server, cache: Path) -> None:
    base, _site, requests = server
    docs = write_manifest(tmp_path / "corpora", f"{base}/gone.pdf", "0" * 64)
    [res] = sync(docs, None)
    assert res.status == "error" and "[LX203]" in res.message and "gone.pdf" in res.message
    assert requests == ["/gone.pdf"]
    assert not ((cache / "tst").exists() and list((cache / "tst").iterdir()))


def test_no_download_means_missing_without_asking(tmp_path: Path, server, cache: Path) -> None:
    base, site, requests = server
    data = make_pdf(site / "act.pdf")
    docs = write_manifest(tmp_path / "corpora", f"{base}/act.pdf", sha256_bytes(data))
    [res] = sync(docs, None, download=False)
    assert res.status == "missing" and "[LX107]" in res.message and "--mirror" in res.message
    assert requests == []


def test_cached_file_that_changed_is_not_used(tmp_path: Path, server, cache: Path) -> None:
    base, site, requests = server
    data = make_pdf(site / "act.pdf")
    docs = write_manifest(tmp_path / "corpora", f"{base}/act.pdf", sha256_bytes(data))
    [ok] = sync(docs, None)
    assert ok.status == "downloaded"
    shutil.copyfile(site / "act.pdf", cache / "tst" / "download-test-act.pdf")
    (cache / "tst" / "download-test-act.pdf").write_bytes(data + b"tampered")
    [res] = sync(docs, None)
    assert res.status == "mismatch" and "[LX201]" in res.message
