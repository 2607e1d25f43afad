"""The evidence library: load sources into one typed model and index them.

Sources come from paper summaries (Markdown), YAML evidence cards, BibTeX and CSL-JSON
bibliographies, and a built-in pack (regulatory facts and the seed review).  Claim
rules query an ``EvidenceLibrary`` (``evlint.evidence.library``) by key (``lookup``),
by topic (``by_topic``) and for regulatory status (``regulatory_for``); the types are
in ``evlint.evidence.model``.

This package imports nothing itself: citation parsing needs only ``evidence.keys``,
and loading the whole library at import would slow every command's start-up.
"""
