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


@dataclass(frozen=True, slots=True)
class Lexicon:
    name: str
    pattern: re.Pattern[str]
    labels: Mapping[str, str]  # lowercased phrase -> canonical label
    exact_labels: Mapping[str, str]  # case-sensitive phrase -> canonical label

    def finditer(self, text: str) -> Iterator[Match]:
        for match in self.pattern.finditer(text):
            phrase = match.group(0)
            label = self.exact_labels.get(phrase) or self.labels.get(_fold(phrase))
            if label is None:
                continue
            yield Match(label, label, match.start(), match.end(), phrase)

    def find_all(self, text: str) -> list[Match]:
        return list(self.finditer(text))

    def labels_in(self, text: str) -> set[str]:
        return {match.label for match in self.finditer(text)}


def _fold(phrase: str) -> str:
    return " ".join(phrase.lower().replace("’", "'").replace("–", "-").split())


def compile_terms(name: str, terms: Mapping[str, list[str]]) -> Lexicon:
    labels: dict[str, str] = {}
    exact: dict[str, str] = {}
    insensitive: set[str] = set()
    sensitive: set[str] = set()
    for label, synonyms in terms.items():
        for phrase in [label, *synonyms]:
            phrase = str(phrase).strip()
            if not phrase:
                continue
            if _CASE_SENSITIVE.match(phrase):
                exact[phrase] = label
                sensitive.add(phrase)
            else:
                labels.setdefault(_fold(phrase), label)
                insensitive.add(_fold(phrase))

    def alternatives(phrases: set[str]) -> str:
        ordered = sorted(phrases, key=lambda p: (-len(p), p))
        return "|".join(_phrase_regex(p) for p in ordered)

    parts = []
    if insensitive:
        parts.append(f"(?i:{alternatives(insensitive)})")
    if sensitive:
        parts.append(alternatives(sensitive))
    body = "|".join(parts) or r"(?!x)x"
    pattern = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")
    return Lexicon(name, pattern, labels, exact)


def _phrase_regex(phrase: str) -> str:
    # Spaces match any whitespace run (hard-wrapped text); apostrophes and hyphens
    # match their typographic variants.
    escaped = re.escape(phrase)
    escaped = escaped.replace(r"\ ", r"\s+").replace("'", "['’]").replace(r"\-", "[-–‐]")
    return escaped


def load_lexicon_file(path: Path) -> Lexicon:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
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
