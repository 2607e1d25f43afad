"""The evidence library: load sources into one typed model and index them.

Sources come from paper summaries (Markdown), YAML evidence cards, BibTeX and CSL-JSON
bibliographies, and a built-in pack (regulatory facts and the seed review).  Claim
rules query an ``EvidenceLibrary`` by key (``lookup``), by topic (``by_topic``) and for
regulatory status (``regulatory_for``).
"""

from evlint.evidence.library import (
    EvidenceLibrary,
    builtin_pack_dir,
    load_file,
    load_library,
)
from evlint.evidence.model import Evidence, EvidenceError, EvidenceItem, LoadResult

__all__ = [
    "Evidence",
    "EvidenceError",
    "EvidenceItem",
    "EvidenceLibrary",
    "LoadResult",
    "builtin_pack_dir",
    "load_file",
    "load_library",
]
