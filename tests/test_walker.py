"""The Markdown walker keeps exact source offsets through every construct."""

from __future__ import annotations

from itertools import pairwise

from evlint.document import parse_document
from evlint.markdown import MASK
from evlint.source import source_from_text

DOC = """---
title: Offsets
---
# Heading with *emphasis*

A hard-wrapped paragraph with **bold** text
and a [link](https://example.org/a_(b)) that
continues here &amp; ends.

> Quoted `code` line
> and a second quoted line.

- item one
  - nested item with <sup>2</sup> marker
    1. deep ordered item

| Column | Other \\| cell |
|--------|----------------|
| cell text | more text |

Footnoted claim[^1].

[^1]: The note body.

```python
print("not prose")
```
"""


def _assert_verbatim_chars_map_home(text: str) -> None:
    document = parse_document(source_from_text("d.md", text))
    assert document.blocks
    for block in document.blocks:
        assert len(block.text) == len(block.scan)
        for index, char in enumerate(block.text):
            if char in "\n&|":
                continue
            offset = block.offsets.to_source(index)
            assert document.source.text[offset] == char, (block.kind, block.text, index)


def test_every_prose_character_maps_to_its_source_character() -> None:
    _assert_verbatim_chars_map_home(DOC)


def test_code_blocks_are_not_prose_and_inline_code_is_masked() -> None:
    document = parse_document(source_from_text("d.md", DOC))
    assert not any("not prose" in block.text for block in document.blocks)
    quote = next(b for b in document.blocks if "Quoted" in b.text)
    assert "code" in quote.text
    assert MASK * 4 in quote.scan
    assert quote.containers == ("blockquote",)


def test_sentence_spans_cut_out_exactly_the_sentence() -> None:
    document = parse_document(source_from_text("d.md", DOC))
    for sentence in document.sentences:
        cut = document.source.text[sentence.span.start : sentence.span.end]
        assert cut.startswith(sentence.text[:3]), (cut, sentence.text)
        assert cut.rstrip().endswith(sentence.text.rstrip()[-2:]), (cut, sentence.text)


def test_wrapped_sentence_spans_lines() -> None:
    document = parse_document(source_from_text("d.md", DOC))
    sentence = next(s for s in document.sentences if s.text.startswith("A hard-wrapped"))
    position = document.source.position(sentence.span)
    assert (position.line, position.end_line) == (6, 8)
    assert document.source.line_text(8).endswith("ends.")
    assert position.end_column == len(document.source.line_text(8)) + 1


def test_link_keeps_href_and_whole_source_span() -> None:
    document = parse_document(source_from_text("d.md", DOC))
    block = next(b for b in document.blocks if b.links)
    link = block.links[0]
    assert link.href == "https://example.org/a_(b)"
    assert document.source.text[link.source.start : link.source.end] == (
        "[link](https://example.org/a_(b))"
    )
    assert block.text[link.start : link.end] == "link"


def test_containers_headings_and_markers() -> None:
    document = parse_document(source_from_text("d.md", DOC))
    deep = next(b for b in document.blocks if "deep ordered" in b.text)
    assert deep.containers == ("list_item", "list_item", "list_item")
    assert deep.list_marker == "1"
    assert deep.heading_path == ("Heading with emphasis",)
    note = next(b for b in document.blocks if "note body" in b.text)
    assert note.footnote_label == "1"
    claim = next(b for b in document.blocks if "Footnoted" in b.text)
    assert [r.label for r in claim.footnote_refs] == ["1"]


def test_table_cells_map_after_escaped_pipe() -> None:
    document = parse_document(source_from_text("d.md", DOC))
    cell = next(b for b in document.blocks if b.text == "more text")
    offset = cell.offsets.to_source(0)
    line, column = document.source.line_column(offset)
    assert document.source.line_text(line)[column - 1 :].startswith("more text")


def test_nested_lists_and_quotes_and_crlf() -> None:
    text = "> - Quoted list item claims a lot.\r\n>   Continued here.\r\n"
    _assert_verbatim_chars_map_home(text)
    document = parse_document(source_from_text("q.md", text))
    first = document.sentences[0]
    assert document.source.position(first.span).column == 5


def test_deep_nesting_does_not_recurse() -> None:
    text = "".join("  " * depth + "- level\n" for depth in range(3000))
    document = parse_document(source_from_text("deep.md", text))
    assert document.blocks  # parsed without RecursionError
    text = ">" * 5000 + " deep quote\n"
    assert parse_document(source_from_text("quote.md", text)) is not None


def test_block_rule_debug_calls_are_skipped_unless_debug_logging_is_on() -> None:
    import subprocess
    import sys

    probe = (
        "import logging, sys\n"
        "{setup}"
        "from evlint.markdown import parse_markdown\n"
        "from evlint.source import source_from_text\n"
        "parse_markdown(source_from_text('x.md', '# T\\n\\n- a\\n'))\n"
        "rule = sys.modules['markdown_it.rules_block.paragraph']\n"
        "print(isinstance(rule.LOGGER, logging.Logger), type(rule.LOGGER.debug).__name__)\n"
    )
    quiet = subprocess.run(
        [sys.executable, "-c", probe.format(setup="")], capture_output=True, text=True, check=True
    )
    # Still a logger, but its debug is a C no-op instead of a Python method.
    assert quiet.stdout.split() == ["True", "builtin_function_or_method"]
    debugging = subprocess.run(
        [sys.executable, "-c", probe.format(setup="logging.basicConfig(level=logging.DEBUG)\n")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert debugging.stdout.split() == ["True", "method"]
    assert "entering paragraph" in debugging.stderr  # markdown-it's own messages still flow


def test_table_cells_keep_to_their_own_source_after_an_escaped_backslash_pipe() -> None:
    # markdown-it splits cells at a pipe not right after a backslash, so "\\|" stays in
    # the cell's text as "|"; the text after it must not be aligned into the next cell.
    row = "| Exosomes. | **Exosomes** \\\\| **breakthrough**. | cure. |"
    text = "| A | B | C |\n|---|---|---|\n" + row + "\n"
    document = parse_document(source_from_text("t.md", text))
    cells = [b for b in document.blocks if b.kind == "table_cell"][3:]
    assert [c.text for c in cells] == ["Exosomes.", "Exosomes | breakthrough.", "cure."]
    row_start = text.index(row)
    edges = [row_start + i for i, char in enumerate(row) if char == "|" and row[i - 1] != "\\"]
    for cell, (left, right) in zip(cells, pairwise(edges), strict=True):
        for index, char in enumerate(cell.text):
            offset = cell.offsets.to_source(index)
            assert left < offset < right, (cell.text, index)
            if char != "|":
                assert text[offset] == char, (cell.text, index)
