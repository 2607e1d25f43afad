"""Reading a lexicon file: the YAML mapping and its checks, without compiling it.

Kept apart from ``evlint.lexicon`` so the topic test, which runs on every page, can
read its term lists without loading the phrase matcher.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from evlint.yamlio import read_yaml


class LexiconError(Exception):
    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def read_lexicon_data(path: Path) -> dict[str, Any]:
    """The file's mapping, with ``terms`` as ``{label: [phrases]}`` of strings."""
    try:
        data = read_yaml(path)
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(path, f"cannot read lexicon: {exc}") from None
    return checked_lexicon_data(path, data)


def checked_lexicon_data(path: Path, data: Any) -> dict[str, Any]:
    """``data``, parsed from the lexicon file ``path``, checked and normalised as
    :func:`read_lexicon_data` returns it."""
    if not isinstance(data, dict) or not isinstance(data.get("terms"), dict):
        raise LexiconError(path, "a lexicon needs a 'terms' mapping of label: [synonyms]")
    terms: dict[str, list[str]] = {}
    for label, synonyms in data["terms"].items():
        if synonyms is None:
            synonyms = []
        if not isinstance(synonyms, list):
            raise LexiconError(path, f"terms.{label} must be a list of phrases")
        terms[str(label)] = [str(s) for s in synonyms]
    return {**data, "terms": terms}
