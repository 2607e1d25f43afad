"""Does the page say when it was written, updated or reviewed (JAMA currency)?

Accepts any one of: a date-valued front-matter field, a visible byline or review
line with a date, or a date in the file path.  A year in the prose ("approved in
2017"), an event date or a copyright footer is not the page's date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

from evlint.doclevel.page import Page
from evlint.prefilter import texts_matching
from evlint.regex_cache import compile_regex

# Front-matter keys, compared after dropping case, "_" and "-".
DATE_KEYS = frozenset(
    {
        "date",
        "dated",
        "published",
        "publishdate",
        "publisheddate",
        "publishedat",
        "publishedon",
        "datepublished",
        "pubdate",
        "created",
        "createdat",
        "datecreated",
        "updated",
        "updatedat",
        "dateupdated",
        "lastupdated",
        "lastupdate",
        "lastmod",
        "lastmodified",
        "modified",
        "datemodified",
        "modifieddate",
        "reviewed",
        "lastreviewed",
        "reviewdate",
        "reviewedon",
        "datereviewed",
        "medicallyreviewed",
        "revised",
        "lastrevised",
    }
)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?:19|20)\d{2}"
DATE = compile_regex(
    rf"\b(?:{_YEAR}-\d{{1,2}}-\d{{1,2}}"
    rf"|\d{{1,2}}[/.]\d{{1,2}}[/.](?:{_YEAR}|\d{{2}})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR}"
    rf"|{_MONTH},?\s+{_YEAR})\b",
    re.I,
)
_FULL_DATE = compile_regex(
    rf"\b(?:{_YEAR}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}\s+{_MONTH}\s+{_YEAR}"
    rf"|{_MONTH}\s+\d{{1,2}},?\s+{_YEAR})\b",
    re.I,
)
# A cue, then the date within a few words: "Last reviewed: 2023-05-01",
# "Posted on 5 June 2023 by …", "Updated March 2024".
_CUE = compile_regex(
    r"\b(?:published|posted|updated|reviewed|revised|modified|written|dated|issued|"
    r"created|last\s+edited|date\s+(?:published|posted|of\s+publication))\b"
    r"(?:\s+(?:on|in|at|as\s+of))?[\s:,.\-–—|·]*(?:\S+\s+){0,2}?$"
    r"|^\s*date\s*:\s*$",
    re.I,
)
_PATH_DATE = compile_regex(rf"(?:^|/)(?:{_YEAR}-\d{{2}}-\d{{2}}[-_]|{_YEAR}/\d{{2}}/)")
_NOT_ALNUM = compile_regex(r"[\W_]+")
_BYLINE_LINES = 12  # a bare date near the top, beside the title, is a byline


def date_evidence(page: Page) -> str | None:
    """A short description of where the page's date is, or None."""
    for key, value in _front_items(page.front_matter):
        if key in DATE_KEYS and _is_date(value):
            return f"front matter '{key}'"
    if _PATH_DATE.search(page.path.replace("\\", "/")):
        return "file path"
    # One pass over the page marks the lines that may hold a date; most hold none.
    dated = texts_matching(DATE, [line.text for line in page.lines])
    for index, line in enumerate(page.lines):
        if line.quoted or not dated[index]:
            continue
        for match in DATE.finditer(line.text):
            if _CUE.search(line.text[: match.start()]):
                return f"line {line.number}"
            if (
                index < _BYLINE_LINES
                and not line.heading_level
                and len(line.text) < 100
                and _FULL_DATE.match(match.group(0))
            ):
                return f"line {line.number}"
    return None


def _front_items(data: Mapping[str, Any], depth: int = 0) -> Iterator[tuple[str, Any]]:
    for key, value in data.items():
        name = _NOT_ALNUM.sub("", str(key)).lower()
        yield name, value
        if isinstance(value, Mapping) and depth < 2:
            yield from _front_items(value, depth + 1)


def _is_date(value: Any) -> bool:
    if isinstance(value, dt.date):  # datetime is a date
        return True
    if isinstance(value, Mapping):  # Docusaurus last_update: {date: …}
        return any(_is_date(v) for v in value.values())
    if isinstance(value, list):
        return any(_is_date(v) for v in value)
    if isinstance(value, str):
        return bool(DATE.search(value) or re.search(rf"\b{_YEAR}\b", value))
    return False
