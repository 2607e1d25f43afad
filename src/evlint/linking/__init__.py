"""Claim <-> evidence linking: which library source each health claim rests on.

A claim is linked *by citation* when a key it cites (DOI, PMID, PMCID, URL) names a
source in the evidence library, and otherwise *by topic* when its intervention (or the
document's, for "it"/"its" sentences) is one the library covers.  The evidence rules
(``evlint.kinds.evidence``) judge each claim against what its sources found and the
limitations, safety and regulatory facts they state.
"""

from evlint.linking.library import LibraryLoad, evidence_input_errors, load_cached
from evlint.linking.link import ClaimLink, DocumentEvidence, Link, link_document

__all__ = [
    "ClaimLink",
    "DocumentEvidence",
    "LibraryLoad",
    "Link",
    "evidence_input_errors",
    "link_document",
    "load_cached",
]
