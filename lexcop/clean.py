"""From engine pages to running text: a flat list of named cleanup steps.

Each step reads what the PDF shows and decides from repetition and position alone,
never from a country's strings:

1. `find_furniture`: running headers, footers and page numbers repeat at the same place
   on many pages ("Criminal Code / Page 151", "Código Penal  Presidência da República").
2. `body_frame`: the left and right edge of the text block, from where long lines
   start and end; what lies outside it is a marginal note (Commonwealth Acts print the
   section title in the left margin: "Dead body   182 Every person ...").
3. `reading_order`: a page with an empty vertical gutter in its middle third is set in
   two columns (the German TMG, the CRC): left column first, then right.
4. `join_rows`: fragments on one row of one column are one line (a TOC entry "§ 190" +
   "Wahrheitsbeweis ...", or a justified line with a wide space).
5. `repair_text`: ligatures (ﬁ -> fi) and end-of-line hyphenation ("communi-" + "cation").
Struck-through wording has already been set apart by the engine; here it becomes a
`Revoked` record so that it never mixes with the text in force.
"""
from __future__ import annotations

import pickle
import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from .models import BodyLine, CleanPage, Line, MarginNote, Page, Revoked

LIGATURES = str.maketrans({
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st", "\u00ad": "", "\x02": "-", "\ufffe": "-", "\u2010": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})

# A bare page number in any language we ship, after digits became '#':
# "12", "- 12 -", "Page 12", "Página 12 de 40", "Seite 3 von 9", "Страница 4", "4 / 37", "12 of 40".
PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(?:page|pág\.?|página|pagina|seite|страница|стр\.|p\.)?\s*[#ivxlc]+"
    r"(?:\s*(?:of|de|von|van|из|sur|/)\s*#+)?[-–—\s]*$",
    re.IGNORECASE,
)
EDGE_BAND = 0.14  # share of the page height searched for headers and footers
EDGE_ROWS = 3  # rows from the top and from the bottom of a page that may be furniture


@dataclass(frozen=True)
class BodyFrame:
    left: float
    right: float


def clean_pages(pages: Sequence[Page], hyphen_keep: Iterable[str] = ()) -> list[CleanPage]:
    """Run every step over a document's pages held in memory (tests, short documents)."""
    stats = DocumentStats(len(pages))
    for page in pages:
        stats.add(page)
    return stats.clean(pages, hyphen_keep)


def clean_stream(pages: Iterable[Page], n_pages: int, hyphen_keep: Iterable[str] = ()) -> tuple[list[CleanPage], "DocumentStats"]:
    """The same, streaming: each page is measured and spilled to a temporary file as it
    comes, then read back one at a time to be cleaned, so memory holds the text in force
    and never every page's lines at once, however long the document."""
    stats = DocumentStats(n_pages)
    with tempfile.TemporaryFile() as spill:
        for page in pages:
            stats.add(page)
            pickle.dump(page, spill, protocol=pickle.HIGHEST_PROTOCOL)
        spill.seek(0)
        return stats.clean(_unspill(spill, stats.seen), hyphen_keep), stats


def _unspill(spill, n: int) -> Iterator[Page]:
    for _ in range(n):
        yield pickle.load(spill)


class DocumentStats:
    """What cleaning must know about the whole document, gathered one page at a time:
    the edge lines that repeat (running heads), how printed page numbers keep step with
    pages, and a sample of long lines for the text block's edges."""

    def __init__(self, n_pages: int):
        self.n_pages = n_pages
        self.seen = 0
        self.with_text = 0
        self.counts: Counter = Counter()
        self.offsets: Counter = Counter()
        self.step = max(1, n_pages // 60)
        self.sample: list[Line] = []

    def add(self, page: Page) -> None:
        if self.seen % self.step == 0:
            self.sample.extend(page.lines)
        self.seen += 1
        self.with_text += page.n_chars >= 20
        edge = _edge_lines(page)
        self.counts.update({(band, furniture_key(ln.text), _slot(ln)) for band, ln in edge})
        self.offsets.update({n - page.number for _, ln in edge if (n := _page_number(ln.text)) is not None})

    def furniture(self) -> "Furniture":
        n = self.seen
        need = n if n <= 3 else max(3, int(0.2 * n))
        need_offset = 1 if n <= 2 else max(2, int(0.2 * n))
        # a key with digits ("article #") repeats by chance where provisions begin at a
        # page's foot; real running heads with numbers ("Chapter 5 — Offences") run on
        # most pages
        return Furniture(frozenset(k for k, c in self.counts.items() if n > 1 and c >= need
                                   and ("#" not in k[1] or c >= 0.5 * n)),
                         frozenset(k for k, c in self.offsets.items() if c >= need_offset))

    def clean(self, pages: Iterable[Page], hyphen_keep: Iterable[str] = ()) -> list[CleanPage]:
        furniture = self.furniture()
        frame = body_frame(self.sample)
        keep = frozenset(w.lower() for w in hyphen_keep)
        return repair_hyphenation([clean_page(p, furniture, frame) for p in pages], keep)


def furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def _edge_lines(page: Page) -> list[tuple[str, Line]]:
    """The first and last rows of a page inside the edge bands, tagged top or bottom."""
    rows = sorted({round(ln.top) for ln in page.lines if ln.text})
    top_rows = set(rows[:EDGE_ROWS])
    bottom_rows = set(rows[-EDGE_ROWS:])
    out = []
    for ln in page.lines:
        if not ln.text:
            continue
        r = round(ln.top)
        if r in top_rows and ln.bottom <= page.height * EDGE_BAND + ln.size:
            out.append(("top", ln))
        elif r in bottom_rows and ln.top >= page.height * (1 - EDGE_BAND) - ln.size:
            out.append(("bottom", ln))
    return out


@dataclass(frozen=True)
class Furniture:
    repeated: frozenset[tuple[str, str]]  # (band, key) seen at a page edge on many pages
    offsets: frozenset[int]  # printed page number minus physical page number


def find_furniture(pages: Sequence[Page]) -> "Furniture":
    stats = DocumentStats(len(pages))
    for page in pages:
        stats.add(page)
    return stats.furniture()


def _page_number(text: str) -> int | None:
    if not PAGE_NUMBER.match(furniture_key(text)):
        return None
    m = re.search(r"\d+", text)
    return int(m.group()) if m else None


def _slot(line: Line) -> int:
    """Running heads sit at one height on every page; a heading near the top does not."""
    return round(line.top / 8)


def is_furniture(band: str, line: Line, furniture: Furniture, page: int) -> bool:
    key = furniture_key(line.text)
    slot = _slot(line)
    if any((band, key, s) in furniture.repeated for s in (slot - 1, slot, slot + 1)):
        return True
    if not PAGE_NUMBER.match(key):
        return False
    n = _page_number(line.text)
    return n is None or (n - page) in furniture.offsets


def body_frame(sample: Sequence[Line]) -> BodyFrame:
    """Where long lines start and end: the text block, from a sample of pages' lines."""
    starts: Counter = Counter()
    ends: list[float] = []
    long_lines = [ln for ln in sample if len(ln.text) >= 40]
    if len(long_lines) < 5:  # narrow columns: shorter lines still show the text block
        long_lines = [ln for ln in sample if len(ln.text) >= 15]
    for ln in long_lines:
        starts[round(ln.x0)] += 1
        ends.append(ln.x1)
    if not starts:
        return BodyFrame(0.0, 10_000.0)
    # the leftmost start that many long lines share: indented paragraphs start further in
    left = float(min(x for x, n in starts.items() if n >= 0.2 * max(starts.values())))
    ends.sort()
    right = ends[int(0.97 * (len(ends) - 1))]
    return BodyFrame(left, right)


def clean_page(page: Page, furniture: Furniture, frame: BodyFrame) -> CleanPage:
    edge = {id(ln): band for band, ln in _edge_lines(page)}
    body: list[Line] = []
    notes: list[Line] = []
    removed: list[str] = []
    revoked: list[Revoked] = []
    for ln in _split_at_frame(page.lines, frame):
        if ln.struck:
            revoked.append(Revoked(ln.struck.translate(LIGATURES), page.number, ln.top))
        if not ln.text:
            continue
        band = edge.get(id(ln))
        if band and is_furniture(band, ln, furniture, page.number):
            removed.append(ln.text)
        elif ln.x1 < frame.left - 2 or ln.x0 > frame.right + 2:
            notes.append(ln)
        else:
            body.append(ln)
    lines = [_body_line(group, page.number, frame) for group in join_rows(reading_order(body, page.width))]
    return CleanPage(page.number, tuple(lines), tuple(_group_notes(notes, page.number, _pitch(lines))),
                     tuple(revoked), tuple(removed))


def _split_at_frame(lines: Sequence[Line], frame: BodyFrame) -> list[Line]:
    """A marginal note set close to the body ("Fault elements other  12.3 (1) If ...")
    can reach the engine as one line with it: cut it where the body's left edge is."""
    out = []
    for ln in lines:
        if ln.x0 < frame.left - 2 < ln.x1 and len(ln.words) > 1:
            words = ln.text.split(" ")
            cut = next((i for i, x in enumerate(ln.words) if x >= frame.left - 2), None)
            if cut and ln.words[cut] > frame.left + 4:  # no word starts at the body's edge
                cut = None
            if cut:
                left_text, right_text = " ".join(words[:cut]), " ".join(words[cut:])
                out.append(replace(ln, text=left_text, x1=frame.left - 3, words=ln.words[:cut]))
                out.append(replace(ln, text=right_text, x0=ln.words[cut], words=ln.words[cut:]))
                continue
        out.append(ln)
    return out


def reading_order(lines: list[Line], width: float) -> list[list[Line]]:
    """Blocks of lines in reading order: one block per column between full-width lines."""
    gutter = _gutter(lines, width)
    ordered = sorted(lines, key=lambda ln: (ln.top, ln.x0))
    if gutter is None:
        return [ordered]
    g0, g1 = gutter
    blocks: list[list[Line]] = []
    left: list[Line] = []
    right: list[Line] = []
    for ln in ordered:
        centre = (ln.x0 + ln.x1) / 2
        if (ln.x0 < g0 and ln.x1 > g1) or g0 <= centre <= g1:  # a title across or above both columns
            blocks += [left, right, [ln]]
            left, right = [], []
        elif ln.x0 >= g0:  # starts in or beyond the gutter: a hanging "(1)" of the right column
            right.append(ln)
        else:
            left.append(ln)
    blocks += [left, right]
    return [b for b in blocks if b]


def _gutter(lines: list[Line], width: float) -> tuple[float, float] | None:
    """The widest vertical strip in the middle third that column lines leave empty.

    A title across both columns, or a short centred heading, crosses the gutter; such
    lines are few, so a strip counts as empty when at most a few lines cross it."""
    lo, hi = int(width * 0.3), int(width * 0.7)
    covered = [0] * (hi - lo)
    lines = [ln for ln in lines if len(ln.text) >= 4]
    for ln in lines:
        a, b = max(lo, int(ln.x0)), min(hi, int(ln.x1) + 1)
        for x in range(a, b):
            covered[x - lo] += 1
    allowed = max(1, len(lines) // 12)
    best, run_start = (0, 0), None
    for i, c in enumerate(covered + [10**9]):
        if c <= allowed and run_start is None:
            run_start = i
        elif c > allowed and run_start is not None:
            if i - run_start > best[1] - best[0]:
                best = (run_start, i)
            run_start = None
    if best[1] - best[0] < 8:
        return None
    g0, g1 = best[0] + lo, best[1] + lo
    n_left = sum(1 for ln in lines if ln.x1 <= g0 + 1 and len(ln.text) >= 15)
    n_right = sum(1 for ln in lines if ln.x0 >= g1 - 1 and len(ln.text) >= 15)
    if n_left < 5 or n_right < 5:
        return None
    return g0, g1


def join_rows(blocks: list[list[Line]]) -> list[list[Line]]:
    """Fragments of one row within one block become one line, left to right."""
    out: list[list[Line]] = []
    for block in blocks:
        cur: list[Line] | None = None
        for ln in block:
            if cur and abs(ln.top - cur[0].top) < 0.35 * max(ln.size, 1.0):
                cur.append(ln)
            else:
                cur = [ln]
                out.append(cur)
    return [sorted(group, key=lambda ln: ln.x0) for group in out]


def _body_line(group: list[Line], page: int, frame: BodyFrame) -> BodyLine:
    text = " ".join(ln.text for ln in group).translate(LIGATURES)
    text = re.sub(r"[ \t]+", " ", text).strip()
    first = group[0]
    return BodyLine(text, page, first.x0, first.top, first.size,
                    all(ln.bold for ln in group), round(first.x0 - frame.left, 1),
                    max(ln.x1 for ln in group), max(ln.bottom for ln in group))


def _pitch(lines: list[BodyLine]) -> float:
    """The page's usual distance from one body line to the next."""
    tops = sorted(ln.top for ln in lines)
    gaps = sorted(b - a for a, b in zip(tops, tops[1:]) if b - a > 1.0)
    return gaps[len(gaps) // 4] if gaps else 12.0


def _group_notes(notes: list[Line], page: int, pitch: float) -> list[MarginNote]:
    """Note lines set at the body's line pitch form one note; a blank line parts two."""
    out: list[MarginNote] = []
    last_top = None
    for ln in sorted(notes, key=lambda n: (n.top, n.x0)):
        text = ln.text.translate(LIGATURES)
        # lines of one note follow at the note's own (small) line pitch; the notes of
        # two consecutive one-line sections stand a body line apart
        if out and last_top is not None and ln.top - last_top <= min(0.92 * pitch, 1.5 * ln.size):
            prev = out[-1]
            out[-1] = MarginNote(f"{prev.text} {text}", page, prev.top, ln.bottom, prev.first_bottom)
        else:
            out.append(MarginNote(text, page, ln.top, ln.bottom, ln.bottom))
        last_top = ln.top
    return out


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_HYPHEN_END = re.compile(r"(\w)-$")
_NEXT_WORD = re.compile(r"^([^\W\d_][\w'’]*)([.,;:)]?)\s*")


def repair_hyphenation(pages: list[CleanPage], keep: frozenset[str]) -> list[CleanPage]:
    """Join a word broken at the line end: "communi-" / "cation and" -> "communication" / "and".

    The word moves up whole, so the lower line keeps its own start for numbering. The
    hyphen stays where the document itself spells the word with one elsewhere
    ("cross-" / "references"), before a capital ("Anti-" / "Money") and before a
    conjunction the grammar lists ("Telekommunikations-" / "und").
    """
    flat = [(pi, li) for pi, p in enumerate(pages) for li in range(len(p.lines))]
    lines = {k: pages[k[0]].lines[k[1]] for k in flat}
    vocab = Counter(w.lower() for p in pages for ln in p.lines for w in _WORD.findall(ln.text))
    for a, b in zip(flat, flat[1:]):
        up, down = lines[a], lines[b]
        if not _HYPHEN_END.search(up.text):
            continue
        m = _NEXT_WORD.match(down.text)
        if not m or not m.group(1)[0].islower() or m.group(1).lower() in keep:
            continue
        head = re.search(r"([^\W\d_]+)-$", up.text)
        joined = (head.group(1) if head else "") + m.group(1)
        hyphen = "-" if vocab[f"{joined[:len(joined) - len(m.group(1))]}-{m.group(1)}".lower()] > vocab[joined.lower()] else ""
        lines[a] = _with_text(up, up.text[:-1] + hyphen + m.group(1) + m.group(2))
        lines[b] = _with_text(down, down.text[m.end():])
    out = []
    for pi, p in enumerate(pages):
        kept = tuple(ln for li in range(len(p.lines)) if (ln := lines[(pi, li)]).text)
        out.append(CleanPage(p.number, kept, p.notes, p.revoked, p.furniture))
    return out


def _with_text(line: BodyLine, text: str) -> BodyLine:
    return replace(line, text=text)


def notes_by_page(pages: Iterable[CleanPage]) -> dict[int, list[MarginNote]]:
    out: dict[int, list[MarginNote]] = defaultdict(list)
    for p in pages:
        out[p.number].extend(p.notes)
    return out
