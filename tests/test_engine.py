"""Engine behaviour across rules: one finding per problem, suppression order."""

from __future__ import annotations

from evlint.engine import lint_text
from tests.conftest import SEED_POST


def _preclinical_on_line(text: str, line: int) -> list[str]:
    result = lint_text(text, "seeds/exosome-treatment-blog-post.md")
    return [
        f.rule
        for f in result.findings
        if f.line == line and f.category == "preclinical-as-clinical"
    ]


def test_same_problem_on_same_span_is_reported_once_with_its_evidence() -> None:
    text = SEED_POST.read_text(encoding="utf-8")
    result = lint_text(text, "seeds/exosome-treatment-blog-post.md")
    line_24 = [
        f for f in result.findings if f.line == 24 and f.category == "preclinical-as-clinical"
    ]
    assert len(line_24) == 1
    assert line_24[0].related, "the evidence-backed finding should be the one kept"


def test_suppressing_the_kept_rule_lets_the_other_report() -> None:
    text = SEED_POST.read_text(encoding="utf-8")
    kept = _preclinical_on_line(text, 24)
    assert len(kept) == 1
    lines = text.split("\n")
    lines.insert(23, f"<!-- evlint-disable-next-line {kept[0]} -- reviewed -->")
    remaining = _preclinical_on_line("\n".join(lines), 25)
    assert remaining and kept[0] not in remaining
