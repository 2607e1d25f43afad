"""Normalisation of source identifiers to lookup keys.

A key is ``kind:value`` with kind one of ``doi``, ``pmid``, ``pmcid``, ``url``:

* ``doi:10.1002/btm2.70093``   lowercase (DOIs are case-insensitive), no resolver prefix
* ``pmid:31234567``            1-8 digits, no leading zeros
* ``pmcid:PMC12821212``        upper-case ``PMC`` prefix
* ``url:example.org/a/b?x=1``  no scheme, lowercase host without ``www.``, no fragment,
  no trailing slash, no tracking parameters, remaining parameters sorted

Every function here is pure and total: malformed input gives ``None`` or an empty set,
never an exception, so citation checks can call them on anything found in a document.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from evlint.regex_cache import compile_regex

KEY_KINDS = ("doi", "pmid", "pmcid", "url")

_DOI_RE = compile_regex(r"10\.\d{4,9}/\S+")
_DOI_PREFIX_RE = compile_regex(
    r"^\s*(?:(?:https?://)?(?:dx\.|www\.)?doi\.org/|doi\s*:\s*|doi\s+)", re.IGNORECASE
)
# A DOI inside running text: stops at whitespace and at characters that end a URL in prose.
DOI_IN_TEXT_RE = compile_regex(r"\b10\.\d{4,9}/[^\s\"<>]+")
_PMID_RE = compile_regex(r"^\s*(?:pmid\s*:?\s*)?(\d{1,8})\s*$", re.IGNORECASE)
_PMCID_RE = compile_regex(r"^\s*(?:pmcid\s*:?\s*)?pmc\s*(\d{1,9})\s*$", re.IGNORECASE)
_PMC_IN_PATH_RE = compile_regex(r"(?:^|/)(pmc\d{1,9})(?:/|$)", re.IGNORECASE)
_DOI_IN_PATH_RE = compile_regex(r"(?:^|/)(10\.\d{4,9}/.+)$")
_PLAIN_URL_RE = compile_regex(r"[hH][tT][tT][pP][sS]?://([A-Za-z0-9.-]+)([/?#][^\t\r\n]*)?")
_BARE_HOST_RE = compile_regex(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+/", re.IGNORECASE)

_TRAILING_PUNCT = ".,;:!?'\"*"
_CLOSERS = {")": "(", "]": "[", "}": "{", ">": "<"}
# Path segments publishers append after a DOI to choose a view of the article.
_DOI_VIEW_SUFFIX_RE = compile_regex(
    r"/(?:full|abstract|pdf|epdf|pdfdirect|fulltext|full-text|html|meta|summary|"
    r"references|figures|tables|epub|text|suppl|supplemental|metrics|citedby|info)$",
    re.IGNORECASE,
)
_PREPRINT_VERSION_RE = compile_regex(r"v\d+(?:\.[a-z-]+)*$", re.IGNORECASE)
_WEB_SCHEME = compile_regex(r"^https?://", re.IGNORECASE)
_NATURE_ARTICLE = compile_regex(r"/articles/([a-z0-9.-]+)", re.IGNORECASE)
_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "referrer",
        "source",
        "si",
        "spm",
        "trk",
        "cmpid",
        "sc_cid",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "hsa_", "oly_")


def _strip_trailing(text: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets after an identifier."""
    while text:
        last = text[-1]
        unbalanced = last in _CLOSERS and text.count(_CLOSERS[last]) < text.count(last)
        if last in _TRAILING_PUNCT or unbalanced:
            text = text[:-1]
        else:
            break
    return text


def normalise_doi(value: str) -> str | None:
    """``"https://doi.org/10.1002/BTM2.70093."`` -> ``"10.1002/btm2.70093"``; None if malformed."""
    text = unquote(value.strip())
    if _WEB_SCHEME.match(text):
        text = text.split("#", 1)[0]  # a URL fragment; "#" inside a bare DOI is legal
    text = _DOI_PREFIX_RE.sub("", text, count=1)
    text = _strip_trailing(text.strip()).lower()
    return text if _DOI_RE.fullmatch(text) else None


def looks_like_doi(value: str) -> bool:
    """Whether the text presents itself as a DOI (prefix, resolver URL or ``10.``)."""
    text = value.strip()
    return bool(_DOI_PREFIX_RE.match(text)) or text.startswith("10.")


def is_malformed_doi(value: str) -> bool:
    """A DOI by its form (``doi:``, ``doi.org/``, ``10.``) that fails validation."""
    return looks_like_doi(value) and normalise_doi(value) is None


def normalise_pmid(value: str | int) -> str | None:
    """``"PMID: 0031234"`` -> ``"31234"``; None if not 1-8 digits or zero."""
    match = _PMID_RE.match(str(value))
    if match is None or int(match.group(1)) == 0:
        return None
    return str(int(match.group(1)))


def is_malformed_pmid(value: str | int) -> bool:
    """Labelled ``PMID`` or all digits, yet not a valid PMID."""
    text = str(value).strip()
    labelled = text.lower().startswith("pmid") or text.isdigit()
    return labelled and normalise_pmid(text) is None


def normalise_pmcid(value: str) -> str | None:
    """``"pmc 12821212"`` -> ``"PMC12821212"``; bare digits are refused (ambiguous with PMID)."""
    match = _PMCID_RE.match(value)
    if match is None or int(match.group(1)) == 0:
        return None
    return f"PMC{int(match.group(1))}"


def is_malformed_pmcid(value: str) -> bool:
    text = value.strip().lower()
    return text.startswith(("pmc", "pmcid")) and normalise_pmcid(value) is None


def make_key(kind: str, value: str) -> str | None:
    """The key for an identifier of a known kind, or None if the value is malformed."""
    if kind == "doi":
        doi = normalise_doi(value)
        return f"doi:{doi}" if doi else None
    if kind == "pmid":
        pmid = normalise_pmid(value)
        return f"pmid:{pmid}" if pmid else None
    if kind == "pmcid":
        pmcid = normalise_pmcid(value)
        return f"pmcid:{pmcid}" if pmcid else None
    if kind == "url":
        url = canonical_url(value)
        return f"url:{url}" if url else None
    return None


def parse_key(key: str) -> tuple[str, str]:
    """``"doi:10.1/x"`` -> ``("doi", "10.1/x")``; raises ValueError for a non-key."""
    kind, sep, value = key.partition(":")
    if not sep or kind not in KEY_KINDS or not value:
        raise ValueError(f"not an evidence key: {key!r}")
    return kind, value


@lru_cache(maxsize=4096)  # pure; documents repeat the same links
def _split_url(url: str) -> tuple[str, str, str] | None:
    """(host without www., path, query) of an http(s) URL, or None."""
    text = url.strip().strip("<>")
    if _BARE_HOST_RE.match(text):
        text = "https://" + text  # "www.example.org/x" written without a scheme
    elif ":" not in text:
        return None  # no scheme ("#top", "../x"): urlsplit would find no http(s) host
    hostname: str | None
    port: int | None = None
    plain = split_plain_url(text)
    if plain is not None:
        hostname, path, query = plain
    else:
        try:
            parts = urlsplit(text)
            if parts.scheme.lower() not in {"http", "https"}:
                return None
            port = parts.port
        except ValueError:
            return None
        hostname, path, query = parts.hostname, parts.path, parts.query
    if not hostname:
        return None
    host = hostname.lower().rstrip(".")
    host = host.removeprefix("www.")
    if port not in (None, 80, 443):
        host = f"{host}:{port}"
    return host, path, query


def split_plain_url(text: str) -> tuple[str, str, str] | None:
    """(hostname, path, query) as ``urlsplit`` reads them, for a plain http(s) URL.

    Plain: the host is ASCII letters, digits, dots and hyphens (no user, port or IPv6
    address) and no tab or newline is anywhere (urlsplit would delete them).  Such a
    URL, most links, is read by one regex match; None sends the others to urlsplit.
    """
    match = _PLAIN_URL_RE.fullmatch(text)
    if match is None:
        return None
    path, _, query = (match.group(2) or "").partition("#")[0].partition("?")
    return match.group(1).lower(), path, query


@lru_cache(maxsize=4096)  # pure; documents repeat the same links
def canonical_url(url: str) -> str | None:
    """The comparable form of an http(s) URL, or None when it is not one."""
    split = _split_url(url)
    if split is None:
        return None
    host, path, query = split
    path = _strip_trailing(path.rstrip("/")) if path not in ("", "/") else ""
    params = [
        (k, v)
        for k, v in (parse_qsl(query, keep_blank_values=True) if query else ())
        if k.lower() not in _TRACKING_PARAMS and not k.lower().startswith(_TRACKING_PREFIXES)
    ]
    canonical = host + path
    if params:
        canonical += "?" + urlencode(sorted(params))
    return canonical


def _doi_in_path(host: str, path: str) -> str | None:
    """A DOI embedded in a publisher's article URL path."""
    decoded = unquote(path)
    match = _DOI_IN_PATH_RE.search(decoded) if "10." in decoded else None
    if match:
        doi = match.group(1).rstrip("/")
        while _DOI_VIEW_SUFFIX_RE.search(doi):
            doi = _DOI_VIEW_SUFFIX_RE.sub("", doi).rstrip("/")
        if host.endswith(("biorxiv.org", "medrxiv.org")):
            doi = _PREPRINT_VERSION_RE.sub("", doi)  # ".../2020.01.01.123456v2.full"
        return normalise_doi(doi)
    if host == "nature.com":  # nature.com/articles/s41586-020-2012-7 is DOI 10.1038/...
        nature = _NATURE_ARTICLE.fullmatch(decoded)
        if nature:
            return normalise_doi(f"10.1038/{nature.group(1)}")
    return None


@lru_cache(maxsize=4096)  # pure; documents repeat the same links
def keys_for_url(url: str) -> frozenset[str]:
    """Every key a URL stands for: its canonical ``url:`` key plus any identifier in it.

    ``https://www.frontiersin.org/articles/10.3389/fnmol.2018.00434/full`` gives the DOI
    key and the URL key; a ``doi.org`` link gives only the DOI key.
    """
    split = _split_url(url)
    if split is None:
        return frozenset()
    host, path, query = split
    keys: set[str] = set()
    if host in {"doi.org", "dx.doi.org"}:
        doi = normalise_doi(unquote(path).lstrip("/"))
        return frozenset({f"doi:{doi}"}) if doi else frozenset()
    canonical = canonical_url(url)
    if canonical:
        keys.add(f"url:{canonical}")
    if host in {"pubmed.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov", "europepmc.org"}:
        segments = [s for s in path.split("/") if s]
        if host == "pubmed.ncbi.nlm.nih.gov" and segments:
            pmid = normalise_pmid(segments[0])
            if pmid:
                keys.add(f"pmid:{pmid}")
        if host == "ncbi.nlm.nih.gov" and len(segments) >= 2 and segments[0] == "pubmed":
            pmid = normalise_pmid(segments[1])
            if pmid:
                keys.add(f"pmid:{pmid}")
        if host == "europepmc.org" and len(segments) >= 3 and segments[1].upper() == "MED":
            pmid = normalise_pmid(segments[2])
            if pmid:
                keys.add(f"pmid:{pmid}")
    if host in {"ncbi.nlm.nih.gov", "pmc.ncbi.nlm.nih.gov", "europepmc.org"}:
        pmc = _PMC_IN_PATH_RE.search(path)
        if pmc:
            pmcid = normalise_pmcid(pmc.group(1))
            if pmcid:
                keys.add(f"pmcid:{pmcid}")
    doi = _doi_in_path(host, path)
    if doi is None and query:
        for _, value in parse_qsl(query):
            if _DOI_RE.match(unquote(value).strip()):
                doi = normalise_doi(value)
                break
    if doi:
        keys.add(f"doi:{doi}")
    return frozenset(keys)


@lru_cache(maxsize=4096)  # pure; documents repeat the same links
def keys_for_identifier(text: str) -> frozenset[str]:
    """Keys for anything a user may type or a document may hold.

    Accepts keys (``doi:…``, ``pmid:…``, ``pmcid:…``, ``url:…``), bare or prefixed DOIs,
    ``PMID: 123``, ``PMC123``, bare digits (read as a PMID) and http(s) URLs.
    """
    value = text.strip()
    lowered = value.lower()
    if lowered.startswith("url:"):
        rest = value[4:].strip()
        if not _WEB_SCHEME.match(rest):
            rest = "https://" + rest
        return keys_for_url(rest)
    if lowered.startswith("pmcid:"):
        key = make_key("pmcid", value)
        return frozenset({key}) if key else frozenset()
    if _DOI_PREFIX_RE.match(value) or value.startswith("10."):
        key = make_key("doi", value)
        return frozenset({key}) if key else frozenset()
    for kind in ("pmcid", "pmid"):
        key = make_key(kind, value)
        if key:
            return frozenset({key})
    return keys_for_url(value)


def normalise_key(text: str) -> str | None:
    """The single most specific key for an identifier (DOI > PMID > PMCID > URL)."""
    keys = keys_for_identifier(text)
    for kind in KEY_KINDS:
        for key in sorted(keys):
            if key.startswith(kind + ":"):
                return key
    return None


def extract_dois(text: str) -> list[tuple[int, str]]:
    """``(offset, normalised DOI)`` for each DOI written in free text."""
    found: list[tuple[int, str]] = []
    for match in DOI_IN_TEXT_RE.finditer(text):
        doi = normalise_doi(match.group(0))
        if doi:
            found.append((match.start(), doi))
    return found
