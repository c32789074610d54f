"""Stable, readable identifiers (FRBR work ids and Akoma Ntoso eIds, as laws.africa uses).

A document: `<iso3>/<doc_type>/<year>/<slug of the short title>`, e.g.
`ken/act/2018/computer-misuse-and-cybercrimes-act`. A provision: the document id, `~`,
and the eId built from the numbering, e.g. `...~sec_24__subsec_1__para_d`. Ids come from
what is printed, never from a position in a file, so re-parsing gives the same ids.
"""
from __future__ import annotations

import re
import unicodedata

JURISDICTION = r"(?:[a-z]{3}|intl)"  # ISO 3166 alpha-3, or `intl` for treaties and conventions
DOC_ID = re.compile(rf"^{JURISDICTION}/[a-z_]+/[0-9a-z]+/[a-z0-9][a-z0-9.\-]*$")


def is_jurisdiction(code: str) -> bool:
    return re.fullmatch(JURISDICTION, code.lower()) is not None


def slugify(text: str, max_len: int = 80) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_len].rstrip("-") or "document"


def document_id(iso3: str, doc_type: str, year: str | int | None, title: str) -> str:
    year_part = str(year) if year and re.fullmatch(r"\d{4}", str(year)) else "nd"
    return f"{iso3.lower()}/{slugify(doc_type or 'doc').replace('-', '_')}/{year_part}/{slugify(title)}"


def provision_id(doc_id: str, eid: str) -> str:
    return f"{doc_id}~{eid}"


def split_provision_id(pid: str) -> tuple[str, str]:
    doc, _, eid = pid.partition("~")
    return doc, eid


def year_from(*texts: str) -> str:
    """The first plausible enactment year in a file name or citation: 'act-2018.pdf' -> 2018."""
    for text in texts:
        found = re.findall(r"(?<!\d)(1[6-9]\d\d|20\d\d)(?!\d)", text or "")
        if found:
            return found[-1] if text.endswith(".pdf") else found[0]
    return ""
