"""Phrase lexicons compiled once into a single alternation per lexicon.

A lexicon file maps canonical labels to synonyms.  All phrases of a lexicon become one
regex (longest alternatives first, word-bounded), so matching costs one pass per
lexicon however many terms it has.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from evlint.resources import lexicon_path
from evlint.yamlio import safe_load

_CASE_SENSITIVE = re.compile(r"^[A-Z0-9][A-Z0-9+\-]{0,5}$")


class LexiconError(Exception):
    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True, slots=True)
class Match:
    label: str  # canonical term
    group: str  # lexicon group key (same as label for flat lexicons)
    start: int
    end: int
    text: str


# Words (letters/digits, with inner apostrophes) and single punctuation characters.
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[^\w\s]")
_DASHES = str.maketrans({"–": "-", "‐": "-", "‑": "-", "—": "-", "’": "'"})


class Tokens:
    """A text's tokens.  Token lists come from ``findall`` (C speed); the original-case
    tokens and character offsets are computed only when a lexicon needs them, which
    is rare: most sentences fail the anchor-word pre-check."""

    __slots__ = ("_original", "_spans", "folded", "folded_set", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        folded_text = text.lower()
        if not folded_text.isascii():  # every character _DASHES maps is non-ASCII
            folded_text = folded_text.translate(_DASHES)
        self._original: list[str] | None = None
        if len(folded_text) == len(text):
            # Lowercasing and dash folding keep token boundaries, so one C pass suffices.
            self.folded: list[str] = _TOKEN.findall(folded_text)
        else:  # a few characters change length when lowercased (e.g. "İ")
            self.folded = [token.lower().translate(_DASHES) for token in self.original]
        self.folded_set = frozenset(self.folded)
        self._spans: list[tuple[int, int]] | None = None

    @property
    def original(self) -> list[str]:
        if self._original is None:
            self._original = _TOKEN.findall(self.text)
        return self._original

    @property
    def spans(self) -> list[tuple[int, int]]:
        if self._spans is None:
            self._spans = [match.span() for match in _TOKEN.finditer(self.text)]
        return self._spans


def words_of(text: str) -> frozenset[str]:
    """The folded words of a long text (a whole page), not kept in the recent cache."""
    return Tokens(text).folded_set


class WordGate:
    """Which of many texts hold one of a set of words, found in one regex pass.

    Tokenising every sentence of a page to ask "does it name a health term?" costs
    more than parsing the page; most sentences do not.  The words become one
    trie-shaped regex run once over the page's texts joined, so only the texts with a
    hit are tokenised.  The test is a superset of token equality: a word matches
    where a token equal to it stands (and, rarely, inside a longer token such as
    "test's"), never misses one.
    """

    __slots__ = ("_pattern", "words")

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(words)
        self._pattern: re.Pattern[str] | None = None

    def _compiled(self) -> re.Pattern[str]:
        if self._pattern is None:
            plain = [w for w in self.words if w.isalnum()]
            other = sorted((w for w in self.words if not w.isalnum()), key=len, reverse=True)
            branches = [rf"(?<![^\W_])(?:{_trie_pattern(plain)})(?![^\W_])"] if plain else []
            branches.extend(re.escape(w) for w in other)
            self._pattern = re.compile("|".join(branches) or r"(?!)")
        return self._pattern

    def hits(self, texts: Sequence[str]) -> list[bool]:
        """For each text, whether it may hold one of the words as a token."""
        joined = "\n".join(texts)
        lowered = joined.lower()
        if len(lowered) != len(joined):  # lowercasing moved offsets ("İ"): test each text
            return [not self.words.isdisjoint(tokenize(t).folded_set) for t in texts]
        starts: list[int] = []
        position = 0
        for text in texts:
            starts.append(position)
            position += len(text) + 1
        found = [False] * len(texts)
        search = self._compiled().search
        match = search(lowered)
        while match is not None:
            index = bisect_right(starts, match.start()) - 1
            found[index] = True
            if index + 1 >= len(starts):
                break
            match = search(lowered, starts[index + 1])  # one hit per text is enough
        return found


class _Trie(dict[str, "_Trie"]):
    """Next character -> subtree; the key "" marks the end of a word."""


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex matching exactly ``words``, shaped as a trie so that matching at a
    position follows one path instead of trying every word."""
    root = _Trie()
    for word in words:
        node = root
        for character in word:
            node = node.setdefault(character, _Trie())
        node[""] = _Trie()
    return _trie_node(root)


def _trie_node(node: _Trie) -> str:
    branches = [
        re.escape(character) + _trie_node(child)
        for character, child in sorted(node.items())
        if character
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


_recent: dict[str, Tokens] = {}
# Enough for every sentence of a long page, read by several rules.  The budget is in
# characters, not entries: a page-sized text kept with its token offsets costs as much
# as hundreds of sentences, and memory must stay flat over a run of many files.
_RECENT_CHARACTERS = 250_000
_recent_size = 0


def tokenize(text: str) -> Tokens:
    """Tokens of ``text``, remembered for recent texts because every lexicon and rule
    reading a sentence asks for the same tokens."""
    global _recent_size
    cached = _recent.get(text)
    if cached is not None:
        return cached
    tokens = Tokens(text)
    if len(text) > _RECENT_CHARACTERS // 10:
        return tokens  # a whole long page: read once, not worth keeping
    if _recent_size + len(text) > _RECENT_CHARACTERS:
        _recent.clear()
        _recent_size = 0
    _recent[text] = tokens
    _recent_size += len(text)
    return tokens


@dataclass(frozen=True, slots=True)
class _Phrase:
    tokens: tuple[str, ...]  # folded tokens, or original tokens when case-sensitive
    label: str
    case_sensitive: bool
    rank: int  # longer phrases first, then case-sensitive ones, then file order
    anchor: int  # position in ``tokens`` of the word the phrase is indexed by
    words: frozenset[str]  # its folded words: all must occur in a text it matches


# Function words never anchor a phrase: "the", "to" or "in" start many phrases
# ("in mice", "the immune system") and occur in almost every sentence, so indexing by
# them would send nearly every sentence down the slow path.
_FUNCTION_WORDS = frozenset(
    """a an the and or nor but if of to in on at by for from with without into onto
    over under about as than then so not no is are was were be been being am do does
    did has have had can could may might must shall should will would it its this that
    these those they them their there here we our you your he she his her i me my
    which who whom what when where why how all any some each more most less very""".split()  # noqa: SIM905
)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Phrases indexed by their rarest word; matching is one pass over the tokens.

    A phrase matches whole tokens only, and not when glued to a hyphen on either
    side ("anti-inflammatory" is not "inflammatory"); whitespace between words may
    be any run, so hard-wrapped text matches.  Matches do not overlap: scanning left
    to right, the longest phrase starting at a token wins.
    """

    name: str
    index: Mapping[str, tuple[_Phrase, ...]]  # folded anchor word -> phrases
    anchors: frozenset[str]  # the index's keys, for a C-speed pre-check
    gate: WordGate  # finds the texts of a page that hold an anchor word, in one pass

    def possible(self, words: frozenset[str]) -> bool:
        """Whether a text with these folded words could hold a phrase of this lexicon
        (every word of some phrase present): a whole page is tested in one step."""
        return any(self._candidates(words))

    def _candidates(self, words: frozenset[str]) -> Iterator[_Phrase]:
        for anchor in self.anchors.intersection(words):
            for phrase in self.index[anchor]:
                if phrase.words <= words:
                    yield phrase

    def finditer(self, text: str) -> Iterator[Match]:
        tokens = tokenize(text)
        folded_set = tokens.folded_set
        if self.anchors.isdisjoint(folded_set):
            return  # the common case: no phrase of this lexicon can occur here
        candidates = {id(phrase) for phrase in self._candidates(folded_set)}
        if not candidates:
            return  # an anchor word without the rest of its phrase ("heart" alone)
        folded = tokens.folded
        count = len(folded)
        # Where each candidate phrase would start, from every anchor word present.
        starts: dict[int, list[_Phrase]] = {}
        index = self.index
        for position, token in enumerate(folded):
            for phrase in index.get(token, ()):
                start = position - phrase.anchor
                if id(phrase) in candidates and start >= 0 and start + len(phrase.tokens) <= count:
                    starts.setdefault(start, []).append(phrase)
        if not starts:
            return
        spans = tokens.spans
        resume = 0
        for start in sorted(starts):
            if start < resume:
                continue
            for phrase in sorted(starts[start], key=_rank):
                stop = start + len(phrase.tokens)
                window = (
                    tokens.original[start:stop] if phrase.case_sensitive else folded[start:stop]
                )
                if tuple(window) != phrase.tokens or _glued(folded, spans, start, stop):
                    continue
                begin, end = spans[start][0], spans[stop - 1][1]
                yield Match(phrase.label, phrase.label, begin, end, text[begin:end])
                resume = stop
                break

    def find_all(self, text: str) -> list[Match]:
        return list(self.finditer(text))

    def labels_in(self, text: str) -> set[str]:
        return {match.label for match in self.finditer(text)}


def _rank(phrase: _Phrase) -> int:
    return phrase.rank


def _glued(folded: list[str], spans: list[tuple[int, int]], first: int, stop: int) -> bool:
    before = first - 1
    if before >= 0 and folded[before] == "-" and spans[before][1] == spans[first][0]:
        return True
    return stop < len(folded) and folded[stop] == "-" and spans[stop][0] == spans[stop - 1][1]


def _fold(phrase: str) -> str:
    return " ".join(phrase.lower().translate(_DASHES).split())


def _anchor(folded: tuple[str, ...]) -> int:
    """The phrase word least likely to occur by chance: the longest content word."""
    content = [i for i, word in enumerate(folded) if word.isalnum() and word not in _FUNCTION_WORDS]
    if not content:
        return 0
    return max(content, key=lambda i: (len(folded[i]), -i))


def compile_terms(name: str, terms: Mapping[str, list[str]]) -> Lexicon:
    phrases: dict[tuple[tuple[str, ...], bool], str] = {}
    for label, synonyms in terms.items():
        for phrase in [label, *synonyms]:
            phrase = str(phrase).strip()
            if not phrase:
                continue
            case_sensitive = _CASE_SENSITIVE.match(phrase) is not None
            found = tokenize(phrase)
            key = (tuple(found.original if case_sensitive else found.folded), case_sensitive)
            if key[0]:
                phrases.setdefault(key, label)
    ordered = sorted(
        enumerate(phrases.items()),
        key=lambda item: (-len(item[1][0][0]), not item[1][0][1], item[0]),
    )
    index: dict[str, list[_Phrase]] = {}
    for rank, (_, ((phrase_tokens, case_sensitive), label)) in enumerate(ordered):
        folded = tuple(token.lower().translate(_DASHES) for token in phrase_tokens)
        anchor = _anchor(folded)
        entry = _Phrase(phrase_tokens, label, case_sensitive, rank, anchor, frozenset(folded))
        index.setdefault(folded[anchor], []).append(entry)
    frozen = {word: tuple(group) for word, group in index.items()}
    anchors = frozenset(frozen)
    return Lexicon(name, frozen, anchors, WordGate(anchors))


def load_lexicon_file(path: Path) -> Lexicon:
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(path, f"cannot read lexicon: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("terms"), dict):
        raise LexiconError(path, "a lexicon needs a 'terms' mapping of label: [synonyms]")
    terms: dict[str, list[str]] = {}
    for label, synonyms in data["terms"].items():
        if synonyms is None:
            synonyms = []
        if not isinstance(synonyms, list):
            raise LexiconError(path, f"terms.{label} must be a list of phrases")
        terms[str(label)] = [str(s) for s in synonyms]
    return compile_terms(str(data.get("name", path.stem)), terms)


@lru_cache(maxsize=64)
def builtin_lexicon(name: str) -> Lexicon:
    return load_lexicon_file(lexicon_path(name))
