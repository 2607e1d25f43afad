"""Claims judged against the evidence library: linking, EV301-EV306, ``evlint evidence``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evlint.config import Config
from evlint.engine import lint_text
from evlint.linking import evidence_input_errors, load_cached
from evlint.model import FileResult
from tests.conftest import REPO, SEED_POST, SEEDS, run_evlint

CARDS = REPO / "tests" / "fixtures" / "evidence" / "linking"
EVIDENCE_RULES = ("EV3*",)


def lint(text: str, *evidence: Path | str, builtin: bool = True) -> FileResult:
    config = Config(
        select=EVIDENCE_RULES, evidence=tuple(str(e) for e in evidence), builtin_evidence=builtin
    )
    result = lint_text(text, "post.md", config)
    assert not result.errors, result.errors
    return result


def found(result: FileResult) -> set[tuple[str, int]]:
    return {(f.rule, f.line) for f in result.findings}


# ---- the seed post ----------------------------------------------------------------

SEED_EXPECTED = {
    ("EV301", 24),  # crosses the blood-brain barrier -> treats neurological disease
    ("EV303", 24),  # "more painless" against the review's limited safety data
    ("EV304", 26),  # autism
    ("EV304", 28),  # multiple sclerosis / myelin
    ("EV304", 30),  # Alzheimer's disease
    ("EV305", 24),  # none of the review's limitations mentioned
    ("EV306", 24),  # no word that no exosome product is FDA-approved
}


def test_seed_post_with_builtin_pack_only() -> None:
    result = lint(SEED_POST.read_text(encoding="utf-8"))
    assert found(result) == SEED_EXPECTED
    for finding in result.findings:
        assert (
            "neonatal-ev-review" in finding.message
            or "fda-" in finding.message
            or ("Food and Drug Administration" in finding.message)
        ), finding.message
        assert finding.related, finding.rule


@pytest.mark.slow
def test_seed_folder_via_cli_with_seed_review_as_evidence() -> None:
    review = SEEDS / "neonatal-ev-review-summary.md"
    done = run_evlint(
        "check", "seeds/", "--evidence", str(review), "--select", "EV3*", "--format", "json"
    )
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    findings = report["findings"] if isinstance(report, dict) else report
    lines = {(f["rule"], f["line"]) for f in findings if f["path"].endswith(SEED_POST.name)}
    assert lines == SEED_EXPECTED
    assert not any(f["line"] in (14, 16) for f in findings)
    # The review, given as evidence, is named in the messages and related locations.
    scope = [f for f in findings if f["rule"] == "EV304"]
    assert all("neonatal-ev-review-summary" in f["message"] for f in scope)
    safety = next(f for f in findings if f["rule"] == "EV303")
    assert "thrombotic" in safety["message"]
    assert any(r["path"].endswith("neonatal-ev-review-summary.md") for r in safety["related"])


def test_seed_background_sentences_stay_silent() -> None:
    result = lint(SEED_POST.read_text(encoding="utf-8"))
    assert not [f for f in result.findings if f.line in (14, 16, 18, 32)]


def test_review_is_not_judged_against_itself() -> None:
    review = SEEDS / "neonatal-ev-review-summary.md"
    config = Config(select=EVIDENCE_RULES, evidence=(str(review),))
    result = lint_text(review.read_text(encoding="utf-8"), str(review), config)
    assert result.findings == ()


# ---- claim exceeds evidence --------------------------------------------------------

MOUSE_POST = """\
# Curcumin

Curcumin cures knee osteoarthritis in patients [1].

## References

1. Doe J. Curcumin in mice. J Exp Rheum 2021. https://doi.org/10.5555/mouse.curcumin.2021
"""


def test_human_cure_on_mouse_study_is_preclinical_as_clinical() -> None:
    result = lint(MOUSE_POST, CARDS / "mouse-curcumin.yaml")
    assert found(result) >= {("EV301", 3)}
    finding = next(f for f in result.findings if f.rule == "EV301")
    assert finding.category == "preclinical-as-clinical"
    assert "the cited animal study" in finding.message
    assert "In this mouse study" in finding.message
    related = finding.related[0]
    assert related.path.endswith("mouse-curcumin.yaml") and related.line == 13


def test_card_without_design_is_graded_from_its_own_words(tmp_path: Path) -> None:
    card = tmp_path / "card.yaml"
    card.write_text(
        "id: z\nkeys: {doi: 10.1234/z.2020}\ntitle: Compound Z and arthritis\n"
        "findings:\n  - In this mouse study, compound Z reduced joint swelling.\n",
        encoding="utf-8",
    )
    text = "Compound Z cures rheumatoid arthritis in people ([study](https://doi.org/10.1234/z.2020)).\n"
    result = lint(text, card)
    assert ("EV301", 1) in found(result)
    assert next(f for f in result.findings if f.rule == "EV301").related[0].line == 5


def test_causal_claim_on_cohort_is_overstated() -> None:
    text = (
        "Vitamin D prevents hip fractures in older adults [1].\n\n"
        "1. Roe A. Vitamin D and fractures. 2019. https://doi.org/10.5555/vitd.cohort\n"
    )
    result = lint(text, CARDS / "vitd-cohort.yaml")
    finding = next(f for f in result.findings if f.rule == "EV302")
    assert finding.line == 1 and finding.category == "overstated-strength"
    assert "is a cohort study" in finding.message


def test_scoped_or_hedged_claims_are_not_exceeding() -> None:
    text = (
        "In a mouse study, curcumin reduced cartilage loss [1].\n\n"
        "Curcumin may help knee osteoarthritis [1].\n\n"
        "1. Doe J. Curcumin in mice. 2021. https://doi.org/10.5555/mouse.curcumin.2021\n"
    )
    result = lint(text, CARDS / "mouse-curcumin.yaml")
    assert not {rule for rule, _ in found(result)} & {"EV301", "EV302"}


# ---- safety ------------------------------------------------------------------------

SAFETY_POST = """\
# Stem cells for knees

Stem cell injections for knee osteoarthritis are safe and well tolerated [1].

## References

1. Poe B. MSCs for knees, phase I. 2022. https://doi.org/10.5555/msc.knee.phase1
"""


def test_safety_claim_meets_stated_adverse_events() -> None:
    result = lint(SAFETY_POST, CARDS / "msc-knee-trial.yaml")
    finding = next(f for f in result.findings if f.rule == "EV303")
    assert finding.line == 3 and finding.category == "safety-claim-unsupported"
    assert "deep vein thrombosis" in finding.message
    assert finding.related[0].path.endswith("msc-knee-trial.yaml")
    assert finding.related[0].line == 19


def test_negated_safety_wording_is_not_a_claim() -> None:
    text = "# Stem cells\n\nIt is not known whether stem cell injections are safe [1].\n\n" + (
        "1. Poe B. MSCs, phase I. 2022. https://doi.org/10.5555/msc.knee.phase1\n"
    )
    result = lint(text, CARDS / "msc-knee-trial.yaml")
    assert "EV303" not in {rule for rule, _ in found(result)}


# ---- scope -------------------------------------------------------------------------


def test_claim_citing_source_on_other_condition_is_a_mismatch() -> None:
    text = (
        "# Exosomes\n\nExosomes may be effective in the treatment of autism [1].\n\n"
        "1. Roe C. Exosomes in Alzheimer's. 2021. https://doi.org/10.5555/ev.alzheimer.review\n"
    )
    result = lint(text, CARDS / "ev-alzheimer-review.yaml")
    finding = next(f for f in result.findings if f.rule == "EV304")
    assert finding.line == 3 and finding.category == "citation-mismatch"
    assert "the cited review" in finding.message and "alzheimer's disease" in finding.message
    assert finding.related[0].path.endswith("ev-alzheimer-review.yaml")
    assert finding.related[0].line == 2


def test_uncited_claim_is_linked_by_topic_and_says_so() -> None:
    text = "# Exosome therapy\n\nExosomes may help children with autism.\n"
    result = lint(text)
    finding = next(f for f in result.findings if f.rule == "EV304")
    assert "evidence on this topic in the library" in finding.message
    assert "neonatal-ev-review" in finding.message


def test_claim_in_scope_is_not_a_mismatch() -> None:
    text = "# Exosome research\n\nExosomes may help newborns with necrotizing enterocolitis.\n"
    assert "EV304" not in {rule for rule, _ in found(lint(text))}


def test_adult_claim_on_newborn_evidence_is_a_population_mismatch() -> None:
    text = "# Exosome research\n\nExosomes may help adults with sepsis.\n"
    finding = next(f for f in lint(text).findings if f.rule == "EV304")
    assert "adults" in finding.message and "neonates" in finding.message


# ---- omitted limitations and regulatory status -------------------------------------


def test_omitted_limitations_reported_once_listing_what_is_missing() -> None:
    text = (
        "# Exosome therapy\n\nExosome therapy treats brain injury in premature babies.\n\n"
        "Exosomes also treat sepsis in newborns.\n"
    )
    omitted = [f for f in lint(text).findings if f.rule == "EV305"]
    assert [f.line for f in omitted] == [3]
    assert "thrombotic risk" in omitted[0].message and "limited safety data" in omitted[0].message
    assert all(r.line > 0 for r in omitted[0].related)


def test_mentioning_a_limitation_silences_omitted_risk() -> None:
    text = (
        "# Exosome therapy\n\nExosome therapy treats brain injury in premature babies.\n\n"
        "Safety data are limited, and a thrombotic risk has been reported.\n"
    )
    assert "EV305" not in {rule for rule, _ in found(lint(text))}


def test_unapproved_therapy_promoted_without_status() -> None:
    text = "# Our clinic\n\nOur clinic offers exosome therapy.\n\nExosomes treat arthritis.\n"
    regulatory = [f for f in lint(text).findings if f.rule == "EV306"]
    assert len(regulatory) == 1
    assert "not approved any exosome product" in regulatory[0].message
    assert regulatory[0].related[0].path.endswith("regulatory.yaml")


def test_stating_the_approval_status_silences_regulatory() -> None:
    text = "# Exosomes\n\nExosomes treat arthritis, but no exosome product is FDA-approved.\n"
    assert "EV306" not in {rule for rule, _ in found(lint(text))}


def test_without_builtin_pack_nothing_links() -> None:
    assert lint(SEED_POST.read_text(encoding="utf-8"), builtin=False).findings == ()


# ---- library loading and errors ----------------------------------------------------


def test_library_loads_once_per_paths() -> None:
    first = load_cached((str(CARDS),), True)
    assert load_cached((str(CARDS),), True) is first
    assert load_cached((str(CARDS),), False) is not first


def test_evidence_errors_name_file_and_line() -> None:
    bad = REPO / "tests" / "fixtures" / "evidence" / "bad" / "syntax.yaml"
    errors = evidence_input_errors((str(bad),))
    assert errors and errors[0].path.endswith("syntax.yaml") and errors[0].line == 3


@pytest.mark.slow
def test_check_reports_bad_evidence_once_and_exits_2() -> None:
    bad = "tests/fixtures/evidence/bad/syntax.yaml"
    done = run_evlint("check", str(SEED_POST), "--evidence", bad, "--select", "EV3*")
    assert done.returncode == 2
    assert done.stdout.count("syntax.yaml:3") + done.stderr.count("syntax.yaml:3") == 1


@pytest.mark.slow
def test_evidence_list_and_show_commands() -> None:
    listed = run_evlint("evidence", "list", "--evidence", str(CARDS))
    assert listed.returncode == 0, listed.stderr
    assert "mouse-curcumin-oa" in listed.stdout and "neonatal-ev-review" in listed.stdout
    shown = run_evlint("evidence", "show", "doi:10.1002/btm2.70093")
    assert shown.returncode == 0 and "Limitations" in shown.stdout and "thrombotic" in shown.stdout
    only = run_evlint("evidence", "list", "--no-builtin-evidence", "--evidence", str(CARDS))
    assert "neonatal-ev-review" not in only.stdout
    missing = run_evlint("evidence", "show", "doi:10.9999/none")
    assert missing.returncode == 2 and "no evidence" in missing.stderr
    broken = run_evlint("evidence", "show", "tests/fixtures/evidence/bad/syntax.yaml")
    assert broken.returncode == 2 and "syntax.yaml:3" in broken.stderr


def test_disclaimer_in_html_counts_as_stating_the_status() -> None:
    text = (
        "# Stem cells\n\nStem cell therapy treats knee osteoarthritis.\n\n"
        '<p class="disclaimer">These procedures have not been approved by the FDA.</p>\n'
    )
    assert "EV306" not in {rule for rule, _ in found(lint(text))}
    without = text.split("<p")[0]
    assert "EV306" in {rule for rule, _ in found(lint(without))}
