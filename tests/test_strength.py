"""Claim-strength and hedge grader: clear-cut sentences, cue spans, lexicons, benchmark."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from evlint.claims.strength import (
    CUE_KINDS,
    LEXICON_FILES,
    Cue,
    Grader,
    StrengthGrade,
    grade_strength,
    load_lexicons,
    load_model,
)

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"


def _kinds(grade: StrengthGrade) -> set[str]:
    return {c.kind for c in grade.cues}


def test_correlational() -> None:
    g = grade_strength("Coffee consumption is associated with lower mortality.")
    assert g.strength == "correlational"
    assert not g.negated and not g.absolute
    assert "correlational" in _kinds(g)


def test_conditional_is_hedged() -> None:
    g = grade_strength("Vitamin D may reduce fracture risk.")
    assert g.strength == "conditional"
    assert g.hedged
    assert {"hedge", "causal", "conditional"} <= _kinds(g)


def test_causal_absolute() -> None:
    g = grade_strength("Exosomes cure autism.")
    assert g.strength == "causal"
    assert g.absolute
    assert not g.hedged


def test_negated() -> None:
    g = grade_strength("Aspirin does not prevent dementia.")
    assert g.negated
    assert Cue("negation", "not", 13, 16) in g.cues
    assert grade_strength("There was no significant association between tea and gout.").negated
    assert not grade_strength("Statins not only lower cholesterol but also reduce stroke.").negated


def test_none() -> None:
    g = grade_strength("Exosomes are extracellular vesicles secreted by cells.")
    assert g.strength == "none"
    assert not (g.hedged or g.absolute or g.negated)


def test_more_clear_cut_sentences() -> None:
    assert grade_strength("Daily walking lowers blood pressure in older adults.").strength == (
        "causal"
    )
    assert grade_strength("Green tea might improve memory in older adults.").strength == (
        "conditional"
    )
    assert grade_strength("Sleep duration was linked to obesity in teenagers.").strength == (
        "correlational"
    )
    assert grade_strength("This supplement is clinically proven to work.").absolute
    assert grade_strength("These results suggest that the drug could slow decline.").hedged


@pytest.mark.parametrize(
    "sentence",
    [
        "Vitamin D may reduce fracture risk.",
        "Exosomes cure autism in 100% of children, guaranteed.",
        "Coffee intake was not associated with a higher risk of stroke than tea.",
        "Our data suggest that\u00a0fasting possibly protects neurons, although it is unclear.",
    ],
)
def test_cue_spans_cut_out_their_text(sentence: str) -> None:
    g = grade_strength(sentence)
    assert g.cues
    for cue in g.cues:
        assert cue.kind in CUE_KINDS
        assert 0 <= cue.start < cue.end <= len(sentence)
        assert sentence[cue.start : cue.end] == cue.text


def test_cue_texts() -> None:
    g = grade_strength("Exosomes cure autism in 100% of children.")
    texts = {(c.kind, c.text) for c in g.cues}
    assert ("absolute", "cure") in texts
    assert ("absolute", "100%") in texts
    assert ("causal", "cure") in texts


def test_lexicons_load() -> None:
    lex = load_lexicons()
    assert len(LEXICON_FILES) >= 5
    for lexicon in (lex.hedge, lex.causal, lex.correlational, lex.absolute, lex.negation):
        assert lexicon.kind in CUE_KINDS
        assert lexicon.group_names
    assert lex.hedge.pattern.search("It may help.")
    assert not lex.hedge.pattern.search("Mayonnaise is tasty.")  # whole words only


def test_model_present_and_explains() -> None:
    model = load_model()
    assert model is not None
    assert set(model.labels) == {"none", "correlational", "conditional", "causal"}
    g = grade_strength("Patients who walked daily had fewer falls.")
    # Whatever the grade, a non-"none" grade comes with at least one cue.
    assert g.strength == "none" or g.cues


def test_rules_only_grader() -> None:
    g = Grader(load_lexicons(), None).grade("Vitamin D may reduce fracture risk.")
    assert g.strength == "conditional" and g.hedged


@pytest.mark.skipif(not DATA.is_dir(), reason="shared benchmark data not present")
def test_benchmark_sample_runs() -> None:
    path = REPO / "benchmarks" / "strength.py"
    sys.path.insert(0, str(path.parent))
    try:
        spec = importlib.util.spec_from_file_location("strength_benchmark", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        results = module.run(DATA, cv=False, limit=400)
    finally:
        sys.path.remove(str(path.parent))
    # Floors well under the full-data numbers: this guards against a broken grader.
    assert results["rules_macro_f1"] > 0.6
    assert results["rules_hedge_f1"] > 0.75
