"""What a kind yields: a violation with its source span and message values."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import field
from typing import TYPE_CHECKING

from evlint.analysis import Analysis
from evlint.model import Related, Severity, Span
from evlint.records import record
from evlint.rulespec import Rule

if TYPE_CHECKING:
    from evlint.sentences import Sentence


@record
class Violation:
    """One problem a kind found: where, the message values, and optionally a level."""

    span: Span
    values: Mapping[str, str] = field(default_factory=dict)
    sentence: Sentence | None = None
    related: tuple[Related, ...] = ()
    # A kind may ask for a level other than the rule's default (e.g. document checks
    # on a page that sells the treatment); an explicit config level still wins.
    severity: Severity | None = None


def engine_only(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    """Rules of this kind are emitted by the engine itself (e.g. a skipped file)."""
    return iter(())


def sentence_violation(sentence: Sentence, **values: str) -> Violation:
    return Violation(sentence.span, {"sentence": sentence.display, **values}, sentence)


class RuleInputError(Exception):
    """A rule could not finish on this document (e.g. a user pattern ran out of time).

    The engine reports it as an input error for the file, naming the rule, and goes on
    with the other rules and files.
    """
