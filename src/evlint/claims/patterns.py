"""Regular-expression cue sets read from ``rules/lexicons/*.yaml`` (``patterns:`` key).

Every pattern of a file becomes one alternation with a named group per label, so a
sentence is scanned once per file and each match reports its label and span.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from evlint.lexicon import Match
from evlint.lexicon_files import LexiconError
from evlint.records import record
from evlint.regex_cache import compile_regex
from evlint.resources import lexicon_path
from evlint.yamlio import read_yaml

# Backslash escapes (\b, \W, \d) keep their case; literal text must be lower case
# because patterns run case-sensitively over lowercased text.
_ESCAPE = compile_regex(r"\\.")
# Where a pattern may start: the start of a line, a word, a bracket or a percent sign.
# Trying the alternation only there (not at every character) is several times faster.
_ANCHOR = r"(?:^|\b(?=\w)|(?=[(%]))"


@record(slots=False)  # not slotted: the case-insensitive variant is cached on first use
class PatternSet:
    """The labelled regexes of one pattern file, compiled into one alternation with
    a named group per label."""

    name: str
    folded: re.Pattern[str]  # case-sensitive, for lowercased text

    labels: Mapping[str, str]  # regex group name -> label
    sources: Mapping[str, tuple[str, ...]]  # label -> its regexes, for subsets

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The same, case-insensitive: only for the rare text whose length changes when
        lowercased ("İ"), so compiled when first needed."""
        return compile_regex(self.folded.pattern, re.IGNORECASE | re.MULTILINE)

    def only(self, label: str) -> PatternSet:
        """The same scan restricted to one label: fewer alternatives to try per word."""
        return _subset(self.name, label, self.sources[label])

    def finditer(self, text: str) -> Iterator[Match]:
        # Matching lowercased text without IGNORECASE is about twice as fast; the rare
        # text whose length changes when lowercased ("İ") keeps the slower pattern.
        lowered = text.lower()
        same_length = len(lowered) == len(text)
        pattern = self.folded if same_length else self.pattern
        subject = lowered if same_length else text
        # Both patterns are anchored (see compile_patterns): a search finds the next
        # place where a pattern starts and matches, all in the regex engine.
        search = pattern.search
        labels = self.labels
        match = search(subject)
        while match is not None:
            start, end = match.span()
            group = match.lastgroup
            if group is not None:
                label = labels[group]
                yield Match(label, label, start, end, text[start:end])
            match = search(subject, max(end, start + 1))

    def find_all(self, text: str) -> list[Match]:
        return list(self.finditer(text))

    def find_cues(self, text: str) -> tuple[Match, ...]:
        return tuple(self.finditer(text))


@lru_cache(maxsize=32)
def _subset(name: str, label: str, regexes: tuple[str, ...]) -> PatternSet:
    return compile_patterns(f"{name}:{label}", {label: list(regexes)})


def compile_patterns(name: str, patterns: Mapping[str, list[str]]) -> PatternSet:
    parts: list[str] = []
    labels: dict[str, str] = {}
    for index, (label, regexes) in enumerate(patterns.items()):
        group = f"p{index}"
        labels[group] = label
        # Each regex is wrapped in a non-capturing group so its own "|" stays local.
        parts.append(f"(?P<{group}>{'|'.join(f'(?:{r})' for r in regexes)})")
    body = f"{_ANCHOR}(?:{'|'.join(parts)})" if parts else r"(?!x)x"
    return PatternSet(
        name,
        compile_regex(body, re.MULTILINE),
        labels,
        {label: tuple(regexes) for label, regexes in patterns.items()},
    )


def load_pattern_file(path: Path) -> PatternSet:
    try:
        data: Any = read_yaml(path)
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(path, f"cannot read patterns: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("patterns"), dict):
        raise LexiconError(path, "a pattern file needs a 'patterns' mapping of label: [regex]")
    patterns: dict[str, list[str]] = {}
    for label, regexes in data["patterns"].items():
        if not isinstance(regexes, list):
            raise LexiconError(path, f"patterns.{label} must be a list of regular expressions")
        for regex in regexes:
            if _ESCAPE.sub("", str(regex)) != _ESCAPE.sub("", str(regex)).lower():
                raise LexiconError(path, f"patterns.{label}: write {regex!r} in lower case")
        patterns[str(label)] = [str(r) for r in regexes]
    try:
        return compile_patterns(path.stem, patterns)
    except re.error as combined:
        # Compiling each regex alone (slower, so only now) names the one at fault.
        for label, regexes in patterns.items():
            for regex in regexes:
                try:
                    re.compile(regex)
                except re.error as exc:
                    message = f"patterns.{label}: bad regex {regex!r}: {exc}"
                    raise LexiconError(path, message) from None
        raise LexiconError(path, f"the patterns cannot be combined: {combined}") from None


@lru_cache(maxsize=16)
def builtin_patterns(name: str) -> PatternSet:
    return load_pattern_file(lexicon_path(name))


@lru_cache(maxsize=16)
def lexicon_metadata(name: str) -> Mapping[str, Any]:
    """The non-``terms`` keys of a built-in lexicon file (levels, suggestions...)."""
    path = lexicon_path(name)
    data: Any = read_yaml(path)
    if not isinstance(data, dict):
        raise LexiconError(path, "a lexicon file must be a mapping")
    return {str(k): v for k, v in data.items() if k != "terms"}
