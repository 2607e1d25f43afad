"""Phrase lexicons compiled once into a single alternation per lexicon.

A lexicon file maps canonical labels to synonyms.  All phrases of a lexicon become one
regex (longest alternatives first, word-bounded), so matching costs one pass per
lexicon however many terms it has.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
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
    """A text's tokens.  Token lists come from ``findall`` (C speed); character
    offsets are computed only when a lexicon actually matches, which is rare."""

    __slots__ = ("_spans", "folded", "folded_set", "original", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.original: list[str] = _TOKEN.findall(text)
        folded_text = text.lower().translate(_DASHES)
        if len(folded_text) == len(text):
            # Lowercasing and dash folding keep token boundaries, so one C pass suffices.
            self.folded: list[str] = _TOKEN.findall(folded_text)
        else:  # a few characters change length when lowercased (e.g. "İ")
            self.folded = [token.lower().translate(_DASHES) for token in self.original]
        self.folded_set = frozenset(self.folded)
        self._spans: list[tuple[int, int]] | None = None

    @property
    def spans(self) -> list[tuple[int, int]]:
        if self._spans is None:
            self._spans = [match.span() for match in _TOKEN.finditer(self.text)]
        return self._spans


_recent: dict[str, Tokens] = {}
_RECENT_MAX = 256


def tokenize(text: str) -> Tokens:
    """Tokens of ``text``, remembered for recent texts because every lexicon and rule
    reading a sentence asks for the same tokens."""
    cached = _recent.get(text)
    if cached is not None:
        return cached
    tokens = Tokens(text)
    if len(_recent) >= _RECENT_MAX:
        _recent.clear()
    _recent[text] = tokens
    return tokens


@dataclass(frozen=True, slots=True)
class _Phrase:
    tokens: tuple[str, ...]  # folded tokens, or original tokens when case-sensitive
    label: str
    case_sensitive: bool


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Phrases indexed by their first token; matching is one pass over the tokens.

    A phrase matches whole tokens only, and not when glued to a hyphen on either
    side ("anti-inflammatory" is not "inflammatory"); whitespace between words may
    be any run, so hard-wrapped text matches.
    """

    name: str
    index: Mapping[str, tuple[_Phrase, ...]]  # folded first token -> longest first
    firsts: frozenset[str] = frozenset()  # the index's keys, for a C-speed pre-check

    def finditer(self, text: str) -> Iterator[Match]:
        tokens = tokenize(text)
        if self.firsts.isdisjoint(tokens.folded_set):
            return  # the common case: no phrase of this lexicon can start here
        folded, original = tokens.folded, tokens.original
        spans = tokens.spans
        count = len(folded)
        index = self.index
        position = 0
        while position < count:
            candidates = index.get(folded[position])
            matched = 0
            if candidates is not None:
                for phrase in candidates:
                    size = len(phrase.tokens)
                    stop = position + size
                    if stop > count:
                        continue
                    window = (
                        original[position:stop] if phrase.case_sensitive else folded[position:stop]
                    )
                    if tuple(window) != phrase.tokens:
                        continue
                    if _glued(folded, spans, position, stop):
                        continue
                    start, end = spans[position][0], spans[stop - 1][1]
                    yield Match(phrase.label, phrase.label, start, end, text[start:end])
                    matched = size
                    break
            position += matched or 1

    def find_all(self, text: str) -> list[Match]:
        return list(self.finditer(text))

    def labels_in(self, text: str) -> set[str]:
        return {match.label for match in self.finditer(text)}


def _glued(folded: list[str], spans: list[tuple[int, int]], first: int, stop: int) -> bool:
    before = first - 1
    if before >= 0 and folded[before] == "-" and spans[before][1] == spans[first][0]:
        return True
    return stop < len(folded) and folded[stop] == "-" and spans[stop][0] == spans[stop - 1][1]


def _fold(phrase: str) -> str:
    return " ".join(phrase.lower().translate(_DASHES).split())


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
    index: dict[str, list[_Phrase]] = {}
    for (phrase_tokens, case_sensitive), label in phrases.items():
        first = phrase_tokens[0].lower().translate(_DASHES)
        index.setdefault(first, []).append(_Phrase(phrase_tokens, label, case_sensitive))
    ordered = {
        first: tuple(sorted(group, key=lambda p: (-len(p.tokens), p.case_sensitive is False)))
        for first, group in index.items()
    }
    return Lexicon(name, ordered, frozenset(ordered))


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
