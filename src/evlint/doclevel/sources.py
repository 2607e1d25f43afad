"""Does the page cite at least one identifiable external source (DISCERN Q4)?

One is enough: a DOI, PubMed or PMC id, a link to a journal, agency, guideline or
other outside page, a reference list or footnote that reads like a citation, or an
author-year citation in the text.  Links to the site's own pages, its shop or
booking system and social media, "studies show" and "references available on
request" are not sources.  Whether a source supports its claim is a sentence-level
question, not this one.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from evlint.doclevel.page import Chunk, Page
from evlint.regex_cache import compile_regex

_WEB_URL = compile_regex(r"(?i)https?://")
_DOI = compile_regex(r"\b10\.\d{4,9}/[^\s\"<>]+")
_IDS = compile_regex(
    r"\b(?:PMID|PMCID|PubMed\s+ID)\s*:?\s*(?:PMC)?\d{5,}|\bPMC\d{5,}\b|\barXiv:\d{4}\.", re.I
)
# Hosts whose pages are never a source: commerce, booking, social, link shorteners.
_NOT_SOURCE_HOST = compile_regex(
    r"(?:^|\.)(?:amazon|amzn|etsy|ebay|shopify|myshopify|gumroad|paypal|stripe|"
    r"calendly|acuityscheduling|squareup|vagaro|mindbodyonline|zocdoc|janeapp|"
    r"facebook|fb|instagram|twitter|x|tiktok|pinterest|linkedin|youtube|youtu|"
    r"wa|whatsapp|t|telegram|bit|tinyurl|linktr|linktree|example)\.[a-z.]+$"
    r"|\.(?:example|test|invalid|local|localhost)$"
    r"|^(?:shop|store|book|booking|bookings|buy|checkout|cart|order|app|portal)\.",
    re.I,
)
_NOT_SOURCE_PATH = compile_regex(
    r"/(?:shop|store|products?|cart|checkout|book|booking|bookings|appointments?|"
    r"schedule|contact|pricing|services?|treatments?|specials|offers|membership|"
    r"tags?|categor(?:y|ies)|author|login|signup|subscribe)(?:/|$|\?|#)"
    r"|[?&](?:ref|aff|affiliate|tag|coupon|discount|utm_[a-z]+)=",
    re.I,
)
_REFERENCE_HEADING = compile_regex(
    r"^(?:references?|sources?|bibliography|citations?|works\s+cited|literature|"
    r"further\s+reading|notes|footnotes|evidence|studies|research|learn\s+more|"
    r"read\s+more|reading|more\s+information|resources|useful\s+links|links)\b",
    re.I,
)
_YEAR = compile_regex(r"\b(?:19|20)\d{2}\b")
_CITATION_SHAPE = compile_regex(
    r"\bet\s+al\b|\b\d+\s*\(\d+\)\s*:\s*\d+|;\s*\d+\s*:\s*\d+|\bvol\.|\bpp?\.\s*\d|"
    r"\b(?:journal|lancet|bmj|jama|nejm|cochrane|guideline|guidance|review|report|trial|"
    r"university|press|agency|institute|organi[sz]ation|department|committee|"
    r"society|association|college|nice|who|cdc|fda|nhs|nih)\b",
    re.I,
)
_FOOTNOTE = compile_regex(r"\[\^[^\]]+\]:")
_ON_REQUEST = compile_regex(r"\b(?:available\s+)?(?:on|upon)\s+request\b", re.I)
_AUTHOR_YEAR = compile_regex(
    r"\(\s*[A-Z][\w'-]+(?:\s+(?:et\s+al\.?|and|&)(?:\s+[A-Z][\w'-]+)?)?,?\s+(?:19|20)\d{2}[a-z]?\s*[,;)]"
    r"|\b[A-Z][\w'-]+\s+et\s+al\.?,?\s*\(?(?:19|20)\d{2}\b"
)


def source_evidence(page: Page) -> str | None:
    """A short description of the first source found, or None."""
    for url in page.urls:
        if _is_source_url(url):
            return f"link {url[:80]}"
    text = page.text
    for pattern in (_DOI, _IDS):
        match = pattern.search(text)
        if match:
            return f"identifier {match.group(0)[:60].rstrip('.,;:)]')}"
    for chunk, sentence in page.sentences():
        if not chunk.is_heading and _AUTHOR_YEAR.search(sentence):
            return f"citation on line {chunk.line}"
    for chunk in page.chunks:
        if _in_reference_section(chunk) and _reads_like_citation(chunk.text):
            return f"reference on line {chunk.line}"
    return None


def _is_source_url(url: str) -> bool:
    if not _WEB_URL.match(url):
        return False  # relative: the site's own page
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host or "." not in host:
        return False
    if _NOT_SOURCE_HOST.search(host):
        return False
    return not _NOT_SOURCE_PATH.search(url[len(parts.scheme) + 3 + len(parts.netloc) :])


def _in_reference_section(chunk: Chunk) -> bool:
    if chunk.is_heading:
        return False
    if chunk.text.lower().startswith(("sources:", "references:", "source:", "reference:")):
        return True
    if _FOOTNOTE.match(chunk.text):
        return True
    return bool(chunk.heading and _REFERENCE_HEADING.match(chunk.heading))


def _reads_like_citation(text: str) -> bool:
    if _ON_REQUEST.search(text):
        return False
    return bool(_YEAR.search(text) and _CITATION_SHAPE.search(text) and len(text.split()) >= 4)
