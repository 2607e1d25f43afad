"""Renderers: exact outputs from hand-built findings, plus format validity checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from evlint.model import Finding, InputError, Position, Related, Severity, Span
from evlint.render import (
    FORMATS,
    get_renderer,
    github,
    gitlab,
    json_format,
    junit,
    resolve_format,
    sarif,
    text,
)
from evlint.render.report import Report
from evlint.rulespec import Rule, RuleDoc

SARIF_SCHEMA = Path(__file__).parents[1].parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"


def make_finding(
    path: str = "docs/post.md",
    line: int = 3,
    column: int = 5,
    end_line: int | None = None,
    end_column: int = 30,
    *,
    rule: str = "EV101",
    name: str = "uncited-claim",
    category: str = "uncited-claim",
    severity: Severity = Severity.ERROR,
    message: str = "Claim has no citation.",
    snippet: str = "Turmeric cures arthritis.",
    related: tuple[Related, ...] = (),
    fingerprint: str = "",
) -> Finding:
    return Finding(
        path=path,
        position=Position(line, column, line if end_line is None else end_line, end_column),
        rule=rule,
        name=name,
        category=category,
        severity=severity,
        message=message,
        span=Span(0, 0),
        snippet=snippet,
        related=related,
        fingerprint=fingerprint,
    )


def make_rule(rule_id: str = "EV101", level: Severity = Severity.ERROR) -> Rule:
    return Rule(
        id=rule_id,
        name="uncited-claim",
        kind="claim-citation",
        scope="claim",
        category="uncited-claim",
        level=level,
        message="Claim has no citation.",
        summary="Health claims need a citation.",
        doc=RuleDoc(
            what="Flags health claims with no citation.",
            why="Readers cannot check an unsourced claim.",
            fix="Cite the study the claim rests on.",
            references=("https://example.org/guide",),
        ),
    )


def make_report(
    findings: tuple[Finding, ...] = (),
    errors: tuple[InputError, ...] = (),
    *,
    files_checked: int = 2,
    fail_on: Severity = Severity.WARNING,
) -> Report:
    return Report(
        findings=findings,
        errors=errors,
        rules={"EV101": make_rule()},
        files_checked=files_checked,
        tool_version="0.1.0",
        fail_on=fail_on,
    )


RELATED = Related("evidence/turmeric.md", 12, "the review covered 3 small trials")


def sample_report() -> Report:
    return make_report(
        (
            # Deliberately out of order: renderers must sort.
            make_finding(
                "docs/z.md",
                7,
                1,
                end_column=10,
                rule="EV200",
                name="hype",
                category="hype-language",
                severity=Severity.INFO,
                message="Avoid 'miracle'.",
                snippet="A miracle spice.",
            ),
            make_finding(related=(RELATED,)),
            make_finding(
                line=9,
                column=2,
                end_line=10,
                end_column=4,
                severity=Severity.WARNING,
                message="Second claim.",
                snippet="Line one\nline two",
            ),
        ),
        (InputError("docs/bad.md", "cannot decode as UTF-8", line=4),),
        files_checked=3,
    )


# --- registry ---------------------------------------------------------------------------


def test_every_format_renders_a_string() -> None:
    assert set(FORMATS) == {"text", "json", "sarif", "github", "gitlab", "junit"}
    for name in FORMATS:
        out = get_renderer(name)(sample_report(), color=False)
        assert isinstance(out, str)
        assert out.endswith("\n")


def test_unknown_format_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        get_renderer("xml")


def test_resolve_format() -> None:
    assert resolve_format("auto", {"GITHUB_ACTIONS": "true"}) == "github"
    assert resolve_format("auto", {"GITHUB_ACTIONS": "false"}) == "text"
    assert resolve_format("auto", {}) == "text"
    assert resolve_format("sarif", {"GITHUB_ACTIONS": "true"}) == "sarif"


@pytest.mark.slow
def test_importing_render_is_lazy() -> None:
    code = (
        "import sys, evlint\n"
        "before = set(sys.modules)\n"
        "import evlint.render\n"
        "new = set(sys.modules) - before\n"
        "heavy = {'json', 'xml.etree.ElementTree', 'urllib.parse', 'hashlib'}\n"
        "print(sorted(m for m in new if m in heavy or m.startswith('evlint.render.')))\n"
    )
    src = str(Path(__file__).parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "[]"


# --- text -------------------------------------------------------------------------------


def test_text_exact_output() -> None:
    assert text.render(sample_report()) == (
        "docs/post.md:3:5: error EV101 [uncited-claim] Claim has no citation.\n"
        "    Turmeric cures arthritis.\n"
        "  note: evidence/turmeric.md:12: the review covered 3 small trials\n"
        "docs/post.md:9:2: warning EV101 [uncited-claim] Second claim.\n"
        "    Line one\n"
        "    line two\n"
        "\n"
        "docs/z.md:7:1: info EV200 [hype-language] Avoid 'miracle'.\n"
        "    A miracle spice.\n"
        "\n"
        "docs/bad.md:4: error: cannot decode as UTF-8\n"
        "\n"
        "Found 3 problems (1 error, 1 warning, 1 info) in 2 of 3 files. 1 input error.\n"
    )


def test_text_colour_only_when_asked() -> None:
    plain = text.render(sample_report())
    coloured = text.render(sample_report(), color=True)
    assert "\x1b[" not in plain
    assert "\x1b[31merror\x1b[0m" in coloured
    assert "\x1b[33mwarning\x1b[0m" in coloured


def test_text_summaries() -> None:
    assert text.render(make_report(files_checked=4)) == "No problems found in 4 files.\n"
    assert text.summary_line(make_report(files_checked=1)) == "No problems found in 1 file."
    one = make_report((make_finding(),), files_checked=1)
    assert text.summary_line(one) == "Found 1 problem (1 error) in 1 file."
    warnings = make_report(
        (make_finding(severity=Severity.WARNING), make_finding("b.md", severity=Severity.WARNING))
    )
    assert text.summary_line(warnings) == "Found 2 problems (2 warnings) in 2 of 2 files."


def test_text_neutralises_terminal_control_characters() -> None:
    report = make_report((make_finding(message="bad\x1b[2Jmsg", snippet="a\x07b"),))
    out = text.render(report)
    assert "\x1b" not in out and "\x07" not in out
    assert "bad\\x1b[2Jmsg" in out
    assert "    a\\x07b\n" in out


# --- json -------------------------------------------------------------------------------


def test_json_exact_document() -> None:
    report = make_report((make_finding(related=(RELATED,), fingerprint="fp1"),))
    assert json.loads(json_format.render(report)) == {
        "version": 1,
        "tool": {"name": "evlint", "version": "0.1.0"},
        "findings": [
            {
                "path": "docs/post.md",
                "line": 3,
                "column": 5,
                "end_line": 3,
                "end_column": 30,
                "rule": "EV101",
                "name": "uncited-claim",
                "category": "uncited-claim",
                "severity": "error",
                "message": "Claim has no citation.",
                "snippet": "Turmeric cures arthritis.",
                "related": [
                    {
                        "path": "evidence/turmeric.md",
                        "line": 12,
                        "column": 1,
                        "message": "the review covered 3 small trials",
                    }
                ],
                "fingerprint": "fp1",
            }
        ],
        "errors": [],
        "summary": {
            "files_checked": 2,
            "files_with_findings": 1,
            "findings": 1,
            "error": 1,
            "warning": 0,
            "info": 0,
            "input_errors": 0,
            "fail_on": "warning",
            "failed": True,
        },
    }


def test_json_round_trips_findings_and_errors() -> None:
    report = sample_report()
    data = json.loads(json_format.render(report))
    rebuilt = tuple(
        make_finding(
            d["path"],
            d["line"],
            d["column"],
            d["end_line"],
            d["end_column"],
            rule=d["rule"],
            name=d["name"],
            category=d["category"],
            severity=Severity.parse(d["severity"]),
            message=d["message"],
            snippet=d["snippet"],
            related=tuple(
                Related(r["path"], r["line"], r["message"], r["column"]) for r in d["related"]
            ),
        )
        for d in data["findings"]
    )
    assert rebuilt == report.sorted_findings()
    assert [InputError(**e) for e in data["errors"]] == list(report.errors)
    assert data["summary"]["failed"] is True


def test_json_keeps_non_ascii_and_fingerprints_unique() -> None:
    twin = make_finding(message="Kurkuma heilt Arthritis – sicher.")
    data = json.loads(json_format.render(make_report((twin, twin))))
    assert data["findings"][0]["message"] == "Kurkuma heilt Arthritis – sicher."
    first, second = (f["fingerprint"] for f in data["findings"])
    assert first != second
    assert second == f"{first}:2"
    assert "–" in json_format.render(make_report((twin,)))


def test_summary_not_failed_below_fail_on() -> None:
    report = make_report((make_finding(severity=Severity.INFO),), fail_on=Severity.WARNING)
    assert json.loads(json_format.render(report))["summary"]["failed"] is False


# --- sarif ------------------------------------------------------------------------------


def _sarif_validator() -> Any:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"{SARIF_SCHEMA} not present")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    validator_class = jsonschema.Draft4Validator
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


@pytest.mark.parametrize(
    "report",
    [sample_report(), make_report(files_checked=0), make_report((make_finding(rule="X9"),))],
    ids=["findings-and-errors", "empty", "rule-not-in-report"],
)
def test_sarif_is_valid_against_the_schema(report: Report) -> None:
    validator = _sarif_validator()
    document = json.loads(sarif.render(report))
    errors = sorted(validator.iter_errors(document), key=str)
    assert errors == [], "\n".join(e.message for e in errors)


def test_sarif_content() -> None:
    doc = json.loads(sarif.render(sample_report()))
    assert doc["version"] == "2.1.0"
    assert doc["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = doc["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("evlint", "0.1.0")
    assert [r["id"] for r in driver["rules"]] == ["EV101", "EV200"]
    ev101 = driver["rules"][0]
    assert ev101["defaultConfiguration"]["level"] == "error"
    assert ev101["properties"]["category"] == "uncited-claim"
    assert ev101["help"]["markdown"].startswith("**What it does.** Flags health claims")
    assert "- https://example.org/guide" in ev101["help"]["text"]

    first, second, third = run["results"]
    assert first["ruleId"] == "EV101" and first["ruleIndex"] == 0
    assert third["ruleId"] == "EV200" and third["ruleIndex"] == 1
    assert [r["level"] for r in run["results"]] == ["error", "warning", "note"]
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "docs/post.md", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {
        "startLine": 3,
        "startColumn": 5,
        "endLine": 3,
        "endColumn": 30,
        "snippet": {"text": "Turmeric cures arthritis."},
    }
    assert first["relatedLocations"][0]["message"]["text"] == RELATED.message
    related_region = first["relatedLocations"][0]["physicalLocation"]["region"]
    assert related_region == {"startLine": 12, "startColumn": 1}
    assert first["partialFingerprints"]["evlint/v1"] != second["partialFingerprints"]["evlint/v1"]

    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["message"]["text"] == "cannot decode as UTF-8"
    assert note["locations"][0]["physicalLocation"]["region"] == {"startLine": 4}


def test_sarif_successful_run_and_uris() -> None:
    assert json.loads(sarif.render(make_report()))["runs"][0]["invocations"] == [
        {"executionSuccessful": True}
    ]
    assert sarif.artifact_location("./my docs/a#1.md") == {
        "uri": "my%20docs/a%231.md",
        "uriBaseId": "%SRCROOT%",
    }
    assert sarif.artifact_location("/abs/x y.md") == {"uri": "file:///abs/x%20y.md"}


def test_sarif_uses_pipeline_fingerprint_when_set() -> None:
    doc = json.loads(sarif.render(make_report((make_finding(fingerprint="abc"),))))
    assert doc["runs"][0]["results"][0]["partialFingerprints"] == {"evlint/v1": "abc"}


# --- github -----------------------------------------------------------------------------


def test_github_escaping() -> None:
    finding = make_finding(
        "docs/a,b:c.md",
        rule="EV1",
        name="a:b,c",
        category="x",
        message="100% sure: yes, really\nnext\rline",
    )
    out = github.render(make_report((finding,)))
    assert out.splitlines()[0] == (
        "::error file=docs/a%2Cb%3Ac.md,line=3,endLine=3,col=5,endColumn=30,"
        "title=EV1 a%3Ab%2Cc [x]::100%25 sure: yes, really%0Anext%0Dline"
    )


def test_github_empty_range_keeps_only_start_column() -> None:
    out = github.render(make_report((make_finding(column=4, end_column=4),)))
    assert out.startswith("::error file=docs/post.md,line=3,endLine=3,col=4,title=")


def test_github_escape_functions() -> None:
    assert github.escape_data("%0A\n") == "%250A%0A"
    assert github.escape_property("a:b,c%\r") == "a%3Ab%2Cc%25%0D"


def test_github_multiline_range_omits_columns() -> None:
    out = github.render(sample_report()).splitlines()
    assert out == [
        "::error file=docs/post.md,line=3,endLine=3,col=5,endColumn=30,"
        "title=EV101 uncited-claim [uncited-claim]::Claim has no citation."
        "%0Anote: evidence/turmeric.md:12: the review covered 3 small trials",
        "::warning file=docs/post.md,line=9,endLine=10,"
        "title=EV101 uncited-claim [uncited-claim]::Second claim.",
        "::notice file=docs/z.md,line=7,endLine=7,col=1,endColumn=10,"
        "title=EV200 hype [hype-language]::Avoid 'miracle'.",
        "::error file=docs/bad.md,line=4,title=evlint input-error::cannot decode as UTF-8",
        "Found 3 problems (1 error, 1 warning, 1 info) in 2 of 3 files. 1 input error.",
    ]


def test_github_step_summary_lists_every_finding(tmp_path: Path) -> None:
    # More than GitHub's 10-annotations-per-level cap: the summary must hold them all.
    findings = tuple(make_finding(line=n, message=f"claim {n} | x") for n in range(1, 26))
    report = make_report(findings, (InputError("b.md", "broken <b>"),))
    target = tmp_path / "summary.md"
    target.write_text("earlier step\n", encoding="utf-8")
    github.write_step_summary(report, target)
    github.write_step_summary(report, target)
    content = target.read_text(encoding="utf-8")
    assert content.startswith("earlier step\n## evlint\n")
    assert content.count("## evlint") == 2
    rows = [line for line in content.splitlines() if line.startswith("| error |")]
    assert len(rows) == 50
    assert rows[0] == (
        "| error | docs/post.md:1:5 | EV101 uncited-claim | uncited-claim | claim 1 \\| x |"
    )
    assert "| b.md | broken &lt;b&gt; |" in content


def test_github_step_summary_cell_newlines() -> None:
    md = github.step_summary(make_report((make_finding(message="a\nb"),)))
    assert "| a<br>b |" in md


# --- gitlab -----------------------------------------------------------------------------


def test_gitlab_issue_shape() -> None:
    (issue,) = json.loads(gitlab.render(make_report((make_finding(end_line=4),))))
    fingerprint = issue.pop("fingerprint")
    assert len(fingerprint) == 32 and int(fingerprint, 16) >= 0
    assert issue == {
        "type": "issue",
        "description": "Claim has no citation.",
        "check_name": "EV101",
        "categories": ["Clarity"],
        "severity": "major",
        "location": {"path": "docs/post.md", "lines": {"begin": 3, "end": 4}},
    }


def test_gitlab_fingerprints_unique_and_stable() -> None:
    twin = make_finding()
    report = make_report((twin, twin, twin, make_finding(line=4)))
    issues = json.loads(gitlab.render(report))
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == 4
    assert fingerprints == [i["fingerprint"] for i in json.loads(gitlab.render(report))]


def test_gitlab_severities_and_errors() -> None:
    issues = json.loads(gitlab.render(sample_report()))
    assert [i["severity"] for i in issues] == ["major", "minor", "info", "critical"]
    assert issues[-1]["location"] == {"path": "docs/bad.md", "lines": {"begin": 4}}
    assert issues[-1]["check_name"] == "input-error"


# --- junit ------------------------------------------------------------------------------


def test_junit_parses_back() -> None:
    report = make_report(
        (
            make_finding(message='Say "no" & <stop>', snippet="x\x01y"),
            make_finding("other.md", severity=Severity.INFO),
        ),
        (InputError("bad.md", "unreadable"),),
    )
    out = junit.render(report)
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')
    root = ET.fromstring(out)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "1")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["bad.md", "docs/post.md", "other.md"]

    failure = suites["docs/post.md"].find("testcase/failure")
    assert failure is not None
    assert failure.get("message") == 'Say "no" & <stop>'
    assert failure.get("type") == "EV101"
    assert failure.text is not None and "x\ufffdy" in failure.text

    info_case = suites["other.md"].find("testcase")
    assert info_case is not None and info_case.find("failure") is None
    assert info_case.findtext("system-out", "").startswith("other.md:3:5: info EV101")

    error = suites["bad.md"].find("testcase/error")
    assert error is not None and error.get("message") == "unreadable"


def test_junit_clean_run_is_one_passing_case() -> None:
    root = ET.fromstring(junit.render(make_report(files_checked=5)))
    (case,) = root.iter("testcase")
    assert case.get("name") == "No problems found in 5 files."
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("1", "0", "0")


def test_streaming_text_matches_collected_rendering_for_sorted_input() -> None:
    from evlint.engine import lint_text
    from evlint.model import InputError
    from evlint.render.report import Report
    from evlint.render.text import StreamingText, render

    first = lint_text("Turmeric reduces joint pain in arthritis.\n", "a.md").findings
    second = lint_text("Our miracle cure is completely safe.\n", "b.md").findings
    errors = (InputError("c.md", "binary file (contains NUL bytes); not linted"),)
    chunks: list[str] = []
    stream = StreamingText(chunks.append, color=False, fail_on=Severity.WARNING)
    stream.add(first)
    stream.add(())
    stream.add(second)
    stream.finish(errors, 3)
    report = Report(first + second, errors, {}, 3, "0", Severity.WARNING)
    assert "".join(chunks) == render(report)
    assert stream.failed
