"""A parsed document: source, Markdown blocks and sentences, built once per file."""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from evlint.markdown import Block, ParsedMarkdown, parse_markdown
from evlint.records import record
from evlint.regex_cache import compile_regex
from evlint.source import Source

if TYPE_CHECKING:
    from evlint.sentences import Sentence

REFERENCE_HEADING = compile_regex(
    r"^\s*(references?|sources?|bibliography|citations?|works cited|literature( cited)?|"
    r"further reading|notes|footnotes|quellen|références)\s*:?\s*$",
    re.IGNORECASE,
)


@record(slots=False)  # not slotted: the sentences are cached on first use
class Document:
    """One file to lint: its source and parsed Markdown, with sentences split on demand."""

    source: Source
    markdown: ParsedMarkdown

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def blocks(self) -> tuple[Block, ...]:
        return self.markdown.blocks

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        """Split on first use: a page that is not about health gets only the citation
        integrity rules, which read blocks, not sentences."""
        from evlint.sentences import sentences_of

        return sentences_of(self.markdown.blocks)


def parse_document(source: Source) -> Document:
    return Document(source, parse_markdown(source))


def in_reference_section(block: Block) -> bool:
    """True for blocks under a References/Sources heading, or footnote definitions."""
    if block.containers and block.footnote_label is not None:
        return True
    if block.kind == "heading":
        return REFERENCE_HEADING.match(block.text) is not None
    return _under_reference_heading(block.heading_path)


# Callers ask once per sentence, and all blocks under one heading share its path.
@lru_cache(maxsize=4096)
def _under_reference_heading(heading_path: tuple[str, ...]) -> bool:
    return any(REFERENCE_HEADING.match(title) for title in heading_path)
