"""Whether a page is about health: the gate in front of the health rules.

evlint runs where content is written, and the same repository holds READMEs,
changelogs and API references.  Read as health content, "improves memory usage" is an
uncited claim and "guaranteed to be emitted" is hype.  A page that names no term of
the ``topic`` lexicon therefore gets only the rules marked ``topic: any``.  The test is
generous on purpose: one term anywhere in a short file is enough (two different ones
in a long page), a word counts inside a hyphenated compound ("pregnancy-related"),
and ``all-pages: true`` (or ``--all-pages``) turns the gate off.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from evlint.lexicon_files import read_lexicon_data
from evlint.records import record
from evlint.resources import lexicon_path

if TYPE_CHECKING:
    from evlint.lexicon import Lexicon

TOPIC_LEXICON = "topic"
# All-capital abbreviations this short name software and companies as often as
# conditions (MS, RDS, ROS, NEC): from included lexicons they do not count.
_SHORT_ABBREVIATION = 3
# From this many words on, a page needs two different health terms.
LONG_PAGE_WORDS = 300
# ``prefilter.WORD_BYTES`` with ASCII capitals lowered, so the page need not be lowered
# first: a translate to bytes that keeps runs of letters and digits, in lower case.
_LOWER_WORD_BYTES = bytes(
    ord(chr(byte).lower()) if byte < 128 and chr(byte).isalnum() else ord(" ")
    for byte in range(256)
)


@record
class Topic:
    """The health terms that make a page health content, indexed for a fast test."""

    phrases: tuple[str, ...]  # every term, as written
    words: frozenset[bytes]  # one-word, case-insensitive ASCII terms: a set lookup


def health_terms(text: str) -> tuple[str, ...]:
    """The health terms that make ``text`` health content, or ``()`` when it is not.

    A short text needs one term; a page of ``LONG_PAGE_WORDS`` words or more needs two
    different ones, so that one idiom in a long software page ("an extra dose of
    insurance", "a maintenance headache") does not make it a health page.
    """
    topic = load_topic()
    # Runs of ASCII letters and digits, lowered, as bytes: one C pass.  A non-ASCII
    # character becomes "?", a separator, which no one-word ASCII term contains.
    runs = text.encode("ascii", "replace").translate(_LOWER_WORD_BYTES).split()
    needed = 1 if len(runs) < LONG_PAGE_WORDS else 2
    found: dict[str, str] = {}
    for word in sorted(topic.words.intersection(runs)):
        found.setdefault(_stem(word.decode("ascii")), word.decode("ascii"))
    if len(found) >= needed:
        return tuple(found.values())[:needed]
    phrase_runs = _phrase_runs()
    if phrase_runs is not None and not _some_phrase_in(phrase_runs, set(runs)):
        return ()  # the common case on a software page: no phrase has all its words
    # Phrases ("your health") and capital abbreviations: only the paragraphs that hold
    # every word of some phrase are tokenised, which on a long software page is few.
    paragraphs = text.split("\n\n")
    lexicon = topic_lexicon()
    for paragraph, named in zip(paragraphs, lexicon.gate.groups(paragraphs), strict=True):
        if not named:
            continue
        for match in lexicon.finditer(paragraph):
            found.setdefault(_stem(match.text.lower()), match.text)
            if len(found) >= needed:
                return tuple(found.values())[:needed]
    return ()


def _stem(term: str) -> str:
    # "dose" and "doses" are one term, not two.
    return " ".join(term.split()).removesuffix("s")


@lru_cache(maxsize=1)
def load_topic() -> Topic:
    data = read_lexicon_data(lexicon_path(TOPIC_LEXICON))
    excluded = {_fold(str(phrase)) for phrase in data.get("exclude") or ()}
    phrases: dict[str, None] = {}
    for synonyms in data["terms"].values():
        for phrase in synonyms:
            phrases[phrase] = None
    for name in data.get("include") or ():
        included = read_lexicon_data(lexicon_path(str(name)))
        for label, synonyms in included["terms"].items():
            for phrase in (label, *synonyms):
                if _fold(phrase) not in excluded and not _short_abbreviation(phrase):
                    phrases[phrase] = None
    words = frozenset(
        phrase.lower().encode("ascii")
        for phrase in phrases
        if phrase.isascii() and phrase.isalnum() and not phrase.isupper()
    )
    return Topic(tuple(phrases), words)


@lru_cache(maxsize=1)
def _phrase_runs() -> dict[bytes, tuple[frozenset[bytes], ...]] | None:
    """Each phrase's runs of ASCII letters and digits, lowered, by its longest run: a
    page that lacks a run of every phrase names none.  None when some phrase has no
    such run at all.  Built on first need: most health pages name a one-word term
    before a phrase is looked for."""
    return _runs_by_key(load_topic().phrases)


@lru_cache(maxsize=1)
def topic_lexicon() -> Lexicon:
    """Every term compiled, for the pages that may name a phrase.  Each phrase is its
    own label: the topic's group names ("medicine", "research") are headings for
    readers, not words that make a page health content."""
    from evlint.lexicon import compile_terms

    return compile_terms(TOPIC_LEXICON, {phrase: [] for phrase in load_topic().phrases})


def _runs_by_key(phrases: Iterable[str]) -> dict[bytes, tuple[frozenset[bytes], ...]] | None:
    by_key: dict[bytes, list[frozenset[bytes]]] = {}
    for phrase in phrases:
        # Split as pages are split: a non-ASCII character (β, an en dash) separates,
        # so a page holding the phrase holds all of these runs.
        runs = frozenset(phrase.encode("ascii", "replace").translate(_LOWER_WORD_BYTES).split())
        if not runs:
            return None  # no ASCII run to look for: every page must be asked
        by_key.setdefault(max(runs, key=lambda run: (len(run), run)), []).append(runs)
    return {key: tuple(group) for key, group in by_key.items()}


def _some_phrase_in(
    phrase_runs: Mapping[bytes, tuple[frozenset[bytes], ...]], runs: set[bytes]
) -> bool:
    return any(needed <= runs for key in phrase_runs.keys() & runs for needed in phrase_runs[key])


def _fold(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _short_abbreviation(phrase: str) -> bool:
    return len(phrase) <= _SHORT_ABBREVIATION and phrase.isupper()
