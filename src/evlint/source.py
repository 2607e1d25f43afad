"""Bytes to text: decoding, newline normalisation, line index and front matter.

The decoded text keeps one character per source character except that CRLF and CR
become LF, which changes neither line numbers nor columns.  Front matter is kept in
``Source.text`` (for snippets) and blanked to spaces in ``Source.body`` (what the
Markdown parser sees), so every offset means the same thing in both.
"""

from __future__ import annotations

import bisect
import codecs
import re
from typing import Any

import yaml

from evlint.model import Position, Span
from evlint.records import record
from evlint.regex_cache import compile_regex

BINARY_SNIFF_BYTES = 8000


class DecodeError(Exception):
    """The file is not text evlint can read; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@record
class FrontMatter:
    """A front matter block at the start of a file: its format, span and parsed data."""

    format: str  # "yaml" | "toml" | "json"
    span: Span  # the whole block including its fences
    data: dict[str, Any] | None
    error: str | None = None
    error_line: int | None = None  # 1-based line in the file


@record
class Source:
    """A decoded file: its text, the body the Markdown parser sees, line starts and front
    matter."""

    path: str
    text: str
    body: str
    line_starts: tuple[int, ...]
    front_matter: FrontMatter | None

    def position(self, span: Span) -> Position:
        line, column = self.line_column(span.start)
        if span.end > span.start:
            end_line, end_column = self.line_column(span.end - 1)
            end_column += 1
        else:
            end_line, end_column = line, column
        return Position(line, column, end_line, end_column)

    def line_column(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def line_text(self, line: int) -> str:
        start = self.line_starts[line - 1]
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.text)
        return self.text[start:end]

    @property
    def line_count(self) -> int:
        return len(self.line_starts)


_NEWLINES = compile_regex(r"\r\n?")
_NOT_NEWLINE = compile_regex(r"[^\n]")
_YAML_KEY_LINE = compile_regex(r"^[A-Za-z_][\w -]*:(\s|$)")
_JSON_OBJECT_START = compile_regex(r'\{\s*"')


def decode(data: bytes) -> str:
    """Decode file bytes to text, or raise DecodeError with a precise reason."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DecodeError(f"invalid UTF-16 at byte {exc.start}") from None
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise DecodeError("binary file (contains NUL bytes); not linted")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DecodeError(
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at line {line}, column {column}); "
            "save the file as UTF-8",
            line,
        ) from None
    return text.removeprefix("\ufeff")


def line_starts_of(text: str) -> tuple[int, ...]:
    starts = [0]
    find = text.find
    position = find("\n")
    while position != -1:
        starts.append(position + 1)
        position = find("\n", position + 1)
    return tuple(starts)


def blank_keeping_lines(text: str) -> str:
    """``text`` with every character but newlines made a space: what it hid is gone
    and every later offset, line and column stays where it was."""
    return _NOT_NEWLINE.sub(" ", text)


def load_source(path: str, data: bytes) -> Source:
    text = _NEWLINES.sub("\n", decode(data))
    return source_from_text(path, text)


def source_from_text(path: str, text: str) -> Source:
    text = _NEWLINES.sub("\n", text.removeprefix("\ufeff"))
    front = parse_front_matter(text)
    body = text
    if front is not None:
        block = text[front.span.start : front.span.end]
        body = blank_keeping_lines(block) + text[front.span.end :]
    return Source(path, text, body, line_starts_of(text), front)


# --- front matter -------------------------------------------------------------------

_FENCES = {"---": "yaml", "+++": "toml"}


def parse_front_matter(text: str) -> FrontMatter | None:
    """Recognise YAML (---), TOML (+++) or JSON ({ … }) front matter at the file start."""
    first_end = text.find("\n")
    first = (text if first_end == -1 else text[:first_end]).rstrip()
    if first in _FENCES:
        fmt = _FENCES[first]
        closing = (
            re.compile(rf"^(?:{re.escape(first)}|\.\.\.)[ \t]*$", re.M)
            if fmt == "yaml"
            else (re.compile(rf"^{re.escape(first)}[ \t]*$", re.M))
        )
        match = closing.search(text, first_end + 1) if first_end != -1 else None
        if match is None:
            # Only a fence followed by YAML-ish lines is front matter; a lone thematic
            # break ("---") at the top of a document is ordinary Markdown.
            if fmt == "yaml" and not _looks_like_yaml_mapping(text, first_end):
                return None
            # Blank only the opening fence so the rest of the file is still linted.
            return FrontMatter(
                fmt,
                Span(0, first_end + 1),
                None,
                f"unterminated {fmt.upper()} front matter: no closing '{first}' line",
                1,
            )
        content = text[first_end + 1 : match.start()]
        stop = match.end() + (1 if match.end() < len(text) else 0)
        return _parse(fmt, content, Span(0, stop), first_line=2)
    if text.startswith("{") and _looks_like_json_front_matter(text):
        end = _json_object_end(text)
        if end is None:
            return FrontMatter(
                "json", Span(0, len(text)), None, "unterminated JSON front matter", 1
            )
        end_incl = end + (1 if end < len(text) and text[end] == "\n" else 0)
        return _parse("json", text[:end], Span(0, end_incl), first_line=1)
    return None


def _looks_like_yaml_mapping(text: str, first_end: int) -> bool:
    if first_end == -1:
        return False
    next_end = text.find("\n", first_end + 1)
    nxt = text[first_end + 1 :] if next_end == -1 else text[first_end + 1 : next_end]
    return _YAML_KEY_LINE.match(nxt) is not None


def _looks_like_json_front_matter(text: str) -> bool:
    return _JSON_OBJECT_START.match(text) is not None


def _json_object_end(text: str) -> int | None:
    """Offset just past the JSON object starting at 0, scanning strings correctly."""
    depth = 0
    in_string = False
    escaped = False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index + 1
    return None


def _parse(fmt: str, content: str, span: Span, first_line: int) -> FrontMatter:
    data, problem, line = _decode(fmt, content, first_line)
    if problem is not None:
        return FrontMatter(fmt, span, None, problem, line)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return FrontMatter(
            fmt,
            span,
            None,
            f"front matter must be a mapping, not {type(data).__name__}",
            first_line,
        )
    return FrontMatter(fmt, span, data)


def _decode(fmt: str, content: str, first_line: int) -> tuple[Any, str | None, int]:
    """(data, problem, line of the problem).  The TOML and JSON readers are imported
    only for the pages that use them: most front matter is YAML."""
    if fmt == "yaml":
        try:
            return _load_yaml(content), None, first_line
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = first_line + mark.line if mark is not None else first_line
            problem = exc.problem or exc.context or "invalid YAML"
            return None, f"invalid YAML front matter: {problem}", line
        except yaml.YAMLError as exc:
            return None, f"invalid YAML front matter: {exc}", first_line
    if fmt == "toml":
        import tomllib

        try:
            return tomllib.loads(content), None, first_line
        except tomllib.TOMLDecodeError as exc:
            match = re.search(r"line (\d+)", str(exc))
            line = first_line + int(match.group(1)) - 1 if match else first_line
            return None, f"invalid TOML front matter: {exc}", line
    import json

    try:
        return json.loads(content), None, first_line
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON front matter: {exc.msg}", first_line + exc.lineno - 1


_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


class _StrictSafeLoader(_BaseLoader):  # type: ignore[misc]
    """A safe loader that refuses duplicate keys, which hide mistakes."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:
                continue
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """Number of nodes the document would have with every alias copied out.

    Aliases make the node graph a DAG, so sizes are memoised per node; this is how a
    billion-laughs document is recognised before anything walks it.
    """
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        if children_done or not children:
            total = 1 + sum(sizes.get(id(child), 1) for child in children)
            sizes[id(node)] = min(total, limit + 1)
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes.get(id(root), 1)


MAX_YAML_EXPANDED_NODES = 100_000


def _load_yaml(content: str) -> Any:
    loader = _StrictSafeLoader(content)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, MAX_YAML_EXPANDED_NODES) > MAX_YAML_EXPANDED_NODES:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"aliases expand to more than {MAX_YAML_EXPANDED_NODES:,} nodes (alias bomb?)",
                node.start_mark,
            )
        return loader.construct_document(node)
    finally:
        loader.dispose()
