"""A reader's view of a whole page, for the document-level checks.

The Markdown walker keeps only prose blocks, but a page's byline, review date or
FDA fine print often sits in raw HTML (``<p class="byline">``), an MDX component
or a Hugo shortcode.  Document-level questions are about what a reader sees, so
this view strips markup from the raw body line by line instead of relying on the
walker, and keeps the links it removes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Any

from evlint.records import record
from evlint.regex_cache import compile_regex
from evlint.source import Source, blank_keeping_lines

_FENCE = compile_regex(r"^\s*(```|~~~)")
_COMMENT = compile_regex(r"<!--.*?-->|\{/\*.*?\*/\}", re.S)
_MDX_IMPORT = compile_regex(r"^\s*(import|export)\s.+$", re.M)
_HEADING = compile_regex(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_HTML_HEADING = compile_regex(r"<h([1-6])[^>]*>(.*?)</h\1>", re.I)
_LIST_ITEM = compile_regex(r"^\s*(?:[-*+]|\d+[.)])\s+")
_ITEM_STARTS = frozenset("-*+0123456789")
# _MARKUP removes every one of these characters wherever it stands (with spaces, which
# the line's whitespace folding makes irrelevant): str.replace does that at C speed.
_MARKUP_CHARACTERS = "*_`~|"
# Run over the page's visible lines joined, so none may cross a line break.
_URLS = (
    compile_regex(r"\]\([^\S\n]*<?([^)\s>]+)"),  # [text](url)
    compile_regex(r"<(https?://[^>\s]+)>"),  # <https://…>
    compile_regex(r"""href[^\S\n]*=[^\S\n]*["']([^"'\n]+)"""),
    compile_regex(r"""(?<![("'<=])\b(https?://[^\s)<>"'\]]+)"""),  # bare URL
    compile_regex(
        r"^[^\S\n]*\[[^\]\n]+\]:[^\S\n]*<?(\S+?)>?(?:\s|$)", re.M
    ),  # reference definition
)
_LINK = compile_regex(r"!?\[([^\]]*)\]\([^)]*\)")
_SHORTCODE = compile_regex(r"\{\{[<%].*?[>%]\}\}")
_TAG = compile_regex(r"<[^>]*>")
_MARKUP = compile_regex(r"[*_`~]+|^\s*>+\s?|\s*\|\s*|^\s*(?:[-*+]|\d+[.)])\s+")
_SPACES = str.maketrans(
    {
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2007": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
    }
)
_SENTENCE_END = compile_regex(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")


@record
class Line:
    """One source line as a reader sees it: markup removed, unicode spaces folded."""

    number: int  # 1-based line in the file
    text: str
    heading_level: int  # 1-6 for headings, else 0
    quoted: bool  # inside a blockquote (testimonials, pull quotes)
    item: bool  # starts a list item


@record
class Chunk:
    """A paragraph, list item or heading, joined across hard-wrapped lines."""

    line: int
    text: str
    heading: str  # nearest heading above, "" before the first
    is_heading: bool
    quoted: bool
    item: bool = False  # a list item

    def sentences(self) -> Iterator[str]:
        for part in _SENTENCE_END.split(self.text):
            if part.strip():
                yield part.strip()


@record(slots=False)  # not slotted: ``urls`` is cached on first use
class Page:
    """A page as a reader sees it: front matter, visible lines and prose chunks, for the
    document-level checks."""

    path: str
    front_matter: Mapping[str, Any]
    front_matter_line: int | None  # first line of the front matter, when present
    lines: tuple[Line, ...]
    chunks: tuple[Chunk, ...]
    visible: str  # the raw lines outside code fences, for the URL scan
    text: str  # the chunks' text, one chunk per line

    @cached_property
    def urls(self) -> tuple[str, ...]:
        """Link targets and bare URLs, in page order (only source and commercial
        checks ask, so the scan runs on first use)."""
        found = [
            (m.start(), m.group(1)) for pattern in _URLS for m in pattern.finditer(self.visible)
        ]
        return tuple(url for _, url in sorted(found, key=lambda item: item[0]))

    def claim_units(self) -> Iterator[str]:
        """Prose sentences, with a list's lead-in joined to each item.

        "Our infusions may help you:" followed by "- recover from long COVID" is one
        claim spread over two blocks.
        """
        lead = ""
        for chunk in self.chunks:
            if chunk.is_heading or chunk.quoted:
                lead = ""
                continue
            if chunk.item and lead:
                yield f"{lead} {chunk.text}"
                continue
            yield from chunk.sentences()
            lead = chunk.text if chunk.text.endswith(":") else ""

    def sentences(self, *, quoted: bool = False) -> Iterator[tuple[Chunk, str]]:
        for chunk in self.chunks:
            if chunk.quoted and not quoted:
                continue
            for sentence in chunk.sentences():
                yield chunk, sentence

    @property
    def title_line(self) -> int:
        """Where a page-level finding points: the front matter, else the first heading."""
        if self.front_matter_line is not None:
            return self.front_matter_line
        for line in self.lines[:40]:
            if line.heading_level:
                return line.number
        return 1


def fold(text: str) -> str:
    return text.translate(_SPACES)


def page_of(source: Source) -> Page:
    front = source.front_matter
    data: Mapping[str, Any] = front.data if front is not None and front.data else {}
    front_line = source.line_column(front.span.start)[0] if front is not None else None
    body = source.body
    if "<!--" in body or "{/*" in body:
        body = _COMMENT.sub(lambda m: blank_keeping_lines(m.group(0)), body)
    if "import" in body or "export" in body:
        body = _MDX_IMPORT.sub("", body)
    lines: list[Line] = []
    visible: list[str] = []  # the raw lines outside code fences, for the URL scan
    in_fence = False
    for number, raw in enumerate(body.split("\n"), start=1):
        stripped = raw.lstrip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence or not stripped:
            continue
        visible.append(raw)
        lines.append(_line(number, raw if raw.isascii() else fold(raw)))
    chunks = _chunks(lines)
    page_text = "\n".join(chunk.text for chunk in chunks)
    return Page(source.path, data, front_line, tuple(lines), chunks, "\n".join(visible), page_text)


def _line(number: int, raw: str) -> Line:
    # Each regex runs only when its telltale character is on the line: most lines of a
    # page are plain prose, and a regex call costs more than a substring test.
    level = 0
    stripped = raw.lstrip()
    heading = _HEADING.match(raw) if stripped.startswith("#") else None
    html_heading = _HTML_HEADING.search(raw) if "<h" in raw or "<H" in raw else None
    if heading:
        level, raw = len(heading.group(1)), heading.group(2)
    elif html_heading:
        level, raw = int(html_heading.group(1)), html_heading.group(2)
    first = raw.lstrip()[:1]
    quoted = first == ">"
    item = (first in _ITEM_STARTS or quoted) and bool(_LIST_ITEM.match(raw.lstrip("> ")))
    text = raw
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "{{" in text:
        text = _SHORTCODE.sub(" ", text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    # Same result as _MARKUP.sub(" ", text) once whitespace is folded: its anchored
    # alternatives (a quote or list marker) can match only at the start, where the
    # regex tries them; everywhere else it removes markup characters and spaces.
    start = _MARKUP.match(text)
    if start is not None:
        text = text[start.end() :]
    for character in _MARKUP_CHARACTERS:
        if character in text:
            text = text.replace(character, " ")
    return Line(number, " ".join(text.split()), level, quoted, item)


def _chunks(lines: list[Line]) -> tuple[Chunk, ...]:
    chunks: list[Chunk] = []
    heading = ""
    current: list[Line] = []
    previous_number = 0

    def flush() -> None:
        if current:
            text = " ".join(line.text for line in current).strip()
            if text:
                first = current[0]
                chunks.append(Chunk(first.number, text, heading, False, first.quoted, first.item))
            current.clear()

    for line in lines:
        if line.heading_level:
            flush()
            heading = line.text
            chunks.append(Chunk(line.number, line.text, heading, True, False))
        else:
            if (
                line.number != previous_number + 1
                or line.item
                or (current and current[-1].quoted != line.quoted)
            ):
                flush()
            current.append(line)
        previous_number = line.number
    flush()
    return tuple(chunks)
