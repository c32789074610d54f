"""Layout features a statute PDF throws at the parser, one generated PDF per feature.

Each test writes a small PDF with reportlab (tests/pdfgen.py), parses it with
`parse_document` on both engines and checks the provision tree it gets: ids, kinds,
labels, headings, pages and the text in force.
"""
from __future__ import annotations

import pytest

from lexcop.ingest import parse_document
from lexcop.models import ParsedDocument, Provision, SourceDoc

from pdfgen import BODY_X, Text, body, columns, make_pdf

DOC = "tst/act/2024/test-act"
ENGINES = pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])


def parse(path, engine: str) -> ParsedDocument:
    src = SourceDoc(path=str(path), iso3="tst", lang="en", title="Test Act", doc_id=DOC, file=path.name)
    return parse_document(src, engine)


def by_eid(doc: ParsedDocument) -> dict[str, Provision]:
    return {p.eid: p for p in doc.provisions}


def text_of(doc: ParsedDocument, p: Provision) -> str:
    return doc.text[p.start:p.end]


def sections(doc: ParsedDocument) -> list[tuple[str, str]]:
    return [(p.eid, p.heading) for p in doc.provisions if p.kind == "section"]


# ------------------------------------------------------------ header and footer

@ENGINES
def test_running_header_and_footer_are_not_text(tmp_path, engine):
    pages = [
        body(Text("TEST ACT", bold=True),
             "An Act of Parliament to make provision for the protection of children.", None,
             "1. This Act may be cited as the Test Act and comes into force on the date",
             "appointed by the Minister by notice in the Gazette.", None,
             "2. In this Act, unless the context otherwise requires, \"child\" means a",
             "person who has not attained the age of eighteen years, and \"material\""),
        body("includes any book, film, recording or electronic record of any kind.", None,
             "3. A person who publishes child sexual abuse material commits an offence and",
             "is liable on conviction to imprisonment for a term not exceeding ten years."),
        body("4. This Act binds the State and applies within and outside the territory.",
             "Nothing in this Act limits any other written law in force on its commencement."),
    ]
    pdf = make_pdf(tmp_path / "act.pdf", pages, header="Child Online Protection Act", footer=True)
    doc = parse(pdf, engine)

    assert [eid for eid, _ in sections(doc)] == ["sec_1", "sec_2", "sec_3", "sec_4"]
    for furniture in ("Child Online Protection Act", "Page 1 of 3", "Page 2 of 3", "Page 3 of 3"):
        assert furniture not in doc.text
        assert furniture in doc.furniture
    # a section running over a page break reads on without the footer and header between
    sec2 = by_eid(doc)["sec_2"]
    assert (sec2.page_first, sec2.page_last) == (1, 2)
    assert text_of(doc, sec2).rstrip().split("\n")[-1].startswith("includes any book, film")
    assert "\"material\"\nincludes any book" in text_of(doc, sec2)
    sec3, sec4 = by_eid(doc)["sec_3"], by_eid(doc)["sec_4"]
    assert (sec3.page_first, sec3.page_last) == (2, 2)
    assert (sec4.page_first, sec4.page_last) == (3, 3)
    assert text_of(doc, sec4).rstrip().endswith("in force on its commencement.")
    assert doc.page_starts[1] == doc.text.index("includes any book")


# ---------------------------------------------------------------- margin notes

MARGIN_BODY = [
    "An Act of Parliament to make provision for the protection of children online.", None,
    Text("1. This Act may be cited as the Test Act, 2024, and shall come into force on", note="Short title"),
    "such date as the Minister may, by notice in the Gazette, appoint.", None,
    Text("2. In this Act, unless the context otherwise requires, \"child\" means a person", note="Interpretation"),
    "who has not attained the age of eighteen years.", None,
    Text("24. (1) A person who publishes child sexual abuse material commits an offence", note="Indecent\nmaterial"),
    "and is liable on conviction to imprisonment for a term not exceeding ten years.",
    "(2) It is a defence to a charge under subsection (1) that the material was used",
    "for a genuine law enforcement purpose.", None,
    Text("25. A person who aids or abets the commission of an offence under this Act", note="Aiding and abetting"),
    "commits an offence and is liable to the penalty for that offence.",
]


@ENGINES
def test_margin_notes_become_headings(tmp_path, engine):
    pdf = make_pdf(tmp_path / "notes.pdf", [body(*MARGIN_BODY)], header="Test Act 2024", footer=True)
    doc = parse(pdf, engine)

    assert sections(doc) == [("sec_1", "Short title"), ("sec_2", "Interpretation"),
                             ("sec_24", "Indecent material"), ("sec_25", "Aiding and abetting")]
    p = by_eid(doc)
    assert p["sec_24__subsec_1"].parent == f"{DOC}~sec_24"
    assert p["sec_24__subsec_2"].heading == ""
    for note in ("Short title", "Interpretation", "Indecent", "Aiding and abetting"):
        assert note not in doc.text  # the margin is not part of the text in force
    assert text_of(doc, p["sec_1"]).startswith("1. This Act may be cited as the Test Act, 2024")


@ENGINES
def test_margin_note_in_small_font_becomes_heading(tmp_path, engine, monkeypatch):
    import pdfgen

    monkeypatch.setattr(pdfgen, "NOTE_SIZE", 7.0)  # 7 pt notes beside 10 pt text
    pdf = make_pdf(tmp_path / "notes7.pdf", [body(*MARGIN_BODY)])
    doc = parse(pdf, engine)
    assert sections(doc) == [("sec_1", "Short title"), ("sec_2", "Interpretation"),
                             ("sec_24", "Indecent material"), ("sec_25", "Aiding and abetting")]


@ENGINES
def test_margin_notes_of_adjacent_one_line_sections(tmp_path, engine):
    pdf = make_pdf(tmp_path / "adjacent.pdf", [body(
        "An Act of Parliament to make provision for the protection of children online.", None,
        Text("1. This Act may be cited as the Test Act, 2024.", note="Short title"),
        Text("2. This Act binds the State and applies throughout the territory.", note="Application"),
        Text("3. In this Act, unless the context otherwise requires, \"child\" means a person", note="Interpretation"),
        "who has not attained the age of eighteen years.",
    )])
    doc = parse(pdf, engine)
    assert sections(doc) == [("sec_1", "Short title"), ("sec_2", "Application"), ("sec_3", "Interpretation")]


# ----------------------------------------------------------- table of contents

BODY_SECTIONS = [
    Text("THE TEST ACT, 2024", bold=True),
    "An Act of Parliament to make provision for the protection of children online.", None,
    Text("PART I—PRELIMINARY", bold=True), None,
    Text("1. This Act may be cited as the Test Act, 2024, and shall come into force on", note="Short title"),
    "such date as the Minister may, by notice in the Gazette, appoint.", None,
    Text("2. In this Act, unless the context otherwise requires, \"child\" means a person", note="Interpretation"),
    "who has not attained the age of eighteen years.", None,
    Text("3. This Act applies to every offence committed wholly or partly within the", note="Application"),
    "territory, or by a citizen of the territory outside it.", None,
    Text("PART II—OFFENCES", bold=True), None,
    Text("4. A person who publishes child sexual abuse material commits an offence and", note="Publication"),
    "is liable on conviction to imprisonment for a term not exceeding ten years.",
]
TOC_ENTRIES = ["1. Short title.", "2. Interpretation.", "3. Application.", "4. Publication of child sexual abuse material."]


def _check_toc_dropped(doc: ParsedDocument, parts: bool = True) -> None:
    assert sections(doc) == [("sec_1", "Short title"), ("sec_2", "Interpretation"),
                             ("sec_3", "Application"), ("sec_4", "Publication")]
    p = by_eid(doc)
    assert [p[e].page_first for e in ("sec_1", "sec_2", "sec_3", "sec_4")] == [2, 2, 2, 2]
    assert text_of(doc, p["sec_1"]).startswith("1. This Act may be cited as the Test Act, 2024")
    assert text_of(doc, p["sec_1"]).rstrip().endswith("by notice in the Gazette, appoint.")
    # the TOC's lines stay in the text (they are printed), but no provision starts there
    assert doc.text.index("1. Short title") < doc.page_starts[1]
    assert all(q.start >= doc.page_starts[1] for q in doc.provisions)
    if parts:
        got = [(q.eid, q.label, q.heading, q.page_first) for q in doc.provisions if q.kind == "part"]
        assert got == [("part_I", "I", "PRELIMINARY", 2), ("part_II", "II", "OFFENCES", 2)]
        assert p["sec_1"].parent == f"{DOC}~part_I"
        assert p["sec_4"].parent == f"{DOC}~part_II"


@ENGINES
def test_table_of_contents_is_not_provisions(tmp_path, engine):
    toc = body(Text("THE TEST ACT, 2024", bold=True), Text("ARRANGEMENT OF SECTIONS", bold=True), None,
               "PART I—PRELIMINARY", *TOC_ENTRIES[:3], "PART II—OFFENCES", TOC_ENTRIES[3])
    pdf = make_pdf(tmp_path / "toc.pdf", [toc, body(*BODY_SECTIONS)], header="Test Act 2024", footer=True)
    _check_toc_dropped(parse(pdf, engine))


@ENGINES
def test_arrangement_of_sections_directly_before_entries(tmp_path, engine):
    toc = body(Text("THE TEST ACT, 2024", bold=True), Text("ARRANGEMENT OF SECTIONS", bold=True), *TOC_ENTRIES)
    body_lines = [x for x in BODY_SECTIONS if not (isinstance(x, Text) and x.text.startswith("PART"))]
    pdf = make_pdf(tmp_path / "toc2.pdf", [toc, body(*body_lines)], header="Test Act 2024", footer=True)
    _check_toc_dropped(parse(pdf, engine), parts=False)


@ENGINES
def test_toc_entries_without_full_stops(tmp_path, engine):
    # "1. Short title" ends in a reference word ("title"), so "2. Interpretation" does not open
    # in the TOC; the TOC is still recognised from the other entries.
    toc = body(Text("THE TEST ACT, 2024", bold=True), Text("ARRANGEMENT OF SECTIONS", bold=True), None,
               "PART I—PRELIMINARY", *[e.rstrip(".") for e in TOC_ENTRIES[:3]], "PART II—OFFENCES",
               TOC_ENTRIES[3].rstrip("."))
    pdf = make_pdf(tmp_path / "toc3.pdf", [toc, body(*BODY_SECTIONS)], header="Test Act 2024", footer=True)
    _check_toc_dropped(parse(pdf, engine))


@ENGINES
def test_part_heading_near_the_top_of_toc_and_body_pages(tmp_path, engine):
    toc = body(Text("ARRANGEMENT OF SECTIONS", bold=True), "PART I—PRELIMINARY", *TOC_ENTRIES[:3],
               "PART II—OFFENCES", TOC_ENTRIES[3])
    body_lines = BODY_SECTIONS[3:]  # the body page starts with "PART I—PRELIMINARY"
    pdf = make_pdf(tmp_path / "toc4.pdf", [toc, body(*body_lines)], header="Test Act 2024", footer=True)
    doc = parse(pdf, engine)
    assert "PART I—PRELIMINARY" not in doc.furniture
    _check_toc_dropped(doc)


# ------------------------------------------------------------- nested numbering

@ENGINES
def test_nested_numbering(tmp_path, engine):
    ind = [BODY_X, BODY_X + 18, BODY_X + 36, BODY_X + 54]
    pdf = make_pdf(tmp_path / "nested.pdf", [body(
        Text("23. This Part applies to conduct involving a child within the territory.", note="Application of Part"),
        None,
        Text("24. (1) A person who, intentionally or recklessly—", note="Indecent\nmaterial"),
        Text("(a) publishes child sexual abuse material through a computer system;", x=ind[1]),
        Text("(b) produces child sexual abuse material for the purpose of its", x=ind[1]),
        Text("publication through a computer system, including by—", x=ind[2]),
        Text("(i) offering or making it available;", x=ind[2]),
        Text("(ii) distributing or transmitting it,", x=ind[2]),
        Text("commits an offence.", x=ind[0]),
        "(2) A person who commits an offence under subsection (1) is liable on conviction",
        "to imprisonment for a term not exceeding ten years.", None,
        Text("25. A person who aids or abets the commission of an offence under section", note="Aiding"),
        "24 commits an offence.",
    )])
    doc = parse(pdf, engine)
    got = [(p.eid, p.kind, p.label, p.depth) for p in doc.provisions]
    assert got == [
        ("sec_23", "section", "23", 0),
        ("sec_24", "section", "24", 0),
        ("sec_24__subsec_1", "subsection", "1", 1),
        ("sec_24__subsec_1__para_a", "paragraph", "a", 2),
        ("sec_24__subsec_1__para_b", "paragraph", "b", 2),
        ("sec_24__subsec_1__para_b__subpara_i", "subparagraph", "i", 3),
        ("sec_24__subsec_1__para_b__subpara_ii", "subparagraph", "ii", 3),
        ("sec_24__subsec_2", "subsection", "2", 1),
        ("sec_25", "section", "25", 0),
    ]
    p = by_eid(doc)
    assert p["sec_24__subsec_1__para_a"].id == f"{DOC}~sec_24__subsec_1__para_a"
    assert p["sec_24__subsec_1__para_b__subpara_i"].parent == f"{DOC}~sec_24__subsec_1__para_b"
    assert p["sec_24"].heading == "Indecent material"
    assert text_of(doc, p["sec_24__subsec_1__para_a"]).strip() == \
        "(a) publishes child sexual abuse material through a computer system;"
    assert text_of(doc, p["sec_24__subsec_1__para_b__subpara_ii"]).startswith("(ii) distributing")
    assert "(2) A person" in text_of(doc, p["sec_24"])
    assert text_of(doc, p["sec_24__subsec_2"]).startswith("(2) A person who commits")


@ENGINES
def test_item_after_semicolon_or_opens(tmp_path, engine):
    doc = parse(make_pdf(tmp_path / "or.pdf", [body(
        Text("7. (1) A person commits an offence who—", note="Grooming"),
        Text("(a) arranges to meet a child for a sexual purpose; or", x=BODY_X + 18),
        Text("(b) sends sexual material to a child; and", x=BODY_X + 18),
        Text("(c) does so by means of a computer system.", x=BODY_X + 18),
        "(2) A person who commits an offence under subsection (1) is liable to a fine.",
    )]), engine)
    assert [p.eid for p in doc.provisions] == [
        "sec_7", "sec_7__subsec_1", "sec_7__subsec_1__para_a", "sec_7__subsec_1__para_b",
        "sec_7__subsec_1__para_c", "sec_7__subsec_2"]


@ENGINES
def test_paragraph_i_after_h_is_a_paragraph(tmp_path, engine):
    """"(i)" after "(h)" is the ninth letter, not roman one (test_nested_numbering has the roman kind)."""
    letters = "abcdefghij"
    lines = [Text("5. (1) A person commits an offence who—", note="Offences")]
    lines += [Text(f"({c}) does the thing numbered {c} in this list;", x=BODY_X + 18) for c in letters]
    lines += ["(2) A person who commits an offence under subsection (1) is liable to a fine."]
    doc = parse(make_pdf(tmp_path / "letters.pdf", [body(*lines)]), engine)
    paras = [(p.eid, p.kind) for p in doc.provisions if p.depth == 2]
    assert paras == [(f"sec_5__subsec_1__para_{c}", "paragraph") for c in letters]
    assert by_eid(doc)["sec_5__subsec_2"].label == "2"


# ------------------------------------------------------------- cross-references

@ENGINES
def test_wrapped_cross_reference_does_not_start_a_provision(tmp_path, engine):
    pdf = make_pdf(tmp_path / "xref.pdf", [body(
        Text("23. In this Part, \"offence\" means an offence under this Act.", note="Interpretation"), None,
        Text("24. (1) A person who publishes child sexual abuse material commits an", note="Publication"),
        "offence.",
        "(2) A person who is convicted of an offence under section",
        "24(1) of this Act is liable to imprisonment for a term not exceeding ten years.",
        "(3) The court may order the forfeiture of any device used to commit an offence",
        "under subsection",
        "(1) of this section.", None,
        Text("25. A person who attempts to commit an offence under section 24 commits", note="Attempts"),
        "an offence.",
    )])
    doc = parse(pdf, engine)
    assert [p.eid for p in doc.provisions] == [
        "sec_23", "sec_24", "sec_24__subsec_1", "sec_24__subsec_2", "sec_24__subsec_3", "sec_25"]
    p = by_eid(doc)
    assert "24(1) of this Act is liable" in text_of(doc, p["sec_24__subsec_2"])
    assert text_of(doc, p["sec_24__subsec_3"]).rstrip().endswith("under subsection\n(1) of this section.")
    assert p["sec_25"].heading == "Attempts"


# ----------------------------------------------------------- struck-through text

@ENGINES
def test_struck_through_text_is_revoked_not_in_force(tmp_path, engine):
    pdf = make_pdf(tmp_path / "struck.pdf", [body(
        Text("1. This Act may be cited as the Test Act, 2024.", note="Short title"), None,
        Text("2. A person who publishes obscene material commits an offence.", note="Publication",
             strike="obscene "),
        "The penalty is imprisonment for five years or a fine.", None,
        Text("3. Any person who transmits such material by post shall be liable.", note="Transmission",
             strike="Any person who transmits such material by post shall be liable."),
        "A person who transmits such material by any means commits an offence.",
    )])
    doc = parse(pdf, engine)

    assert "obscene" not in doc.text
    assert "by post" not in doc.text
    assert "2. A person who publishes material commits an offence." in doc.text
    revoked = [r.text for r in doc.revoked]
    assert revoked == ["obscene", "Any person who transmits such material by post shall be liable."]
    assert [r.page for r in doc.revoked] == [1, 1]
    p = by_eid(doc)
    assert p["sec_2"].revoked_text == "obscene"
    assert p["sec_3"].revoked_text == "Any person who transmits such material by post shall be liable."
    assert p["sec_1"].revoked_text == ""
    # the number stays in force; the struck wording after it does not
    assert text_of(doc, p["sec_3"]).startswith("3.\nA person who transmits such material by any means")
    assert [eid for eid, _ in sections(doc)] == ["sec_1", "sec_2", "sec_3"]


# ----------------------------------------------------------------- hyphenation

@ENGINES
def test_end_of_line_hyphenation_is_repaired(tmp_path, engine):
    pdf = make_pdf(tmp_path / "hyphen.pdf", [body(
        Text("1. A person who, by means of an electronic communi-", note="Electronic\ncommunication"),
        "cation, sends a message to a child commits an offence.", None,
        Text("2. This section applies to cross-border conduct and to conduct within the", note="Cross-border\nconduct"),
        "territory, and a reference to cross-",
        "border conduct includes conduct on a network abroad.", None,
        Text("3. The Minister may make regulations for the better carrying out of the provi-", note="Regulations"),
        "sions of this Act.",
    )])
    doc = parse(pdf, engine)

    assert "communi-" not in doc.text
    assert "electronic communication," in doc.text
    assert "\nsends a message to a child" in doc.text  # the lower line keeps its own start
    assert "out of the provisions\nof this Act." in doc.text
    # the document spells "cross-border" with a hyphen elsewhere: keep it
    assert "reference to cross-border\nconduct includes" in doc.text
    assert [eid for eid, _ in sections(doc)] == ["sec_1", "sec_2", "sec_3"]
    assert by_eid(doc)["sec_1"].heading == "Electronic communication"


# ------------------------------------------------------------------ two columns

COLUMN_LEFT = [
    "1. This Act may be cited as the",
    "Test Act, 2024, and comes into",
    "force on the date of assent.", None,
    "2. In this Act, \"child\" means a",
    "person who has not attained",
    "the age of eighteen years.", None,
    "3. A person who publishes child",
    "sexual abuse material commits",
]
COLUMN_RIGHT = [
    "an offence and is liable to",
    "imprisonment for ten years.", None,
    "4. A person who aids or abets",
    "an offence under section 3",
    "commits that offence.", None,
    "5. The Minister may make",
    "regulations under this Act for",
    "the purposes of this Act.",
]


def _check_columns(doc: ParsedDocument) -> None:
    assert [eid for eid, _ in sections(doc)] == ["sec_1", "sec_2", "sec_3", "sec_4", "sec_5"]
    p = by_eid(doc)
    assert text_of(doc, p["sec_3"]).rstrip().split("\n") == [
        "3. A person who publishes child", "sexual abuse material commits",
        "an offence and is liable to", "imprisonment for ten years."]
    assert text_of(doc, p["sec_5"]).rstrip().endswith("the purposes of this Act.")
    assert doc.text.index("the age of eighteen years.") < doc.text.index("an offence and is liable to")
    # no line mixes the two columns
    assert "Test Act, 2024, and comes into\n" in doc.text


@ENGINES
def test_two_columns_read_left_then_right(tmp_path, engine):
    doc = parse(make_pdf(tmp_path / "columns.pdf", [columns(COLUMN_LEFT, COLUMN_RIGHT)]), engine)
    _check_columns(doc)


@ENGINES
@pytest.mark.parametrize("title", [
    Text("THE CHILD ONLINE PROTECTION (TEST) ACT, 2024", bold=True, x=180, y=60),  # across both columns
    Text("TEST ACT", bold=True, x=250, y=60),  # short and centred, inside the gutter
], ids=["full-width-title", "short-centred-title"])
def test_two_columns_under_a_title(tmp_path, engine, title):
    doc = parse(make_pdf(tmp_path / "columns.pdf", [[title] + columns(COLUMN_LEFT, COLUMN_RIGHT)]), engine)
    assert doc.text.startswith(f"{title.text}\n1. This Act")
    _check_columns(doc)
