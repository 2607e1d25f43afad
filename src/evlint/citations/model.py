"""Citation value types: what was cited, the reference entries, and how they resolve."""

from __future__ import annotations

from evlint.model import Span
from evlint.records import record

# Source classes, strongest first.  "self" is the site's own pages: never support.
SOURCE_CLASSES = ("scholarly", "authority", "other", "self")

# Citation styles that point into the reference list by label rather than by URL.
MARKER_STYLES = frozenset(
    {"numbered", "superscript", "caret", "footnote", "reference", "author-year"}
)


@record
class Identifier:
    """A DOI, PMID, PMCID or URL as written, with its key (None when malformed)."""

    kind: str  # "doi" | "pmid" | "pmcid" | "url"
    text: str
    key: str | None
    span: Span


@record
class Citation:
    """One citation as written in prose, located by block-text and source offsets."""

    style: str  # "link" | "autolink" | "reference" | "footnote" | "numbered" |
    # "superscript" | "caret" | "author-year" | "identifier"
    text: str  # the marker or link text as written
    block: int  # index of the block it is in
    start: int  # block-text offsets
    end: int
    span: Span  # source span of the whole construct
    numbers: tuple[int, ...] = ()
    label: str = ""  # footnote or reference-definition label
    href: str = ""
    author: str = ""  # folded first-author surname (author-year)
    year: str = ""
    keys: frozenset[str] = frozenset()
    # A guess that only counts when it resolves ("^2" may be an exponent, "March (2020)"
    # a date): unresolved tentative citations are dropped, not reported as dangling.
    tentative: bool = False


@record
class ReferenceEntry:
    """One entry of the document's reference list, parsed into its parts."""

    index: int  # order in the document
    form: str  # "numbered" | "bulleted" | "paragraph" | "footnote" | "definition"
    number: int | None  # the number readers see, for numbered entries
    label: str  # footnote or definition label; the number as text for numbered entries
    text: str
    span: Span
    line: int
    authors: tuple[str, ...]
    first_author: str  # folded surname, for author-year matching
    year: str
    title: str
    container: str
    identifiers: tuple[Identifier, ...]
    keys: frozenset[str]
    source_class: str

    @property
    def name(self) -> str:
        """How messages and ``evlint refs`` name the entry."""
        if self.form == "footnote":
            return f"[^{self.label}]"
        if self.form == "definition":
            return f"[{self.label}]"
        if self.number is not None:
            return f"{self.number}."
        return f"entry at line {self.line}"


@record
class ResolvedCitation:
    """A citation linked to its entries, or standing on its own keys.

    ``status``: "resolved" (found in the reference list), "external" (a link or
    identifier that names its source itself but is not in the list), "unlisted" (an
    author–year citation in a document with no reference list), or "dangling" (points
    at an entry that does not exist).
    """

    citation: Citation
    entries: tuple[ReferenceEntry, ...]
    status: str
    source_class: str
    keys: frozenset[str]
    missing: tuple[str, ...] = ()  # numbers or labels that did not resolve

    @property
    def supports(self) -> bool:
        """Counts as a citation for a claim: it resolves and is not the site's own page."""
        return self.status != "dangling" and self.source_class != "self"


@record
class CitationProblem:
    """A broken citation: ``kind`` is "dangling", "unused", "duplicate" or "malformed"."""

    kind: str
    span: Span
    detail: str  # the message text, without the rule's framing
    related_line: int | None = None
