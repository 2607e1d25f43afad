"""JUnit XML, for CI systems that only understand test reports.

One ``<testsuite>`` per file with problems and one ``<testcase>`` per finding.  Findings at
or above ``fail_on`` carry a ``<failure>``; those below it pass with the finding in
``<system-out>``, so the report agrees with the exit code.  Input errors are ``<error>``s.
A clean run is a single passing test case.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby

from evlint.model import Finding, InputError
from evlint.regex_cache import compile_regex
from evlint.render.report import Report
from evlint.render.text import summary_line

# XML 1.0 forbids most C0 controls and lone surrogates even when escaped; ElementTree
# would write them through and produce a file no parser accepts.
_NOT_XML = compile_regex("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(report: Report, *, color: bool = False) -> str:
    del color  # one signature for every format
    root = ET.Element("testsuites", name="evlint")
    by_path: dict[str, list[ET.Element]] = {}
    for path, group in groupby(report.sorted_findings(), key=lambda f: f.path):
        by_path[path] = [_finding_case(f, report) for f in group]
    for error in report.sorted_errors():
        by_path.setdefault(error.path, []).append(_error_case(error))
    if not by_path:
        case = ET.Element("testcase", classname="evlint", name=_safe(summary_line(report)))
        by_path["evlint"] = [case]
    for path in sorted(by_path):
        root.append(_suite(path, by_path[path]))
    _count(root, root.findall("testsuite/testcase"))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _suite(path: str, cases: list[ET.Element]) -> ET.Element:
    suite = ET.Element("testsuite", name=_safe(path))
    _count(suite, cases)
    suite.extend(cases)
    return suite


def _count(element: ET.Element, cases: list[ET.Element]) -> None:
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(c.find("failure") is not None for c in cases)))
    element.set("errors", str(sum(c.find("error") is not None for c in cases)))


def _finding_case(finding: Finding, report: Report) -> ET.Element:
    case = ET.Element(
        "testcase",
        classname=_safe(finding.path),
        name=_safe(f"{finding.rule} {finding.name} ({finding.line}:{finding.column})"),
        file=_safe(finding.path),
        line=str(finding.line),
    )
    if finding.severity >= report.fail_on:
        detail = ET.SubElement(
            case, "failure", type=_safe(finding.rule), message=_safe(finding.message)
        )
    else:
        detail = ET.SubElement(case, "system-out")
    detail.text = _safe(_describe(finding))
    return case


def _error_case(error: InputError) -> ET.Element:
    case = ET.Element("testcase", classname=_safe(error.path), name=_safe(error.code))
    failure = ET.SubElement(case, "error", type=_safe(error.code), message=_safe(error.message))
    failure.text = _safe(error.describe())
    return case


def _describe(finding: Finding) -> str:
    lines = [
        f"{finding.path}:{finding.line}:{finding.column}: {finding.severity.label} "
        f"{finding.rule} [{finding.category}] {finding.message}"
    ]
    lines.extend(f"    {line}" for line in finding.snippet.splitlines() if line.strip())
    lines.extend(f"  note: {r.path}:{r.line}: {r.message}" for r in finding.related)
    return "\n".join(lines)


def _safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
