"""evlint's own JSON report (``--format json``), a stable interface for scripts.

Schema, version 1 (fields are only ever added within a version)::

    {
      "version": 1,
      "tool": {"name": "evlint", "version": "0.1.0"},
      "findings": [
        {
          "path": "docs/post.md",       # the path evlint was given
          "line": 3, "column": 5,       # 1-based; columns count Unicode code points
          "end_line": 3, "end_column": 30,   # end column is exclusive
          "rule": "EV101",              # rule id
          "name": "uncited-claim",      # rule name
          "category": "uncited-claim",
          "severity": "error",          # "error" | "warning" | "info", after config
          "message": "…",
          "snippet": "…",               # the offending source text ("" if none)
          "related": [{"path": "…", "line": 12, "column": 1, "message": "…"}],
          "fingerprint": "…"            # stable across runs, unique within the report
        }
      ],
      "errors": [
        {"path": "…", "line": null, "code": "input-error", "message": "…"}
      ],
      "summary": {
        "files_checked": 2, "files_with_findings": 1,
        "findings": 7, "error": 2, "warning": 5, "info": 0,
        "input_errors": 0, "fail_on": "warning", "failed": true
      }
    }

Findings are sorted by path, line, column and rule; errors by path and line.
"""

from __future__ import annotations

import json

from evlint.model import Finding, InputError
from evlint.render.report import Report

SCHEMA_VERSION = 1


def render(report: Report, *, color: bool = False) -> str:
    del color  # one signature for every format; JSON never has colour
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"


def to_dict(report: Report) -> dict[str, object]:
    counts = report.counts()
    summary: dict[str, object] = {
        "files_checked": report.files_checked,
        "files_with_findings": report.files_with_findings(),
        "findings": len(report.findings),
        **{level.label: n for level, n in counts.items()},
        "input_errors": len(report.errors),
        "fail_on": report.fail_on.label,
        "failed": report.failed,
    }
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": "evlint", "version": report.tool_version},
        "findings": [_finding(f, fp) for f, fp in report.fingerprinted()],
        "errors": [_error(e) for e in report.sorted_errors()],
        "summary": summary,
    }


def _finding(finding: Finding, fingerprint: str) -> dict[str, object]:
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "rule": finding.rule,
        "name": finding.name,
        "category": finding.category,
        "severity": finding.severity.label,
        "message": finding.message,
        "snippet": finding.snippet,
        "related": [
            {"path": r.path, "line": r.line, "column": r.column, "message": r.message}
            for r in finding.related
        ],
        "fingerprint": fingerprint,
    }


def _error(error: InputError) -> dict[str, object]:
    return {"path": error.path, "line": error.line, "code": error.code, "message": error.message}
