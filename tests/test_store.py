"""The SQLite store and the inspection commands, on real PDFs written here with reportlab.

Nothing is mocked: each test ingests a small generated Act into a fresh database file
and reads it back through `Store` or through the `lexcop` command in a subprocess.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from lexcop.errors import StoreError, UnknownDocument, UnknownProvision
from lexcop.ids import document_id
from lexcop.ingest import ingest
from lexcop.models import SourceDoc
from lexcop.store import MIGRATIONS, Store

# A two-page Act in the Commonwealth style: section 1 on page 1, section 2 with a
# subsection and paragraphs on page 2.
ACT_PAGES = [
    ["1. Short title",
     "This Act may be cited as the {title}, 2024."],
    ["2. Offences",
     "(1) A person who—",
     "(a) possesses child sexual abuse material;",
     "(b) distributes such material,",
     "commits an offence.",
     "(2) A person convicted of an offence under subsection (1) is liable to imprisonment."],
]
OUTLINE_KEYS = {"id", "kind", "label", "heading", "pages", "children"}


def write_act(path: Path, title: str) -> Path:
    """A real PDF with a text layer; `title` goes into the text so each file differs."""
    width, height = A4
    c = canvas.Canvas(str(path), pagesize=A4)
    for lines in ACT_PAGES:
        y = 90.0
        for line in lines:
            c.setFont("Helvetica", 10)
            c.drawString(72, height - y, line.format(title=title))
            y += 14
        c.showPage()
    c.save()
    return path


def source(pdf: Path, title: str) -> SourceDoc:
    return SourceDoc(path=str(pdf), iso3="tst", lang="en", title=title, short_title=title, year="2024",
                     doc_type="act", doc_id=document_id("tst", "act", "2024", title), file=pdf.name)


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    """A database holding two generated Acts whose ids share the prefix tst/act/2024/."""
    db = Store(tmp_path / "lexcop.sqlite")
    docs = [source(write_act(tmp_path / f"{name}.pdf", title), title)
            for name, title in (("first", "First Test Act"), ("second", "Second Test Act"))]
    outcomes = ingest(docs, db)
    assert [o.status for o in outcomes] == ["ingested", "ingested"], [o.message for o in outcomes]
    yield db
    db.close()


def lexcop(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lexcop.cli", *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)


# ------------------------------------------------------------------ migrations

def test_fresh_file_gets_every_migration(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "lexcop.sqlite"  # parent folders do not exist yet
    with Store(path) as s:
        version = s.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        tables = {r[0] for r in s.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert int(version) == len(MIGRATIONS)
    assert {"meta", "documents", "pages", "provisions", "revoked"} <= tables


def test_reopening_keeps_data_and_runs_nothing_twice(store: Store) -> None:
    path = store.path
    n_docs = len(store.documents())
    store.close()
    with Store(path) as again:  # a second migration run would fail on CREATE TABLE
        assert len(again.documents()) == n_docs == 2
        assert again.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] \
            == str(len(MIGRATIONS))


def test_a_file_that_is_not_sqlite_is_refused_clearly(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-db.sqlite"
    bad.write_text("this is not a database\n" * 100)
    with pytest.raises(StoreError) as err:
        Store(bad)
    assert err.value.code == "LX601" and str(bad) in str(err.value)
    res = lexcop("documents", "--db", str(bad))
    assert res.returncode == 2
    assert res.stderr.startswith("lexcop: [LX601]") and len(res.stderr.strip().splitlines()) == 1


# ---------------------------------------------------------------- find_document

def test_find_document_by_id_file_sha_and_prefix(store: Store) -> None:
    row = store.find_document("tst/act/2024/first-test-act")
    assert row["file"] == "first.pdf"
    assert store.find_document("second.pdf")["id"] == "tst/act/2024/second-test-act"
    assert store.find_document(row["sha256"])["id"] == row["id"]
    assert store.find_document("tst/act/2024/sec")["id"] == "tst/act/2024/second-test-act"


def test_find_document_ambiguous_prefix_names_the_candidates(store: Store) -> None:
    with pytest.raises(UnknownDocument) as err:
        store.find_document("tst/act/2024/")
    text = str(err.value)
    assert err.value.code == "LX401"
    assert "matches 2 documents" in text
    assert "tst/act/2024/first-test-act" in text and "tst/act/2024/second-test-act" in text


def test_find_document_unknown_names_the_database(store: Store) -> None:
    with pytest.raises(UnknownDocument) as err:
        store.find_document("ken/act/2018/nothing-like-this")
    assert "ken/act/2018/nothing-like-this" in str(err.value)
    assert str(store.path) in str(err.value)
    assert "lexcop documents" in err.value.remedy


def test_find_document_prefix_is_literal_not_a_like_pattern(store: Store) -> None:
    # "_" and "%" are LIKE wildcards; an id prefix must match them literally
    # unescaped, each of these would pick out first-test-act alone and be returned
    for ref in ("tst/act/2024/first_test", "tst/act/2024/f%act", "tst/act/2024/_irst"):
        with pytest.raises(UnknownDocument):
            store.find_document(ref)


def test_unknown_provision_suggests_near_ids(store: Store) -> None:
    with pytest.raises(UnknownProvision) as err:
        store.provision("tst/act/2024/first-test-act~sec_2__subsec_9")
    assert err.value.code == "LX402"
    assert "tst/act/2024/first-test-act~sec_2" in err.value.remedy


# ------------------------------------------------------------------ the CLI

def test_show_unknown_id_is_one_clear_line_and_exit_2(store: Store) -> None:
    res = lexcop("show", "tst/act/2024/first-test-act~sec_99", "--db", str(store.path))
    assert res.returncode == 2
    assert res.stdout == ""
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("lexcop: [LX402]") and "sec_99" in lines[0]
    assert "Traceback" not in res.stderr


def test_outline_unknown_document_is_one_clear_line_and_exit_2(store: Store) -> None:
    res = lexcop("outline", "no/such/document", "--db", str(store.path))
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [res.stderr.strip()]
    assert res.stderr.startswith("lexcop: [LX401]")


def test_outline_json_has_the_contract_keys(store: Store) -> None:
    res = lexcop("outline", "first.pdf", "--db", str(store.path), "--format", "json")
    assert res.returncode == 0, res.stderr
    tree = json.loads(res.stdout)
    doc_id = "tst/act/2024/first-test-act"

    def check(nodes: list[dict]) -> None:
        for node in nodes:
            assert set(node) == OUTLINE_KEYS, node
            assert node["id"].startswith(doc_id + "~")
            first, last = node["pages"]
            assert isinstance(first, int) and 1 <= first <= last <= 2
            check(node["children"])

    check(tree)
    by_id = {n["id"]: n for n in tree}
    assert list(by_id) == [f"{doc_id}~sec_1", f"{doc_id}~sec_2"]
    assert by_id[f"{doc_id}~sec_1"]["pages"] == [1, 1]
    sec2 = by_id[f"{doc_id}~sec_2"]
    assert (sec2["kind"], sec2["label"], sec2["pages"]) == ("section", "2", [2, 2])
    subsecs = {c["id"]: c for c in sec2["children"]}
    assert set(subsecs) == {f"{doc_id}~sec_2__subsec_1", f"{doc_id}~sec_2__subsec_2"}
    paras = [c["id"] for c in subsecs[f"{doc_id}~sec_2__subsec_1"]["children"]]
    assert paras == [f"{doc_id}~sec_2__subsec_1__para_a", f"{doc_id}~sec_2__subsec_1__para_b"]


def test_outline_depth_cuts_the_tree(store: Store) -> None:
    res = lexcop("outline", "tst/act/2024/first-test-act", "--db", str(store.path), "--format", "json",
                 "--depth", "1")
    assert res.returncode == 0, res.stderr
    tree = json.loads(res.stdout)
    assert [n["label"] for n in tree] == ["1", "2"]
    assert all(n["children"] == [] for n in tree)


def test_show_prints_text_page_and_source(store: Store) -> None:
    pid = "tst/act/2024/first-test-act~sec_2__subsec_1__para_a"
    res = lexcop("show", pid, "--db", str(store.path), "--format", "json")
    assert res.returncode == 0, res.stderr
    shown = json.loads(res.stdout)
    assert shown["id"] == pid and shown["page_first"] == 2
    assert shown["text"].startswith("(a) possesses child sexual abuse material")
    assert shown["file"] == "first.pdf" and len(shown["sha256"]) == 64
    text = lexcop("show", pid, "--db", str(store.path))
    assert text.returncode == 0 and "first.pdf, p. 2" in text.stdout


def test_documents_json_lists_both(store: Store) -> None:
    res = lexcop("documents", "--db", str(store.path), "--format", "json", "--country", "TST")
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert [r["id"] for r in rows] == ["tst/act/2024/first-test-act", "tst/act/2024/second-test-act"]
    assert all(r["pages"] == 2 and r["provisions"] >= 6 for r in rows)


def test_ingest_single_pdf_without_metadata_is_a_usage_error(tmp_path: Path) -> None:
    pdf = write_act(tmp_path / "act.pdf", "Lone Act")
    res = lexcop("ingest", str(pdf), "--db", str(tmp_path / "x.sqlite"))
    assert res.returncode == 2
    assert res.stderr.startswith("lexcop: [LX501]") and "--country" in res.stderr


def test_ingest_twice_is_unchanged_the_second_time(tmp_path: Path) -> None:
    pdf = write_act(tmp_path / "act.pdf", "Lone Act")
    args = ("ingest", str(pdf), "--country", "TST", "--lang", "en", "--title", "Lone Act", "--year", "2024",
            "--db", str(tmp_path / "x.sqlite"))
    first, second = lexcop(*args), lexcop(*args)
    assert first.returncode == 0 and "ingested 1," in first.stdout, first.stderr
    assert second.returncode == 0 and "unchanged 1," in second.stdout, second.stderr
