"""Numbering grammars: data in rules/structure/<lang>.yaml, validated at load.

A grammar says how a language numbers its provisions:

- `containers`: headings that group provisions (Part, Chapter, Titel, Livre, Глава, 제1장).
  Their nesting order is learnt from each document, since one Act puts Parts inside
  Chapters and the next does the opposite.
- `sections`: the unit a citation names (section 24, § 184b, Article 227-23, Статья 242.1).
- `subdivisions`: the numbered pieces inside a section ((1), (a), (i), I -, a), ①). Their
  depth is learnt too (Commonwealth (1)(a)(i) vs United States (a)(1)(A)) unless a
  `rank` fixes it (Brazil: a § is always above an inciso).

Every pattern carries examples that the generic test proves, as eyecite does with its
reporters: `examples: {match: [{text, label}], no_match: [text]}`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import GrammarError

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
SERIES = ("arabic", "alpha", "roman", "upper_alpha", "upper_roman", "circled", "hangul", "none")


@dataclass(frozen=True)
class Pattern:
    kind: str
    regex: re.Pattern
    series: str = "none"
    rank: int | None = None
    resets: bool = False
    emphasis: bool = False  # the line must be bold or italic (a label printed alone)
    strict: bool = False  # a series must start at 1 / a and go on one by one
    bare: bool = False  # a number with no word before it ("24.", "182 Every person")
    style: str = ""
    examples_match: tuple = ()
    examples_no_match: tuple = ()


@dataclass(frozen=True)
class Grammar:
    language: str
    path: str
    containers: tuple[Pattern, ...]
    sections: tuple[Pattern, ...]
    subdivisions: tuple[Pattern, ...]
    reference_words: frozenset[str] = field(default_factory=frozenset)
    joining_words: frozenset[str] = field(default_factory=frozenset)
    hyphen_keep: frozenset[str] = field(default_factory=frozenset)
    max_jump: int = 100


_TOP_KEYS = {"language", "description", "containers", "sections", "subdivisions",
             "reference_words", "joining_words", "hyphen_keep", "max_jump"}
_PATTERN_KEYS = {"kind", "pattern", "series", "rank", "resets", "style", "examples", "note", "emphasis", "strict", "bare"}


def grammar_path(lang: str) -> Path:
    return RULES_DIR / "structure" / f"{lang}.yaml"


def available_languages() -> list[str]:
    return sorted(p.stem for p in (RULES_DIR / "structure").glob("*.yaml"))


@lru_cache(maxsize=None)
def load_grammar(lang: str) -> Grammar:
    path = grammar_path(lang)
    if not path.exists():
        raise GrammarError(
            f"no numbering grammar for language {lang!r}", path=str(path),
            remedy=f"use one of {', '.join(available_languages())} or add rules/structure/{lang}.yaml",
        )
    return parse_grammar(yaml.safe_load(path.read_text(encoding="utf-8")), str(path))


def parse_grammar(data: dict, path: str) -> Grammar:
    if not isinstance(data, dict):
        raise GrammarError("a grammar file must be a mapping", path=path)
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise GrammarError(f"unknown key(s) {sorted(unknown)}", path=path,
                           remedy=f"allowed: {sorted(_TOP_KEYS)}")
    for key in ("language", "sections"):
        if key not in data:
            raise GrammarError(f"missing key {key!r}", path=path)
    groups = {g: tuple(_pattern(p, f"{path}: {g}[{i}]", g)
                       for i, p in enumerate(data.get(g) or ()))
              for g in ("containers", "sections", "subdivisions")}
    for key in ("reference_words", "joining_words", "hyphen_keep"):
        bad = [w for w in data.get(key) or () if not isinstance(w, str)]
        if bad:
            raise GrammarError(f"{key!r} must list strings, not {bad!r}", path=path,
                               remedy="quote words YAML reads as booleans or numbers: \"y\", \"no\", \"on\"")
    return Grammar(
        language=data["language"], path=path, **groups,
        reference_words=frozenset(w.lower() for w in data.get("reference_words") or ()),
        joining_words=frozenset(w.lower() for w in data.get("joining_words") or ()),
        hyphen_keep=frozenset(w.lower() for w in data.get("hyphen_keep") or ()),
        max_jump=int(data.get("max_jump", 100)),
    )


def _pattern(p: dict, where: str, group: str) -> Pattern:
    if not isinstance(p, dict):
        raise GrammarError("each pattern must be a mapping", path=where)
    unknown = set(p) - _PATTERN_KEYS
    if unknown:
        raise GrammarError(f"unknown key(s) {sorted(unknown)}", path=where, remedy=f"allowed: {sorted(_PATTERN_KEYS)}")
    for key in ("kind", "pattern"):
        if key not in p:
            raise GrammarError(f"missing key {key!r}", path=where)
    try:
        regex = re.compile(p["pattern"])
    except re.error as exc:
        raise GrammarError(f"bad regular expression in 'pattern': {exc}", path=where) from None
    if "label" not in regex.groupindex:
        raise GrammarError("the pattern needs a named group (?P<label>...)", path=where)
    series = p.get("series", "none")
    if series not in SERIES:
        raise GrammarError(f"'series' must be one of {SERIES}, not {series!r}", path=where)
    ex = p.get("examples") or {}
    if group != "containers" and not ex.get("match"):
        raise GrammarError("every section and subdivision pattern needs examples.match", path=where)
    return Pattern(
        kind=p["kind"], regex=regex, series=series, rank=p.get("rank"),
        resets=bool(p.get("resets", False)), emphasis=bool(p.get("emphasis", False)),
        strict=bool(p.get("strict", False)), bare=bool(p.get("bare", False)), style=p.get("style") or f"{p['kind']}:{series}:{p['pattern']}",
        examples_match=tuple(ex.get("match") or ()), examples_no_match=tuple(ex.get("no_match") or ()),
    )


# ------------------------------------------------------------------ label arithmetic

_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_HANGUL = "가나다라마바사아자차카타파하"


def roman_value(s: str) -> int | None:
    s = s.lower()
    if not s or any(c not in _ROMAN for c in s):
        return None
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = _ROMAN[a]
        total += -v if b != " " and _ROMAN[b] > v else v
    return total


def ordinal(label: str, series: str) -> int | None:
    """Position of a label in its series: (c) -> 3, (iv) -> 4, ③ -> 3, 다 -> 3."""
    core = re.sub(r"[()\[\].\s§º°ª\-–—)]", "", label)
    if series == "arabic":
        m = re.match(r"\d+", core)
        return int(m.group()) if m else None
    if series in ("alpha", "upper_alpha"):
        if not core.isalpha():
            return None
        c = core.lower()
        if len(set(c)) == 1:  # (aa) follows (z)
            return (ord(c[0]) - 96) + 26 * (len(c) - 1)
        return None
    if series in ("roman", "upper_roman"):
        return roman_value(core)
    if series == "circled":
        return _CIRCLED.index(core[0]) + 1 if core[:1] and core[0] in _CIRCLED else None
    if series == "hangul":
        return _HANGUL.index(core[0]) + 1 if core[:1] and core[0] in _HANGUL else None
    return None


def section_key(label: str) -> tuple:
    """Sort key for section labels: 163.1 < 164, 184b > 184, L. 32-3 < R. 10."""
    parts = re.findall(r"\d+|[^\W\d_]+", label)
    return tuple((1, int(p)) if p.isdigit() else (0 if i == 0 else 2, p.lower()) for i, p in enumerate(parts))


def leading_number(label: str) -> int | None:
    m = re.search(r"\d+", label)
    return int(m.group()) if m else None


_SUP_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def label_of(m: re.Match) -> str:
    """The numbering a pattern captured, as it is cited.

    `label2` is an alternative spelling a pattern may offer ("Erster Teil" / "Teil 1",
    "§ 1º" / "Parágrafo único"); `suffix` is the rest of a number that an ordinal sign
    interrupts (Art. 3º-B is 3-B); a raised number is a sub-number (Статья 6¹ is 6.1).
    """
    d = m.groupdict()
    label = (d.get("label") or d.get("label2") or "").strip() + (d.get("suffix") or "")
    return re.sub(r"(?<=\d)([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", lambda s: "." + s.group(1).translate(_SUP_DIGITS), label)
