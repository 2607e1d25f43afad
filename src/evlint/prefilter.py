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
import itertools
import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

try:  # the standard library's regex parser; private, so fall back to "no gate"
    _p: Any = importlib.import_module("re._parser")
    _c: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - older or future layouts
    _p = _c = None

def fold_case(text: str) -> str:
    """``text`` lower-cased so that a literal test agrees with ``re.IGNORECASE``.

    The regex engine also matches "ı" (dotless i) as "i" and "ſ" (long s) as "s",
    which ``str.lower`` keeps; they are mapped here, one character for one, so
    offsets stay.  (Kelvin "K" lowers to "k"; "İ" lowers to two characters, and a
    text whose length changes is never used for offsets.)
    """
    lowered = text.lower()
    if not lowered.isascii():
        if "ı" in lowered:
            lowered = lowered.replace("ı", "i")
        if "ſ" in lowered:
            lowered = lowered.replace("ſ", "s")
    return lowered


# Literals shorter than this select almost nothing: a gate built on them only costs.
_MIN_USEFUL = 2
_MAX_LITERALS = 64


@dataclass(frozen=True, slots=True)
class Gate:
    """Lower-case strings one of which every match contains (``None``: no gate).

    ``also``: further such sets, each also required ("check" and "price" for
    ``check price``), tested only when ``literals`` passes.
    """

    literals: tuple[str, ...] | None
    also: tuple[tuple[str, ...], ...] = ()

    def admits(self, lowered: str) -> bool:
        """Whether ``lowered`` (the text, lower-cased) could hold a match."""
        if self.literals is None:
            return True
        if not any(literal in lowered for literal in self.literals):
            return False
        return all(any(literal in lowered for literal in required) for required in self.also)


class GatedPattern:
    """A pattern that runs only past literal gates.

    A top-level alternation (``A|B|C``, or ``prefix(?:A|B|C)suffix``) gets one gate per
    alternative: the regex that runs on a text keeps only the alternatives whose
    literals the text contains, in their original order.  Alternatives that cannot
    match anywhere in the text change nothing when dropped, so matches are identical;
    the scan tries fewer branches at every position.  Patterns with numbered groups
    keep one gate for the whole pattern, since dropping branches would renumber them.
    """

    __slots__ = ("_compiled", "_gate", "_parts", "_split", "pattern")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        # Gates are built on first use: reading the parse trees of every module-level
        # pattern at import would slow down start-up for commands that never use them.
        self._gate: Gate | None = None
        self._split = False
        self._parts: tuple[str, tuple[tuple[str, Gate], ...], str] | None = None
        self._compiled: dict[tuple[int, ...], re.Pattern[str] | None] = {}

    @property
    def gate(self) -> Gate:
        if self._gate is None:
            self._gate = gate_for(self.pattern)
        return self._gate

    def _for(self, text: str, lowered: str | None) -> re.Pattern[str] | None:
        if not self._split:
            if len(text) < _WORTH_SPLITTING:
                # Splitting a pattern into gated alternatives costs a few milliseconds
                # once; a run that has seen only short texts (one small post checked
                # in a hook) is faster without.  Results are the same either way.
                return self.pattern
            self._parts = _alternatives(self.pattern)
            self._split = True
        lowered = fold_case(text) if lowered is None else lowered
        if self._parts is None:
            return self.pattern if self.gate.admits(lowered) else None
        prefix, branches, suffix = self._parts
        kept = tuple(i for i, (_, gate) in enumerate(branches) if gate.admits(lowered))
        if kept not in self._compiled:
            if len(self._compiled) > _MAX_VARIANTS:
                self._compiled.clear()
            body = "|".join(branches[i][0] for i in kept)
            self._compiled[kept] = (
                re.compile(f"{prefix}(?:{body}){suffix}", self.pattern.flags) if kept else None
            )
        return self._compiled[kept]

    def for_page(self, lowered: str) -> re.Pattern[str] | None:
        """The pattern reduced to the branches ``lowered`` (a whole page, lower-cased)
        can match, for searching many parts of that page; None when none can."""
        return self._for(lowered, lowered)

    def search(self, text: str, lowered: str | None = None) -> re.Match[str] | None:
        return next(self.finditer(text, lowered), None)

    def finditer(self, text: str, lowered: str | None = None) -> Iterator[re.Match[str]]:
        pattern = self._for(text, lowered)
        if pattern is None:
            return iter(())
        if not self._split or len(text) < _WORTH_SPLITTING:
            return pattern.finditer(text)
        return _finditer_at_leaders(pattern, text, fold_case(text) if lowered is None else lowered)

    def findall(self, text: str, lowered: str | None = None) -> list[Any]:
        """As ``re.Pattern.findall``: whole matches, or groups when the pattern has any."""
        groups = self.pattern.groups
        found = self.finditer(text, lowered)
        if groups == 0:
            return [match.group(0) for match in found]
        if groups == 1:
            return [match.group(1) or "" for match in found]
        return [match.groups("") for match in found]


_leaders_cache: dict[tuple[str, int], tuple[str, ...] | None] = {}


def _finditer_at_leaders(
    pattern: re.Pattern[str], text: str, lowered: str
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, trying the pattern only where a match can start.

    When every match starts with one of a few literals ("buy", "order"...), the
    places where they occur are found with ``str.find`` (C speed) and the pattern is
    tried only there: same matches, same order, without running the regex engine over
    the whole page.  ``lowered`` is ``fold_case(text)``.
    """
    key = (pattern.pattern, pattern.flags)
    if key not in _leaders_cache:
        if len(_leaders_cache) > _MAX_VARIANTS:
            _leaders_cache.clear()
        _leaders_cache[key] = leaders_of(pattern)
    leaders = _leaders_cache[key]
    if leaders is None or len(lowered) != len(text):
        yield from pattern.finditer(text)
        return
    positions: set[int] = set()
    limit = len(text) // 16 + 16  # beyond this, one regex pass is cheaper
    find = lowered.find
    for leader in leaders:
        at = find(leader)
        while at != -1:
            positions.add(at)
            if len(positions) > limit:
                yield from pattern.finditer(text)
                return
            at = find(leader, at + 1)
    resume = 0
    match = pattern.match
    for at in sorted(positions):
        if at < resume:
            continue
        found = match(text, at)
        if found is not None:
            yield found
            resume = max(found.end(), at + 1)


def leaders_of(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Lower-case ASCII strings one of which every match of ``pattern`` starts with,
    or None (some match could start otherwise, or the tree cannot be read)."""
    if _p is None or _c is None:
        return None
    try:
        found = _prefixes(list(_p.parse(pattern.pattern, pattern.flags)))
    except Exception:  # an unreadable tree only means no leaders
        return None
    if not found or "" in found or len(found) > _MAX_LITERALS:
        return None
    if not all(leader.isascii() for leader in found):
        return None  # case-insensitive matching of other scripts is not str.lower's
    return tuple(sorted(found))


def _prefixes(items: list[tuple[Any, Any]]) -> set[str] | None:
    """Strings one of which every match of the sequence starts with ({""}: unknown)."""
    zero_width = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)
    strings = {""}
    for op, av in items:
        if op in zero_width:
            continue  # \b, ^ and lookarounds consume nothing
        exact = _exact_element(op, av)
        if exact is not None:
            grown = {a + b for a in strings for b in exact}
            if len(grown) > _MAX_LITERALS:
                break
            strings = grown
            continue
        starts: set[str] | None = None
        if op is _c.BRANCH:
            starts = set()
            for alternative in av[1]:
                found = _prefixes(list(alternative))
                if found is None or "" in found:
                    starts = None
                    break
                starts |= found
        elif op is _c.SUBPATTERN:
            starts = _prefixes(list(av[-1]))
        elif op is _c.IN and all(kind is _c.LITERAL for kind, _ in av):
            starts = {chr(code).lower() for _, code in av}
        if starts and "" not in starts:
            grown = {a + b for a in strings for b in starts}
            if len(grown) <= _MAX_LITERALS:
                strings = grown
        break  # past a part that is not one fixed string, only prefixes are known
    return None if "" in strings else strings


_MAX_VARIANTS = 256  # reduced regexes kept per pattern
_WORTH_SPLITTING = 8_000  # characters of text before a pattern is split into alternatives


def texts_matching(pattern: re.Pattern[str], texts: Sequence[str]) -> list[bool]:
    """For each text, whether ``pattern`` may match in it: one search pass over the
    texts joined by newlines instead of one call per text.

    A superset: a match that runs across the joining newline marks the text it starts
    in, and no match inside a text is missed (each text is searched from its start
    once the previous texts are decided).  Callers confirm on the texts it marks.
    """
    joined = "\n".join(texts)
    starts: list[int] = []
    position = 0
    for text in texts:
        starts.append(position)
        position += len(text) + 1
    found = [False] * len(texts)
    match = pattern.search(joined)
    while match is not None:
        index = bisect_right(starts, match.start()) - 1
        found[index] = True
        if index + 1 >= len(starts):
            break
        match = pattern.search(joined, starts[index + 1])
    return found


def gated(pattern: str | re.Pattern[str], flags: int = 0) -> GatedPattern:
    compiled = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, flags)
    return GatedPattern(compiled)


def _alternatives(
    pattern: re.Pattern[str],
) -> tuple[str, tuple[tuple[str, Gate], ...], str] | None:
    """``(prefix, ((branch, gate), ...), suffix)`` for a top-level alternation."""
    if pattern.groups > len(pattern.groupindex):
        return None  # numbered groups would shift when branches are dropped
    source = pattern.pattern
    parts = _split_top(source)
    prefix = suffix = ""
    if len(parts) < 2:
        group = _single_group(source)
        if group is None:
            return None
        start, end = group
        parts = _split_top(source[start + 3 : end])
        if len(parts) < 2:
            return None
        prefix, suffix = source[:start], source[end + 1 :]
    branches = []
    for part in parts:
        try:
            gate = gate_for(re.compile(f"{prefix}(?:{part}){suffix}", pattern.flags))
        except re.error:
            return None
        branches.append((part, gate))
    if all(gate.literals is None for _, gate in branches):
        return None
    return prefix, tuple(branches), suffix


def _scan(source: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth) for characters outside escapes and classes."""
    depth = 0
    index = 0
    in_class = False
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            if char == "]":
                in_class = False
        elif char == "[":
            in_class = True
            if source[index + 1 : index + 2] == "]":
                index += 1  # "[]...]": a leading "]" is literal
        elif char == "(":
            yield index, char, depth
            depth += 1
        elif char == ")":
            depth -= 1
            yield index, char, depth
        elif char == "|":
            yield index, char, depth
        index += 1


def _split_top(source: str) -> list[str]:
    cuts = [i for i, char, depth in _scan(source) if char == "|" and depth == 0]
    bounds = [-1, *cuts, len(source)]
    return [source[a + 1 : b] for a, b in itertools.pairwise(bounds)]


def _single_group(source: str) -> tuple[int, int] | None:
    """The one ``(?:...)`` group at depth 0 holding the alternation, if the pattern
    is ``prefix(?:...)suffix`` with no other group at depth 0 that has branches."""
    opens = [i for i, char, depth in _scan(source) if char == "(" and depth == 0]
    for start in opens:
        if source[start : start + 3] != "(?:":
            continue
        end = next(
            (i for i, char, depth in _scan(source) if char == ")" and depth == 0 and i > start),
            None,
        )
        if end is None:
            return None
        inner = source[start + 3 : end]
        if len(_split_top(inner)) > 1:
            # The group must not be quantified: "(?:a|b)+" is not a plain alternation.
            following = source[end + 1 : end + 2]
            return None if following in ("*", "+", "?", "{") else (start, end)
    return None


def gate_for(pattern: re.Pattern[str]) -> Gate:
    if _p is None or _c is None:
        return Gate(None)
    try:
        parsed = _p.parse(pattern.pattern, pattern.flags)
        required = _requirements(list(parsed))
    except Exception:  # an unreadable tree only means no gate
        return Gate(None)
    useful = [
        _ordered(found)
        for found in sorted(required, key=_selectivity, reverse=True)
        if min(map(len, found)) >= _MIN_USEFUL and len(found) <= _MAX_LITERALS
    ]
    if not useful:
        return Gate(None)
    return Gate(useful[0], tuple(dict.fromkeys(useful[1:])))


def _ordered(literals: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(literals, key=lambda s: (-len(s), s)))


def _selectivity(found: frozenset[str]) -> tuple[int, int]:
    """Longer literals select fewer texts; fewer spellings cost fewer tests."""
    return (min(map(len, found)), -len(found))


def _sequence(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The most selective requirement among a sequence's parts, or None."""
    options = _requirements(items)
    if not options:
        return None
    return max(options, key=_selectivity)


def _requirements(items: list[tuple[Any, Any]]) -> list[frozenset[str]]:
    """Every requirement of a sequence: sets of strings, one of each set in every match.

    Consecutive purely literal parts are multiplied out ("co" + (de|upon) gives
    "code", "coupon": the parser factors common prefixes out of alternations).
    """
    options: list[frozenset[str]] = []
    run: set[str] | None = None  # the strings the literal run so far can be

    def flush() -> None:
        nonlocal run
        if run and "" not in run:
            options.append(frozenset(run))
        run = None

    for op, av in items:
        exact = _exact_element(op, av)
        if exact is not None:
            run = {a + b for a in (run or {""}) for b in exact}
            if len(run) > _MAX_LITERALS:
                run = None  # too many spellings to test: start afresh
            continue
        flush()
        found = _element(op, av)
        if found:
            options.append(found)
    flush()
    return options


def _exact_element(op: Any, av: Any) -> set[str] | None:
    """Every string a purely literal element can match, or None."""
    if op is _c.LITERAL:
        return {chr(av).lower()}
    if op is _c.SUBPATTERN:
        return _exact_sequence(list(av[-1]))
    if op is _c.BRANCH:
        union: set[str] = set()
        for alternative in av[1]:
            found = _exact_sequence(list(alternative))
            if found is None:
                return None
            union |= found
        return union
    if op is _c.MAX_REPEAT or op is _c.MIN_REPEAT:
        low, high, item = av
        if (low, high) in ((0, 1), (1, 1)):
            found = _exact_sequence(list(item))
            if found is not None and low == 0:
                found.add("")
            return found
    return None


def _exact_sequence(items: list[tuple[Any, Any]]) -> set[str] | None:
    strings = {""}
    for op, av in items:
        exact = _exact_element(op, av)
        if exact is None:
            return None
        strings = {a + b for a in strings for b in exact}
        if len(strings) > _MAX_LITERALS:
            return None
    return strings


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
