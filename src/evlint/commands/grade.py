"""``evlint grade``: the claim analysis of single sentences, for writers and benchmarks.

``evlint grade "Exosomes cure autism."`` explains one sentence with the cues behind its
grade.  ``--format jsonl`` reads one sentence per line (arguments, else stdin) and
writes one JSON object per input line, in input order, blank lines included, so the
output can be zipped with the input.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any

import click

from evlint.claims.detector import analyze
from evlint.claims.model import ClaimAnalysis

_FLUSH_EVERY = 256  # lines per write: one syscall per batch keeps jsonl fast


def record(text: str, claim: ClaimAnalysis) -> dict[str, Any]:
    """The jsonl record: strength and hedging always come from the grader."""
    return {
        "text": text,
        "is_claim": claim.is_claim,
        "kind": claim.kind,
        "strength": claim.strength,
        "absolute": claim.absolute,
        "hedged": claim.hedged,
        "hedges": [cue.text for cue in claim.hedges],
        "subject": claim.subject,
        "condition": claim.condition,
        "population": claim.population,
    }


def _stdin_lines() -> Iterator[str]:
    # Bytes split only on "\n", so "\r" or U+2028 inside a line never changes the count.
    for raw in sys.stdin.buffer:
        yield raw.decode("utf-8", "replace").rstrip("\r\n")


def _write_jsonl(lines: Iterable[str]) -> None:
    out = sys.stdout
    batch: list[str] = []
    for line in lines:
        batch.append(json.dumps(record(line, analyze(line)), ensure_ascii=False))
        if len(batch) >= _FLUSH_EVERY:
            out.write("\n".join(batch) + "\n")
            batch.clear()
    if batch:
        out.write("\n".join(batch) + "\n")
    out.flush()


def _explain(text: str, claim: ClaimAnalysis) -> str:
    grade = claim.grade
    flags = [name for name, on in (("absolute", grade.absolute), ("negated", grade.negated)) if on]
    lines = [
        text,
        f"  claim:      {claim.kind or 'no (not a health claim)'}",
        f"  strength:   {grade.strength}{' (' + ', '.join(flags) + ')' if flags else ''}",
        f"  hedged:     {'yes' if grade.hedged else 'no'}",
        f"  subject:    {claim.subject or '-'}",
        f"  condition:  {claim.condition or '-'}",
        f"  population: {claim.population or '-'}",
    ]
    if claim.evidence:
        lines.append(
            "  evidence:   " + ", ".join(f"{m.text!r} ({m.label})" for m in claim.evidence)
        )
    cues = [f"{c.kind} {c.text!r} [{c.start}:{c.end}]" for c in grade.cues]
    cues.extend(f"scope {c.text!r} [{c.start}:{c.end}]" for c in claim.hedges if c.kind == "scope")
    lines.append("  cues:       " + ("; ".join(cues) if cues else "-"))
    return "\n".join(lines)


@click.command()
@click.argument("sentences", nargs=-1)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "jsonl"]),
    default="text",
    show_default=True,
    help="text explains each sentence; jsonl prints one JSON object per input line.",
)
def grade(sentences: tuple[str, ...], output_format: str) -> None:
    """Grade claims: kind, strength, hedges, subject, condition, population.

    Sentences come from the arguments, or one per line from stdin.
    """
    lines: Iterable[str] = sentences if sentences else _stdin_lines()
    if output_format == "jsonl":
        _write_jsonl(lines)
        return
    blocks = [_explain(line, analyze(line)) for line in lines if line.strip()]
    click.echo("\n\n".join(blocks))
