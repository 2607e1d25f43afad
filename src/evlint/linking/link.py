"""Link each claim of a document to the library sources it rests on.

Citation first: a claim whose citation keys name a library source is judged against
that source only.  Otherwise the claim is linked by topic: the library's sources on its
intervention, or on the document's intervention when the sentence names none ("Its
effects ... may be effective in autism").  A document that is itself a library source
(the review a blog cites) is never judged against the library.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import TYPE_CHECKING

from evlint.claims.model import ClaimAnalysis
from evlint.evidence.model import Evidence
from evlint.evidence.vocab import canonical_intervention, normalise_term
from evlint.lexicon import builtin_lexicon
from evlint.linking.grading import is_graded
from evlint.records import record
from evlint.sentences import Sentence

if TYPE_CHECKING:
    from evlint.analysis import Analysis
    from evlint.evidence.library import EvidenceLibrary

# Intervention labels that name no particular therapy ("this treatment").
_GENERIC_INTERVENTIONS = frozenset({"treatment"})
# A prose subject becomes the document's topic only when it recurs.
_TOPIC_MIN_MENTIONS = 2
_FRONT_MATTER_TOPIC_FIELDS = ("title", "tags", "keywords", "categories", "description")

VIA_CITATION = "citation"
VIA_TOPIC = "topic"


@record
class Link:
    """One source a claim rests on; ``cited_as`` is the citation text for citation links."""

    evidence: Evidence
    via: str  # VIA_CITATION | VIA_TOPIC
    cited_as: str = ""


@record
class ClaimLink:
    """A claim sentence, the interventions it is about and the sources it is linked to."""

    sentence: Sentence
    claim: ClaimAnalysis
    interventions: tuple[str, ...]  # canonical names the claim is about
    links: tuple[Link, ...]

    @property
    def via(self) -> str | None:
        return self.links[0].via if self.links else None

    @property
    def graded(self) -> tuple[Link, ...]:
        """Links to sources that report findings (not regulatory notices or bare metadata)."""
        return tuple(link for link in self.links if is_graded(link.evidence))


class DocumentEvidence:
    """The library as it applies to one document; links are computed once per sentence."""

    __slots__ = ("_cited_keys", "_links", "is_source", "library", "topic")

    def __init__(
        self,
        library: EvidenceLibrary,
        topic: tuple[str, ...],
        is_source: bool,
        cited_keys: dict[int, tuple[tuple[frozenset[str], str], ...]],
    ) -> None:
        self.library = library
        self.topic = topic
        self.is_source = is_source
        self._cited_keys = cited_keys
        self._links: dict[int, ClaimLink] = {}

    def link(self, sentence: Sentence, claim: ClaimAnalysis) -> ClaimLink:
        found = self._links.get(sentence.index)
        if found is None:
            found = self._link(sentence, claim)
            self._links[sentence.index] = found
        return found

    def _link(self, sentence: Sentence, claim: ClaimAnalysis) -> ClaimLink:
        interventions = claim_interventions(claim) or self.topic
        if self.is_source:
            return ClaimLink(sentence, claim, interventions, ())
        cited: list[Link] = []
        for keys, text in self._cited_keys.get(sentence.index, ()):
            evidence = self.library.lookup_keys(keys)
            if evidence is None or evidence.is_reference_only:
                continue
            if all(link.evidence.id != evidence.id for link in cited):
                cited.append(Link(evidence, VIA_CITATION, text))
        if cited:
            return ClaimLink(sentence, claim, interventions, tuple(cited))
        topical = self.library.by_topic(interventions) if interventions else []
        return ClaimLink(sentence, claim, interventions, _unique(topical))


def _unique(found: list[Evidence]) -> tuple[Link, ...]:
    """Topic matches with one entry per source: a user's copy of a built-in review and
    the built-in one share keys, and the first (the user's, at equal level) wins."""
    kept: list[Evidence] = []
    for evidence in found:
        if any(evidence.keys & other.keys for other in kept):
            continue
        kept.append(evidence)
    return tuple(Link(e, VIA_TOPIC) for e in kept)


def claim_interventions(claim: ClaimAnalysis) -> tuple[str, ...]:
    """Canonical names of the claim's own subjects: the lexicon label and the words."""
    names: list[str] = []
    for match in claim.subjects:
        if match.label in _GENERIC_INTERVENTIONS:
            continue
        for term in (match.label, match.text):
            name = canonical_intervention(term)
            if name not in names:
                names.append(name)
    return tuple(names)


def document_topic(
    front_matter: dict[str, object] | None,
    headings: list[str],
    claims: list[ClaimAnalysis],
) -> tuple[str, ...]:
    """The interventions a document is about: named in its title, tags or top headings,
    else the subject its sentences name most often (at least twice)."""
    lexicon = builtin_lexicon("interventions")
    texts = list(headings)
    for key in _FRONT_MATTER_TOPIC_FIELDS:
        value = (front_matter or {}).get(key)
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list):
            texts.extend(str(v) for v in value)
    named: list[str] = []
    for text in texts:
        for match in lexicon.finditer(text):
            if match.label not in _GENERIC_INTERVENTIONS:
                for term in (match.label, match.text):
                    name = canonical_intervention(term)
                    if name not in named:
                        named.append(name)
    if named:
        return tuple(named)
    counts = Counter(name for claim in claims for name in claim_interventions(claim)[:1])
    common = [name for name, n in counts.most_common(1) if n >= _TOPIC_MIN_MENTIONS]
    return tuple(common)


def is_library_source(path: str, title: str | None, library: EvidenceLibrary) -> bool:
    """Whether the document is itself one of the library's sources (same file or title)."""
    where = os.path.abspath(path) if not path.startswith("<") else None
    wanted = normalise_term(title) if title else None
    for evidence in library.items():
        if where is not None and os.path.abspath(evidence.path) == where:
            return True
        if wanted and evidence.title and normalise_term(evidence.title) == wanted:
            return True
    return False


def link_document(analysis: Analysis) -> DocumentEvidence:
    """Link the document's claims to the run's evidence library (loaded once per process)."""
    settings = analysis.settings
    from evlint.linking.library import load_cached  # the library readers load only now

    library = load_cached(settings.evidence_paths, settings.include_builtin_evidence).library
    document = analysis.document
    front = document.source.front_matter
    data = front.data if front is not None and isinstance(front.data, dict) else None
    headings = [b.text for b in document.blocks if b.kind == "heading" and b.heading_level == 1]
    title = data.get("title") if data else None
    if not isinstance(title, str):
        title = headings[0] if headings else None
    claims = list(analysis.claims.values())
    topic = document_topic(data, headings, claims)
    citations = analysis.citations
    cited = {
        sentence.index: tuple(
            (c.keys, c.citation.text) for c in citations.for_sentence(sentence) if c.keys
        )
        for sentence in analysis.prose_sentences
    }
    is_source = is_library_source(document.source.path, title, library)
    return DocumentEvidence(library, topic, is_source, cited)
