"""``evlint refs PATH``: the reference list as evlint understood it, and its problems.

For each entry: its number or label, keys, class, and the sentences (line:col) citing
it; then citations that name a source not in the list (links, bare identifiers), which
are not errors; then every citation problem.  ``--format json`` gives the same data.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from evlint.analysis import Analysis
from evlint.citations.model import ReferenceEntry, ResolvedCitation
from evlint.citations.resolve import CitationIndex
from evlint.document import parse_document
from evlint.source import DecodeError, Source, load_source


@click.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def refs(path: str, output_format: str) -> None:
    """Show the reference list as evlint understood it."""
    try:
        with open(path, "rb") as handle:
            source = load_source(path, handle.read())
    except (OSError, DecodeError) as exc:
        click.echo(f"{path}: {getattr(exc, 'message', exc)}", err=True)
        sys.exit(2)
    index = Analysis(parse_document(source)).citations
    report = build_report(source, index)
    if output_format == "json":
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(report), nl=False)
    sys.exit(1 if report["problems"] else 0)


def build_report(source: Source, index: CitationIndex) -> dict[str, Any]:
    citing: dict[int, list[str]] = {}
    external: list[dict[str, Any]] = []
    for item in index.citations:
        where = _where(source, item)
        for entry in item.entries:
            citing.setdefault(entry.index, []).append(where)
        if item.status in ("external", "unlisted"):
            external.append(
                {
                    "at": where,
                    "style": item.citation.style,
                    "text": item.citation.href or item.citation.text,
                    "class": item.source_class,
                    "keys": sorted(item.keys),
                    "status": item.status,
                }
            )
    return {
        "path": source.path,
        "entries": [_entry(entry, citing.get(entry.index, [])) for entry in index.entries],
        "not_in_list": external,
        "problems": [
            {
                "at": "{}:{}".format(*source.line_column(problem.span.start)),
                "kind": problem.kind,
                "message": problem.detail,
            }
            for problem in index.problems
        ],
    }


def _where(source: Source, item: ResolvedCitation) -> str:
    line, column = source.line_column(item.citation.span.start)
    return f"{line}:{column}"


def _entry(entry: ReferenceEntry, cited_by: list[str]) -> dict[str, Any]:
    return {
        "name": entry.name,
        "line": entry.line,
        "form": entry.form,
        "authors": list(entry.authors),
        "year": entry.year,
        "title": entry.title,
        "container": entry.container,
        "keys": sorted(entry.keys),
        "class": entry.source_class,
        "cited_by": cited_by,
    }


def render_text(report: dict[str, Any]) -> str:
    lines = [f"{report['path']}: {len(report['entries'])} reference entries"]
    for entry in report["entries"]:
        lines.append(f"  {entry['name']} (line {entry['line']}, {entry['class']})")
        summary = ", ".join(
            part
            for part in (
                entry["authors"][0] + (" et al." if len(entry["authors"]) > 1 else "")
                if entry["authors"]
                else "",
                entry["year"],
                entry["title"],
                entry["container"],
            )
            if part
        )
        if summary:
            lines.append(f"      {summary}")
        lines.append(f"      keys: {', '.join(entry['keys']) or '(none)'}")
        cited = ", ".join(entry["cited_by"]) or "never cited"
        lines.append(f"      cited at: {cited}")
    if report["not_in_list"]:
        lines.append("cited sources not in the reference list (not an error):")
        for item in report["not_in_list"]:
            keys = ", ".join(item["keys"]) or "(no identifier)"
            lines.append(f"  {item['at']} {item['class']} {item['text']}  [{keys}]")
    if report["problems"]:
        lines.append(f"{len(report['problems'])} problem(s):")
        for problem in report["problems"]:
            lines.append(f"  {problem['at']} {problem['kind']}: {problem['message']}")
    else:
        lines.append("no citation problems")
    return "\n".join(lines) + "\n"
