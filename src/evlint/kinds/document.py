"""Kinds about the file as a whole."""

from __future__ import annotations

from collections.abc import Iterator

from evlint.analysis import Analysis
from evlint.kinds.base import Violation
from evlint.model import Span
from evlint.rulespec import Rule


def front_matter_invalid(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    source = analysis.document.source
    front = source.front_matter
    if front is None or front.error is None:
        return
    line = front.error_line or 1
    start = source.line_starts[min(line, source.line_count) - 1]
    end = start + len(source.line_text(line))
    yield Violation(Span(start, max(end, start)), {"problem": front.error})
