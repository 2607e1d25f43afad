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
from functools import lru_cache
from itertools import pairwise
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from evlint.model import Span
from evlint.records import record
from evlint.regex_cache import compile_regex
from evlint.source import Source

MASK = "\ufffc"  # stands in for code, HTML and URLs in Block.scan
_EXACT_WINDOW = 4096
_CHAR_WINDOW = 16
MAX_NESTING = 64


@record
class OffsetMap:
    """Piecewise-linear map from block-text offsets to source offsets.

    ``segments`` holds ``(text_start, source_start, length)`` runs in order.
    """

    segments: tuple[tuple[int, int, int], ...]
    text_starts: tuple[int, ...]

    def to_source(self, offset: int) -> int:
        segments = self.segments
        if len(segments) == 1:  # the common case: text copied from one source run
            text_start, source_start, length = segments[0]
        elif segments:
            index = bisect.bisect_right(self.text_starts, offset) - 1
            text_start, source_start, length = segments[index if index > 0 else 0]
        else:
            return 0
        delta = offset - text_start
        if delta >= length:
            return source_start + (length - 1 if length > 1 else 0)
        return source_start + delta

    def span(self, start: int, end: int) -> Span:
        """Source span covering block-text offsets ``[start, end)``."""
        source_start = self.to_source(start)
        if end <= start:
            return Span(source_start, source_start)
        source_end = self.to_source(end - 1) + 1
        return Span(source_start, source_end if source_end > source_start else source_start)


@record
class Link:
    """A link, autolink or image in a block: its target and where its text lies."""

    href: str
    start: int  # block-text offsets of the link text
    end: int
    source: Span  # the whole link construct in the source, [text](url) included
    autolink: bool = False
    image: bool = False


@record
class FootnoteRef:
    """A footnote reference ``[^label]`` in a block; offsets index the block text."""

    label: str
    start: int
    end: int


@record
class Comment:
    """An HTML comment (or MDX ``{/* */}`` comment) with its source span."""

    text: str
    span: Span
    inline: bool


@record
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


@record
class ReferenceDefinition:
    """A CommonMark link reference definition ``[label]: url``."""

    label: str
    href: str
    title: str
    line: int | None  # 1-based, when markdown-it reports it


@record
class FootnoteDefinition:
    """A footnote definition ``[^label]: …``, referenced or not, with its source lines."""

    label: str
    span: Span  # whole lines of the definition


@record
class ParsedMarkdown:
    """A parsed page: its prose blocks, comments, definitions and the code regions
    left unlinted."""

    blocks: tuple[Block, ...]
    comments: tuple[Comment, ...]
    references: tuple[ReferenceDefinition, ...]
    code_spans: tuple[Span, ...]  # fenced/indented code and HTML blocks (not linted)
    footnote_definitions: tuple[FootnoteDefinition, ...] = ()
    too_deep_line: int | None = None  # first line whose content nesting cut off (1-based)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from mdit_py_plugins.footnote import footnote_plugin

    _skip_block_rule_debug_calls()

    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    # footnote_tail drops unreferenced definitions; record every one first, so an
    # unused footnote can still be reported at its line.
    md.core.ruler.before("footnote_tail", "evlint_footnote_defs", _record_footnote_defs)
    return md


def _skip_block_rule_debug_calls() -> None:
    """markdown-it-py's block rules call ``LOGGER.debug(...)`` on entry: about a million
    calls on 500 documentation pages, 5-8% of the parse, for messages nobody reads
    unless DEBUG logging is on.  When it is off, each rule module's logger is replaced
    by a no-op; when it is on (someone is debugging markdown-it), nothing changes."""
    import logging
    import sys

    if logging.getLogger("markdown_it").isEnabledFor(logging.DEBUG):
        return
    # Importing markdown_it imported every block rule module.
    for name, module in list(sys.modules.items()):
        logger = getattr(module, "LOGGER", None)
        if name.startswith("markdown_it.rules_block.") and isinstance(logger, logging.Logger):
            # A real logger (so any other call still works) whose ``debug`` is
            # ``"".format``: it takes any arguments and returns at C speed.
            quiet = logging.Logger(logger.name)
            quiet.debug = "".format  # type: ignore[method-assign,assignment]
            setattr(module, "LOGGER", quiet)  # noqa: B010 - a module attribute mypy cannot see


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
        # Tuples of the two stacks above, rebuilt only when they change: every block
        # under the same heading and containers shares one tuple.
        self.container_path: tuple[str, ...] = ()
        self.heading_path: tuple[str, ...] = ()
        self.pending_kind = "paragraph"
        self.pending_level = 0
        self.row_cursor: tuple[int, int] = (-1, 0)  # (row line, cursor) for table cells
        self.cell_number = 0  # cells opened so far in the current table row
        self.row_cells: tuple[int, tuple[Span, ...]] = (-1, ())  # (row line, cell sources)

    def line_offset(self, line: int) -> int:
        starts = self.source.line_starts
        return starts[line] if line < len(starts) else len(self.body)

    def walk(self, tokens: Sequence[Token]) -> None:
        containers = self.containers
        # Most frequent first; the closing tokens that carry nothing are skipped early.
        for token in tokens:
            kind = token.type
            if kind == "inline":
                self.inline(token)
            elif kind == "paragraph_open":
                self.pending_kind, self.pending_level = "paragraph", 0
            elif kind in _PASSIVE:
                continue
            elif kind == "list_item_open":
                containers.append("list_item")
                self.container_path = tuple(containers)
                self.list_markers.append(token.info or None)
                self.item_paragraphs.append(0)
            elif kind == "list_item_close":
                containers.pop()
                self.container_path = tuple(containers)
                self.list_markers.pop()
                self.item_paragraphs.pop()
            elif kind == "heading_open":
                self.pending_kind, self.pending_level = "heading", int(token.tag[1:])
            elif kind in ("th_open", "td_open"):
                self.pending_kind, self.pending_level = "table_cell", 0
                self.cell_number += 1
            elif kind == "tr_open":
                self.cell_number = 0
            elif kind == "blockquote_open":
                containers.append("blockquote")
                self.container_path = tuple(containers)
            elif kind == "blockquote_close":
                containers.pop()
                self.container_path = tuple(containers)
            elif kind == "footnote_open":
                containers.append(f"footnote:{token.meta.get('label', token.meta.get('id'))}")
                self.container_path = tuple(containers)
            elif kind == "footnote_close":
                containers.pop()
                self.container_path = tuple(containers)
            elif kind in ("fence", "code_block", "html_block") and token.map:
                span = Span(self.line_offset(token.map[0]), self.line_offset(token.map[1]))
                self.code_spans.append(span)
                if kind == "html_block":
                    self.html_comments(span)

    def cells_of_row(self, line: int, start: int, end: int) -> tuple[Span, ...]:
        """The source of each cell of the table row at ``line``, split as markdown-it
        splits it: at every pipe not right after a backslash, without the empty cells a
        leading or trailing pipe makes."""
        if self.row_cells[0] == line:
            return self.row_cells[1]
        body = self.body
        while end > start and body[end - 1] in "\r\n":
            end -= 1
        pipes = []
        position = body.find("|", start, end)
        while position != -1:
            if position == 0 or body[position - 1] != "\\":  # after a backslash: cell text
                pipes.append(position)
            position = body.find("|", position + 1, end)
        bounds = [start - 1, *pipes, end]
        cells = [Span(before + 1, after) for before, after in pairwise(bounds)]
        # A leading pipe (after blockquote markers and indentation) opens no cell, and
        # a trailing one closes none.
        if pipes and not body[start : pipes[0]].strip(" \t>"):
            cells.pop(0)
        if pipes and cells and not body[pipes[-1] + 1 : end].strip():
            cells.pop()
        found = tuple(cells)
        self.row_cells = (line, found)
        return found

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
        starts = self.source.line_starts
        region_start = starts[first] if first < len(starts) else len(self.body)
        region_end = starts[last] if last < len(starts) else len(self.body)
        kind, level = self.pending_kind, self.pending_level
        cursor, limit = region_start, region_end
        if kind == "table_cell":
            cells = self.cells_of_row(first, region_start, region_end)
            if self.cell_number <= len(cells):
                # Align within the cell's own source: text changed by an escaped pipe
                # must not be looked for in the next cell.
                cell = cells[self.cell_number - 1]
                cursor, limit = cell.start, cell.end
            elif self.row_cursor[0] == first:
                cursor = self.row_cursor[1]
        text, scan, cursor, segments, text_starts, links, footnote_refs, comments = _build_text(
            self.body, cursor, limit, token.children or ()
        )
        if kind == "table_cell":
            self.row_cursor = (first, cursor)
        for comment_text, span in comments:
            self.comments.append(Comment(comment_text, span, inline=True))
        heading_path = self.heading_path
        if kind == "heading":
            headings = self.headings
            while headings and headings[-1][0] >= level:
                headings.pop()
            heading_path = tuple(title for _, title in headings)
            headings.append((level, " ".join(text.split())))
            self.heading_path = tuple(title for _, title in headings)
        item_first = False
        item_paragraphs = self.item_paragraphs
        if item_paragraphs and kind == "paragraph":
            item_first = item_paragraphs[-1] == 0
            item_paragraphs[-1] += 1
        blocks = self.blocks
        blocks.append(
            Block(
                len(blocks),
                kind,
                text,
                scan,
                OffsetMap(segments, text_starts),
                Span(region_start, region_end),
                first + 1,
                level,
                heading_path,
                self.container_path,
                self.list_markers[-1] if self.list_markers else None,
                item_first,
                links,
                footnote_refs,
            )
        )
        self.pending_kind, self.pending_level = "paragraph", 0


# Block-level tokens the walker has nothing to do for.
_PASSIVE = frozenset(
    {
        "paragraph_close",
        "heading_close",
        "bullet_list_open",
        "bullet_list_close",
        "ordered_list_open",
        "ordered_list_close",
        "td_close",
        "th_close",
        "tr_close",
        "table_open",
        "table_close",
        "thead_open",
        "thead_close",
        "tbody_open",
        "tbody_close",
        "hr",
    }
)


# What aligning one block's inline tokens yields: text, scan text, the cursor past the
# last aligned piece, segments and their text starts, links, footnote refs, comments.
# A plain tuple, as one is built per block.
_Built = tuple[
    str,
    str,
    int,
    tuple[tuple[int, int, int], ...],
    tuple[int, ...],
    tuple[Link, ...],
    tuple[FootnoteRef, ...],
    Sequence[tuple[str, Span]],
]


def _build_text(body: str, cursor: int, limit: int, tokens: Sequence[Token]) -> _Built:
    """Concatenate the inline tokens' text, aligning every piece to the source.

    Each piece is found by an exact search within a bounded window, or else character
    by character; adjacent runs merge into one segment as they are added.  One function
    with local state rather than an object with methods, because it runs for every
    inline token.
    """
    find = body.find
    if len(tokens) == 1 and tokens[0].type == "text" and tokens[0].content:
        # Most headings, list items and table cells: one text run found as is.
        text = tokens[0].content
        size = len(text)
        window_end = cursor + size + _EXACT_WINDOW
        found = find(text, cursor, window_end if window_end < limit else limit)
        if found != -1:
            return text, text, found + size, ((0, found, size),), (0,), (), (), ()
    pieces: list[str] = []
    # The scan text differs from the text only once something is masked.
    scan_pieces: list[str] | None = None
    mask_end = 0  # end of the last masked range
    length = 0
    segments: list[tuple[int, int, int]] = []
    text_starts: list[int] = []
    # The last run stays in locals while later pieces extend it.  Runs tile the text
    # without gaps, so only a jump in the source ends one.
    seg_text, seg_source, seg_length = -1, -1, 0
    links: list[Link] = []
    footnote_refs: list[FootnoteRef] = []
    comments: list[tuple[str, Span]] = []
    link_stack: list[tuple[str, int, int, bool]] = []
    source_before = cursor
    for token in tokens:
        kind = token.type
        if kind == "text":
            text, mask = token.content, False
        elif kind == "code_inline":
            text, mask = token.content, True
        elif kind == "softbreak" or kind == "hardbreak":
            text, mask = "\n", False
        elif kind == "link_open":
            autolink = token.markup == "autolink"
            # An autolink opens with "<"; searching for "[" would find a later link.
            link_start_source = find("<" if autolink else "[", cursor, limit)
            link_start_source = cursor if link_start_source == -1 else link_start_source
            href = str(token.attrs.get("href", ""))
            link_stack.append((href, length, link_start_source, autolink))
            continue
        elif kind == "link_close" and link_stack:
            href, start, source_start, autolink = link_stack.pop()
            if autolink:
                if length > start:
                    # Mask the link text after the fact; any part already masked stays
                    # as it was.
                    done = "".join(pieces if scan_pieces is None else scan_pieces)
                    cut = max(start, mask_end)
                    scan_pieces = [done[:cut], MASK * (length - cut)]
                    mask_end = length
                closing = find(">", cursor, limit)
                if closing != -1 and closing - cursor < 4:
                    cursor = closing + 1
            else:
                cursor = _skip_destination(body, cursor, limit)
            # The opener search can overshoot when alignment fell back (escaped pipes
            # in tables): never let the link start after where its text ended.
            source_start = min(source_start, cursor)
            links.append(Link(href, start, length, Span(source_start, cursor), autolink))
            continue
        elif kind == "html_inline" or kind == "image":
            text, mask, source_before = token.content, True, cursor
        elif kind == "footnote_ref":
            text, mask = f"[^{token.meta.get('label', '')!s}]", True
        elif kind.endswith("_open") or kind.endswith("_close"):
            continue  # emphasis, strikethrough: markup only
        elif token.content:
            text, mask = token.content, False
        else:
            continue
        start = length
        if text:
            size = len(text)
            window_end = cursor + size + _EXACT_WINDOW
            found = find(text, cursor, window_end if window_end < limit else limit)
            if found != -1:
                if found == seg_source + seg_length:
                    seg_length += size
                else:
                    if seg_text >= 0:
                        segments.append((seg_text, seg_source, seg_length))
                        text_starts.append(seg_text)
                    seg_text, seg_source, seg_length = start, found, size
                cursor = found + size
            else:
                # Parsing changed the text (entities, escapes): align char by char.
                last_offset = max(limit - 1, 0)
                for index, char in enumerate(text, start):
                    window_end = cursor + _CHAR_WINDOW
                    position = find(char, cursor, window_end if window_end < limit else limit)
                    if position == -1:
                        position = min(cursor, last_offset)
                    else:
                        cursor = position + 1
                    if position == seg_source + seg_length:
                        seg_length += 1
                    else:
                        if seg_text >= 0:
                            segments.append((seg_text, seg_source, seg_length))
                            text_starts.append(seg_text)
                        seg_text, seg_source, seg_length = index, position, 1
            if mask:
                if scan_pieces is None:
                    scan_pieces = pieces.copy()
                scan_pieces.append(MASK * size)
                mask_end = length + size
            elif scan_pieces is not None:
                scan_pieces.append(text)
            pieces.append(text)
            length += size
        if not mask or kind == "code_inline":
            continue
        if kind == "html_inline":
            if text.startswith("<!--"):
                comments.append((text, Span(source_before, cursor)))
        elif kind == "image":
            cursor = _skip_destination(body, cursor, limit)
            src = str(token.attrs.get("src", ""))
            links.append(Link(src, start, length, Span(source_before, cursor), image=True))
        else:
            footnote_refs.append(FootnoteRef(str(token.meta.get("label", "")), start, length))
    if seg_text >= 0:
        segments.append((seg_text, seg_source, seg_length))
        text_starts.append(seg_text)
    text = "".join(pieces)
    return (
        text,
        text if scan_pieces is None else "".join(scan_pieces),
        cursor,
        tuple(segments),
        tuple(text_starts),
        tuple(links),
        tuple(footnote_refs),
        comments,
    )


_DESTINATION_MARK = compile_regex(r"[\\()]")


def _skip_destination(body: str, position: int, limit: int) -> int:
    """Source offset past ``](destination "title")`` or ``][label]`` after link text."""
    if position >= limit or body[position] != "]":
        return position
    position += 1
    if position < limit and body[position] == "(":
        depth = 0
        end = min(limit, position + _EXACT_WINDOW)
        search = _DESTINATION_MARK.search
        # Jump from one backslash or parenthesis to the next; nothing else counts.
        while position < end:
            mark = search(body, position, end)
            if mark is None:
                return end
            position = mark.start()
            char = body[position]
            if char == "\\":
                position += 2
                continue
            if char == "(":
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    return position + 1
            position += 1
        return min(position, limit)
    if position < limit and body[position] == "[":
        close = body.find("]", position, min(limit, position + 1000))
        return close + 1 if close != -1 else position
    return position
