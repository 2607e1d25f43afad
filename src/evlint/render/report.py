"""The one input every renderer takes: a finished run's findings, errors and rules."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from evlint.model import Finding, InputError, Severity
from evlint.records import record
from evlint.rulespec import Rule

# Bump when the hashed inputs change, so consumers can tell old fingerprints apart.
FINGERPRINT_VERSION = "evlint/v1"


@record
class Report:
    """Everything a renderer needs; renderers never see configuration or sources."""

    findings: tuple[Finding, ...]
    errors: tuple[InputError, ...]
    rules: Mapping[str, Rule]
    files_checked: int
    tool_version: str
    fail_on: Severity

    def sorted_findings(self) -> tuple[Finding, ...]:
        # Message breaks ties so the output never depends on rule scheduling order.
        return tuple(sorted(self.findings, key=lambda f: (*f.sort_key(), f.message)))

    def sorted_errors(self) -> tuple[InputError, ...]:
        return tuple(sorted(self.errors, key=lambda e: (e.path, e.line or 0, e.message)))

    def counts(self) -> dict[Severity, int]:
        """Findings per severity, with every severity present (zero if absent)."""
        found = Counter(f.severity for f in self.findings)
        return {level: found[level] for level in sorted(Severity, reverse=True)}

    def files_with_findings(self) -> int:
        return len({f.path for f in self.findings})

    @property
    def failed(self) -> bool:
        """Whether this run fails: any input error, or a finding at or above ``fail_on``."""
        return bool(self.errors) or any(f.severity >= self.fail_on for f in self.findings)

    def fingerprinted(self) -> tuple[tuple[Finding, str], ...]:
        """Sorted findings paired with a fingerprint that is unique within the report."""
        findings = self.sorted_findings()
        return tuple(zip(findings, unique_fingerprints(findings), strict=True))


def stable_fingerprint(finding: Finding) -> str:
    """``Finding.fingerprint`` if the pipeline set one, else a hash of rule, path and snippet.

    The line is left out on purpose so that editing text above a finding does not make
    it look new to code-scanning dashboards that track results across runs.
    """
    if finding.fingerprint:
        return finding.fingerprint
    return digest(finding.rule, finding.path, normalise_snippet(finding.snippet))


def unique_fingerprints(findings: Iterable[Finding]) -> list[str]:
    """Stable fingerprints, with ``:2``, ``:3``… appended to repeats in order.

    The first occurrence keeps the bare hash so it stays stable when a duplicate is added.
    """
    seen: Counter[str] = Counter()
    result: list[str] = []
    for finding in findings:
        base = stable_fingerprint(finding)
        seen[base] += 1
        result.append(base if seen[base] == 1 else f"{base}:{seen[base]}")
    return result


def digest(*parts: str) -> str:
    # NUL separators stop ("ab", "c") and ("a", "bc") from hashing the same.
    import hashlib  # on the first finding: a clean run never needs it

    data = "\0".join((FINGERPRINT_VERSION, *parts)).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:32]


def normalise_snippet(snippet: str) -> str:
    # Re-wrapping a paragraph changes whitespace only; it should not change identity.
    return " ".join(snippet.split())
