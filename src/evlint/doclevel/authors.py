"""Does the page name who wrote or reviewed it (JAMA authorship)?

A person or a responsible institution counts: front-matter author fields, bylines,
reviewer lines, a writer introducing themselves with a role, an "About the author"
section, an issuing department.  CMS placeholders (``author: admin``), the seller's
generic "team" and people merely mentioned in the text do not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from evlint.doclevel.page import Line, Page
from evlint.regex_cache import compile_regex

# Front-matter keys, compared after dropping case, "_" and "-".
AUTHOR_KEYS = frozenset(
    {
        "author",
        "authors",
        "authorname",
        "byline",
        "by",
        "writer",
        "writers",
        "writtenby",
        "creator",
        "creators",
        "contributor",
        "contributors",
        "reviewer",
        "reviewers",
        "reviewedby",
        "medicallyreviewedby",
        "medicalreviewer",
        "factcheckedby",
        "expert",
        "publisher",
        "organization",
        "organisation",
    }
)
PLACEHOLDERS = frozenset(
    {
        "admin",
        "administrator",
        "root",
        "user",
        "editor",
        "webmaster",
        "staff",
        "team",
        "our team",
        "the team",
        "anonymous",
        "unknown",
        "author",
        "default",
        "guest",
        "test",
        "none",
        "null",
        "tbd",
        "todo",
        "n/a",
    }
)
# A department, agency or other accountable body, as opposed to a sales "team".
INSTITUTION = compile_regex(
    r"\b(?:department|dept|agency|ministry|council|authority|service|nhs|trust|"
    r"university|college|hospital|institute|centre|center|society|association|"
    r"foundation|board|commission|division|unit|programme|program|office|"
    r"federation|academy|school|government|county|state|city)\b",
    re.I,
)
_GENERIC_TEAM = compile_regex(r"^(?:the\s+|our\s+)?(?:[\w&'.-]+\s+){0,3}(?:team|staff|crew)$", re.I)

_NAME = r"(?:(?:Dr|Prof|Professor|Mr|Mrs|Ms|Mx|Nurse)\.?\s+)?[A-Z][\w'.-]+"
# "By Dr. Jane Doe", "Written by Jane", "Medically reviewed by …", "Posted … by Jen".
_BYLINE_START = compile_regex(rf"^\W*(?i:by|authors?|written by|words by)\s*:?\s+({_NAME})")
# Only at the start of a line or after a separator: in running prose ("a study
# published in JAMA by Smith") "by" names someone else.
_BYLINE_ANY = compile_regex(
    r"(?:^|[|·•—–]\s*)\W*(?i:(?:(?:medically|clinically|last|originally|peer)\s+)?"
    r"(?:written|posted|authored|reviewed|fact[- ]checked|edited|compiled|prepared|"
    r"issued|published|produced)\s+(?:\S+\s+){0,6}?by\s*:?\s+(?:the\s+)?)"
    rf"({_NAME}(?:\s+(?:of\s+|for\s+|and\s+)?[A-Z][\w'.-]+)*)"
)
_TEAM_AFTER = compile_regex(r"^\s+(?:team|staff|crew|editors)\b", re.I)
_SELF_INTRO = compile_regex(
    r"\b(?:I'm|I am|my name is)\s+([A-Z][a-z]+)(?:\s+[A-Z][a-z]+)?\s*(?:[,—–-]|and I'm|and I am)"
    r"\s*(?:a|an|the|your)?\s*(?:[\w-]+\s+){0,3}?"
    r"(?:coach|nurse|doctor|physician|GP|dietitian|dietician|nutritionist|pharmacist|"
    r"therapist|psychologist|trainer|writer|journalist|editor|scientist|researcher|"
    r"midwife|dentist|surgeon|practitioner|acupuncturist|naturopath|chiropractor|"
    r"physiotherapist|herbalist|founder|blogger|mom|mum|mama|patient|student|MD|RD|RN)\b"
)
_ABOUT_AUTHOR = compile_regex(
    r"^(?:about\s+(?:the\s+)?(?:author|writer|reviewer|contributors?)s?|author\s+bio|"
    r"meet\s+the\s+author)\b",
    re.I,
)
_NOT_ALNUM = compile_regex(r"[\W_]+")
_NOT_A_NAME = frozenset(
    {"our", "the", "a", "an", "your", "this", "these", "us", "we", "them", "my", "their"}
)
_TOP_LINES = 15


def author_evidence(page: Page) -> str | None:
    """A short description of where the page's author or reviewer is named, or None."""
    for key, value in _front_items(page.front_matter):
        if key in AUTHOR_KEYS and _names_someone(value):
            return f"front matter '{key}'"
    for index, line in enumerate(page.lines):
        if line.quoted:
            continue
        if line.heading_level and _ABOUT_AUTHOR.match(line.text):
            return f"line {line.number}"
        if _byline(line) or (index < _TOP_LINES and _SELF_INTRO.search(line.text)):
            return f"line {line.number}"
    return None


def _byline(line: Line) -> bool:
    text = line.text
    match = _BYLINE_START.match(text)
    if match and _is_name(match.group(1)):
        return True
    for match in _BYLINE_ANY.finditer(text):
        name = match.group(1)
        if not _is_name(name) or len(text) > 200:
            continue
        generic = _TEAM_AFTER.match(text[match.end() :]) or _GENERIC_TEAM.match(name)
        if generic and not INSTITUTION.search(name):
            continue  # "by the GreenLeaf Wellness team": the seller, not an author
        return True
    return False


def _is_name(name: str) -> bool:
    first = name.split()[0].lower().rstrip(".")
    return first not in _NOT_A_NAME and name.strip().lower() not in PLACEHOLDERS


def _names_someone(value: Any) -> bool:
    if isinstance(value, str):
        text = " ".join(value.split()).strip(" .")
        folded = text.lower()
        if not text or folded in PLACEHOLDERS or len(text) < 2:
            return False
        if _GENERIC_TEAM.match(text) and not INSTITUTION.search(text):
            return False
        return any(ch.isalpha() for ch in text)
    if isinstance(value, Mapping):
        return any(_names_someone(v) for k, v in value.items() if str(k).lower() != "url")
    if isinstance(value, list):
        return any(_names_someone(v) for v in value)
    return False


def _front_items(data: Mapping[str, Any], depth: int = 0) -> Iterator[tuple[str, Any]]:
    for key, value in data.items():
        yield _NOT_ALNUM.sub("", str(key)).lower(), value
        if isinstance(value, Mapping) and depth < 2:
            yield from _front_items(value, depth + 1)
