"""Every numbering grammar proves its own examples; a broken grammar file says where.

One generic test loads every rules/structure/*.yaml through lexcop.grammar and runs each
pattern on each of its examples, the way the parser runs it (`regex.match` on a line),
so adding a pattern or a language never needs new Python. Test ids name the file, the
pattern and the example: `en.yaml::sections[5]:section::match[1]`.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from lexcop.grammar import label_of
import yaml

from lexcop import grammar as grammar_mod
from lexcop.errors import GrammarError
from lexcop.grammar import RULES_DIR, load_grammar, parse_grammar

GRAMMAR_FILES = sorted((RULES_DIR / "structure").glob("*.yaml"))
GROUPS = ("containers", "sections", "subdivisions")


def _load(path: Path):
    return parse_grammar(yaml.safe_load(path.read_text(encoding="utf-8")), str(path))


def _example_cases() -> list:
    """(file, where, pattern, kind, text, label) for every example; a file that does not
    load becomes one case that fails with the loader's message."""
    cases = []
    for path in GRAMMAR_FILES:
        try:
            g = _load(path)
        except GrammarError as exc:
            cases.append(pytest.param(path.name, None, None, "load", str(exc), None, id=f"{path.name}::load"))
            continue
        for group in GROUPS:
            for i, pat in enumerate(getattr(g, group)):
                where = f"{path.name}::{group}[{i}]:{pat.kind}"
                for j, ex in enumerate(pat.examples_match):
                    cases.append(pytest.param(path.name, where, pat, "match", ex, None, id=f"{where}::match[{j}]"))
                for j, text in enumerate(pat.examples_no_match):
                    cases.append(pytest.param(path.name, where, pat, "no_match", text, None,
                                              id=f"{where}::no_match[{j}]"))
    return cases


def test_there_are_grammars_with_examples() -> None:
    assert GRAMMAR_FILES, f"no grammar files in {RULES_DIR / 'structure'}"
    assert "en.yaml" in {p.name for p in GRAMMAR_FILES}
    assert sum(1 for c in _example_cases() if c.values[3] == "match") >= 10


@pytest.mark.parametrize("file, where, pattern, mode, example, _", _example_cases())
def test_grammar_example(file, where, pattern, mode, example, _) -> None:
    if mode == "load":
        pytest.fail(f"{file} does not load: {example}")
    if mode == "match":
        assert isinstance(example, dict) and set(example) == {"text", "label"}, \
            f"{where}: a match example is {{text: ..., label: ...}}, got {example!r}"
        m = pattern.regex.match(example["text"])
        assert m is not None, f"{where}: /{pattern.regex.pattern}/ does not match {example['text']!r}"
        assert label_of(m) == str(example["label"]), \
            f"{where}: label {label_of(m)!r} in {example['text']!r}, expected {example['label']!r}"
    else:
        assert isinstance(example, str), f"{where}: a no_match example is a string, got {example!r}"
        m = pattern.regex.match(example)
        assert m is None, f"{where}: /{pattern.regex.pattern}/ should not match {example!r} (matched {m.group(0)!r})"


@pytest.mark.parametrize("path", GRAMMAR_FILES, ids=lambda p: p.name)
def test_grammar_loads_by_language(path: Path) -> None:
    """The file name is the language code the parser asks for, and it says so inside."""
    g = load_grammar(path.stem)
    assert g.language == path.stem
    assert g.sections, f"{path.name}: no section patterns"


# ------------------------------------------------------------ malformed grammars

GOOD_SECTION = """
  - kind: section
    pattern: '^(?P<label>\\d+)\\.\\s+(?P<rest>.*)$'
    examples:
      match: [{text: "24. A person", label: "24"}]
"""


def _write(tmp_path: Path, lang: str, body: str) -> Path:
    path = tmp_path / "structure" / f"{lang}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


@pytest.fixture()
def rules_dir(tmp_path: Path, monkeypatch):
    """Point the loader at a temporary rules/ folder; the cache is emptied around it."""
    monkeypatch.setattr(grammar_mod, "RULES_DIR", tmp_path)
    load_grammar.cache_clear()
    yield tmp_path
    load_grammar.cache_clear()


def test_a_valid_tmp_grammar_loads(rules_dir: Path) -> None:
    _write(rules_dir, "xx", "language: xx\nsections:" + GOOD_SECTION)
    g = load_grammar("xx")
    assert g.sections[0].regex.match("24. A person").group("label") == "24"


BROKEN = {
    "unknown top-level key": ("language: xx\ncolour: blue\nsections:" + GOOD_SECTION, "", "colour"),
    "unknown pattern key": (
        "language: xx\nsections:" + GOOD_SECTION.replace("  - kind: section", "  - kind: section\n    flavour: x"),
        "sections[0]", "flavour"),
    "bad regex": (
        "language: xx\nsections:\n  - kind: section\n    pattern: '^(?P<label>\\d+'\n"
        "    examples: {match: [{text: '1', label: '1'}]}\n", "sections[0]", "pattern"),
    "no label group": (
        "language: xx\nsections:\n  - kind: section\n    pattern: '^(\\d+)\\.'\n"
        "    examples: {match: [{text: '1.', label: '1'}]}\n", "sections[0]", "label"),
    "no examples": (
        "language: xx\nsections:\n  - kind: section\n    pattern: '^(?P<label>\\d+)\\.'\n", "sections[0]",
        "examples"),
    "no match examples in a subdivision": (
        "language: xx\nsections:" + GOOD_SECTION + "subdivisions:\n  - kind: subsection\n    series: arabic\n"
        "    pattern: '^\\((?P<label>\\d+)\\)'\n    examples: {no_match: ['(a)']}\n", "subdivisions[0]", "examples"),
    "unknown series": (
        "language: xx\nsections:" + GOOD_SECTION + "subdivisions:\n  - kind: subsection\n    series: greek\n"
        "    pattern: '^\\((?P<label>\\d+)\\)'\n    examples: {match: [{text: '(1) x', label: '1'}]}\n",
        "subdivisions[0]", "series"),
    "missing sections": ("language: xx\ncontainers: []\n", "", "sections"),
    "missing kind": ("language: xx\nsections:\n  - pattern: '^(?P<label>\\d+)'\n", "sections[0]", "kind"),
}


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_malformed_grammar_names_file_and_key(rules_dir: Path, case: str) -> None:
    body, where, key = BROKEN[case]
    path = _write(rules_dir, "xx", body)
    with pytest.raises(GrammarError) as err:
        load_grammar("xx")
    message = str(err.value)
    assert err.value.code == "LX301"
    assert str(path) in message, message
    assert where in message, message
    assert key in message, message


def test_missing_language_names_the_file_to_add(rules_dir: Path) -> None:
    _write(rules_dir, "xx", "language: xx\nsections:" + GOOD_SECTION)
    with pytest.raises(GrammarError) as err:
        load_grammar("zz")
    assert "zz.yaml" in str(err.value) and "xx" in err.value.remedy
