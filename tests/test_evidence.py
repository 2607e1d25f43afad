"""Tests of the evidence library: keys, summary parsing, cards, bibliographies, library."""

from __future__ import annotations

from pathlib import Path

import pytest

from evlint.evidence.bibliography import latex_to_text, parse_bibtex, parse_csl_json
from evlint.evidence.cards import parse_cards
from evlint.evidence.classify import classify_sentence, statement_kind
from evlint.evidence.keys import (
    canonical_url,
    extract_dois,
    is_malformed_doi,
    is_malformed_pmcid,
    is_malformed_pmid,
    keys_for_identifier,
    keys_for_url,
    normalise_doi,
    normalise_key,
    normalise_pmcid,
    normalise_pmid,
)
from evlint.evidence.library import EvidenceLibrary, builtin_pack_dir, load_file, load_library
from evlint.evidence.model import EvidenceError, derive_level
from evlint.evidence.show import cmd_list, cmd_show, describe
from evlint.evidence.summary import parse_summary
from evlint.evidence.text import split_sentences

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "neonatal-ev-review-summary.md"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "evidence"

# --- keys -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10.1002/btm2.70093", "10.1002/btm2.70093"),
        ("10.1002/BTM2.70093", "10.1002/btm2.70093"),
        ("doi:10.1002/btm2.70093", "10.1002/btm2.70093"),
        ("DOI: 10.1002/btm2.70093.", "10.1002/btm2.70093"),
        ("https://doi.org/10.1002/btm2.70093", "10.1002/btm2.70093"),
        ("http://dx.doi.org/10.1002/btm2.70093", "10.1002/btm2.70093"),
        ("https://doi.org/10.1002%2Fbtm2.70093", "10.1002/btm2.70093"),
        ("10.1002/btm2.70093),", "10.1002/btm2.70093"),
        ("10.1016/S0140-6736(20)30183-5", "10.1016/s0140-6736(20)30183-5"),
        ("10.1002/abc", "10.1002/abc"),
        ("10.12/short-registrant", None),
        ("10.1002", None),
        ("doi:", None),
        ("not a doi", None),
        ("10.1002/has space", None),
    ],
)
def test_normalise_doi(raw: str, expected: str | None) -> None:
    assert normalise_doi(raw) == expected


@pytest.mark.parametrize(
    ("raw", "malformed"),
    [
        ("10.1002/btm2.70093", False),
        ("doi:10.1002", True),
        ("https://doi.org/10.12/x", True),
        ("10.abc/def", True),
        ("https://example.org/page", False),
        ("PMC123", False),
    ],
)
def test_is_malformed_doi(raw: str, malformed: bool) -> None:
    assert is_malformed_doi(raw) is malformed


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("31234567", "31234567"),
        ("PMID: 31234567", "31234567"),
        ("pmid:0012", "12"),
        (31234567, "31234567"),
        ("123456789", None),
        ("0", None),
        ("PMID: 12a", None),
    ],
)
def test_normalise_pmid(raw: str | int, expected: str | None) -> None:
    assert normalise_pmid(raw) == expected


def test_malformed_pmid_and_pmcid() -> None:
    assert is_malformed_pmid("PMID: 123456789")
    assert is_malformed_pmid("PMID: abc")
    assert not is_malformed_pmid("31234567")
    assert not is_malformed_pmid("hello")
    assert is_malformed_pmcid("PMC12x")
    assert not is_malformed_pmcid("PMC12821212")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("PMC12821212", "PMC12821212"), ("pmc12821212", "PMC12821212"), ("PMCID: PMC42", "PMC42")],
)
def test_normalise_pmcid(raw: str, expected: str) -> None:
    assert normalise_pmcid(raw) == expected
    assert normalise_pmcid("12821212") is None  # bare digits would be read as a PMID


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7037429/#:~:text=Therapeutic%20exosomes",
            {"pmcid:PMC7037429", "url:ncbi.nlm.nih.gov/pmc/articles/PMC7037429"},
        ),
        (
            "https://pmc.ncbi.nlm.nih.gov/articles/PMC12821212/",
            {"pmcid:PMC12821212", "url:pmc.ncbi.nlm.nih.gov/articles/PMC12821212"},
        ),
        (
            "https://www.frontiersin.org/articles/10.3389/fnmol.2018.00434/full",
            {
                "doi:10.3389/fnmol.2018.00434",
                "url:frontiersin.org/articles/10.3389/fnmol.2018.00434/full",
            },
        ),
        ("https://doi.org/10.3390/IJERPH17030944", {"doi:10.3390/ijerph17030944"}),
        (
            "https://pubmed.ncbi.nlm.nih.gov/31234567/?utm_source=x&fbclid=y",
            {"pmid:31234567", "url:pubmed.ncbi.nlm.nih.gov/31234567"},
        ),
        (
            "https://onlinelibrary.wiley.com/doi/full/10.1002/btm2.70093",
            {"doi:10.1002/btm2.70093", "url:onlinelibrary.wiley.com/doi/full/10.1002/btm2.70093"},
        ),
        ("mailto:someone@example.org", set()),
        ("not a url", set()),
    ],
)
def test_keys_for_url(url: str, expected: set[str]) -> None:
    assert keys_for_url(url) == expected


def test_canonical_url() -> None:
    assert canonical_url("HTTPS://WWW.Example.org:443/Path/?b=2&utm_medium=x&a=1#frag") == (
        "example.org/Path?a=1&b=2"
    )
    assert canonical_url("http://example.org/") == canonical_url("https://www.example.org")
    assert canonical_url("ftp://example.org/x") is None


def test_keys_for_identifier_and_normalise_key() -> None:
    doi = "doi:10.1002/btm2.70093"
    for form in (
        "10.1002/BTM2.70093",
        "doi:10.1002/btm2.70093",
        "https://doi.org/10.1002/btm2.70093",
    ):
        assert keys_for_identifier(form) == {doi}
    assert keys_for_identifier("PMC12821212") == {"pmcid:PMC12821212"}
    assert keys_for_identifier("pmid:123") == {"pmid:123"}
    assert keys_for_identifier("url:example.org/a/") == {"url:example.org/a"}
    assert (
        normalise_key("https://www.frontiersin.org/articles/10.3389/x.1/full") == "doi:10.3389/x.1"
    )
    assert normalise_key("gibberish") is None


def test_extract_dois() -> None:
    text = "See doi:10.1002/btm2.70093. Also (https://doi.org/10.3389/FNMOL.2018.00434)."
    assert [doi for _, doi in extract_dois(text)] == [
        "10.1002/btm2.70093",
        "10.3389/fnmol.2018.00434",
    ]


# --- text and classification --------------------------------------------------------------


def test_split_sentences_is_abbreviation_aware() -> None:
    text = "EVs (e.g. exosomes) help, cf. Fig. 2. Smith et al. found it. A. M. Atoom agrees!"
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences == [
        "EVs (e.g. exosomes) help, cf. Fig. 2.",
        "Smith et al. found it.",
        "A. M. Atoom agrees!",
    ]


def test_statement_kinds() -> None:
    assert statement_kind("Limited safety data exist on thrombotic risk.") == "limitation"
    assert statement_kind("Two infants had adverse events.") == "safety"
    assert statement_kind("EVs reduced the risk of NEC in mice.") == "finding"
    assert statement_kind("EVs preserve barrier integrity.") == "finding"
    clauses = classify_sentence("EVs show promise but face challenges in safety.")
    assert [c.kind for c in clauses] == ["finding", "limitation"]


def test_derive_level() -> None:
    assert derive_level("narrative review", ("preclinical", "early-phase trial")) == 5
    assert derive_level("narrative review", ()) == 0
    assert derive_level("meta-analysis", ("rct",)) == 7
    assert derive_level("systematic review", ("cohort",)) == 4
    assert derive_level("rct") == 6
    assert derive_level("unknown") == 0


# --- the seed summary -----------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def seed() -> object:
    result = parse_summary(SEED.read_text(encoding="utf-8"), str(SEED))
    assert result.errors == ()
    (evidence,) = result.evidence
    return evidence


def test_seed_metadata(seed: object) -> None:
    from evlint.evidence.model import Evidence

    assert isinstance(seed, Evidence)
    assert seed.title.startswith("Therapeutic potential and translational challenges")
    assert {"doi:10.1002/btm2.70093", "pmcid:PMC12821212"} <= seed.keys
    assert seed.year == 2025
    assert seed.authors[0] == "Ali M. Atoom" and len(seed.authors) == 9
    assert seed.journal == "Bioengineering & Translational Medicine"
    assert seed.line == 1


def test_seed_design_level_and_basis(seed: object) -> None:
    from evlint.evidence.model import Evidence

    assert isinstance(seed, Evidence)
    assert seed.design == "narrative review"
    assert seed.evidence_basis == ("preclinical", "early-phase trial")
    assert seed.level == 5
    assert seed.has_human_evidence


def test_seed_scope(seed: object) -> None:
    from evlint.evidence.model import Evidence

    assert isinstance(seed, Evidence)
    for condition in ("NEC", "HIE", "BPD", "RDS", "sepsis", "necrotizing enterocolitis"):
        assert seed.covers_condition(condition), condition
    for other in ("autism", "Alzheimer's disease", "multiple sclerosis", "MS"):
        assert not seed.covers_condition(other), other
    for generic in (
        "diseases",
        "inflammation",
        "organ damage",
        "thrombotic",
        "long-term disability",
    ):
        assert generic not in seed.conditions
    assert seed.interventions[:2] == ("extracellular vesicles", "exosomes")
    assert seed.covers_intervention("exosome")
    assert not seed.covers_intervention("mesenchymal stem cells")
    assert {"neonates", "preterm infants"} <= set(seed.populations)


def test_seed_limitations_have_lines(seed: object, seed_lines: list[str]) -> None:
    from evlint.evidence.model import Evidence

    assert isinstance(seed, Evidence)
    thrombotic = [i for i in seed.limitations if "thrombotic" in i.topics]
    assert len(thrombotic) == 1
    item = thrombotic[0]
    assert "safety data" in item.topics and "procoagulant" in item.topics
    line = seed_lines[item.line - 1]
    assert "thrombotic risk" in line
    assert line[item.column - 1 :].startswith("Challenges include")
    gaps = [i for i in seed.limitations if i.section == "key findings"]
    assert [i.line for i in gaps] == [18]
    assert "hindered by" in seed_lines[17]


def test_seed_findings_carry_population_and_phase(seed: object, seed_lines: list[str]) -> None:
    from evlint.evidence.model import Evidence

    assert isinstance(seed, Evidence)
    by_line = {(i.line, i.text[:20]): i for i in seed.findings}
    models = by_line[(17, "EVs reduce inflammat")]
    assert models.population == "preclinical" and models.phase == "preclinical"
    trials = [i for i in seed.findings if i.phase == "early-phase trial"]
    assert {i.line for i in trials} == {19, 23}
    for item in seed.items:
        assert seed_lines[item.line - 1][item.column - 1 :].startswith(item.text[:15])


def test_summary_rejects_non_summaries() -> None:
    result = parse_summary("# Title only\n\nSome text.\n", "x.md")
    assert not result.evidence
    assert result.errors[0].line == 1 and "not a paper summary" in result.errors[0].message
    assert parse_summary("no heading", "y.md").errors[0].message.startswith("summary has no")


def test_summary_is_generic() -> None:
    text = "\n".join(
        [
            "# Platelet-rich plasma for knee osteoarthritis: a randomized controlled trial",
            "",
            "**Authors:** Jane Doe; John Roe",
            "",
            "PubMed · PMID: 31234567 · Some Journal · 2021",
            "",
            "## Key findings",
            "",
            "- PRP improved pain scores at 12 months in adults.",
            "- The sample size was small and follow-up short.",
        ]
    )
    (evidence,) = parse_summary(text, "prp.md").evidence
    assert evidence.design == "rct" and evidence.level == 6
    assert evidence.keys == {"pmid:31234567"}
    assert evidence.year == 2021 and evidence.authors == ("Jane Doe", "John Roe")
    assert evidence.covers_condition("osteoarthritis")
    assert evidence.covers_intervention("PRP")
    assert [i.line for i in evidence.findings] == [9]
    assert [i.line for i in evidence.limitations] == [10]


# --- cards ----------------------------------------------------------------------------


def test_cards_load_with_lines() -> None:
    path = FIXTURES / "good" / "cards.yaml"
    result = load_file(path)
    assert result.errors == ()
    mouse, trial = result.evidence
    assert mouse.keys == {"doi:10.1234/example.5678", "pmid:31234567"}
    assert mouse.design == "animal" and mouse.level == 2 and mouse.evidence_basis == ("animal",)
    assert mouse.line == 2 and mouse.covers_intervention("extracellular vesicles")
    assert [(i.line, i.population) for i in mouse.findings] == [(14, "animal"), (15, "animal")]
    assert mouse.limitations[0].line == 19 and mouse.limitations[0].topics[0] == "safety data"
    assert trial.keys == {"pmcid:PMC7654321", "pmid:7654321", "url:ncbi.nlm.nih.gov/pubmed/7654321"}
    assert trial.level == 5
    assert trial.safety[0].population == "preterm infants"
    assert trial.safety[0].topics == ("adverse events",)


@pytest.mark.parametrize(
    ("name", "line", "fragment"),
    [
        ("unknown-key.yaml", 3, "unknown key 'desing'"),
        ("missing-id.yaml", 1, "missing required key 'id'"),
        ("bad-doi.yaml", 5, "malformed doi '10.12/too-short-registrant'"),
        ("syntax.yaml", 3, "invalid YAML"),
    ],
)
def test_card_errors_name_file_and_line(name: str, line: int, fragment: str) -> None:
    path = FIXTURES / "bad" / name
    result = load_file(path)
    assert len(result.errors) == 1
    error = result.errors[0]
    assert isinstance(error, EvidenceError)
    assert error.path == str(path) and error.line == line
    assert fragment in error.message
    assert str(error).startswith(f"{path}:{line}: ")


def test_card_errors_keep_other_cards() -> None:
    result = load_file(FIXTURES / "bad" / "bad-doi.yaml")
    assert [e.id for e in result.evidence] == ["fine"]


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("id: x\nyear: soon\n", 2, "'year' must be an integer"),
        ("id: x\ndesign: anecdote\n", 2, "unknown design 'anecdote'"),
        ("id: x\nfindings: one\n", 2, "'findings' must be a list"),
        ("id: x\nfindings:\n  - {txt: a}\n", 3, "unknown key 'txt'"),
        ("id: x\nid: y\n", 2, "duplicate key 'id'"),
        ("id: 'bad id'\n", 1, "invalid id"),
        ("id: x\nscope: {conditions: [a], places: [b]}\n", 2, "unknown key 'places' in scope"),
        ("id: x\nregulatory:\n  - {text: t, status: maybe}\n", 3, "unknown status 'maybe'"),
        ("- 42\n", 1, "must be a mapping"),
        ("just text\n", 1, "a card (mapping) or a list of cards"),
    ],
)
def test_card_validation(text: str, line: int, fragment: str) -> None:
    result = parse_cards(text, "inline.yaml")
    assert result.evidence == ()
    assert result.errors[0].line == line, result.errors
    assert fragment in result.errors[0].message


def test_card_yaml_is_safe() -> None:
    result = parse_cards("id: x\ntitle: !!python/object/apply:os.system ['true']\n", "evil.yaml")
    assert result.evidence == () and result.errors


# --- bibliographies -------------------------------------------------------------------


def test_bibtex() -> None:
    result = load_file(FIXTURES / "good" / "refs.bib")
    assert result.errors == ()
    atoom, muller = result.evidence
    assert atoom.id == "atoom2025" and atoom.line == 4
    assert atoom.keys == {"doi:10.1002/btm2.70093"}
    assert atoom.authors == ("Ali M. Atoom", "Media Hamed-Ahmed")
    assert atoom.journal == "Bioengineering & Translational Medicine"
    assert atoom.year == 2025 and atoom.design == "unknown" and atoom.level == 0
    assert atoom.is_reference_only
    assert muller.title == "Exosomes in Demyelination" and muller.authors == ("Jörg Müller",)
    assert "doi:10.3389/fnmol.2018.00434" in muller.keys and muller.line == 12


def test_bibtex_errors_keep_other_entries() -> None:
    result = load_file(FIXTURES / "bad" / "broken.bib")
    assert [e.id for e in result.evidence] == ["good1"]
    assert result.errors[0].line == 2 and "unterminated" in result.errors[0].message
    bad = parse_bibtex("@article{x, doi = {10.1/x}}", "d.bib")
    assert bad.errors[0].message.startswith("malformed DOI")


def test_latex_to_text() -> None:
    assert latex_to_text(r"M{\"u}ller and Garc{\'\i}a, pp. 1--2") == "Müller and García, pp. 1–2"


def test_csl_json() -> None:
    result = load_file(FIXTURES / "good" / "refs.json")
    assert result.errors == ()
    osorio, pmc = result.evidence
    assert osorio.keys == {"doi:10.3389/fnmol.2018.00434"} and osorio.year == 2018
    assert osorio.authors == ("Iñaki Osorio-Querejeta", "EV Consortium") and osorio.line == 2
    assert "pmcid:PMC7037429" in pmc.keys and pmc.year == 2020 and pmc.line == 11
    bad = load_file(FIXTURES / "bad" / "noid.json")
    assert [e.id for e in bad.evidence] == ["a"]
    assert bad.errors[0].line == 2 and "no 'id'" in bad.errors[0].message
    assert parse_csl_json("[{", "x.json").errors[0].message.startswith("invalid JSON")


# --- library --------------------------------------------------------------------------


def test_library_lookup_by_any_key_form() -> None:
    library, errors = load_library([FIXTURES / "good"], include_builtin=False)
    assert errors == []
    assert len(library) == 6  # 2 cards, 2 BibTeX, 2 CSL; ignored.cfg skipped
    forms = ["https://doi.org/10.1234/EXAMPLE.5678", "doi:10.1234/example.5678", "PMID: 31234567"]
    for form in forms:
        found = library.lookup(form)
        assert found is not None and found.id == "mouse-ev-stroke", form
    frontiers = library.lookup("https://www.frontiersin.org/articles/10.3389/fnmol.2018.00434/full")
    assert frontiers is not None and frontiers.id in {"osorio2018", "muller2019"}
    pmc = library.lookup("https://pmc.ncbi.nlm.nih.gov/articles/PMC7037429/")
    assert pmc is not None and pmc.id == "pmc-only"
    assert library.get("trial-ev-bpd") is not None
    assert library.lookup("doi:10.9999/nothing") is None


def test_library_prefers_cards_and_user_evidence() -> None:
    card = "id: my-card\nkeys: [doi:10.1002/btm2.70093]\ndesign: narrative review\n"
    (mine,) = parse_cards(card, "mine.yaml").evidence
    library = EvidenceLibrary([mine], include_builtin=True)
    ranked = library.lookup_all("https://doi.org/10.1002/btm2.70093")
    assert [e.id for e in ranked] == ["my-card", "neonatal-ev-review"]
    assert library.user_items() == (mine,)


def test_library_collects_errors_and_loads_the_rest(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (5 * 1024 * 1024 + 1))
    latin = tmp_path / "latin.md"
    latin.write_bytes(b"# T\xe9st\n")
    other = tmp_path / "notes.docx"
    other.write_text("x")
    paths = [FIXTURES / "bad", FIXTURES / "good", big, latin, other, tmp_path / "missing"]
    library, errors = load_library(paths, include_builtin=False)
    messages = {Path(e.path).name: e.message for e in errors}
    assert "evidence files are limited" in messages["big.yaml"]
    assert "cannot read" in messages["latin.md"]
    assert "unsupported evidence file type" in messages["notes.docx"]
    assert "no such file" in messages["missing"]
    assert "not a paper summary" in messages["readme.md"]
    for name in ("unknown-key.yaml", "missing-id.yaml", "bad-doi.yaml", "syntax.yaml"):
        assert name in messages
    ids = {e.id for e in library.items()}
    assert {"fine", "good1", "a", "mouse-ev-stroke", "osorio2018"} <= ids


def test_duplicate_ids_are_errors(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("id: same\n")
    (tmp_path / "b.yaml").write_text("\nid: same\n")
    library, errors = load_library([tmp_path], include_builtin=False)
    assert len(library) == 1
    assert errors[0].line == 2 and "duplicate evidence id 'same'" in errors[0].message


def test_by_topic_and_regulatory() -> None:
    library, _ = load_library([FIXTURES / "good"])
    on_nec = [e.id for e in library.by_topic({"exosomes"}, {"NEC"})]
    assert on_nec == ["neonatal-ev-review"]
    assert library.by_topic({"exosomes"}, {"autism"}) == []
    on_evs = [e.id for e in library.by_topic({"EVs"})]
    assert on_evs[0] == "neonatal-ev-review"
    assert "fda-exosome-safety-notification-2019" in on_evs
    statuses = {item.status for _, item in library.regulatory_for("exosomes", "US")}
    assert "not-approved" in statuses and "approved" not in statuses
    stem = library.regulatory_for("cord blood", "US")
    assert [(e.id, i.status) for e, i in stem] == [
        ("fda-regenerative-medicine-consumer-alert-2020", "approved")
    ]
    assert stem[0][1].conditions == ("blood production disorders",)
    assert library.errors == ()


# --- built-in pack ----------------------------------------------------------------------


def test_pack_copy_is_identical_to_seed() -> None:
    pack = builtin_pack_dir() / "neonatal-ev-review.md"
    assert pack.read_bytes() == SEED.read_bytes()


def test_builtin_pack_loads_cleanly_and_lazily() -> None:
    library, errors = load_library([], include_builtin=True)
    assert errors == []
    assert library.user_items() == ()
    ids = {e.id for e in library.items()}
    assert ids == {
        "neonatal-ev-review",
        "fda-exosome-safety-notification-2019",
        "fda-regenerative-medicine-consumer-alert-2020",
        "ftc-health-products-compliance-guidance-2022",
    }
    assert library.errors == ()
    ftc = library.get("ftc-health-products-compliance-guidance-2022")
    assert ftc is not None and ftc.regulatory[0].status == "requirement"
    assert all(e.design == "regulatory" for e in library.items() if e.id.startswith(("fda", "ftc")))


# --- show ---------------------------------------------------------------------------------


def test_show_and_list() -> None:
    library, _ = load_library([FIXTURES / "good"])
    listing = cmd_list(library)
    assert "mouse-ev-stroke  [animal, level 2]  doi:10.1234/example.5678" in listing
    assert "(built-in)" in listing
    shown = cmd_show("PMC12821212", library)
    assert "design:       narrative review" in shown
    assert "level:        5 (early-phase trial)" in shown
    assert "basis:        preclinical, early-phase trial" in shown
    assert "neonatal-ev-review.md:23:731" in shown
    by_path = cmd_show(str(FIXTURES / "good" / "cards.yaml"), library)
    assert by_path.count("source:") == 2
    with pytest.raises(EvidenceError):
        cmd_show("doi:10.9999/none", library)
    with pytest.raises(EvidenceError):
        cmd_show(str(FIXTURES / "bad" / "syntax.yaml"), library)
    atoom = library.get("atoom2025")
    assert atoom is not None and "reference metadata only" in describe(atoom)
