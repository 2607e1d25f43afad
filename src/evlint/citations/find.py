"""Find citations and identifiers in one block, with block-text and source offsets.

Markers are matched on ``Block.scan`` (code, HTML and URLs masked), so ``[1]`` inside
code is never a citation; links and footnote references come from the parser.  Every
pattern is bounded (no nested quantifiers over unbounded text), so finding is linear
in the block size whatever the brackets look like.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import lru_cache

from evlint.citations.model import Citation, Identifier
from evlint.evidence.keys import keys_for_url, make_key, normalise_doi, normalise_pmcid
from evlint.markdown import MASK, Block
from evlint.model import Span
from evlint.records import record
from evlint.regex_cache import compile_regex

_NUMS = r"\d{1,4}(?:\s*[,–\-]\s*\d{1,4}){0,30}"
NUMBERED = compile_regex(rf"\[({_NUMS})\]")
_VERSION_TAIL = compile_regex(r"[-.]\d")
SUPERSCRIPT = compile_regex(
    rf"<sup>\s*(?:<a\b[^<>]{{0,300}}>)?\s*\[?({_NUMS})\]?\s*(?:</a>)?\s*</sup>", re.I
)
CARET = compile_regex(r"(?<=[A-Za-z.,;:)\]])\^(\d{1,3})(?![\d.]\d)")
FOOTNOTE_TEXT = compile_regex(r"\[\^([^\]\s\[]{1,64})\]")
_COMMA = compile_regex(r"\s*,\s*")
_DASH = compile_regex(r"\s*[–\-]\s*")
MAX_RANGE = 100  # "[2-4]" expands; "[1-9999]" is not a citation
_YEARS = (1900, 2100)  # bracketed numbers all in this range are years, not references

_NAME = r"[A-Z][A-Za-z\u00C0-\u024F'’\-]{1,40}"
_PARTICLE = r"(?:(?:van|von|de|der|den|da|del|di|dos|le|la)\s+){0,3}"
_AUTHOR_PART = compile_regex(
    r"(?:(?:see|e\.g\.|cf\.|also|and)[,\s]+){0,3}"
    rf"(?P<author>{_PARTICLE}{_NAME})"
    rf"(?P<more>\s+et\s+al\.?|\s+(?:and|&)\s+{_NAME}|(?:,\s*{_NAME}){{1,6}},?\s*(?:and|&)\s+{_NAME})?"
    r",?\s+(?P<year>(?:19|20)\d{2})[a-z]?(?:,\s*(?:p|pp)\.\s*\d{1,5}(?:[-–]\d{1,5})?)?\s*"
)
_PARENS = compile_regex(r"\(([^()\n]{4,400})\)")
_NARRATIVE = compile_regex(
    rf"(?P<author>{_NAME})(?P<more>\s+et\s+al\.?|\s+(?:and|&)\s+{_NAME})?"
    r"\s+\((?P<year>(?:19|20)\d{2})[a-z]?\)"
)
# Words that look like a surname before a year but are not one: "(Updated 2021)".
_NOT_AUTHORS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "spring",
        "summer",
        "autumn",
        "fall",
        "winter",
        "since",
        "in",
        "updated",
        "published",
        "accessed",
        "retrieved",
        "revised",
        "version",
        "edition",
        "copyright",
        "reviewed",
        "as",
        "of",
        "from",
        "until",
        "before",
        "after",
    ]
)

_DOI_LABELLED = compile_regex(r"\bdoi\s*:\s*(\S{1,300})|\bdoi\s+(10\.\S{1,300})", re.I)
_DOI_BARE = compile_regex(r"(?<![\w/.:])10\.\d{4,9}/[^\s\"<>]{0,300}")
# A PMID or PMCID label counts as an identifier only when a number (or "PMC") follows:
# "by PMID or DOI" and "PMID/PMCID" name the identifiers, they do not give one.
_PMID = compile_regex(r"\bPMID\s*:?\s*(\d[^\s,;)\]]{0,39})", re.I)
_PMCID_LABELLED = compile_regex(r"\bPMCID\s*:?\s*((?:PMC)?\d[^\s,;)\]]{0,39})", re.I)
_PMC_BARE = compile_regex(r"\bPMC\d[^\s,;)\]]{0,40}")
_URL_TEXT = compile_regex(r"https?://[^\s<>\"\ufffc]{1,2000}", re.I)
DOI_URL = compile_regex(r"^\s*(?:https?:)?//(?:dx\.|www\.)?doi\.org/", re.I)
_NON_SOURCE_SCHEME = compile_regex(r"^(?:mailto|tel|javascript|data|sms):", re.I)
_ANCHOR_MARKER = compile_regex(rf"\[?\^?{_NUMS}\]?")
_FULL_REFERENCE = compile_regex(r"\]\s*\[([^\[\]]{0,999})\]$")
_YEAR = compile_regex(r"\b(?:19|20)\d{2}")


def fold(name: str) -> str:
    """Lowercase, accents removed: "Müller" and "Muller" match."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


def expand_numbers(text: str) -> tuple[int, ...]:
    """``"1, 3"`` -> (1, 3); ``"2-4"`` -> (2, 3, 4); absurd ranges give ()."""
    numbers: list[int] = []
    for part in _COMMA.split(text.strip()):
        bounds = _DASH.split(part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            low, high = int(bounds[0]), int(bounds[1])
            if high < low or high - low > MAX_RANGE:
                return ()
            numbers.extend(range(low, high + 1))
        elif part.isdigit():
            numbers.append(int(part))
    if 0 in numbers or (len(numbers) > 1 and all(_YEARS[0] <= n <= _YEARS[1] for n in numbers)):
        return ()  # "[0]" is an index; "[2016, 2019]" are years (one "[1950]" may cite)
    return tuple(numbers)


@record
class Located:
    """An identifier with its block-text range (None when it is a link's target)."""

    identifier: Identifier
    start: int | None
    end: int | None


def identifiers_in(
    block: Block, start: int = 0, end: int | None = None, *, targets: bool = True
) -> list[Located]:
    """DOIs, PMIDs, PMCIDs and URLs written in ``block.text[start:end]``, plus link targets.

    ``targets`` False leaves out link targets and bare URLs that name a valid key: for
    citations, the links themselves are the citations, and only broken ones are problems.
    """
    scan = block.scan
    stop = len(scan) if end is None else end
    found: list[Located] = []
    last_end = -1

    matches: list[tuple[int, str, re.Match[str]]] = []
    lowered = scan[start:stop].lower()
    # Whether any cue below (or "http") is present: most blocks hold none.
    if not ("doi" in lowered or "10." in lowered or "pm" in lowered or "http" in lowered):
        return [] if not block.links else _link_identifiers(block, start, stop, targets)
    for kind, pattern, cue in (
        ("doi", _DOI_LABELLED, "doi"),
        ("doi", _DOI_BARE, "10."),
        ("pmid", _PMID, "pmid"),
        ("pmcid", _PMCID_LABELLED, "pmcid"),
        ("pmcid", _PMC_BARE, "pmc"),
    ):
        if cue in lowered:  # a substring test is far cheaper than a regex pass
            matches.extend((m.start(), kind, m) for m in pattern.finditer(scan, start, stop))
    matches.sort(key=lambda item: item[0])
    for begin, kind, match in matches:
        if begin < last_end:
            continue  # "doi:10.1/x" is matched by both DOI patterns
        raw = match.group(0)
        if kind == "doi":
            value = match.group(match.lastindex) if match.lastindex else raw
            doi = normalise_doi(value)
            key = f"doi:{doi}" if doi else None
        elif kind == "pmid":
            key = make_key("pmid", match.group(1).rstrip(".:"))
        elif match.lastindex:  # "PMCID: 7037429": the label makes bare digits unambiguous
            value = match.group(1).rstrip(".:")
            pmcid = normalise_pmcid(f"PMC{value}" if value.isdigit() else value)
            key = f"pmcid:{pmcid}" if pmcid else None
        else:
            key = make_key("pmcid", raw.rstrip("."))
        finish = begin + len(raw.rstrip(".,;:"))
        last_end = match.end()
        ident = Identifier(kind, scan[begin:finish], key, block.source_span(begin, finish))
        found.append(Located(ident, begin, finish))
    if block.links:
        found.extend(_link_identifiers(block, start, stop, targets))
    # Bare URLs are plain text (no linkify); autolinks are masked in scan and come above.
    for match in _URL_TEXT.finditer(scan, start, stop) if targets and "http" in lowered else ():
        url = match.group(0).rstrip(".,;:)")
        keys = keys_for_url(url)
        if keys:
            key = next((k for k in sorted(keys) if not k.startswith("url:")), min(keys))
            finish = match.start() + len(url)
            span = block.source_span(match.start(), finish)
            found.append(Located(Identifier(key.partition(":")[0], url, key, span), None, None))
    return found


def _link_identifiers(block: Block, start: int, stop: int, targets: bool) -> list[Located]:
    """Identifiers named by the targets of the links that start in ``[start, stop)``
    (only the broken ones unless ``targets``)."""
    found: list[Located] = []
    for link in block.links:
        if link.image or not (start <= link.start < stop):
            continue
        if not targets and not DOI_URL.match(link.href):
            continue  # only a doi.org link can be a broken one
        identity = _link_identity(link.href)
        if identity is not None and (targets or identity[1] is None):
            ident = Identifier(identity[0], link.href, identity[1], link.source)
            found.append(Located(ident, None, None))
    return found


@lru_cache(maxsize=4096)  # pure; documents repeat the same links
def _link_identity(href: str) -> tuple[str, str | None] | None:
    """(kind, key) of the identifier a link target names: key None for a broken DOI link."""
    keys = keys_for_url(href)
    if DOI_URL.match(href) and not any(k.startswith("doi:") for k in keys):
        return "doi", None
    if keys:
        key = next((k for k in sorted(keys) if not k.startswith("url:")), min(keys))
        return key.partition(":")[0], key
    return None


def citations_in(
    block: Block, body: str, identifiers: list[Located] | None = None
) -> list[Citation]:
    """Every citation in a prose block, in text order; ``body`` is the parsed source.
    ``identifiers`` are the block's ``identifiers_in``, when the caller has them."""
    if identifiers is None:
        identifiers = identifiers_in(block)
    # Past links, footnote references and identifiers, every marker needs "[", "^",
    # "(" (author-year) or a "<sup>" tag: most blocks hold none.
    if not (block.links or block.footnote_refs or identifiers):
        scan = block.scan
        if "[" not in scan and "^" not in scan and "(" not in scan and "<" not in block.text:
            return []
    return sorted(_all_citations(block, body, identifiers), key=lambda c: (c.start, c.end))


def _all_citations(block: Block, body: str, identifiers: list[Located]) -> Iterator[Citation]:
    text, scan, index = block.text, block.scan, block.index

    def make(style: str, start: int, end: int) -> Citation:
        return Citation(style, text[start:end], index, start, end, block.source_span(start, end))

    for link in block.links:
        if link.image:
            continue
        href = link.href.strip()
        written = text[link.start : link.end]
        if href.startswith("#"):
            # An in-page anchor is a source only as a numbered marker: "[1](#ref-1)".
            if _ANCHOR_MARKER.fullmatch(written.strip()):
                numbers = expand_numbers(written.strip().strip("[]^"))
                if numbers and not NUMBERED.search(scan, link.start, link.end):
                    yield Citation(
                        "numbered", written, index, link.start, link.end, link.source, numbers
                    )
            continue
        if _NON_SOURCE_SCHEME.match(href):
            continue
        keys = keys_for_url(href)
        label = None if link.autolink else _reference_label(body, link.source, written)
        if label is not None:
            yield Citation(
                "reference", written, index, link.start, link.end, link.source,
                label=label, href=href, keys=keys,
            )  # fmt: skip
        else:
            style = "autolink" if link.autolink else "link"
            yield Citation(
                style, written, index, link.start, link.end, link.source, href=href, keys=keys
            )
    for ref in block.footnote_refs:
        yield replace(make("footnote", ref.start, ref.end), label=ref.label)
    # Each marker regex runs only when its telltale character is in the block: most
    # blocks cite nothing, and a substring test is far cheaper than a regex pass.
    bracket = "[" in scan
    for match in FOOTNOTE_TEXT.finditer(scan) if bracket and "[^" in scan else ():  # as text
        yield replace(make("footnote", *match.span()), label=match.group(1))
    superscripts: list[tuple[int, int]] = []
    # "<" first: lowering a block that holds no tag at all would be wasted.
    sup = "<" in text and "<sup" in text.lower()
    for match in SUPERSCRIPT.finditer(text) if sup else ():
        if scan[match.start(1)] == MASK:
            continue  # "<sup>1</sup>" inside a code span, not HTML
        if match.start() and text[match.start() - 1].isdigit():
            continue  # "2<sup>31</sup>" is a power, not a marker
        numbers = expand_numbers(match.group(1))
        if numbers:
            superscripts.append(match.span())
            yield replace(make("superscript", *match.span()), numbers=numbers)
    for match in NUMBERED.finditer(scan) if bracket else ():
        if any(s <= match.start() < e for s, e in superscripts):
            continue  # "<sup>[1]</sup>" is one marker
        if _VERSION_TAIL.match(scan, match.end()):
            continue  # "anaconda[23]-5.1.0" names versions, not a reference
        numbers = expand_numbers(match.group(1))
        if numbers:
            yield replace(make("numbered", *match.span()), numbers=numbers)
    for match in CARET.finditer(scan) if "^" in scan else ():
        caret = make("caret", *match.span())
        yield replace(caret, numbers=(int(match.group(1)),), tentative=True)
    if "(" in scan and ("19" in scan or "20" in scan):  # every year is 19xx or 20xx
        yield from _author_year(block, make)
    for located in identifiers:
        ident = located.identifier
        if ident.key is None or located.start is None or located.end is None:
            continue  # malformed ones are problems; link targets are the links above
        yield replace(make("identifier", located.start, located.end), keys=frozenset({ident.key}))


def _author_year(block: Block, make: Callable[[str, int, int], Citation]) -> Iterator[Citation]:
    scan = block.scan
    for paren in _PARENS.finditer(scan):
        inner_start = paren.start(1)
        content = paren.group(1)
        if not _YEAR.search(content):
            continue
        offset = 0
        for part in content.split(";"):
            part_start = inner_start + offset + (len(part) - len(part.lstrip()))
            offset += len(part) + 1
            match = _AUTHOR_PART.fullmatch(part.strip())
            if match is None:
                continue
            author = match.group("author")
            end = part_start + len(part.strip())
            citation = make("author-year", part_start, end)
            surname = fold(author.split()[-1])
            tentative = match.group("more") is None and (
                author.isupper() or surname in _NOT_AUTHORS
            )
            yield replace(citation, author=surname, year=match.group("year"), tentative=tentative)
    for match in _NARRATIVE.finditer(scan) if "(19" in scan or "(20" in scan else ():
        author = match.group("author")
        citation = make("author-year", *match.span())
        # "Smith (2019) found" is common, but so is "March (2020)": alone, it is a guess.
        yield replace(
            citation,
            author=fold(author),
            year=match.group("year"),
            tentative=match.group("more") is None,
        )


def _reference_label(body: str, source: Span, written: str) -> str | None:
    """The label of a reference-style link ``[text][label]``, ``[text][]`` or ``[label]``.

    Reads the link's own source span, which the parser located; None for inline links.
    """
    raw = body[source.start : source.end].rstrip()
    if not raw.endswith("]"):
        return None
    full = _FULL_REFERENCE.search(raw)
    if full is not None and full.group(1).strip():
        return full.group(1)
    return written
