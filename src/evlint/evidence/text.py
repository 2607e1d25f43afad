"""Small text helpers for evidence files: sentence splitting and Markdown inline cleanup.

Evidence files are short and well formed, so a rule-based splitter is enough; it is
abbreviation-aware so "e.g." or "et al." do not end a sentence.  Offsets are kept, so
each sentence maps back to its line.
"""

from __future__ import annotations

from evlint.regex_cache import compile_regex

# Lowercase abbreviations that end with a period but rarely end a sentence.
_ABBREVIATIONS = frozenset(
    {
        "e.g",
        "i.e",
        "et al",
        "al",
        "vs",
        "cf",
        "fig",
        "figs",
        "ref",
        "refs",
        "no",
        "approx",
        "ca",
        "dr",
        "prof",
        "mr",
        "mrs",
        "ms",
        "st",
        "jr",
        "sr",
        "vol",
        "p",
        "pp",
        "resp",
        "incl",
        "etc",
        "spp",
        "sp",
        "u.s",
        "n.b",
    }
)
_BOUNDARY_RE = compile_regex(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9\u00c0-\u024f])")
_WORD_BEFORE_RE = compile_regex(r"([A-Za-z][A-Za-z.]*)$")


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Half-open ``(start, end)`` offsets of the sentences in ``text``, plus ``offset``.

    A boundary is terminal punctuation followed by space and a capital, digit or opening
    quote, unless the word before it is a known abbreviation or a single initial.
    """
    spans: list[tuple[int, int]] = []
    start = _skip_space(text, 0)
    for match in _BOUNDARY_RE.finditer(text):
        end = match.end()
        if match.group(0).startswith(".") and _is_abbreviation(text[start : match.start()]):
            continue
        if end > start:
            spans.append((start + offset, end + offset))
        start = _skip_space(text, end)
    tail = text[start:].rstrip()
    if tail:
        spans.append((start + offset, start + len(tail) + offset))
    return spans


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def _is_abbreviation(before: str) -> bool:
    match = _WORD_BEFORE_RE.search(before)
    if match is None:
        return False
    word = match.group(1)
    if len(word) == 1 and word.isupper():
        return True  # an initial: "A. M. Atoom"
    return word.lower().rstrip(".") in _ABBREVIATIONS


_LINK_RE = compile_regex(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS_RE = compile_regex(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_SPACES = compile_regex(r"\s+")
_NEWLINE = compile_regex(r"\n")


def strip_inline_markdown(text: str) -> str:
    """Plain text of a Markdown line: link text kept, emphasis and code marks removed."""
    text = _LINK_RE.sub(r"\1", text)
    previous = None
    while previous != text:
        previous = text
        text = _EMPHASIS_RE.sub(r"\2", text)
    return _SPACES.sub(" ", text).strip()


def line_starts(text: str) -> list[int]:
    """Offsets at which each line starts; ``line_of`` maps an offset through them."""
    starts = [0]
    starts.extend(m.end() for m in _NEWLINE.finditer(text))
    return starts


def line_of(starts: list[int], offset: int) -> int:
    """1-based line of a character offset, by binary search over ``line_starts``."""
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1
