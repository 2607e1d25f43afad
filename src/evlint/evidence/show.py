"""Human-readable views of evidence, for ``evlint evidence show`` and ``evidence list``."""

from __future__ import annotations

import textwrap
from pathlib import Path

from evlint.evidence.library import EvidenceLibrary, load_file
from evlint.evidence.model import Evidence, EvidenceError, EvidenceItem, level_name

_WIDTH = 100


def describe(evidence: Evidence) -> str:
    """A multi-line description: metadata, level and basis, scope, then every statement."""
    origin = evidence.origin + (", built-in" if evidence.builtin else "")
    lines = [f"{evidence.id}: {evidence.title}", f"  source:       {evidence.location} ({origin})"]
    if evidence.keys:
        lines.append(f"  keys:         {', '.join(sorted(evidence.keys))}")
    published = " · ".join(str(p) for p in (evidence.date or evidence.year, evidence.journal) if p)
    if published:
        lines.append(f"  published:    {published}")
    if evidence.authors:
        shown = ", ".join(evidence.authors[:3])
        more = len(evidence.authors) - 3
        lines.append(f"  authors:      {shown}" + (f" (+{more} more)" if more > 0 else ""))
    lines.append(f"  design:       {evidence.design}")
    lines.append(f"  level:        {evidence.level} ({level_name(evidence.level)})")
    if evidence.evidence_basis:
        lines.append(f"  basis:        {', '.join(evidence.evidence_basis)}")
    for label, values in (
        ("interventions", evidence.interventions),
        ("conditions", evidence.conditions),
        ("populations", evidence.populations),
    ):
        if values:
            lines.append(f"  {label + ':':<14}{', '.join(values)}")
    if evidence.is_reference_only:
        lines.append("  (reference metadata only: no findings or limitations known)")
    for title, items in (
        ("Findings", evidence.findings),
        ("Limitations", evidence.limitations),
        ("Safety", evidence.safety),
        ("Regulatory", evidence.regulatory),
        ("Scope", evidence.scope_notes),
    ):
        if items:
            lines.append(f"{title} ({len(items)}):")
            lines.extend(_item_lines(item) for item in items)
    return "\n".join(lines)


def _item_lines(item: EvidenceItem) -> str:
    tags = [t for t in (item.population, item.phase) if t]
    if item.status:
        tags.insert(0, f"{item.jurisdiction or '?'} {item.status}")
    if item.interventions and item.kind == "regulatory":
        tags.append("for " + ", ".join(item.interventions))
    if item.topics:
        tags.append("topics: " + ", ".join(item.topics))
    head = f"  {item.location}"
    body = textwrap.fill(
        item.text, _WIDTH, initial_indent="    ", subsequent_indent="    ", break_on_hyphens=False
    )
    return head + (f"  [{'; '.join(tags)}]" if tags else "") + "\n" + body


def cmd_list(library: EvidenceLibrary) -> str:
    """One line per source: id, design, level, primary key, title, location."""
    rows = sorted(library.items(), key=lambda e: (e.builtin, e.id))
    if not rows:
        return "no evidence loaded"
    out = []
    for e in rows:
        title = e.title if len(e.title) <= 60 else e.title[:59] + "…"
        flag = " (built-in)" if e.builtin else ""
        out.append(
            f"{e.id}  [{e.design}, level {e.level}]  {e.primary_key}  {title}  {e.location}{flag}"
        )
    return "\n".join(out)


def cmd_show(target: str, library: EvidenceLibrary) -> str:
    """Describe an evidence file (every source in it) or the source an id or key names.

    Raises ``EvidenceError`` when nothing matches or the file cannot be loaded at all.
    """
    path = Path(target)
    if path.is_file():
        result = load_file(path)
        if not result.evidence and result.errors:
            raise result.errors[0]
        parts = [describe(e) for e in result.evidence]
        parts.extend(f"error: {err}" for err in result.errors)
        return "\n\n".join(parts)
    found = library.lookup(target)
    if found is None:
        raise EvidenceError(target, None, "no evidence file, id or key matches")
    return describe(found)
