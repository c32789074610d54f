"""Plain-text and JSON views of stored provisions, for the CLI (and later the app)."""
from __future__ import annotations

import textwrap
from collections.abc import Sequence


def _pages(p) -> str:
    a, b = p["page_first"], p["page_last"]
    return f"p. {a}" if a == b else f"pp. {a}-{b}"


def provision_tree(provs: Sequence, max_depth: int | None = None) -> list[dict]:
    """Nested dicts: id, kind, label, heading, pages, children (the outline JSON contract)."""
    nodes: dict[str, dict] = {}
    roots: list[dict] = []
    for p in provs:
        if max_depth is not None and p["depth"] >= max_depth:
            continue
        node = {"id": p["id"], "kind": p["kind"], "label": p["label"], "heading": p["heading"],
                "pages": [p["page_first"], p["page_last"]], "children": []}
        nodes[p["id"]] = node
        parent = nodes.get(p["parent_id"]) if p["parent_id"] else None
        (parent["children"] if parent else roots).append(node)
    return roots


def outline_text(doc, provs: Sequence, max_depth: int | None = None) -> str:
    lines = [f"{doc['id']}  ({doc['file']}, {doc['pages']} pages, sha256 {doc['sha256'][:12]}…)"]
    for p in provs:
        if max_depth is not None and p["depth"] >= max_depth:
            continue
        indent = "  " * p["depth"]
        heading = f"  {p['heading']}" if p["heading"] else ""
        lines.append(f"{indent}{p['kind']} {p['label']}{heading}  [{_pages(p)}]  {p['eid']}")
    return "\n".join(lines)


def show_text(prov, doc, text: str) -> str:
    head = f"{prov['kind']} {prov['label']}" + (f" — {prov['heading']}" if prov["heading"] else "")
    out = [
        head,
        f"id:       {prov['id']}",
        f"document: {doc['title']} ({doc['id']})",
        f"source:   {doc['file']}, {_pages(prov)}, sha256 {doc['sha256']}",
        "",
        text.strip(),
    ]
    if prov["revoked_text"]:
        out += ["", "revoked wording printed struck through beside it:",
                textwrap.indent(prov["revoked_text"], "  ~ ")]
    return "\n".join(out)
