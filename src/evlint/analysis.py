"""Per-document analyses that rules share, computed lazily and at most once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from evlint.citations.markers import Marker, markers_in_block, markers_in_sentence
from evlint.claims.detector import ClaimAnalysis, analyze, looks_like_reference
from evlint.document import Document, in_reference_section
from evlint.sentences import Sentence


@dataclass(frozen=True, slots=True)
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

    @cached_property
    def block_markers(self) -> dict[int, list[Marker]]:
        return {block.index: markers_in_block(block) for block in self.document.blocks}

    def markers(self, sentence: Sentence) -> list[Marker]:
        return markers_in_sentence(sentence, self.block_markers[sentence.block.index])

    @cached_property
    def prose_sentences(self) -> tuple[Sentence, ...]:
        """Sentences outside reference lists and footnote definitions."""
        return tuple(s for s in self.document.sentences if not in_reference_section(s.block))

    @cached_property
    def sentence_claims(self) -> dict[int, ClaimAnalysis]:
        """Claim analysis of every prose sentence, claim or not (hype, adjacency), by index."""
        result: dict[int, ClaimAnalysis] = {}
        reference_like: dict[int, bool] = {}
        for sentence in self.prose_sentences:
            block = sentence.block
            if block.index not in reference_like:
                # A bibliography entry outside a References section is still no claim.
                reference_like[block.index] = block.in_list and looks_like_reference(block.scan)
            if reference_like[block.index]:
                continue
            result[sentence.index] = analyze(sentence.scan, heading=block.kind == "heading")
        return result

    @cached_property
    def claims(self) -> dict[int, ClaimAnalysis]:
        """Claim analysis for every prose sentence that is a health claim, by index."""
        return {index: c for index, c in self.sentence_claims.items() if c.is_claim}

    @cached_property
    def cited_sentences(self) -> frozenset[int]:
        """Sentences that carry a citation, or are covered by one.

        A marker covers its own sentence.  A paragraph or list item whose last
        sentence is only a marker (``[1]`` standing alone) covers every sentence of
        that block.
        """
        cited: set[int] = set()
        by_block: dict[int, list[Sentence]] = {}
        for sentence in self.document.sentences:
            by_block.setdefault(sentence.block.index, []).append(sentence)
        for block_index, sentences in by_block.items():
            if not self.block_markers[block_index]:
                continue
            for sentence in sentences:
                if self.markers(sentence):
                    cited.add(sentence.index)
            last = sentences[-1]
            if _only_markers(last, self.markers(last)):
                cited.update(s.index for s in sentences)
        return frozenset(cited)


def _only_markers(sentence: Sentence, markers: list[Marker]) -> bool:
    if not markers:
        return False
    text = sentence.text
    covered = 0
    for marker in markers:
        covered += marker.end - marker.start
    rest = len(text) - covered
    return rest <= 3
