"""Corpora: manifests in corpora/<iso3>/manifest.yaml, shared-layout folders, files.

A manifest holds facts only (title, citation, language, date, official URL, sha256,
file name). The PDF itself is resolved from a mirror directory (`--mirror DIR` or
LEXCOP_MIRROR, laid out as `<iso3>/<file>`) or from a download cache filled from the
official URL; either way its sha256 must match before lexcop reads it.
"""
from __future__ import annotations

import csv
import re
import hashlib
import os
import shutil
import tempfile
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from platformdirs import user_cache_dir

from .errors import ChecksumMismatch, DownloadError, ManifestError, MissingFile
from .ids import document_id, is_jurisdiction, year_from
from .models import SourceDoc

CORPORA_DIR = Path(__file__).resolve().parent.parent / "corpora"
MANIFEST_KEYS = {"id", "file", "title", "short_title", "citation", "language", "doc_type", "year",
                 "as_of", "official_url", "sha256", "pages"}


def sha256_of(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def cache_dir() -> Path:
    return Path(os.environ.get("LEXCOP_CACHE") or user_cache_dir("lexcop")) / "corpus"


def default_mirror() -> str | None:
    return os.environ.get("LEXCOP_MIRROR") or None


# ------------------------------------------------------------------ manifests

def manifest_paths(root: Path = CORPORA_DIR) -> list[Path]:
    return sorted(root.glob("*/manifest.yaml"))


def load_manifest(path: Path) -> list[SourceDoc]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ManifestError(f"not valid YAML: {exc}", path=str(path)) from None
    if not isinstance(data, dict) or "iso3" not in data or not isinstance(data.get("documents"), list):
        raise ManifestError("a manifest needs 'iso3' and a list 'documents'", path=str(path))
    iso3 = str(data["iso3"]).lower()
    out = []
    for i, d in enumerate(data["documents"]):
        where = f"{path}: documents[{i}]"
        unknown = set(d) - MANIFEST_KEYS
        if unknown:
            raise ManifestError(f"unknown key(s) {sorted(unknown)}", path=where, remedy=f"allowed: {sorted(MANIFEST_KEYS)}")
        for key in ("id", "file", "title", "language", "sha256"):
            if not d.get(key):
                raise ManifestError(f"missing {key!r}", path=where)
        out.append(SourceDoc(
            path="", iso3=iso3, lang=d["language"], title=d["title"], short_title=d.get("short_title", ""),
            citation=str(d.get("citation", "")), doc_type=d.get("doc_type", "act"), year=str(d.get("year", "")),
            as_of=str(d.get("as_of", "")), official_url=d.get("official_url", ""), sha256=d["sha256"],
            doc_id=d["id"], file=d["file"],
        ))
    return out


def load_manifests(countries: list[str] | None = None, root: Path = CORPORA_DIR) -> list[SourceDoc]:
    wanted = {c.lower() for c in countries} if countries else None
    docs = []
    for path in manifest_paths(root):
        if wanted is None or path.parent.name in wanted:
            docs.extend(load_manifest(path))
    if wanted:
        missing = wanted - {d.iso3 for d in docs}
        if missing:
            known = ", ".join(p.parent.name for p in manifest_paths(root))
            raise ManifestError(f"no manifest for {', '.join(sorted(missing))}", remedy=f"known: {known}")
    return docs


# ------------------------------------------------------------ shared layout dirs

def read_sources_tsv(folder: Path) -> list[SourceDoc]:
    """A folder `<iso3>/` with `sources.tsv` (the shared corpus layout) or bare PDFs."""
    iso3 = folder.name.lower()
    tsv = folder / "sources.tsv"
    rows: dict[str, dict] = {}
    if tsv.exists():
        with tsv.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                rows[row["file"]] = row
    out = []
    for pdf in sorted(folder.iterdir()):
        if pdf.is_dir() or pdf.name == "sources.tsv" or pdf.name.startswith("."):
            continue
        row = rows.get(pdf.name, {})
        out.append(source_from_row(iso3, pdf, row))
    return out


def source_from_row(iso3: str, pdf: Path, row: dict) -> SourceDoc:
    title = row.get("title") or pdf.stem.replace("-", " ")
    short = row.get("short_title") or title
    doc_type = row.get("doc_type") or "act"
    year = year_from(pdf.name, row.get("citation", ""), row.get("official_url", ""))
    return SourceDoc(
        path=str(pdf), iso3=iso3, lang=row.get("language") or "en", title=title, short_title=short,
        citation=row.get("citation", ""), doc_type=doc_type, year=year, as_of=row.get("as_of", ""),
        official_url=row.get("official_url", ""), sha256=row.get("sha256", ""),
        doc_id=document_id(iso3, doc_type, year, _id_title(short, pdf)), file=pdf.name,
    )


def _id_title(title: str, pdf: Path) -> str:
    """Ids are ASCII: a title in Hangul or Cyrillic gives way to the file's name."""
    latin = sum(c.isascii() and c.isalpha() for c in title)
    letters = sum(c.isalpha() for c in title) or 1
    if latin / letters >= 0.5:
        return title
    return re.sub(r"[-_ ]?(1[6-9]\d\d|20\d\d)$", "", pdf.stem)


def is_corpus_dir(path: Path) -> bool:
    """A corpus root holds `<iso3>/` folders (and `intl/`); a country folder holds PDFs."""
    return path.is_dir() and any(p.is_dir() and is_jurisdiction(p.name) for p in path.iterdir())


def sources_in(path: Path) -> list[SourceDoc]:
    if is_corpus_dir(path):
        docs = []
        for sub in sorted(p for p in path.iterdir() if p.is_dir() and is_jurisdiction(p.name)):
            docs.extend(read_sources_tsv(sub))
        return docs
    return read_sources_tsv(path)


# ------------------------------------------------------------------ resolution

@dataclass(frozen=True)
class Resolution:
    doc: SourceDoc
    status: str  # mirror | cache | downloaded | missing | mismatch | error
    message: str = ""

    @property
    def ok(self) -> bool:
        """The file is local and its sha256 matches the manifest."""
        return self.status in OK_STATUSES


OK_STATUSES = ("mirror", "cache", "downloaded")


def resolve(doc: SourceDoc, mirror: str | None, download: bool = True) -> SourceDoc:
    """Return `doc` with `path` set to a local file whose sha256 matches the manifest."""
    candidates = []
    if mirror:
        candidates.append(Path(mirror) / doc.iso3 / doc.file)
    cached = cache_dir() / doc.iso3 / doc.file
    candidates.append(cached)
    for cand in candidates:
        if cand.exists():
            got = sha256_of(cand)
            if got != doc.sha256:
                raise ChecksumMismatch(f"sha256 {got[:12]}… differs from the manifest's {doc.sha256[:12]}…",
                                       path=str(cand), remedy="the file changed: replace it or update the manifest")
            return replace(doc, path=str(cand))
    if not download or not doc.official_url:
        raise MissingFile("not in the mirror or the download cache", path=f"{doc.iso3}/{doc.file}",
                          remedy="pass --mirror DIR (or set LEXCOP_MIRROR) to a folder laid out as <iso3>/<file>")
    return replace(doc, path=str(fetch(doc, cached)))


def fetch(doc: SourceDoc, dest: Path) -> Path:
    """Download the official URL to the cache; keep it only if the sha256 matches."""
    url = doc.official_url.split()[0]
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=60) as resp:  # noqa: S310 (manifest URL)
            shutil.copyfileobj(resp, out)
        got = sha256_of(tmp)
        if got != doc.sha256:
            raise ChecksumMismatch(f"the download from {url} has sha256 {got[:12]}…, not the manifest's {doc.sha256[:12]}…",
                                   path=f"{doc.iso3}/{doc.file}",
                                   remedy="the official site serves another version or an HTML page: use --mirror")
        os.replace(tmp, dest)
        return dest
    except ChecksumMismatch:
        raise
    except Exception as exc:
        raise DownloadError(f"cannot download {url} ({exc})", path=f"{doc.iso3}/{doc.file}",
                            remedy="check the network, or pass --mirror DIR") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def sync(docs: list[SourceDoc], mirror: str | None, download: bool = True) -> list[Resolution]:
    out = []
    for doc in docs:
        try:
            was_cached = (cache_dir() / doc.iso3 / doc.file).exists()
            got = resolve(doc, mirror, download)
            if mirror and got.path.startswith(str(Path(mirror))):
                where = "mirror"
            else:
                where = "cache" if was_cached else "downloaded"
            out.append(Resolution(got, where))
        except (ChecksumMismatch, MissingFile, DownloadError) as exc:
            out.append(Resolution(doc, {"LX201": "mismatch", "LX107": "missing"}.get(exc.code, "error"), str(exc)))
    return out


def write_manifests(source_root: Path, out_root: Path = CORPORA_DIR) -> list[Path]:
    """Write corpora/<iso3>/manifest.yaml from a shared-layout folder's sources.tsv files."""
    written = []
    for sub in sorted(p for p in source_root.iterdir() if p.is_dir() and (p / "sources.tsv").exists()):
        rows = list(csv.DictReader((sub / "sources.tsv").open(encoding="utf-8", newline=""), delimiter="\t"))
        docs = []
        seen: set[str] = set()
        for row in rows:
            src = source_from_row(sub.name.lower(), sub / row["file"], row)
            doc_id = src.doc_id
            if doc_id in seen:  # two versions of one Act (as enacted / consolidated)
                doc_id = document_id(src.iso3, src.doc_type, src.year, Path(row["file"]).stem)
            seen.add(doc_id)
            docs.append({
                "id": doc_id, "file": row["file"], "title": row["title"],
                "short_title": row.get("short_title") or row["title"], "citation": row.get("citation", ""),
                "language": row["language"], "doc_type": row.get("doc_type") or "act", "year": src.year,
                "as_of": row.get("as_of", ""), "official_url": row.get("official_url", ""),
                "sha256": row["sha256"], "pages": int(row["pages"]) if row.get("pages", "").isdigit() else None,
            })
        jurisdiction = rows[0].get("jurisdiction", "") if rows else ""
        data = {"iso3": sub.name.lower(), "jurisdiction": jurisdiction,
                "complete": False,  # a manifest never claims the whole law of a country
                "documents": docs}
        out = out_root / sub.name.lower() / "manifest.yaml"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
        written.append(out)
    return written
