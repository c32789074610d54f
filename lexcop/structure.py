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
from dataclasses import dataclass

from .grammar import Grammar, Pattern, leading_number, ordinal, section_key
from .grammar import label_of as _label
from .models import BodyLine, CleanPage, MarginNote, Provision
from .tree import (SECTION_RANK, _Doc, _Node, assemble, attach_margin_notes, build_provisions,
                   drop_table_of_contents)

HEADING_MAX = 120


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
