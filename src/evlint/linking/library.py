"""One evidence library per process and set of evidence paths.

Every file of a run shares the same library, so it is loaded once (keyed by the resolved
paths) rather than per document; the built-in pack itself is parsed lazily by
``EvidenceLibrary`` on the first query.  Loading errors become ``InputError``s that the
CLI reports once, before linting.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from evlint.evidence.library import EvidenceLibrary, load_library
from evlint.model import InputError
from evlint.records import record

EVIDENCE_ERROR_CODE = "evidence"


@record
class LibraryLoad:
    """The evidence library for a set of paths, with the errors met loading it."""

    library: EvidenceLibrary
    errors: tuple[InputError, ...]


_cache: dict[tuple[tuple[str, ...], bool], LibraryLoad] = {}


def _cache_key(paths: Iterable[str], include_builtin: bool) -> tuple[tuple[str, ...], bool]:
    # Absolute paths, so "x.yaml" from two working directories are not confused.
    return tuple(os.path.abspath(p) for p in paths), include_builtin


def load_cached(paths: Iterable[str], include_builtin: bool = True) -> LibraryLoad:
    """The library for these evidence paths, loaded at most once per process."""
    key = _cache_key(paths, include_builtin)
    loaded = _cache.get(key)
    if loaded is None:
        library, errors = load_library(key[0], include_builtin=include_builtin)
        as_input = tuple(InputError(e.path, e.message, e.line, EVIDENCE_ERROR_CODE) for e in errors)
        loaded = LibraryLoad(library, as_input)
        _cache[key] = loaded
    return loaded


def evidence_input_errors(
    paths: Iterable[str], include_builtin: bool = True
) -> tuple[InputError, ...]:
    """Errors of the evidence files of a run (and of the built-in pack, if broken)."""
    loaded = load_cached(paths, include_builtin)
    errors = list(loaded.errors)
    if include_builtin:
        loaded.library.items()  # the pack loads lazily; its errors appear only after
        errors.extend(
            InputError(e.path, e.message, e.line, EVIDENCE_ERROR_CODE)
            for e in loaded.library.errors
        )
    return tuple(errors)


def clear_cache() -> None:
    """Forget loaded libraries (tests that rewrite evidence files in place)."""
    _cache.clear()
