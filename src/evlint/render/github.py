"""GitHub Actions workflow commands (``::error file=…::message``) and the step summary.

GitHub shows at most 10 annotations per level per step, so the CLI should also call
``write_step_summary`` to put the complete list in the job's summary page.
"""

from __future__ import annotations

import os

from evlint.model import Finding, InputError, Severity
from evlint.render.report import Report
from evlint.render.text import summary_line

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(report: Report, *, color: bool = False) -> str:
    del color  # the runner log colours annotations itself
    lines = [_finding_command(f) for f in report.sorted_findings()]
    lines.extend(_error_command(e) for e in report.sorted_errors())
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def escape_data(text: str) -> str:
    """Escape a command's message (after ``::``); ``%`` first so escapes are not doubled."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value, where ``:`` and ``,`` would end the value early."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: dict[str, object], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    head = f"::{name} {props}" if props else f"::{name}"
    return f"{head}::{escape_data(message)}"


def _finding_command(finding: Finding) -> str:
    props: dict[str, object] = {"file": finding.path, "line": finding.line}
    props["endLine"] = finding.end_line
    # GitHub rejects column ranges across lines; a whole-line annotation is the fallback.
    if finding.end_line == finding.line:
        props["col"] = finding.column
        # Exclusive like ours; an empty range (end == start) would be refused, so drop it.
        if finding.end_column > finding.column:
            props["endColumn"] = finding.end_column
    props["title"] = f"{finding.rule} {finding.name} [{finding.category}]"
    message = finding.message
    for rel in finding.related:
        message += f"\nnote: {rel.path}:{rel.line}: {rel.message}"
    return command(COMMANDS[finding.severity], props, message)


def _error_command(error: InputError) -> str:
    props: dict[str, object] = {"file": error.path}
    if error.line is not None:
        props["line"] = error.line
    props["title"] = f"evlint {error.code}"
    return command("error", props, error.message)


def step_summary(report: Report) -> str:
    """A Markdown section listing every finding and input error, for ``$GITHUB_STEP_SUMMARY``."""
    out = ["## evlint", "", summary_line(report), ""]
    findings = report.sorted_findings()
    if findings:
        out += ["| Severity | Location | Rule | Category | Message |", "|---|---|---|---|---|"]
        out.extend(
            f"| {f.severity.label} | {_cell(f'{f.path}:{f.line}:{f.column}')} "
            f"| {_cell(f'{f.rule} {f.name}')} | {_cell(f.category)} | {_cell(f.message)} |"
            for f in findings
        )
        out.append("")
    errors = report.sorted_errors()
    if errors:
        out += ["| Input error | Message |", "|---|---|"]
        out.extend(
            f"| {_cell(e.path if e.line is None else f'{e.path}:{e.line}')} | {_cell(e.message)} |"
            for e in errors
        )
        out.append("")
    return "\n".join(out) + "\n"


def write_step_summary(report: Report, path: str | os.PathLike[str]) -> None:
    """Append ``step_summary(report)`` to ``path`` (the file named by ``$GITHUB_STEP_SUMMARY``).

    Appends because earlier steps of the same job may have written their own sections.
    """
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(step_summary(report))


def _cell(text: str) -> str:
    # Document text must not close the table cell, break the row or inject HTML.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
