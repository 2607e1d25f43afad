"""Find citation markers in a sentence: links, footnotes, numbers, superscripts.

This is the marker layer only; resolution to reference entries builds on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evlint.markdown import Block
from evlint.sentences import Sentence

NUMBERED = re.compile(r"\[(\d{1,4}(?:\s*[,–\-]\s*\d{1,4})*)\]")
SUPERSCRIPT = re.compile(r"<sup>\s*\[?(\d{1,4}(?:\s*[,–\-]\s*\d{1,4})*)\]?\s*</sup>", re.I)
CARET = re.compile(r"(?<=[\w.,;)\]])\^(\d{1,4})\b")


@dataclass(frozen=True, slots=True)
class Marker:
    style: str  # "link" | "footnote" | "numbered" | "superscript" | "caret"
    label: str  # href, footnote label, or the number list as written
    start: int  # block-text offsets
    end: int


def markers_in_block(block: Block) -> list[Marker]:
    markers: list[Marker] = []
    for link in block.links:
        if not link.image:
            markers.append(Marker("link", link.href, link.start, link.end))
    for ref in block.footnote_refs:
        markers.append(Marker("footnote", ref.label, ref.start, ref.end))
    text = block.text
    for pattern, style in ((NUMBERED, "numbered"), (SUPERSCRIPT, "superscript"), (CARET, "caret")):
        for match in pattern.finditer(text):
            markers.append(Marker(style, match.group(1), match.start(), match.end()))
    markers.sort(key=lambda m: m.start)
    return markers


def markers_in_sentence(sentence: Sentence, block_markers: list[Marker]) -> list[Marker]:
    return [m for m in block_markers if sentence.start <= m.start < sentence.end]
