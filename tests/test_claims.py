"""The claim model, the claim rules (EV102, EV104, EV105) and ``evlint grade``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from evlint import lint_text
from evlint.analysis import Analysis
from evlint.claims.detector import analyze
from evlint.claims.strength import grade_strength
from evlint.document import parse_document
from evlint.ruleset import load_ruleset
from evlint.source import source_from_text

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "exosome-treatment-blog-post.md"
CLAIM_RULES = ("EV102", "EV104", "EV105")


# ---------------------------------------------------------------- kinds


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Ashwagandha relieves anxiety in stressed office workers.", "efficacy"),
        ("Our PRP injections heal torn tendons.", "efficacy"),
        ("Daily flossing may protect against gum infections.", "prevention"),
        ("The shingles vaccine lowers the risk of shingles in older adults.", "prevention"),
        ("Curcumin inhibits inflammatory signalling in joints.", "mechanism"),
        ("Stem cells home to injured tissue.", "mechanism"),
        ("The procedure is painless and has no side effects.", "safety"),
        ("Heavy drinking is linked to liver disease.", "association"),
        ("Night-shift work is associated with a higher rate of type 2 diabetes.", "association"),
        ("Migraine affects about 15% of adults worldwide.", "statistic"),
        ("No exosome product is FDA-approved for knee arthritis.", "regulatory"),
    ],
)
def test_claim_kinds(sentence: str, kind: str) -> None:
    claim = analyze(sentence)
    assert claim.is_claim
    assert claim.kind == kind


@pytest.mark.parametrize(
    "sentence",
    [
        "Exosomes are extracellular vesicles secreted by cells.",
        "Mitochondria are a type of organelle found in most cells.",
        "The immune system fights infection with white blood cells.",
        "Can turmeric cure arthritis?",
        "Our clinic is open from nine to five on weekdays.",
        "They are released by almost all cells in the body.",
    ],
)
def test_not_claims(sentence: str) -> None:
    assert not analyze(sentence).is_claim


def test_topic_heading_is_not_a_claim_but_asserting_heading_is() -> None:
    assert not analyze("Exosome treatment for autism", heading=True).is_claim
    assert analyze("Exosomes cure autism", heading=True).is_claim


def test_reference_entry_outside_reference_section_is_not_a_claim() -> None:
    text = (
        "# Reading\n\n"
        "- Lee K, et al. (2021). Vitamin D reduces fractures in older adults. "
        "J Bone Res 12(3):45-50. doi:10.1000/xyz\n"
    )
    analysis = Analysis(parse_document(source_from_text("<t>", text)))
    assert analysis.claims == {}
    # The same sentence as prose is a claim: the skip is about the entry's shape.
    assert analyze("Vitamin D reduces fractures in older adults.").is_claim


# ---------------------------------------------------------------- slots


@pytest.mark.parametrize(
    ("sentence", "subject", "condition"),
    [
        ("MSC-EVs may help children with ASD.", "extracellular vesicles", "autism"),
        ("Stem cell therapy repairs myelin in RRMS.", "stem cells", "multiple sclerosis"),
        (
            "Cooling therapy reduced disability after HIE.",
            "treatment",
            "hypoxic-ischemic encephalopathy",
        ),
        (
            "Probiotics lower the risk of NEC in preterm babies.",
            "supplement",
            "necrotizing enterocolitis",
        ),
    ],
)
def test_subject_and_condition(sentence: str, subject: str, condition: str) -> None:
    claim = analyze(sentence)
    assert claim.subject == subject
    assert claim.condition == condition


@pytest.mark.parametrize(
    ("sentence", "population"),
    [
        ("Fish oil lowered triglycerides in adults with obesity.", "humans"),
        ("Melatonin improved sleep in children with ADHD.", "children"),
        ("Donor milk reduces NEC in preterm infants.", "neonates"),
        ("In a mouse model, exosomes reduced brain inflammation.", "animals"),
        ("Murine studies show the peptide heals tendons.", "animals"),
        ("In vitro, the extract killed cancer cells.", "cells"),
        ("In cell culture, curcumin blocked viral replication.", "cells"),
    ],
)
def test_population(sentence: str, population: str) -> None:
    assert analyze(sentence).population == population


def test_evidence_words_are_reported_with_their_design() -> None:
    claim = analyze("A small pilot study found that yoga eased back pain.")
    assert [m.label for m in claim.evidence] == ["pilot study"]
    trial = analyze("In a randomised trial, the drug reduced migraine days.")
    assert "randomised trial" in {m.label for m in trial.evidence}
    preclinical = analyze("Preclinical work suggests EVs protect the lungs.")
    assert {m.label for m in preclinical.preclinical_grounds} == {"preclinical"}


def test_hedges_carry_spans_and_include_preclinical_scope() -> None:
    sentence = "Exosomes may reduce inflammation in mice."
    claim = analyze(sentence)
    assert claim.hedged
    assert claim.strength == "conditional"
    kinds = {cue.kind for cue in claim.hedges}
    assert {"hedge", "scope"} <= kinds
    for cue in claim.hedges:
        assert sentence[cue.start : cue.end] == cue.text
    assert "mice" in [cue.text for cue in claim.hedges if cue.kind == "scope"]


def test_negation_is_kept_and_blocks_overstatement() -> None:
    negated = analyze("Exosome therapy does not cure autism.")
    assert negated.is_claim and negated.negated
    plain = analyze("Exosome therapy cures autism.")
    assert not plain.negated and plain.absolute and plain.strength == "causal"


def test_strength_comes_from_the_grader_even_for_non_claims() -> None:
    sentence = "Higher HbA1c variability improves prediction of albuminuria."
    claim = analyze(sentence)
    assert claim.strength == grade_strength(sentence).strength
    assert claim.hedged == grade_strength(sentence).hedged


# ---------------------------------------------------------------- rules


def _findings(text: str, rule: str) -> list[int]:
    return sorted(f.position.line for f in lint_text(text).findings if f.rule == rule)


def test_rule_examples() -> None:
    rules = load_ruleset().by_id()
    for rule_id in CLAIM_RULES:
        rule = rules[rule_id]
        assert rule.fail_examples and rule.pass_examples, rule_id
        assert rule.doc.references, rule_id
        for example in rule.fail_examples:
            lines = _findings(example.text, rule_id)
            assert lines, (rule_id, example.text)
            if example.expect_lines:
                assert sorted(set(lines)) == sorted(set(example.expect_lines)), example.text
        for example in rule.pass_examples:
            assert _findings(example.text, rule_id) == [], (rule_id, example.text)


@pytest.mark.parametrize(
    "text",
    [
        "Ozone therapy reverses diabetes.",
        "This serum is guaranteed to regrow hair.",
        "Research shows that chelation eliminates heart disease.",
    ],
)
def test_overstated_strength_flags(text: str) -> None:
    assert _findings(text, "EV104") == [1]


@pytest.mark.parametrize(
    "text",
    [
        "Ozone therapy might slow diabetes progression, but trials are small.",
        "Chelation does not reverse heart disease.",
        "In one case series, three patients' ulcers healed within a month.",
    ],
)
def test_overstated_strength_passes(text: str) -> None:
    assert _findings(text, "EV104") == []


def test_overstated_message_names_wording_and_suggests_hedge() -> None:
    [finding] = [
        f for f in lint_text("Ozone therapy reverses diabetes.").findings if f.rule == "EV104"
    ]
    assert "'reverses'" in finding.message
    assert "may slow" in finding.message
    assert finding.category == "overstated-strength"


def test_preclinical_from_previous_sentence_in_same_paragraph_only() -> None:
    same = "In mice, the extract shrank tumours. Therefore it can treat breast cancer.\n"
    assert _findings(same, "EV105") == [1]
    split = "In mice, the extract shrank tumours.\n\nTherefore it can treat breast cancer.\n"
    assert _findings(split, "EV105") == []


def test_preclinical_with_stated_limitation_passes() -> None:
    text = (
        "In rats, the peptide healed tendons, so it may help tendonitis, "
        "but it has not been tested in people.\n"
    )
    assert _findings(text, "EV105") == []


def test_hype_skips_historical_breakthrough_but_not_marketing() -> None:
    assert _findings("Penicillin was a breakthrough in the 1940s.", "EV102") == []
    assert _findings("Try this breakthrough collagen powder today.", "EV102") == [1]
    quoted = 'Headlines called the small exosome study a "breakthrough" for babies.'
    assert _findings(quoted, "EV102") == []


# ---------------------------------------------------------------- seed


def test_seed_post_findings() -> None:
    result = lint_text(SEED.read_text(encoding="utf-8"), path=str(SEED))
    by_line: dict[int, set[str]] = {}
    for finding in result.findings:
        by_line.setdefault(finding.position.line, set()).add(finding.category)
    assert "preclinical-as-clinical" in by_line.get(24, set())
    assert by_line.get(26, set()) & {"preclinical-as-clinical", "overstated-strength"}
    assert "overstated-strength" in by_line.get(28, set())
    definition = "Exosomes are extracellular vesicles secreted by cells."
    assert not [f for f in result.findings if f.snippet == definition]


# ---------------------------------------------------------------- grade command


def test_grade_jsonl_keeps_order_and_count() -> None:
    base = [
        "Exosomes cure autism.",
        "Coffee intake was associated with lower mortality.",
        "",
        "Vitamin C may shorten colds in athletes.",
        'A line with "quotes", a tab\tand unicode: ß, μ, 10%.',
    ]
    lines = [f"{base[i % len(base)]} #{i}" if base[i % len(base)] else "" for i in range(1000)]
    proc = subprocess.run(
        [sys.executable, "-m", "evlint", "grade", "--format", "jsonl"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=120,
    )
    out = proc.stdout.splitlines()
    assert len(out) == len(lines)
    keys = {"text", "is_claim", "kind", "strength", "absolute", "hedged", "hedges"}
    keys |= {"subject", "condition", "population"}
    for line, raw in zip(lines, out, strict=True):
        record = json.loads(raw)
        assert set(record) == keys
        assert record["text"] == line
        assert record["strength"] in ("none", "correlational", "conditional", "causal")
        assert isinstance(record["hedged"], bool)
    first = json.loads(out[0])
    assert first["is_claim"] and first["kind"] == "efficacy" and first["strength"] == "causal"
    assert first["condition"] == "autism"


def test_grade_text_explains_with_cues() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "evlint", "grade", "Exosomes may reduce inflammation in mice."],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "strength:   conditional" in proc.stdout
    assert "hedge 'may'" in proc.stdout
    assert "population: animals" in proc.stdout


def test_pattern_file_errors_name_the_bad_regex(tmp_path: Path) -> None:
    from evlint.claims.patterns import load_pattern_file
    from evlint.lexicon_files import LexiconError

    bad = tmp_path / "cues.yaml"
    bad.write_text("patterns:\n  hedge:\n    - '\\bmay\\b'\n  broken:\n    - 'a(b'\n")
    with pytest.raises(LexiconError, match=r"patterns\.broken: bad regex 'a\(b'"):
        load_pattern_file(bad)
    clash = tmp_path / "clash.yaml"
    clash.write_text("patterns:\n  one:\n    - 'x'\n  two:\n    - '(?i)y'\n")
    with pytest.raises(LexiconError, match="cannot be combined"):
        load_pattern_file(clash)
    good = tmp_path / "good.yaml"
    good.write_text("patterns:\n  hedge:\n    - '\\bmay\\b'\n")
    assert [m.label for m in load_pattern_file(good).finditer("It MAY help.")] == ["hedge"]
