"""The two PDF engines must give the same document: same text in force, same tree.

A fixed sample of short corpus statutes in different layouts is parsed whole with
`parse_document(src, "pdfium")` and `parse_document(src, "pdfplumber")`:

- text agreement: the text in force of both, split into whitespace-separated tokens,
  compared with `difflib.SequenceMatcher(autojunk=False).ratio()` (2 x matching tokens /
  all tokens): at least 0.99. Tokens, not characters, so a glued word ("ofa" for "of a")
  counts as a difference and the comparison stays fast;
- same provision tree: the provision ids in document order, aligned with SequenceMatcher;
  ids that do not align (in either list) may be at most 1 % of the larger tree.

pdfplumber reads about 5-10 pages/s, so the sample stays small (about 165 pages) and
each document is parsed once per engine for both tests. Skipped without the corpus.
"""
from __future__ import annotations

import difflib
from dataclasses import replace

import pytest

from corpus_paths import require_corpus
from lexcop.corpus import sources_in
from lexcop.errors import LexcopError
from lexcop.ingest import parse_document

pytestmark = pytest.mark.corpus

TEXT_AGREEMENT = 0.99
MAX_ID_DIFF = 0.01

# (jurisdiction folder, file, what the layout exercises)
SAMPLE = [
    ("ken", "computer-misuse-and-cybercrimes-act-2018.pdf", "official Kenya Law PDF"),
    ("deu", "telemediengesetz-tmg-2007.pdf", "two columns, German"),
    ("bra", "marco-civil-da-internet-lei-12965-2014.pdf", "struck-through revoked wording, Portuguese"),
    ("can", "mutual-legal-assistance-in-criminal-matters-act-1985.pdf", "section titles as marginal notes"),
    ("phl", "anti-child-pornography-act-2009.pdf", "run-in headings, SEC. N."),
    ("intl", "convention-on-the-rights-of-the-child-1989.pdf", "two columns, English"),
    ("sgp", "computer-misuse-act-1993.pdf", "official Singapore Revised Edition PDF"),
    ("kor", "extradition-act-1988.pdf", "Korean, 제N조 numbering"),
]
# France is left out: its three codes are 300+ pages each, too slow for pdfplumber here.

_cache: dict[tuple[str, str], object] = {}


def _parsed(iso3: str, file: str, engine: str):
    """ParsedDocument, or the LexcopError it raised; parsed once per session."""
    key = (f"{iso3}/{file}", engine)
    if key not in _cache:
        root = require_corpus()
        folder = root / iso3
        src = next((s for s in sources_in(folder) if s.file == file), None)
        if src is None:
            pytest.skip(f"{iso3}/{file} is not in the corpus at {root}")
        try:
            _cache[key] = parse_document(replace(src, path=str(folder / file)), engine)
        except LexcopError as exc:
            _cache[key] = exc
    got = _cache[key]
    if isinstance(got, Exception):
        pytest.fail(f"{engine} could not parse {iso3}/{file}: {got}")
    return got


def _both(iso3: str, file: str):
    return _parsed(iso3, file, "pdfium"), _parsed(iso3, file, "pdfplumber")


@pytest.mark.parametrize("iso3,file,layout", SAMPLE, ids=[f"{s[0]}-{s[1][:-4]}" for s in SAMPLE])
def test_engines_agree_on_text(iso3: str, file: str, layout: str):
    a, b = _both(iso3, file)
    ta, tb = a.text.split(), b.text.split()
    assert ta and tb, f"empty text in force: pdfium {len(ta)} tokens, pdfplumber {len(tb)} tokens"
    sm = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    ratio = sm.ratio()
    diffs = [f"  {tag}: pdfium {' '.join(ta[i1:i2])[:80]!r} / pdfplumber {' '.join(tb[j1:j2])[:80]!r}"
             for tag, i1, i2, j1, j2 in sm.get_opcodes() if tag != "equal"]
    assert ratio >= TEXT_AGREEMENT, (
        f"{iso3}/{file} ({layout}): token agreement {ratio:.4f} < {TEXT_AGREEMENT} "
        f"({len(ta)} vs {len(tb)} tokens, {len(diffs)} differing runs); first differences:\n" + "\n".join(diffs[:15]))


@pytest.mark.parametrize("iso3,file,layout", SAMPLE, ids=[f"{s[0]}-{s[1][:-4]}" for s in SAMPLE])
def test_engines_agree_on_tree(iso3: str, file: str, layout: str):
    a, b = _both(iso3, file)
    ia, ib = [p.id for p in a.provisions], [p.id for p in b.provisions]
    assert ia and ib, f"{iso3}/{file}: no provisions (pdfium {len(ia)}, pdfplumber {len(ib)})"
    sm = difflib.SequenceMatcher(None, ia, ib, autojunk=False)
    matched = sum(block.size for block in sm.get_matching_blocks())
    only_a = [x for tag, i1, i2, _, _ in sm.get_opcodes() if tag != "equal" for x in ia[i1:i2]]
    only_b = [x for tag, _, _, j1, j2 in sm.get_opcodes() if tag != "equal" for x in ib[j1:j2]]
    differing = len(ia) - matched + len(ib) - matched
    allowed = MAX_ID_DIFF * max(len(ia), len(ib))
    eid = lambda pid: pid.split("~", 1)[-1]  # noqa: E731
    assert differing <= allowed, (
        f"{iso3}/{file} ({layout}): {differing} provision ids differ (allowed {allowed:.1f}, 1 % of "
        f"{max(len(ia), len(ib))}); pdfium {len(ia)} ids, pdfplumber {len(ib)}.\n"
        f"  only pdfium: {[eid(x) for x in only_a[:20]]}\n  only pdfplumber: {[eid(x) for x in only_b[:20]]}")
