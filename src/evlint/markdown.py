"""Markdown to prose blocks, each with a map from its text back to source offsets.

markdown-it-py gives block tokens a line ``map`` but inline tokens no positions, so
each inline child is aligned to the block's source region with a cursor that only
moves forward: an exact match of the token text inside a bounded window, falling back
to a per-character match for text that parsing changed (entities, escapes, ``\\|``).
Both searches are bounded, so alignment is linear in the block size.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from evlint.model import Span
from evlint.source import Source

MASK = "\ufffc"  # stands in for code, HTML and URLs in Block.scan
_EXACT_WINDOW = 4096
_CHAR_WINDOW = 16
MAX_NESTING = 64


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Piecewise-linear map from block-text offsets to source offsets.

    ``segments`` holds ``(text_start, source_start, length)`` runs in order.
    """

    segments: tuple[tuple[int, int, int], ...]
    text_starts: tuple[int, ...]

    def to_source(self, offset: int) -> int:
        if not self.segments:
            return 0
        index = max(bisect.bisect_right(self.text_starts, offset) - 1, 0)
        text_start, source_start, length = self.segments[index]
        delta = offset - text_start
        if delta >= length:
            return source_start + max(length - 1, 0)
        return source_start + delta

    def span(self, start: int, end: int) -> Span:
        """Source span covering block-text offsets ``[start, end)``."""
        source_start = self.to_source(start)
        if end <= start:
            return Span(source_start, source_start)
        return Span(source_start, max(self.to_source(end - 1) + 1, source_start))


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    start: int  # block-text offsets of the link text
    end: int
    source: Span  # the whole link construct in the source, [text](url) included
    autolink: bool = False
    image: bool = False


@dataclass(frozen=True, slots=True)
class FootnoteRef:
    label: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Comment:
    """An HTML comment (or MDX ``{/* */}`` comment) with its source span."""

    text: str
    span: Span
    inline: bool


@dataclass(frozen=True, slots=True)
class Block:
    """One prose block: paragraph, heading, table cell (list items and quotes hold paragraphs)."""

    index: int
    kind: str  # "paragraph" | "heading" | "table_cell"
    text: str  # display text: markup removed, code/HTML/URLs kept verbatim
    scan: str  # same length as text, code/HTML/URL characters replaced by MASK
    offsets: OffsetMap
    span: Span  # source lines the block occupies
    line: int  # 1-based first line
    heading_level: int  # for headings, 1-6; else 0
    heading_path: tuple[str, ...]  # enclosing headings, outermost first
    containers: tuple[str, ...]  # e.g. ("blockquote", "list_item", "footnote:1")
    list_marker: str | None  # ordered list number of the enclosing item, if any
    list_item_first: bool  # first paragraph of its list item
    links: tuple[Link, ...]
    footnote_refs: tuple[FootnoteRef, ...]

    def source_span(self, start: int, end: int) -> Span:
        return self.offsets.span(start, end)

    @property
    def in_list(self) -> bool:
        return "list_item" in self.containers

    @property
    def footnote_label(self) -> str | None:
        for container in self.containers:
            if container.startswith("footnote:"):
                return container[len("footnote:") :]
        return None


@dataclass(frozen=True, slots=True)
class ReferenceDefinition:
    """A CommonMark link reference definition ``[label]: url``."""

    label: str
    href: str
    title: str
    line: int | None  # 1-based, when markdown-it reports it


@dataclass(frozen=True, slots=True)
class FootnoteDefinition:
    """A footnote definition ``[^label]: …``, referenced or not, with its source lines."""

    label: str
    span: Span  # whole lines of the definition


@dataclass(frozen=True, slots=True)
class ParsedMarkdown:
    blocks: tuple[Block, ...]
    comments: tuple[Comment, ...]
    references: tuple[ReferenceDefinition, ...]
    code_spans: tuple[Span, ...]  # fenced/indented code and HTML blocks (not linted)
    footnote_definitions: tuple[FootnoteDefinition, ...] = ()
    too_deep_line: int | None = None  # first line whose content nesting cut off (1-based)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    # footnote_tail drops unreferenced definitions; record every one first, so an
    # unused footnote can still be reported at its line.
    md.core.ruler.before("footnote_tail", "evlint_footnote_defs", _record_footnote_defs)
    return md


def _record_footnote_defs(state: Any) -> None:
    state.env["evlint_footnote_defs"] = [
        (str(token.meta.get("label", "")), token.map[0], token.map[1])
        for token in state.tokens
        if token.type == "footnote_reference_open" and token.map
    ]


def parse_markdown(source: Source) -> ParsedMarkdown:
    env: dict[str, Any] = {}
    tokens = _parser().parse(source.body, env)
    walker = _Walker(source)
    walker.walk(tokens)
    references = tuple(
        ReferenceDefinition(
            label=str(label),
            href=str(ref.get("href", "")),
            title=str(ref.get("title", "")),
            line=(ref["map"][0] + 1) if isinstance(ref.get("map"), Sequence) else None,
        )
        for label, ref in env.get("references", {}).items()
    )
    footnotes = tuple(
        FootnoteDefinition(label, Span(walker.line_offset(first), walker.line_offset(last)))
        for label, first, last in env.get("evlint_footnote_defs", [])
    )
    return ParsedMarkdown(
        tuple(walker.blocks),
        tuple(walker.comments),
        references,
        tuple(walker.code_spans),
        footnotes,
        _too_deep_line(tokens),
    )


_CONTAINER_OPENS = frozenset(
    {"blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open"}
)


def _too_deep_line(tokens: Sequence[Token]) -> int | None:
    """Where markdown-it stopped descending (``maxNesting``), silently dropping content.

    A container opened at the last allowed level gets no children parsed, so report
    its line rather than lose the text without a word.
    """
    for token in tokens:
        if (
            token.nesting == 1
            and token.level >= MAX_NESTING - 1
            and token.type in _CONTAINER_OPENS
            and token.map
        ):
            return token.map[0] + 1
    return None


class _Walker:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.body = source.body
        self.blocks: list[Block] = []
        self.comments: list[Comment] = []
        self.code_spans: list[Span] = []
        self.containers: list[str] = []
        self.list_markers: list[str | None] = []
        self.item_paragraphs: list[int] = []
        self.headings: list[tuple[int, str]] = []
        self.pending_kind = "paragraph"
        self.pending_level = 0
        self.row_cursor: tuple[int, int] = (-1, 0)  # (row line, cursor) for table cells

    def line_offset(self, line: int) -> int:
        starts = self.source.line_starts
        return starts[line] if line < len(starts) else len(self.body)

    def walk(self, tokens: Sequence[Token]) -> None:
        for token in tokens:
            kind = token.type
            if kind == "inline":
                self.inline(token)
            elif kind == "heading_open":
                self.pending_kind, self.pending_level = "heading", int(token.tag[1:])
            elif kind == "paragraph_open":
                self.pending_kind, self.pending_level = "paragraph", 0
            elif kind in ("th_open", "td_open"):
                self.pending_kind, self.pending_level = "table_cell", 0
            elif kind == "list_item_open":
                self.containers.append("list_item")
                self.list_markers.append(token.info or None)
                self.item_paragraphs.append(0)
            elif kind == "list_item_close":
                self.containers.pop()
                self.list_markers.pop()
                self.item_paragraphs.pop()
            elif kind == "blockquote_open":
                self.containers.append("blockquote")
            elif kind == "blockquote_close":
                self.containers.pop()
            elif kind == "footnote_open":
                self.containers.append(f"footnote:{token.meta.get('label', token.meta.get('id'))}")
            elif kind == "footnote_close":
                self.containers.pop()
            elif kind in ("fence", "code_block", "html_block") and token.map:
                span = Span(self.line_offset(token.map[0]), self.line_offset(token.map[1]))
                self.code_spans.append(span)
                if kind == "html_block":
                    self.html_comments(span)

    def html_comments(self, region: Span) -> None:
        text = self.body
        position = text.find("<!--", region.start, region.end)
        while position != -1:
            end = text.find("-->", position + 4)
            end = region.end if end == -1 else end + 3
            self.comments.append(Comment(text[position:end], Span(position, end), inline=False))
            position = text.find("<!--", end, region.end)

    def inline(self, token: Token) -> None:
        if token.map is None:
            return
        first, last = token.map
        region_start, region_end = self.line_offset(first), self.line_offset(last)
        cursor = region_start
        if self.pending_kind == "table_cell" and self.row_cursor[0] == first:
            cursor = self.row_cursor[1]
        builder = _TextBuilder(self.body, cursor, region_end)
        builder.children(token.children or [])
        if self.pending_kind == "table_cell":
            self.row_cursor = (first, builder.cursor)
        for comment_text, span in builder.comments:
            self.comments.append(Comment(comment_text, span, inline=True))
        text = "".join(builder.pieces)
        heading_path = tuple(title for _, title in self.headings)
        kind, level = self.pending_kind, self.pending_level
        if kind == "heading":
            while self.headings and self.headings[-1][0] >= level:
                self.headings.pop()
            heading_path = tuple(title for _, title in self.headings)
            self.headings.append((level, " ".join(text.split())))
        item_first = False
        if self.item_paragraphs and kind == "paragraph":
            item_first = self.item_paragraphs[-1] == 0
            self.item_paragraphs[-1] += 1
        segments = tuple(builder.segments)
        self.blocks.append(
            Block(
                index=len(self.blocks),
                kind=kind,
                text=text,
                scan=builder.scan_text(text),
                offsets=OffsetMap(segments, tuple(s[0] for s in segments)),
                span=Span(region_start, region_end),
                line=first + 1,
                heading_level=level,
                heading_path=heading_path,
                containers=tuple(self.containers),
                list_marker=self.list_markers[-1] if self.list_markers else None,
                list_item_first=item_first,
                links=tuple(builder.links),
                footnote_refs=tuple(builder.footnote_refs),
            )
        )
        self.pending_kind, self.pending_level = "paragraph", 0


class _TextBuilder:
    """Accumulates one block's text, aligning every piece to the source."""

    def __init__(self, body: str, cursor: int, limit: int) -> None:
        self.body = body
        self.cursor = cursor
        self.limit = limit
        self.pieces: list[str] = []
        self.length = 0
        self.segments: list[tuple[int, int, int]] = []
        self.masked: list[tuple[int, int]] = []
        self.links: list[Link] = []
        self.footnote_refs: list[FootnoteRef] = []
        self.comments: list[tuple[str, Span]] = []

    def children(self, tokens: Sequence[Token]) -> None:
        link_stack: list[tuple[str, int, int, bool]] = []
        skip_depth = 0
        for token in tokens:
            kind = token.type
            if kind == "text":
                self.emit(token.content)
            elif kind in ("softbreak", "hardbreak"):
                self.emit("\n")
            elif kind == "code_inline":
                self.emit(token.content, masked=True)
            elif kind == "html_inline":
                start = self.cursor
                self.emit(token.content, masked=True)
                if token.content.startswith("<!--"):
                    self.comments.append((token.content, Span(start, self.cursor)))
            elif kind == "link_open":
                autolink = token.markup == "autolink"
                # An autolink opens with "<"; searching for "[" would find a later link.
                opener = "<" if autolink else "["
                link_start_source = self.body.find(opener, self.cursor, self.limit)
                link_start_source = self.cursor if link_start_source == -1 else link_start_source
                href = str(token.attrs.get("href", ""))
                link_stack.append((href, self.length, link_start_source, autolink))
            elif kind == "link_close" and link_stack:
                href, start, source_start, autolink = link_stack.pop()
                if autolink:
                    self.mask(start, self.length)
                    closing = self.body.find(">", self.cursor, self.limit)
                    if closing != -1 and closing - self.cursor < 4:
                        self.cursor = closing + 1
                else:
                    self.skip_destination()
                # The opener search can overshoot when alignment fell back (escaped pipes
                # in tables): never let the link start after where its text ended.
                source_start = min(source_start, self.cursor)
                self.links.append(
                    Link(href, start, self.length, Span(source_start, self.cursor), autolink)
                )
            elif kind == "image":
                start = self.length
                source_start = self.cursor
                self.emit(token.content, masked=True)
                self.skip_destination()
                src = str(token.attrs.get("src", ""))
                self.links.append(
                    Link(src, start, self.length, Span(source_start, self.cursor), image=True)
                )
            elif kind == "footnote_ref":
                label = str(token.meta.get("label", ""))
                start = self.length
                self.emit(f"[^{label}]", masked=True)
                self.footnote_refs.append(FootnoteRef(label, start, self.length))
            elif kind.endswith("_open") or kind.endswith("_close"):
                continue  # emphasis, strikethrough: markup only
            elif token.content and skip_depth == 0:
                self.emit(token.content)

    def mask(self, start: int, end: int) -> None:
        if end > start:
            self.masked.append((start, end))

    def skip_destination(self) -> None:
        """Move the cursor past ``](destination "title")`` or ``][label]`` after link text."""
        body, position = self.body, self.cursor
        if position >= self.limit or body[position] != "]":
            return
        position += 1
        if position < self.limit and body[position] == "(":
            depth = 0
            end = min(self.limit, position + _EXACT_WINDOW)
            while position < end:
                char = body[position]
                if char == "\\":
                    position += 2
                    continue
                if char == "(":
                    depth += 1
                elif char == ")":
                    depth -= 1
                    if depth == 0:
                        self.cursor = position + 1
                        return
                position += 1
            self.cursor = min(position, self.limit)
        elif position < self.limit and body[position] == "[":
            close = body.find("]", position, min(self.limit, position + 1000))
            self.cursor = close + 1 if close != -1 else position
        else:
            self.cursor = position

    def emit(self, text: str, masked: bool = False) -> None:
        if not text:
            return
        start = self.length
        body, cursor, limit = self.body, self.cursor, self.limit
        found = body.find(text, cursor, min(limit, cursor + len(text) + _EXACT_WINDOW))
        if found != -1:
            self.add_segment(start, found, len(text))
            self.cursor = found + len(text)
        else:
            for index, char in enumerate(text):
                position = body.find(char, cursor, min(limit, cursor + _CHAR_WINDOW))
                if position == -1:
                    position = min(cursor, max(limit - 1, 0))
                    self.add_segment(start + index, position, 1)
                else:
                    self.add_segment(start + index, position, 1)
                    cursor = position + 1
            self.cursor = cursor
        self.pieces.append(text)
        self.length += len(text)
        if masked:
            self.mask(start, self.length)

    def add_segment(self, text_start: int, source_start: int, length: int) -> None:
        segments = self.segments
        if segments:
            last_text, last_source, last_length = segments[-1]
            if last_text + last_length == text_start and last_source + last_length == source_start:
                segments[-1] = (last_text, last_source, last_length + length)
                return
        segments.append((text_start, source_start, length))

    def scan_text(self, text: str) -> str:
        if not self.masked:
            return text
        parts: list[str] = []
        previous = 0
        for start, end in self.masked:
            if start < previous:
                start = previous
            parts.append(text[previous:start])
            parts.append(MASK * (end - start))
            previous = max(previous, end)
        parts.append(text[previous:])
        return "".join(parts)
