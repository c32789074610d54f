"""The provision tree between parsing and storing: nodes, the passes that run over the
whole tree once it is built, and the stable ids.

- `drop_table_of_contents`: what a table of contents produced goes, whatever its language;
- `attach_margin_notes`: a marginal note names the section whose first line it stands by;
- `build_provisions`: nodes become `Provision` records with Akoma Ntoso style eIds built
  from the printed numbering, page ranges and offsets into the text in force.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .grammar import Grammar
from .models import BodyLine, CleanPage, MarginNote, Provision

KIND_ABBREV = {
    "book": "book", "part": "part", "title": "title", "chapter": "chp", "division": "dvs",
    "subdivision": "subdvs", "schedule": "sched", "annex": "annex", "rule_group": "rulegrp",
    "section": "sec", "article": "art", "rule": "rule", "regulation": "reg",
    "subsection": "subsec", "paragraph": "para", "subparagraph": "subpara", "clause": "clause",
    "subclause": "subclause", "item": "item",
}
SUB_KINDS = ("subsection", "paragraph", "subparagraph", "clause", "subclause", "item")
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


