"""Where the real corpus and the gold labels are, for the tests that need them.

The statutes are never copied into the repository: they are read from `../shared/corpus`
beside the repository root (or `$LEXCOP_MIRROR`), and the gold labels from the `gold/`
folder beside the corpus (or `$LEXCOP_GOLD`). Tests that need them skip, saying why,
when they are absent.
"""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def corpus_dir() -> Path:
    env = os.environ.get("LEXCOP_MIRROR")
    return Path(env).resolve() if env else (REPO.parent / "shared" / "corpus").resolve()


def gold_dir() -> Path:
    env = os.environ.get("LEXCOP_GOLD")
    return Path(env).resolve() if env else corpus_dir().parent / "gold"


def require_corpus() -> Path:
    root = corpus_dir()
    if not root.is_dir() or not any(root.glob("*/sources.tsv")):
        pytest.skip(f"real corpus not found at {root} (expected <iso3>/*.pdf with sources.tsv); "
                    "set LEXCOP_MIRROR to run the corpus tests")
    return root


def require_gold() -> Path:
    gold = gold_dir()
    if not gold.is_dir() or not any(gold.glob("*.csv")):
        pytest.skip(f"gold labels not found at {gold}; set LEXCOP_GOLD to run this test")
    return gold


def sources_rows(root: Path) -> list[dict]:
    """Every row of every `<jurisdiction>/sources.tsv`, with its folder as `dir`."""
    rows = []
    for tsv in sorted(root.glob("*/sources.tsv")):
        with tsv.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                rows.append(row | {"dir": tsv.parent.name})
    return rows


def lexcop(*args: str, env: dict | None = None, timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run the `lexcop` command as a user would, in a fresh interpreter."""
    return subprocess.run([sys.executable, "-m", "lexcop.cli", *args], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=timeout)


def isolated_env(tmp: Path) -> dict:
    """No user database and no user download cache: a test only touches its own files."""
    env = dict(os.environ)
    env.pop("LEXCOP_DB", None)
    env["LEXCOP_CACHE"] = str(tmp / "cache")
    return env
