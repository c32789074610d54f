"""SQLite store: documents, pages, provisions, revoked wording. One transaction per document.

The database file is the single state shared by the CLI and the app. Migrations are
numbered; `meta.schema_version` says which have run.
"""
from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from platformdirs import user_data_dir

from .errors import StoreError, UnknownDocument, UnknownProvision
from .models import ParsedDocument

MIGRATIONS: tuple[str, ...] = (
    # 1: documents, pages, provisions, revoked wording
    """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        iso3 TEXT NOT NULL,
        lang TEXT NOT NULL,
        title TEXT NOT NULL,
        short_title TEXT,
        citation TEXT,
        doc_type TEXT,
        year TEXT,
        as_of TEXT,
        official_url TEXT,
        file TEXT NOT NULL,
        path TEXT,
        sha256 TEXT NOT NULL,
        pages INTEGER NOT NULL,
        engine TEXT NOT NULL,
        parser_version TEXT NOT NULL,
        ingested_at TEXT NOT NULL,
        text TEXT NOT NULL,
        warnings TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX documents_iso3 ON documents(iso3);
    CREATE INDEX documents_sha ON documents(sha256);
    CREATE TABLE pages (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        start INTEGER NOT NULL,
        furniture TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (document_id, number)
    );
    CREATE TABLE provisions (
        id TEXT PRIMARY KEY,
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        eid TEXT NOT NULL,
        kind TEXT NOT NULL,
        label TEXT NOT NULL,
        heading TEXT NOT NULL,
        parent_id TEXT,
        ordinal INTEGER NOT NULL,
        depth INTEGER NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        page_first INTEGER NOT NULL,
        page_last INTEGER NOT NULL,
        revoked_text TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX provisions_doc ON provisions(document_id, ordinal);
    CREATE INDEX provisions_label ON provisions(label);
    CREATE TABLE revoked (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        page INTEGER NOT NULL,
        top REAL NOT NULL,
        text TEXT NOT NULL
    );
    """,
)


def default_db_path() -> Path:
    env = os.environ.get("LEXCOP_DB")
    if env:
        return Path(env)
    return Path(user_data_dir("lexcop")) / "lexcop.sqlite"


class Store:
    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else default_db_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=60)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except (OSError, sqlite3.DatabaseError) as exc:
            raise StoreError(f"cannot open the database ({exc})", path=str(self.path),
                             remedy="pass --db FILE (or set LEXCOP_DB) to a writable SQLite file or a new path") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _migrate(self) -> None:
        self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else 0
        for number, sql in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                self.db.executescript("BEGIN;" + sql + ";")
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(number),))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self.db
            self.db.commit()
        except BaseException:
            self.db.rollback()
            raise

    # ------------------------------------------------------------------ writes
    def is_current(self, doc_id: str, sha256: str, parser_version: str, engine: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM documents WHERE id = ? AND sha256 = ? AND parser_version = ? AND engine = ?",
            (doc_id, sha256, parser_version, engine)).fetchone()
        return row is not None

    def save(self, parsed: ParsedDocument) -> None:
        """Replace the document and everything derived from it, all or nothing."""
        src = parsed.source
        with self.transaction() as db:
            db.execute("DELETE FROM documents WHERE id = ?", (src.doc_id,))
            db.execute(
                "INSERT INTO documents (id, iso3, lang, title, short_title, citation, doc_type, year, as_of,"
                " official_url, file, path, sha256, pages, engine, parser_version, ingested_at, text, warnings)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (src.doc_id, src.iso3, src.lang, src.title, src.short_title, src.citation, src.doc_type,
                 src.year, src.as_of, src.official_url, src.file, src.path, parsed.sha256, parsed.n_pages,
                 parsed.engine, parsed.parser_version, _now(), parsed.text, json.dumps(list(parsed.warnings))))
            db.executemany(
                "INSERT INTO pages (document_id, number, start) VALUES (?,?,?)",
                [(src.doc_id, i + 1, start) for i, start in enumerate(parsed.page_starts)])
            db.executemany(
                'INSERT INTO provisions (id, document_id, eid, kind, label, heading, parent_id, ordinal, depth,'
                ' start, "end", page_first, page_last, revoked_text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
                [(p.id, src.doc_id, p.eid, p.kind, p.label, p.heading, p.parent, p.ordinal, p.depth,
                  p.start, p.end, p.page_first, p.page_last, p.revoked_text) for p in parsed.provisions])
            db.executemany(
                "INSERT INTO revoked (document_id, page, top, text) VALUES (?,?,?,?)",
                [(src.doc_id, r.page, r.top, r.text) for r in parsed.revoked])

    # ------------------------------------------------------------------- reads
    def documents(self, iso3: str | None = None) -> list[sqlite3.Row]:
        sql = ("SELECT d.id, d.iso3, d.lang, d.title, d.short_title, d.citation, d.doc_type, d.year, d.file,"
               " d.path, d.sha256, d.pages, d.engine, d.parser_version, d.ingested_at, d.warnings,"
               " (SELECT COUNT(*) FROM provisions p WHERE p.document_id = d.id) AS provisions"
               " FROM documents d")
        if iso3:
            return self.db.execute(sql + " WHERE d.iso3 = ? ORDER BY d.iso3, d.id", (iso3.lower(),)).fetchall()
        return self.db.execute(sql + " ORDER BY d.iso3, d.id").fetchall()

    def find_document(self, ref: str) -> sqlite3.Row:
        """A document by id, file name, sha256 or a unique id prefix."""
        rows = self.db.execute(
            "SELECT * FROM documents WHERE id = ? OR file = ? OR sha256 = ?", (ref, ref, ref)).fetchall()
        if not rows:
            rows = self.db.execute("SELECT * FROM documents WHERE id LIKE ? ESCAPE '\\'",
                                   (_like_prefix(ref),)).fetchall()
        if len(rows) == 1:
            return rows[0]
        known = [r["id"] for r in self.db.execute("SELECT id FROM documents ORDER BY id LIMIT 8")]
        if not rows:
            raise UnknownDocument(f"no document {ref!r} in {self.path}",
                                  remedy="see `lexcop documents`; e.g. " + ", ".join(known[:3]))
        raise UnknownDocument(f"{ref!r} matches {len(rows)} documents",
                              remedy="give more of the id: " + ", ".join(r["id"] for r in rows[:5]))

    def provisions(self, doc_id: str) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT * FROM provisions WHERE document_id = ? ORDER BY ordinal", (doc_id,)).fetchall()

    def provision(self, pid: str) -> sqlite3.Row:
        row = self.db.execute("SELECT * FROM provisions WHERE id = ?", (pid,)).fetchone()
        if row is None:
            doc, _, eid = pid.partition("~")
            hint = "ids look like ken/act/2018/computer-misuse-and-cybercrimes-act~sec_24"
            near = self.db.execute("SELECT id FROM provisions WHERE document_id = ? AND eid LIKE ? ESCAPE '\\' LIMIT 5",
                                   (doc, _like_prefix(eid.split("__")[0]))).fetchall()
            if near:
                hint = "did you mean " + ", ".join(r[0] for r in near) + "?"
            raise UnknownProvision(f"no provision {pid!r}", remedy=hint)
        return row

    def text_of(self, prov: sqlite3.Row) -> str:
        row = self.db.execute('SELECT substr(text, ? + 1, ? - ?) FROM documents WHERE id = ?',
                              (prov["start"], prov["end"], prov["start"], prov["document_id"])).fetchone()
        return row[0] if row else ""

    def sections_by_country(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for iso3, label in self.db.execute(
                "SELECT d.iso3, p.label FROM provisions p JOIN documents d ON d.id = p.document_id"
                " WHERE p.kind IN ('section', 'article', 'rule', 'regulation')"):
            out.setdefault(iso3, set()).add(label)
        return out


def _like_prefix(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
