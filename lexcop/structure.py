"""Running text to a provision tree, driven by a numbering grammar.

One pass over the cleaned lines keeps a stack of open nodes. A line opens a node only
when its numbering stands at the start of the line *and* makes sense where it stands:

- a cross-reference wrapped onto a new line ("... under section" / "24(1) of this Act")
  is recognised by the word that ends the line before;
- section numbers only move forward (163.1 -> 164), by less than the grammar's
  `max_jump`, so that a year or an amount at a line start is not a section; numbering
  may start again after a schedule or at the number it first started from, which is
  what follows a table of contents;
- a table of contents is recognised afterwards: a run of sections with almost no text
  whose labels come back later with their text.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .grammar import Grammar, Pattern, leading_number, ordinal, section_key
from .grammar import label_of as _label
from .models import BodyLine, CleanPage, MarginNote, Provision

KIND_ABBREV = {
    "book": "book", "part": "part", "title": "title", "chapter": "chp", "division": "dvs",
    "subdivision": "subdvs", "schedule": "sched", "annex": "annex", "rule_group": "rulegrp",
    "section": "sec", "article": "art", "rule": "rule", "regulation": "reg",
    "subsection": "subsec", "paragraph": "para", "subparagraph": "subpara", "clause": "clause",
    "subclause": "subclause", "item": "item",
}
SUB_KINDS = ("subsection", "paragraph", "subparagraph", "clause", "subclause", "item")
HEADING_MAX = 120
SECTION_RANK = 100


@dataclass
class _Node:
    kind: str
    label: str
    heading: str
    rank: int
    start: int
    line_no: int
    page: int
    top: float
    bottom: float = 0.0
    style: str = ""
    series: str = "none"
    eid: str = ""
    parent: "_Node | None" = None
    end: int = -1
    children: list = field(default_factory=list)
    container: bool = False
    dropped: bool = False


@dataclass
class _Doc:
    """The text in force of one document, line by line, with page boundaries."""

    lines: list[BodyLine]
    starts: list[int]
    text: str
    page_starts: list[int]
    page_numbers: list[int]


def assemble(pages: list[CleanPage]) -> _Doc:
    lines: list[BodyLine] = []
    starts: list[int] = []
    page_starts: list[int] = []
    page_numbers: list[int] = []
    pos = 0
    for page in pages:
        page_starts.append(pos)
        page_numbers.append(page.number)
        for ln in page.lines:
            lines.append(ln)
            starts.append(pos)
            pos += len(ln.text) + 1
    text = "\n".join(ln.text for ln in lines)
    return _Doc(lines, starts, text, page_starts, page_numbers)


class Parser:
    def __init__(self, grammar: Grammar, doc: _Doc):
        self.g = grammar
        self.doc = doc
        self.root = _Node("document", "", "", -1, 0, 0, 1, 0.0)
        self.stack: list[_Node] = [self.root]
        self.container_ranks: dict[str, int] = {}
        self.sub_ranks: dict[str, int] = {}
        # numbering order is tracked per pattern: a cover page's "18 U.S.C." must not
        # constrain the "§ 1460." sections that follow
        self.last_section: dict[int, str] = {}
        self.first_section: dict[int, str] = {}
        self.seen_labels: set[str] = set()
        self.restarted: set[int] = set()
        self.keyword_sections = 0
        self.pending: list[int] = []  # heading-like lines waiting for a section
        self.awaiting_heading: _Node | None = None  # a number printed alone: its title follows
        self.heading_open: _Node | None = None  # a bold title that may go on to a second line
        self.right: dict[int, float] = {}
        self.frame: dict[int, tuple[float, float]] = {}

    # ---------------------------------------------------------------- main loop
    def run(self) -> _Node:
        lines = self.doc.lines
        right = self.right = _right_edges(lines)
        self.frame = _page_frames(lines)
        for i, ln in enumerate(lines):
            prev = lines[i - 1] if i else None
            self.line(i, ln, continues=prev is not None and self._continues(prev, right))
        self._close_to(0, len(self.doc.text))
        return self.root

    def line(self, i: int, ln: BodyLine, continues: bool) -> None:
        text = ln.text
        nxt = self.doc.lines[i + 1].text if i + 1 < len(self.doc.lines) else ""
        if _LEADER.search(text) or (_LEADER.search(nxt) and nxt[:1].islower()):
            # "1. Short title ........ 1", "SECOND SCHEDULE [s. 49] ..... 22": a table of
            # contents entry, with dot leaders running to a page number (perhaps on the
            # entry's second line: "7. Acts which cause ..." / "with mental disabilities ..... 3")
            self.pending = []
            return
        if not continues:
            if self._container(i, ln):
                return
            if self._in_section() and self._continues_strict(text) and \
                    self._subdivision(i, ln, text, self.doc.starts[i]):
                self.pending = []
                return
            if self._section(i, ln):
                return
        if self.awaiting_heading is not None:
            node, self.awaiting_heading = self.awaiting_heading, None
            nxt = self.doc.lines[i + 1].text if i + 1 < len(self.doc.lines) else ""
            # a title stands alone: the line after it does not carry on its sentence
            # ("Article 1" / "For the purposes of the present" / "Convention, a child means")
            stands_alone = ln.bold or not nxt or not nxt[0].islower()
            if stands_alone and self._heading_like(ln) and not self._sub_match(text):
                node.heading = text
                if ln.bold:
                    self.heading_open = node
                return
        if self.heading_open is not None:
            # a bold heading that runs onto a second bold line ("Статья 242¹. Изготовление
            # ... с" / "порнографическими изображениями несовершеннолетних")
            node, self.heading_open = self.heading_open, None
            above = self.doc.lines[i - 1]
            left, right = self.frame.get(above.page, (0.0, 0.0))
            # the margin cut the title: it starts at the left edge and runs to the right one
            # (a centred "Division 2 — Search and seizure" does neither)
            wrapped = above.x0 <= left + 0.1 * (right - left) and above.x1 >= right - 0.2 * (right - left)
            if wrapped and ln.bold and self._heading_like(ln) and not self._sub_match(text) \
                    and node.heading and node.heading[-1] not in ".:;":
                node.heading = f"{node.heading} {text}"
                return
        if not continues and self._in_section() and self._subdivision(i, ln, text, self.doc.starts[i]):
            self.pending = []
            return
        if self._heading_like(ln) and not continues:
            self.pending.append(i)
        else:
            self.pending = []

    def _continues(self, prev: BodyLine, right: dict[int, float]) -> bool:
        """The previous line ends inside a cross-reference ("... an offence under
        section" / "24(1) of this Act"), so this line opens nothing. A word naming a
        provision says so by itself, unless the line is a heading ("ARRANGEMENT OF
        SECTIONS"); a joining word ("under", "of") only when the margin ended the line.
        "...; or" ends a list item, not a reference."""
        text = prev.text
        if not text or text[-1] in ".:;!?)]”\"" or re.search(r"[;:,]\s*\S+$", text):
            return False
        if " " not in text.strip():
            return False  # "Section" alone: the column heading of an arrangement of sections
        m = re.search(r"([^\W\d_][\w.]*|§§?)$", text)
        if not m:
            return False
        word = m.group(1).lower()
        if word in self.g.reference_words or word.rstrip(".") in self.g.reference_words:
            return not prev.bold and not text.isupper()
        wrapped = prev.x1 >= right.get(prev.page, 0.0) and not prev.bold  # a bold title ends itself
        return wrapped and (word in self.g.joining_words or word.rstrip(".") in self.g.joining_words)

    # --------------------------------------------------------------- containers
    def _container(self, i: int, ln: BodyLine) -> bool:
        for pat in self.g.containers:
            m = pat.regex.match(ln.text)
            if not m:
                continue
            heading = (m.groupdict().get("heading") or "").strip(" .:-–—")
            rank = self._container_rank(pat.kind)
            self._close_to(rank, self.doc.starts[i])
            node = self._open(pat.kind, _label(m), heading, rank, i, ln, container=True)
            node.series = "none"
            if pat.resets:
                self.last_section = {}
            if not heading:
                self.awaiting_heading = node
            elif ln.bold:
                self.heading_open = node
            self.pending = []
            return True
        return False

    def _container_rank(self, kind: str) -> int:
        """Rank learnt from the document: a kind first seen inside another ranks below it."""
        if kind not in self.container_ranks:
            open_ranks = [n.rank for n in self.stack if n.container]
            self.container_ranks[kind] = (max(open_ranks) + 1) if open_ranks else 1
        return self.container_ranks[kind]

    # ----------------------------------------------------------------- sections
    def _section(self, i: int, ln: BodyLine) -> bool:
        prev = self.doc.lines[i - 1].text if i else ""
        for n, pat in enumerate(self.g.sections):
            m = pat.regex.match(ln.text)
            # bare numbers ("24.", "182 Every", "145A" alone) are one numbering, whichever
            # pattern reads them; each keyword pattern ("§", "Article") is its own
            fam = -1 if pat.bare else n
            if not m or (pat.emphasis and not ln.bold) or not self._plausible(fam, m, prev):
                continue
            if pat.bare and not self._sentence_ended(i):
                # "... as in force before" / "29 April 2019;": a number that carries on the
                # sentence above is not a section
                continue
            if pat.bare and self.keyword_sections >= 1:
                # a document that numbers its provisions "Article 4" or "§ 2252A" uses bare
                # numbers for paragraphs ("1 Each Party shall ..."), never for provisions
                continue
            label = _label(m)
            start = self.doc.starts[i]
            heading = (m.groupdict().get("heading") or "").strip()
            rest = (m.groupdict().get("rest") or "").strip()
            head_lines = self._take_pending(i)
            if head_lines:
                start = self.doc.starts[head_lines[0]]
            self._close_to(SECTION_RANK, start)
            node = self._open(pat.kind, label, heading, SECTION_RANK, i, ln, start=start)
            if head_lines and not heading:
                node.heading = " ".join(self.doc.lines[k].text for k in head_lines)
            self.keyword_sections += 0 if pat.bare else 1
            self.last_section[fam] = label
            self.first_section.setdefault(fam, label)
            self.seen_labels.add(label)
            if heading and ln.bold:
                self.heading_open = node
            elif not heading and not rest and not node.heading:
                self.awaiting_heading = node  # "Article 1" / "Definitions"
            if rest and not heading:
                self._rest(i, ln, rest, m.start("rest") if "rest" in m.groupdict() else 0, node)
            return True
        return False

    def _rest(self, i: int, ln: BodyLine, rest: str, offset: int, node: _Node) -> None:
        """What follows the number on a section's line: a run-in subsection "(1) A person",
        a bold heading "Cyber terrorism", or the start of the text."""
        if self._subdivision(i, ln, rest, self.doc.starts[i] + offset):
            return
        if ln.bold and len(rest) <= HEADING_MAX:
            node.heading = rest

    def _sentence_ended(self, i: int) -> bool:
        if i == 0:
            return True
        prev = self.doc.lines[i - 1]
        t = prev.text.rstrip()
        # only a line that stops mid-sentence (on a lower-case word or a comma) carries on
        if not (t and (t[-1].islower() or t[-1] == ",")) or prev.bold or self._heading_like(prev):
            return True
        # a numbered title above ("1. Short title" in an arrangement of sections)
        return any(p.regex.match(t) for p in self.g.sections) or _LEADER.search(t) is not None

    def _plausible(self, n: int, m: re.Match, prev: str) -> bool:
        label = _label(m)
        last = self.last_section.get(n)
        if last is None:
            return True
        if _after(label, last):
            a, b = leading_number(label), leading_number(last)
            if a is None or b is None or a - b <= self.g.max_jump:
                return True
        elif label == self.first_section.get(n) and n not in self.restarted:
            # the body after a table of contents starts again where the table started
            self.restarted.add(n)
            return True
        # Out of order, an amending Act still inserts "3LA (1) The executing officer ..."
        # after "478.4"; a cross-reference or a quotation never reads like that.
        rest = (m.groupdict().get("rest") or "").lstrip()
        return (label not in self.seen_labels and rest.startswith("(1)")
                and (not prev or prev[-1] in ".:;]”\""))

    def _take_pending(self, i: int) -> list[int]:
        pend = [k for k in self.pending if k < i]
        self.pending = []
        if not pend or pend[-1] != i - 1:
            return []
        run = [pend[-1]]
        for k in reversed(pend[:-1]):
            if k == run[0] - 1 and len(run) < 3:
                run.insert(0, k)
        return run

    def _heading_like(self, ln: BodyLine) -> bool:
        t = ln.text
        if not t or len(t) > HEADING_MAX or t[0] in "([\"“'«":
            return False
        if ln.bold:
            return True
        if t[-1] in ".,;:-–—" or not t[0].isupper() or len(t) > 80 or t.endswith(" or") or ";" in t:
            return False
        # an amendment note ("R.S., 1985, c. 30 (4th Supp.), s. 21, 1999") is not a title
        return sum(c.isalpha() for c in t) >= 0.75 * len(t.replace(" ", ""))

    # ------------------------------------------------------------- subdivisions
    def _in_section(self) -> bool:
        return any(n.rank >= SECTION_RANK for n in self.stack)

    def _continues_strict(self, text: str) -> bool:
        """A bare "4 In determining" goes on an open "1 / 2 / 3" series of subsections
        (New Zealand's layout) rather than opening section 4."""
        for pat in self.g.subdivisions:
            if not pat.strict:
                continue
            m = pat.regex.match(text)
            if m and self._sub_score(pat, _label(m)) == 3:
                return True
        return False

    def _sub_match(self, text: str):
        for pat in self.g.subdivisions:
            m = pat.regex.match(text)
            if m:
                return m
        return None

    def _subdivision(self, i: int, ln: BodyLine, text: str, start: int) -> bool:
        best = None
        for pat in self.g.subdivisions:
            m = pat.regex.match(text)
            if not m:
                continue
            score = self._sub_score(pat, _label(m))
            if score is not None and score >= 0 and (best is None or score > best[0]):
                best = (score, pat, m)
        if best is None:
            return False
        _, pat, m = best
        rank = self._sub_rank(pat)
        self._close_to(rank, start)
        node = self._open("", _label(m), "", rank, i, ln, start=start)
        node.style, node.series = pat.style, pat.series
        rest = text[m.end():].strip()
        if rest:
            # "(1)(a) A person" and "§ 1º I -": a deeper label may follow on the same line
            inner = self._sub_match(rest)
            if inner and _label(inner) != _label(m):
                self._subdivision(i, ln, rest, start + (len(text) - len(rest)))
        return True

    def _sub_score(self, pat: Pattern, label: str) -> int | None:
        """3: the next label of the open series of this style; 2: starts a new series;
        1: later in the open series; lower: doubtful. None: impossible here."""
        n = ordinal(label, pat.series)
        open_same = next((x for x in reversed(self.stack) if x.style == pat.style), None)
        if pat.strict:
            prev = ordinal(open_same.label, pat.series) if open_same is not None else 0
            return (3 if open_same is not None else 2) if n is not None and n == prev + 1 else None
        if open_same is not None:
            prev = ordinal(open_same.label, pat.series)
            if n is not None and prev is not None and n == prev + 1:
                return 3
            if n is not None and prev is not None and n > prev:
                return 1
            if n is None or pat.series == "none":
                return 1
        if n == 1 or pat.series == "none":
            return 2
        return 0 if open_same is None and n is None else (0 if n is None else -1)

    def _sub_rank(self, pat: Pattern) -> int:
        if pat.rank is not None:
            return SECTION_RANK + pat.rank
        if pat.style in self.sub_ranks:
            return self.sub_ranks[pat.style]
        deepest = max((n.rank for n in self.stack), default=SECTION_RANK)
        rank = max(deepest, SECTION_RANK) + 1
        # a style first seen at a depth keeps it for the rest of the section
        self.sub_ranks[pat.style] = rank
        return rank

    # ------------------------------------------------------------------- stack
    def _open(self, kind: str, label: str, heading: str, rank: int, i: int, ln: BodyLine,
              start: int | None = None, container: bool = False) -> _Node:
        parent = self.stack[-1]
        node = _Node(kind, label, heading, rank, self.doc.starts[i] if start is None else start,
                     i, ln.page, ln.top, ln.bottom, parent=parent, container=container)
        parent.children.append(node)
        self.stack.append(node)
        if rank == SECTION_RANK:
            self.sub_ranks = {}
        return node

    def _close_to(self, rank: int, pos: int) -> None:
        """Close every open node of this rank or deeper at text offset `pos`."""
        while len(self.stack) > 1 and self.stack[-1].rank >= rank:
            self.stack.pop().end = pos


def _page_frames(lines: list[BodyLine]) -> dict[int, tuple[float, float]]:
    out: dict[int, tuple[float, float]] = {}
    for ln in lines:
        a, b = out.get(ln.page, (ln.x0, ln.x1))
        out[ln.page] = (min(a, ln.x0), max(b, ln.x1))
    return out


def _right_edges(lines: list[BodyLine]) -> dict[int, float]:
    """Per page, how far right a line must reach to have been wrapped by the margin
    rather than ended by the author (a title, a TOC entry, the last line of a paragraph)."""
    by_page: dict[int, list[BodyLine]] = {}
    for ln in lines:
        by_page.setdefault(ln.page, []).append(ln)
    out = {}
    for page, lns in by_page.items():
        left = min(ln.x0 for ln in lns)
        right = max(ln.x1 for ln in lns)
        out[page] = left + 0.6 * (right - left)
    return out


_LEADER = re.compile(r"(?:\.\s?){5,}\s*\d+\s*$|…{2,}\s*\d+\s*$|_{5,}\s*\d+\s*$")


def _after(label: str, last: str) -> bool:
    """Later in the numbering, read either way: Australian 474.22 follows 474.3 (parts
    are whole numbers), Canadian 487.014 follows 487.0131 (parts are decimals)."""
    return section_key(label) > section_key(last) or _decimal_key(label) > _decimal_key(last)


def _decimal_key(label: str) -> tuple:
    head, _, tail = label.partition(".")
    return (section_key(head), tail)


# ---------------------------------------------------------------- post passes

def drop_table_of_contents(root: _Node, doc: _Doc, grammar: Grammar | None = None) -> None:
    """Remove what a table of contents ("Arrangement of Sections", Inhaltsübersicht,
    índice) produced, recognised by what comes after it, in any language:

    - a run of three or more near-empty sections whose labels recur later;
    - a container whose kind, label and heading recur later (the TOC lists "PART II
      OFFENCES" before the Part itself). Its children move up to its parent.
    """
    sections = [n for n in _walk(root) if n.rank == SECTION_RANK]
    # a schedule or addenda (부칙) numbers its own articles 1, 2, ...: those are no twins
    last_at = {n.label: idx for idx, n in enumerate(sections) if not _in_reset(n)}
    for idx, n in enumerate(sections):
        last_at.setdefault(n.label, idx)
    flags = [not n.children and last_at[n.label] > idx and (n.end - n.start < 220 or _lists_entries(n, doc, grammar))
             for idx, n in enumerate(sections)]
    idx = 0
    while idx < len(flags):
        j = idx
        while j < len(flags) and flags[j]:
            j += 1
        if j - idx >= 3:
            for n in sections[idx:j]:
                n.dropped = True
        idx = max(j, idx + 1)
    # between the first and the last entry so found lies the whole table: a lone entry
    # there (cut off by a page break and a "Section" column heading) is an entry too
    dropped = [k for k, n in enumerate(sections) if n.dropped]
    if dropped:
        for k in range(dropped[0], dropped[-1] + 1):
            if flags[k]:
                sections[k].dropped = True
        # the table's last entry runs on into the preamble of the Act, so it is not short:
        # it is still an entry when it comes back later and holds no subdivisions
        k = dropped[-1] + 1
        if k < len(sections) and not sections[k].children and last_at[sections[k].label] > k:
            sections[k].dropped = True
    later: dict[tuple, set[str]] = {}
    for n in reversed([n for n in _walk(root) if n.container]):
        key = (n.kind, n.label.lower())
        heading = _norm(n.heading)
        if key in later and (heading in later[key] or not heading or "" in later[key]):
            n.dropped = True
        later.setdefault(key, set()).add(heading)
    _splice(root)


def _lists_entries(node: _Node, doc: _Doc, grammar: Grammar | None) -> bool:
    """The text under a "section" is a list of further section numbers and titles
    ("§ 2252. ..." / "§" / "2252A. ..." / "2252B. ..."): an entry of a table of contents."""
    if grammar is None:
        return False
    lines = [t for t in doc.text[node.start:node.end].split("\n")[1:] if t.strip()]
    if not lines:
        return False
    entries = sum(1 for t in lines if len(t.strip()) <= 3 or any(p.regex.match(t) for p in grammar.sections))
    return entries >= 2 and entries >= 0.4 * len(lines)


def _norm(s: str) -> str:
    return re.sub(r"\W+", " ", s.lower()).strip()[:40]


def _splice(node: _Node) -> None:
    kept: list[_Node] = []
    for child in node.children:
        _splice(child)
        if child.dropped and child.container:
            for grandchild in child.children:
                grandchild.parent = node
                kept.append(grandchild)
        elif not child.dropped:
            kept.append(child)
    node.children = kept


def attach_margin_notes(root: _Node, notes: dict[int, list[MarginNote]]) -> None:
    """A marginal note names the section whose first line it stands beside."""
    by_page: dict[int, list[_Node]] = {}
    for n in _walk(root):
        if n.rank == SECTION_RANK and not n.dropped:
            by_page.setdefault(n.page, []).append(n)
    for page, page_notes in notes.items():
        cands = by_page.get(page, [])
        for note in page_notes:
            best = None
            for n in cands:
                # compare baselines (bottoms): a note in smaller type beside the first
                # line has a lower top but the same baseline
                d = n.bottom - note.first_bottom
                if -3 <= d <= 40 and (best is None or abs(d) < abs(best.bottom - note.first_bottom)):
                    best = n
            if best is not None and not best.heading:
                best.heading = note.text
            elif best is not None and best.heading != note.text and best.heading.lower() != note.text.lower():
                best.heading = note.text  # the margin names the section; a bold line above is a group heading


def _walk(node: _Node):
    for c in node.children:
        yield c
        yield from _walk(c)


# ------------------------------------------------------------------- ids, output

def _clean_label(label: str) -> str:
    core = re.sub(r"^(?:§+|(?:art(?:icle|ículo|igo|ikel)?|section|sec)\b\.?|статья\b|제)\s*", "", label, flags=re.I)
    core = core.replace("º", "").replace("°", "").replace("ª", "")
    # Korean numbering: 제7조의2 is "article 7, the second inserted after it"
    core = core.replace("조의", "-").replace("조", "").replace("의", "-")
    core = "".join(str(_CIRCLED.index(c) + 1) if c in _CIRCLED else c for c in core)
    core = re.sub(r"[()\[\]]", "", core)
    core = re.sub(r"[^\w.\-]+", "-", core, flags=re.UNICODE).strip("-.")
    return core or "x"


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def build_provisions(root: _Node, doc: _Doc, doc_id: str) -> list[Provision]:
    out: list[Provision] = []
    used: dict[str, int] = {}

    def eid_of(node: _Node, parent_eid: str) -> str:
        kind = node.kind
        own = f"{KIND_ABBREV.get(kind, kind)}_{_clean_label(node.label)}"
        # Sections are numbered across the whole Act, so their eId does not carry the
        # Part or Chapter (renumbering a Part leaves section ids alone); sub-levels and
        # containers nest under their parent.
        if node.rank == SECTION_RANK:
            base = own if not _in_reset(node) else f"{parent_eid}__{own}"
        else:
            base = f"{parent_eid}__{own}" if parent_eid else own
        n = used.get(base, 0) + 1
        used[base] = n
        return base if n == 1 else f"{base}_dup{n}"

    def visit(node: _Node, parent: Provision | None, parent_eid: str, depth: int, sub_depth: int) -> None:
        for child in node.children:
            if child.dropped:
                continue
            if child.rank > SECTION_RANK:
                child.kind = SUB_KINDS[min(sub_depth, len(SUB_KINDS) - 1)]
            eid = eid_of(child, parent_eid)
            end = child.end if child.end >= child.start else len(doc.text)
            p_first = _page_at(doc, child.start)
            p_last = _page_at(doc, max(child.start, end - 1))
            prov = Provision(
                id=f"{doc_id}~{eid}", eid=eid, kind=child.kind, label=_display_label(child),
                heading=_clean_heading(child.heading), parent=parent.id if parent else None, ordinal=len(out),
                depth=depth, start=child.start, end=end, page_first=p_first, page_last=p_last,
            )
            out.append(prov)
            visit(child, prov, eid, depth + 1, sub_depth + 1 if child.rank > SECTION_RANK else 0)

    visit(root, None, "", 0, 0)
    return out


def _in_reset(node: _Node) -> bool:
    p = node.parent
    while p is not None:
        if p.kind in ("schedule", "annex"):
            return True
        p = p.parent
    return False


def _clean_heading(heading: str) -> str:
    """"(목적)" -> "목적"; "Definitions." -> "Definitions": the title, not its punctuation."""
    h = heading.strip()
    if len(h) > 2 and h[0] in "([" and h[-1] in ")]" and h.count("(") == 1:
        h = h[1:-1].strip()
    return h.rstrip(" .:—–-").strip()


def _display_label(node: _Node) -> str:
    return node.label.strip()


def _page_at(doc: _Doc, pos: int) -> int:
    i = bisect_right(doc.page_starts, pos) - 1
    return doc.page_numbers[max(i, 0)] if doc.page_numbers else 1


@dataclass(frozen=True)
class ParseResult:
    text: str  # the text in force, lines joined by newlines
    page_starts: list[int]
    provisions: list[Provision]
    line_index: list[tuple[int, float, int]]  # (page, top, offset) of every line

    def locate(self, page: int, top: float) -> int:
        """Offset of the first line at or below a point of a page (for revoked wording)."""
        i = bisect_right(self.line_index, (page, top, -1))
        if i < len(self.line_index):
            return self.line_index[i][2]
        return len(self.text)


def parse(pages: list[CleanPage], grammar: Grammar, doc_id: str,
          notes: dict[int, list[MarginNote]] | None = None) -> ParseResult:
    """Pages in; the text in force, page offsets and provisions in document order out."""
    doc = assemble(pages)
    root = Parser(grammar, doc).run()
    drop_table_of_contents(root, doc, grammar)
    if notes:
        attach_margin_notes(root, notes)
    provisions = build_provisions(root, doc, doc_id)
    index = [(ln.page, ln.top, start) for ln, start in zip(doc.lines, doc.starts)]
    return ParseResult(doc.text, doc.page_starts, provisions, index)
