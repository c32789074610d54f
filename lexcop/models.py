"""Frozen records passed between pipeline steps. No I/O here.

Coordinates are PDF points with the origin at the top-left of the page (y grows
downwards), the convention of pdfplumber, so that both engines speak the same units.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Line:
    """One visual line fragment: glyphs on one baseline with no wide gap between them."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # glyph box height, a proxy for font size
    bold: bool = False
    struck: str = ""  # wording printed struck through on this line (revoked text)
    words: tuple[float, ...] = ()  # x0 of each space-separated word of `text`, when known

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass(frozen=True, slots=True)
class Page:
    """A page as the engine saw it: every line fragment in visual order."""

    number: int  # 1-based physical page number
    width: float
    height: float
    lines: tuple[Line, ...]
    n_chars: int  # glyphs with a text value (0 for a scanned page)


@dataclass(frozen=True, slots=True)
class BodyLine:
    """A line of running text after cleaning, in reading order."""

    text: str
    page: int
    x0: float
    top: float
    size: float
    bold: bool = False
    indent: float = 0.0  # x0 relative to the body's left edge
    x1: float = 0.0
    bottom: float = 0.0


@dataclass(frozen=True, slots=True)
class MarginNote:
    """A section title printed in the margin (Commonwealth style), with its position."""

    text: str
    page: int
    top: float
    bottom: float
    first_bottom: float = 0.0  # baseline-ish bottom of the note's first line


@dataclass(frozen=True, slots=True)
class Revoked:
    """Wording printed struck through: kept out of the text in force, stored apart."""

    text: str
    page: int
    top: float


@dataclass(frozen=True, slots=True)
class CleanPage:
    number: int
    lines: tuple[BodyLine, ...]
    notes: tuple[MarginNote, ...] = ()
    revoked: tuple[Revoked, ...] = ()
    furniture: tuple[str, ...] = ()  # headers, footers and page numbers removed


@dataclass(frozen=True, slots=True)
class Provision:
    """A node of the provision tree. `start:end` index the document's text in force."""

    id: str  # stable: "<document id>~sec_24__subsec_1__para_d"
    eid: str  # the part after "~"
    kind: str  # part, chapter, section, article, subsection, paragraph ...
    label: str  # numbering as printed: 24, 163.1, 184b, 227-23, (1), (a)
    heading: str
    parent: str | None
    ordinal: int  # position in document order
    depth: int
    start: int
    end: int
    page_first: int
    page_last: int
    revoked_text: str = ""  # struck-through wording found inside this provision


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """What we know about a PDF before parsing it: facts from a manifest or the user."""

    path: str
    iso3: str
    lang: str
    title: str
    short_title: str = ""
    citation: str = ""
    doc_type: str = "act"
    year: str = ""
    as_of: str = ""
    official_url: str = ""
    sha256: str = ""
    doc_id: str = ""
    file: str = ""


@dataclass(frozen=True)
class ParsedDocument:
    """Everything one PDF yields; written to the store in one transaction."""

    source: SourceDoc
    sha256: str
    engine: str
    parser_version: str
    n_pages: int
    text: str  # the text in force, provisions index it
    page_starts: tuple[int, ...]  # offset in `text` where each page's text begins
    provisions: tuple[Provision, ...]
    revoked: tuple[Revoked, ...] = ()
    furniture: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())
