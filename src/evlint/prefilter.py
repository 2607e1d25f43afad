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
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from evlint.records import record
from evlint.regex_cache import compile_regex

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
_MAX_LEADERS = 128  # one str.find each: still cheaper than the regex engine's scan


@record
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
        if len(lowered) < _WORDS_WORTH:
            if not any(literal in lowered for literal in self.literals):
                return False
            return all(any(literal in lowered for literal in required) for required in self.also)
        # A long page: a word-like literal is looked for among the page's distinct
        # words instead (several times less text), anything else in the page itself.
        words = _words_of(lowered)

        def occurs(literal: str) -> bool:
            return literal in (words if literal.isascii() and literal.isalnum() else lowered)

        if not any(map(occurs, self.literals)):
            return False
        return all(any(map(occurs, required)) for required in self.also)


# Below this length, scanning a text costs less than listing its words.
_WORDS_WORTH = 4096
# A bytes.translate table: every ASCII byte but a letter or digit becomes a space (a
# non-ASCII character is already "?" after encoding, so it separates words too).  The
# lexicon word gates split texts into runs with it as well.
WORD_BYTES = bytes(byte if byte < 128 and chr(byte).isalnum() else ord(" ") for byte in range(256))
_last_words: tuple[str, str] = ("", "")


def _words_of(lowered: str) -> str:
    """The distinct maximal runs of ASCII letters and digits of ``lowered``, joined by
    spaces.  An ASCII alphanumeric string lies inside one such run wherever it occurs,
    so it occurs in ``lowered`` exactly when it occurs in these words.  The last page
    asked for is kept: every gated pattern asks about the same page in turn."""
    global _last_words
    if _last_words[0] is lowered:
        return _last_words[1]
    runs = set(lowered.encode("ascii", "replace").translate(WORD_BYTES).split())
    words = b" ".join(runs).decode("ascii")
    _last_words = (lowered, words)
    return words


@record
class Plan:
    """How to search one page: the pattern to run and where its matches can start.

    ``leaders``: lower-case literals one of which every match starts with, so the
    pattern is tried only where one occurs (None: the regex engine scans).
    ``joinable``: a match inside one text is also one in texts joined by newlines.
    """

    pattern: re.Pattern[str]
    leaders: tuple[str, ...] | None
    joinable: bool

    @staticmethod
    def of(pattern: re.Pattern[str]) -> Plan:
        return Plan(pattern, _cached(_leaders_cache, pattern, leaders_of), _joinable(pattern))

    def finditer(self, text: str, lowered: str | None = None) -> Iterator[re.Match[str]]:
        """``pattern.finditer(text)``; ``lowered`` is ``fold_case(text)`` if known."""
        if self.leaders is None:
            return self.pattern.finditer(text)
        return _LeaderSearch(self, text, lowered).finditer()


@record
class _Branch:
    """One top-level alternative of a ``GatedPattern``: its regex source, its gate and
    where its matches can start (as in ``Plan``)."""

    source: str
    gate: Gate
    leaders: tuple[str, ...] | None
    joinable: bool


class GatedPattern:
    """A pattern that runs only past literal gates.

    A top-level alternation (``A|B|C``, or ``prefix(?:A|B|C)suffix``) gets one gate per
    alternative: on a text, only the alternatives whose literals the text contains can
    match.  When each of those starts with known literals, the whole pattern is tried
    only where one of them occurs; otherwise a regex keeping only those alternatives,
    in their original order, scans the text.  Alternatives that cannot match anywhere
    in the text change nothing when dropped, so matches are identical.  Patterns with
    numbered groups keep one gate for the whole pattern, since dropping branches would
    renumber them.
    """

    __slots__ = ("_branches", "_compiled", "_gate", "_seen", "_split", "_whole", "pattern")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        # Gates are built on first use: reading the parse trees of every module-level
        # pattern at import would slow down start-up for commands that never use them.
        self._gate: Gate | None = None
        self._split = False
        self._seen = 0  # characters of text searched before the pattern was split
        self._whole: Plan | None = None
        self._branches: tuple[str, tuple[_Branch, ...], str] | None = None
        self._compiled: dict[tuple[int, ...], Plan] = {}

    @property
    def gate(self) -> Gate:
        if self._gate is None:
            self._gate = gate_for(self.pattern)
        return self._gate

    def plan(self, text: str, lowered: str | None = None) -> Plan | None:
        """How to search ``text`` (``lowered``: ``fold_case(text)``), or None when the
        pattern cannot match in it."""
        if not self._split:
            self._seen += len(text)
            if self._seen < _WORTH_SPLITTING:
                # Splitting a pattern into gated alternatives costs a few milliseconds
                # once; a run that has searched only a little text (one small post
                # checked in a hook) is faster without.  Results are the same either way.
                return Plan(self.pattern, None, False)
            self._split_branches()
        lowered = fold_case(text) if lowered is None else lowered
        if self._branches is None:
            if self._whole is None:
                self._whole = Plan.of(self.pattern)
            return self._whole if self.gate.admits(lowered) else None
        branches = self._branches[1]
        kept = tuple(i for i, branch in enumerate(branches) if branch.gate.admits(lowered))
        if not kept:
            return None
        found = self._compiled.get(kept)
        if found is None:
            if len(self._compiled) > _MAX_VARIANTS:
                self._compiled.clear()
            found = self._compiled[kept] = self._plan_for([branches[i] for i in kept])
        return found

    def _split_branches(self) -> None:
        parts = _alternatives(self.pattern)
        if parts is not None:
            prefix, sources, suffix = parts
            branches = []
            for source, gate in sources:
                alone = compile_regex(f"{prefix}(?:{source}){suffix}", self.pattern.flags)
                branches.append(_Branch(source, gate, leaders_of(alone), _joinable(alone)))
            self._branches = (prefix, tuple(branches), suffix)
        self._split = True

    def _plan_for(self, kept: list[_Branch]) -> Plan:
        joinable = all(branch.joinable for branch in kept)
        if all(branch.leaders is not None for branch in kept):
            leaders = sorted({leader for branch in kept for leader in branch.leaders or ()})
            if len(leaders) <= _MAX_LEADERS:
                # The whole pattern, tried where a kept alternative can start: the
                # others cannot match on this text, so no reduced regex is compiled.
                return Plan(self.pattern, tuple(leaders), joinable)
        assert self._branches is not None
        prefix, _, suffix = self._branches
        body = "|".join(branch.source for branch in kept)
        # re.compile, not the persistent cache: which alternatives are kept depends on
        # the page, so these variants are many and rarely reused across runs.
        return Plan(re.compile(f"{prefix}(?:{body}){suffix}", self.pattern.flags), None, joinable)

    def for_page(self, lowered: str) -> Plan | None:
        """The plan for searching many parts of a page (``lowered``: the whole page,
        case-folded); None when the pattern can match nowhere on it."""
        return self.plan(lowered, lowered)

    def search(self, text: str, lowered: str | None = None) -> re.Match[str] | None:
        return next(self.finditer(text, lowered), None)

    def finditer(self, text: str, lowered: str | None = None) -> Iterator[re.Match[str]]:
        plan = self.plan(text, lowered)
        return iter(()) if plan is None else plan.finditer(text, lowered)

    def findall(self, text: str, lowered: str | None = None) -> list[Any]:
        """As ``re.Pattern.findall``: whole matches, or groups when the pattern has any."""
        groups = self.pattern.groups
        found = self.finditer(text, lowered)
        if groups == 0:
            return [match.group(0) for match in found]
        if groups == 1:
            return [match.group(1) or "" for match in found]
        return [match.groups("") for match in found]


_MAX_VARIANTS = 256  # reduced regexes kept per pattern
_WORTH_SPLITTING = 20_000  # characters searched before a pattern is split into alternatives


def texts_matching(pattern: re.Pattern[str] | Plan, texts: Sequence[str]) -> list[bool]:
    """For each text, whether ``pattern`` may match in it: one search pass over the
    texts joined by newlines instead of one call per text.

    A superset: a match that runs across the joining newline marks the text it starts
    in, and no match inside a text is missed (each text is searched from its start
    once the previous texts are decided).  Callers confirm on the texts it marks.
    """
    found = [False] * len(texts)
    for index in _candidate_texts(pattern, texts):
        found[index] = True
    return found


def first_text_matching(pattern: re.Pattern[str] | Plan, texts: Sequence[str]) -> int | None:
    """The index of the first text in which ``pattern`` matches, or None."""
    plan = pattern if isinstance(pattern, Plan) else Plan.of(pattern)
    for index in _candidate_texts(plan, texts):
        if next(plan.finditer(texts[index]), None) is not None:
            return index
    return None


def _candidate_texts(pattern: re.Pattern[str] | Plan, texts: Sequence[str]) -> Iterator[int]:
    """Indexes, in order, of the texts ``pattern`` may match in (a superset)."""
    plan = pattern if isinstance(pattern, Plan) else Plan.of(pattern)
    if not plan.joinable:
        search = plan.pattern.search
        yield from (i for i, text in enumerate(texts) if search(text) is not None)
        return
    joined = "\n".join(texts)
    starts: list[int] = []
    position = 0
    for text in texts:
        starts.append(position)
        position += len(text) + 1
    search_from = _LeaderSearch(plan, joined).search
    match = search_from(0)
    while match is not None:
        index = bisect_right(starts, match.start()) - 1
        yield index
        if index + 1 >= len(starts):
            return
        match = search_from(starts[index + 1])


class _LeaderSearch:
    """Searches of one text, trying the pattern only where a leading literal occurs.

    The places are found with ``str.find`` (C speed); the regex runs only there, so
    matches are the same, in the same order, without the engine scanning the text.
    """

    def __init__(self, plan: Plan, text: str, lowered: str | None = None) -> None:
        self.pattern = plan.pattern
        self.text = text
        self.positions: list[int] | None = None
        if plan.leaders is None:
            return
        lowered = fold_case(text) if lowered is None else lowered
        if len(lowered) != len(text):
            return
        positions: set[int] = set()
        limit = len(text) // 16 + 16  # beyond this, the regex engine's own scan is cheaper
        find = lowered.find
        for leader in plan.leaders:
            at = find(leader)
            while at != -1:
                positions.add(at)
                if len(positions) > limit:
                    return
                at = find(leader, at + 1)
        self.positions = sorted(positions)

    def search(self, position: int) -> re.Match[str] | None:
        if self.positions is None:
            return self.pattern.search(self.text, position)
        match = self.pattern.match
        for at in self.positions[bisect_left(self.positions, position) :]:
            found = match(self.text, at)
            if found is not None:
                return found
        return None

    def finditer(self) -> Iterator[re.Match[str]]:
        if self.positions is None:
            yield from self.pattern.finditer(self.text)
            return
        resume = 0
        match = self.pattern.match
        for at in self.positions:
            if at < resume:
                continue
            found = match(self.text, at)
            if found is not None:
                yield found
                resume = max(found.end(), at + 1)


def _joinable(pattern: re.Pattern[str]) -> bool:
    """Whether a match inside one text is also a match in the texts joined by newlines:
    true without lookarounds, back-references and string anchors (``^`` without
    MULTILINE, ``$``, ``\\A``, ``\\Z``), which could see across the join."""
    return _cached(_joinable_cache, pattern, _free_of_context)


_leaders_cache: dict[tuple[str, int], tuple[str, ...] | None] = {}
_joinable_cache: dict[tuple[str, int], bool] = {}
T = TypeVar("T")


def _cached(
    cache: dict[tuple[str, int], T],
    pattern: re.Pattern[str],
    compute: Callable[[re.Pattern[str]], T],
) -> T:
    key = (pattern.pattern, pattern.flags)
    if key not in cache:
        if len(cache) > _MAX_VARIANTS:
            cache.clear()
        cache[key] = compute(pattern)
    return cache[key]


@lru_cache(maxsize=16)
def _parse_tree(source: str, flags: int) -> Any:
    """The parse tree of a pattern, shared by the three readers below (parsing a
    lexicon-sized alternation takes milliseconds).  The trees are only read."""
    return _p.parse(source, flags)


def _free_of_context(pattern: re.Pattern[str]) -> bool:
    if _p is None or _c is None:
        return False
    try:
        tree = _parse_tree(pattern.pattern, pattern.flags)
    except Exception:
        return False
    looking = {_c.ASSERT, _c.ASSERT_NOT, _c.GROUPREF, getattr(_c, "GROUPREF_EXISTS", None)}
    ends = {_c.AT_END, _c.AT_END_LINE, _c.AT_END_STRING, _c.AT_BEGINNING, _c.AT_BEGINNING_STRING}
    stack: list[Any] = [tree]
    while stack:
        for op, av in stack.pop():
            if op in looking or (op is _c.AT and av in ends):
                return False
            stack.extend(_children(op, av))
    return True


def _children(op: Any, av: Any) -> list[Any]:
    if op is _c.SUBPATTERN:
        return [av[-1]]
    if op is _c.BRANCH:
        return list(av[1])
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        return [av[2]]
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return [av]
    return []


def leaders_of(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Lower-case ASCII strings one of which every match of ``pattern`` starts with,
    or None (some match could start otherwise, or the tree cannot be read)."""
    if _p is None or _c is None:
        return None
    try:
        found = _prefixes(list(_parse_tree(pattern.pattern, pattern.flags)))
    except Exception:  # an unreadable tree only means no leaders
        return None
    if not found or "" in found or len(found) > _MAX_LEADERS:
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


def gated(pattern: str | re.Pattern[str], flags: int = 0) -> GatedPattern:
    compiled = pattern if isinstance(pattern, re.Pattern) else compile_regex(pattern, flags)
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
            gate = gate_for(compile_regex(f"{prefix}(?:{part}){suffix}", pattern.flags))
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
        required = _requirements(list(_parse_tree(pattern.pattern, pattern.flags)))
    except Exception:  # an unreadable tree only means no gate
        return Gate(None)
    useful = [
        _ordered(found)
        for found in sorted(required, key=_selectivity, reverse=True)
        if min(map(len, found)) >= _MIN_USEFUL
        and len(found) <= _MAX_LITERALS
        # No spaces: callers may gate on a page and search texts cut from it with
        # parts replaced by spaces, which can join words but never create a literal
        # without one.
        and not any(any(c.isspace() for c in literal) for literal in found)
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
