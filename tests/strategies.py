"""Hypothesis strategies for Markdown health pages (shared by tests and the fuzz target).

A document is built as a list of top-level blocks joined by blank lines, so tests
know where each block starts; every block kind evlint treats specially is here:
front matter, headings, claims, citations, links, footnotes, tables, code, HTML,
nested lists and quotes, and Unicode that is awkward for offsets.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

WORDS = [
    "Exosomes", "cure", "cancer", "may", "reduce", "inflammation", "in", "mice", "studies",
    "show", "is", "completely", "safe", "proven", "miracle", "treatment", "patients",
    "trial", "randomised", "vitamin", "D", "prevents", "COVID-19", "risk", "side", "effects",
    "FDA", "approved", "doctors", "recommend", "the", "a", "of", "and", "with", "100%",
    "breakthrough", "stem", "cells", "heal", "arthritis", "according", "to", "research",
]  # fmt: skip
AWKWARD = [
    "é", "e\u0301", "ß", "İ", "😀", "👩‍⚕️", "中文", "עברית", "\u200b", "\u00a0", "\t",
    "&amp;", "&#x1F600;", "\\*", "\\|", "~~x~~", "<br>", "**", "_", "`", "[", "]", "(", ")",
]  # fmt: skip
CITATIONS = ["[1]", "[2, 3]", "(Smith et al., 2020)", "[^1]", "[^note]", "[@key2021]", "¹"]


@dataclass(frozen=True, slots=True)
class Doc:
    text: str
    block_lines: tuple[int, ...]  # 1-based first line of each plain top-level block


word = st.sampled_from(WORDS)
fragment = st.one_of(
    word,
    word,
    word,
    st.sampled_from(AWKWARD),
    st.sampled_from(CITATIONS),
    word.map(lambda w: f"**{w}**"),
    word.map(lambda w: f"*{w}*"),
    word.map(lambda w: f"`{w}`"),
    word.map(lambda w: f"[{w}](https://example.org/{w}?q=1)"),
    word.map(lambda w: f"<https://doi.org/10.1000/{w}>"),
    word.map(lambda w: f"<span>{w}</span>"),
    # No control characters or line/paragraph separators inside a fragment: blocks
    # must stay on the lines the generator counted.  The "raw" block has everything.
    st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=6),
)


@st.composite
def sentence(draw: st.DrawFn) -> str:
    parts = draw(st.lists(fragment, min_size=1, max_size=12))
    end = draw(st.sampled_from([".", ".", "!", "?", "", ";", "…"]))
    return " ".join(parts) + end


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    sentences = draw(st.lists(sentence(), min_size=1, max_size=4))
    joiner = draw(st.sampled_from([" ", "\n", "  \n"]))
    return joiner.join(s.replace("\n", " ") for s in sentences)


@st.composite
def nested(draw: st.DrawFn) -> str:
    depth = draw(st.integers(1, 8))
    marker = draw(st.sampled_from(["- ", "* ", "1. ", "> ", "> - "]))
    lines = []
    for level in range(depth):
        indent = "  " * level if marker[0] != ">" else ""
        prefix = marker * (level + 1) if marker[0] == ">" else indent + marker
        lines.append(prefix + draw(sentence()).replace("\n", " "))
    return "\n".join(lines)


@st.composite
def table(draw: st.DrawFn) -> str:
    columns = draw(st.integers(1, 4))
    rows = draw(st.integers(1, 4))

    def cell() -> str:
        return draw(sentence()).replace("|", "\\|").replace("\n", " ")

    head = "| " + " | ".join(cell() for _ in range(columns)) + " |"
    rule = "|" + "---|" * columns
    body = ["| " + " | ".join(cell() for _ in range(columns)) + " |" for _ in range(rows)]
    return "\n".join([head, rule, *body])


def _code(text: str) -> str:
    return "```python\n" + text.replace("```", "'''") + "\n```"


def blocks(raw: bool) -> st.SearchStrategy[tuple[str, str]]:
    choices = [_BLOCK]
    if raw:
        choices.append(st.text(max_size=40).map(lambda t: ("raw", t)))
    return st.one_of(*choices)


_BLOCK = st.one_of(
    paragraph().map(lambda p: ("plain", p)),
    paragraph().map(lambda p: ("plain", p)),
    sentence().map(lambda s: ("plain", "#" * 2 + " " + s.replace("\n", " "))),
    nested().map(lambda n: ("nested", n)),
    table().map(lambda t: ("table", t)),
    sentence().map(lambda s: ("code", _code(s))),
    sentence().map(lambda s: ("html", "<div>\n" + s + "\n</div>")),
    sentence().map(lambda s: ("footnote", "[^1]: " + s.replace("\n", " "))),
    sentence().map(lambda s: ("footnote", "[^note]: " + s.replace("\n", " "))),
    st.just(("plain", "## References")),
    sentence().map(lambda s: ("reference", "1. Smith J. " + s + " doi:10.1000/xyz")),
    st.just(("plain", "<!-- a comment -->")),
)

front_matter = st.one_of(
    st.just(""),
    st.just("---\ntitle: A page\ndate: 2024-05-01\nauthor: A. Writer\n---\n"),
    st.just("+++\ntitle = 'A page'\ndate = 2024-05-01\n+++\n"),
    st.just('{\n  "title": "A page"\n}\n'),
    st.just("---\ntitle: [unclosed\n---\n"),
    st.just("---\ntitle: x\n"),
    st.text(max_size=30).map(lambda t: f"---\ntitle: {t!r}\n---\n"),
)


@st.composite
def documents(draw: st.DrawFn, raw: bool = True) -> Doc:
    head = draw(front_matter if raw else st.sampled_from(["", "---\ntitle: A page\n---\n"]))
    parts = draw(st.lists(blocks(raw), min_size=0, max_size=8))
    text = head
    line = head.count("\n") + 1
    plain_lines: list[int] = []
    for index, (kind, body) in enumerate(parts):
        if index:
            text += "\n\n"
            line += 2
        if kind == "plain":
            plain_lines.append(line)
        text += body
        line += body.count("\n")
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    ending = draw(st.sampled_from(["\n", ""]))
    return Doc((text + ending).replace("\n", newline), tuple(plain_lines))
