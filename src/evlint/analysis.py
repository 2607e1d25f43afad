"""Per-document analyses that rules share, computed lazily and at most once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from evlint.citations.model import ResolvedCitation
from evlint.citations.resolve import CitationIndex, build_index
from evlint.claims.reference_shape import looks_like_reference
from evlint.document import Document, in_reference_section
from evlint.records import record

if TYPE_CHECKING:
    from evlint.claims.detector import ClaimAnalysis
    from evlint.lexicon import Lexicon
    from evlint.linking.link import DocumentEvidence
    from evlint.sentences import Sentence


@record
class Settings:
    """Run-wide inputs that rules may consult (evidence paths, file-level options)."""

    evidence_paths: tuple[str, ...] = ()
    include_builtin_evidence: bool = True
    extra: Mapping[str, Any] = field(default_factory=dict)


class Analysis:
    """Lazily computed views of one document; kinds read from it, never mutate it."""

    def __init__(self, document: Document, settings: Settings | None = None) -> None:
        self.document = document
        self.settings = settings or Settings()
        self._naming: dict[tuple[str, int], tuple[Sentence, ...]] = {}

    @cached_property
    def citations(self) -> CitationIndex:
        """Every citation resolved to the reference list, with coverage and problems."""
        hosts = self.settings.extra.get("site_hosts", ())
        return build_index(self.document, tuple(str(h) for h in hosts))

    def markers(self, sentence: Sentence) -> tuple[ResolvedCitation, ...]:
        """Citations written in the sentence (see ``citations.for_sentence`` for coverage)."""
        return self.citations.in_sentence(sentence)

    @cached_property
    def prose_sentences(self) -> tuple[Sentence, ...]:
        """Sentences outside reference lists and footnote definitions."""
        reference_blocks = self.citations.reference_blocks
        return tuple(
            s
            for s in self.document.sentences
            if not in_reference_section(s.block) and s.block.index not in reference_blocks
        )

    @cached_property
    def _lexicons_named(self) -> list[frozenset[str]]:
        """For each prose sentence, the built-in lexicons it may name (one page scan)."""
        from evlint.claims.detector import lexicons_named

        return lexicons_named([s.scan for s in self.prose_sentences])

    def naming(self, lexicon: Lexicon) -> tuple[Sentence, ...]:
        """Prose sentences that may hold a phrase of ``lexicon``; the others hold none.

        One regex pass over the page replaces tokenising every sentence for a lexicon
        most sentences never mention (see :class:`evlint.lexicon.WordGate`).
        """
        key = (lexicon.name, id(lexicon))
        found = self._naming.get(key)
        if found is None:
            from evlint.claims.detector import scanned_lexicon

            prose = self.prose_sentences
            if scanned_lexicon(lexicon):
                named = self._lexicons_named
                hits = [lexicon.name in names for names in named]
            else:
                hits = lexicon.gate.hits([s.scan for s in prose])
            found = tuple(s for s, hit in zip(prose, hits, strict=True) if hit)
            self._naming[key] = found
        return found

    @cached_property
    def sentence_claims(self) -> dict[int, ClaimAnalysis]:
        """Claim analysis of every prose sentence, claim or not (hype, adjacency), by index."""
        # The claim detector and its lexicons load with the first page that asks: a
        # page outside the health topic never does.
        from evlint.claims.detector import analyze

        result: dict[int, ClaimAnalysis] = {}
        reference_like: dict[int, bool] = {}
        prose = self.prose_sentences
        for sentence, named in zip(prose, self._lexicons_named, strict=True):
            block = sentence.block
            if block.index not in reference_like:
                # A bibliography entry outside a References section is still no claim.
                reference_like[block.index] = block.in_list and looks_like_reference(block.scan)
            if reference_like[block.index]:
                continue
            result[sentence.index] = analyze(
                sentence.scan, heading=block.kind == "heading", named=named
            )
        return result

    @cached_property
    def claims(self) -> dict[int, ClaimAnalysis]:
        """Claim analysis for every prose sentence that is a health claim, by index."""
        return {index: c for index, c in self.sentence_claims.items() if c.is_claim}

    @cached_property
    def cited_sentences(self) -> frozenset[int]:
        """Sentences covered by a citation that resolves to a source other than the site.

        Coverage (own sentence; a block-closing marker covers its block) and resolution
        are decided in ``evlint.citations.resolve``.
        """
        covering = self.citations.covering
        return frozenset(i for i, items in covering.items() if any(c.supports for c in items))

    @cached_property
    def evidence(self) -> DocumentEvidence:
        """The run's evidence library as it applies here: claims linked by citation/topic."""
        from evlint.linking.link import link_document  # the library loads only when needed

        return link_document(self)
