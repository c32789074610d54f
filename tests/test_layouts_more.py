"""More layouts met in the corpus, each reduced to a generated PDF:

- a table of contents with dot leaders, whose entries may wrap onto a second line;
- treaty style: "Article 1" centred in bold, its title on the next line, paragraphs
  numbered "1", "2" without brackets (not sections);
- an amending Act that inserts sections out of order ("3LA (1) ..." after "478.4");
- raised type after a number: "Статья 6¹" is article 6.1, "§ 1º" keeps its ordinal;
- a section number printed alone in bold (New Zealand), with subsections "1 A ...".
"""
from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from lexcop.ingest import parse_document
from lexcop.models import ParsedDocument, SourceDoc

from pdfgen import BODY_X, PAGE_H, Text, body, make_pdf

ENGINES = pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])


def parse(path, engine: str, lang: str = "en") -> ParsedDocument:
    src = SourceDoc(path=str(path), iso3="tst", lang=lang, title="Test Act", doc_id="tst/act/2024/t", file=path.name)
    return parse_document(src, engine)


def eids(doc: ParsedDocument) -> list[str]:
    return [p.eid for p in doc.provisions]


def by_eid(doc: ParsedDocument) -> dict:
    return {p.eid: p for p in doc.provisions}


@ENGINES
def test_table_of_contents_with_dot_leaders(tmp_path, engine):
    toc = body(
        Text("Contents", bold=True),
        "1. Short title " + "." * 60 + " 2",
        "2. Acts which cause penetration or indecent acts committed within the view of a",
        "family member " + "." * 60 + " 2",
        "SECOND SCHEDULE [s. 49] " + "." * 50 + " 3",
    )
    act = body(
        Text("1. Short title", bold=True),
        "This Act may be cited as the Test Act.",
        Text("2. Acts which cause penetration or indecent acts committed within the view of", bold=True),
        Text("a family member", bold=True),
        "(1) Any person who commits an offence under this section is liable to imprisonment.",
    )
    doc = parse(make_pdf(tmp_path / "toc.pdf", [toc, act]), engine)
    assert eids(doc) == ["sec_1", "sec_2", "sec_2__subsec_1"]
    p = by_eid(doc)
    assert p["sec_1"].heading == "Short title" and p["sec_1"].page_first == 2
    assert p["sec_2"].heading.startswith("Acts which cause penetration")


@ENGINES
def test_treaty_articles_titles_below_and_bare_paragraphs(tmp_path, engine):
    page = body(
        Text("Article 1", bold=True, x=270), Text("Definitions", bold=True, x=268),
        "For the purposes of this Convention:",
        "a) “computer system” means any device or a group of interconnected devices;",
        "b) “computer data” means any representation of facts;",
        Text("Article 2", bold=True, x=270), Text("Illegal access", bold=True, x=265),
        "1 Each Party shall adopt such legislative and other measures as may be necessary.",
        "2 A Party may require that the offence be committed by infringing security measures.",
        Text("Article 3", bold=True, x=270), Text("Illegal interception", bold=True, x=258),
        "Each Party shall adopt such legislative measures as may be necessary.",
        x=80,
    )
    doc = parse(make_pdf(tmp_path / "treaty.pdf", [page]), engine)
    arts = [(p.eid, p.heading) for p in doc.provisions if p.kind == "article"]
    assert arts == [("art_1", "Definitions"), ("art_2", "Illegal access"), ("art_3", "Illegal interception")]
    assert not any(p.kind == "section" for p in doc.provisions), "bare '1 Each Party' is not a section"
    assert [p.label for p in doc.provisions if p.parent and p.parent.endswith("~art_1")] == ["a", "b"]


@ENGINES
def test_amending_act_inserts_sections_out_of_order(tmp_path, engine):
    page = body(
        "478.4 (1) A person commits an offence if the person possesses data with intent.",
        "(2) The offence is punishable by imprisonment for 3 years.",
        None,
        "3LA (1) The executing officer may apply to a magistrate for an order requiring a",
        "specified person to provide any information or assistance that is reasonable.",
        "(2) A person commits an offence if the person fails to comply with the order.",
        None,
        "The fine is set out in section 4AA of the Crimes Act, and",
        "201A (1) An executing officer may apply to a magistrate for an order.",
    )
    doc = parse(make_pdf(tmp_path / "amending.pdf", [page]), engine)
    secs = [p.label for p in doc.provisions if p.kind == "section"]
    # the last one follows a line ending "and": a wrapped sentence, not an insertion
    assert secs == ["478.4", "3LA"]


CYRILLIC_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


def _raised_pdf(path, lines):
    """Lines of (text, raised) runs: raised runs are set smaller and above the baseline."""
    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(CYRILLIC_FONT)))
    c = canvas.Canvas(str(path))
    y = 120.0
    for runs in lines:
        x = BODY_X - 70
        for text, raised in runs:
            size = 7.0 if raised else 11.0
            c.setFont("DejaVuSerif", size)
            c.drawString(x, PAGE_H - y + (4.0 if raised else 0.0), text)
            x += c.stringWidth(text, "DejaVuSerif", size) + (0.5 if raised else 0.0)
        y += 16
    c.save()
    return path


@ENGINES
@pytest.mark.skipif(not CYRILLIC_FONT.exists(), reason=f"no Cyrillic font at {CYRILLIC_FONT} (Debian fonts-dejavu-core)")
def test_raised_number_after_an_article_number_is_a_sub_number(tmp_path, engine):
    pdf = _raised_pdf(tmp_path / "ru.pdf", [
        [("Статья 6. Назначение уголовного судопроизводства", False)],
        [("1. Уголовное судопроизводство имеет своим назначением защиту прав.", False)],
        [("Статья 6", False), ("1", True), (". Разумный срок уголовного судопроизводства", False)],
        [("1. Уголовное судопроизводство осуществляется в разумный срок.", False)],
        [("Статья 7. Законность при производстве по уголовному делу", False)],
    ])
    doc = parse(pdf, engine, lang="ru")
    arts = [(p.eid, p.label) for p in doc.provisions if p.kind == "article"]
    assert arts == [("art_6", "6"), ("art_6.1", "6.1"), ("art_7", "7")]


@ENGINES
def test_number_alone_in_bold_with_bare_subsections(tmp_path, engine):
    page = body(
        Text("145A", bold=True),
        "1 In this section and sections 145B and 145C, child pornography means a publication.",
        "2 Every person commits an offence who exports a publication knowing it is objectionable.",
        "3 Every person who commits an offence against subsection (2) is liable to imprisonment.",
        Text("145B", bold=True),
        "1 A person who is convicted of an offence may be ordered to forfeit the publication.",
    )
    doc = parse(make_pdf(tmp_path / "nz.pdf", [page]), engine)
    assert eids(doc) == ["sec_145A", "sec_145A__subsec_1", "sec_145A__subsec_2", "sec_145A__subsec_3",
                         "sec_145B", "sec_145B__subsec_1"]
