"""The health-topic gate: pages that name no health term get only `topic: any` rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from evlint.config import Config
from evlint.engine import lint_text
from evlint.kinds import KINDS
from evlint.rules_loader import RuleError, load_rule_file
from evlint.ruleset import load_ruleset
from evlint.topic import LONG_PAGE_WORDS, health_terms, load_topic, topic_lexicon
from tests.conftest import REPO, SEEDS, run_evlint

# Software prose that the health rules misread: "memory" is a body word, "guaranteed"
# is hype, "prevent" and "improves" are effect verbs.
SOFTWARE_PAGE = """# Release notes

This release improves memory usage and reduces startup time.
The `close` event is guaranteed to be emitted after the last `data` event.
Setting `--frozen` will prevent these dependencies from being installed.
"""


def _rules(text: str, config: Config | None = None) -> set[str]:
    return {finding.rule for finding in lint_text(text, "page.md", config).findings}


@pytest.mark.parametrize(
    "page",
    sorted([*SEEDS.glob("*.md"), *(REPO / "tests/fixtures/doclevel/pages").glob("*.md")]),
    ids=lambda p: p.name,
)
def test_every_health_page_names_a_health_term(page: Path) -> None:
    assert health_terms(page.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Vitamin D supplements reduce colds.", "colds"),
        ("Changes were pregnancy-related.", "pregnancy"),  # inside a hyphenated compound
        ("Ask your doctor first.", "your doctor"),  # a phrase, not a single word
        ("People with HIV were enrolled.", "HIV"),  # a case-sensitive abbreviation
        ("Patients with COPD improved.", "patients"),
        ("Three cups of coffee a day are linked to longevity.", "longevity"),
        ("Burn belly fat fast.", "belly fat"),
    ],
)
def test_health_terms_are_found(text: str, term: str) -> None:
    assert health_terms(text) == (term,)


@pytest.mark.parametrize(
    "text",
    [
        SOFTWARE_PAGE,
        "Fix a race condition when running tests.",  # excluded: condition, running
        "Export the table cells to MS Word.",  # excluded: cells; MS is too short
        "Sanitise input to stop SQL injection; add salt to the hash.",
        "Side effects of the reducer: the doctor command checks your setup.",
        "The health endpoint answers 200.",  # bare "health" is a health check here
        "WITHOUT WARRANTY OF ANY KIND, INCLUDING FITNESS FOR A PARTICULAR PURPOSE.",
    ],
)
def test_software_text_names_no_health_term(text: str) -> None:
    assert health_terms(text) == ()


def test_health_terms_split_across_a_phrase_do_not_count() -> None:
    # "your" and "health" both occur, but never as "your health".
    assert health_terms("Check your config. The health endpoint answers 200.") == ()
    assert health_terms("Protect your health.") == ("your health",)


def test_excluded_words_and_short_abbreviations_are_not_terms() -> None:
    topic = load_topic()
    for word in (b"memory", b"running", b"condition", b"sugar", b"cells"):
        assert word not in topic.words
    assert [m.text for m in topic_lexicon().finditer("Deploy to RDS and ROS.")] == []
    assert b"arthritis" in topic.words  # included from the conditions lexicon


def test_non_health_page_gets_only_topic_any_rules() -> None:
    assert _rules(SOFTWARE_PAGE) == set()
    every = _rules(SOFTWARE_PAGE, Config(all_pages=True))
    assert {"EV101", "EV102"} <= every  # what the gate keeps out


def test_citation_rules_still_run_on_non_health_pages() -> None:
    text = (
        "See the API notes [3].\n\n"
        "[dup]: https://doi.org/10.1000/abc1\n[copy]: https://doi.org/10.1000/ABC1\n"
    )
    assert health_terms(text) == ()
    rules = _rules(text + "\nUse [dup] and [copy].\n")
    assert {"EV201", "EV203"} <= rules  # dangling [3], one DOI twice: citation integrity


def test_one_health_word_turns_the_health_rules_on() -> None:
    page = SOFTWARE_PAGE + "\nNone of this is medical advice.\n"
    assert "EV102" in _rules(page)


def test_suppressing_a_gated_rule_is_not_reported_unused() -> None:
    page = "<!-- evlint-disable-next-line EV101 -->\n" + SOFTWARE_PAGE
    assert _rules(page) == set()


def test_every_health_rule_fail_example_names_a_health_term() -> None:
    for rule in load_ruleset().rules:
        if rule.topic == "health":
            for example in rule.fail_examples:
                assert health_terms(example.text), (rule.id, example.text)


def test_rule_topic_is_validated(tmp_path: Path) -> None:
    source = (REPO / "rules" / "EV101-uncited-claim.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "EV901-bad.yaml"
    bad.write_text(source.replace("topic: health", "topic: medicine"), encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_rule_file(bad, KINDS)
    assert "topic must be one of any, health" in caught.value.message
    assert caught.value.line == source.splitlines().index("topic: health") + 1


def test_config_all_pages_and_cli_flag(tmp_path: Path) -> None:
    page = tmp_path / "CHANGELOG.md"
    page.write_text(SOFTWARE_PAGE, encoding="utf-8")
    gated = run_evlint("check", "--format", "json", str(page), cwd=tmp_path)
    assert gated.returncode == 0, gated.stdout + gated.stderr
    flagged = run_evlint("check", "--all-pages", "--format", "json", str(page), cwd=tmp_path)
    assert flagged.returncode == 1 and '"EV101"' in flagged.stdout
    (tmp_path / ".evlint.yaml").write_text("all-pages: true\n", encoding="utf-8")
    configured = run_evlint("check", "--format", "json", str(page), cwd=tmp_path)
    assert configured.returncode == 1 and '"EV101"' in configured.stdout
    (tmp_path / ".evlint.yaml").write_text("all-pages: maybe\n", encoding="utf-8")
    broken = run_evlint("check", str(page), cwd=tmp_path)
    assert broken.returncode == 2
    assert ".evlint.yaml:1" in broken.stderr and "all-pages" in broken.stderr


def test_a_long_page_needs_two_different_health_terms() -> None:
    filler = " ".join(["The build caches wheels between runs."] * (LONG_PAGE_WORDS // 6 + 1))
    idiom = "Pinning adds an extra dose of insurance; doses of care help too."
    assert health_terms(idiom) == ("dose",)  # short: one term is enough
    assert health_terms(f"{filler}\n\n{idiom}") == ()  # long: "dose(s)" is one term
    page = f"{filler}\n\n{idiom} Ask your doctor about vitamin D."
    assert len(health_terms(page)) == 2
