"""Claim-strength grader: causal-cue roles, fast lexicon matching, model features and file."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from evlint.claims.strength import (
    MODEL_PATH,
    StrengthModel,
    WeightTable,
    analyse,
    causal_role,
    compile_lexicon,
    grade_strength,
    load_lexicons,
    load_model,
    model_features,
)


def _role(sentence: str, cue: str) -> str:
    start = sentence.index(cue)
    return causal_role(sentence, start, start + len(cue))


@pytest.mark.parametrize(
    ("sentence", "cue", "role"),
    [
        ("Aspirin reduces pain.", "reduces", "predicate"),
        ("Aspirin reduced the risk of stroke.", "reduced", "predicate"),
        ("Strategies to reduce obesity are needed.", "reduce", "purpose"),
        ("Smokers had an increased risk of stroke.", "increased", "attributive"),
        ("Elevated triglycerides were common.", "Elevated", "attributive"),
        ("Gastrin levels were elevated in obese patients.", "elevated", "state"),
        ("Energy intake increased with age.", "increased", "state"),
        ("Pain was reduced by the new drug.", "reduced", "passive"),
        ("Vitamin D may reduce fracture risk.", "reduce", "modal"),
        ("Exercise might well improve mood.", "improve", "modal"),
        ("Reducing salt lowers blood pressure.", "Reducing", "gerund"),
    ],
)
def test_causal_roles(sentence: str, cue: str, role: str) -> None:
    assert _role(sentence, cue) == role


def test_roles_shape_the_rule_grade() -> None:
    lex = load_lexicons()
    # An attribute inside a correlational claim does not make it causal.
    assert analyse("Smokers had an increased risk of stroke.", lex).strength == "correlational"
    assert analyse("Elevated OxPL-apoB levels predicted stroke.", lex).strength == "correlational"
    # A purpose is no finding.
    assert analyse("Strategies to reduce obesity are needed.", lex).strength == "none"
    # A real predicate stays causal, and a hedged one conditional.
    assert analyse("Aspirin reduced the risk of stroke.", lex).strength == "causal"
    assert analyse("Exercise appears to improve mood.", lex).strength == "conditional"
    features = analyse("Smokers had an increased risk of stroke.", lex).features
    assert "c:role:attributive" in features


def test_news_verbs_are_causal_cues() -> None:
    for sentence, verb in [
        ("The pill cuts cholesterol.", "cuts"),
        ("The vaccine halves the risk of infection.", "halves"),
        ("Social media use may harm teenagers.", "harm"),
    ]:
        cues = {(c.kind, c.text) for c in grade_strength(sentence).cues}
        assert ("causal", verb) in cues, sentence
    # A bare noun is no verb: "harm" only counts after a modal.
    lex = load_lexicons()
    assert analyse("There was no harm.", lex).strength == "none"


def test_lower_cased_matching_keeps_offsets_when_lowering_changes_length() -> None:
    # "İ".lower() is two characters long: the grader falls back to case-insensitive regexes.
    sentence = "İstanbul clinics found that aspirin reduces pain."
    assert len(sentence.lower()) != len(sentence)
    grade = grade_strength(sentence)
    assert any(c.kind == "causal" and c.text == "reduces" for c in grade.cues)
    for cue in grade.cues:
        assert sentence[cue.start : cue.end] == cue.text


def test_lexicon_with_capitals_still_matches() -> None:
    lexicon = compile_lexicon("causal", {"verb": ["FDA-approved", "reduces"]})
    assert lexicon.lower_pattern is None
    assert [m[1:] for m in lexicon.finditer("An fda-approved drug")] == [(3, 15)]
    plain = compile_lexicon("causal", {"verb": ["reduces"]})
    text = "It Reduces pain"
    assert list(plain.finditer(text, text.lower())) == [("verb", 3, 10)]


def test_character_ngrams_skip_study_words_and_point_at_their_word() -> None:
    sentence = "In a large study, coffee was associated with longevity."
    feats = model_features(sentence, analyse(sentence, load_lexicons()))
    assert feats["g:ssoc"] == (sentence.index("associated"), sentence.index(" with"))
    assert not any(f.startswith("g:") and "stud" in f for f in feats)
    assert "w:study" in feats


@pytest.mark.parametrize(
    ("sentence", "strength"),
    [
        ("A new study of 5,000 patients shows that the pill cuts cholesterol.", "causal"),
        ("In a large cohort study, daily walking lowered blood pressure.", "causal"),
        ("A large study suggests that nuts may lower the risk of heart disease.", "conditional"),
        ("In a large study, obesity was associated with a higher risk of cancer.", "correlational"),
        ("Women who drank more tea had a lower risk of stroke.", "correlational"),
        ("Larger studies are needed to test whether the diet prevents diabetes.", "none"),
        ("The study enrolled 2,000 adults aged 50 to 70.", "none"),
    ],
)
def test_news_style_sentences(sentence: str, strength: str) -> None:
    assert grade_strength(sentence).strength == strength


def test_model_cues_are_whole_words() -> None:
    sentence = "Patients who walked daily had fewer falls."
    for cue in grade_strength(sentence).cues:
        if cue.kind == "model":
            before = sentence[cue.start - 1] if cue.start else " "
            after = sentence[cue.end] if cue.end < len(sentence) else " "
            assert not before.isalnum() and not after.isalnum(), cue


def test_model_file_is_small_and_checked(tmp_path: Path) -> None:
    assert MODEL_PATH.stat().st_size <= 3_000_000
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"format": 4, "features": [], "rows": []}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"old\.json: model format 4, expected 6"):
        load_model(old)
    pretty = tmp_path / "pretty.txt"
    pretty.write_text('{\n  "format": 6\n}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="first line is not a JSON header"):
        load_model(pretty)
    header, body = MODEL_PATH.read_bytes().split(b"\n", 1)
    short = tmp_path / "short.txt"
    short.write_bytes(header + b"\na\t1 2 3 4 5\n")
    with pytest.raises(ValueError, match="4096 buckets and their offsets do not fit"):
        load_model(short)
    shifted = tmp_path / "shifted.txt"  # offsets that do not point at line starts
    shifted.write_bytes(header + b"\n" + body[1:] + b"x")
    model = load_model(shifted)
    assert model is not None
    with pytest.raises(ValueError, match="bucket 0 does not end its line"):
        model.weights._bucket(0)
    assert load_model(tmp_path / "missing.txt") is None


def _shipped_rows() -> dict[str, str]:
    header, *buckets = MODEL_PATH.read_bytes().decode("utf-8").split("\n")
    assert json.loads(header)["buckets"] == len(buckets) - 1 and buckets[-1] == ""
    rows: dict[str, str] = {}
    for line in buckets[:-1]:
        names, weights = line.split("\t")
        if names:
            rows.update(zip(names.split("|"), weights.split("|"), strict=True))
    return rows


def test_every_shipped_feature_is_found_in_its_bucket() -> None:
    model = load_model()
    assert model is not None
    rows = _shipped_rows()
    assert len(rows) > 10_000
    assert all(model.weights.get(feature) == row for feature, row in rows.items())
    assert all(len(row.split()) == len(model.labels) + 1 for row in rows.values())
    assert model.weights.get("w:no-such-feature-anywhere") is None


def test_model_decodes_only_the_buckets_it_looks_in() -> None:
    model = load_model()
    assert model is not None
    model.weights.get("w:aspirin")
    opened = [bucket for bucket in model.weights._open if bucket is not None]
    assert len(opened) == 1


@pytest.mark.parametrize("count", [0, 3, 6])
def test_weight_table_needs_a_power_of_two_buckets(count: int) -> None:
    with pytest.raises(ValueError, match="power of 2"):
        WeightTable([b"a\t1"] * count)


def test_trainer_layout_round_trips_through_the_loader() -> None:
    """What benchmarks/train_strength.py writes is what the grader reads back."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "train_strength.py"
    spec = importlib.util.spec_from_file_location("train_strength_layout", path)
    assert spec is not None and spec.loader is not None
    trainer = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = trainer  # its dataclasses look their module up
    try:
        spec.loader.exec_module(trainer)
    finally:
        del sys.modules[spec.name]
    strength = {
        "labels": ["none", "correlational", "conditional", "causal"],
        "bias": [1, 2, 3, 4],
        "scale": 1000,
        "weights": {"w:aspirin": [5, -1, 0, 7], "b:may help": [0, 3, 9, -2], "c:μg ": [1, 1, 1, 1]},
    }
    hedge = {"bias": [-5], "threshold": 0.0, "weights": {"b:may help": [40], "w:suggest": [12]}}
    model = StrengthModel.from_file_data(trainer.model_file(strength, hedge))
    assert model.weights.get("w:aspirin") == "5 -1 0 7 0"
    assert model.weights.get("b:may help") == "0 3 9 -2 40"
    assert model.weights.get("w:suggest") == "0 0 0 0 12"
    assert model.weights.get("c:μg ") == "1 1 1 1 0"
    assert model.weights.get("w:absent") is None
    assert model.bias == (1, 2, 3, 4, -5)
