"""Every suppression form hides what it names, and no more; unused ones are reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evlint.config import Config
from evlint.engine import lint_text
from tests.content_repo import NEUTRAL, SAFETY, TURMERIC, ContentRepo

# The rules these tests suppress, plus EV003; document-level rules (no date, no author)
# would fire on every snippet and are not what is being tested.
ALL = Config(select=("EV003", "EV101", "EV102", "EV103"))


def found(text: str, config: Config = ALL, path: str = "post.md") -> list[tuple[str, int]]:
    return sorted({(f.rule, f.line) for f in lint_text(text, path, config).findings})


def test_baseline_without_suppressions() -> None:
    assert ("EV103", 1) in found(SAFETY)
    assert ("EV101", 1) in found(TURMERIC)


@pytest.mark.parametrize("selector", ["EV103", "absolute-safety-claim", "safety-claim-unsupported"])
def test_disable_next_line_by_id_name_or_category(selector: str) -> None:
    text = f"<!-- evlint-disable-next-line {selector} -- quoting the clinic -->\n{SAFETY}\n{SAFETY}"
    result = found(text)
    assert ("EV103", 2) not in result
    assert ("EV103", 4) in result  # only the next line
    assert not any(rule == "EV003" for rule, _ in result)


def test_disable_next_line_with_several_rules_and_inline_comment() -> None:
    text = f"Intro sentence here. <!-- evlint-disable-next-line EV101, EV103 -->\n{SAFETY}"
    result = found(text)
    assert not any(rule in ("EV101", "EV103") and line == 2 for rule, line in result)


def test_disable_enable_range() -> None:
    text = (
        f"<!-- evlint-disable EV101 -->\n\n{TURMERIC}\n{TURMERIC}\n<!-- evlint-enable EV101 -->\n"
        f"\n{TURMERIC}"
    )
    assert [f for f in found(text) if f[0] == "EV101"] == [("EV101", 9)]


def test_bare_disable_hides_every_rule_until_the_end() -> None:
    text = f"{TURMERIC}\n<!-- evlint-disable -->\n\n{SAFETY}\n{TURMERIC}"
    assert found(text) == [("EV101", 1)]


def test_disable_file_anywhere_in_the_file() -> None:
    text = f"{SAFETY}\n{TURMERIC}\n<!-- evlint-disable-file EV103 -->\n"
    result = found(text)
    assert not any(rule == "EV103" for rule, _ in result)
    assert ("EV101", 3) in result


def test_mdx_comment_form() -> None:
    text = f"{{/* evlint-disable-next-line EV103 */}}\n{SAFETY}\n{SAFETY}"
    result = found(text, path="post.mdx")
    assert ("EV103", 2) not in result and ("EV103", 4) in result


def test_mdx_form_inside_code_is_not_a_directive() -> None:
    text = f"Write `{{/* evlint-disable-next-line EV103 */}}` in MDX.\n{SAFETY}"
    assert ("EV103", 2) in found(text)


def test_front_matter_disable() -> None:
    text = f"---\ntitle: Stem cells\nevlint:\n  disable: [EV103, hype-language]\n---\n{SAFETY}"
    result = found(text)
    assert not any(rule == "EV103" for rule, _ in result)
    # hype-language suppressed nothing: reported at the `evlint:` line.
    assert ("EV003", 3) in result


@pytest.mark.parametrize("key", ['"\\x65vlint"', '"\\u0065vlint"'])
def test_front_matter_disable_with_an_escaped_key(key: str) -> None:
    """The key spelt with YAML escapes never shows "evlint" in the text, but is one."""
    text = f"---\ntitle: Stem cells\n{key}:\n  disable: [EV103]\n---\n{SAFETY}"
    assert "evlint" not in text.lower()
    assert not any(rule == "EV103" for rule, _ in found(text))
    assert any(rule == "EV103" for rule, _ in found(text.replace(key, "other")))


def test_directive_in_capitals_is_still_read() -> None:
    result = found(f"<!-- EVLINT-DISABLE-NEXT-LINE EV103 -->\n{SAFETY}")
    assert ("EV003", 1) in result  # not a directive (they are lower case), and said so


def test_unused_suppressions_are_reported_as_info() -> None:
    text = f"<!-- evlint-disable-next-line EV103 -->\n{NEUTRAL}"
    findings = lint_text(text, "post.md", ALL).findings
    unused = [f for f in findings if f.rule == "EV003"]
    assert [(f.line, f.severity.label) for f in unused] == [(1, "info")]
    assert "suppressed nothing" in unused[0].message


def test_unknown_rule_and_misspelt_directive_are_reported() -> None:
    text = (
        f"<!-- evlint-disable-next-line EV999 -->\n{NEUTRAL}\n"
        f"<!-- evlint-disable-nextline EV103 -->\n{SAFETY}"
    )
    messages = {
        f.line: f.message for f in lint_text(text, "p.md", ALL).findings if f.rule == "EV003"
    }
    assert "names no known rule ('EV999')" in messages[1]
    assert "is not an evlint directive" in messages[4]
    assert ("EV103", 5) in found(text)  # the misspelt directive suppresses nothing


def test_enable_without_disable_is_reported() -> None:
    messages = [f.message for f in lint_text(f"{NEUTRAL}<!-- evlint-enable EV101 -->\n").findings]
    assert any("enables nothing" in m for m in messages)


def test_suppressing_a_rule_that_is_not_in_force_is_not_reported() -> None:
    text = f"<!-- evlint-disable-next-line hype-language -->\n{NEUTRAL}"
    assert found(text, Config(select=("EV003", "EV101", "EV103"))) == []
    assert ("EV003", 1) in found(text)  # with the rule in force, it did suppress nothing


def test_unused_suppression_reports_can_themselves_be_suppressed() -> None:
    text = f"<!-- evlint-disable-file EV003 -->\n<!-- evlint-disable-next-line EV103 -->\n{NEUTRAL}"
    assert found(text) == []


def test_suppression_in_fenced_code_is_ignored() -> None:
    text = f"```html\n<!-- evlint-disable-file -->\n```\n\n{SAFETY}"
    assert ("EV103", 5) in found(text)


@pytest.mark.slow
def test_suppressions_through_the_cli(tmp_path: Path) -> None:
    repo = ContentRepo(tmp_path / "site")
    repo.write(
        "post.md",
        f"<!-- evlint-disable-next-line EV103 -- the clinic's words, quoted -->\n{SAFETY}\n"
        f"<!-- evlint-disable-next-line EV102 -->\n{NEUTRAL}",
    )
    # Only the suppression of a rule in force (EV102 here) can be unused.
    result = repo.check("--format", "json", "--select", "EV003", "--select", "EV102", "post.md")
    assert [(f["rule"], f["line"]) for f in json.loads(result.stdout)["findings"]] == [("EV003", 4)]
    result = repo.check("--format", "json", "--fail-on", "error", "post.md")
    report = json.loads(result.stdout)
    assert {(f["rule"], f["line"]) for f in report["findings"]} >= {("EV003", 4)}
    assert not any(f["rule"] == "EV103" for f in report["findings"])
    assert result.returncode == 0  # info and warnings below --fail-on error
