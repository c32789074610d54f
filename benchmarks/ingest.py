#!/usr/bin/env python
"""Ingest throughput and memory, measured in one run over every PDF of the corpus.

    python benchmarks/ingest.py [--corpus DIR] [--out FILE.json] [--plumber-every N]
                                [--long-pages 200,2000] [--skip-long]

Measures, on this machine and in this order:

(a) raw pypdfium2 text extraction (`PdfDocument`, `page.get_textpage().get_text_range()`),
    every page of every PDF;
(b) raw pdfplumber `page.extract_text()`, on a fixed deterministic sample because it runs
    at about 5 pages/s: pages 1, 1+N, 1+2N, ... of every document (N = --plumber-every, 10);
(c) `lexcop ingest` of the whole corpus (every `<jurisdiction>/` folder passed as a PATH)
    into a fresh temporary database, with `--jobs 1` and then `--jobs 2`, each as a
    subprocess: wall time, pages/s per job (pdf reading, cleaning and structure included),
    and the 2-job speed-up;
(d) peak memory of the lexcop processes, worker children included: getrusage
    (RUSAGE_CHILDREN) of a fresh wrapper process gives the peak RSS of the largest single
    process; with psutil installed the summed RSS of the whole tree is polled as well;
(e) peak memory of `lexcop ingest` on long generated statutes (reportlab, 200 and 2,000
    pages by default), to see whether memory stays flat as documents grow.

Pages/s of lexcop count the pages of the documents it ingested (failed documents, e.g. in
a language without a grammar yet, fail fast and are listed); the ratios compare with the
raw rates over the same documents. Nothing is asserted: this script prints a table, and
writes every figure as JSON with --out.

Targets (from the issue): >= 50 pages/s per job incl. structure; >= 10x raw pdfplumber;
near-linear 2-job speed-up; peak memory < 500 MB.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (country_dirs, corpus_pdfs, default_corpus, documents_json, failures, fmt_table,  # noqa: E402
                    ingest_summary, lexcop, run_measured)

TARGET_PAGES_PER_S = 50.0
TARGET_VS_PLUMBER = 10.0
TARGET_SPEEDUP_2 = 1.8  # "near-linear" on 2 jobs, when the machine has >= 2 CPUs
TARGET_PEAK_MB = 500.0


# ------------------------------------------------------------------ raw engines

def raw_pdfium(pdfs: list[Path]) -> dict[str, dict]:
    import pypdfium2 as pdfium

    out = {}
    for pdf in pdfs:
        t = time.perf_counter()
        doc = pdfium.PdfDocument(str(pdf))
        n = len(doc)
        chars = 0
        for i in range(n):
            page = doc[i]
            tp = page.get_textpage()
            chars += len(tp.get_text_range())
            tp.close()
            page.close()
        doc.close()
        out[_key(pdf)] = {"pages": n, "seconds": time.perf_counter() - t, "chars": chars}
    return out


def raw_plumber(pdfs: list[Path], every: int) -> dict[str, dict]:
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    out = {}
    for pdf in pdfs:
        t = time.perf_counter()
        sampled = 0
        with pdfplumber.open(str(pdf)) as doc:
            n = len(doc.pages)
            for i in range(0, n, every):
                page = doc.pages[i]
                page.extract_text()
                page.close()
                sampled += 1
        out[_key(pdf)] = {"pages": n, "sampled": sampled, "seconds": time.perf_counter() - t}
    return out


def _key(pdf: Path) -> str:
    return f"{pdf.parent.name}/{pdf.name}"


def _rate(rows: dict[str, dict], keys, pages_field: str) -> float:
    pages = sum(rows[k][pages_field] for k in keys if k in rows)
    secs = sum(rows[k]["seconds"] for k in keys if k in rows)
    return pages / secs if secs else 0.0


# ------------------------------------------------------------------ lexcop runs

def lexcop_corpus(corpus: Path, jobs: int, workdir: Path) -> dict:
    db = workdir / f"bench-jobs{jobs}.sqlite"
    cmd = lexcop("ingest", *map(str, country_dirs(corpus)), "--db", str(db), "--jobs", str(jobs))
    m = run_measured(cmd, env=_env(workdir))
    summary = ingest_summary(m.stdout)
    docs = documents_json(db) if db.exists() else []
    pages = summary.get("pages") or sum(d["pages"] for d in docs)
    files = sorted(f"{d['iso3']}/{d['file']}" for d in docs)
    return {
        "jobs": jobs, "exit_code": m.rc, "wall_s": m.wall_s, "cpu_s": m.cpu_s,
        "pages": pages, "pages_per_s": pages / m.wall_s, "pages_per_s_per_job": pages / m.wall_s / jobs,
        "max_rss_mb": m.max_rss_mb, "peak_tree_rss_mb": m.peak_tree_rss_mb, "peak_processes": m.peak_processes,
        "summary": summary, "stored_files": files, "failures": failures(m.stderr, m.stdout),
    }


def _env(workdir: Path) -> dict:
    env = dict(os.environ)
    env["LEXCOP_CACHE"] = str(workdir / "cache")  # never touch the user's download cache
    env.pop("LEXCOP_DB", None)
    return env


# ------------------------------------------------------------ long generated PDFs

_WORDS = ("person data system computer access offence material child image record court order officer "
          "service provider network content transmit publish store possess produce distribute offer make "
          "available procure obtain disclose intercept retain preserve seize search warrant conviction fine "
          "imprisonment term years months lawful excuse consent knowledge intent purpose benefit another "
          "authority minister regulation notice period report information communication device account "
          "password programme traffic subscriber location content operator platform host removal").split()


def make_long_pdf(path: Path, n_pages: int, seed: int = 2024) -> Path:
    """A statute-like PDF: running header, 'Page N of M' footer, numbered sections with
    bold headings, subsections (1) and paragraphs (a), about 45 lines a page of varied,
    seeded pseudo-text. Sections are 17 lines long, so their headings fall at a different
    height on each page, and no two body lines read alike: a line that repeats at the same
    place on many pages is a running header to the cleaner, and would be dropped."""
    import random

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    rng = random.Random(seed)

    def words(n: int) -> str:
        return " ".join(rng.choice(_WORDS) for _ in range(n))

    w, h = A4
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle("lexcop benchmark: generated statute")
    section, sub, para = 0, 0, 0
    line = 0  # runs on across pages
    for number in range(1, n_pages + 1):
        c.setFont("Helvetica", 8)
        c.drawCentredString(w / 2, h - 40, "Generated Statute Act 2024")
        c.drawCentredString(w / 2, 40, f"Page {number} of {n_pages}")
        y = h - 80
        while y > 70:
            kind = line % 17
            if kind == 0:
                section += 1
                sub = para = 0
                c.setFont("Helvetica-Bold", 10)
                c.drawString(72, y, f"{section}. " + words(4).capitalize())
            elif kind in (1, 6, 11):
                sub += 1
                para = 0
                c.setFont("Helvetica", 10)
                c.drawString(72, y, f"({sub}) A " + words(12))
            elif kind in (2, 3, 7, 8, 12, 13):
                para += 1
                c.setFont("Helvetica", 10)
                c.drawString(90, y, f"({chr(96 + para)}) " + words(10) + ";")
            else:
                c.setFont("Helvetica", 10)
                c.drawString(72, y, words(13))
            y -= 14
            line += 1
        c.showPage()
    c.save()
    return path


def lexcop_long(path: Path, n_pages: int, workdir: Path) -> dict:
    db = workdir / f"long-{n_pages}.sqlite"
    cmd = lexcop("ingest", str(path), "--db", str(db), "--country", "GEN", "--lang", "en",
                 "--title", f"Generated Statute Act {n_pages}", "--year", "2024", "--jobs", "1")
    m = run_measured(cmd, env=_env(workdir))
    docs = documents_json(db) if db.exists() else []
    return {"pages": n_pages, "exit_code": m.rc, "wall_s": m.wall_s, "pages_per_s": n_pages / m.wall_s,
            "max_rss_mb": m.max_rss_mb, "peak_tree_rss_mb": m.peak_tree_rss_mb,
            "provisions": sum(d["provisions"] for d in docs), "failures": failures(m.stderr, m.stdout),
            "file_mb": path.stat().st_size / 2**20}


# --------------------------------------------------------------------- report

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=default_corpus(),
                    help="corpus root laid out as <iso3>/*.pdf (default: $LEXCOP_MIRROR or ../shared/corpus)")
    ap.add_argument("--out", type=Path, default=None, help="write all figures as JSON to this file")
    ap.add_argument("--plumber-every", type=int, default=10,
                    help="raw pdfplumber reads pages 1, 1+N, 1+2N, ... of every document (default 10)")
    ap.add_argument("--long-pages", default="200,2000", help="page counts of the generated documents")
    ap.add_argument("--skip-long", action="store_true", help="skip the generated long documents")
    args = ap.parse_args(argv)

    corpus = args.corpus.resolve()
    if not corpus.is_dir():
        print(f"no corpus at {corpus}: pass --corpus DIR or set LEXCOP_MIRROR", file=sys.stderr)
        return 2
    pdfs = corpus_pdfs(corpus)
    all_keys = [_key(p) for p in pdfs]
    total_pages = None
    load_before = os.getloadavg()
    print(f"corpus {corpus}: {len(pdfs)} PDFs in {len(country_dirs(corpus))} folders; "
          f"{os.cpu_count()} CPUs; Python {platform.python_version()}; "
          f"load average {load_before[0]:.2f} before the run", flush=True)

    print("(a) raw pypdfium2, every page ...", flush=True)
    pdfium_rows = raw_pdfium(pdfs)
    total_pages = sum(r["pages"] for r in pdfium_rows.values())
    print(f"(b) raw pdfplumber extract_text(), every {args.plumber_every}th page ...", flush=True)
    plumber_rows = raw_plumber(pdfs, args.plumber_every)

    with tempfile.TemporaryDirectory(prefix="lexcop-bench-") as tmp:
        work = Path(tmp)
        runs = {}
        for jobs in (1, 2):
            print(f"(c) lexcop ingest --jobs {jobs} ...", flush=True)
            runs[jobs] = lexcop_corpus(corpus, jobs, work)
        long_runs = []
        if not args.skip_long:
            for n in (int(x) for x in args.long_pages.split(",") if x.strip()):
                print(f"(e) generating a {n}-page statute and ingesting it ...", flush=True)
                path = make_long_pdf(work / f"generated-{n}.pdf", n)
                long_runs.append(lexcop_long(path, n, work))

    # lexcop's rates count the documents it ingested; compare with raw rates on the same files
    stored = set(runs[1]["stored_files"]) | set(runs[2]["stored_files"])
    same = [k for k in all_keys if k in stored] or all_keys
    raw = {
        "pdfium_all": _rate(pdfium_rows, all_keys, "pages"),
        "pdfium_same": _rate(pdfium_rows, same, "pages"),
        "plumber_all": _rate(plumber_rows, all_keys, "sampled"),
        "plumber_same": _rate(plumber_rows, same, "sampled"),
    }
    j1, j2 = runs[1], runs[2]
    speedup = j1["wall_s"] / j2["wall_s"] if j2["wall_s"] else 0.0
    peak_mb = max(x for r in (j1, j2) for x in (r["max_rss_mb"], r["peak_tree_rss_mb"] or 0))
    ratios = {
        "lexcop_jobs1_vs_raw_pdfplumber": j1["pages_per_s_per_job"] / raw["plumber_same"] if raw["plumber_same"] else None,
        "lexcop_jobs1_vs_raw_pypdfium2": j1["pages_per_s_per_job"] / raw["pdfium_same"] if raw["pdfium_same"] else None,
        "lexcop_jobs2_per_job_vs_raw_pdfplumber": (j2["pages_per_s_per_job"] / raw["plumber_same"]
                                                   if raw["plumber_same"] else None),
        "speedup_2_jobs": speedup,
    }

    print()
    print(f"Corpus: {len(pdfs)} PDFs, {total_pages} pages. lexcop ingested "
          f"{j1['summary'].get('ingested', '?')} documents ({j1['pages']} pages), failed "
          f"{j1['summary'].get('failed', '?')}; raw rates below are over the same "
          f"{len(same)} documents. pdfplumber: sample of every {args.plumber_every}th page "
          f"({sum(plumber_rows[k]['sampled'] for k in same)} pages of those documents).")
    rows = [
        ["raw pypdfium2 get_text_range", f"{raw['pdfium_same']:.1f}", f"{raw['pdfium_all']:.1f}", "", ""],
        [f"raw pdfplumber extract_text (1 in {args.plumber_every} pages)", f"{raw['plumber_same']:.1f}",
         f"{raw['plumber_all']:.1f}", "", ""],
    ]
    for r in (j1, j2):
        rows.append([f"lexcop ingest --jobs {r['jobs']} (wall {r['wall_s']:.1f} s, exit {r['exit_code']})",
                     f"{r['pages_per_s_per_job']:.1f}", "", f"{r['max_rss_mb']:.0f}",
                     f"{r['peak_tree_rss_mb']:.0f}" if r["peak_tree_rss_mb"] is not None else "n/a"])
    print(fmt_table(rows, ["measure", "pages/s/job (same docs)", "pages/s (all docs)", "peak RSS 1 proc MB",
                           "peak RSS tree MB"]))
    print()

    def verdict(ok: bool | None) -> str:
        return "n/a" if ok is None else ("MET" if ok else "MISSED")

    two_cpus = (os.cpu_count() or 1) >= 2
    checks = [
        ["lexcop pages/s per job, --jobs 1", f"{j1['pages_per_s_per_job']:.1f}", f">= {TARGET_PAGES_PER_S:.0f}",
         verdict(j1["pages_per_s_per_job"] >= TARGET_PAGES_PER_S)],
        ["lexcop pages/s per job, --jobs 2", f"{j2['pages_per_s_per_job']:.1f}", f">= {TARGET_PAGES_PER_S:.0f}",
         verdict(j2["pages_per_s_per_job"] >= TARGET_PAGES_PER_S)],
        ["lexcop (jobs 1) / raw pdfplumber", _x(ratios["lexcop_jobs1_vs_raw_pdfplumber"]),
         f">= {TARGET_VS_PLUMBER:.0f}x", verdict(ratios["lexcop_jobs1_vs_raw_pdfplumber"] is not None
                                                 and ratios["lexcop_jobs1_vs_raw_pdfplumber"] >= TARGET_VS_PLUMBER)],
        ["lexcop (jobs 1) / raw pypdfium2", _x(ratios["lexcop_jobs1_vs_raw_pypdfium2"]), "(cost of structure)", ""],
        ["2-job speed-up (wall jobs1 / wall jobs2)", _x(speedup), f">= {TARGET_SPEEDUP_2}x (near-linear)",
         verdict(speedup >= TARGET_SPEEDUP_2 if two_cpus else None)],
        ["peak memory, corpus (max of both measures)", f"{peak_mb:.0f} MB", f"< {TARGET_PEAK_MB:.0f} MB",
         verdict(peak_mb < TARGET_PEAK_MB)],
    ]
    for lr in long_runs:
        peak = max(lr["max_rss_mb"], lr["peak_tree_rss_mb"] or 0)
        checks.append([f"peak memory, generated {lr['pages']}-page statute "
                       f"({lr['provisions']} provisions, {lr['pages_per_s']:.0f} pages/s, exit {lr['exit_code']})",
                       f"{peak:.0f} MB", f"< {TARGET_PEAK_MB:.0f} MB", verdict(peak < TARGET_PEAK_MB)])
    if len(long_runs) >= 2:
        a, b = long_runs[0], long_runs[-1]
        growth = b["max_rss_mb"] / a["max_rss_mb"] if a["max_rss_mb"] else 0.0
        checks.append([f"memory growth {a['pages']} -> {b['pages']} pages (x{b['pages'] / a['pages']:.0f} pages)",
                       _x(growth), "flat (~1x)", verdict(growth <= 1.5)])
    print(fmt_table(checks, ["measure", "measured", "target", "verdict"], left=(0, 2)))
    for r in (j1, j2):
        if r["failures"]:
            print(f"\n--jobs {r['jobs']}: {len(r['failures'])} documents failed, e.g.:")
            for line in r["failures"][:5]:
                print("  " + line[:200])
    if not two_cpus:
        print("\nnote: one CPU only, the 2-job speed-up cannot show parallelism here")
    load_after = os.getloadavg()
    if max(load_before[0], load_after[0]) > 0.5:
        print(f"\nnote: load average {load_before[0]:.2f} before and {load_after[0]:.2f} (1 min), "
              f"{load_after[2]:.2f} (15 min) after: other processes shared the {os.cpu_count()} CPUs, "
              "so rates and the speed-up read low")

    if args.out:
        result = {
            "corpus": str(corpus), "pdfs": len(pdfs), "pages": total_pages, "cpus": os.cpu_count(),
            "python": platform.python_version(), "load_average_before": load_before,
            "load_average_after": load_after, "plumber_sample": f"every {args.plumber_every}th page, from page 1",
            "raw_pages_per_s": raw, "lexcop": {str(k): v for k, v in runs.items()}, "ratios": ratios,
            "peak_memory_mb": peak_mb, "long_documents": long_runs,
            "targets": {"pages_per_s_per_job": TARGET_PAGES_PER_S, "vs_plumber": TARGET_VS_PLUMBER,
                        "speedup_2_jobs": TARGET_SPEEDUP_2, "peak_mb": TARGET_PEAK_MB},
            "raw_per_document": {"pypdfium2": pdfium_rows, "pdfplumber_sample": plumber_rows},
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"\nwrote {args.out}")
    return 0


def _x(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.2f}x"


if __name__ == "__main__":
    sys.exit(main())
