from __future__ import annotations

import codecs

import pytest

from evlint.model import Span
from evlint.source import DecodeError, decode, load_source, parse_front_matter, source_from_text


def test_utf8_bom_is_removed_and_crlf_normalised_without_moving_lines() -> None:
    source = load_source("x.md", codecs.BOM_UTF8 + b"Title\r\nsecond line\rthird\n")
    assert source.text == "Title\nsecond line\nthird\n"
    assert source.line_column(source.text.index("third")) == (3, 1)


def test_utf16_with_bom_decodes() -> None:
    data = codecs.BOM_UTF16_LE + "Vitamin C helps.\n".encode("utf-16-le")
    assert decode(data) == "Vitamin C helps.\n"


def test_invalid_utf8_names_line_and_column() -> None:
    with pytest.raises(DecodeError) as caught:
        decode(b"fine\nalso fine\nbad \xff here\n")
    assert caught.value.line == 3
    assert "line 3, column 5" in caught.value.message


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(DecodeError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00")


def test_position_is_one_based_with_exclusive_end() -> None:
    source = source_from_text("x.md", "ab\ncdef\n")
    assert source.position(Span(4, 6)).__repr__() == repr(source.position(Span(4, 6)))
    position = source.position(Span(4, 6))
    assert (position.line, position.column, position.end_line, position.end_column) == (2, 2, 2, 4)


@pytest.mark.parametrize(
    ("text", "fmt", "key"),
    [
        ("---\ntitle: A\ndate: 2024-01-02\n---\nBody\n", "yaml", "title"),
        ('+++\ntitle = "A"\n+++\nBody\n', "toml", "title"),
        ('{\n  "title": "A"\n}\nBody\n', "json", "title"),
    ],
)
def test_front_matter_formats_parse(text: str, fmt: str, key: str) -> None:
    front = parse_front_matter(text)
    assert front is not None and front.error is None
    assert front.format == fmt
    assert front.data is not None and front.data[key] == "A"


def test_front_matter_is_blanked_in_body_but_lines_kept() -> None:
    source = source_from_text("x.md", "---\ntitle: Cures\n---\nText here.\n")
    assert "Cures" not in source.body
    assert len(source.body) == len(source.text)
    assert source.body.count("\n") == source.text.count("\n")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("---\ntitle: ok\ntitle: again\n---\n", 3, "duplicate key"),
        ("---\na: 1\nb: [unclosed\n---\n", 4, "invalid YAML"),
        ("---\nx: !!python/object/apply:os.system [ls]\n---\n", 2, "constructor"),
        ("+++\ntitle = \n+++\n", 2, "invalid TOML"),
        ('{"a": 1,\n "b": }\n', 2, "invalid JSON"),
        ("---\ntitle: never closed\nmore: text\n", 1, "unterminated"),
    ],
)
def test_broken_front_matter_reports_line(text: str, line: int, words: str) -> None:
    front = parse_front_matter(text)
    assert front is not None
    assert front.error is not None and words in front.error
    assert front.error_line == line


def test_alias_bomb_is_refused() -> None:
    lines = ["---", 'a: &a ["x","x","x","x","x","x","x","x","x"]']
    previous = "a"
    for name in "bcdefghijklmnopqrstuvwxyz":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    lines.append("---")
    front = parse_front_matter("\n".join(lines) + "\n")
    assert front is not None and front.error is not None
    assert "alias" in front.error


def test_thematic_break_at_top_is_not_front_matter() -> None:
    assert parse_front_matter("---\n\nJust a rule above.\n") is None
