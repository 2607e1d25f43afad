"""Offset-preserving sentence splitting over a block's masked scan text.

A sentence ends at ``.``, ``!`` or ``?`` (or an ellipsis) followed by optional closing
quotes/brackets and citation markers ("disease.[1]", "disease.<sup>2</sup>"), then
whitespace and something that can start a sentence.  Abbreviations, initials,
decimals and lowercase continuations do not end sentences.  One compiled regex finds
candidate boundaries; the checks per candidate are constant-time, so splitting is
linear in the text.
"""

from __future__ import annotations

from collections.abc import Iterator

from evlint.markdown import MASK, Block
from evlint.model import Span
from evlint.records import record
from evlint.regex_cache import compile_regex

# Words that end with a period without ending the sentence.  Matched case-insensitively
# against the token before the period.
ABBREVIATIONS: frozenset[str] = frozenset(
    (
        "e.g",
        "i.e",
        "et",
        "al",
        "al",
        "etc",
        "vs",
        "v",
        "cf",
        "fig",
        "figs",
        "no",
        "nos",
        "vol",
        "pp",
        "p",
        "approx",
        "ca",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "univ",
        "est",
        "min",
        "max",
        "avg",
        "resp",
        "ref",
        "refs",
        "eq",
        "eqs",
        "ed",
        "eds",
        "u.s",
        "u.k",
        "a.m",
        "p.m",
        "ph.d",
        "m.d",
        "b.sc",
        "m.sc",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mt",
        "ft",
        "sq",
        "e.v",
        "n.b",
        "viz",
        "incl",
    )
)

_TERMINATOR = compile_regex(
    # The terminator itself: "...", "…" or a run of [.!?].  Every alternative opens
    # with a literal, so the regex engine skips ahead to candidate characters rather
    # than trying a match at every position (same matches as "\.\.\.|…|[.!?]+").
    r"(?:\.\.\.|…|\.[.!?]*|![.!?]*|\?[.!?]*)"
    r"(?P<trail>(?:[\"'”’»)\]]"  # closing quotes and brackets
    # Masked markers such as <sup>2</sup> or [^1].  The mask runs are atomic: with
    # plain M+…M* inside the repeated group, a long masked run (a code span right
    # after a full stop) backtracked exponentially and hung the linter.
    rf"|(?>{MASK}+)[\d,\s\-–]*(?>{MASK}*)"
    r"|\[\d[\d,\s\-–]*\]"  # numbered citations [1], [1, 3], [2-4]
    r"|\[\^[^\]\s]{1,30}\]"  # footnote markers left as text when undefined
    r"|\^\d+)*)"  # caret citations ^1
    r"(?=\s|$)"
)
_WORD_BEFORE = compile_regex(r"([\w.]+)$")
_SENTENCE_START = compile_regex(rf"\s*(?:[\"'“‘«(\[{MASK}*_]*)([\w\d])")


@record
class Sentence:
    """One sentence of a prose block, as offsets into the block's text."""

    index: int  # position in the document
    block: Block
    start: int  # offsets into block.text
    end: int

    @property
    def span(self) -> Span:
        """Offsets into the source text; computed on demand, as only findings need it."""
        return self.block.offsets.span(self.start, self.end)

    @property
    def text(self) -> str:
        return self.block.text[self.start : self.end]

    @property
    def scan(self) -> str:
        return self.block.scan[self.start : self.end]

    @property
    def display(self) -> str:
        """The sentence on one line, for messages and snippets."""
        return " ".join(self.text.split())

    def source_span(self, start: int, end: int) -> Span:
        """Source span of sentence-relative offsets ``[start, end)``."""
        return self.block.source_span(self.start + start, self.start + end)


def split_block(block: Block) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` offsets of the sentences in ``block.text``, trimmed."""
    yield from _split(block.scan)


def _split(scan: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    # Most blocks (headings, list items, table cells) hold no terminator at all; a
    # substring test is far cheaper than running the regex over them.
    if "." in scan or "!" in scan or "?" in scan or "…" in scan:
        for match in _TERMINATOR.finditer(scan):
            end = match.end()
            if not _is_boundary(scan, match.start(), end):
                continue
            trimmed = _trim(scan, start, end)
            if trimmed is not None:
                spans.append(trimmed)
            start = end
    trimmed = _trim(scan, start, len(scan))
    if trimmed is not None:
        spans.append(trimmed)
    return spans


def _is_boundary(scan: str, term_start: int, end: int) -> bool:
    following = _SENTENCE_START.match(scan, end)
    if following is None:
        return end >= len(scan.rstrip())
    if following.group(1).islower():
        return False
    if scan[term_start] != ".":
        return True
    before = _WORD_BEFORE.search(scan, max(0, term_start - 20), term_start)
    if before is None:
        return True
    word = before.group(1).lower().rstrip(".")
    if word in ABBREVIATIONS:
        return False
    # A single capital letter before a period is an initial ("J. Smith").
    token = before.group(1)
    if len(token) == 1 and token.isupper():
        return False
    return not (token[-1].isdigit() and following.group(1).isdigit())


_BLANK = MASK + " \n"


def _trim(scan: str, start: int, end: int) -> tuple[int, int] | None:
    piece = scan[start:end]
    stripped = piece.lstrip()
    if not stripped:
        return None
    start += len(piece) - len(stripped)
    stripped = stripped.rstrip()
    # A run of nothing but masked characters (a lone image or code span) is no sentence.
    if not stripped.strip(_BLANK):
        return None
    return start, start + len(stripped)


def sentences_of(blocks: tuple[Block, ...]) -> tuple[Sentence, ...]:
    result: list[Sentence] = []
    append = result.append
    for block in blocks:
        for start, end in _split(block.scan):
            append(Sentence(len(result), block, start, end))
    return tuple(result)
