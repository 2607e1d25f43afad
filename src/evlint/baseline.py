"""Baselines: record today's findings so that only new ones are reported from now on.

A finding is keyed by rule, path (relative to the baseline file, so the run's working
directory does not matter) and a hash of its normalised sentence, never by line: text
moved up or down keeps its key.  Each key has a count, so a second copy of a
recorded sentence added elsewhere in the same file is still reported.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from evlint.model import Finding
from evlint.records import record

BASELINE_VERSION = 1

Key = tuple[str, str, str]  # (path, rule, sentence hash)


class BaselineError(Exception):
    """A baseline file that cannot be read."""


@record
class Baseline:
    counts: Mapping[Key, int]
    directory: str  # paths in the file are relative to this

    def key(self, finding: Finding) -> Key:
        return finding_key(finding, self.directory)

    def new_findings(self, findings: Iterable[Finding]) -> list[Finding]:
        """Findings beyond what the baseline recorded, first occurrences consumed first."""
        remaining = Counter(self.counts)
        fresh = []
        for finding in sorted(findings, key=Finding.sort_key):
            key = self.key(finding)
            if remaining[key] > 0:
                remaining[key] -= 1
            else:
                fresh.append(finding)
        return fresh


def finding_key(finding: Finding, directory: str) -> Key:
    relative = os.path.relpath(os.path.abspath(finding.path), os.path.abspath(directory))
    # Case and whitespace changes (re-wrapping a paragraph) keep the same sentence.
    text = " ".join((finding.snippet or finding.message).split()).lower()
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return relative.replace(os.sep, "/"), finding.rule, digest


def write_baseline(findings: Iterable[Finding], path: str) -> int:
    """Write the baseline file; returns how many findings it records."""
    directory = os.path.dirname(os.path.abspath(path))
    counts: Counter[Key] = Counter()
    messages: dict[Key, str] = {}
    for finding in sorted(findings, key=Finding.sort_key):
        key = finding_key(finding, directory)
        counts[key] += 1
        messages.setdefault(key, finding.message)
    entries = [
        {
            "path": p,
            "rule": r,
            "hash": h,
            "count": counts[(p, r, h)],
            "message": messages[(p, r, h)],
        }
        for p, r, h in sorted(counts)
    ]
    document = {"version": BASELINE_VERSION, "tool": "evlint", "findings": entries}
    Path(path).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return sum(counts.values())


def read_baseline(path: str) -> Baseline:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"baseline file not found: {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc}") from None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
        raise BaselineError(f"{path}: not an evlint baseline (version {BASELINE_VERSION})")
    counts: dict[Key, int] = {}
    for index, entry in enumerate(data.get("findings", [])):
        try:
            key = (str(entry["path"]), str(entry["rule"]), str(entry["hash"]))
            count = int(entry.get("count", 1))
        except (KeyError, TypeError, ValueError):
            raise BaselineError(f"{path}: findings[{index}] is malformed") from None
        counts[key] = counts.get(key, 0) + count
    return Baseline(counts, os.path.dirname(os.path.abspath(path)))
