"""The user ``pattern`` kind: matching, scopes, validation at load, and its time budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from evlint.config import Config
from evlint.engine import lint_text
from evlint.kinds import KINDS
from evlint.rules_loader import RuleError, load_rule_file
from evlint.ruleset import RuleSet

RULE = """\
id: X900
name: miracle-words
kind: pattern
scope: {scope}
category: hype-language
level: warning
message: "Avoid '{{term}}'."
summary: Oversold words.
options:
{options}
docs:
  what: Flags oversold words.
  why: They promise too much.
  fix: Say what was found.
"""


def rule_file(tmp_path: Path, options: str, scope: str = "sentence") -> Path:
    path = tmp_path / "X900.yaml"
    path.write_text(RULE.format(scope=scope, options=options), encoding="utf-8")
    return path


def lint(
    tmp_path: Path, text: str, options: str, scope: str = "sentence"
) -> list[tuple[int, int, str]]:
    rule = load_rule_file(rule_file(tmp_path, options, scope), KINDS)
    result = lint_text(text, config=Config(select=("X900",)), ruleset=RuleSet((rule,)))
    assert result.errors == ()
    return [(f.position.line, f.position.column, f.message) for f in result.findings]


def test_matches_prose_not_code_with_ignorecase(tmp_path: Path) -> None:
    text = "# A MIRACLE\n\nThis `miracle` is code. A Miracles cure.\n"
    options = "  patterns: ['\\bmiracle\\w*']\n  ignorecase: true"
    assert lint(tmp_path, text, options) == [
        (1, 5, "Avoid 'MIRACLE'."),
        (3, 27, "Avoid 'Miracles'."),
    ]
    assert lint(tmp_path, text, "  patterns: ['miracle']") == []  # case-sensitive by default


def test_block_scope_matches_across_sentences(tmp_path: Path) -> None:
    text = "It works. Trust us.\n"
    options = "  patterns: ['works\\. Trust']"
    assert lint(tmp_path, text, options, scope="sentence") == []
    assert lint(tmp_path, text, options, scope="block") == [(1, 4, "Avoid 'works. Trust'.")]


def test_zero_width_matches_are_not_reported(tmp_path: Path) -> None:
    assert lint(tmp_path, "Plain words.\n", "  patterns: ['x*', '\\b']") == []


@pytest.mark.parametrize(
    ("options", "scope", "line", "message"),
    [
        ("  patterns: ['(a']", "sentence", 10, "patterns[0] '(a' is not a valid regex"),
        ("  patterns: []", "sentence", 10, "'patterns' must be a non-empty list"),
        ("  patterns: ['a']\n  ignorecase: maybe", "sentence", 11, "'ignorecase' must be"),
        ("  patterns: ['a']\n  timeout: 60", "sentence", 11, "'timeout' must be more than 0"),
        ("  patterns: ['a']\n  colour: red", "sentence", 11, "unknown option 'colour'"),
        ("  patterns: ['a']", "document", 4, "scope must be one of sentence, block"),
    ],
)
def test_bad_options_fail_at_load_with_file_and_line(
    tmp_path: Path, options: str, scope: str, line: int, message: str
) -> None:
    path = rule_file(tmp_path, options, scope)
    with pytest.raises(RuleError) as caught:
        load_rule_file(path, KINDS)
    assert caught.value.path == str(path)
    assert caught.value.line == line
    assert message in caught.value.message


def test_catastrophic_pattern_is_an_input_error_and_other_rules_run(tmp_path: Path) -> None:
    rule = load_rule_file(rule_file(tmp_path, "  patterns: ['(a+)+$']"), KINDS)
    from evlint.ruleset import builtin_ruleset

    ruleset = RuleSet((*builtin_ruleset().rules, rule))
    text = "Exosomes cure cancer.\n\n" + "a" * 5000 + "b\n"
    result = lint_text(text, "slow.md", ruleset=ruleset)
    assert [(e.path, e.code) for e in result.errors] == [("slow.md", "rule-timeout")]
    assert "rule X900 (miracle-words): pattern '(a+)+$' took longer than 0.25s" in (
        result.errors[0].message
    )
    assert any(f.rule == "EV101" and f.position.line == 1 for f in result.findings)
