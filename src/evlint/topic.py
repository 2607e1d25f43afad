"""Whether a page is about health: the gate in front of the health rules.

evlint runs where content is written, and the same repository holds READMEs,
changelogs and API references.  Read as health content, "improves memory usage" is an
uncited claim and "guaranteed to be emitted" is hype.  A page that names no term of
the ``topic`` lexicon therefore gets only the rules marked ``topic: any``.  The test is
generous on purpose: one term anywhere in the file is enough, a word counts inside a
hyphenated compound ("pregnancy-related"), and ``all-pages: true`` (or
``--all-pages``) turns the gate off.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from evlint.lexicon import Lexicon, LexiconError, compile_terms
from evlint.resources import lexicon_path
from evlint.yamlio import safe_load

TOPIC_LEXICON = "topic"
# All-capital abbreviations this short name software and companies as often as
# conditions (MS, RDS, ROS, NEC): from included lexicons they do not count.
_SHORT_ABBREVIATION = 3
# ``prefilter.WORD_BYTES`` with ASCII capitals lowered, so the page need not be lowered
# first: a translate to bytes that keeps runs of letters and digits, in lower case.
_LOWER_WORD_BYTES = bytes(
    ord(chr(byte).lower()) if byte < 128 and chr(byte).isalnum() else ord(" ")
    for byte in range(256)
)


@dataclass(frozen=True, slots=True)
class Topic:
    words: frozenset[bytes]  # one-word, case-insensitive ASCII terms: a set lookup
    lexicon: Lexicon  # every term, for phrases and case-sensitive abbreviations
    # Each phrase's runs of letters and digits as ASCII bytes, by its key run: a page
    # that lacks a run of every phrase names none.  None when some run is not ASCII
    # (a non-ASCII character splits bytes differently) or a phrase has no run.
    phrase_runs: Mapping[bytes, tuple[frozenset[bytes], ...]] | None


def health_term(text: str) -> str | None:
    """The first health term ``text`` names (a one-word term first), or ``None``."""
    topic = load_topic()
    # Runs of ASCII letters and digits, lowered, as bytes: one C pass.  A non-ASCII
    # character becomes "?", a separator, which no one-word ASCII term contains.
    runs = text.encode("ascii", "replace").translate(_LOWER_WORD_BYTES).split()
    words = topic.words.intersection(runs)
    if words:
        return min(words).decode("ascii")
    if topic.phrase_runs is not None and not _some_phrase_in(topic.phrase_runs, set(runs)):
        return None  # the common case on a software page: no phrase has all its words
    # Phrases ("your health") and capital abbreviations: only the paragraphs that hold
    # every word of some phrase are tokenised, which on a long software page is few.
    paragraphs = text.split("\n\n")
    lexicon = topic.lexicon
    for paragraph, named in zip(paragraphs, lexicon.gate.groups(paragraphs), strict=True):
        if named:
            match = next(lexicon.finditer(paragraph), None)
            if match is not None:
                return match.text
    return None


@lru_cache(maxsize=1)
def load_topic() -> Topic:
    data = _read(lexicon_path(TOPIC_LEXICON))
    excluded = {_fold(str(phrase)) for phrase in data.get("exclude") or ()}
    # Each phrase is its own label: the topic's group names ("medicine", "research")
    # are headings for readers, not words that make a page health content.
    phrases: dict[str, list[str]] = {}
    for synonyms in data["terms"].values():
        for phrase in synonyms or ():
            phrases.setdefault(str(phrase), [])
    for name in data.get("include") or ():
        included = _read(lexicon_path(str(name)))
        for label, synonyms in included["terms"].items():
            for phrase in (str(label), *(str(s) for s in synonyms or ())):
                if _fold(phrase) not in excluded and not _short_abbreviation(phrase):
                    phrases.setdefault(phrase, [])
    words = frozenset(
        phrase.lower().encode("ascii")
        for phrase in phrases
        if phrase.isascii() and phrase.isalnum() and not phrase.isupper()
    )
    lexicon = compile_terms(TOPIC_LEXICON, phrases)
    phrase_runs = None
    if all(run.isascii() for run in lexicon.runs) and not lexicon.always:
        phrase_runs = {
            key.encode("ascii"): tuple(
                frozenset(run.encode("ascii") for run in phrase.runs) for phrase in phrases_of_key
            )
            for key, phrases_of_key in lexicon.run_index.items()
        }
    return Topic(words, lexicon, phrase_runs)


def _some_phrase_in(
    phrase_runs: Mapping[bytes, tuple[frozenset[bytes], ...]], runs: set[bytes]
) -> bool:
    return any(needed <= runs for key in phrase_runs.keys() & runs for needed in phrase_runs[key])


def _read(path: Path) -> dict[str, Any]:
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(path, f"cannot read lexicon: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("terms"), dict):
        raise LexiconError(path, "a lexicon needs a 'terms' mapping of label: [synonyms]")
    return data


def _fold(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _short_abbreviation(phrase: str) -> bool:
    return len(phrase) <= _SHORT_ABBREVIATION and phrase.isupper()
