"""GitLab Code Quality report: a JSON array of Code Climate issues.

GitLab shows only the first issue per fingerprint, so fingerprints must be unique within
a report; it compares them between the base and head pipelines to mark issues new or fixed.
"""

from __future__ import annotations

import hashlib
import json

from evlint.model import Finding, InputError, Severity
from evlint.render.report import FINGERPRINT_VERSION, Report, normalise_snippet

# GitLab's scale is info < minor < major < critical < blocker; evlint has three levels
# and keeps the top two free so input errors (the run could not finish) stand out.
SEVERITIES = {Severity.INFO: "info", Severity.WARNING: "minor", Severity.ERROR: "major"}
INPUT_ERROR_SEVERITY = "critical"

Json = dict[str, object]


def render(report: Report, *, color: bool = False) -> str:
    del color  # one signature for every format
    return json.dumps(to_issues(report), indent=2, ensure_ascii=False) + "\n"


def to_issues(report: Report) -> list[Json]:
    used: set[str] = set()
    issues = [_finding(f, used) for f in report.sorted_findings()]
    issues.extend(_error(e, used) for e in report.sorted_errors())
    return issues


def _finding(finding: Finding, used: set[str]) -> Json:
    key = (finding.rule, finding.path, str(finding.line), normalise_snippet(finding.snippet))
    return {
        "type": "issue",
        "description": finding.message,
        "check_name": finding.rule,
        "categories": ["Clarity"],
        "fingerprint": _unique(key, used),
        "severity": SEVERITIES[finding.severity],
        "location": {
            "path": finding.path,
            "lines": {"begin": finding.line, "end": finding.end_line},
        },
    }


def _error(error: InputError, used: set[str]) -> Json:
    line = error.line or 1
    return {
        "type": "issue",
        "description": error.message,
        "check_name": error.code,
        "categories": ["Bug Risk"],
        "fingerprint": _unique((error.code, error.path, str(line), error.message), used),
        "severity": INPUT_ERROR_SEVERITY,
        "location": {"path": error.path, "lines": {"begin": line}},
    }


def _unique(parts: tuple[str, ...], used: set[str]) -> str:
    """MD5 of ``parts``; on a collision, re-hash with a counter until the value is new."""
    counter = 0
    while True:
        salted = (*parts, str(counter)) if counter else parts
        data = "\0".join((FINGERPRINT_VERSION, *salted)).encode("utf-8", "surrogatepass")
        # Not a security use: GitLab's examples use MD5-length identifiers.
        fingerprint = hashlib.md5(data, usedforsecurity=False).hexdigest()
        if fingerprint not in used:
            used.add(fingerprint)
            return fingerprint
        counter += 1
