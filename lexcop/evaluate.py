"""Measurements against expert gold files (../shared/gold format).

`structure_accuracy`: of the provisions the gold files cite, the share found as
section-level provisions in the store, compared by leading section label
(`163.1(4)` -> `163.1`, `§ 184b Abs. 3` -> `184b`, `Art. 128 párr. 1` -> `128`).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from .store import Store

_PREFIX = re.compile(r"^\s*(?:§+|Art(?:\.|ículo|igo|ikel|icle)?|Section|Sec\.|Rule|Статья|Article|제)\s*", re.I)
_LABEL = re.compile(r"^((?:[LRD]\.?\s?)?\d+[A-Za-z]*(?:[.\-]\d+[A-Za-z]*|-[A-Z]\b|\.[a-z]\b)*)")


def leading_label(citation: str) -> str:
    """'163.1(4)' -> '163.1'; '§ 184b Abs. 3' -> '184b'; '7º, II, b' -> '7'; 'L34-1 III' -> 'L34-1'."""
    s = _PREFIX.sub("", citation.strip()).replace("º", "").replace("°", "")
    m = _LABEL.match(s)
    return normalise_label(m.group(1)) if m else ""


def normalise_label(label: str) -> str:
    s = _PREFIX.sub("", label.strip()).replace("º", "").replace("°", "").replace("ª", "")
    s = re.sub(r"[\s]+", "", s).rstrip(".-").lower()
    return s.replace("l.", "l").replace("r.", "r").replace("d.", "d") if s[:2] in ("l.", "r.", "d.") else s


def gold_labels(gold_dir: Path) -> dict[str, dict[str, str]]:
    """iso3 -> {leading label: the keyword the gold citation puts before it ('§', 'rule', '')}."""
    out: dict[str, dict[str, str]] = {}
    for path in sorted(Path(gold_dir).glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                for cite in (row.get("provisions") or "").split(";"):
                    label = leading_label(cite)
                    if label:
                        keyword = "§" if cite.strip().startswith("§") else \
                            "rule" if cite.strip().lower().startswith("rule") else ""
                        out.setdefault(row["iso3"].lower(), {})[label] = keyword
    return out


@dataclass
class StructureScore:
    """`cited`: distinct leading labels the gold file cites; `printed`: those whose number
    is printed at the start of a line somewhere in the country's ingested text (the gold
    files were labelled from a larger source collection than the PDFs); `found`: those
    that are section-level provisions in the store."""

    iso3: str
    cited: int
    found: int
    printed: int = 0
    missing: list[str] = field(default_factory=list)
    not_printed: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.found / self.cited if self.cited else 1.0

    @property
    def share_printed(self) -> float:
        found_printed = self.found - sum(1 for x in self.not_printed if x not in self.missing)
        return found_printed / self.printed if self.printed else 1.0


def structure_accuracy(store: Store, gold_dir: Path) -> list[StructureScore]:
    stored = {iso3: {normalise_label(x) for x in labels} for iso3, labels in store.sections_by_country().items()}
    scores = []
    for iso3, labels in sorted(gold_labels(gold_dir).items()):
        have = stored.get(iso3, set())
        missing = sorted(lb for lb in labels if not _found(lb, have))
        text = _country_text(store, iso3)
        not_printed = sorted(lb for lb, kw in labels.items() if not _printed(lb, text, kw))
        scores.append(StructureScore(iso3, len(labels), len(labels) - len(missing),
                                     len(labels) - len(not_printed), missing, not_printed))
    return scores


def _country_text(store: Store, iso3: str) -> str:
    rows = store.db.execute("SELECT text FROM documents WHERE iso3 = ?", (iso3,)).fetchall()
    return "\n".join(r[0] for r in rows)


def _printed(label: str, text: str, keyword: str = "") -> bool:
    """The number stands at the start of a line, after the word the citation uses ("§",
    "Rule") or an optional one such as Article."""
    core = re.escape(label).replace("\\-", "[º°]?[-‑]")
    prefix = {"§": r"§+\s*", "rule": r"rule\s+"}.get(keyword) or \
        r"(?:art(?:\.|ículo|igo|ikel|icle)?\s*|section\s+|sec\.\s*|статья\s+|제)?"
    pattern = r"(?im)^" + prefix + core + r"(?![\w.-]*\d)(?![a-z])"
    return re.search(pattern, text) is not None


def _found(label: str, have: set[str]) -> bool:
    if label in have:
        return True
    # "189.1.a" is cited below the article "189": drop trailing letter-only parts
    trimmed = re.sub(r"(?:\.[a-z]+)+$", "", label)
    return trimmed != label and trimmed in have
