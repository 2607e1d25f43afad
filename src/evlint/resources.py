"""Where the built-in rules and lexicons live.

In a wheel they are package data under ``evlint/_builtin/rules`` (hatch
force-include); in a source checkout or editable install they are the repository's
top-level ``rules/`` directory, which stays the single copy.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def builtin_rules_dir() -> Path:
    packaged = Path(__file__).resolve().parent / "_builtin" / "rules"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "rules"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        f"evlint's built-in rules are missing: reinstall evlint (expected {packaged} or {checkout})"
    )


def lexicon_path(name: str) -> Path:
    return builtin_rules_dir() / "lexicons" / f"{name}.yaml"
