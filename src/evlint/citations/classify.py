"""Classify a cited source: scholarly, authority, other external, or the site itself.

Identifiers decide first (a DOI, PMID or PMCID is scholarly wherever it is hosted),
then the host: journal and index domains, then government health agencies and
professional bodies.  A relative link, or a link to a host the document says is its
own (front matter ``url``/``baseURL``/``canonical``…), is ``self``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from evlint.evidence.keys import split_plain_url
from evlint.regex_cache import compile_regex

SCHOLARLY_HOSTS = frozenset(
    {
        "doi.org",
        "pubmed.ncbi.nlm.nih.gov",
        "ncbi.nlm.nih.gov",
        "pmc.ncbi.nlm.nih.gov",
        "europepmc.org",
        "cochranelibrary.com",
        "nejm.org",
        "thelancet.com",
        "bmj.com",
        "jamanetwork.com",
        "nature.com",
        "science.org",
        "cell.com",
        "sciencedirect.com",
        "springer.com",
        "link.springer.com",
        "wiley.com",
        "onlinelibrary.wiley.com",
        "tandfonline.com",
        "sagepub.com",
        "karger.com",
        "frontiersin.org",
        "mdpi.com",
        "plos.org",
        "journals.plos.org",
        "biomedcentral.com",
        "academic.oup.com",
        "pnas.org",
        "jci.org",
        "elifesciences.org",
        "ahajournals.org",
        "annals.org",
        "acpjournals.org",
        "atsjournals.org",
        "thieme-connect.com",
        "hindawi.com",
        "biorxiv.org",
        "medrxiv.org",
        "clinicaltrials.gov",
        "scholar.google.com",
        "semanticscholar.org",
        "jstor.org",
        "lww.com",
        "journals.lww.com",
    }
)
AUTHORITY_HOSTS = frozenset(
    {
        "who.int",
        "europa.eu",
        "ema.europa.eu",
        "ecdc.europa.eu",
        "nhs.uk",
        "nice.org.uk",
        "canada.ca",
        "health.gov.au",
        "tga.gov.au",
        "paho.org",
        "unicef.org",
        "cochrane.org",
        "aap.org",
        "acog.org",
        "heart.org",
        "cancer.org",
        "diabetes.org",
        "ama-assn.org",
        "rcplondon.ac.uk",
        "rcog.org.uk",
        "isscr.org",
        "idsociety.org",
        "aafp.org",
        "psychiatry.org",
        "aan.com",
    }
)
# Government domains worldwide: example.gov, example.gov.uk, example.gc.ca, example.gouv.fr.
_GOVERNMENT = compile_regex(r"(?:^|\.)(?:gov|mil|gouv|gob|govt|gc)(?:\.[a-z]{2})?$")
_SCHEME = compile_regex(r"^[a-z][a-z0-9+.-]*:", re.I)
FRONT_MATTER_URL_KEYS = (
    "url",
    "baseurl",
    "base_url",
    "canonical",
    "canonical_url",
    "canonicalurl",
    "permalink",
    "site",
    "siteurl",
    "site_url",
    "homepage",
    "domain",
)


@lru_cache(maxsize=4096)  # pure; documents repeat the same links
def host_of(href: str) -> str | None:
    """Lowercase host without ``www.``, or None for relative and non-web links."""
    text = href.strip()
    if text.startswith("//"):
        text = "https:" + text
    elif ":" not in text:
        return None  # no scheme ("#top", "../x"): urlsplit would find no http(s) host
    plain = split_plain_url(text)
    if plain is not None:
        return plain[0].rstrip(".").removeprefix("www.")
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    return parts.hostname.lower().rstrip(".").removeprefix("www.")


@lru_cache(maxsize=4096)  # pure; documents repeat the same links
def is_relative(href: str) -> bool:
    """A link within the same site: no scheme and no host (``/shop``, ``../x``, ``page``)."""
    text = href.strip()
    return bool(text) and not text.startswith("//") and _SCHEME.match(text) is None


def site_hosts(front_matter: Mapping[str, Any] | None, extra: Iterable[str] = ()) -> frozenset[str]:
    """The document's own hosts, from front matter URL fields and configured hosts."""
    hosts: set[str] = set()
    values: list[str] = [str(v) for v in extra]
    if front_matter:
        for key, value in front_matter.items():
            if str(key).lower() in FRONT_MATTER_URL_KEYS and isinstance(value, str):
                values.append(value)
    for value in values:
        text = value.strip()
        if "://" not in text and "." in text.split("/", 1)[0]:
            text = "https://" + text  # "example.com" written as a bare domain
        host = host_of(text)
        if host:
            hosts.add(host)
    return frozenset(hosts)


def _under(host: str, domains: frozenset[str]) -> bool:
    parts = host.split(".")
    return any(".".join(parts[index:]) in domains for index in range(len(parts) - 1))


def classify_href(href: str, keys: Iterable[str], own_hosts: frozenset[str]) -> str:
    """The source class of a link target."""
    if is_relative(href):
        return "self"
    host = host_of(href)
    if host is not None and own_hosts and _under(host, own_hosts):
        return "self"
    return classify_keys(keys, host)


def classify_keys(keys: Iterable[str], host: str | None = None) -> str:
    """Scholarly when a DOI/PMID/PMCID is known, else by host."""
    if any(key.startswith(("doi:", "pmid:", "pmcid:")) for key in keys):
        return "scholarly"
    if host is None:
        return "other"
    return _host_class(host)


@lru_cache(maxsize=4096)  # pure; documents repeat the same hosts
def _host_class(host: str) -> str:
    if _under(host, SCHOLARLY_HOSTS):
        return "scholarly"
    if _under(host, AUTHORITY_HOSTS) or _GOVERNMENT.search(host):
        return "authority"
    return "other"
