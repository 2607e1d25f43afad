"""Detect the reference list and parse each entry into authors, year, title, container, keys.

The list is every block under a heading such as References / Sources / Bibliography
(any level, anywhere in the document), a list introduced by a paragraph that is only
such a title ("**References**"), footnote definitions, and link reference definitions.
Entries are list items, or lines of a plain paragraph that carry a year or an
identifier.  Parsing is heuristic (APA- and Vancouver-like layouts); what matters most
is the identifiers, which are exact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from evlint.citations.classify import classify_href, classify_keys
from evlint.citations.find import DOI_URL, fold, identifiers_in
from evlint.citations.model import Identifier, ReferenceEntry
from evlint.claims.reference_shape import looks_like_reference
from evlint.document import REFERENCE_HEADING, Document, in_reference_section
from evlint.evidence.keys import extract_dois, keys_for_url
from evlint.markdown import Block
from evlint.model import Span
from evlint.records import record
from evlint.regex_cache import compile_regex

_LEADING_NUMBER = compile_regex(r"^\s*(?:\[(\d{1,5})\]|(\d{1,5})[.)])\s+")
_YEAR_IN_PARENS = compile_regex(r"\(((?:19|20)\d{2})[a-z]?(?:[,;][^()]{0,40})?\)")
_YEAR = compile_regex(r"\b((?:19|20)\d{2})[a-z]?\b")
_APA = compile_regex(
    r"^(?P<authors>.{1,2000}?)\s*\((?:19|20)\d{2}[^()]{0,40}\)\.?\s*(?P<rest>.*)$", re.S
)
_SENTENCE_END = compile_regex(r"(?<=[^A-Z\s][.?!])\s+(?=\S)")
_CONTAINER_END = compile_regex(r"[,;(]|\s\d")
_APA_AUTHOR_SEP = compile_regex(r",\s*(?:&\s*)?(?=[A-Z][\w'’\-]+,)|\s*&\s*|,\s*and\s+")
_ET_AL = compile_regex(r"\s*\bet al\.?$")
_INITIALS = compile_regex(r"[A-Z]{1,4}\.?")
_VANCOUVER_END = compile_regex(r"(?<=[.?!])\s+(?=\S)")
_URLISH_HTTP = compile_regex(r"https?://\S+", re.I)
_URLISH = compile_regex(r"(?:https?://|doi:|\bPMID|\bPMCID|\bPMC\d)\S*", re.I)
_FOOTNOTE_LABEL = compile_regex(r"^\[\^[^\]]*\]:\s*")
_URL_IN_TEXT = compile_regex(r"https?://[^\s<>)\"]+")


@record
class ReferenceList:
    """A document's reference list: its parsed entries and the blocks it occupies."""

    entries: tuple[ReferenceEntry, ...]
    blocks: frozenset[int]  # block indexes that belong to the list (not prose)
    malformed: tuple[Identifier, ...]  # malformed identifiers inside entries


def reference_list(document: Document, own_hosts: frozenset[str]) -> ReferenceList:
    builder = _Builder(own_hosts, document)
    blocks = document.blocks
    footnote_blocks: dict[str, list[Block]] = {}
    introduced = False  # inside a list that a "**References**" paragraph introduced
    # Past the footnote and heading tests below, in_reference_section depends only on
    # the heading path, which consecutive blocks share: ask once per run of blocks.
    last_path: tuple[str, ...] | None = None
    section = False
    for block in blocks:
        # A block in no container (most of them) is in no footnote or list either.
        contained = bool(block.containers)
        label = block.footnote_label if contained else None
        if label is not None:
            footnote_blocks.setdefault(label, []).append(block)
            builder.reference_blocks.add(block.index)
            continue
        kind = block.kind
        if kind == "heading":
            introduced = False
            builder.close_run()
            continue
        in_list = contained and block.in_list
        title_only = kind == "paragraph" and not in_list
        if title_only and REFERENCE_HEADING.match(block.text.strip().strip("*_:").strip()):
            introduced = True
            builder.reference_blocks.add(block.index)
            builder.close_run()
            continue
        if block.heading_path != last_path:
            last_path, section = block.heading_path, in_reference_section(block)
        listed = section or (introduced and in_list)
        # A list of bibliography-shaped items with no heading is a reference list too.
        unheaded = in_list and not listed and looks_like_reference(block.scan)
        if not (listed or unheaded):
            introduced = introduced and in_list
            builder.close_run()
            continue
        builder.reference_blocks.add(block.index)
        builder.add_block(block)
    builder.close_run()
    body = document.source.body
    for definition in document.markdown.footnote_definitions:
        builder.add_footnote(definition.label, definition.span, footnote_blocks, body, document)
    for ref in document.markdown.references:
        builder.add_definition(ref.label, ref.href, ref.title, ref.line, document)
    return ReferenceList(
        tuple(builder.entries), frozenset(builder.reference_blocks), tuple(builder.malformed)
    )


class _Builder:
    def __init__(self, own_hosts: frozenset[str], document: Document) -> None:
        self.own_hosts = own_hosts
        self.source = document.source
        self.entries: list[ReferenceEntry] = []
        self.reference_blocks: set[int] = set()
        self.malformed: list[Identifier] = []
        self.last_number: int | None = None  # previous numbered entry of the current list

    def close_run(self) -> None:
        self.last_number = None

    def add_block(self, block: Block) -> None:
        if block.in_list:
            if not block.list_item_first and self.entries:
                self._extend_last(block)
                return
            text = block.text
            number, skip = _leading_number(text)
            if number is None and block.list_marker is not None and block.list_marker.isdigit():
                written = int(block.list_marker)
                # Lazy numbering ("1. 1. 1.") renders as 1, 2, 3: follow the rendering.
                last = self.last_number
                number = written if last is None or written > last else last + 1
            form = "numbered" if number is not None else "bulleted"
            self._add(block, skip, len(text), form, number)
            if number is not None:
                self.last_number = number
            return
        # A plain paragraph: one entry per line that looks like a reference.
        position = 0
        for line in block.text.split("\n"):
            start, end = position, position + len(line)
            position = end + 1
            if not line.strip() or not (_YEAR.search(line) or _URLISH.search(line)):
                continue
            number, skip = _leading_number(line)
            self._add(block, start + skip, end, "numbered" if number else "paragraph", number)

    def _add(self, block: Block, start: int, end: int, form: str, number: int | None) -> None:
        located = identifiers_in(block, start, end)
        identifiers = tuple(item.identifier for item in located)
        text = block.text[start:end].strip()
        span = block.source_span(start, end)
        self._append(form, number, str(number) if number is not None else "", text, span,
                     self.source.line_column(span.start)[0], identifiers)  # fmt: skip

    def _extend_last(self, block: Block) -> None:
        """A later paragraph of the same list item: its identifiers join the entry."""
        last = self.entries[-1]
        extra = tuple(item.identifier for item in identifiers_in(block))
        self.entries[-1] = _entry(
            last.index, last.form, last.number, last.label, last.text, last.span, last.line,
            (*last.identifiers, *extra), self.own_hosts,
        )  # fmt: skip
        self.malformed.extend(i for i in extra if i.key is None)

    def add_footnote(
        self,
        label: str,
        span: Span,
        blocks: dict[str, list[Block]],
        body: str,
        document: Document,
    ) -> None:
        line = document.source.line_column(span.start)[0]
        parts = blocks.get(label)
        if parts:
            identifiers = tuple(item.identifier for b in parts for item in identifiers_in(b))
            text = " ".join(b.text for b in parts)
        else:
            # Unreferenced: the footnote plugin dropped its tokens, so read its own lines.
            text = body[span.start : span.end].strip()
            text = _FOOTNOTE_LABEL.sub("", text)
            identifiers = _identifiers_in_raw(text, span)
        self._append("footnote", None, label, text, span, line, identifiers)

    def add_definition(
        self, label: str, href: str, title: str, line: int | None, document: Document
    ) -> None:
        source = document.source
        row = line or 1
        start = source.line_starts[row - 1]
        span = Span(start, start + len(source.line_text(row)))
        keys = keys_for_url(href)
        identifiers: tuple[Identifier, ...] = ()
        if keys:
            key = next((k for k in sorted(keys) if not k.startswith("url:")), min(keys))
            identifiers = (Identifier(key.partition(":")[0], href, key, span),)
        elif DOI_URL.match(href):
            identifiers = (Identifier("doi", href, None, span),)
        text = f"{title} {href}".strip()
        # A relative link definition still has a class: the site's own page.
        source_class = None if keys else classify_href(href, (), self.own_hosts)
        self._append("definition", None, label, text, span, row, identifiers, source_class)

    def _append(
        self,
        form: str,
        number: int | None,
        label: str,
        text: str,
        span: Span,
        line: int,
        identifiers: tuple[Identifier, ...],
        source_class: str | None = None,
    ) -> None:
        self.malformed.extend(i for i in identifiers if i.key is None)
        entry = _entry(len(self.entries), form, number, label, text, span, line, identifiers,
                       self.own_hosts, source_class)  # fmt: skip
        self.entries.append(entry)


def _entry(
    index: int,
    form: str,
    number: int | None,
    label: str,
    text: str,
    span: Span,
    line: int,
    identifiers: Sequence[Identifier],
    own_hosts: frozenset[str],
    source_class: str | None = None,  # known by the caller: not derived from the parts
) -> ReferenceEntry:
    keys: set[str] = set()
    for ident in identifiers:
        if ident.key is None:
            continue
        keys.add(ident.key)
        if ident.kind != "url" and ident.text.lower().startswith(("http://", "https://")):
            keys.update(keys_for_url(ident.text))
    authors, year, title, container = parse_entry_text(text)
    if source_class is None:
        source_class = _entry_class(keys, identifiers, authors, year, own_hosts)
    return ReferenceEntry(
        index=index,
        form=form,
        number=number,
        label=label,
        text=text,
        span=span,
        line=line,
        authors=authors,
        first_author=fold(_surname(authors[0])) if authors else "",
        year=year,
        title=title,
        container=container,
        identifiers=tuple(identifiers),
        keys=frozenset(keys),
        source_class=source_class,
    )


def _entry_class(
    keys: Iterable[str],
    identifiers: Sequence[Identifier],
    authors: tuple[str, ...],
    year: str,
    own_hosts: frozenset[str],
) -> str:
    keys = list(keys)
    if any(k.startswith(("doi:", "pmid:", "pmcid:")) for k in keys):
        return "scholarly"
    urls = [i.text for i in identifiers if i.kind == "url" and i.key]
    if urls:
        classes = [classify_href(url, keys, own_hosts) for url in urls]
        for wanted in ("scholarly", "authority", "other", "self"):
            if wanted in classes:
                return wanted
    # An author-year-title record with no link is a bibliographic citation of a work.
    if authors and year:
        return "scholarly"
    return classify_keys(keys, None)


def parse_entry_text(text: str) -> tuple[tuple[str, ...], str, str, str]:
    """(authors, year, title, container) of a reference written in APA or Vancouver style."""
    clean = _URLISH.sub("", text).strip()
    if not clean:  # a bare URL, as link definitions mostly are: no parts to read
        return (), "", "", ""
    year_match = _YEAR_IN_PARENS.search(clean) or _YEAR.search(clean)
    year = year_match.group(1) if year_match else ""
    apa = _APA.match(clean)
    if apa:
        authors_text, rest = apa.group("authors"), apa.group("rest")
        authors = _split_apa_authors(authors_text)
        pieces = _SENTENCE_END.split(rest, maxsplit=2)
    else:
        # Vancouver: "Doe J, Lee KL. Title. Journal. 2020" – initials end the authors.
        pieces = _VANCOUVER_END.split(clean, maxsplit=3)
        authors = _split_vancouver_authors(pieces[0]) if len(pieces) > 1 else ()
        pieces = pieces[1:] if authors else pieces
    title = pieces[0].strip().rstrip(".") if pieces else ""
    container = ""
    if len(pieces) > 1:
        container = _CONTAINER_END.split(pieces[1], maxsplit=1)[0].strip().rstrip(".")
    return authors, year, title, container


def _split_apa_authors(text: str) -> tuple[str, ...]:
    # "Alessio, N., Brigida, A. L., & Siniscalco, D." -> surnames with initials.
    parts = _APA_AUTHOR_SEP.split(text)
    return tuple(p.strip().rstrip(",.") for p in parts if p.strip().rstrip(",."))


def _split_vancouver_authors(text: str) -> tuple[str, ...]:
    # "Doe J, Smith KL, et al" -> ("Doe J", "Smith KL"); refuses prose-like first pieces.
    names = (_ET_AL.sub("", p.strip()).rstrip(". ") for p in text.split(","))
    parts = [name for name in names if name]
    if not parts or len(parts[0].split()) > 4 or not parts[0][:1].isupper():
        return ()
    return tuple(parts)


def _surname(author: str) -> str:
    name = author.split(",")[0].strip()
    words = name.split()
    if not words:
        return ""
    # Vancouver "Doe J" keeps initials after the surname; APA "Doe" is just the surname.
    if len(words) > 1 and _INITIALS.fullmatch(words[-1]):
        return " ".join(words[:-1])
    return name


def _leading_number(text: str) -> tuple[int | None, int]:
    match = _LEADING_NUMBER.match(text)
    if match is None:
        return None, 0
    return int(match.group(1) or match.group(2)), match.end()


def _identifiers_in_raw(text: str, span: Span) -> tuple[Identifier, ...]:
    """Identifiers of an unreferenced footnote, located at its definition's lines."""
    found: list[Identifier] = []
    for match in _URL_IN_TEXT.finditer(text):
        for key in sorted(keys_for_url(match.group(0))):
            found.append(Identifier(key.partition(":")[0], match.group(0), key, span))
    for _, doi in extract_dois(_URLISH_HTTP.sub("", text)):
        found.append(Identifier("doi", doi, f"doi:{doi}", span))
    return tuple(found)
