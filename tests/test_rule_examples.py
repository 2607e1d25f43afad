"""Every rule proves itself: its fail examples fire, its pass examples stay silent,
and it carries the documentation users read in `evlint explain` and docs/rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from evlint.config import Config
from evlint.engine import lint_text
from evlint.kinds import KINDS
from evlint.rules_loader import RuleError, load_rule_file
from evlint.ruleset import builtin_ruleset
from evlint.rulespec import CATEGORIES, Example, Rule

RULES = builtin_ruleset().rules
# Rules emitted by the engine itself (e.g. a skipped file) cannot run from a text example.
EXAMPLE_EXEMPT_KINDS = {"engine"}


def test_builtin_rules_load_without_errors() -> None:
    assert builtin_ruleset().errors == ()
    assert len(RULES) >= 5
    ids = [rule.id for rule in RULES]
    names = [rule.name for rule in RULES]
    assert len(set(ids)) == len(ids)
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_has_docs(rule: Rule) -> None:
    assert rule.category in CATEGORIES
    for part in (rule.doc.what, rule.doc.why, rule.doc.fix, rule.summary, rule.message):
        assert len(part.split()) >= 4, f"{rule.id}: documentation too thin: {part!r}"
    if rule.kind not in EXAMPLE_EXEMPT_KINDS:
        assert rule.fail_examples, f"{rule.id} has no failing example"
        assert rule.pass_examples, f"{rule.id} has no passing example"


def _lint_example(rule: Rule, example: Example) -> list[tuple[str, int]]:
    config = Config(select=(rule.id,), evidence=(example.evidence,) if example.evidence else ())
    result = lint_text(example.text, "example.md", config)
    assert not result.errors, result.errors
    return [(f.rule, f.line) for f in result.findings]


CASES = [
    (rule, index, example, kind)
    for rule in RULES
    for kind, examples in (("fail", rule.fail_examples), ("pass", rule.pass_examples))
    for index, example in enumerate(examples)
]


@pytest.mark.parametrize(
    ("rule", "index", "example", "kind"), CASES, ids=[f"{c[0].id}-{c[3]}{c[1]}" for c in CASES]
)
def test_rule_example(rule: Rule, index: int, example: Example, kind: str) -> None:
    found = [line for rule_id, line in _lint_example(rule, example) if rule_id == rule.id]
    if kind == "fail":
        assert found, f"{rule.id} fail example {index} produced no finding"
        if example.expect_lines:
            assert sorted(set(found)) == sorted(set(example.expect_lines))
    else:
        assert not found, f"{rule.id} pass example {index} was flagged at lines {found}"


def test_malformed_rule_file_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "id: X1\nname: x\nkind: lexicon_match\nscope: sentence\ncategory: hype-language\n"
        "level: loud\nmessage: m m m m\nsummary: s s s s\ndocs: {what: a, why: b, fix: c}\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleError) as caught:
        load_rule_file(path, KINDS)
    assert caught.value.line == 6
    assert "level" in str(caught.value) and str(path) in str(caught.value)


def test_unknown_kind_and_unknown_key_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: X1\nname: x\nkind: nope\nbogus: 1\n", encoding="utf-8")
    with pytest.raises(RuleError, match="unknown key 'bogus'") as caught:
        load_rule_file(path, KINDS)
    assert caught.value.line == 4
