#!/usr/bin/env python
"""Structure accuracy against the expert gold labels, per jurisdiction.

    python benchmarks/structure.py [--corpus DIR] [--gold DIR] [--db FILE] [--jobs N] [--out FILE.json]

Ingests every PDF of the corpus (every `<jurisdiction>/` folder passed to `lexcop ingest`)
into a fresh temporary database, or reuses `--db FILE` when it exists, then scores it with
`lexcop.evaluate.structure_accuracy`: of the provisions the gold files cite, the share
found as section-level provisions of that jurisdiction, compared by leading section label
(`163.1(4)` -> `163.1`, `§ 184b Abs. 3` -> `184b`). Target: >= 98 %. The labels not found
are listed per jurisdiction. Nothing is asserted.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import country_dirs, default_corpus, default_gold, failures, fmt_table, lexcop, run_measured  # noqa: E402

from lexcop.evaluate import structure_accuracy  # noqa: E402
from lexcop.store import Store  # noqa: E402

TARGET = 0.98


def ingest_corpus(corpus: Path, db: Path, jobs: int) -> None:
    cmd = lexcop("ingest", *map(str, country_dirs(corpus)), "--db", str(db), "--jobs", str(jobs))
    m = run_measured(cmd)
    failed = failures(m.stderr, m.stdout)
    summary = next((ln for ln in m.stdout.splitlines() if ln.startswith("ingested ")), "no summary")
    print(f"lexcop ingest --jobs {jobs}: exit {m.rc}, {m.wall_s:.1f} s; {summary}", flush=True)
    if failed:
        print(f"{len(failed)} documents failed (their provisions count as not found):")
        for line in failed:
            print("  " + line[:220])
    print()


def report(db: Path, gold: Path) -> dict:
    """Per jurisdiction: labels the gold files cite, those the PDFs print at a line start,
    and those found as provisions. The target is read on printed labels: the gold files
    were made from a larger source collection than the PDFs."""
    with Store(db) as store:
        scores = structure_accuracy(store, gold)
    cited = sum(s.cited for s in scores)
    found = sum(s.found for s in scores)
    printed = sum(s.printed for s in scores)
    found_printed = sum(round(s.share_printed * s.printed) for s in scores)
    overall = found / cited if cited else 1.0
    overall_printed = found_printed / printed if printed else 1.0
    rows = [[s.iso3, s.cited, s.printed, s.found, f"{100 * s.share:.2f} %", f"{100 * s.share_printed:.2f} %",
             "ok" if s.share_printed >= TARGET else "below", " ".join(s.missing) or "-",
             " ".join(s.not_printed) or "-"] for s in scores]
    rows.append(["ALL", cited, printed, found, f"{100 * overall:.2f} %", f"{100 * overall_printed:.2f} %",
                 "ok" if overall_printed >= TARGET else "below", "", ""])
    print(fmt_table(rows, ["iso3", "cited", "printed", "found", "of cited", "of printed", f">= {100 * TARGET:.0f} %",
                           "missing labels", "not printed in the PDFs"], left=(0, 7, 8)))
    return {"overall": overall, "overall_printed": overall_printed, "cited": cited, "printed": printed,
            "found": found, "target": TARGET,
            "jurisdictions": {s.iso3: {"cited": s.cited, "printed": s.printed, "found": s.found, "share": s.share,
                                       "share_printed": s.share_printed, "missing": s.missing,
                                       "not_printed": s.not_printed} for s in scores}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=default_corpus(),
                    help="corpus root laid out as <iso3>/*.pdf (default: $LEXCOP_MIRROR or ../shared/corpus)")
    ap.add_argument("--gold", type=Path, default=None,
                    help="folder of gold <iso3>.csv files (default: $LEXCOP_GOLD or gold/ beside the corpus)")
    ap.add_argument("--db", type=Path, default=None, help="reuse this database if it exists, else ingest into it")
    ap.add_argument("--jobs", type=int, default=2, help="parallel processes for the ingest (default 2)")
    ap.add_argument("--out", type=Path, default=None, help="write the scores as JSON to this file")
    args = ap.parse_args(argv)

    corpus = args.corpus.resolve()
    gold = (args.gold or default_gold(corpus)).resolve()
    if not gold.is_dir():
        print(f"no gold labels at {gold}: pass --gold DIR or set LEXCOP_GOLD", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="lexcop-structure-") as tmp:
        db = args.db or Path(tmp) / "structure.sqlite"
        if db.exists():
            print(f"reusing {db}\n")
        else:
            if not corpus.is_dir():
                print(f"no corpus at {corpus}: pass --corpus DIR, set LEXCOP_MIRROR, or give --db", file=sys.stderr)
                return 2
            ingest_corpus(corpus, db, args.jobs)
        result = report(db, gold)
    print(f"\nstructure accuracy {100 * result['overall_printed']:.2f} % of the {result['printed']} gold-cited "
          f"labels the PDFs print ({100 * result['overall']:.2f} % of all {result['cited']} cited), by leading "
          f"section label; target {100 * TARGET:.0f} %")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
