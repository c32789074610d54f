"""Helpers shared by the benchmark scripts: where the corpus is, how to run `lexcop` as a
measured subprocess (wall time, CPU time, peak memory of the whole process tree).

Nothing here asserts anything: benchmarks print, and write JSON when asked.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Runs one command in a *fresh* interpreter and reports what the kernel accounted to it:
# RUSAGE_CHILDREN of this wrapper covers the command and every descendant it waited for
# (the worker processes of `--jobs N` included), and nothing else. ru_maxrss is the peak
# resident set of the largest single process, in KiB on Linux.
_WRAPPER = r"""
import json, resource, subprocess, sys, time
cmd = json.loads(sys.argv[1])
t = time.perf_counter()
p = subprocess.run(cmd, capture_output=True, text=True)
wall = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": p.returncode, "wall": wall, "maxrss_kib": ru.ru_maxrss, "user": ru.ru_utime,
                  "sys": ru.ru_stime, "stdout": p.stdout, "stderr": p.stderr}))
"""


def default_corpus() -> Path:
    env = os.environ.get("LEXCOP_MIRROR")
    return Path(env) if env else REPO.parent / "shared" / "corpus"


def default_gold(corpus: Path) -> Path:
    env = os.environ.get("LEXCOP_GOLD")
    return Path(env) if env else corpus.parent / "gold"


def country_dirs(corpus: Path) -> list[Path]:
    """Every `<jurisdiction>/` folder holding PDFs. Passed to `lexcop ingest` one by one,
    so that every PDF of the corpus is read whatever the folder's name (`intl` too)."""
    return sorted(p for p in corpus.iterdir() if p.is_dir() and any(p.glob("*.pdf")))


def corpus_pdfs(corpus: Path) -> list[Path]:
    return [pdf for d in country_dirs(corpus) for pdf in sorted(d.glob("*.pdf"))]


def lexcop(*args: str) -> list[str]:
    return [sys.executable, "-m", "lexcop.cli", *args]


@dataclass
class Measured:
    cmd: list[str]
    rc: int
    wall_s: float
    cpu_s: float
    max_rss_mb: float  # peak RSS of the largest single process (getrusage)
    peak_tree_rss_mb: float | None  # peak of the summed RSS of all lexcop processes (psutil), if available
    peak_processes: int | None
    stdout: str = field(repr=False, default="")
    stderr: str = field(repr=False, default="")

    def as_dict(self) -> dict:
        d = asdict(self)
        d["stdout"] = self.stdout[-2000:]
        d["stderr"] = self.stderr[-4000:]
        return d


def run_measured(cmd: list[str], poll: float = 0.1, env: dict | None = None) -> Measured:
    """Run `cmd` under the rusage wrapper; with psutil, also poll the summed RSS of the tree."""
    wrapper = subprocess.Popen([sys.executable, "-c", _WRAPPER, json.dumps(cmd)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
    peak_sum, peak_n = _poll_tree(wrapper, poll)
    out, err = wrapper.communicate()
    if wrapper.returncode != 0:
        raise RuntimeError(f"measurement wrapper failed ({wrapper.returncode}): {err[-2000:]}")
    r = json.loads(out)
    return Measured(cmd=cmd, rc=r["rc"], wall_s=r["wall"], cpu_s=r["user"] + r["sys"],
                    max_rss_mb=r["maxrss_kib"] / 1024, peak_tree_rss_mb=peak_sum, peak_processes=peak_n,
                    stdout=r["stdout"], stderr=r["stderr"])


def _poll_tree(wrapper: subprocess.Popen, poll: float) -> tuple[float | None, int | None]:
    try:
        import psutil
    except ImportError:
        wrapper.wait()
        return None, None
    try:
        root = psutil.Process(wrapper.pid)
    except psutil.NoSuchProcess:
        return None, None
    peak, peak_n = 0, 0
    while wrapper.poll() is None:
        total, n = 0, 0
        try:
            kids = root.children(recursive=True)  # the lexcop process, its workers, its manager
        except psutil.NoSuchProcess:
            break
        for k in kids:
            try:
                total += k.memory_info().rss
                n += 1
            except psutil.NoSuchProcess:
                pass
        if total > peak:
            peak = total
        peak_n = max(peak_n, n)
        time.sleep(poll)
    return peak / 2**20, peak_n


_SUMMARY = re.compile(r"ingested (\d+), unchanged (\d+), failed (\d+)(?:; (\d+) pages)?")


def ingest_summary(stdout: str) -> dict:
    """The counts `lexcop ingest` prints: documents ingested/unchanged/failed, pages parsed."""
    m = None
    for m in _SUMMARY.finditer(stdout):
        pass
    if not m:
        return {}
    return {"ingested": int(m[1]), "unchanged": int(m[2]), "failed": int(m[3]), "pages": int(m[4] or 0)}


def documents_json(db: Path) -> list[dict]:
    out = subprocess.run(lexcop("documents", "--db", str(db), "--format", "json"), capture_output=True,
                         text=True, cwd=REPO, check=True).stdout
    return json.loads(out)


def failures(stderr: str, stdout: str = "") -> list[str]:
    """One line per failed document, as `lexcop ingest` prints them."""
    return [ln for ln in (stdout + "\n" + stderr).splitlines() if ln.startswith("lexcop: [LX")]


def fmt_table(rows: list[list], header: list[str], left: tuple[int, ...] = (0,)) -> str:
    """A plain-text table; columns in `left` are left-aligned, the others right-aligned."""
    cells = [[str(c) for c in header]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
             for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
