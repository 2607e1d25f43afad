"""Literal prefilters must never hide a match: a gate that says "no" is a promise."""

from __future__ import annotations

import random
import re

import pytest

from evlint import prefilter
from evlint.claims.patterns import PatternSet, builtin_patterns
from evlint.doclevel import discussion, topics
from evlint.lexicon import WordGate, builtin_lexicon, compile_terms
from evlint.prefilter import gate_for, gated


def test_gate_reads_required_literals_of_an_alternation() -> None:
    gate = gate_for(re.compile(r"\b(?:stem[- ]cells?|exosomes?)\b", re.I))
    assert gate.literals is not None
    assert "exosome" in gate.literals and ("stem" in gate.literals or "cell" in gate.literals)
    assert gate.admits("our exosome clinic")
    assert not gate.admits("install the package with pip")


def test_gate_gives_up_when_an_alternative_requires_nothing() -> None:
    assert gate_for(re.compile(r"foo|\d+")).literals is None
    assert gate_for(re.compile(r"(?:bar)?\w+")).literals is None
    assert gate_for(re.compile(r"x")).literals is None  # too short to select anything


@pytest.fixture
def split_always(monkeypatch: pytest.MonkeyPatch) -> None:
    """Gated patterns split into alternatives from the first text, however short."""
    monkeypatch.setattr(prefilter, "_WORTH_SPLITTING", 0)


def test_short_texts_use_the_whole_pattern_until_a_long_one_comes() -> None:
    pattern = gated(r"\bbuy\s+now\b|\bfree\s+shipping\b", re.I)
    assert pattern.search("Buy now!") is not None
    assert pattern._branches is None and not pattern._split  # nothing split for a short post
    long_text = "install with pip. " * 2000
    assert pattern.search(long_text) is None
    assert pattern._split and pattern._branches is not None
    assert pattern.search("free shipping") is not None


@pytest.mark.usefixtures("split_always")
def test_gated_pattern_skips_the_regex_only_when_no_literal_is_present() -> None:
    pattern = gated(r"\breduces?\b.{0,20}?\brisk\b", re.I)
    assert pattern.search("It REDUCES the risk of falls") is not None
    assert pattern.search("nothing to see here") is None
    assert pattern.findall("reduce risk; reduces risk") == ["reduce risk", "reduces risk"]


_WORDS = (  # noqa: SIM905
    "limited evidence not yet known unclear results may vary no guarantee in mice "
    "small studies limitations we don't know still being studied "
    "stem cells exosome therapy reduces risk by 30% book now consultation price $99 "
    "low T TRT ozone NAD+ IV drip supplement study researchers published in journal "
    "side effects may not be safe FDA approved investigational the a of to install "
    "pip package function memory heart failure immune response back pain"
).split()


@pytest.mark.parametrize(
    "pattern",
    [
        topics.MATERIAL,
        topics.TREATMENT,
        topics.SUPPLEMENT_OR_DEVICE,
        topics._QUANTIFIED_EFFECT,
        topics._STRONG_DISEASE_CLAIM,
        topics._RESEARCH,
        topics._OFFER,
        *(p for _, _, p in topics._COMMERCIAL),
        *(v for v in vars(discussion).values() if isinstance(v, re.Pattern)),
    ],
)
def test_gate_never_rejects_a_text_the_pattern_matches(pattern: re.Pattern[str]) -> None:
    gate = gate_for(pattern)
    rng = random.Random(7)
    for _ in range(400):
        text = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 12)))
        if rng.random() < 0.5:
            text = text.upper() if rng.random() < 0.5 else text.title()
        if pattern.search(text):
            assert gate.admits(text.lower()), (pattern.pattern[:60], text)


def test_lexicon_gate_needs_every_word_of_some_phrase() -> None:
    lexicon = compile_terms("t", {"heart failure": ["cardiac failure"], "asthma": []})
    assert lexicon.gate.hits(["Heart failure is common."]) == [True]
    assert lexicon.gate.hits(["ASTHMA"]) == [True]
    assert lexicon.gate.hits(["A build failure."]) == [False]
    # the gate agrees with finding: no phrase found when it says impossible
    conditions = builtin_lexicon("conditions")
    for text in ("Memory function improved.", "Back pain and heart failure.", "pip install"):
        if not conditions.gate.hits([text])[0]:
            assert conditions.find_all(text) == []


def test_lexicon_matches_phrases_anchored_on_a_later_word() -> None:
    lexicon = compile_terms("t", {"in mice": ["in a mouse model"], "immune system": []})
    found = lexicon.find_all("Tested in a mouse model, the immune system responded.")
    assert [(m.label, m.text) for m in found] == [
        ("in mice", "in a mouse model"),
        ("immune system", "immune system"),
    ]
    assert lexicon.find_all("the mouse ran in the system") == []


@pytest.mark.usefixtures("split_always")
def test_alternation_runs_only_the_branches_a_text_can_match() -> None:
    pattern = gated(r"\b(?:use|with)\s+(?:code|coupon)\b|\bfree\s+shipping\b|\bbuy\s+now\b", re.I)
    text = "Install with pip.  Buy now and get free shipping."
    assert pattern.findall(text) == re.findall(pattern.pattern.pattern, text, re.I)
    assert pattern.findall("Use code SAVE10") == ["Use code"]
    assert pattern.findall("install with pip") == []


@pytest.mark.usefixtures("split_always")
def test_alternation_keeps_the_original_matches_on_real_patterns() -> None:
    rng = random.Random(11)
    patterns = [
        topics.MATERIAL,
        topics.TREATMENT,
        discussion._UNCERTAINTY,
        discussion._NOT_UNCERTAINTY,
        *(p for _, _, p in topics._COMMERCIAL),
    ]
    for original in patterns:
        fast = gated(original)
        for _ in range(200):
            text = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 15)))
            assert [m.span() for m in fast.finditer(text)] == [
                m.span() for m in original.finditer(text)
            ], (original.pattern[:50], text)


# ---- word gates: one regex pass per page instead of tokenising every sentence --------

_GATE_WORDS = (  # noqa: SIM905
    "heart failure memory test's test_case TEST Test-driven anti-inflammatory "
    "inflammation exosomes EXOSOME don't 30% (2020) İstanbul café pain, back; "
    "install pip the of — ’ x"
).split()


def test_word_gate_never_misses_a_text_holding_a_word() -> None:
    lexicon = builtin_lexicon("conditions")
    extra = compile_terms("t", {"test": [], "don't": [], "café": []})
    rng = random.Random(3)
    for gate_lexicon in (lexicon, extra):
        texts = [
            "".join(
                rng.choice(_GATE_WORDS) + rng.choice([" ", "", "\n", "-", "_", "'"])
                for _ in range(rng.randint(0, 8))
            )
            for _ in range(300)
        ]
        hits = gate_lexicon.gate.hits(texts)
        assert len(hits) == len(texts)
        for text, hit in zip(texts, hits, strict=True):
            if gate_lexicon.find_all(text):
                assert hit, text  # a "no" is a promise: no phrase can be there


@pytest.mark.parametrize("with_nul", [False, True])
def test_word_gate_reads_a_page_of_texts_as_it_reads_each_alone(with_nul: bool) -> None:
    # A page's texts are split in one pass with NUL between them; a text holding a NUL
    # itself must not shift the others.
    gate = WordGate({n: builtin_lexicon(n) for n in ("conditions", "body", "effects")})
    rng = random.Random(11)
    words = [*_GATE_WORDS, "heart", "brain", "improves", "Alzheimer's", "ÉPILEPSY"]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 6))) for _ in range(200)]
    if with_nul:
        texts[57] = "heart\0failure"
    one_by_one = [gate.groups([text])[0] for text in texts]
    assert gate.groups(texts) == one_by_one
    assert any(one_by_one) and not all(one_by_one)  # both answers occur


def test_word_gate_says_no_to_texts_without_the_words() -> None:
    gate = compile_terms("t", {"heart failure": [], "asthma": []}).gate
    assert gate.hits(["Build failure.", "Heart-failure", "heart and kidney failure"]) == [
        False,  # "failure" without "heart": no phrase has all its words here
        True,
        True,  # both words, not together: the gate may pass what the lexicon rejects
    ]
    assert gate.hits(["Build passed.", "ASTHMA attack", "", "asthmatic", "heart"]) == [
        False,
        True,
        False,
        False,
        False,
    ]
    assert gate.hits([]) == []


def test_analysis_naming_keeps_exactly_the_sentences_a_lexicon_matches() -> None:
    from evlint.analysis import Analysis
    from evlint.document import parse_document
    from evlint.source import source_from_text

    text = (
        "# Guide\n\nThis is a miracle cure. Install with pip.\n\n"
        "- A revolutionary breakthrough\n- nothing here\n\nThe test passed.\n"
    )
    analysis = Analysis(parse_document(source_from_text("t.md", text)))
    hype = builtin_lexicon("hype")
    named = {s.index for s in analysis.naming(hype)}
    for sentence in analysis.prose_sentences:
        if hype.find_all(sentence.scan):
            assert sentence.index in named
    assert len(named) < len(analysis.prose_sentences)


def _pattern_scan_by_word_starts(patterns: PatternSet, text: str) -> list[tuple[str, int, int]]:
    """The specification of PatternSet.finditer: try the alternation at every line
    start, word start, "(" and "%", left to right, without overlaps."""
    body = re.compile(
        "|".join(
            f"(?P<{g}>{'|'.join(f'(?:{r})' for r in patterns.sources[label])})"
            for g, label in patterns.labels.items()
        ),
        re.I | re.M,
    )
    found: list[tuple[str, int, int]] = []
    resume = 0
    for anchor in re.finditer(r"^|\b(?=\w)|[(%]", text, re.M):
        if anchor.start() < resume:
            continue
        match = body.match(text, anchor.start())
        if match is None or match.lastgroup is None:
            continue
        found.append((patterns.labels[match.lastgroup], *match.span()))
        resume = max(match.end(), match.start() + 1)
    return found


def test_pattern_set_scan_matches_its_word_start_specification() -> None:
    patterns = builtin_patterns("claim-patterns")
    rng = random.Random(5)
    words = [
        *_WORDS,
        "et",
        "al",
        "doi",
        "10.1000/x",
        "(2019)",
        "12(3):45",
        "therefore",
        "is",
        "a",
        "type",
        "of",
        "prevents",
        "making",
        "it",
        "useful",
        "%",
        "(",
        "\n",
    ]
    for _ in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 20)))
        expected = _pattern_scan_by_word_starts(patterns, text.lower())
        assert [(m.label, m.start, m.end) for m in patterns.finditer(text)] == expected, text


def test_gate_requires_every_literal_part_of_a_sequence() -> None:
    gate = gate_for(re.compile(r"\bcheck\s+price\b", re.I))
    assert gate.admits("check the price") and gate.admits("check price")
    assert not gate.admits("check the docs")  # "check" alone: the regex cannot match
    assert not gate.admits("the price list")


def test_leaders_are_the_strings_every_match_starts_with() -> None:
    assert prefilter.leaders_of(re.compile(r"\b(?:buy|order)\s+now\b", re.I)) == ("buy", "order")
    assert prefilter.leaders_of(re.compile(r"!?\[x\]", re.I)) == ("![x]", "[x]")
    assert prefilter.leaders_of(re.compile(r"[$£]\d")) is None  # "£" is not ASCII
    assert prefilter.leaders_of(re.compile(r"\d+ off")) is None
    assert prefilter.leaders_of(re.compile(r"(?:stem|exo)?cells?")) == (
        "cell",
        "cells",
        "exocell",
        "exocells",
        "stemcell",
        "stemcells",
    )
    assert prefilter.leaders_of(re.compile(r"(?:\w+ )?cells")) is None


@pytest.mark.usefixtures("split_always")
def test_matching_at_leaders_finds_what_the_regex_finds() -> None:
    rng = random.Random(17)
    words = [
        *_WORDS,
        *[
            "not",
            "FDA",
            "approved",
            "investigational",
            "side-effects",
            "nausea",
            "may",
            "cause",
            "avoid",
            "take",
        ],
        *["ſhop now", "BUY NOW", "ORDER online", "ıv drip", "K", "İ", "\n", "-"],
    ]
    patterns = [
        topics.MATERIAL,
        topics._QUANTIFIED_EFFECT,
        discussion._UNCERTAINTY,
        discussion._STATUS,
        discussion._RISK_NOUN,
        discussion._CAUTION,
        discussion._HARM_SYMPTOM,
        *(p for _, _, p in topics._COMMERCIAL),
    ]
    for original in patterns:
        fast = gated(original)
        for _ in range(150):
            text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 40)))
            expected = [m.span() for m in original.finditer(text)]
            assert [m.span() for m in fast.finditer(text)] == expected, (
                original.pattern[:40],
                text,
            )
            assert fast.findall(text) == original.findall(text)


def test_gate_on_a_long_page_answers_as_a_scan_of_the_page() -> None:
    # Past _WORDS_WORTH characters, word-like literals are looked up among the page's
    # distinct words: the answer must be the one a scan of the whole page gives.
    rng = random.Random(5)
    pieces = ["stem", "cells", "nad+", "bpc-157", "café", "x9", "ation", "optimization", "$", "é"]
    literals = ["stem", "cell", "ells", "nad+", "157", "bpc-157", "caf", "x9", "ation", "tion o"]
    for _ in range(60):
        lowered = " ".join(
            rng.choice([*pieces, "filler", "text,", "and"]) for _ in range(rng.randint(900, 1300))
        )
        assert len(lowered) >= prefilter._WORDS_WORTH
        chosen = tuple(rng.sample(literals, 2))
        also = (tuple(rng.sample(literals, 2)),)
        gate = prefilter.Gate(chosen, also)
        expected = any(lit in lowered for lit in chosen) and all(
            any(lit in lowered for lit in group) for group in also
        )
        assert gate.admits(lowered) == expected, (chosen, also)
        if not expected:
            continue
        # Removing every occurrence of the literals flips a scan's answer: so must the gate.
        stripped = lowered
        for lit in chosen:
            stripped = stripped.replace(lit, "#")
        assert len(stripped) >= prefilter._WORDS_WORTH or not gate.admits(stripped)
        assert not gate.admits(stripped + " " * prefilter._WORDS_WORTH)
