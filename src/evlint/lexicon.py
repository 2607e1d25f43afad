"""Phrase lexicons compiled once into a single alternation per lexicon.

A lexicon file maps canonical labels to synonyms.  All phrases of a lexicon become one
regex (longest alternatives first, word-bounded), so matching costs one pass per
lexicon however many terms it has.
"""

from __future__ import annotations

from collections.abc import Iterator, KeysView, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from evlint import lexicon_files
from evlint.data_cache import parse_file, source_stamp
from evlint.lexicon_files import LexiconError, checked_lexicon_data, read_lexicon_data
from evlint.prefilter import WORD_BYTES
from evlint.records import record
from evlint.regex_cache import compile_regex
from evlint.resources import lexicon_path
from evlint.yamlio import safe_load

_CASE_SENSITIVE = compile_regex(r"^[A-Z0-9][A-Z0-9+\-]{0,5}$")


@record
class Match:
    """A lexicon phrase or pattern found in a text: its label, offsets and matched text."""

    label: str  # canonical term
    group: str  # lexicon group key (same as label for flat lexicons)
    start: int
    end: int
    text: str


# Words (letters/digits, with inner apostrophes) and single punctuation characters.
_TOKEN = compile_regex(r"[^\W_]+(?:['’][^\W_]+)*|[^\w\s]")
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


class WordGate:
    """Which of many texts may hold a phrase of each of some lexicons.

    Tokenising every sentence of a page to ask "does it name a health term?" costs
    more than parsing the page, and most sentences name none.  The gate splits a text
    into runs of letters and digits with C-speed string methods (ASCII punctuation
    becomes spaces, then ``split``), keeps the runs that occur in some phrase, and
    asks each lexicon whether all the runs of one of its phrases are there.  Only
    texts that pass are tokenised.  The test is a superset of a phrase match: a
    phrase's tokens split into the same runs in the text ("crohn's" gives "crohn" and
    "s"), so a text can pass spuriously (the runs in another order) but a text holding
    a phrase never fails.
    """

    __slots__ = ("_byte_keys", "_byte_vocabulary", "_keys", "_lexicons", "_named", "_vocabulary")

    def __init__(self, lexicons: Mapping[str, Lexicon]) -> None:
        self._lexicons = dict(lexicons)
        self._vocabulary = frozenset().union(*(lexicon.runs for lexicon in lexicons.values()))
        # Every phrase is indexed by one of its runs (``Lexicon.run_index``), so a text
        # with none of those key runs names only lexicons that can never be ruled out.
        # Key runs are a phrase's longest, rarest words: most texts hold none.
        self._keys = frozenset().union(*(lexicon.run_index.keys() for lexicon in lexicons.values()))
        # With ASCII runs only, texts are split as bytes: a non-ASCII character becomes
        # "?", a separator, and no run of an ASCII phrase holds one.
        self._byte_vocabulary: dict[bytes, str] | None = None
        self._byte_keys: frozenset[bytes] = frozenset()
        if all(run.isascii() for run in self._vocabulary):
            self._byte_vocabulary = {run.encode("ascii"): run for run in self._vocabulary}
            self._byte_keys = frozenset(run.encode("ascii") for run in self._keys)
        self._named: dict[frozenset[str], frozenset[str]] = {}

    def _present(self, text: str) -> frozenset[str]:
        """The runs of ``text`` that occur in some phrase (none unless a key run does)."""
        lowered = text.lower()
        byte_vocabulary = self._byte_vocabulary
        if byte_vocabulary is not None:
            return self._present_bytes(
                lowered.encode("ascii", "replace").translate(WORD_BYTES).split()
            )
        runs = _RUN.findall(lowered)
        if self._keys.isdisjoint(runs):
            return _NO_RUNS
        return self._vocabulary.intersection(runs)

    def _present_bytes(self, runs: list[bytes]) -> frozenset[str]:
        if self._byte_keys.isdisjoint(runs):
            return _NO_RUNS
        vocabulary = self._byte_vocabulary
        assert vocabulary is not None
        return frozenset(vocabulary[run] for run in vocabulary.keys() & runs)

    def _lexicons_for(self, present: frozenset[str]) -> frozenset[str]:
        named = self._named.get(present)
        if named is None:
            named = frozenset(
                name for name, lexicon in self._lexicons.items() if lexicon.possible_runs(present)
            )
            if len(self._named) > _MAX_REMEMBERED_RUNS:
                self._named.clear()
            self._named[present] = named
        return named

    def hits(self, texts: Sequence[str]) -> list[bool]:
        """For each text, whether it may hold a phrase of any of the lexicons."""
        return [bool(named) for named in self.groups(texts)]

    def groups(self, texts: Sequence[str]) -> list[frozenset[str]]:
        """For each text, the names of the lexicons it may hold a phrase of."""
        named = self._lexicons_for
        if self._byte_vocabulary is None or len(texts) < 2:
            present = self._present
            return [named(present(text)) for text in texts]
        # All texts lowered, encoded and split into runs in one pass each, with NUL
        # between texts kept as the one byte that is not a separator.
        joined = "\0".join(texts)
        if joined.count("\0") != len(texts) - 1:  # a text holds a NUL itself
            present = self._present
            return [named(present(text)) for text in texts]
        data = joined.lower().encode("ascii", "replace").translate(_BYTE_SEPARATORS_BUT_NUL)
        present_bytes = self._present_bytes
        return [named(present_bytes(part.split())) for part in data.split(b"\0")]


_MAX_REMEMBERED_RUNS = 4096  # distinct sets of runs whose lexicons are remembered


# Runs of letters and digits; apostrophes and underscores separate them, as in tokens
# (``prefilter.WORD_BYTES`` does the same for bytes).
_RUN = compile_regex(r"[^\W_]+")
_BYTE_SEPARATORS_BUT_NUL = b"\0" + WORD_BYTES[1:]
_NO_RUNS: frozenset[str] = frozenset()


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


@record
class _Phrase:
    """One phrase of a lexicon as tokens, with the words that index and gate it."""

    tokens: tuple[str, ...]  # folded tokens, or original tokens when case-sensitive
    label: str
    case_sensitive: bool
    rank: int  # longer phrases first, then case-sensitive ones, then file order
    anchor: int  # position in ``tokens`` of the word the phrase is indexed by
    words: frozenset[str]  # its folded words: all must occur in a text it matches
    runs: frozenset[str]  # its runs of letters and digits (see WordGate)


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


@record
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
    run_index: Mapping[str, tuple[_Phrase, ...]]  # longest run of a phrase -> phrases
    runs: frozenset[str]  # every run of every phrase
    always: bool  # some phrase has no run (punctuation only): no text can be ruled out

    @property
    def gate(self) -> WordGate:
        """Finds the texts of a page that may hold a phrase of this lexicon (built once
        per lexicon: pages ask for it one after another)."""
        known = _gates.get(id(self))
        if known is None or known[0] is not self:
            if len(_gates) > 64:
                _gates.clear()
            known = _gates[id(self)] = (self, WordGate({self.name: self}))
        return known[1]

    def possible_runs(self, present: frozenset[str]) -> bool:
        """Whether a text whose phrase runs are ``present`` may hold a phrase."""
        if self.always:
            return True
        run_index = self.run_index
        for run in run_index.keys() & present:
            for phrase in run_index[run]:
                if phrase.runs <= present:
                    return True
        return False

    def finditer(self, text: str) -> Iterator[Match]:
        tokens = tokenize(text)
        folded_set = tokens.folded_set
        if self.anchors.isdisjoint(folded_set):
            return  # the common case: no phrase of this lexicon can occur here
        index = self.index
        anchors = self.anchors.intersection(folded_set)
        candidates = {
            id(phrase)
            for anchor in anchors
            for phrase in index[anchor]
            if phrase.words <= folded_set
        }
        if not candidates:
            return  # an anchor word without the rest of its phrase ("heart" alone)
        folded = tokens.folded
        count = len(folded)
        # Where each candidate phrase would start, from every anchor word present.
        starts: dict[int, list[_Phrase]] = {}
        for position, token in enumerate(folded):
            if token not in anchors:
                continue
            for phrase in index[token]:
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


# Gates by lexicon identity (a lexicon holds dicts, so it is not hashable); the entry
# keeps its lexicon alive, so an id is never reused while its entry stands.
_gates: dict[int, tuple[Lexicon, WordGate]] = {}


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


def _phrase_tokens(phrase: str, case_sensitive: bool) -> tuple[str, ...]:
    """A lexicon phrase's tokens as :class:`Tokens` reads them (original case for a
    case-sensitive phrase, folded otherwise), without building a ``Tokens``."""
    if case_sensitive:
        return tuple(_TOKEN.findall(phrase))
    folded = phrase.lower()
    if not folded.isascii():
        folded = folded.translate(_DASHES)
    if len(folded) == len(phrase):
        return tuple(_TOKEN.findall(folded))
    return tuple(token.lower().translate(_DASHES) for token in _TOKEN.findall(phrase))


def _longest_run_key(run: str) -> tuple[int, str]:
    return (len(run), run)


def compile_terms(name: str, terms: Mapping[str, list[str]]) -> Lexicon:
    return _from_table(_table(name, terms))


def _table(name: str, terms: Mapping[str, list[str]]) -> dict[str, Any]:
    """A lexicon compiled to plain JSON data: what :func:`_from_table` builds a
    :class:`Lexicon` from, and what the data cache keeps between runs.

    ``phrases`` are rows ``[tokens, label, case_sensitive, anchor, runs]`` in rank
    order (a phrase's rank is its row number); ``index`` and ``run_index`` map a word
    or run to row numbers.
    """
    phrases: dict[tuple[tuple[str, ...], bool], str] = {}
    case_sensitive_phrase = _CASE_SENSITIVE.match
    for label, synonyms in terms.items():
        for phrase in [label, *synonyms]:
            phrase = str(phrase).strip()
            if not phrase:
                continue
            case_sensitive = case_sensitive_phrase(phrase) is not None
            key = (_phrase_tokens(phrase, case_sensitive), case_sensitive)
            if key[0]:
                phrases.setdefault(key, label)
    ordered = sorted(
        enumerate(phrases.items()),
        key=lambda item: (-len(item[1][0][0]), not item[1][0][1], item[0]),
    )
    rows: list[list[Any]] = []
    index: dict[str, list[int]] = {}
    run_index: dict[str, list[int]] = {}
    all_runs: set[str] = set()
    always = False
    for rank, (_, ((phrase_tokens, case_sensitive), label)) in enumerate(ordered):
        folded = _folded(phrase_tokens, case_sensitive)
        anchor = _anchor(folded)
        runs = sorted(set(_RUN.findall(" ".join(folded))))
        rows.append([list(phrase_tokens), label, case_sensitive, anchor, runs])
        index.setdefault(folded[anchor], []).append(rank)
        all_runs.update(runs)
        if runs:
            run_index.setdefault(max(runs, key=_longest_run_key), []).append(rank)
        else:
            always = True
    return {
        "name": name,
        "phrases": rows,
        "index": index,
        "run_index": run_index,
        "runs": sorted(all_runs),
        "always": always,
    }


def _folded(phrase_tokens: Sequence[str], case_sensitive: bool) -> tuple[str, ...]:
    # Tokens of a phrase that is not case-sensitive are already folded.
    if case_sensitive:
        return tuple(token.lower().translate(_DASHES) for token in phrase_tokens)
    return tuple(phrase_tokens)


def _from_table(table: Mapping[str, Any]) -> Lexicon:
    rows = _PhraseRows(table["phrases"])
    index: dict[str, list[int]] = table["index"]
    return Lexicon(
        str(table["name"]),
        _PhraseIndex(index, rows),
        frozenset(index),
        _PhraseIndex(table["run_index"], rows),
        frozenset(table["runs"]),
        bool(table["always"]),
    )


class _PhraseRows:
    """A lexicon's phrase rows, each made a :class:`_Phrase` when first looked up: a
    page looks up a few dozen of a lexicon's hundreds of phrases, and making them all
    cost several milliseconds of every start-up."""

    __slots__ = ("_made", "_rows")

    def __init__(self, rows: list[list[Any]]) -> None:
        self._rows = rows
        self._made: list[_Phrase | None] = [None] * len(rows)

    def phrase(self, rank: int) -> _Phrase:
        made = self._made[rank]
        if made is None:
            tokens, label, case_sensitive, anchor, runs = self._rows[rank]
            phrase_tokens = tuple(tokens)
            made = _Phrase(
                phrase_tokens,
                label,
                case_sensitive,
                rank,
                anchor,
                frozenset(_folded(phrase_tokens, case_sensitive)),
                frozenset(runs),
            )
            self._made[rank] = made
        return made


class _PhraseIndex(Mapping[str, tuple[_Phrase, ...]]):
    """Word -> phrases, the phrases made on first look-up of the word."""

    __slots__ = ("_made", "_ranks", "_rows")

    def __init__(self, ranks: dict[str, list[int]], rows: _PhraseRows) -> None:
        self._ranks = ranks
        self._rows = rows
        self._made: dict[str, tuple[_Phrase, ...]] = {}

    def __getitem__(self, word: str) -> tuple[_Phrase, ...]:
        made = self._made.get(word)
        if made is None:
            phrase = self._rows.phrase
            made = self._made[word] = tuple(phrase(rank) for rank in self._ranks[word])
        return made

    def __contains__(self, word: object) -> bool:
        return word in self._ranks

    def __iter__(self) -> Iterator[str]:
        return iter(self._ranks)

    def __len__(self) -> int:
        return len(self._ranks)

    def __repr__(self) -> str:
        return f"<phrase index of {len(self._ranks)} words>"

    def keys(self) -> KeysView[str]:
        """The words, as the underlying dict's C-speed key view (set operations on
        the generic view would make every phrase)."""
        return self._ranks.keys()


def load_lexicon_file(path: Path) -> Lexicon:
    return _from_table(read_lexicon_table(path))


def read_lexicon_table(path: Path) -> dict[str, Any]:
    """The lexicon file compiled by :func:`_table`, kept between runs by the data
    cache under a name that changes whenever this module or the lexicon file
    reader does (so an edit to how lexicons compile is never served stale)."""
    stamp = _code_stamp()
    if stamp is None:
        data = read_lexicon_data(path)
        return _table(str(data.get("name", path.stem)), data["terms"])

    def parse(text: str) -> dict[str, Any]:
        data = checked_lexicon_data(path, safe_load(text))
        return _table(str(data.get("name", path.stem)), data["terms"])

    try:
        table: dict[str, Any] = parse_file(path, "lexicon-table", parse, stamp)
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(path, f"cannot read lexicon: {exc}") from None
    return table


@lru_cache(maxsize=1)
def _code_stamp() -> str | None:
    return source_stamp((__file__, lexicon_files.__file__))


@lru_cache(maxsize=64)
def builtin_lexicon(name: str) -> Lexicon:
    return load_lexicon_file(lexicon_path(name))
