"""The only module that imports a PDF library.

Two engines stand behind one interface and hand the rest of lexcop the same thing: a
stream of `Page` records whose lines were built by *one* shared routine from glyph boxes
and thin horizontal rules. Because line building is shared, the engines can only differ
where the libraries read the glyphs differently, which is what the engine-agreement test
measures.

- `pdfium` (default): pypdfium2, one ctypes call per glyph for its box.
- `pdfplumber`: the reference engine, slower, for checking and for pages whose text the
  fast engine cannot use.
"""
from __future__ import annotations

import ctypes
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace

from .errors import CorruptPdf, EmptyFile, EncryptedPdf, MissingFile, NotAPdf, TooManyPages
from .models import Line, Page

ENGINES = ("pdfium", "pdfplumber")
DEFAULT_MAX_PAGES = 3000

_BLANK = frozenset(" \r\n\t\x00\xa0")

# Glyph tuple layout used below: (centre_y, top, bottom, x0, x1, char, index, spaced)
# `spaced`: the engine's own text stream had a space just before this glyph. A bold "f"
# overhangs to the left and can close the visible gap of "related forgery".
_CY, _TOP, _BOTTOM, _X0, _X1, _CH, _IDX, _SP = range(8)


@dataclass(frozen=True)
class LineSettings:
    """Tolerances for building lines from glyphs, in units of the glyph box height."""

    space_gap: float = 0.13  # wider gap than this between glyphs is a word space
    split_gap: float = 1.6  # wider than this splits a row into fragments (margins, columns)
    strike_band: tuple[float, float] = (0.25, 0.75)  # rule height within the glyph box
    max_rule_thickness: float = 2.0  # points; thicker shapes are boxes, not strokes


SETTINGS = LineSettings()


def check_file(path: str) -> None:
    """Cheap checks before any library sees the file; each failure names the remedy."""
    if not os.path.exists(path):
        raise MissingFile("file not found", path=path, remedy="check the path or run `lexcop corpus sync`")
    if os.path.getsize(path) == 0:
        raise EmptyFile("the file is empty (0 bytes)", path=path, remedy="download it again")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        kind = _sniff(head)
        raise NotAPdf(f"not a PDF ({kind})", path=path, remedy="give lexcop the statute as a PDF file")


def _sniff(head: bytes) -> str:
    if head.startswith(b"PK"):
        return "looks like a ZIP/Office file"
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return "looks like an HTML page, perhaps a download error page"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "looks like an image"
    return "no %PDF- header"


def open_pdf(path: str, engine: str = "pdfium", max_pages: int = DEFAULT_MAX_PAGES) -> "PdfSource":
    check_file(path)
    if engine == "pdfium":
        return PdfiumSource(path, max_pages)
    if engine == "pdfplumber":
        return PlumberSource(path, max_pages)
    raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")


class PdfSource:
    """Context manager over one PDF; `pages()` streams pages so memory stays flat."""

    name = "base"
    path: str
    n_pages: int

    def __enter__(self) -> "PdfSource":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:  # pragma: no cover - overridden
        pass

    def pages(self) -> Iterator[Page]:  # pragma: no cover - overridden
        raise NotImplementedError

    def _check_size(self, max_pages: int) -> None:
        if self.n_pages == 0:
            self.close()
            raise CorruptPdf("the PDF has no pages", path=self.path, remedy="download it again")
        if self.n_pages > max_pages:
            self.close()
            raise TooManyPages(
                f"{self.n_pages} pages, more than the limit of {max_pages}",
                path=self.path,
                remedy="split the file, or raise the limit with --max-pages",
            )


# ---------------------------------------------------------------------------- pdfium

class PdfiumSource(PdfSource):
    name = "pdfium"

    def __init__(self, path: str, max_pages: int):
        import pypdfium2 as pdfium

        self.path = path
        try:
            self._doc = pdfium.PdfDocument(path)
        except pdfium.PdfiumError as exc:
            raise _pdfium_error(exc, path) from None
        self.n_pages = len(self._doc)
        self._check_size(max_pages)

    def close(self) -> None:
        if getattr(self, "_doc", None) is not None:
            self._doc.close()
            self._doc = None

    def pages(self) -> Iterator[Page]:
        for i in range(self.n_pages):
            try:
                page = self._doc[i]
            except Exception as exc:  # pypdfium2 raises PdfiumError on broken page trees
                raise CorruptPdf(f"page {i + 1} cannot be read ({exc})", path=self.path,
                                 remedy="repair the file (e.g. qpdf) or download it again") from None
            try:
                yield _pdfium_page(page, i + 1)
            finally:
                page.close()


def _pdfium_error(exc: Exception, path: str) -> Exception:
    code = getattr(exc, "err_code", None)
    if code == 4 or "password" in str(exc).lower():
        return EncryptedPdf("the PDF is encrypted with a password", path=path,
                            remedy="open it with the password and save an unencrypted copy (e.g. qpdf --decrypt)")
    return CorruptPdf(f"the PDF cannot be read ({exc})", path=path,
                      remedy="the file is damaged or truncated: download it again or repair it (e.g. qpdf)")


def _pdfium_page(page, number: int) -> Page:
    import pypdfium2.raw as raw

    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        n = textpage.count_chars()
        text = textpage.get_text_range() if n else ""
        if len(text) != n:  # PDFium may insert or drop chars; fall back to one call per glyph
            text = "".join(chr(raw.FPDFText_GetUnicode(handle, i) or 32) for i in range(n))
        glyphs = []
        rect = raw.FS_RECTF()
        prect = ctypes.byref(rect)
        box = raw.FPDFText_GetLooseCharBox
        append = glyphs.append
        spaced = False
        for i, ch in enumerate(text):
            if ch in _BLANK or ch.isspace():
                spaced = ch == " "
                continue
            box(handle, i, prect)
            top, bottom = height - rect.top, height - rect.bottom
            append(((top + bottom) * 0.5, top, bottom, rect.left, rect.right, ch, i, spaced))
            spaced = False

        name_buf = ctypes.create_string_buffer(256)

        def font_of(idx: int):
            # The font's name where PDFium can read it, else the font object's identity:
            # PDFium cannot name fonts whose descriptor lacks a FontBBox (common in
            # generated PDFs), but it always knows which font object it is.
            n = raw.FPDFText_GetFontInfo(handle, idx, name_buf, 256, None)
            if n > 1:
                return _base_font(name_buf.value.decode("latin-1", "replace"))
            obj = raw.FPDFText_GetTextObject(handle, idx)
            return ctypes.cast(raw.FPDFTextObj_GetFont(obj), ctypes.c_void_p).value if obj else None

        rules = _pdfium_rules(page, height) if glyphs else []
        lines = build_lines(glyphs, rules, font_of)
    finally:
        textpage.close()
    return Page(number, width, height, lines, len(glyphs))


def _pdfium_rules(page, height: float) -> list[tuple[float, float, float]]:
    """Thin horizontal strokes and filled bars: candidates for strike-through lines."""
    import pypdfium2.raw as raw

    out = []
    l, b, r, t = (ctypes.c_float() for _ in range(4))
    get, kind, bounds, path = raw.FPDFPage_GetObject, raw.FPDFPageObj_GetType, raw.FPDFPageObj_GetBounds, raw.FPDF_PAGEOBJ_PATH
    handle = page.raw
    thick = SETTINGS.max_rule_thickness
    for i in range(raw.FPDFPage_CountObjects(handle)):
        obj = get(handle, i)
        if kind(obj) != path or not bounds(obj, l, b, r, t):
            continue
        if t.value - b.value <= thick and r.value - l.value > 2:
            out.append((l.value, r.value, height - (t.value + b.value) / 2))
    return out


# ------------------------------------------------------------------------ pdfplumber

class PlumberSource(PdfSource):
    name = "pdfplumber"

    def __init__(self, path: str, max_pages: int):
        import logging

        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect

        logging.getLogger("pdfminer").setLevel(logging.ERROR)
        self.path = path
        try:
            self._pdf = pdfplumber.open(path)
            self.n_pages = len(self._pdf.pages)
        except Exception as exc:
            # pdfplumber wraps pdfminer's errors: PdfminerException(PDFPasswordIncorrect())
            if isinstance(exc, PDFPasswordIncorrect) or any(isinstance(a, PDFPasswordIncorrect) for a in exc.args):
                raise EncryptedPdf("the PDF is encrypted with a password", path=path,
                                   remedy="open it with the password and save an unencrypted copy (e.g. qpdf --decrypt)") from None
            raise CorruptPdf(f"the PDF cannot be read ({type(exc).__name__}: {exc})", path=path,
                             remedy="the file is damaged or truncated: download it again or repair it (e.g. qpdf)") from None
        self._check_size(max_pages)

    def close(self) -> None:
        if getattr(self, "_pdf", None) is not None:
            self._pdf.close()
            self._pdf = None

    def pages(self) -> Iterator[Page]:
        for i, page in enumerate(self._pdf.pages):
            try:
                yield _plumber_page(page, i + 1)
            finally:
                page.close()  # drops pdfplumber's per-page caches: memory stays flat


def _plumber_page(page, number: int) -> Page:
    chars = page.chars
    glyphs = []
    spaced = False
    for i, c in enumerate(chars):
        ch = c["text"]
        if not ch or ch.isspace():
            spaced = ch == " "
            continue
        top, bottom = c["top"], c["bottom"]
        glyphs.append(((top + bottom) / 2, top, bottom, c["x0"], c["x1"], ch, i, spaced))
        spaced = False
    rules = []
    for obj in (*page.rects, *page.lines):
        if obj["bottom"] - obj["top"] <= SETTINGS.max_rule_thickness and obj["x1"] - obj["x0"] > 2:
            rules.append((obj["x0"], obj["x1"], (obj["top"] + obj["bottom"]) / 2))

    def font_of(idx: int):
        return _base_font(chars[idx].get("fontname") or "")

    return Page(number, float(page.width), float(page.height), build_lines(glyphs, rules, font_of), len(glyphs))


_EMPHASIS = re.compile(r"bold|black|heavy|semibold|demi|italic|oblique|-bd\b|-it\b", re.IGNORECASE)


def _emphasised(font, body) -> bool:
    """Bold or italic by the font's name; where PDFium cannot name the font, any font
    other than the page's body font."""
    if isinstance(font, str) and font:
        return bool(_EMPHASIS.search(font))
    return font != body


def _base_font(name: str) -> str:
    """'EAAGBA+Arial-BoldMT' -> 'Arial-BoldMT': two subsets of one font are one font."""
    return re.sub(r"^[A-Z]{6}\+", "", name)


# -------------------------------------------------------------- shared line building

def build_lines(glyphs: list, rules: list, font_of) -> tuple[Line, ...]:
    """Group glyphs into rows by vertical position, then into fragments by horizontal gaps.

    A fragment never spans a gap wider than `split_gap` glyph heights: that is how a
    marginal note, a second column or a right-aligned page number stays separate from the
    body line printed on the same baseline. A line is `bold` (emphasised) when its first
    and last glyphs are set in a font other than the page's body font: headings are bold
    or italic in the layouts we know, and both engines can tell fonts apart even where
    PDFium cannot name them.
    """
    if not glyphs:
        return ()
    glyphs.sort()
    built = []
    weight: dict = {}
    for frag in _split(glyphs):
        line, first, last = _make_line(frag, rules)
        fonts = (font_of(first), font_of(last))
        weight[fonts[0]] = weight.get(fonts[0], 0) + len(line.text)
        built.append((line, fonts))
    body = max(weight, key=weight.get)
    emph: dict = {}
    out = []
    for line, (f0, f1) in built:
        e0 = emph[f0] if f0 in emph else emph.setdefault(f0, _emphasised(f0, body))
        e1 = emph[f1] if f1 in emph else emph.setdefault(f1, _emphasised(f1, body))
        if e0 and e1:
            line = replace(line, bold=True)
        out.append(line)
    out.sort(key=_line_order)
    return tuple(out)


def _line_order(ln: Line) -> tuple:
    return (round(ln.top, 1), ln.x0)


def _by_x0(g: tuple) -> float:
    return g[_X0]


def _split(glyphs: list) -> Iterator[list]:
    """Rows, then fragments; a fragment whose glyphs still sit on two baselines (a
    two-line marginal note in a smaller font, set beside one body line) is split again
    with its own glyph height as the unit."""
    for row in _rows(glyphs):
        row.sort(key=_by_x0)
        for frag in _fragments(row):
            if len(frag) < 2:
                yield frag
                continue
            extent = max([g[_BOTTOM] for g in frag]) - min([g[_TOP] for g in frag])
            if extent < 1.6 * _type_size(sorted([g[_BOTTOM] - g[_TOP] for g in frag])):
                yield frag
                continue
            for r in _rows(sorted(frag)):
                r.sort(key=_by_x0)
                yield from _fragments(r)


def _rows(glyphs: list) -> list[list]:
    """Single-linkage clustering of glyph centres: a new row starts where the sorted
    centres jump by more than half a typical glyph height. Robust to fonts whose boxes
    are tight (a "y" sits lower than an "o") and to raised ordinals and footnote marks."""
    heights = sorted(g[_BOTTOM] - g[_TOP] for g in glyphs[:: max(1, len(glyphs) // 200)])
    limit = 0.45 * max(_type_size(heights), 1.0)
    rows: list[list] = []
    cur: list = [glyphs[0]]
    last = glyphs[0][_CY]
    for g in glyphs[1:]:
        if g[_CY] - last > limit:
            rows.append(cur)
            cur = [g]
        else:
            cur.append(g)
        last = g[_CY]
    rows.append(cur)
    return rows


def _fragments(row: list) -> Iterator[list]:
    """Split a row at gaps wider than `split_gap`, and at narrower gaps where the type
    size changes: a marginal note in small type set close to the body line."""
    heights = [g[_BOTTOM] - g[_TOP] for g in row]
    h = _type_size(sorted(heights)) if heights else 10.0
    limit = SETTINGS.split_gap * h
    # sizes can be compared only where boxes follow the font size (loose boxes): with
    # tight boxes an "o" and a "P" of one font differ more than two fonts do
    loose = sum(1 for x in heights if abs(x - h) <= 0.05 * h) >= 0.6 * len(heights)
    start = 0
    right = row[0][_X1]
    near = 0.6 * h
    for i in range(1, len(row)):
        g = row[i]
        gap = g[_X0] - right
        if gap > near and (gap > limit or (loose and _size_changes(heights, i))):
            yield row[start:i]
            start = i
        if g[_X1] > right:
            right = g[_X1]
    yield row[start:]


def _type_size(sorted_heights: list[float]) -> float:
    """The type size of a run of glyphs, as a box height. Loose boxes are all one height;
    tight boxes (fonts without metrics) vary from a hyphen to a "P", and their 80th
    percentile is close to the loose height."""
    return sorted_heights[int(0.8 * (len(sorted_heights) - 1))]


def _size_changes(heights: list[float], i: int) -> bool:
    """The type is smaller on one side of position i. The tallest glyph of a few on each
    side stands for the type size: fonts with tight boxes make a hyphen tiny and a "P" tall."""
    left = max(heights[max(0, i - 6):i])
    right = max(heights[i:i + 6])
    return min(left, right) < 0.85 * max(left, right)


def _make_line(frag: list, rules: list) -> tuple[Line, int, int]:
    h = _type_size(sorted([g[_BOTTOM] - g[_TOP] for g in frag]))
    top = min([g[_TOP] for g in frag])
    bottom = max([g[_BOTTOM] for g in frag])
    struck = _struck_mask(frag, rules) if rules else None
    space = SETTINGS.space_gap * h
    if struck is None:
        out = [frag[0][_CH]]
        words = [round(frag[0][_X0], 1)]
        prev_x1 = frag[0][_X1]
        bottoms = sorted([g[_BOTTOM] for g in frag])
        raised = bottoms[len(bottoms) // 2] - 0.2 * h  # above the baseline most glyphs share
        small = 0.88 * h
        for g in frag[1:]:
            gap = g[_X0] - prev_x1
            if gap > space or (g[_SP] and gap > -0.3 * h):
                out.append(" ")
                words.append(round(g[_X0], 1))
            ch = g[_CH]
            if (ch in _SUPERSCRIPT and g[_BOTTOM] < raised and g[_BOTTOM] - g[_TOP] < small
                    and (out[-1].isdigit() or out[-1] in "Nn⁰¹²³⁴⁵⁶⁷⁸⁹")):
                ch = _SUPERSCRIPT[ch]  # Статья 6¹, § 1º, nº: the print's raised type after a number
            out.append(ch)
            if g[_X1] > prev_x1:
                prev_x1 = g[_X1]
        text = unicodedata.normalize("NFC", "".join(out))
        if len(text.split(" ")) != len(words):  # a space glyph or NFC merged something
            words = []
        return Line(text, frag[0][_X0], top, prev_x1, bottom, h, words=tuple(words)), frag[0][_IDX], frag[-1][_IDX]
    keep, gone = [], []
    prev_x1 = frag[0][_X0]
    for i, g in enumerate(frag):
        target = gone if struck[i] else keep
        gap = g[_X0] - prev_x1
        if target and (gap > space or (g[_SP] and gap > -0.3 * h)) and target[-1] != " ":
            target.append(" ")
        target.append(g[_CH])
        prev_x1 = max(prev_x1, g[_X1])
    text = unicodedata.normalize("NFC", "".join(keep)).strip()
    kept = [g for i, g in enumerate(frag) if not struck[i]] or frag
    return Line(
        text=text,
        x0=kept[0][_X0] if text else frag[0][_X0],
        top=top,
        x1=max(g[_X1] for g in kept),
        bottom=bottom,
        size=h,
        struck=unicodedata.normalize("NFC", "".join(gone)).strip(),
    ), kept[0][_IDX], kept[-1][_IDX]


# Raised, smaller type after a number: Russian inserted articles (6¹ = 6.1), the
# Portuguese and Spanish ordinal indicator (1º, 1ª), footnote marks.
_SUPERSCRIPT = {**dict(zip("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")), "o": "º", "a": "ª"}


def _struck_mask(frag: list, rules: list) -> list[bool] | None:
    """A glyph is struck through when a thin rule crosses the middle of its line.

    Heights are taken from the whole fragment, not the glyph, because some fonts give
    tight boxes (an "a" is shorter than a "P"). An underline runs near the bottom of the
    line and is ignored; a strike-through crosses the x-height, where Planalto and similar
    consolidations draw it.
    """
    top = min(g[_TOP] for g in frag)
    bottom = max(g[_BOTTOM] for g in frag)
    height = (bottom - top) or 1.0
    lo, hi = SETTINGS.strike_band
    hits = [(x0, x1) for x0, x1, y in rules if lo <= (bottom - y) / height <= hi]
    if not hits:
        return None
    mask = []
    for g in frag:
        cx = (g[_X0] + g[_X1]) / 2
        mask.append(any(x0 - 0.5 <= cx <= x1 + 0.5 for x0, x1 in hits))
    return mask if any(mask) else None


def page_count(path: str, max_pages: int = DEFAULT_MAX_PAGES) -> int:
    """Open the file just far enough to count its pages: every bad-input check runs here,
    before a worker is spent on it."""
    with open_pdf(path, "pdfium", max_pages) as src:
        return src.n_pages
