"""Documentation keeps up with the code (the datasette habit).

- every command of `lexcop` (walked from the click tree of lexcop.cli.main) has a
  section in README.md or docs/cli.md whose heading names it (`### lexcop corpus sync`),
  and every option and argument of the command is mentioned in that section;
- README.md names every command at least once;
- every error code, whether a LexcopError class in lexcop/errors.py or a code written
  into a message elsewhere in lexcop/, is explained in docs/errors.md.
"""
from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from lexcop import errors
from lexcop.cli import main

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
CLI_DOC = REPO / "docs" / "cli.md"
ERRORS_DOC = REPO / "docs" / "errors.md"
HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
HEADING_COMMAND = re.compile(r"\blexcop((?:\s+[a-z][a-z0-9-]*)*)")


def walk(cmd: click.Command, path: tuple[str, ...] = ()):
    """(path, command) for the group and every command below it."""
    yield path, cmd
    if isinstance(cmd, click.Group):
        for name, sub in sorted(cmd.commands.items()):
            yield from walk(sub, path + (name,))


COMMANDS = list(walk(main))


def mentions(param: click.Parameter) -> list[str]:
    """What the docs must say: every option string (`--db`, `-j`), or an argument's name."""
    if isinstance(param, click.Argument):
        return [param.human_readable_name]  # PATHS, DOC, PROVISION_ID, SOURCE
    return [*param.opts, *param.secondary_opts]


def sections(*files: Path) -> dict[tuple[str, ...], str]:
    """Markdown sections keyed by the command their heading names: '### `lexcop corpus sync`'
    -> ('corpus', 'sync'). A section runs to the next heading of the same or higher level."""
    out: dict[tuple[str, ...], str] = {}
    for path in files:
        if not path.exists():
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        heads = [(i, len(m.group(1)), m.group(2)) for i, ln in enumerate(lines) if (m := HEADING.match(ln))]
        for k, (i, level, title) in enumerate(heads):
            m = HEADING_COMMAND.search(title)
            if not m:
                continue
            end = next((j for j, lv, _ in heads[k + 1:] if lv <= level), len(lines))
            key = tuple(m.group(1).split())
            out[key] = out.get(key, "") + "\n".join(lines[i:end]) + "\n"
    return out


DOC_SECTIONS = sections(README, CLI_DOC)


def test_readme_exists_and_starts_with_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    head = "\n".join(text.splitlines()[:25])
    assert "scripts/main.sh" in head and "scripts/test.sh" in head, "README.md must open with the two commands"


@pytest.mark.parametrize("path, cmd", COMMANDS, ids=[" ".join(("lexcop",) + p) for p, _ in COMMANDS])
def test_command_is_documented(path: tuple[str, ...], cmd: click.Command) -> None:
    name = " ".join(("lexcop",) + path)
    assert path in DOC_SECTIONS, f"no section headed `{name}` in README.md or docs/cli.md"
    section = DOC_SECTIONS[path]
    missing = [f"{p.name}: {m}" for p in cmd.params for m in mentions(p)
               if m != "--help" and not re.search(rf"(?<![\w-]){re.escape(m)}(?![\w-])", section)]
    assert not missing, f"`{name}` section does not mention {missing}"


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS if p], ids=" ".join)
def test_readme_names_every_command(path: tuple[str, ...]) -> None:
    name = "lexcop " + " ".join(path)
    assert re.search(rf"{re.escape(name)}(?![\w-])", README.read_text(encoding="utf-8")), \
        f"README.md never mentions `{name}`"


def error_codes() -> dict[str, str]:
    """code -> where it is defined: LexcopError classes, and codes written into messages."""
    found = {}
    for obj in vars(errors).values():
        if isinstance(obj, type) and issubclass(obj, errors.LexcopError):
            found[obj.code] = f"lexcop/errors.py: {obj.__name__}"
    for src in sorted((REPO / "lexcop").glob("*.py")):
        for code in re.findall(r"\bLX\d{3}\b", src.read_text(encoding="utf-8")):
            found.setdefault(code, f"lexcop/{src.name}")
    return found


def test_error_codes_are_unique() -> None:
    classes = [o for o in vars(errors).values() if isinstance(o, type) and issubclass(o, errors.LexcopError)]
    codes = [c.code for c in classes]
    assert len(codes) == len(set(codes)), f"two error classes share a code: {sorted(codes)}"
    assert all(re.fullmatch(r"LX\d{3}", c) for c in codes)


@pytest.mark.parametrize("code, where", sorted(error_codes().items()))
def test_error_code_is_documented(code: str, where: str) -> None:
    text = ERRORS_DOC.read_text(encoding="utf-8")
    # documented = the code heads a row or a heading that also says what it means
    row = re.search(rf"^(?:\|\s*`?{code}`?\s*\||#+\s*`?{code}`?\b).*\S", text, re.M)
    assert row, f"{code} ({where}) is not in docs/errors.md"
