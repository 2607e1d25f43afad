"""Document-level checks EV401-EV406: seed expectations, unit cases, corpus floor."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from evlint.config import Config
from evlint.engine import lint_text
from evlint.model import Severity
from evlint.rulespec import DOCUMENT_CATEGORIES
from tests.conftest import REPO, SEED_POST, run_evlint

CHECKS = DOCUMENT_CATEGORIES
# Measured 1.00 on the development corpus, which the checks were built against; the
# floor leaves room for honest generalisation loss but catches real regressions.
MACRO_F1_FLOOR = 0.90


def categories(text: str, path: str = "page.md", config: Config | None = None) -> set[str]:
    result = lint_text(text, path, config or Config(select=CHECKS))
    assert not result.errors, result.errors
    return {finding.category for finding in result.findings}


# --- the seed post ----------------------------------------------------------------------


@pytest.mark.slow
def test_seed_post_findings_through_the_cli() -> None:
    done = run_evlint("check", "--format", "json", str(SEED_POST))
    found = {f["category"] for f in json.loads(done.stdout)["findings"]}
    for expected in ("no-author", "no-risk-discussion", "no-uncertainty-discussion"):
        assert expected in found
    assert "no-regulatory-status" in found
    assert "no-date" not in found  # date: in front matter
    assert "no-sources" not in found  # it has a reference list


def test_seed_findings_point_at_the_front_matter() -> None:
    result = lint_text(SEED_POST.read_text(encoding="utf-8"), str(SEED_POST), Config(select=CHECKS))
    assert result.findings
    assert {finding.line for finding in result.findings} == {1}


# --- no-date ----------------------------------------------------------------------------

UNDATED = "# Elderberry\n\nElderberry shortens the flu.\n"


@pytest.mark.parametrize(
    ("text", "path"),
    [
        (
            "+++\ntitle = 'x'\nlastmod = 2024-03-18T10:00:00Z\n+++\n\n"
            "Elderberry shortens the flu.\n",
            "p.md",
        ),
        ("# Botox\n\nLast reviewed: 2023\u201105\u201101\n\nBotox reduces headaches.\n", "p.md"),
        ('<p class="byline">Updated March 2024</p>\n\n# TRT\n\nTRT boosts energy.\n', "p.md"),
        ("*Posted on 5 June 2023 by Mei Lin*\n\nAcupuncture helps stress.\n", "p.md"),
        (UNDATED, "_posts/2023-04-12-elderberry.md"),
        (UNDATED, "blog/2023/04/elderberry.md"),
        ("---\nlast_update:\n  date: 2024-01-02\n---\n\nElderberry shortens the flu.\n", "p.md"),
    ],
)
def test_a_date_anywhere_counts(text: str, path: str) -> None:
    assert "no-date" not in categories(text, path)


@pytest.mark.parametrize(
    "text",
    [
        UNDATED,
        "# Dates\n\nSave the date for our diabetes fair. Check the use-by date. "
        "Approved in 2017.\n",
        "# Clinic\n\nOur drips relieve migraines.\n\n\u00a9 2024 TrimPath Health, Inc.\n",
        "---\ntitle: x\ndate: ''\n---\n\nElderberry shortens the flu.\n",
    ],
)
def test_no_page_date(text: str) -> None:
    assert "no-date" in categories(text)


# --- no-author --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "---\nauthors:\n  - name: Dr. Kwame Asante\n---\n\nText.\n",
        "*Written by Jess Tan \u00b7 Medically reviewed by Dr. Omar Haddad*\n\nText.\n",
        '<p class="reviewer">Reviewed by Tom Adeyemi, MPharm</p>\n\nText.\n',
        "Hi! I'm Bree \u2014 certified wellness coach and mum of two.\n\nText.\n",
        "**Published 12 February 2024** | Issued by Riverside County Department of Public "
        "Health\n\nText.\n",
        "# Page\n\nText.\n\n## About the author\n\nSam is a dietitian.\n",
    ],
)
def test_authorship_counts(text: str) -> None:
    assert "no-author" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "---\nauthor: admin\n---\n\nMeasles is a viral infection.\n",
        "# CBD\n\n*From the GreenLeaf Wellness team*\n\nCBD calms anxiety.\n",
        "# CBD\n\n*Written by the GreenLeaf Wellness team*\n\nCBD calms anxiety.\n",
        '# Eat food\n\n> "Eat food." \u2014 author Michael Pollan\n\n'
        "The study's authors agree: fibre lowers heart disease risk.\n",
        "# Knees\n\nA trial published in JAMA by Smith and colleagues found less pain with "
        "exercise than with rest, which is what most physiotherapists now recommend to "
        "their patients who have knee osteoarthritis and want to stay active.\n",
    ],
)
def test_no_author(text: str) -> None:
    assert "no-author" in categories(text)


# --- no-sources -------------------------------------------------------------------------

CLAIM = "Handwashing cuts diarrhoeal illness by around a third.\n"


@pytest.mark.parametrize(
    "extra",
    [
        "See [NICE NG238](https://www.nice.org.uk/guidance/ng238).",
        "Source: doi:10.1056/NEJMoa1809944",
        "Cold water cut sick days (Buijze et al., 2016).",
        "## References\n\n1. Manson JE, et al. Vitamin D supplements. N Engl J Med. "
        "2019;380:33-44.",
        "Text.[^1]\n\n[^1]: Ford AC, et al. Probiotics in IBS. Aliment Pharmacol Ther. 2018.",
    ],
)
def test_one_identifiable_source_is_enough(extra: str) -> None:
    assert "no-sources" not in categories(f"# Page\n\n{CLAIM}\n{extra}\n")


@pytest.mark.parametrize(
    "extra",
    [
        "[Download posters](/resources/posters) \u00b7 [Shop](https://shop.example.com/x?ref=me)",
        "New research from scientists in Spain shows this. Studies show it works.",
        "## References\n\nReferences available on request.",
        "[Check price on Amazon](https://www.amazon.com/dp/B0000) \u00b7 "
        "[Follow us](https://instagram.com/clinic)",
    ],
)
def test_internal_commercial_and_vague_sources_do_not_count(extra: str) -> None:
    assert "no-sources" in categories(f"# Page\n\n{CLAIM}\n{extra}\n")


def test_page_without_health_claims_needs_no_sources() -> None:
    text = "# Date balls\n\nEach ball has roughly 95 calories, 2 g protein and 2 g fibre.\n"
    assert "no-sources" not in categories(text)


# --- no-risk-discussion -----------------------------------------------------------------

PEPTIDE_OFFER = (
    "# Peptide therapy\n\nBPC-157 heals tendons and gut lining, and CJC-1295 boosts "
    "growth hormone to improve sleep.\n\n**Consultation: $195** \u00b7 [Book now](/book)\n"
)


@pytest.mark.parametrize(
    "phrase",
    [
        "Book your risk-free consultation today.",
        "Peptides are completely safe with no side effects and no downtime.",
        "Peptides lower your risk of heart disease and are gentle and painless.",
    ],
)
def test_pseudo_risk_wording_does_not_count(phrase: str) -> None:
    assert "no-risk-discussion" in categories(PEPTIDE_OFFER + "\n" + phrase + "\n")


@pytest.mark.parametrize(
    "phrase",
    [
        "Minor bruising at the injection site can occur.",
        "You may see some redness for 24 hours.",
        "Do not use peptides if you are pregnant.",
        "Possible side effects include flushing and nausea.",
        "There is a small risk of infection at the injection site.",
    ],
)
def test_one_real_risk_sentence_is_enough(phrase: str) -> None:
    assert "no-risk-discussion" not in categories(PEPTIDE_OFFER + "\n" + phrase + "\n")


def test_risk_check_skips_pages_that_describe_no_treatment() -> None:
    text = (
        "# A short history of vaccines\n\nIn 1796 Edward Jenner inoculated James Phipps "
        "with cowpox. Smallpox was declared eradicated in 1980.\n"
    )
    assert "no-risk-discussion" not in categories(text)


# --- no-uncertainty-discussion ----------------------------------------------------------

SUPPLEMENT = (
    "# Ashwagandha\n\nAshwagandha treats anxiety and cures insomnia. It lowers cortisol by 28%.\n"
)


@pytest.mark.parametrize(
    "phrase",
    [
        "Individual results may vary.",
        "This is not a guarantee of results.",
        "Ashwagandha may help you feel calmer.",
        "This product is not intended to diagnose, treat, cure or prevent any disease.",
    ],
)
def test_disclaimers_and_marketing_hedges_are_not_uncertainty(phrase: str) -> None:
    assert "no-uncertainty-discussion" in categories(SUPPLEMENT + "\n" + phrase + "\n")


@pytest.mark.parametrize(
    "phrase",
    [
        "More research is definitely needed.",
        "The evidence on ashwagandha for sleep is pretty mixed.",
        "How long the effect lasts is not yet known.",
        "It was a small open-label study with no placebo group.",
        "Most of the results come from studies in rats.",
        "Research is still ongoing.",
    ],
)
def test_one_caveat_is_enough(phrase: str) -> None:
    assert "no-uncertainty-discussion" not in categories(SUPPLEMENT + "\n" + phrase + "\n")


def test_uncertainty_check_skips_symptom_awareness() -> None:
    text = (
        "# Know the 4 Ts\n\nIf your child is very thirsty and tired, see your GP the same "
        "day. Around a quarter of children are diagnosed in diabetic ketoacidosis.\n"
    )
    assert "no-uncertainty-discussion" not in categories(text)


# --- no-regulatory-status ---------------------------------------------------------------

EXOSOME_OFFER = (
    "# Exosome therapy for knees\n\nExosomes repair cartilage and reduce knee pain. "
    "[Book your consultation](/book)\n"
)


@pytest.mark.parametrize(
    "phrase",
    [
        "No exosome product is approved by the FDA.",
        "These statements have not been evaluated by the Food and Drug Administration.",
        "This is an off-label use.",
        "We offer it only within a registered clinical trial.",
    ],
)
def test_any_status_statement_counts(phrase: str) -> None:
    assert "no-regulatory-status" not in categories(EXOSOME_OFFER + "\n" + phrase + "\n")


def test_material_product_without_status_fires_and_names_it() -> None:
    result = lint_text(EXOSOME_OFFER, "p.md", Config(select=("no-regulatory-status",)))
    assert [f.category for f in result.findings] == ["no-regulatory-status"]
    assert "exosome" in result.findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "# Statins\n\nStatins reduce heart attacks by about a fifth.\n",
        "# Collagen\n\nCollagen peptides modestly improved skin hydration in trials.\n",
        "# Recipe\n\n## Ingredients\n\n- turmeric\n\nTurmeric eases joint pain.\n",
    ],
)
def test_regulatory_check_skips_immaterial_products(text: str) -> None:
    assert "no-regulatory-status" not in categories(text)


# --- commercial intent raises severity --------------------------------------------------


def test_commercial_page_raises_severity_and_says_why() -> None:
    result = lint_text(PEPTIDE_OFFER, "p.md", Config(select=("no-risk-discussion",)))
    (finding,) = result.findings
    assert finding.severity is Severity.ERROR
    assert "sells or books" in finding.message


def test_non_commercial_page_keeps_the_default_level() -> None:
    text = "# Exosomes\n\nExosomes are useful in the treatment of neurological diseases.\n"
    result = lint_text(text, "p.md", Config(select=("no-regulatory-status",)))
    (finding,) = result.findings
    assert finding.severity is Severity.WARNING
    assert "sells" not in finding.message


def test_config_level_overrides_the_commercial_raise() -> None:
    config = Config(select=("no-risk-discussion",), levels={"no-risk-discussion": Severity.INFO})
    (finding,) = lint_text(PEPTIDE_OFFER, "p.md", config).findings
    assert finding.severity is Severity.INFO


# --- the labelled corpus ----------------------------------------------------------------


def _benchmark() -> object:
    path = REPO / "benchmarks" / "doclevel.py"
    spec = importlib.util.spec_from_file_location("doclevel_benchmark", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_corpus_macro_f1_stays_above_floor() -> None:
    bench = _benchmark()
    outcomes = bench.evaluate(REPO / "tests" / "fixtures" / "doclevel")  # type: ignore[attr-defined]
    assert len({o.page for o in outcomes}) == 44
    score = bench.macro_f1(outcomes)  # type: ignore[attr-defined]
    assert score >= MACRO_F1_FLOOR, bench.report(outcomes)  # type: ignore[attr-defined]


def test_corpus_precision_per_check() -> None:
    bench = _benchmark()
    outcomes = bench.evaluate(REPO / "tests" / "fixtures" / "doclevel")  # type: ignore[attr-defined]
    for score in bench.scores(outcomes):  # type: ignore[attr-defined]
        assert score.precision >= 0.85, score


def test_benchmark_handles_a_tiny_corpus(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.md").write_text(UNDATED, encoding="utf-8")
    (tmp_path / "labels.yaml").write_text(
        "checks: [no-date, no-author]\npages:\n  a.md: {no-date: true, no-author: false}\n",
        encoding="utf-8",
    )
    bench = _benchmark()
    by_check = {s.check: s for s in bench.scores(bench.evaluate(tmp_path))}  # type: ignore[attr-defined]
    assert (by_check["no-date"].tp, by_check["no-date"].fp) == (1, 0)
    assert by_check["no-author"].fp == 1  # the page names no author: a false positive


def test_currency_and_authorship_are_asked_of_health_pages_only() -> None:
    from evlint.config import Config
    from evlint.engine import lint_text

    config = Config(select=("no-date", "no-author"))
    readme = lint_text("# Project\n\nRun `make` to build the site.\n", "README.md", config)
    assert readme.findings == ()
    health = lint_text("# Measles\n\nMeasles is a viral infection.\n", "measles.md", config)
    assert sorted(f.name for f in health.findings) == ["no-author", "no-date"]


def test_document_facts_are_not_kept_after_a_file_is_linted() -> None:
    """The facts cache is keyed weakly by the analysis; a fact that held the analysis
    strongly would keep every document of a run in memory."""
    import gc

    from evlint.doclevel import facts
    from evlint.engine import lint_text

    page = "# Exosome therapy\n\nOur exosome infusions cure autism. Book now for $499.\n"
    result = lint_text(page, "post.md")
    assert any(f.rule == "EV402" for f in result.findings)  # the facts were computed
    gc.collect()
    assert len(facts._cache) == 0


def test_page_line_markup_removal_matches_the_markup_regex() -> None:
    """The page view strips markup with str.replace after one anchored match; on
    every line that must read as ``_MARKUP.sub`` followed by whitespace folding."""
    import random

    from evlint.doclevel import page

    rng = random.Random(13)
    pieces = [
        "*",
        "**",
        "_",
        "`",
        "~~",
        "|",
        " | ",
        ">",
        "> ",
        "-",
        "- ",
        "+ ",
        "1. ",
        "2) ",
        "12.",
        " ",
        "  ",
        "word",
        "Dose",
        "3",
        "\u00a0",
        "é",
        "[a](b)",
        "<b>",
        "#",
    ]
    for _ in range(3000):
        raw = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 9)))
        if not raw.strip():
            continue
        line = page._line(1, raw)
        if line.heading_level:
            continue  # heading text is cut out before the markup step
        text = page._LINK.sub(r"\1", raw)
        text = page._TAG.sub(" ", text)
        expected = " ".join(page._MARKUP.sub(" ", text).split())
        assert line.text == expected, repr(raw)
