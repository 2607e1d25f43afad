"""Paper summaries in Markdown (the form of ``seeds/neonatal-ev-review-summary.md``).

Recognised generically, by headings and line patterns:

* ``# Title`` (the first level-1 heading) and ``**Authors:** A, B, C``
* a metadata line of ``·``-separated fields: ``DOI: …``, ``PMID: …``, ``PMCID: …``, a date
  (``2025-11-25`` or ``2025``), source tags (``PMC``, ``PubMed``) and the journal
* ``## Contribution`` (what the paper is: design cues, kept as ``scope`` items);
  ``## TL;DR``, ``## Key findings``, ``## Abstract`` and other prose sections (statements);
  ``## Limitations`` / ``## Safety`` sections (statements of that kind)
* ``- **Diseases:** name (MONDO:…), …`` lines under ``Linked entities`` / ``Full-text
  entities`` (scope conditions), and ``Source: URL`` (keys, including a ``PMC…`` id in it)

Metadata-only sections (Full text, Figures, References, entity lists) yield no statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from evlint.evidence.classify import (
    basis_in,
    classify_sentence,
    design_in,
    order_basis,
    phase_of,
    population_of,
)
from evlint.evidence.keys import keys_for_url, make_key, normalise_pmcid
from evlint.evidence.model import (
    BASIS_LEVELS,
    REVIEW_DESIGNS,
    Evidence,
    EvidenceError,
    EvidenceItem,
    LoadResult,
    derive_level,
)
from evlint.evidence.text import line_of, line_starts, split_sentences, strip_inline_markdown
from evlint.evidence.vocab import (
    CONDITION_AS_POPULATION,
    canonical_condition,
    canonical_intervention,
    canonical_population,
    expand_interventions,
    find_terms,
    fold_dashes,
    is_generic_condition,
    is_risk_term,
    normalise_term,
    topics_in,
)
from evlint.records import record
from evlint.regex_cache import compile_regex

_HEADING_RE = compile_regex(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_AUTHORS_RE = compile_regex(r"^\s*(?:\*\*|__)?authors?\s*:?\s*(?:\*\*|__)?\s*:?\s*(.+)$", re.I)
_DOI_FIELD_RE = compile_regex(r"\bdoi\s*:?\s*(10\.\S+)", re.I)
_PMID_FIELD_RE = compile_regex(r"\bpmid\s*:?\s*(\d+)", re.I)
_PMCID_FIELD_RE = compile_regex(r"\bpmcid\s*:?\s*(pmc\d+)", re.I)
_DATE_RE = compile_regex(r"^((?:19|20)\d{2})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SOURCE_TAGS = frozenset({"pmc", "pubmed", "medline", "arxiv", "biorxiv", "medrxiv", "europepmc"})
_SOURCE_RE = compile_regex(r"^\s*source\s*:\s*<?(https?://\S+?)>?\s*$", re.I)
_ENTITY_LINE_RE = compile_regex(r"^\s*[-*+]\s*(?:\*\*|__)?([A-Za-z /-]+?):?(?:\*\*|__)?:?\s+(.+)$")
_ENTITY_RE = compile_regex(r"\s*(.+?)\s*\(([A-Za-z]+:[^)\s]+)\)\s*(?:[,;]|$)")
_LIST_MARK_RE = compile_regex(r"^\s*(?:[-*+]|\d+[.)])\s+")
_ABBREV_DEF_RE = compile_regex(r"\(([A-Z][A-Za-z0-9]{1,9})\)")
_DISEASE_SUFFIX_RE = compile_regex(
    r"(?:itis|osis|opathy|emia|plasia|syndrome|disease|disorder|injury|failure|sepsis"
    r"|cancer|carcinoma|tumor|infection|palsy|encephalopathy|dysplasia|enterocolitis)$"
)

_SCOPE_SECTIONS = frozenset({"contribution", "contributions", "aim", "objective", "purpose"})
_SKIP_SECTIONS = frozenset(
    {
        "linked entities",
        "full-text entities",
        "full text entities",
        "entities",
        "full text",
        "figures",
        "tables",
        "references",
        "source",
        "metadata",
        "links",
    }
)
_FORCED_KIND = {"limitations": "limitation", "limitation": "limitation", "safety": "safety"}
_SELF_DESCRIPTION = frozenset({"contribution", "contributions", "tl;dr", "tldr", "summary"})


@dataclass(slots=True)
class _Section:
    """A section of a summary: its heading, normalised, and the lines under it."""

    name: str
    line: int  # line of the heading
    lines: list[tuple[int, str]] = field(default_factory=list)  # (1-based line, text)


def parse_summary(text: str, path: str, *, builtin: bool = False) -> LoadResult:
    """Read one summary; a file that is not a summary gives one error and no evidence."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    lines = text.split("\n")
    title, title_line, sections, preamble = _sections(lines)
    if title is None:
        return LoadResult(errors=(EvidenceError(path, 1, "summary has no '# Title' heading"),))
    names = {s.name for s in sections}
    if not names & {"abstract", "key findings", "tl;dr", "tldr", "findings", "summary"}:
        message = "not a paper summary: no Abstract, Key findings or TL;DR section"
        return LoadResult(errors=(EvidenceError(path, title_line, message),))

    # Identifiers and dates only from the header: the body may cite other papers' DOIs.
    keys, meta = _metadata(preamble, [row for s in sections for _, row in s.lines])
    starts = line_starts(text)
    statements = _statements(text, starts, sections, path)
    prose = " ".join(
        strip_inline_markdown(row)
        for s in sections
        if s.name not in _SKIP_SECTIONS
        for _, row in s.lines
    )
    abbreviations = _abbreviations(prose)

    self_text = " ".join(
        [title]
        + [
            strip_inline_markdown(r)
            for s in sections
            if s.name in _SELF_DESCRIPTION
            for _, r in s.lines
        ]
    )
    design = design_in(self_text) or design_in(prose) or "unknown"
    basis_terms = [*basis_in(prose)]
    if design not in REVIEW_DESIGNS and design in BASIS_LEVELS:
        basis_terms.append(design)
    basis = order_basis(basis_terms)

    conditions, entity_populations = _conditions(title, sections, prose, abbreviations)
    populations = _unique(
        [canonical_population(t) for _, t in find_terms(title + " " + prose, "populations")]
        + entity_populations
    )
    interventions = _interventions(title, sections, prose, abbreviations)

    by_kind: dict[str, list[EvidenceItem]] = {}
    for item in statements:
        by_kind.setdefault(item.kind, []).append(item)
    stem = Path(path).stem
    evidence = Evidence(
        id=stem,
        keys=frozenset(keys),
        title=strip_inline_markdown(title),
        path=path,
        line=title_line,
        origin="summary",
        year=meta.year,
        authors=meta.authors,
        journal=meta.journal,
        date=meta.date,
        url=meta.url,
        design=design,
        level=derive_level(design, basis),
        evidence_basis=basis,
        interventions=interventions,
        conditions=conditions,
        populations=populations,
        findings=tuple(by_kind.get("finding", ())),
        limitations=tuple(by_kind.get("limitation", ())),
        safety=tuple(by_kind.get("safety", ())),
        scope_notes=tuple(by_kind.get("scope", ())),
        builtin=builtin,
    )
    return LoadResult(evidence=(evidence,))


def _sections(
    lines: list[str],
) -> tuple[str | None, int, list[_Section], list[str]]:
    title: str | None = None
    title_line = 1
    sections: list[_Section] = []
    preamble: list[str] = []
    in_fence = False
    for number, raw in enumerate(lines, start=1):
        if raw.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        heading = None if in_fence else _HEADING_RE.match(raw)
        if heading and title is None and len(heading.group(1)) == 1:
            title, title_line = heading.group(2).strip(), number
        elif heading:
            name = normalise_term(strip_inline_markdown(heading.group(2)))
            sections.append(_Section(name, number))
        elif sections and not in_fence:
            sections[-1].lines.append((number, raw))
        elif not in_fence:
            preamble.append(raw)
    return title, title_line, sections, preamble


@record
class _Meta:
    """Bibliographic details of the summarised paper, read from the summary's header."""

    authors: tuple[str, ...] = ()
    year: int | None = None
    date: str | None = None
    journal: str | None = None
    url: str | None = None


def _metadata(header: list[str], body: list[str]) -> tuple[set[str], _Meta]:
    keys: set[str] = set()
    authors: tuple[str, ...] = ()
    year: int | None = None
    date: str | None = None
    journal: str | None = None
    url: str | None = None
    for raw in header + [row for row in body if _SOURCE_RE.match(row)]:
        line = raw.strip()
        authors_match = _AUTHORS_RE.match(line)
        if authors_match and not authors:
            listed = strip_inline_markdown(authors_match.group(1))
            separator = ";" if ";" in listed else ","
            authors = tuple(a.strip() for a in listed.split(separator) if a.strip())
            continue
        for rx, kind in (
            (_DOI_FIELD_RE, "doi"),
            (_PMID_FIELD_RE, "pmid"),
            (_PMCID_FIELD_RE, "pmcid"),
        ):
            for match in rx.finditer(line):
                key = make_key(kind, match.group(1))
                if key:
                    keys.add(key)
        if "·" in line or " | " in line:
            for token in re.split(r"\s*[·|]\s*", strip_inline_markdown(line)):
                found = _DATE_RE.match(token)
                if found and year is None:
                    year, date = int(found.group(1)), token
                elif (
                    token
                    and journal is None
                    and token.lower() not in _SOURCE_TAGS
                    and not re.match(r"(?i)(?:doi|pmid|pmcid)\b", token)
                ):
                    journal = token
        source = _SOURCE_RE.match(line)
        if source:
            url = source.group(1)
            keys |= keys_for_url(url)
            # Summary sites name the paper by its PMC id: ".../paper/PMC12821212/".
            for segment in url.split("/"):
                pmcid = normalise_pmcid(segment)
                if pmcid and re.fullmatch(r"(?i)pmc\d+", segment):
                    keys.add(f"pmcid:{pmcid}")
    return keys, _Meta(authors, year, date, journal, url)


def _statements(
    text: str, starts: list[int], sections: list[_Section], path: str
) -> list[EvidenceItem]:
    items: list[EvidenceItem] = []
    for section in sections:
        if section.name in _SKIP_SECTIONS:
            continue
        forced = _FORCED_KIND.get(section.name)
        scope = section.name in _SCOPE_SECTIONS
        for paragraph_start, paragraph in _paragraphs(text, starts, section):
            for start, end in split_sentences(paragraph, paragraph_start):
                sentence = text[start:end]
                if forced or scope:
                    kind = "scope" if scope else forced or "finding"
                    items.append(_item(sentence, kind, path, starts, start, section))
                    continue
                for clause in classify_sentence(sentence):
                    offset = start + clause.start
                    items.append(_item(clause.text, clause.kind, path, starts, offset, section))
    return items


def _paragraphs(text: str, starts: list[int], section: _Section) -> list[tuple[int, str]]:
    """(offset, text) of each paragraph or list item, list markers left out."""
    out: list[tuple[int, str]] = []
    current: tuple[int, str] | None = None
    for number, raw in section.lines:
        offset = starts[number - 1]
        marker = _LIST_MARK_RE.match(raw)
        if not raw.strip() or marker:
            if current:
                out.append(current)
            current = None
            if marker:
                current = (offset + marker.end(), raw[marker.end() :])
            continue
        if current is None:
            lead = len(raw) - len(raw.lstrip())
            current = (offset + lead, raw.lstrip())
        else:
            # Wrapped line: keep offsets exact by joining with the newline it replaces.
            current = (current[0], text[current[0] : offset + len(raw)])
    if current:
        out.append(current)
    return out


def _item(
    text: str, kind: str, path: str, starts: list[int], offset: int, section: _Section
) -> EvidenceItem:
    plain = strip_inline_markdown(text)
    line = line_of(starts, offset)
    return EvidenceItem(
        text=plain,
        kind=kind,
        path=path,
        line=line,
        column=offset - starts[line - 1] + 1,
        population=population_of(plain),
        phase=phase_of(plain),
        topics=topics_in(plain),
        section=section.name,
    )


def _abbreviations(prose: str) -> dict[str, str]:
    """``{"HIE": "hypoxic-ischemic encephalopathy"}`` from "long form (ABBR)" definitions."""
    found: dict[str, str] = {}
    folded = fold_dashes(prose)
    for match in _ABBREV_DEF_RE.finditer(folded):
        abbr = match.group(1)
        letters = abbr.lower().removesuffix("s") if abbr[-1] == "s" else abbr.lower()
        words = re.findall(r"[\w'-]+", folded[max(0, match.start() - 160) : match.start()])
        for k in range(1, min(len(letters) + 4, len(words)) + 1):
            candidate = words[-k:]
            if candidate[0][0].lower() == letters[0] and _letters_in_order(
                letters, " ".join(candidate)
            ):
                found.setdefault(abbr, normalise_term(" ".join(candidate)))
                break
    return found


def _letters_in_order(letters: str, phrase: str) -> bool:
    position = 0
    lowered = phrase.lower()
    for letter in letters:
        position = lowered.find(letter, position)
        if position < 0:
            return False
        position += 1
    return True


def _resolve(term: str, abbreviations: dict[str, str]) -> str:
    stripped = term.strip()
    return canonical_condition(abbreviations.get(stripped, stripped))


def _conditions(
    title: str, sections: list[_Section], prose: str, abbreviations: dict[str, str]
) -> tuple[tuple[str, ...], list[str]]:
    """Scope conditions, and populations that entity taggers filed as diseases."""
    conditions: list[str] = []
    populations: list[str] = []
    folded_prose = normalise_term(prose)
    for section in sections:
        linked = "linked" in section.name
        if "entities" not in section.name:
            continue
        for _, raw in section.lines:
            row = _ENTITY_LINE_RE.match(raw)
            if not row or "disease" not in row.group(1).lower():
                continue
            for entity in _ENTITY_RE.finditer(row.group(2)):
                name = strip_inline_markdown(entity.group(1))
                key = normalise_term(name)
                if key in CONDITION_AS_POPULATION:
                    populations.append(CONDITION_AS_POPULATION[key])
                    continue
                if is_generic_condition(name) or is_risk_term(name):
                    continue
                # Full-text entities may come from anywhere in the paper (its references,
                # its discussion of other diseases): keep only those the summary mentions.
                if linked or key in folded_prose or name in abbreviations:
                    conditions.append(_resolve(name, abbreviations))
    for _, term in find_terms(title + ". " + prose, "conditions"):
        if not is_generic_condition(term):
            conditions.append(_resolve(term, abbreviations))
    for long_form in abbreviations.values():
        if _DISEASE_SUFFIX_RE.search(long_form) and not is_generic_condition(long_form):
            conditions.append(canonical_condition(long_form))
    return _unique(conditions), populations


def _interventions(
    title: str, sections: list[_Section], prose: str, abbreviations: dict[str, str]
) -> tuple[str, ...]:
    """Subjects named by the title and self-description; the abstract only as a fallback."""
    self_text = (
        title
        + " "
        + " ".join(
            strip_inline_markdown(r)
            for s in sections
            if s.name in _SELF_DESCRIPTION | {"key findings"}
            for _, r in s.lines
        )
    )
    terms = [t for _, t in find_terms(self_text, "interventions")]
    for abbr, long_form in abbreviations.items():
        canonical = canonical_intervention(long_form)
        if canonical != long_form and abbr in self_text:
            terms.append(canonical)
    if not terms:
        terms = [t for _, t in find_terms(prose, "interventions")]
    return expand_interventions(terms)


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))
