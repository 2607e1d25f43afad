"""User regular expressions (kind ``pattern``), with a time budget per document.

A user pattern is untrusted input: ``(a+)+$`` backtracks exponentially and would hang
a pre-commit hook.  Patterns use the ``regex`` package, whose matcher takes a
``timeout``; the whole document gets one budget (``options.timeout``, seconds), and
running out raises :class:`RuleInputError`, which the engine reports for this rule
and file while the other rules and files carry on.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

import regex

from evlint.analysis import Analysis
from evlint.kinds.base import RuleInputError, Violation
from evlint.markdown import Block
from evlint.records import record
from evlint.rulespec import Rule
from evlint.sentences import Sentence

DEFAULT_TIMEOUT = 0.25
MAX_TIMEOUT = 10.0
PATTERN_SCOPES = ("sentence", "block")
OPTION_KEYS = frozenset({"patterns", "ignorecase", "timeout"})


@record
class _Compiled:
    source: str
    pattern: regex.Pattern[str]


def options_problem(scope: str, options: Mapping[str, Any]) -> tuple[str, str] | None:
    """The first problem with a pattern rule's options as ``(key, message)``, or None.

    Called when rule files are loaded, so a bad regex stops the run before any file
    is linted, with the rule file and line in the message.
    """
    if scope not in PATTERN_SCOPES:
        return "scope", f"a pattern rule's scope must be one of {', '.join(PATTERN_SCOPES)}"
    unknown = sorted(set(options) - OPTION_KEYS)
    if unknown:
        allowed = ", ".join(sorted(OPTION_KEYS))
        return unknown[0], f"unknown option {unknown[0]!r} (allowed: {allowed})"
    patterns = options.get("patterns")
    if not isinstance(patterns, list) or not patterns:
        return "patterns", "'patterns' must be a non-empty list of regular expressions"
    ignorecase = options.get("ignorecase", False)
    if not isinstance(ignorecase, bool):
        return "ignorecase", "'ignorecase' must be true or false"
    timeout = options.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        return "timeout", "'timeout' must be a number of seconds"
    if not 0 < timeout <= MAX_TIMEOUT:
        return "timeout", f"'timeout' must be more than 0 and at most {MAX_TIMEOUT:g} seconds"
    for index, pattern in enumerate(patterns):
        if not isinstance(pattern, str) or not pattern:
            return "patterns", f"patterns[{index}] must be a non-empty string"
        try:
            _compile((pattern,), ignorecase)
        except regex.error as exc:
            return "patterns", f"patterns[{index}] {pattern!r} is not a valid regex: {exc}"
    return None


@lru_cache(maxsize=256)
def _compile(patterns: tuple[str, ...], ignorecase: bool) -> tuple[_Compiled, ...]:
    flags = regex.IGNORECASE if ignorecase else 0
    # VERSION0: the syntax and semantics of Python's re, which users already know.
    return tuple(_Compiled(p, regex.compile(p, flags | regex.VERSION0)) for p in patterns)


def pattern(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    """Every non-empty match of ``options.patterns`` in prose (code, HTML, URLs masked)."""
    compiled = _compile(
        tuple(str(p) for p in rule.options.get("patterns", [])),
        bool(rule.options.get("ignorecase", False)),
    )
    budget = float(rule.options.get("timeout", DEFAULT_TIMEOUT))
    deadline = time.monotonic() + budget
    sentences = analysis.prose_sentences
    by_block: dict[int, list[Sentence]] = {}
    for sentence in sentences:
        by_block.setdefault(sentence.block.index, []).append(sentence)
    units: Sequence[tuple[Block, int, str]]
    if rule.scope == "block":
        units = [(group[0].block, 0, group[0].block.scan) for group in by_block.values()]
    else:
        units = [(s.block, s.start, s.scan) for s in sentences]
    for block, offset, text in units:
        for item in compiled:
            for start, end, matched in _matches(item, text, deadline, rule, budget):
                within = _sentence_at(by_block[block.index], offset + start)
                yield Violation(
                    block.source_span(offset + start, offset + end),
                    {
                        "term": matched,
                        "pattern": item.source,
                        "sentence": within.display if within else matched,
                    },
                    within,
                )


def _matches(
    item: _Compiled, text: str, deadline: float, rule: Rule, budget: float
) -> Iterator[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    try:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        # The timeout bounds each search step; the deadline check bounds the document.
        for match in item.pattern.finditer(text, timeout=remaining):
            if match.end() > match.start():  # zero-width matches would flood the report
                found.append((match.start(), match.end(), match.group()))
            if time.monotonic() > deadline:
                raise TimeoutError
    except TimeoutError:
        raise RuleInputError(
            f"rule {rule.id} ({rule.name}): pattern {item.source!r} took longer than "
            f"{budget:g}s on this file and was stopped; simplify the pattern "
            "(avoid nested quantifiers such as (a+)+) or raise options.timeout"
        ) from None
    return iter(found)


def _sentence_at(sentences: Sequence[Sentence], offset: int) -> Sentence | None:
    for sentence in sentences:
        if sentence.start <= offset < sentence.end:
            return sentence
    return None
