"""Literal prefilters: skip a regex pass when the text cannot contain a match.

A regex such as ``\\b(?:stem cells?|exosomes?|...)\\b`` costs a full pass over a page
even when the page never mentions any of its words, because Python's engine tries the
pattern at every position.  Every match of it must contain one of a few literal
strings ("stem cell", "exosome", ...); testing those with ``str.__contains__`` (a
C-speed substring search) first is several times cheaper, and exact: when no literal
is present, the regex cannot match.

The literals are read from the regex's parse tree (``re._parser``, the standard
library's own parser).  Where a pattern has no usable literal, or the parser's
internals differ in a future Python, the gate simply admits every text.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

try:  # the standard library's regex parser; private, so fall back to "no gate"
    _p: Any = importlib.import_module("re._parser")
    _c: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - older or future layouts
    _p = _c = None

# Literals shorter than this select almost nothing: a gate built on them only costs.
_MIN_USEFUL = 2
_MAX_LITERALS = 64


@dataclass(frozen=True, slots=True)
class Gate:
    """Lower-case strings one of which every match contains (``None``: no gate)."""

    literals: tuple[str, ...] | None

    def admits(self, lowered: str) -> bool:
        """Whether ``lowered`` (the text, lower-cased) could hold a match."""
        if self.literals is None:
            return True
        return any(literal in lowered for literal in self.literals)


@dataclass(frozen=True, slots=True)
class GatedPattern:
    """A compiled pattern with its literal gate; the regex runs only past the gate."""

    pattern: re.Pattern[str]
    gate: Gate

    def search(self, text: str, lowered: str | None = None) -> re.Match[str] | None:
        if not self.gate.admits(text.lower() if lowered is None else lowered):
            return None
        return self.pattern.search(text)

    def finditer(self, text: str, lowered: str | None = None) -> Iterator[re.Match[str]]:
        if not self.gate.admits(text.lower() if lowered is None else lowered):
            return iter(())
        return self.pattern.finditer(text)

    def findall(self, text: str, lowered: str | None = None) -> list[Any]:
        if not self.gate.admits(text.lower() if lowered is None else lowered):
            return []
        return self.pattern.findall(text)


def gated(pattern: str | re.Pattern[str], flags: int = 0) -> GatedPattern:
    compiled = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, flags)
    return GatedPattern(compiled, gate_for(compiled))


def gate_for(pattern: re.Pattern[str]) -> Gate:
    if _p is None or _c is None:
        return Gate(None)
    try:
        parsed = _p.parse(pattern.pattern, pattern.flags)
        literals = _sequence(list(parsed))
    except Exception:  # an unreadable tree only means no gate
        return Gate(None)
    if not literals or min(map(len, literals)) < _MIN_USEFUL or len(literals) > _MAX_LITERALS:
        return Gate(None)
    return Gate(tuple(sorted(literals, key=lambda s: (-len(s), s))))


def _sequence(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The most selective requirement among a sequence's parts (runs of literals and
    groups), or None when no part requires anything."""
    options: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av).lower())
            continue
        if run:
            options.append(frozenset({"".join(run)}))
            run = []
        found = _element(op, av)
        if found:
            options.append(found)
    if run:
        options.append(frozenset({"".join(run)}))
    if not options:
        return None
    return max(options, key=lambda found: (min(map(len, found)), -len(found)))


def _element(op: Any, av: Any) -> frozenset[str] | None:
    if op is _c.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is _c.BRANCH:
        union: set[str] = set()
        for alternative in av[1]:
            found = _sequence(list(alternative))
            if not found:
                return None  # one alternative requires nothing: neither does the branch
            union |= found
        return frozenset(union)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, _high, item = av
        return _sequence(list(item)) if low >= 1 else None
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _sequence(list(av))
    return None  # classes, anchors, lookarounds, back-references: no literal
