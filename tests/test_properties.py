"""Properties every lint of every document must have (hypothesis-generated Markdown)."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evlint.config import Config
from evlint.engine import lint_paths, lint_text
from evlint.model import FileResult, Finding
from evlint.source import source_from_text
from tests.strategies import Doc, documents

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_WORD = re.compile(r"\w+")
# Messages citing other lines shift too ("line 9", "lines 9-12", "lines 9 and 14").
_LINE_REF = re.compile(r"\blines? \d+(?:(?:[-–]| and )\d+)?")


def key(result: FileResult) -> list[tuple[str, int, int, int, int, str, str]]:
    return [
        (
            f.rule,
            f.position.line,
            f.position.column,
            f.position.end_line,
            f.position.end_column,
            f.message,
            f.snippet,
        )
        for f in result.findings
    ]


def cut(text: str, finding: Finding) -> str:
    """The source text a finding's line/column range covers (end column exclusive)."""
    lines = text.split("\n")
    p = finding.position
    if p.line == p.end_line:
        return lines[p.line - 1][p.column - 1 : p.end_column - 1]
    middle = lines[p.line : p.end_line - 1]
    return "\n".join(
        [lines[p.line - 1][p.column - 1 :], *middle, lines[p.end_line - 1][: p.end_column - 1]]
    )


@PROPERTY
@given(documents())
def test_findings_lie_inside_the_file_and_cut_out_their_text(doc: Doc) -> None:
    result = lint_text(doc.text)
    source = source_from_text("<text>", doc.text)
    lines = source.text.split("\n")
    for finding in result.findings:
        p = finding.position
        assert 1 <= p.line <= p.end_line <= len(lines), finding
        assert 1 <= p.column <= len(lines[p.line - 1]) + 1, finding
        assert 1 <= p.end_column <= len(lines[p.end_line - 1]) + 1, finding
        assert p.line < p.end_line or p.column <= p.end_column, finding
        assert 0 <= finding.span.start <= finding.span.end <= len(source.text), finding
        assert source.position(finding.span) == p, finding  # span and line/column agree
        if finding.span.end == finding.span.start:
            continue
        piece = cut(source.text, finding)
        assert piece == source.text[finding.span.start : finding.span.end]
        # The snippet is the sentence (markup removed, entities such as "&amp;" read as
        # the characters they stand for) or the line the finding is on; the text the
        # range covers must be about it: its first word is in the snippet.
        words = _WORD.findall(html.unescape(piece))
        if words and finding.snippet:
            assert words[0].lower() in finding.snippet.lower(), (piece, finding.snippet)


@PROPERTY
@given(documents())
def test_linting_is_deterministic(doc: Doc) -> None:
    first = lint_text(doc.text)
    second = lint_text(doc.text)
    assert key(first) == key(second)
    assert [f.fingerprint for f in first.findings] == [f.fingerprint for f in second.findings]
    assert first.errors == second.errors


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(documents(), min_size=3, max_size=3))
def test_results_do_not_depend_on_jobs(
    tmp_path_factory: pytest.TempPathFactory, docs: list[Doc]
) -> None:
    root = tmp_path_factory.mktemp("jobs")
    for index, doc in enumerate(docs):
        (root / f"page{index}.md").write_text(doc.text, encoding="utf-8", newline="")
    serial = list(lint_paths([str(root)], Config(), jobs=1))
    parallel = list(lint_paths([str(root)], Config(), jobs=2))
    assert [r.path for r in serial] == [r.path for r in parallel]
    assert [key(r) for r in serial] == [key(r) for r in parallel]
    assert [r.errors for r in serial] == [r.errors for r in parallel]


def _suppression_available() -> bool:
    try:
        import evlint.suppress  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _suppression_available(), reason="needs evlint.suppress (issue 7)")
@settings(PROPERTY, max_examples=30)
@given(documents(raw=False), st.data())
def test_suppressing_a_finding_removes_exactly_it(doc: Doc, data: st.DataObject) -> None:
    text = doc.text.replace("\r\n", "\n")
    before = lint_text(text).findings
    targets = [f for f in before if f.position.line in doc.block_lines and f.position.line > 1]
    if not targets:
        return
    target = data.draw(st.sampled_from(targets))
    line = target.position.line
    lines = text.split("\n")
    lines.insert(line - 1, f"<!-- evlint-disable-next-line {target.rule} -->")
    after = lint_text("\n".join(lines)).findings

    def shifted(f: Finding) -> tuple[str, int, int, str]:
        moved = 1 if f.position.line >= line else 0
        return (f.rule, f.position.line + moved, f.position.column, _LINE_REF.sub("", f.message))

    gone = {
        shifted(f)
        for f in before
        if f.rule == target.rule and f.position.line <= line <= f.position.end_line
    }
    expected = sorted(shifted(f) for f in before if shifted(f) not in gone)
    actual = sorted(
        (f.rule, f.position.line, f.position.column, _LINE_REF.sub("", f.message)) for f in after
    )
    assert shifted(target) in gone
    assert actual == expected
