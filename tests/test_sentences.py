from __future__ import annotations

import pytest

from evlint.document import parse_document
from evlint.source import source_from_text


def split(text: str) -> list[str]:
    return [s.text for s in parse_document(source_from_text("s.md", text)).sentences]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Lee treats patients. She is kind.", ["Dr. Lee treats patients.", "She is kind."]),
        ("Smith et al. found it. Next.", ["Smith et al. found it.", "Next."]),
        ("Take 2.5 mg daily. Stop after.", ["Take 2.5 mg daily.", "Stop after."]),
        ("Fruit, e.g. apples, helps. Yes.", ["Fruit, e.g. apples, helps.", "Yes."]),
        ("It cures disease.[1] Next one.", ["It cures disease.[1]", "Next one."]),
        ("It cures disease.[^2] Next.", ["It cures disease.[^2]", "Next."]),
        ("It cures.<sup>2,3</sup> Next.", ["It cures.<sup>2,3</sup>", "Next."]),
        ('He said "stop." Then left.', ['He said "stop."', "Then left."]),
        ("See J. Smith for this. Fine.", ["See J. Smith for this.", "Fine."]),
        ("Is it safe? Nobody knows!", ["Is it safe?", "Nobody knows!"]),
        ("Wrapped over\nlines here. Done.", ["Wrapped over\nlines here.", "Done."]),
        ("It works (vs. placebo) well. Ok.", ["It works (vs. placebo) well.", "Ok."]),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert split(text) == expected


def test_nbsp_and_soft_hyphen_do_not_split_words() -> None:
    sentences = split("Vitamin\u00a0D sup\u00adports bones. Second.")
    assert sentences == ["Vitamin\u00a0D sup\u00adports bones.", "Second."]
