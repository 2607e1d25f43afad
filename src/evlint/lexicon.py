"""Phrase lexicons compiled once into a single alternation per lexicon.

A lexicon file maps canonical labels to synonyms.  All phrases of a lexicon become one
regex (longest alternatives first, word-bounded), so matching costs one pass per
lexicon however many terms it has.
"""

from __future__ import annotations

import re
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
    """Which of many texts may hold one of a set of words as a token.

    Tokenising every sentence of a page to ask "does it name a health term?" costs
    more than parsing the page, and most sentences name none.  The gate splits a text
    into runs of letters and digits with C-speed string methods (ASCII punctuation
    becomes spaces, then ``split``) and intersects them with the words, so only the
    texts with a hit are tokenised.  The test is a superset of token equality: a
    token "crohn's" splits into "crohn" and "s", so a word with an apostrophe is
    looked up by its first part; a hit can be spurious ("test's" holds "test"), a
    miss cannot.

    Words may belong to several named groups (one per lexicon): ``groups`` tells, in
    the same pass, which groups each text may name.
    """

    __slots__ = ("_bits", "_byte_keys", "_keys", "_tokens_only", "words")

    def __init__(self, words: Iterable[str], groups: Mapping[str, Iterable[str]] = {}) -> None:
        self._bits = {name: 1 << bit for bit, name in enumerate(groups)}
        masks: dict[str, int] = dict.fromkeys(words, 1)
        for name, members in groups.items():
            for word in members:
                masks[word] = masks.get(word, 0) | self._bits[name]
        self.words = frozenset(masks)
        # A word that is no run of letters and digits (punctuation, "%") cannot be
        # found by splitting: such a gate tokenises every text instead.
        self._tokens_only = not all(_TOKEN_SHAPE.fullmatch(w) for w in masks)
        keys: dict[str, int] = {}
        for word, mask in masks.items():
            key = word.split("'", 1)[0]
            keys[key] = keys.get(key, 0) | mask
        self._keys = keys
        # With ASCII words only, texts are split as bytes: a non-ASCII character becomes
        # "?", a separator, and no token equal to an ASCII word holds one.
        self._byte_keys: dict[bytes, int] | None = None
        if all(key.isascii() for key in keys):
            self._byte_keys = {key.encode("ascii"): mask for key, mask in keys.items()}

    def _mask(self, text: str) -> int:
        """The groups (bit 1 when there are none) whose words ``text`` may hold."""
        if self._tokens_only:
            return _mask_of(self._keys, tokenize(text).folded_set & self.words)
        lowered = text.lower()
        mask = 0
        byte_keys = self._byte_keys
        if byte_keys is not None:
            data = lowered.encode("ascii", "replace").translate(_BYTE_SEPARATORS)
            for run in byte_keys.keys() & data.split():
                mask |= byte_keys[run]
            return mask
        keys = self._keys
        for word in keys.keys() & _RUN.findall(lowered):
            mask |= keys[word]
        return mask

    def hits(self, texts: Sequence[str]) -> list[bool]:
        """For each text, whether it may hold one of the words as a token."""
        mask = self._mask
        return [mask(text) != 0 for text in texts]

    def groups(self, texts: Sequence[str]) -> list[frozenset[str]]:
        """For each text, the groups whose words it may hold."""
        names = {bit: name for name, bit in self._bits.items()}
        cache: dict[int, frozenset[str]] = {0: frozenset()}
        result = []
        for text in texts:
            mask = self._mask(text)
            named = cache.get(mask)
            if named is None:
                named = cache[mask] = frozenset(n for bit, n in names.items() if mask & bit)
            result.append(named)
        return result


def _mask_of(keys: Mapping[str, int], words: Iterable[str]) -> int:
    mask = 0
    for word in words:
        mask |= keys[word.split("'", 1)[0]]
    return mask


# A word the splitting gate can find: letters and digits, inner apostrophes.
_TOKEN_SHAPE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# Runs of letters and digits; apostrophes and underscores separate them, as in tokens
# (the bytes table: every ASCII byte but a letter or digit becomes a space).
_RUN = re.compile(r"[^\W_]+")
_BYTE_SEPARATORS = bytes(
    byte if byte < 128 and chr(byte).isalnum() else ord(" ") for byte in range(256)
)


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
