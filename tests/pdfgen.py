"""Build small statute-like PDFs for tests, from text written in the tests themselves.

A document is a list of pages; a page is a list of `Text` lines, each placed at an x
and a y measured from the top of the page (the convention of `lexcop.models`). Lines
without a y flow down from the previous one at `LEADING` points. Options cover the
layouts the parser must survive:

- running header and footer ("Test Act 2024" / "Page N of M") on every page;
- a marginal note (the section title printed in the left margin, on the baseline of the
  section's first line, in a smaller font): `Text(..., note="Short title")`;
- two columns: `columns(left, right)` places two blocks side by side with a gutter;
- struck-through (revoked) wording: `Text(..., strike="words")` draws a thin rule through
  the middle of the x-height of that part of the line;
- everything else (tables of contents, nested numbering, "communi-" / "cation") is just
  the text of the lines.

    make_pdf(path, [[Text("1. Short title"), Text("This Act may be cited ...")]])
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

PAGE_W, PAGE_H = A4  # 595 x 842 points
BODY_X = 150.0  # left edge of the body text (room for marginal notes at NOTE_X)
NOTE_X = 40.0
TOP_Y = 90.0  # first baseline of the body, from the top
LEADING = 14.0
BODY_SIZE = 10.0
NOTE_SIZE = 8.0


@dataclass(frozen=True)
class Text:
    text: str
    x: float = BODY_X
    y: float | None = None  # baseline from the top of the page; None: next line
    size: float = BODY_SIZE
    bold: bool = False
    note: str = ""  # marginal note beside this line (may contain "\n" for two lines)
    strike: str = ""  # a substring of `text` printed struck through


def body(*lines: str | Text | None, x: float = BODY_X, top: float = TOP_Y, leading: float = LEADING) -> list[Text]:
    """Lines flowing down from `top`; plain strings become `Text` in the body font and
    `None` leaves half a line of space (as between two sections)."""
    out = []
    y = top
    for ln in lines:
        if ln is None:
            y += leading / 2
            continue
        t = ln if isinstance(ln, Text) else Text(ln)
        if t.y is not None:
            y = t.y
        out.append(replace(t, x=x if t.x == BODY_X else t.x, y=y))
        y += leading
    return out


def columns(left: list[str | Text | None], right: list[str | Text | None], *, x_left: float = 60.0, x_right: float = 315.0,
            top: float = TOP_Y, leading: float = LEADING) -> list[Text]:
    """Two text blocks side by side; the gutter lies between the end of the left column's
    lines (keep them under ~40 characters at 10 pt) and `x_right`."""
    return body(*left, x=x_left, top=top, leading=leading) + body(*right, x=x_right, top=top, leading=leading)


def make_pdf(path: str | Path, pages: list[list[Text]], *, header: str = "",
             footer: bool = False, encrypt=None) -> Path:
    """Write the pages to `path`. `header`: a short title printed at the top of every
    page; `footer`: "Page N of M" at the bottom of every page."""
    path = Path(path)
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    c.setTitle("lexcop test document")
    total = len(pages)
    for number, lines in enumerate(pages, start=1):
        if header:
            _draw(c, header, PAGE_W / 2 - stringWidth(header, "Helvetica", 8) / 2, 40, "Helvetica", 8)
        if footer:
            foot = f"Page {number} of {total}"
            _draw(c, foot, PAGE_W / 2 - stringWidth(foot, "Helvetica", 8) / 2, PAGE_H - 40, "Helvetica", 8)
        y = TOP_Y
        for t in lines:
            y = t.y if t.y is not None else y
            font = "Helvetica-Bold" if t.bold else "Helvetica"
            _draw(c, t.text, t.x, y, font, t.size)
            if t.note:
                for k, note_line in enumerate(t.note.split("\n")):
                    _draw(c, note_line, NOTE_X, y + k * (NOTE_SIZE + 2), "Helvetica", NOTE_SIZE)
            if t.strike:
                _strike(c, t, y, font)
            y += LEADING
        c.showPage()
    c.save()
    return path


def _draw(c: canvas.Canvas, text: str, x: float, y_top: float, font: str, size: float) -> None:
    c.setFont(font, size)
    c.drawString(x, PAGE_H - y_top, text)


def _strike(c: canvas.Canvas, t: Text, y_top: float, font: str) -> None:
    """A thin rule through the middle of the x-height of `t.strike` within `t.text`."""
    i = t.text.index(t.strike)
    x0 = t.x + stringWidth(t.text[:i], font, t.size)
    x1 = x0 + stringWidth(t.strike, font, t.size)
    c.setLineWidth(0.6)
    baseline = PAGE_H - y_top
    c.line(x0, baseline + 0.3 * t.size, x1, baseline + 0.3 * t.size)


def blank_pages(path: str | Path, n: int, text: str = "This page has a line of text on it, {n}.") -> Path:
    """`n` pages of one short line each: a long document that is quick to write."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    for k in range(1, n + 1):
        c.setFont("Helvetica", 10)
        c.drawString(BODY_X, PAGE_H - TOP_Y, text.format(n=k))
        c.showPage()
    c.save()
    return Path(path)
