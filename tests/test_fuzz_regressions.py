"""Inputs the property tests and fuzzer found, each once a crash or a wrong range."""

from __future__ import annotations

import time

from evlint.document import parse_document
from evlint.engine import lint_text
from evlint.markdown import parse_markdown
from evlint.source import source_from_text


def test_autolink_before_a_bracket_citation_has_its_own_span() -> None:
    # Was: the autolink's source start was the later "[" → ValueError: invalid span.
    text = "<https://doi.org/10.1000/Exosomes> [1].\n"
    result = lint_text(text)
    assert result.errors == ()
    [link] = [link for b in parse_markdown(source_from_text("x", text)).blocks for link in b.links]
    assert text[link.source.start : link.source.end] == "<https://doi.org/10.1000/Exosomes>"


def test_whole_line_findings_end_on_their_line() -> None:
    # Was: EV202's span took the line break, so end_column pointed past the line.
    text = "[^1]: Exosomes.\n"
    findings = [f for f in lint_text(text).findings if f.rule == "EV202"]
    assert [(f.position.line, f.position.end_line, f.position.end_column) for f in findings] == [
        (1, 1, len("[^1]: Exosomes.") + 1)
    ]


def test_link_after_escaped_pipe_in_a_table_does_not_crash() -> None:
    # Was: ValueError: invalid span 159..155 (the "[" search overshot to a later cell).
    text = (
        "| Exosomes. | Exosomes. | Exosomes. | Exosomes. |\n|---|---|---|---|\n"
        "| Exosomes. | **Exosomes** \\\\| [Exosomes](https://example.org/Exosomes?q=1)."
        " | Exosomes. | [1]. |\n"
    )
    result = lint_text(text)
    assert result.errors == ()
    for block in parse_markdown(source_from_text("x", text)).blocks:
        for link in block.links:
            assert 0 <= link.source.start <= link.source.end <= len(text)


def test_code_span_right_after_a_full_stop_does_not_hang() -> None:
    # Was: catastrophic backtracking in the sentence terminator's masked-marker
    # alternative; 24 masked characters took minutes, a longer run forever.
    started = time.monotonic()
    text = "Exosomes work.`" + "x" * 5000 + "`y\n\nA second paragraph.\n"
    result = lint_text(text)
    sentences = parse_document(source_from_text("x", text)).sentences
    assert time.monotonic() - started < 5
    assert result.errors == ()
    assert sentences[-1].display == "A second paragraph."
