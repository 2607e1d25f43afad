"""Citations: every form found with its position, resolved to its entry, integrity rules."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from evlint.analysis import Analysis
from evlint.citations.find import expand_numbers
from evlint.citations.references import parse_entry_text
from evlint.commands.refs import refs
from evlint.document import parse_document
from evlint.engine import lint_text
from evlint.ruleset import load_ruleset
from evlint.source import source_from_text

ROOT = Path(__file__).parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "citations"
SEED = ROOT / "seeds" / "exosome-treatment-blog-post.md"
CITATION_RULES = ("EV101", "EV201", "EV202", "EV203", "EV204", "EV205", "EV206")


def index_of(text: str) -> tuple[Analysis, object]:
    analysis = Analysis(parse_document(source_from_text("t.md", text)))
    return analysis, analysis.citations


def found(text: str) -> list[tuple[int, int, str, str, str]]:
    """(line, column, style, status, entries) of every citation."""
    analysis, _ = index_of(text)
    source = analysis.document.source
    rows = []
    for item in analysis.citations.citations:
        line, column = source.line_column(item.citation.span.start)
        names = ",".join(e.name for e in item.entries)
        rows.append((line, column, item.citation.style, item.status, names))
    return rows


def findings(text: str, rules: tuple[str, ...] = CITATION_RULES) -> list[tuple[int, str]]:
    return [(f.line, f.rule) for f in lint_text(text, "t.md").findings if f.rule in rules]


def test_every_form_is_found_at_its_line_and_resolved() -> None:
    rows = found((FIXTURES / "every-form.md").read_text())
    assert rows == [
        (7, 50, "numbered", "resolved", "1."),
        (8, 36, "numbered", "resolved", "1.,3."),
        (8, 66, "numbered", "resolved", "2.,3.,4."),
        (9, 36, "numbered", "resolved", "1."),
        (9, 39, "numbered", "resolved", "3."),
        (10, 40, "superscript", "resolved", "2."),
        (11, 49, "superscript", "resolved", "3.,4."),
        (12, 38, "caret", "resolved", "2."),
        (13, 48, "footnote", "resolved", "[^vd]"),
        (14, 33, "author-year", "resolved", "1."),
        (15, 43, "author-year", "resolved", "2."),
        (15, 63, "author-year", "resolved", "3."),
        (16, 36, "identifier", "external", ""),
        (17, 40, "identifier", "external", ""),
        (18, 40, "identifier", "external", ""),
        (19, 36, "reference", "resolved", "[MELATONIN]"),
        (20, 48, "numbered", "dangling", ""),
        (21, 40, "link", "external", ""),
    ]


def test_every_form_fixture_gives_exactly_the_expected_findings() -> None:
    text = (FIXTURES / "every-form.md").read_text()
    assert findings(text, ("EV201", "EV202", "EV203", "EV204", "EV205", "EV206")) == [
        (20, "EV201"),  # [9] with no entry 9
        (21, "EV205"),  # only the clinic's own product page
        (22, "EV206"),  # "Studies show" with no citation
        (23, "EV204"),  # doi:10.12/bad
        (34, "EV202"),  # entry 5 never cited
        (35, "EV203"),  # entry 6 repeats entry 3's PMID
    ]
    uncited = {line for line, rule in findings(text) if rule == "EV101"}
    # Cited claims (lines 7-19) are not uncited; the dangling [9] claim (20) is.
    assert not uncited & set(range(7, 20))
    assert 20 in uncited
    assert 21 not in uncited  # reported by EV205 instead, with its reason


def test_self_link_message_says_why() -> None:
    text = (FIXTURES / "every-form.md").read_text()
    result = lint_text(text, "t.md")
    (message,) = [f.message for f in result.findings if f.rule == "EV205"]
    assert "this site's own page" in message
    assert "clinic.example.com/shop/serum" in message


def test_relative_link_is_self_and_external_blog_is_non_scholarly() -> None:
    text = (
        "Exosome therapy reverses arthritis ([learn more](/treatments/exosomes)).\n\n"
        "Collagen reverses arthritis ([blog](https://wellness-blog.example.net/collagen)).\n"
    )
    result = lint_text(text, "t.md")
    messages = {f.line: f.message for f in result.findings if f.rule == "EV205"}
    assert "own page" in messages[1]
    assert "non-scholarly page (wellness-blog.example.net)" in messages[3]
    assert not [f for f in result.findings if f.rule == "EV101"]


def test_seed_links_resolve_by_shared_key() -> None:
    analysis, _ = index_of(SEED.read_text())
    index = analysis.citations
    assert [(e.number, sorted(e.keys)) for e in index.entries] == [
        (1, ["doi:10.3390/ijerph17030944"]),
        (2, ["doi:10.3389/fnmol.2018.00434"]),
        (3, ["doi:10.3390/ijms221910794"]),
    ]
    by_line = {
        analysis.document.source.line_column(c.citation.span.start)[0]: c for c in index.citations
    }
    frontiers = by_line[28]
    assert frontiers.status == "resolved"
    assert [e.number for e in frontiers.entries] == [2]
    # The PMC links carry no DOI, so they share no key with entries 1 and 3: external
    # scholarly citations, not errors.
    for line, pmcid in ((26, "pmcid:PMC7037429"), (30, "pmcid:PMC8509246")):
        assert by_line[line].status == "external"
        assert by_line[line].source_class == "scholarly"
        assert pmcid in by_line[line].keys
    assert index.problems == ()
    assert index.entries[0].first_author == "alessio" and index.entries[0].year == "2020"


def test_seed_cited_claims_are_not_uncited() -> None:
    lines = {line for line, rule in findings(SEED.read_text()) if rule == "EV101"}
    assert not lines & {26, 28, 30}


def test_keys_per_sentence_for_evidence_linking() -> None:
    analysis, _ = index_of(SEED.read_text())
    sentence = next(s for s in analysis.prose_sentences if "myelin" in s.text)
    assert "doi:10.3389/fnmol.2018.00434" in analysis.citations.keys_for(sentence)


def test_closing_marker_covers_its_block_only() -> None:
    text = (
        "Turmeric reduces joint pain. Ginger reduces nausea. [1]\n\n"
        "Garlic lowers blood pressure.\n\n"
        "## References\n\n1. Doe J. Spices. J Food. 2020. doi:10.1000/xyz123\n"
    )
    analysis, _ = index_of(text)
    covered = {
        s.text.split()[0] for s in analysis.prose_sentences if analysis.citations.supported(s)
    }
    assert covered == {"Turmeric", "Ginger", "[1]"}
    assert [line for line, rule in findings(text) if rule == "EV101"] == [3]


def test_vague_appeal_is_not_a_citation() -> None:
    assert findings("Studies show that coffee protects the liver.\n", ("EV206",)) == [(1, "EV206")]
    cited = "Studies show coffee protects the liver ([review](https://doi.org/10.1000/xyz1)).\n"
    assert findings(cited, ("EV206",)) == []


def test_footnote_forms_and_unused_definitions() -> None:
    text = (
        "Zinc shortened colds[^1]. Iron helped[^missing].\n\n"
        "[^1]: Doe J. Zinc. BMJ. 2019. https://doi.org/10.1000/zinc1\n"
        "[^2]: https://doi.org/10.1000/never\n"
    )
    assert findings(text, ("EV201", "EV202")) == [(1, "EV201"), (4, "EV202")]


def test_link_reference_definition_footnote_form() -> None:
    # Inside a list item markdown-it reads "[^2]:" as a link reference definition.
    analysis, _ = index_of("Vitamin C helped[^2].\n\n[^2]: https://doi.org/10.1000/c2\n")
    (item,) = analysis.citations.citations
    assert item.status == "resolved"
    assert "doi:10.1000/c2" in item.keys


def test_numbered_definitions_resolve_and_unused_one_is_reported() -> None:
    text = (
        "Omega-3 helped [1].\n\n[1]: https://doi.org/10.1000/o1\n[2]: https://doi.org/10.1000/o2\n"
    )
    assert found(text) == [(1, 16, "reference", "resolved", "[1]")]
    assert findings(text, ("EV202",)) == [(4, "EV202")]


def test_bibliography_list_without_markers_reports_no_unused() -> None:
    text = "Some prose.\n\n## Further reading\n\n- Doe J. Spices. J Food. 2020. doi:10.1000/s1\n"
    assert findings(text, ("EV202",)) == []


def test_bold_paragraph_introduces_reference_list() -> None:
    text = "Magnesium helped [1].\n\n**Sources:**\n\n1. Doe J. Magnesium. BMJ. 2020. PMID: 1234\n"
    assert found(text) == [(1, 18, "numbered", "resolved", "1.")]


def test_lazy_numbering_follows_rendering() -> None:
    text = "A [2].\n\n## References\n\n1. Doe J. A. J. 2020.\n1. Roe K. B. J. 2021.\n"
    assert found(text) == [(1, 3, "numbered", "resolved", "2.")]


def test_unmatched_author_year_is_dangling_only_with_a_reference_list() -> None:
    listed = "Zinc helped (Green et al., 2015).\n\n## References\n\n1. Doe J. Z. BMJ. 2020.\n"
    assert findings(listed, ("EV201",)) == [(1, "EV201")]
    unlisted = "Zinc helped (Green et al., 2015).\n"
    assert findings(unlisted, ("EV201",)) == []
    assert found(unlisted)[0][3] == "unlisted"


def test_exponent_and_dates_are_not_citations() -> None:
    assert found("A dose of 10^6 cells, seen in March (2020) and m^2.\n") == []


def test_parse_entry_apa_and_vancouver() -> None:
    apa = parse_entry_text(
        "Alessio, N., Brigida, A. L., & Siniscalco, D. (2020). Stem Cell-Derived Exosomes. "
        "International journal of environmental research, 17(3), 944."
    )
    assert apa[1:] == (
        "2020",
        "Stem Cell-Derived Exosomes",
        "International journal of environmental research",
    )
    assert apa[0][0] == "Alessio, N"
    vancouver = parse_entry_text("Doe J, Roe K. Turmeric and pain. J Pain. 2020;3:1-5.")
    assert vancouver == (("Doe J", "Roe K"), "2020", "Turmeric and pain", "J Pain")


def test_expand_numbers_bounds_ranges() -> None:
    assert expand_numbers("1, 3") == (1, 3)
    assert expand_numbers("2–4") == (2, 3, 4)
    assert expand_numbers("1-9999") == ()


@pytest.mark.parametrize(
    "text",
    [
        "Unbalanced [1, [2 and (Smith et al., 2020 and ]] [[[ ))) <sup>3\n",
        "Markers in code: `[4]` `<sup>5</sup>` `[^x]`\n\n```\n[6] doi:10.1/x\n```\n",
        "A [link](https://en.wikipedia.org/wiki/Vitamin_(nutrient)) and "
        "<span>[7]</span> <sup><a href='#r1'>1</a></sup>.\n",
        "Intro [1].\n\n## References\n\n1. Doe J. A. J. 2020.\n\n## Later\n\nMore [2].\n",
        "(" * 5000 + "[" * 5000 + "]" * 3000 + ")" * 3000 + "\n",
    ],
)
def test_bad_input_never_crashes(text: str) -> None:
    result = lint_text(text, "t.md")
    assert result.errors == ()


def test_bad_input_results_are_sensible() -> None:
    # Markers inside code are not citations.
    assert found("Markers in code: `[4]` `<sup>5</sup>`\n\n```\n[6]\n```\n") == []
    # A URL with parentheses resolves to one link with its whole href.
    rows = found("Vitamin C helped ([wiki](https://en.wikipedia.org/wiki/Vitamin_(nutrient))).\n")
    assert rows == [(1, 19, "link", "external", "")]
    # A reference section in the middle: the section after it is prose again.
    middle = "Intro [1].\n\n## References\n\n1. Doe J. A. J. 2020.\n\n## Later\n\nMore [2].\n"
    assert findings(middle, ("EV201",)) == [(9, "EV201")]
    # Superscript with an anchor inside HTML.
    assert found("Shown here<sup><a href='#r1'>1</a></sup>.\n")[0][2] == "superscript"


def _long_list(count: int) -> str:
    entries = "\n".join(
        f"{n}. Author{n} A. Title {n}. J Test. 2020. doi:10.1000/test.{n}"
        for n in range(1, count + 1)
    )
    markers = " ".join(f"Claim [{n}]." for n in range(1, count + 1, 7))
    return f"# T\n\n{markers}\n\n## References\n\n{entries}\n"


def _citation_seconds(text: str) -> tuple[float, Analysis]:
    analysis = Analysis(parse_document(source_from_text("t.md", text)))
    start = time.perf_counter()
    analysis.citations  # noqa: B018 - the lazy property is what is timed
    return time.perf_counter() - start, analysis


def test_five_thousand_entries_lint_fast_and_linearly() -> None:
    small, _ = _citation_seconds(_long_list(1000))
    large, analysis = _citation_seconds(_long_list(5000))
    index = analysis.citations
    assert len(index.entries) == 5000
    assert sum(1 for p in index.problems if p.kind == "unused") == 5000 - len(range(1, 5001, 7))
    assert large < 1.0, large
    # Five times the entries must cost about five times as much, not twenty-five.
    assert large < 12 * max(small, 0.005), (small, large)


def test_citation_rules_prove_their_examples() -> None:
    ruleset = load_ruleset(())
    rules = [r for r in ruleset.rules if r.id in CITATION_RULES]
    assert {r.id for r in rules} == set(CITATION_RULES)
    for rule in rules:
        assert rule.fail_examples and rule.pass_examples, rule.id
        assert rule.doc.what and rule.doc.why and rule.doc.fix and rule.doc.references
        for example in rule.fail_examples:
            lines = [f.line for f in lint_text(example.text, "x.md").findings if f.rule == rule.id]
            assert lines, (rule.id, example.text)
            if example.expect_lines:
                assert sorted(set(lines)) == sorted(example.expect_lines), (rule.id, lines)
        for example in rule.pass_examples:
            hits = [f for f in lint_text(example.text, "x.md").findings if f.rule == rule.id]
            assert hits == [], (rule.id, example.text, [h.message for h in hits])


def test_refs_command_text_and_json() -> None:
    runner = CliRunner()
    result = runner.invoke(refs, [str(SEED)])
    assert result.exit_code == 0, result.output
    assert "cited at: 28:11" in result.output
    assert "not in the reference list (not an error)" in result.output
    assert "pmcid:PMC7037429" in result.output
    assert "no citation problems" in result.output
    fixture = runner.invoke(refs, [str(FIXTURES / "every-form.md"), "--format", "json"])
    assert fixture.exit_code == 1
    data = json.loads(fixture.output)
    assert [p["at"] for p in data["problems"]] == ["20:48", "23:33", "34:4", "35:4"]
    first = data["entries"][0]
    assert first["keys"] == ["doi:10.3390/ijerph17030944"]
    assert first["cited_by"][:2] == ["7:50", "8:36"]


def test_link_definitions_to_one_page_are_not_duplicate_references() -> None:
    text = (
        "Flu shots cut hospital stays ([flu][flu-vaccine]) and [symptoms][flu-symptoms]"
        " matter ([guide][flu-guide]).\n\n"
        "[flu-vaccine]: https://www.cdc.gov/flu/prevent/index.html#vaccine\n"
        "[flu-symptoms]: https://www.cdc.gov/flu/prevent/index.html#symptoms\n"
        "[flu-guide]: https://www.cdc.gov/flu/prevent/index.html\n"
    )
    assert findings(text, ("EV203",)) == []
    # The same paper under two names is still one source counted twice.
    text += (
        "\nTwo trials agree ([a][trial-a], [b][trial-b]).\n\n"
        "[trial-a]: https://doi.org/10.1000/xyz123\n"
        "[trial-b]: https://doi.org/10.1000/XYZ123\n"
    )
    assert findings(text, ("EV203",)) == [(10, "EV203")]


def test_a_superscript_after_a_digit_is_a_power_not_a_citation() -> None:
    text = "Buffers hold up to 2<sup>31</sup>-1 bytes; vitamin D helps bones.<sup>3</sup>\n"
    rows = found(text)
    assert [(style, status) for _, _, style, status, _ in rows] == [("superscript", "dangling")]
    assert rows[0][1] == text.rindex("<sup>3") + 1


@pytest.mark.parametrize(
    "text",
    [
        "Add anaconda[23]-5.3.1 and miniconda[23].4 builds.",  # versions
        "Fix ARGV\\[0] handling.",  # an index
        "Try msvs-version: [2016, 2019, 2022].",  # years
    ],
)
def test_bracketed_numbers_that_are_not_citations(text: str) -> None:
    assert found(text) == []


def test_bracketed_citations_next_to_those_shapes_still_count() -> None:
    rows = found("Zinc shortened colds [2], [1, 3] and [4]-[6] too.\n")
    assert [status for *_, status, _ in rows] == ["dangling"] * 4
