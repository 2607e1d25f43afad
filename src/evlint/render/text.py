"""Human-readable output, grouped by file, in the ``path:line:col:`` form editors link.

For example::

    docs/post.md:3:5: error EV101 [uncited-claim] Claim has no citation.
        Turmeric cures arthritis.
      note: evidence/turmeric.md:12: the review covered 3 small trials

    Found 1 problem (1 error) in 1 of 2 files.
"""

from __future__ import annotations

from collections.abc import Callable

from evlint.model import Finding, InputError, Severity
from evlint.regex_cache import compile_regex
from evlint.render.report import Report

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_LEVEL_COLOUR = {
    Severity.ERROR: "\x1b[31m",  # red
    Severity.WARNING: "\x1b[33m",  # yellow
    Severity.INFO: "\x1b[36m",  # cyan
}
_NOUN = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}

# Document text is untrusted: a stray ESC or BEL in a snippet must not drive the terminal.
_CONTROL = compile_regex(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def render(report: Report, *, color: bool = False) -> str:
    paint = _Painter(color)
    lines: list[str] = []
    current: str | None = None
    for finding in report.sorted_findings():
        if current is not None and finding.path != current:
            lines.append("")
        current = finding.path
        lines.extend(_finding_lines(finding, paint))
    errors = report.sorted_errors()
    if errors and lines:
        lines.append("")
    lines.extend(_error_line(error, paint) for error in errors)
    if lines:
        lines.append("")
    lines.append(paint(_BOLD, summary_line(report)))
    return "\n".join(lines) + "\n"


def summary_line(report: Report) -> str:
    """``Found 7 problems (2 errors, 5 warnings) in 1 of 2 files.`` or ``No problems…``."""
    return _summary(
        report.counts(), report.files_checked, report.files_with_findings(), len(report.errors)
    )


def _summary(
    counts: dict[Severity, int], files_checked: int, files_with_findings: int, input_errors: int
) -> str:
    total = sum(counts.values())
    if total == 0:
        text = f"No problems found in {_plural(files_checked, 'file')}."
    else:
        levels = sorted(counts, reverse=True)
        parts = [_plural(counts[level], _NOUN[level]) for level in levels if counts[level]]
        where = _plural(files_checked, "file")
        if files_checked != 1:
            where = f"{files_with_findings} of {where}"
        text = f"Found {_plural(total, 'problem')} ({', '.join(parts)}) in {where}."
    if input_errors:
        text += f" {_plural(input_errors, 'input error')}."
    return text


class StreamingText:
    """Text output printed file by file as results arrive, keeping only counts.

    Used for the plain terminal case so memory stays flat however many files are
    linted; files appear in discovery order rather than sorted by path.
    """

    def __init__(self, write: Callable[[str], None], *, color: bool, fail_on: Severity) -> None:
        self._write = write
        self._paint = _Painter(color)
        self._fail_on = fail_on
        self._counts: dict[Severity, int] = {level: 0 for level in Severity}
        self._files_with_findings = 0
        self._printed = False
        self.failed = False

    def add(self, findings: tuple[Finding, ...]) -> None:
        if not findings:
            return
        lines: list[str] = [""] if self._printed else []
        for finding in sorted(findings, key=lambda f: (*f.sort_key(), f.message)):
            lines.extend(_finding_lines(finding, self._paint))
            self._counts[finding.severity] += 1
            self.failed = self.failed or finding.severity >= self._fail_on
        self._files_with_findings += 1
        self._printed = True
        self._write("\n".join(lines) + "\n")

    def finish(self, errors: tuple[InputError, ...], files_checked: int) -> None:
        lines: list[str] = []
        ordered = sorted(errors, key=lambda e: (e.path, e.line or 0, e.message))
        if ordered and self._printed:
            lines.append("")
        lines.extend(_error_line(error, self._paint) for error in ordered)
        if lines or self._printed:
            lines.append("")
        summary = _summary(self._counts, files_checked, self._files_with_findings, len(errors))
        lines.append(self._paint(_BOLD, summary))
        self._write("\n".join(lines) + "\n")
        self.failed = self.failed or bool(errors)


def _finding_lines(finding: Finding, paint: _Painter) -> list[str]:
    where = f"{finding.path}:{finding.line}:{finding.column}:"
    level = paint(_LEVEL_COLOUR[finding.severity], finding.severity.label)
    head = (
        f"{paint(_BOLD, where)} {level} {paint(_BOLD, finding.rule)} "
        f"{paint(_DIM, f'[{finding.category}]')} {clean(finding.message)}"
    )
    out = [head]
    out.extend(f"    {line}" for line in clean(finding.snippet).splitlines() if line.strip())
    out.extend(
        f"  {paint(_DIM, 'note:')} {rel.path}:{rel.line}: {clean(rel.message)}"
        for rel in finding.related
    )
    return out


def _error_line(error: InputError, paint: _Painter) -> str:
    where = error.path if error.line is None else f"{error.path}:{error.line}"
    return f"{paint(_BOLD, where + ':')} {paint(_LEVEL_COLOUR[Severity.ERROR], 'error:')} " + clean(
        error.message
    )


def clean(text: str) -> str:
    """Replace terminal control characters (not tab or newline) with ``\\xNN`` escapes."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _plural(n: int, noun: str) -> str:
    if n == 1 or noun == "info":
        return f"{n} {noun}"
    return f"{n} {noun}s"


class _Painter:
    """Wraps text in an ANSI style, or returns it unchanged when colour is off."""

    __slots__ = ("_on",)

    def __init__(self, on: bool) -> None:
        self._on = on

    def __call__(self, style: str, text: str) -> str:
        return f"{style}{text}{_RESET}" if self._on else text
