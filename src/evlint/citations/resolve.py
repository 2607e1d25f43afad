"""Link every citation to its reference entry, decide what it covers, and find problems.

Resolution: a number goes to the entry with that number, a footnote to its
definition, a reference-style link to its link definition, an author–year citation to
the entry with that first author and year, and a link or bare identifier to the entry
sharing a key (DOI, PMID, PMCID or canonical URL).  A link or identifier that shares
no key with an entry is still a citation: it names its own source ("external").

Coverage: a citation covers the sentence it is in.  When the last sentence of a
paragraph or list item is nothing but markers ("… in mice. [1][2]"), those markers
cover every sentence of that block.

Integrity problems: dangling markers, unused entries, duplicate entries and malformed
identifiers.  An entry of a numbered or bulleted list is reported unused only when the
document cites that list by marker at all; a list that no marker points into is a
bibliography ("further reading"), not a set of broken citations.

Everything here is built with dictionaries keyed by number, label, key and
(author, year): linear in the number of citations plus entries.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field
from functools import cached_property
from typing import TYPE_CHECKING

from evlint.citations.classify import classify_href, host_of, site_hosts
from evlint.citations.find import citations_in, identifiers_in
from evlint.citations.model import (
    MARKER_STYLES,
    SOURCE_CLASSES,
    Citation,
    CitationProblem,
    Identifier,
    ReferenceEntry,
    ResolvedCitation,
)
from evlint.citations.references import reference_list
from evlint.document import Document
from evlint.records import record
from evlint.regex_cache import compile_regex

if TYPE_CHECKING:
    from evlint.sentences import Sentence

# What may remain of a sentence besides its markers: punctuation and one closing word.
_CLOSING_REST = compile_regex(
    r"[\W_]*(?:(?:sources?|see(?:[\W_]+also)?|refs?|references?|via|from|cf)[\W_]*)?", re.I
)
_NOTE_LABEL = compile_regex(r"\^?\d+|\^.+")
_KEY_NAMES = {"doi": "DOI", "pmid": "PMID", "pmcid": "PMCID", "url": "URL"}


_ByIndex = dict[int, tuple[ResolvedCitation, ...]]


@record(slots=False)  # not slotted: the sentence coverage is cached on first use
class CitationIndex:
    """Every citation of a document, resolved, with what each sentence is covered by."""

    entries: tuple[ReferenceEntry, ...]
    citations: tuple[ResolvedCitation, ...]
    problems: tuple[CitationProblem, ...]
    reference_blocks: frozenset[int]
    document: Document = field(repr=False, compare=False)
    by_block: Mapping[int, Sequence[ResolvedCitation]] = field(repr=False, compare=False)

    # Which sentence each citation covers needs the page's sentences; the citation
    # integrity rules, which alone run on a page that is not about health, do not.
    @cached_property
    def _coverage(self) -> tuple[_ByIndex, _ByIndex]:
        return _coverage(self.document, self.by_block)

    @property
    def own(self) -> _ByIndex:
        """Sentence index -> the citations written in it."""
        return self._coverage[0]

    @property
    def covering(self) -> _ByIndex:
        """Sentence index -> every citation that covers it."""
        return self._coverage[1]

    def in_sentence(self, sentence: Sentence) -> tuple[ResolvedCitation, ...]:
        """Citations written inside the sentence."""
        return self.own.get(sentence.index, ())

    def for_sentence(self, sentence: Sentence) -> tuple[ResolvedCitation, ...]:
        """Citations that cover the sentence: its own and a block-closing marker's."""
        return self.covering.get(sentence.index, ())

    def supported(self, sentence: Sentence) -> bool:
        """Whether a resolved citation to something other than the site itself covers it."""
        return any(c.supports for c in self.for_sentence(sentence))

    def keys_for(self, sentence: Sentence) -> frozenset[str]:
        """Identifier keys of every source covering the sentence (for evidence linking)."""
        keys: set[str] = set()
        for citation in self.for_sentence(sentence):
            keys.update(citation.keys)
        return frozenset(keys)

    def citing(self, entry: ReferenceEntry) -> tuple[ResolvedCitation, ...]:
        return tuple(c for c in self.citations if any(e.index == entry.index for e in c.entries))


def build_index(document: Document, extra_hosts: Iterable[str] = ()) -> CitationIndex:
    front = document.source.front_matter
    own_hosts = site_hosts(front.data if front else None, extra_hosts)
    refs = reference_list(document, own_hosts)
    lookup = _Lookup(refs.entries)
    body = document.source.body

    resolved: list[ResolvedCitation] = []
    problems: list[CitationProblem] = []
    malformed: list[Identifier] = list(refs.malformed)
    by_block: dict[int, list[ResolvedCitation]] = {}
    for block in document.blocks:
        if block.index in refs.blocks or block.kind == "heading":
            continue
        identifiers = identifiers_in(block, targets=False)  # links cite on their own
        if identifiers:
            malformed.extend(i.identifier for i in identifiers if i.identifier.key is None)
        for citation in citations_in(block, body, identifiers):
            result = lookup.resolve(citation, own_hosts)
            if result is None:
                continue
            resolved.append(result)
            by_block.setdefault(block.index, []).append(result)
            if result.missing:
                problems.append(_dangling(result))

    duplicates = _duplicates(refs.entries)
    duplicated = {p.span for p in duplicates}
    # A duplicate is never cited because its first copy takes the citations: one finding.
    problems.extend(p for p in _unused(refs.entries, resolved) if p.span not in duplicated)
    problems.extend(duplicates)
    problems.extend(_malformed(malformed))
    problems.sort(key=lambda p: (p.span.start, p.kind))
    return CitationIndex(
        refs.entries, tuple(resolved), tuple(problems), refs.blocks, document, by_block
    )


class _Lookup:
    def __init__(self, entries: tuple[ReferenceEntry, ...]) -> None:
        self.any_entries = bool(entries)
        self.by_number: dict[int, ReferenceEntry] = {}
        self.by_footnote: dict[str, ReferenceEntry] = {}
        self.by_definition: dict[str, ReferenceEntry] = {}
        self.by_key: dict[str, ReferenceEntry] = {}
        self.by_author_year: dict[tuple[str, str], ReferenceEntry] = {}
        for entry in entries:  # first entry wins: later ones are duplicates
            if entry.number is not None:
                self.by_number.setdefault(entry.number, entry)
            if entry.form == "footnote":
                self.by_footnote.setdefault(entry.label, entry)
            if entry.form == "definition":
                label = _label(entry.label)
                self.by_definition.setdefault(label, entry)
                if label.startswith("^"):  # "[^2]: url" read as a link definition
                    self.by_footnote.setdefault(entry.label[1:], entry)
                elif label.isdigit():
                    self.by_number.setdefault(int(label), entry)
            for key in entry.keys:
                self.by_key.setdefault(key, entry)
            if entry.first_author and entry.year:
                self.by_author_year.setdefault((entry.first_author, entry.year), entry)

    def resolve(self, citation: Citation, own_hosts: frozenset[str]) -> ResolvedCitation | None:
        entries: list[ReferenceEntry] = []
        missing: list[str] = []
        style = citation.style
        if style in ("numbered", "superscript", "caret"):
            for number in citation.numbers:
                entry = self.by_number.get(number)
                (entries.append(entry) if entry else missing.append(str(number)))
        elif style == "footnote":
            entry = self.by_footnote.get(citation.label)
            (entries.append(entry) if entry else missing.append(f"^{citation.label}"))
        elif style == "reference":
            entry = self.by_definition.get(_label(citation.label))
            if entry:
                entries.append(entry)
        elif style == "author-year":
            entry = self.by_author_year.get((citation.author, citation.year))
            if entry:
                entries.append(entry)
            elif self.any_entries:
                missing.append(citation.text)
        # Links and identifiers: by shared key (most pages list no entry with a key).
        for key in sorted(citation.keys) if self.by_key else ():
            entry = self.by_key.get(key)
            if entry and entry not in entries:
                entries.append(entry)
                break
        if citation.tentative and not entries:
            return None
        keys = citation.keys.union(*(entry.keys for entry in entries))
        if entries:
            status = "resolved"
        elif missing:
            status = "dangling"
        elif style == "author-year":
            status = "unlisted"
        else:
            status = "external"
        return ResolvedCitation(
            citation,
            tuple(entries),
            status,
            _source_class(citation, entries, own_hosts),
            keys,
            tuple(missing),
        )


def _label(label: str) -> str:
    return " ".join(label.split()).casefold()


def _source_class(
    citation: Citation, entries: list[ReferenceEntry], own_hosts: frozenset[str]
) -> str:
    classes = [entry.source_class for entry in entries]
    if citation.href:
        classes.append(classify_href(citation.href, citation.keys, own_hosts))
    elif citation.style == "identifier":
        classes.append("scholarly")
    elif citation.style == "author-year":
        classes.append("scholarly")  # names an author and year of a publication
    for wanted in SOURCE_CLASSES:
        if wanted in classes:
            return wanted
    return "other"


def _coverage(
    document: Document, by_block: Mapping[int, Sequence[ResolvedCitation]]
) -> tuple[_ByIndex, _ByIndex]:
    own: _ByIndex = {}
    covering: _ByIndex = {}
    if not by_block:
        return own, covering  # nothing cited: no sentence to look at
    sentences_by_block: dict[int, list[Sentence]] = {}
    for sentence in document.sentences:
        if sentence.block.index in by_block:
            sentences_by_block.setdefault(sentence.block.index, []).append(sentence)
    for block_index, sentences in sentences_by_block.items():
        citations = by_block[block_index]
        starts = [s.start for s in sentences]
        groups: dict[int, list[ResolvedCitation]] = {}
        for item in citations:
            position = bisect.bisect_right(starts, item.citation.start) - 1
            if position >= 0 and item.citation.start < sentences[position].end:
                groups.setdefault(sentences[position].index, []).append(item)
        for index, items in groups.items():
            own[index] = tuple(items)
        last = sentences[-1]
        closing = groups.get(last.index, [])
        block_wide = tuple(closing) if _only_markers(last, closing) else ()
        for sentence in sentences:
            mine = own.get(sentence.index, ())
            extra = tuple(c for c in block_wide if c not in mine) if block_wide else ()
            if mine or extra:
                covering[sentence.index] = mine + extra
    return own, covering


def _only_markers(sentence: Sentence, citations: list[ResolvedCitation]) -> bool:
    """The sentence is nothing but citation markers (and "Source:"-like words)."""
    if not citations:
        return False
    text = sentence.text
    pieces: list[str] = []
    position = sentence.start
    for item in sorted(citations, key=lambda c: c.citation.start):
        start = max(item.citation.start, position)
        pieces.append(sentence.block.text[position:start])
        position = max(position, item.citation.end)
    pieces.append(sentence.block.text[position : sentence.end])
    # One anchored match, which stops at the first word of prose: no rewrite of the text.
    return bool(text) and _CLOSING_REST.fullmatch(" ".join(pieces)) is not None


def _dangling(result: ResolvedCitation) -> CitationProblem:
    citation = result.citation
    if citation.style == "footnote":
        detail = f"footnote [^{citation.label}] has no definition"
    elif citation.style == "author-year":
        detail = f"'{citation.text}' matches no entry of the reference list (by author and year)"
    else:
        numbers = ", ".join(m for m in result.missing)
        plural = "entries" if len(result.missing) > 1 else "entry"
        detail = f"citation {citation.text.strip()} has no reference {plural} {numbers}"
    return CitationProblem("dangling", citation.span, detail)


def _unused(
    entries: tuple[ReferenceEntry, ...], resolved: list[ResolvedCitation]
) -> list[CitationProblem]:
    cited: set[int] = set()
    by_marker: set[str] = set()  # entry forms that some marker points into
    for item in resolved:
        for entry in item.entries:
            cited.add(entry.index)
            if item.citation.style in MARKER_STYLES:
                by_marker.add(
                    "list" if entry.form in ("numbered", "bulleted", "paragraph") else entry.form
                )
    problems: list[CitationProblem] = []
    for entry in entries:
        if entry.index in cited:
            continue
        if entry.form in ("numbered", "bulleted", "paragraph") and "list" not in by_marker:
            continue
        if entry.form == "definition" and not _NOTE_LABEL.fullmatch(entry.label):
            continue  # an ordinary link definition, not a citation target
        problems.append(
            CitationProblem("unused", entry.span, f"reference {entry.name} is never cited")
        )
    return problems


def _duplicates(entries: tuple[ReferenceEntry, ...]) -> list[CitationProblem]:
    problems: list[CitationProblem] = []
    first_by_key: dict[str, ReferenceEntry] = {}
    first_by_number: dict[int, ReferenceEntry] = {}
    for entry in entries:
        reported = False
        keys = entry.keys
        if entry.form == "definition":
            # Link definitions are names for links ("[node-gyp]: …", "[install]: …"),
            # and two names for one page, or anchors of one page, are no second source.
            # The same DOI, PMID or PMCID twice still is.
            keys = frozenset(key for key in keys if not key.startswith("url:"))
        for key in sorted(keys, key=_key_rank):
            first = first_by_key.setdefault(key, entry)
            if first is not entry and not reported:
                kind, _, value = key.partition(":")
                problems.append(
                    CitationProblem(
                        "duplicate",
                        entry.span,
                        f"reference {entry.name} duplicates {first.name} (line {first.line}): "
                        f"same {_KEY_NAMES.get(kind, kind)} {value}",
                        first.line,
                    )
                )
                reported = True
        if entry.number is not None and entry.form != "definition":
            first = first_by_number.setdefault(entry.number, entry)
            if first is not entry and not reported:
                problems.append(
                    CitationProblem(
                        "duplicate",
                        entry.span,
                        f"two references are numbered {entry.number} (lines {first.line} "
                        f"and {entry.line})",
                        first.line,
                    )
                )
    return problems


def _key_rank(key: str) -> tuple[int, str]:
    order = ("doi", "pmid", "pmcid", "url")
    kind = key.partition(":")[0]
    return (order.index(kind) if kind in order else len(order), key)


def _malformed(identifiers: list[Identifier]) -> list[CitationProblem]:
    problems: list[CitationProblem] = []
    seen: set[tuple[int, int]] = set()
    for ident in identifiers:
        where = (ident.span.start, ident.span.end)
        if where in seen:
            continue
        seen.add(where)
        name = _KEY_NAMES.get(ident.kind, ident.kind)
        problems.append(
            CitationProblem("malformed", ident.span, f"malformed {name} '{ident.text}'")
        )
    return problems


__all__ = ["CitationIndex", "build_index", "host_of"]
