"""Rules as data: the typed form of one ``rules/*.yaml`` file.

A rule names a *kind* (a Python check family registered in ``evlint.kinds``) plus
options, message, default level, category, documentation and examples.  Severity is
never decided in code: it comes from the rule file's default ``level`` or from config.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Any

from evlint.model import Severity
from evlint.records import record

CATEGORIES: frozenset[str] = frozenset(
    {
        "uncited-claim",
        "citation-mismatch",
        "overstated-strength",
        "preclinical-as-clinical",
        "safety-claim-unsupported",
        "omitted-risk",
        "hype-language",
        "regulatory",
        "citation-integrity",
        "no-date",
        "no-author",
        "no-sources",
        "no-risk-discussion",
        "no-uncertainty-discussion",
        "no-regulatory-status",
        "input",
        "suppression",
    }
)

# The DISCERN / JAMA document-level categories, in the order reports list them.
DOCUMENT_CATEGORIES: tuple[str, ...] = (
    "no-date",
    "no-author",
    "no-sources",
    "no-risk-discussion",
    "no-uncertainty-discussion",
    "no-regulatory-status",
)

SCOPES: frozenset[str] = frozenset({"document", "block", "sentence", "claim", "citation"})


@record
class Example:
    """A rule example: ``text`` is a whole Markdown document.

    ``expect_lines`` (fail examples only) lists the 1-based lines the rule must
    report; empty means "at least one finding anywhere".
    """

    text: str
    expect_lines: tuple[int, ...] = ()
    evidence: str | None = None


@record
class RuleDoc:
    """A rule's documentation: what it checks, why that matters, how to fix it, and sources."""

    what: str
    why: str
    fix: str
    references: tuple[str, ...] = ()


@record
class Rule:
    """One rule as read from its rule file: the kind that checks it, its level, message and docs."""

    id: str
    name: str
    kind: str
    scope: str
    category: str
    level: Severity
    message: str
    summary: str
    doc: RuleDoc
    options: Mapping[str, Any] = field(default_factory=dict)
    fail_examples: tuple[Example, ...] = ()
    pass_examples: tuple[Example, ...] = ()
    enabled: bool = True
    source: str = ""
    # "health": runs only on pages that name a health term (``evlint.topic``);
    # "any": on every page (front matter, suppressions, citation integrity).
    topic: str = "any"

    def format_message(self, **values: object) -> str:
        """Fill the rule's message template; unknown placeholders are left visible."""
        return self.message.format_map(_Defaulting(values))


class _Defaulting(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
