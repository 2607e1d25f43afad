"""SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers.

One run; ``tool.driver.rules`` holds every rule in the report (plus a stub for any
finding whose rule is not in it), and each result points at its rule by index.
Paths are relative URIs against ``%SRCROOT%`` so uploads work from any checkout.
"""

from __future__ import annotations

import json
import os
from urllib.parse import quote

from evlint.model import Finding, InputError, Related, Severity
from evlint.regex_cache import compile_regex
from evlint.render.report import FINGERPRINT_VERSION, Report
from evlint.rulespec import Rule

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
# TODO(maintainers): point at the project's real home page once it has one.
INFORMATION_URI = "https://pypi.org/project/evlint/"
SRCROOT = "%SRCROOT%"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

_WINDOWS_DRIVE = compile_regex(r"^[A-Za-z]:/")

Json = dict[str, object]


def render(report: Report, *, color: bool = False) -> str:
    del color  # one signature for every format
    return json.dumps(to_sarif(report), indent=2, ensure_ascii=False) + "\n"


def to_sarif(report: Report) -> Json:
    rule_ids = sorted(report.rules)
    # Findings from rules outside the report (e.g. pipeline-made ones) still need a descriptor.
    rule_ids += sorted({f.rule for f in report.findings} - set(report.rules))
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    descriptors = [_rule_descriptor(rule_id, report) for rule_id in rule_ids]

    run: Json = {
        "tool": {
            "driver": {
                "name": "evlint",
                "version": report.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "invocations": [_invocation(report)],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, fp, index[f.rule]) for f, fp in report.fingerprinted()],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rule_descriptor(rule_id: str, report: Report) -> Json:
    rule = report.rules.get(rule_id)
    if rule is None:
        sample = next(f for f in report.findings if f.rule == rule_id)
        return {
            "id": rule_id,
            "name": sample.name,
            "shortDescription": {"text": sample.name},
            "properties": {"category": sample.category, "tags": [sample.category]},
        }
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc.what},
        "help": {"text": help_text(rule), "markdown": help_markdown(rule)},
        "defaultConfiguration": {"level": LEVELS[rule.level], "enabled": rule.enabled},
        "properties": {"category": rule.category, "tags": [rule.category]},
    }


def help_text(rule: Rule) -> str:
    sections = [
        f"What it does: {rule.doc.what}",
        f"Why is this bad? {rule.doc.why}",
        f"How to fix it: {rule.doc.fix}",
    ]
    if rule.doc.references:
        sections.append("References:\n" + "\n".join(f"- {r}" for r in rule.doc.references))
    return "\n\n".join(sections)


def help_markdown(rule: Rule) -> str:
    sections = [
        f"**What it does.** {rule.doc.what}",
        f"**Why is this bad?** {rule.doc.why}",
        f"**How to fix it.** {rule.doc.fix}",
    ]
    if rule.doc.references:
        sections.append("**References**\n\n" + "\n".join(f"- {r}" for r in rule.doc.references))
    return "\n\n".join(sections)


def _result(finding: Finding, fingerprint: str, rule_index: int) -> Json:
    region: Json = {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
    }
    if finding.snippet:
        region["snippet"] = {"text": finding.snippet}
    result: Json = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [_location(finding.path, region)],
        "partialFingerprints": {FINGERPRINT_VERSION: fingerprint},
        "properties": {"category": finding.category},
    }
    if finding.related:
        result["relatedLocations"] = [
            _related(i, related) for i, related in enumerate(finding.related)
        ]
    return result


def _related(index: int, related: Related) -> Json:
    region: Json = {"startLine": related.line, "startColumn": related.column}
    if related.end_line is not None:
        region["endLine"] = related.end_line
    if related.end_column is not None:
        region["endColumn"] = related.end_column
    return {"id": index, **_location(related.path, region), "message": {"text": related.message}}


def _invocation(report: Report) -> Json:
    invocation: Json = {"executionSuccessful": not report.errors}
    if report.errors:
        invocation["toolExecutionNotifications"] = [
            _notification(e) for e in report.sorted_errors()
        ]
    return invocation


def _notification(error: InputError) -> Json:
    region: Json = {} if error.line is None else {"startLine": error.line}
    return {
        "level": "error",
        "message": {"text": error.message},
        "descriptor": {"id": error.code},
        "locations": [_location(error.path, region)],
    }


def _location(path: str, region: Json) -> Json:
    physical: Json = {"artifactLocation": artifact_location(path)}
    if region:
        physical["region"] = region
    return {"physicalLocation": physical}


def artifact_location(path: str) -> Json:
    """A relative path becomes a ``%SRCROOT%``-based URI; an absolute one a ``file:`` URI."""
    # A backslash is a separator only on Windows; on POSIX it is part of the name (and
    # display_path writes undecodable bytes as \xNN), so keep it, percent-encoded.
    windows = os.sep == "\\" or _WINDOWS_DRIVE.match(path) is not None
    posix = path.replace("\\", "/") if windows else path
    if posix.startswith("/"):
        return {"uri": "file://" + quote(posix)}
    if _WINDOWS_DRIVE.match(posix):
        return {"uri": "file:///" + quote(posix, safe="/:")}
    return {"uri": quote(posix.removeprefix("./")), "uriBaseId": SRCROOT}
