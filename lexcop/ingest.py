"""PDF files to stored provision trees: the pipeline, run per document, in parallel.

Each document is parsed whole (in a worker process when `jobs > 1`) and written by the
main process in one transaction, so a failure leaves nothing partial behind and the rest
of the batch goes on.
"""
from __future__ import annotations

import hashlib
import multiprocessing as mp
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path

from . import __version__
from .clean import clean_stream, notes_by_page
from .corpus import sha256_of
from .errors import LexcopError, NoTextLayer
from .grammar import grammar_path, load_grammar
from .models import ParsedDocument, Provision, Revoked, SourceDoc
from .pdf import DEFAULT_MAX_PAGES, open_pdf, page_count
from .store import Store
from .structure import parse



_PARSER_MODULES = ("pdf.py", "clean.py", "structure.py", "tree.py", "grammar.py", "models.py")


def _code_digest() -> str:
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for name in _PARSER_MODULES:
        h.update((here / name).read_bytes())
    return h.hexdigest()[:8]


_CODE_DIGEST = _code_digest()


def parser_version(lang: str) -> str:
    """lexcop's version, a hash of the parsing code and the grammar file's hash: editing
    the parser re-parses everything; editing a grammar, the documents in that language."""
    try:
        digest = hashlib.sha256(grammar_path(lang).read_bytes()).hexdigest()[:8]
    except OSError:
        digest = "none"
    return f"{__version__}+{_CODE_DIGEST}.{lang}-{digest}"


@dataclass(frozen=True)
class Outcome:
    source: SourceDoc
    status: str  # ingested | unchanged | failed
    message: str = ""
    pages: int = 0
    provisions: int = 0
    seconds: float = 0.0


def parse_document(src: SourceDoc, engine: str = "pdfium", max_pages: int = DEFAULT_MAX_PAGES,
                   on_page: Callable[[int], None] | None = None) -> ParsedDocument:
    """Read, clean and structure one PDF. Raises a LexcopError naming the file on bad input."""
    sha = sha256_of(src.path)
    grammar = load_grammar(src.lang)
    with open_pdf(src.path, engine, max_pages) as pdf:
        n_pages = pdf.n_pages
        cleaned, stats = clean_stream(_counted(pdf.pages(), on_page), n_pages, grammar.hyphen_keep)
    if stats.with_text == 0:
        raise NoTextLayer("no text layer: the PDF is a scan or an image", path=src.path,
                          remedy="run OCR first, e.g. `ocrmypdf in.pdf out.pdf`, then ingest the result")
    warnings = []
    if stats.with_text < 0.5 * n_pages:
        warnings.append(f"{n_pages - stats.with_text} of {n_pages} pages have no text layer (scanned?); "
                        "run OCR (e.g. ocrmypdf) for a complete text")
    result = parse(cleaned, grammar, src.doc_id, notes_by_page(cleaned))
    revoked = [r for p in cleaned for r in p.revoked]
    provisions = _attach_revoked(result.provisions, revoked, result.locate)
    return ParsedDocument(
        source=src, sha256=sha, engine=engine, parser_version=parser_version(src.lang), n_pages=n_pages,
        text=result.text, page_starts=tuple(result.page_starts), provisions=tuple(provisions),
        revoked=tuple(revoked), furniture=tuple(sorted({f for p in cleaned for f in p.furniture})),
        warnings=tuple(warnings),
    )


def _counted(pages: Iterable, on_page: Callable[[int], None] | None):
    for page in pages:
        yield page
        if on_page:
            on_page(1)


def _attach_revoked(provisions: list[Provision], revoked: list[Revoked],
                    locate: Callable[[int, float], int]) -> list[Provision]:
    """Struck-through wording belongs to the deepest provision in force around it."""
    if not revoked or not provisions:
        return provisions
    starts = [p.start for p in provisions]
    found: dict[int, list[str]] = {}
    for r in revoked:
        pos = locate(r.page, r.top)
        i = bisect_right(starts, pos) - 1
        while i >= 0 and not (provisions[i].start <= pos < max(provisions[i].end, provisions[i].start + 1)):
            i -= 1
        if i >= 0:
            found.setdefault(i, []).append(r.text)
    return [replace(p, revoked_text="\n".join(found[i])) if i in found else p for i, p in enumerate(provisions)]


# ------------------------------------------------------------------- batches

_progress_queue = None


def _init_worker(queue) -> None:
    global _progress_queue
    _progress_queue = queue


def _work(src: SourceDoc, engine: str, max_pages: int):
    """Runs in a worker: returns values, never raises, so errors cross processes intact."""
    started = time.perf_counter()
    pending = [0]

    def tick(n: int) -> None:
        pending[0] += n
        if pending[0] >= 8 and _progress_queue is not None:
            _progress_queue.put(pending[0])
            pending[0] = 0

    try:
        parsed = parse_document(src, engine, max_pages, tick)
        result = ("ok", parsed)
    except LexcopError as exc:
        result = ("error", str(exc))
    except Exception as exc:  # a bug, or a PDF no library expected: report, go on
        result = ("error", f"[LX999] {src.path}: cannot be processed ({type(exc).__name__}: {exc}); "
                           "please report it with the file")
    if pending[0] and _progress_queue is not None:
        _progress_queue.put(pending[0])
    return src, result, time.perf_counter() - started


@dataclass
class Progress:
    """Callbacks the CLI wires to a progress bar; all optional."""

    start: Callable[[int, int], None] = lambda docs, pages: None
    pages: Callable[[int], None] = lambda n: None
    done: Callable[[Outcome], None] = lambda outcome: None


def ingest(sources: Iterable[SourceDoc], store: Store, *, jobs: int = 1, engine: str = "pdfium",
           max_pages: int = DEFAULT_MAX_PAGES, force: bool = False,
           progress: Progress | None = None) -> list[Outcome]:
    progress = progress or Progress()
    outcomes: list[Outcome] = []
    todo: list[tuple[SourceDoc, int]] = []
    for src in sources:
        early = _precheck(src, store, engine, max_pages, force)
        if isinstance(early, Outcome):
            outcomes.append(early)
            progress.done(early)
        else:
            todo.append((src, early))
    progress.start(len(todo), sum(n for _, n in todo))
    if jobs <= 1 or len(todo) <= 1:
        for src, _ in todo:
            src, result, secs = _inline(src, engine, max_pages, progress)
            outcomes.append(_finish(src, result, secs, store, progress))
        return outcomes
    ctx = mp.get_context("spawn")
    queue = ctx.Manager().Queue()
    # largest documents first, so that one long code does not finish alone at the end
    todo.sort(key=lambda t: -t[1])
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                             initargs=(queue,)) as pool:
        futures = {pool.submit(_work, src, engine, max_pages) for src, _ in todo}
        while futures:
            done, futures = wait(futures, timeout=0.2, return_when=FIRST_COMPLETED)
            _drain(queue, progress)
            for fut in done:
                src, result, secs = fut.result()
                outcomes.append(_finish(src, result, secs, store, progress))
        _drain(queue, progress)
    return outcomes


def _inline(src: SourceDoc, engine: str, max_pages: int, progress: Progress):
    global _progress_queue
    _progress_queue = None
    started = time.perf_counter()
    try:
        return src, ("ok", parse_document(src, engine, max_pages, progress.pages)), time.perf_counter() - started
    except LexcopError as exc:
        return src, ("error", str(exc)), time.perf_counter() - started
    except Exception as exc:
        return src, ("error", f"[LX999] {src.path}: cannot be processed ({type(exc).__name__}: {exc}); "
                              "please report it with the file"), time.perf_counter() - started


def _drain(queue, progress: Progress) -> None:
    while True:
        try:
            n = queue.get_nowait()
        except Exception:
            return
        progress.pages(n)


def _precheck(src: SourceDoc, store: Store, engine: str, max_pages: int, force: bool) -> Outcome | int:
    """Skip what is stored already; fail fast on a file that cannot be opened at all."""
    try:
        sha = sha256_of(src.path)
        version = parser_version(src.lang)
        if not force and store.is_current(src.doc_id, sha, version, engine):
            return Outcome(src, "unchanged", "already stored with this parser version")
        load_grammar(src.lang)
        return page_count(src.path, max_pages)
    except LexcopError as exc:
        return Outcome(src, "failed", str(exc))
    except OSError as exc:
        return Outcome(src, "failed", f"[LX107] {src.path}: cannot be read ({exc.strerror})")


def _finish(src: SourceDoc, result, secs: float, store: Store, progress: Progress) -> Outcome:
    kind, value = result
    if kind == "ok":
        try:
            store.save(value)
            outcome = Outcome(src, "ingested", "; ".join(value.warnings), value.n_pages,
                              len(value.provisions), secs)
        except Exception as exc:  # the transaction rolled back: nothing partial is stored
            outcome = Outcome(src, "failed", f"[LX900] {src.path}: not stored ({exc})")
    else:
        outcome = Outcome(src, "failed", value, seconds=secs)
    progress.done(outcome)
    return outcome
