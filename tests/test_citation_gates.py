"""Cheap pre-checks of the citation index must never change a result."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest

from evlint.citations import find
from evlint.citations.classify import host_of
from evlint.citations.find import (
    _all_citations,
    _author_year,
    citations_in,
    identifiers_in,
)
from evlint.citations.model import Citation
from evlint.citations.references import (
    _APA,
    _VANCOUVER_END,
    _YEAR,
    _YEAR_IN_PARENS,
    parse_entry_text,
)
from evlint.citations.resolve import _CLOSING_REST
from evlint.claims.detector import looks_like_reference
from evlint.claims.patterns import builtin_patterns
from evlint.claims.reference_shape import REFERENCE_CUES
from evlint.document import parse_document
from evlint.evidence.keys import _split_url, keys_for_url, split_plain_url
from evlint.markdown import Block
from evlint.source import source_from_text

# Cue-shaped fragments (each reference_entry alternative), near misses and filler.
_FRAGMENTS = (  # noqa: SIM905
    "doi|doi:|DOI|10.1000/xyz|10.12|et al|et al.|Et Al|(2020)|(1999a)|(2021, march 3)|"
    "12(3):45|7 (2), e1|PMID|PMCID|pmc123|PMC|J Immunol|Int J Med|Proc Natl Acad Sci USA|"
    "Front Immunol|Lancet Oncol|BMJ Open|JAMA Netw|N Engl J Med|j.|(|)|(abc)|2020|12|"
    "v1.10.2|doing|pm|front-end|obj|install the package|see page|İstanbul|K|ſ|(١٢٣٤)|"
    "٣(٤):٥|etal|lancets|jamas|Smith|J|Front|Lancet|Int"
).split("|")


def _full_check(text: str) -> bool:
    """The reference-entry test with no pre-check: every cue pattern run."""
    cues = builtin_patterns("claim-patterns").only("reference_entry")
    return len({m.start for m in cues.finditer(text)}) >= REFERENCE_CUES


def test_reference_gate_agrees_with_the_full_cue_scan() -> None:
    rng = random.Random(11)
    admitted = 0
    for _ in range(4000):
        words = [rng.choice(_FRAGMENTS) for _ in range(rng.randint(1, 8))]
        text = rng.choice((" ", "", ", ", "\n")).join(words)
        if rng.random() < 0.3:
            text = text.upper() if rng.random() < 0.5 else text.title()
        expected = _full_check(text)
        admitted += expected
        assert looks_like_reference.__wrapped__(text) == expected, text
    assert admitted > 200  # the sample really exercises texts that are references


def test_reference_gate_keeps_known_entries() -> None:
    for text in (
        "Smith J, et al. Exosomes. Front Immunol. 2020;11:1. doi:10.3389/x",
        "JAMA benchmarks (Silberg et al. 1997): authorship, attribution.",
        "Front end and front matter",
        "Doe (2019) and Roe (2020)",
        "Nature 12(3):45, PMID 123",
        "Smith et al(2020)",
    ):
        assert looks_like_reference.__wrapped__(text), text
        assert _full_check(text), text
    assert not looks_like_reference.__wrapped__("Install the package with pip (v2).")


_URL_PIECES = (  # noqa: SIM905
    "http https HTTP : :// // / # ? & = . www. example.org EXAMPLE.ORG doi.org 10.1/x "
    "pmc123 pubmed.ncbi.nlm.nih.gov ../ ./ page.md \t \n \r < > [ ] @ :80 :99999 %3A - "
    "mailto: tel: \x00 \x1f ht tp s"
).split(" ")


def _random_href(rng: random.Random) -> str:
    return "".join(rng.choice(_URL_PIECES) for _ in range(rng.randint(1, 7)))


def test_a_link_with_no_colon_has_no_web_host() -> None:
    # _split_url and host_of return None for such a link without asking urlsplit.
    rng = random.Random(5)
    for _ in range(5000):
        href = _random_href(rng).replace(":", "")
        for text in (href, href.strip().strip("<>")):
            try:
                parts = urlsplit(text)
            except ValueError:
                continue
            assert parts.scheme not in ("http", "https"), text


def test_url_keys_and_hosts_agree_with_urlsplit() -> None:
    rng = random.Random(9)
    hrefs = [_random_href(rng) for _ in range(5000)]
    hrefs += ["#top", "../a.md", "www.example.org/x", "//example.org/a", "https://a.gov/"]
    hosts = 0
    for href in hrefs:
        assert _split_url(href) == _split_url_reference(href), href
        assert host_of(href) == _host_of_reference(href), href
        hosts += host_of(href) is not None
    assert hosts > 100  # the sample holds real web links, not only relative ones


def _split_url_reference(url: str) -> tuple[str, str, str] | None:
    """``_split_url`` as first written: urlsplit on every link."""
    text = url.strip().strip("<>")
    if re.match(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+/", text, re.IGNORECASE):
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".").removeprefix("www.")
    if port not in (None, 80, 443):
        host = f"{host}:{port}"
    return host, parts.path, parts.query


def _host_of_reference(href: str) -> str | None:
    text = href.strip()
    if text.startswith("//"):
        text = "https:" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    return parts.hostname.lower().rstrip(".").removeprefix("www.")


_MARKER_REST = (  # noqa: SIM905
    "Sources Source see See also ALSO refs Ref references via from cf cfx seealso "
    "_ - — . : ( ) [ ] ſources K 1 2020 the study found that"
).split()


def _only_markers_reference(rest: str) -> bool:
    """The closing-words test as first written: rewrite the text, then match it."""
    words = re.sub(r"[\W_]+", " ", rest).strip()
    closing = r"^(?:sources?|see(?: also)?|refs?|references?|via|from|cf)?$"
    return re.match(closing, words, re.I) is not None


def test_closing_words_match_agrees_with_the_rewrite() -> None:
    rng = random.Random(3)
    closing = 0
    for _ in range(5000):
        words = [rng.choice(_MARKER_REST) for _ in range(rng.randint(0, 4))]
        rest = rng.choice(("", " ", "_", ", ", ".\n")).join(words)
        expected = _only_markers_reference(rest)
        closing += expected
        assert (_CLOSING_REST.fullmatch(rest) is not None) == expected, rest
    assert closing > 300


_PROSE = (  # noqa: SIM905
    "Smith et al. Jones and Lee van der Berg ( ) (Smith 2020) (Doe, 1999a) Smith (2019) "
    "(see Roe, 2021; Poe 2018, p. 4) 2020 1999 19 20 (12) (Updated 2021) March text , ;"
).split()


def test_author_year_needs_a_year_digit_pair() -> None:
    # _all_citations skips _author_year unless the block holds "19" or "20".
    rng = random.Random(13)
    found = 0
    for _ in range(1500):
        text = " ".join(rng.choice(_PROSE) for _ in range(rng.randint(1, 10)))
        for block in parse_document(source_from_text("t.md", text + "\n")).blocks:
            ungated = [c.span for c in _author_year(block, _maker(block))]
            if ungated:
                found += 1
                assert "19" in block.scan or "20" in block.scan, text
            cited = [c.span for c in citations_in(block, text) if c.style == "author-year"]
            assert cited == ungated, text
    assert found > 100


def _maker(block: Block) -> Callable[[str, int, int], Citation]:
    def make(style: str, start: int, end: int) -> Citation:
        span = block.source_span(start, end)
        return Citation(style, block.text[start:end], block.index, start, end, span)

    return make


def test_superscripts_are_found_in_any_case() -> None:
    text = "Cells grow.<SUP>1</SUP> And shrink.<sup>[2]</sup>\n"
    block = parse_document(source_from_text("t.md", text)).blocks[0]
    styles = [c.style for c in citations_in(block, text)]
    assert styles == ["superscript", "superscript"]


def test_empty_queries_and_doi_free_paths_skip_parsing() -> None:
    # keys_for_url and canonical_url skip parse_qsl for an empty query, and the DOI
    # path regex for a decoded path with no "10.": neither could yield anything.
    assert parse_qsl("") == [] and parse_qsl("", keep_blank_values=True) == []
    rng = random.Random(17)
    for _ in range(3000):
        path = "".join(rng.choice(("/", "10", ".", "1000", "x", "%31", "0")) for _ in range(6))
        decoded = unquote(path)
        if re.search(r"(?:^|/)(10\.\d{4,9}/.+)$", decoded):
            assert "10." in decoded


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://example.org/search?doi=10.1000%2Fabc.1&x=",
            {"doi:10.1000/abc.1", "url:example.org/search?doi=10.1000%2Fabc.1&x="},
        ),
        (
            "https://example.org/a/%31%30.1000/xyz/pdf",
            {"doi:10.1000/xyz", "url:example.org/a/%31%30.1000/xyz/pdf"},
        ),
        (
            "https://europepmc.org/article/MED/31234567",
            {"pmid:31234567", "url:europepmc.org/article/MED/31234567"},
        ),
        (
            "https://europepmc.org/abstract/PMC/PMC123",
            {"pmcid:PMC123", "url:europepmc.org/abstract/PMC/PMC123"},
        ),
        (
            "https://www.ncbi.nlm.nih.gov/pubmed/31234567",
            {"pmid:31234567", "url:ncbi.nlm.nih.gov/pubmed/31234567"},
        ),
        (
            "https://www.nature.com/articles/s41586-020-2012-7",
            {"doi:10.1038/s41586-020-2012-7", "url:nature.com/articles/s41586-020-2012-7"},
        ),
        (
            "https://www.biorxiv.org/content/10.1101/2020.01.01.123456v2.full",
            {
                "doi:10.1101/2020.01.01.123456",
                "url:biorxiv.org/content/10.1101/2020.01.01.123456v2.full",
            },
        ),
        ("https://example.org/v10.2/docs?", {"url:example.org/v10.2/docs"}),
        ("https://example.org/x?utm_source=a", {"url:example.org/x"}),
        ("#top", set()),
        ("../guide/install.md", set()),
    ],
)
def test_url_keys_of_every_shape(url: str, expected: set[str]) -> None:
    assert keys_for_url(url) == expected


_MARKED = (  # noqa: SIM905
    "Cells grow|[1]|[2-4]|[^a]|[^note]|<sup>3</sup>|<SUP>[5]</SUP>|x^2|Smith^1|(Smith, 2020)|"
    "Jones (2019)|(Updated 2021)|(see Lee et al., 2018; Roe 2001)|[link](https://a.org/x)|"
    "[ref][r1]|<https://b.org>|doi:10.1000/xyz|PMID: 123|PMC77|https://c.org/p|text|"
    "(a)|`[9]`|`<sup>1</sup>`|1920|2020|\\[3\\]|![img](https://d.org/i.png)|[a](#top)|[1](#r1)"
).split("|")
_DEFINITIONS = "\n\n[r1]: https://e.org/r1\n[^a]: A note.\n[^note]: Another.\n"


def test_citation_fast_path_agrees_with_the_full_scan() -> None:
    # citations_in returns [] at once for a block with no link, footnote reference,
    # identifier, "[", "^", "(" or "<"; the full scan must find nothing there either.
    rng = random.Random(21)
    cited = 0
    for _ in range(1500):
        text = " ".join(rng.choice(_MARKED) for _ in range(rng.randint(1, 6)))
        document = parse_document(source_from_text("t.md", text + _DEFINITIONS))
        body = document.source.body
        for block in document.blocks:
            identifiers = identifiers_in(block)
            full = sorted(_all_citations(block, body, identifiers), key=lambda c: (c.start, c.end))
            assert citations_in(block, body, identifiers) == full, text
            assert citations_in(block, body) == full, text
            cited += bool(full)
    assert cited > 500


_IDENTIFIED = (  # noqa: SIM905
    "DOI: 10.1000/abc|doi 10.1/x|Doi:bad|10.12345/xyz.9|PMID: 123|pmid 0|PMCID: 77|PMC123|"
    "pmc|https://a.org/x|HTTP://B.ORG/y|doing|npm|v10.2|\u0130|text|(|)|;|`doi:10.1/code`"
).split("|")


def _text_identifier_starts(block: Block) -> list[int]:
    """Where identifiers_in's patterns match, each run only when its own cue is present."""
    scan, lowered = block.scan, block.scan.lower()
    matches: list[tuple[int, int]] = []
    for pattern, cue in (
        (find._DOI_LABELLED, "doi"),
        (find._DOI_BARE, "10."),
        (find._PMID, "pmid"),
        (find._PMCID_LABELLED, "pmcid"),
        (find._PMC_BARE, "pmc"),
    ):
        if cue in lowered:
            matches.extend(m.span() for m in pattern.finditer(scan))
    matches.sort(key=lambda m: m[0])
    starts, last_end = [], -1
    for begin, end in matches:
        if begin >= last_end:
            starts.append(begin)
            last_end = end
    return starts


def test_identifier_cue_check_admits_every_cue() -> None:
    # identifiers_in runs its patterns only when "doi", "10.", "pm" or "http" is present.
    rng = random.Random(29)
    found = 0
    for _ in range(2000):
        text = " ".join(rng.choice(_IDENTIFIED) for _ in range(rng.randint(1, 6)))
        for block in parse_document(source_from_text("t.md", text + "\n")).blocks:
            located = [i.start for i in identifiers_in(block) if i.start is not None]
            assert located == _text_identifier_starts(block), text
            found += bool(located)
    assert found > 500


def test_blocks_outside_containers_are_no_footnotes_or_list_items() -> None:
    # reference_list reads footnote_label and in_list only for blocks in some container.
    text = "Para [^1].\n\n- item\n\n> quote\n\n[^1]: The note.\n    More of it.\n"
    for block in parse_document(source_from_text("t.md", text)).blocks:
        if not block.containers:
            assert block.footnote_label is None and not block.in_list
    assert any(
        b.footnote_label == "1" for b in parse_document(source_from_text("t.md", text)).blocks
    )


def test_an_entry_that_is_only_a_url_has_no_parts() -> None:
    # parse_entry_text stops early when nothing but URLs and identifiers is left.
    assert _APA.match("") is None and _VANCOUVER_END.split("", maxsplit=3) == [""]
    assert _YEAR.search("") is None and _YEAR_IN_PARENS.search("") is None
    for text in ("", "https://a.org/x", " doi:10.1/x  https://b.org ", "PMID:1 PMC2"):
        assert parse_entry_text(text) == ((), "", "", ""), text
    assert parse_entry_text("Doe J. Title. J Med. 2020. https://a.org")[1] == "2020"


_PLAIN_PIECES = (  # noqa: SIM905
    "http|https|HTTP|hTtPs|://|:/|//|:|www.|Example.ORG|a-b.c|x|1.2.3.4|@|user@|:8080|[::1]|"
    "/|/path|/a b|?|?q=1&r=2|#|#frag|%41|\t|\n|\r|\x00|é|\u212a|\u017f|.|-|;|</>"
).split("|")


def test_plain_urls_read_as_urlsplit_reads_them() -> None:
    rng = random.Random(23)
    plain = 0
    for _ in range(20000):
        text = "".join(rng.choice(_PLAIN_PIECES) for _ in range(rng.randint(2, 8)))
        if rng.random() < 0.5:
            text = rng.choice(("http://", "HTTPS://")) + text
        found = split_plain_url(text)
        if found is None:
            continue
        plain += 1
        parts = urlsplit(text)
        assert parts.scheme in ("http", "https") and parts.port is None, text
        assert found == (parts.hostname, parts.path, parts.query), text
    assert plain > 500


def test_citations_need_no_keyed_link_targets() -> None:
    # build_index asks identifiers_in(targets=False): written identifiers and broken
    # links only.  The citations found with that list must be the same.
    rng = random.Random(31)
    pieces = (*_MARKED, *_IDENTIFIED, "[bad](https://doi.org/nope)", "see https://f.org/a.")
    broken = 0
    for _ in range(1500):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        document = parse_document(source_from_text("t.md", text + _DEFINITIONS))
        body = document.source.body
        for block in document.blocks:
            full = identifiers_in(block)
            reduced = identifiers_in(block, targets=False)
            kept = [i for i in full if i.start is not None or i.identifier.key is None]
            assert reduced == kept, text
            assert citations_in(block, body, reduced) == citations_in(block, body, full), text
            broken += any(i.identifier.key is None and i.start is None for i in reduced)
    assert broken > 50
