"""Claim <-> evidence linking: which library source each health claim rests on.

A claim is linked *by citation* when a key it cites (DOI, PMID, PMCID, URL) names a
source in the evidence library, and otherwise *by topic* when its intervention (or the
document's, for "it"/"its" sentences) is one the library covers.  The evidence rules
(``evlint.kinds.evidence``) judge each claim against what its sources found and the
limitations, safety and regulatory facts they state.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from evlint.linking.library import LibraryLoad, evidence_input_errors, load_cached
    from evlint.linking.link import ClaimLink, DocumentEvidence, Link, link_document

_HOMES = {
    "LibraryLoad": "evlint.linking.library",
    "evidence_input_errors": "evlint.linking.library",
    "load_cached": "evlint.linking.library",
    "ClaimLink": "evlint.linking.link",
    "DocumentEvidence": "evlint.linking.link",
    "Link": "evlint.linking.link",
    "link_document": "evlint.linking.link",
}


def __getattr__(name: str) -> Any:
    # Imported on first use: the evidence rules import ``judge`` for every page, and the
    # library readers (cards, summaries, bibliographies) matter only once a claim
    # needs its evidence.
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(name)
    return getattr(importlib.import_module(home), name)


__all__ = [
    "ClaimLink",
    "DocumentEvidence",
    "LibraryLoad",
    "Link",
    "evidence_input_errors",
    "link_document",
    "load_cached",
]
