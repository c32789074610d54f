"""The `lexcop` command: thin. Parses arguments, calls the library, prints.

Every LexcopError becomes one line on stderr and a non-zero exit code; nothing here
parses PDFs or knows a grammar.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .corpus import load_manifests, sources_in, sync, write_manifests
from .errors import LexcopError, UsageError
from .ids import document_id, is_jurisdiction
from .ingest import Outcome, Progress, ingest
from .models import SourceDoc
from .pdf import DEFAULT_MAX_PAGES, ENGINES
from .render import outline_text, provision_tree, show_text
from .store import Store, default_db_path

DB_HELP = "SQLite database file (default: $LEXCOP_DB or the user data directory)."
MIRROR_HELP = "Folder laid out as <iso3>/<file> holding the corpus PDFs (default: $LEXCOP_MIRROR)."


def _db(path: str | None) -> Store:
    return Store(path or default_db_path())


class LexcopGroup(click.Group):
    """Turns a LexcopError anywhere below into one clean line and exit code 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LexcopError as exc:
            click.echo(f"lexcop: {exc}", err=True)
            ctx.exit(2)


@click.group(cls=LexcopGroup)
@click.version_option(__version__, prog_name="lexcop")
def main() -> None:
    """lexcop: child online protection law, compared and cited.

    Statute PDFs go in; a provision tree comes out that you can inspect and cite by page.
    Start with `lexcop run --mirror DIR` to sync and ingest the default corpus.
    """


# ----------------------------------------------------------------------- run

@main.command()
@click.option("--mirror", default=None, help=MIRROR_HELP)
@click.option("--db", default=None, help=DB_HELP)
@click.option("--jobs", "-j", default=os.cpu_count() or 1, show_default=True, help="Parallel processes.")
@click.option("--country", "countries", multiple=True, help="Only this ISO3 country (repeatable).")
def run(mirror: str | None, db: str | None, jobs: int, countries: tuple[str, ...]) -> None:
    """The main job: sync the default corpus, ingest it, print a summary."""
    mirror = mirror or os.environ.get("LEXCOP_MIRROR")
    docs = load_manifests(list(countries) or None)
    resolved = _sync_report(docs, mirror)
    store = _db(db)
    outcomes = _ingest_with_progress([r.doc for r in resolved if r.ok], store, jobs,
                                     "pdfium", DEFAULT_MAX_PAGES, False)
    _summary(store, outcomes)
    failed = [r for r in resolved if not r.ok]
    sys.exit(1 if failed or any(o.status == "failed" for o in outcomes) else 0)


# -------------------------------------------------------------------- corpus

@main.group()
def corpus() -> None:
    """The default corpus: manifests in corpora/<iso3>/manifest.yaml."""


@corpus.command("sync")
@click.option("--mirror", default=None, help=MIRROR_HELP)
@click.option("--country", "countries", multiple=True, help="Only this ISO3 country (repeatable).")
@click.option("--no-download", is_flag=True, help="Never fall back to the official URL.")
def corpus_sync(mirror: str | None, countries: tuple[str, ...], no_download: bool) -> None:
    """Resolve every manifest document from the mirror or its official URL; verify sha256."""
    mirror = mirror or os.environ.get("LEXCOP_MIRROR")
    results = _sync_report(load_manifests(list(countries) or None), mirror, not no_download)
    sys.exit(1 if any(not r.ok for r in results) else 0)


@corpus.command("manifests")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write <iso3>/manifest.yaml (default: the repository's corpora/).")
def corpus_manifests(source: Path, out: Path | None) -> None:
    """Write manifests from a folder in the shared layout (<iso3>/sources.tsv)."""
    kwargs = {"out_root": out} if out else {}
    for path in write_manifests(source, **kwargs):
        click.echo(str(path))


def _sync_report(docs: list[SourceDoc], mirror: str | None, download: bool = True):
    results = sync(docs, mirror, download)
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
        if r.message:
            click.echo(f"lexcop: {r.message}", err=True)
    click.echo("corpus: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) + f" of {len(results)} documents")
    return results


# -------------------------------------------------------------------- ingest

@main.command("ingest")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--db", default=None, help=DB_HELP)
@click.option("--country", default=None, help="ISO 3166 alpha-3 code, for a single PDF.")
@click.option("--lang", default=None, help="ISO 639-1 language of a single PDF (en, fr, de, es, pt, nl, ru, ko).")
@click.option("--title", default=None, help="Title of a single PDF.")
@click.option("--doc-type", default="act", show_default=True, help="act, code, regulation, rules or treaty.")
@click.option("--year", default="", help="Year of the Act, for its id.")
@click.option("--jobs", "-j", default=1, show_default=True, help="Documents parsed in parallel processes.")
@click.option("--engine", type=click.Choice(ENGINES), default="pdfium", show_default=True,
              help="pdfium is fast; pdfplumber is the slower reference engine.")
@click.option("--max-pages", default=DEFAULT_MAX_PAGES, show_default=True, help="Refuse PDFs longer than this.")
@click.option("--force", is_flag=True, help="Parse again even when the stored copy is current.")
@click.option("--mirror", default=None, help="With no PATH: " + MIRROR_HELP)
def ingest_cmd(paths, db, country, lang, title, doc_type, year, jobs, engine, max_pages, force, mirror) -> None:
    """Parse PDFs into provision trees and store them.

    PATH is a PDF or a folder in the shared layout (<iso3>/*.pdf with sources.tsv, or a
    root of such folders). With no PATH, the default corpus is ingested. Exit code 0 when
    all were ingested (or were current already), 1 when any failed.
    """
    sources = _sources(paths, country, lang, title, doc_type, year, mirror)
    store = _db(db)
    outcomes = _ingest_with_progress(sources, store, jobs, engine, max_pages, force)
    _summary(store, outcomes)
    sys.exit(1 if any(o.status == "failed" for o in outcomes) else 0)


def _sources(paths, country, lang, title, doc_type, year, mirror) -> list[SourceDoc]:
    if not paths:
        mirror = mirror or os.environ.get("LEXCOP_MIRROR")
        return [r.doc for r in _sync_report(load_manifests(), mirror) if r.ok]
    out: list[SourceDoc] = []
    for path in paths:
        if path.is_dir():
            out.extend(sources_in(path))
            continue
        if not (country and lang and title):
            raise UsageError("a single PDF needs --country ISO3 --lang LL --title T", path=str(path),
                             remedy="e.g. lexcop ingest act.pdf --country KEN --lang en --title 'Sexual Offences Act'")
        iso3 = _iso3(country)
        out.append(SourceDoc(path=str(path), iso3=iso3, lang=lang.lower(), title=title, short_title=title,
                             doc_type=doc_type, year=year, doc_id=document_id(iso3, doc_type, year, title),
                             file=path.name))
    return out


def _iso3(code: str) -> str:
    if not is_jurisdiction(code):
        raise UsageError(f"{code!r} is not an ISO 3166 alpha-3 code (or intl)", remedy="e.g. KEN, CAN, DEU, intl")
    return code.lower()


def _ingest_with_progress(sources, store, jobs, engine, max_pages, force) -> list[Outcome]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    with Bar(TextColumn("{task.description:>9}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
             console=console, transient=True, disable=not console.is_terminal) as bar:
        docs_task = bar.add_task("documents", total=None)
        pages_task = bar.add_task("pages", total=None)

        def start(n_docs: int, n_pages: int) -> None:
            bar.update(docs_task, total=n_docs)
            bar.update(pages_task, total=n_pages)

        def done(o: Outcome) -> None:
            if o.status != "unchanged":
                bar.advance(docs_task)
            if o.status == "failed":
                console.print(f"lexcop: {o.message}", markup=False, highlight=False, soft_wrap=True)

        return ingest(sources, store, jobs=jobs, engine=engine, max_pages=max_pages, force=force,
                      progress=Progress(start, lambda n: bar.advance(pages_task, n), done))


def _summary(store: Store, outcomes: list[Outcome]) -> None:
    by = {"ingested": 0, "unchanged": 0, "failed": 0}
    for o in outcomes:
        by[o.status] += 1
    pages = sum(o.pages for o in outcomes)
    secs = sum(o.seconds for o in outcomes)
    click.echo(f"ingested {by['ingested']}, unchanged {by['unchanged']}, failed {by['failed']}"
               + (f"; {pages} pages in {secs:.1f} s of work" if pages else ""))
    rows = store.documents()
    countries = sorted({r["iso3"] for r in rows})
    click.echo(f"store {store.path}: {len(rows)} documents, {sum(r['provisions'] for r in rows)} provisions, "
               f"{len(countries)} jurisdictions ({' '.join(countries)})")


# --------------------------------------------------------------- inspection

@main.command()
@click.option("--db", default=None, help=DB_HELP)
@click.option("--country", default=None, help="Only this ISO3 country.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def documents(db: str | None, country: str | None, fmt: str) -> None:
    """List stored documents."""
    rows = _db(db).documents(_iso3(country) if country else None)
    if fmt == "json":
        keys = ("id", "iso3", "lang", "title", "citation", "doc_type", "year", "file", "sha256", "pages",
                "provisions", "engine", "parser_version", "ingested_at")
        click.echo(json.dumps([{k: r[k] for k in keys} | {"warnings": json.loads(r["warnings"])} for r in rows],
                              ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(f"{r['id']:<70} {r['pages']:>5} pp {r['provisions']:>6} provisions  {r['file']}")


@main.command()
@click.argument("doc")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--depth", default=None, type=int, help="Show only this many levels.")
def outline(doc: str, db: str | None, fmt: str, depth: int | None) -> None:
    """Print a document's provision tree (ids, headings, pages). DOC: id, file name or sha256."""
    store = _db(db)
    row = store.find_document(doc)
    provs = store.provisions(row["id"])
    if fmt == "json":
        click.echo(json.dumps(provision_tree(provs, depth), ensure_ascii=False, indent=2))
    else:
        click.echo(outline_text(row, provs, depth))


@main.command()
@click.argument("provision_id")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show(provision_id: str, db: str | None, fmt: str) -> None:
    """Print one provision with its text, pages and source file."""
    store = _db(db)
    prov = store.provision(provision_id)
    doc = store.find_document(prov["document_id"])
    text = store.text_of(prov)
    if fmt == "json":
        keys = ("id", "kind", "label", "heading", "page_first", "page_last", "start", "end", "revoked_text")
        click.echo(json.dumps({k: prov[k] for k in keys} | {
            "text": text, "document": doc["id"], "file": doc["file"], "sha256": doc["sha256"]},
            ensure_ascii=False, indent=2))
    else:
        click.echo(show_text(prov, doc, text))


if __name__ == "__main__":  # pragma: no cover
    main()
