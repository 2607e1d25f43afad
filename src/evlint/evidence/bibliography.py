"""Reference metadata from BibTeX (``.bib``) and CSL-JSON (``.json``) bibliographies.

These give title, year, authors and identifiers only: ``design == "unknown"``, level 0,
no statements.  They let citation checks resolve a reference and know it exists without
claiming to know what it found.
"""

from __future__ import annotations

import json
import re
import unicodedata

from evlint.evidence.keys import keys_for_url, make_key
from evlint.evidence.model import Evidence, EvidenceError, LoadResult
from evlint.regex_cache import compile_regex

_ENTRY_START_RE = compile_regex(r"@\s*([A-Za-z]+)\s*([{(])")
_FIELD_NAME_RE = compile_regex(r"\s*([A-Za-z][\w:-]*)\s*=\s*")
_SKIPPED_TYPES = frozenset({"comment", "preamble"})
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: str(number) for number, name in enumerate(_MONTH_NAMES, start=1)}
# LaTeX accent commands -> Unicode combining marks, for names like M{\"u}ller.
_ACCENTS = {"'": "\u0301", "`": "\u0300", '"': "\u0308", "^": "\u0302", "~": "\u0303",
            "c": "\u0327", "v": "\u030c", "=": "\u0304", ".": "\u0307", "u": "\u0306",
            "H": "\u030b", "k": "\u0328"}  # fmt: skip
_ACCENT_RE = compile_regex(r"\\([`'\"^~=.]|[cvuHk](?=[\s{]))\s*\{?\s*(\\?[A-Za-z])\s*\}?")


class _BibSyntaxError(Exception):
    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


def parse_bibtex(text: str, path: str, *, builtin: bool = False) -> LoadResult:
    """Entries of a BibTeX file; a malformed entry is reported and the rest still load."""
    text = text.replace("\r\n", "\n").removeprefix("\ufeff")
    strings: dict[str, str] = dict(_MONTHS)
    evidence: list[Evidence] = []
    errors: list[EvidenceError] = []
    seen: dict[str, int] = {}
    position = 0
    while match := _ENTRY_START_RE.search(text, position):
        line = text.count("\n", 0, match.start()) + 1
        kind = match.group(1).lower()
        closer = "}" if match.group(2) == "{" else ")"
        try:
            end = _matching(text, match.end() - 1, match.group(2), closer)
        except _BibSyntaxError as exc:
            errors.append(EvidenceError(path, line, f"unterminated @{kind} entry: {exc.message}"))
            position = match.end()
            continue
        body = text[match.end() : end]
        position = end + 1
        if kind in _SKIPPED_TYPES:
            continue
        try:
            if kind == "string":
                strings.update(_fields(body, strings, string_entry=True)[1])
                continue
            key, fields = _fields(body, strings)
        except _BibSyntaxError as exc:
            offset_line = line + body.count("\n", 0, exc.offset)
            errors.append(EvidenceError(path, offset_line, exc.message))
            continue
        if key in seen:
            errors.append(
                EvidenceError(
                    path, line, f"duplicate BibTeX key {key!r} (first at line {seen[key]})"
                )
            )
            continue
        seen[key] = line
        try:
            evidence.append(_bib_evidence(key, fields, path, line, builtin))
        except EvidenceError as exc:
            errors.append(exc)
    return LoadResult(tuple(evidence), tuple(errors))


def _matching(text: str, start: int, opener: str, closer: str) -> int:
    """Offset of the delimiter closing the one at ``start``; braces nest, quotes do not."""
    depth = 0
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2  # an escaped brace such as \{ does not nest
            continue
        if char in (opener, "{"):
            depth += 1
        elif char in (closer, "}"):
            depth -= 1
            if depth == 0:
                return index
        index += 1
    raise _BibSyntaxError(start, "missing closing " + repr(closer))


def _fields(
    body: str, strings: dict[str, str], *, string_entry: bool = False
) -> tuple[str, dict[str, str]]:
    key = ""
    position = 0
    if not string_entry:
        comma = body.find(",")
        key = (body if comma < 0 else body[:comma]).strip()
        if not key or any(c.isspace() for c in key):
            raise _BibSyntaxError(0, f"missing or malformed citation key {key!r}")
        if comma < 0:
            return key, {}
        position = comma + 1
    fields: dict[str, str] = {}
    while position < len(body):
        if not body[position:].strip(" \t\n,"):
            break
        match = _FIELD_NAME_RE.match(body, position)
        if match is None:
            snippet = body[position:].strip()[:20]
            raise _BibSyntaxError(position, f"expected 'field = value' near {snippet!r}")
        name = match.group(1).lower()
        value, position = _value(body, match.end(), strings)
        fields[name] = value
        while position < len(body) and body[position] in " \t\n":
            position += 1
        if position < len(body) and body[position] == ",":
            position += 1
        elif body[position:].strip():
            raise _BibSyntaxError(position, f"missing ',' after field {name!r}")
    return key, fields


def _value(body: str, position: int, strings: dict[str, str]) -> tuple[str, int]:
    """A field value: ``{…}``, ``"…"``, a number or a @string name, joined with ``#``."""
    parts: list[str] = []
    while True:
        while position < len(body) and body[position].isspace():
            position += 1
        if position >= len(body):
            raise _BibSyntaxError(position, "missing field value")
        char = body[position]
        if char == "{":
            end = _matching(body, position, "{", "}")
            parts.append(body[position + 1 : end])
            position = end + 1
        elif char == '"':
            end = position + 1
            depth = 0
            while end < len(body) and not (body[end] == '"' and depth == 0):
                depth += {"{": 1, "}": -1}.get(body[end], 0)
                end += 1
            if end >= len(body):
                raise _BibSyntaxError(position, "unterminated quoted value")
            parts.append(body[position + 1 : end])
            position = end + 1
        else:
            word = re.match(r"[\w.:/-]+", body[position:])
            if word is None:
                raise _BibSyntaxError(position, f"unexpected {char!r} in field value")
            token = word.group(0)
            parts.append(strings.get(token.lower(), token))
            position += len(token)
        rest = body[position:]
        stripped = rest.lstrip()
        if stripped.startswith("#"):
            position += len(rest) - len(stripped) + 1
            continue
        return "".join(parts), position


def latex_to_text(value: str) -> str:
    """``{M{\\"u}ller}`` -> ``Müller``: accents resolved, braces and spacing cleaned."""
    text = _ACCENT_RE.sub(
        lambda m: unicodedata.normalize("NFC", m.group(2).lstrip("\\") + _ACCENTS[m.group(1)]),
        value,
    )
    text = re.sub(r"\\(?:textit|textbf|emph|textsc|mathrm)\s*", "", text)
    text = text.replace("\\&", "&").replace("\\%", "%").replace("\\_", "_").replace("~", " ")
    text = text.replace("--", "–").replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", text).strip()


def _authors(value: str) -> tuple[str, ...]:
    names = re.split(r"\s+and\s+", value.strip())
    out = []
    for name in names:
        clean = latex_to_text(name)
        if clean.lower() == "others":
            continue
        if "," in clean:  # "Last, First" -> "First Last"
            last, _, first = clean.partition(",")
            clean = f"{first.strip()} {last.strip()}".strip()
        if clean:
            out.append(clean)
    return tuple(out)


def _identifier_keys(fields: dict[str, str], path: str, line: int) -> set[str]:
    keys: set[str] = set()
    for kind in ("doi", "pmid", "pmcid"):
        if kind in fields and fields[kind].strip():
            key = make_key(kind, latex_to_text(fields[kind]))
            if key is None:
                raise EvidenceError(path, line, f"malformed {kind.upper()} {fields[kind]!r}")
            keys.add(key)
    url = fields.get("url", "").strip()
    if url:
        keys |= keys_for_url(url)
    return keys


def _year(value: str | None) -> int | None:
    if not value:
        return None
    match = re.search(r"\b(1[5-9]\d{2}|2\d{3})\b", value)
    return int(match.group(1)) if match else None


def _bib_evidence(
    key: str, fields: dict[str, str], path: str, line: int, builtin: bool
) -> Evidence:
    journal = fields.get("journal") or fields.get("booktitle") or fields.get("publisher")
    return Evidence(
        id=key,
        keys=frozenset(_identifier_keys(fields, path, line)),
        title=latex_to_text(fields.get("title", key)),
        path=path,
        line=line,
        origin="bibtex",
        year=_year(fields.get("year") or fields.get("date")),
        authors=_authors(fields.get("author", "")) if fields.get("author") else (),
        journal=latex_to_text(journal) if journal else None,
        url=fields.get("url") or None,
        builtin=builtin,
    )


# --- CSL-JSON ---------------------------------------------------------------------------


def parse_csl_json(text: str, path: str, *, builtin: bool = False) -> LoadResult:
    """A CSL-JSON array (or one item); each item keeps the line of its opening brace."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return LoadResult(errors=(EvidenceError(path, exc.lineno, f"invalid JSON: {exc.msg}"),))
    items = data if isinstance(data, list) else [data]
    lines = _item_lines(text, len(items)) if isinstance(data, list) else [1]
    evidence: list[Evidence] = []
    errors: list[EvidenceError] = []
    for index, item in enumerate(items):
        line = lines[index] if index < len(lines) else 1
        try:
            evidence.append(_csl_evidence(item, index, path, line, builtin))
        except EvidenceError as exc:
            errors.append(exc)
    return LoadResult(tuple(evidence), tuple(errors))


def _item_lines(text: str, count: int) -> list[int]:
    """The line on which each top-level array element starts."""
    decoder = json.JSONDecoder()
    position = text.index("[") + 1
    lines = []
    for _ in range(count):
        while text[position] in " \t\r\n,":
            position += 1
        lines.append(text.count("\n", 0, position) + 1)
        _, position = decoder.raw_decode(text, position)
    return lines


def _csl_evidence(item: object, index: int, path: str, line: int, builtin: bool) -> Evidence:
    if not isinstance(item, dict):
        raise EvidenceError(path, line, f"CSL item {index + 1} must be an object")
    item_id = item.get("id")
    if not isinstance(item_id, str | int) or isinstance(item_id, bool) or item_id == "":
        raise EvidenceError(path, line, f"CSL item {index + 1} has no 'id'")
    keys: set[str] = set()
    for field, kind in (("DOI", "doi"), ("PMID", "pmid"), ("PMCID", "pmcid")):
        value = item.get(field)
        if value in (None, ""):
            continue
        key = make_key(kind, str(value))
        if key is None:
            raise EvidenceError(path, line, f"malformed {field} {value!r} in CSL item {item_id!r}")
        keys.add(key)
    url = item.get("URL")
    if isinstance(url, str) and url:
        keys |= keys_for_url(url)
    title = item.get("title")
    journal = item.get("container-title")
    return Evidence(
        id=str(item_id),
        keys=frozenset(keys),
        title=title if isinstance(title, str) and title else str(item_id),
        path=path,
        line=line,
        origin="csl-json",
        year=_csl_year(item.get("issued")),
        authors=_csl_authors(item.get("author")),
        journal=journal if isinstance(journal, str) and journal else None,
        url=url if isinstance(url, str) and url else None,
        builtin=builtin,
    )


def _csl_year(issued: object) -> int | None:
    if not isinstance(issued, dict):
        return None
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        try:
            return int(parts[0][0])
        except (TypeError, ValueError):
            return None
    for field in ("raw", "literal"):
        value = issued.get(field)
        if isinstance(value, str):
            return _year(value)
    return None


def _csl_authors(authors: object) -> tuple[str, ...]:
    if not isinstance(authors, list):
        return ()
    out = []
    for author in authors:
        if not isinstance(author, dict):
            continue
        literal = author.get("literal")
        if isinstance(literal, str) and literal:
            out.append(literal)
            continue
        given, family = author.get("given", ""), author.get("family", "")
        name = (
            f"{given} {family}".strip()
            if isinstance(given, str) and isinstance(family, str)
            else ""
        )
        if name:
            out.append(name)
    return tuple(out)
