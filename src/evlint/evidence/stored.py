"""A loader's result as plain JSON data and back, so the data cache can keep it.

Parsing the built-in review summary (sections, sentences, populations, phases, terms)
costs several milliseconds of every start-up that links a claim to evidence; decoding
what it produced last time costs a fraction of that.  The conversion is exact:
``result_from_data(result_to_data(r)) == r`` for every result a loader returns.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from evlint.evidence.model import Evidence, EvidenceError, EvidenceItem, LoadResult

_ITEM_GROUPS = frozenset({"findings", "limitations", "safety", "regulatory", "scope_notes"})
_EVIDENCE_FIELDS = tuple(f.name for f in fields(Evidence))
_ITEM_FIELDS = tuple(f.name for f in fields(EvidenceItem))


def result_to_data(result: LoadResult) -> dict[str, Any]:
    return {
        "evidence": [_evidence_to_data(evidence) for evidence in result.evidence],
        "errors": [[error.path, error.line, error.message] for error in result.errors],
    }


def result_from_data(data: dict[str, Any]) -> LoadResult:
    return LoadResult(
        tuple(_evidence_from_data(evidence) for evidence in data["evidence"]),
        tuple(EvidenceError(path, line, message) for path, line, message in data["errors"]),
    )


def _evidence_to_data(evidence: Evidence) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in _EVIDENCE_FIELDS:
        value = getattr(evidence, name)
        if name in _ITEM_GROUPS:
            value = [_plain(item, _ITEM_FIELDS) for item in value]
        elif isinstance(value, frozenset):
            value = sorted(value)
        elif isinstance(value, tuple):
            value = list(value)
        data[name] = value
    return data


def _plain(item: EvidenceItem, names: tuple[str, ...]) -> dict[str, Any]:
    return {
        name: list(value) if isinstance(value, tuple) else value
        for name in names
        for value in (getattr(item, name),)
    }


def _evidence_from_data(data: dict[str, Any]) -> Evidence:
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name in _ITEM_GROUPS:
            value = tuple(_item_from_data(item) for item in value)
        elif name == "keys":
            value = frozenset(value)
        elif isinstance(value, list):
            value = tuple(value)
        values[name] = value
    return Evidence(**values)


def _item_from_data(data: dict[str, Any]) -> EvidenceItem:
    values: dict[str, Any] = {
        name: tuple(value) if isinstance(value, list) else value for name, value in data.items()
    }
    return EvidenceItem(**values)
