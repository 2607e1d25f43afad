"""The evidence library: every loaded source, indexed by key, id and topic.

``load_library(paths)`` never raises for bad input: each file that cannot be read gives
an ``EvidenceError`` and the others still load.  The built-in pack (FDA/FTC regulatory
cards and the seed review) is parsed only when a query first needs it, once per process.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from evlint.data_cache import parse_file, source_stamp
from evlint.evidence.keys import keys_for_identifier
from evlint.evidence.model import Evidence, EvidenceError, EvidenceItem, LoadResult
from evlint.evidence.stored import result_from_data, result_to_data
from evlint.evidence.vocab import canonical_condition, canonical_intervention

MAX_FILE_BYTES = 5 * 1024 * 1024


# The parsers are imported when a file is parsed, not when it is read from the data
# cache, which is most runs: their modules cost a few milliseconds of start-up.
def _parse_summary(text: str, path: str, *, builtin: bool) -> LoadResult:
    from evlint.evidence.summary import parse_summary

    return parse_summary(text, path, builtin=builtin)


def _parse_cards(text: str, path: str, *, builtin: bool) -> LoadResult:
    from evlint.evidence.cards import parse_cards

    return parse_cards(text, path, builtin=builtin)


def _parse_bibtex(text: str, path: str, *, builtin: bool) -> LoadResult:
    from evlint.evidence.bibliography import parse_bibtex

    return parse_bibtex(text, path, builtin=builtin)


def _parse_csl_json(text: str, path: str, *, builtin: bool) -> LoadResult:
    from evlint.evidence.bibliography import parse_csl_json

    return parse_csl_json(text, path, builtin=builtin)


# Suffix -> parser of the file's text, given its path (for messages) and builtin flag.
_PARSERS: dict[str, Callable[..., LoadResult]] = {
    ".md": _parse_summary,
    ".markdown": _parse_summary,
    ".txt": _parse_summary,
    ".yaml": _parse_cards,
    ".yml": _parse_cards,
    ".bib": _parse_bibtex,
    ".json": _parse_csl_json,
}
EVIDENCE_SUFFIXES = frozenset(_PARSERS)

# Which source answers a key when several carry it: a user's over the built-in pack, then
# a curated card over a parsed summary over bare reference metadata.
_ORIGIN_RANK = {"card": 0, "summary": 1, "csl-json": 2, "bibtex": 2}


def builtin_pack_dir() -> Path:
    """The directory of the evidence shipped with evlint."""
    return Path(__file__).resolve().parent / "pack"


def load_file(path: Path, *, builtin: bool = False) -> LoadResult:
    """Load one evidence file by its suffix; too large or unknown types are errors.

    What a file parsed to is kept by the data cache (:mod:`evlint.data_cache`), keyed
    by its bytes and by the evidence package's source files."""
    parser = _PARSERS.get(path.suffix.lower())
    if parser is None:
        known = ", ".join(sorted(_PARSERS))
        message = f"unsupported evidence file type {path.suffix!r} (expected: {known})"
        return LoadResult(errors=(EvidenceError(str(path), None, message),))
    try:
        size = path.stat().st_size
    except OSError as exc:
        return LoadResult(errors=(EvidenceError(str(path), None, f"cannot read: {exc}"),))
    if size > MAX_FILE_BYTES:
        message = f"file is {size} bytes; evidence files are limited to {MAX_FILE_BYTES}"
        return LoadResult(errors=(EvidenceError(str(path), None, message),))

    def parse(text: str) -> dict[str, object]:
        return result_to_data(parser(text, str(path), builtin=builtin))

    name = "evidence-builtin" if builtin else "evidence"
    try:
        stamp = _code_stamp()
        if stamp is None:
            text = path.read_text(encoding="utf-8")
            return parser(text, str(path), builtin=builtin)
        return result_from_data(parse_file(path, name, parse, stamp))
    except (OSError, UnicodeDecodeError) as exc:
        return LoadResult(errors=(EvidenceError(str(path), None, f"cannot read: {exc}"),))


@functools.cache
def _code_stamp() -> str | None:
    """The evidence package's modules: every parser and the model they build."""
    package = Path(__file__).parent
    return source_stamp(sorted(str(f) for f in package.iterdir() if f.suffix == ".py"))


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[EvidenceError]]:
    """Evidence files named or found (recursively, hidden entries skipped) under ``paths``."""
    files: list[Path] = []
    errors: list[EvidenceError] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in found.relative_to(path).parts)
                if found.is_file() and not hidden and found.suffix.lower() in _PARSERS:
                    files.append(found)
        elif path.is_file():
            files.append(path)
        else:
            errors.append(EvidenceError(str(path), None, "no such file or directory"))
    return list(dict.fromkeys(files)), errors


@functools.cache
def builtin_evidence() -> LoadResult:
    """The built-in pack, parsed once per process."""
    files, errors = discover([builtin_pack_dir()])
    evidence: list[Evidence] = []
    all_errors = list(errors)
    for path in files:
        result = load_file(path, builtin=True)
        evidence.extend(result.evidence)
        all_errors.extend(result.errors)
    return LoadResult(tuple(evidence), tuple(all_errors))


class EvidenceLibrary:
    """Evidence indexed by normalised key, by id and by topic.

    With ``include_builtin`` the built-in pack joins on the first query; user evidence
    wins over it for an id or a key they share.
    """

    __slots__ = ("_by_id", "_by_key", "_errors", "_evidence", "_include_builtin", "_ready")

    def __init__(self, evidence: Iterable[Evidence] = (), *, include_builtin: bool = False):
        self._evidence: list[Evidence] = []
        self._by_id: dict[str, Evidence] = {}
        self._by_key: dict[str, list[Evidence]] = {}
        self._errors: list[EvidenceError] = []
        self._include_builtin = include_builtin
        self._ready = not include_builtin
        for item in evidence:
            self._add(item)

    def _add(self, evidence: Evidence) -> None:
        if evidence.id in self._by_id:
            return  # first definition wins; load_library reports user duplicates
        self._evidence.append(evidence)
        self._by_id[evidence.id] = evidence
        for key in evidence.keys:
            ranked = self._by_key.setdefault(key, [])
            ranked.append(evidence)
            ranked.sort(key=_rank)

    def _load_builtin(self) -> None:
        if not self._ready:
            self._ready = True
            result = builtin_evidence()
            self._errors.extend(result.errors)
            for evidence in result.evidence:
                self._add(evidence)

    @property
    def errors(self) -> tuple[EvidenceError, ...]:
        """Errors of the lazily loaded built-in pack (none unless the package is broken)."""
        return tuple(self._errors)

    def items(self) -> tuple[Evidence, ...]:
        self._load_builtin()
        return tuple(self._evidence)

    def user_items(self) -> tuple[Evidence, ...]:
        """Evidence given by the user; does not load the built-in pack."""
        return tuple(e for e in self._evidence if not e.builtin)

    def __iter__(self) -> Iterator[Evidence]:
        return iter(self.items())

    def __len__(self) -> int:
        return len(self.items())

    def get(self, evidence_id: str) -> Evidence | None:
        self._load_builtin()
        return self._by_id.get(evidence_id)

    def lookup(self, identifier: str) -> Evidence | None:
        """The best evidence for an id, a key or any identifier form (DOI URL, PMC URL…)."""
        found = self.lookup_all(identifier)
        return found[0] if found else None

    def lookup_all(self, identifier: str) -> list[Evidence]:
        """Every source matching, best first (user before built-in; card, summary, metadata)."""
        self._load_builtin()
        matches: list[Evidence] = []
        by_id = self._by_id.get(identifier.strip())
        if by_id is not None:
            matches.append(by_id)
        for key in sorted(keys_for_identifier(identifier)):
            matches.extend(self._by_key.get(key, ()))
        unique = list({id(e): e for e in matches}.values())
        return sorted(unique, key=_rank) if by_id is None else unique

    def lookup_keys(self, keys: Iterable[str]) -> Evidence | None:
        """The best evidence for any of several already-normalised keys."""
        self._load_builtin()
        matches = [e for key in keys for e in self._by_key.get(key, ())]
        return min(matches, key=_rank) if matches else None

    def by_topic(
        self, interventions: Iterable[str] = (), conditions: Iterable[str] = ()
    ) -> list[Evidence]:
        """Sources on a topic: matching any given intervention AND any given condition.

        An empty facet does not constrain.  Reference-only metadata is left out (it says
        nothing about a topic).  Strongest evidence first.
        """
        self._load_builtin()
        wanted_i = {canonical_intervention(t) for t in interventions}
        wanted_c = {canonical_condition(t) for t in conditions}
        found = []
        for evidence in self._evidence:
            if evidence.is_reference_only:
                continue
            have_i = {canonical_intervention(t) for t in evidence.interventions}
            have_c = {canonical_condition(t) for t in evidence.conditions}
            if wanted_i and not wanted_i & have_i:
                continue
            if wanted_c and not wanted_c & have_c:
                continue
            found.append(evidence)
        return sorted(found, key=lambda e: (-e.level, e.builtin, e.id))

    def regulatory_for(
        self, intervention: str, jurisdiction: str | None = None
    ) -> list[tuple[Evidence, EvidenceItem]]:
        """Regulatory statements naming an intervention, e.g. ``status == "not-approved"``
        for exosomes in the US; filter ``item.status`` to decide what a claim omits."""
        self._load_builtin()
        found = []
        for evidence in self._evidence:
            for item in evidence.regulatory:
                if jurisdiction and (item.jurisdiction or "").lower() != jurisdiction.lower():
                    continue
                if item.applies_to(intervention):
                    found.append((evidence, item))
        return found


def _rank(evidence: Evidence) -> tuple[bool, int]:
    return (evidence.builtin, _ORIGIN_RANK.get(evidence.origin, 3))


def load_library(
    paths: Iterable[str | Path], include_builtin: bool = True
) -> tuple[EvidenceLibrary, list[EvidenceError]]:
    """Load every evidence file under ``paths``; errors are returned, never raised."""
    files, errors = discover(paths)
    evidence: list[Evidence] = []
    defined: dict[str, Evidence] = {}
    for path in files:
        result = load_file(path)
        errors.extend(result.errors)
        for item in result.evidence:
            first = defined.get(item.id)
            if first is not None:
                message = f"duplicate evidence id {item.id!r} (first defined at {first.location})"
                errors.append(EvidenceError(item.path, item.line, message))
                continue
            defined[item.id] = item
            evidence.append(item)
    return EvidenceLibrary(evidence, include_builtin=include_builtin), errors
