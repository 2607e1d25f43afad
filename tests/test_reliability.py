"""Issue 9: every hostile input gets a clear answer, and nothing else is lost.

Each case lints a known good file next to one bad input through the real CLI and
checks: no traceback, a message naming the file (and line), the good file's findings
unchanged, exit 2 for input/config errors vs 1 for findings, content files untouched,
and a bounded run time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from evlint import engine
from evlint.config import Config
from evlint.engine import lint_file, lint_paths

pytestmark = pytest.mark.slow

GOOD = "# Exosome care\n\nExosomes cure cancer.\n"
RUN_TIMEOUT = 60
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, "-m", "evlint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=RUN_TIMEOUT,
    )


def report_of(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def findings_for(report: dict[str, Any], name: str) -> list[tuple[str, int, int]]:
    return sorted(
        (f["rule"], f["line"], f["column"]) for f in report["findings"] if f["path"].endswith(name)
    )


def errors_for(report: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [e for e in report["errors"] if e["path"].endswith(name)]


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    files: dict[str, tuple[bytes, int]] = {}
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            files[str(path)] = (path.read_bytes(), path.stat().st_mtime_ns)
    return files


@pytest.fixture(scope="module")
def good_findings(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, int, int]]:
    root = tmp_path_factory.mktemp("baseline")
    (root / "good.md").write_text(GOOD, encoding="utf-8")
    result = run("check", "good.md", "--format", "json", cwd=root)
    assert result.returncode == 1, result.stderr
    found = findings_for(report_of(result), "good.md")
    assert ("EV101", 3, 1) in found  # the baseline itself must be meaningful
    return found


# --- files ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    data: bytes
    error: str | None = None  # substring of the expected input error for bad.md
    line: int | None = None  # its line
    rule: str | None = None  # or: a finding expected in bad.md …
    rule_line: int | None = None  # … at this line
    text: str | None = None  # and a substring of that finding's message


BOMB = (
    "---\n"
    "a: &a [x, x, x, x, x, x, x, x, x]\n"
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
    "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
    "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n"
    "---\nExosomes cure cancer.\n"
)

CASES = [
    Case("empty", b""),
    Case("only-front-matter", b"---\ntitle: Hello\nauthor: A. Writer\n---\n"),
    Case("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), error="binary"),
    Case(
        "invalid-utf8",
        b"# Title\n\nfine\nbad \xc3\x28 byte\n",
        error="invalid UTF-8 (byte 0xc3 at line 4, column 5)",
        line=4,
    ),
    Case(
        "utf16-le-bom",
        "# T\n\nExosomes cure cancer.\n".encode("utf-16"),
        rule="EV101",
        rule_line=3,
    ),
    Case(
        "utf16-be-bom",
        b"\xfe\xff" + "# T\n\nExosomes cure cancer.\n".encode("utf-16-be"),
        rule="EV101",
        rule_line=3,
    ),
    Case("nul-bytes", b"# T\n\nExosomes \x00cure cancer.\n", error="NUL"),
    Case(
        "mixed-line-endings",
        b"# T\r\n\r\nPlain words here.\rMore words.\n\nExosomes cure cancer.\r\n",
        rule="EV101",
        rule_line=6,
    ),
    Case(
        "unterminated-front-matter",
        b"---\ntitle: x\n\nExosomes cure cancer.\n",
        rule="EV001",
        rule_line=1,
        text="unterminated",
    ),
    Case("yaml-alias-bomb", BOMB.encode(), rule="EV001", rule_line=2, text="alias bomb"),
    Case(
        "yaml-object-tag",
        b"---\ntitle: !!python/object/apply:os.system ['touch pwned']\n---\nHi.\n",
        rule="EV001",
        rule_line=2,
        text="python/object",
    ),
    Case(
        "yaml-duplicate-key",
        b"---\ntitle: a\nauthor: b\ntitle: c\n---\nHi.\n",
        rule="EV001",
        rule_line=4,
        text="duplicate key 'title'",
    ),
    Case(
        "toml-broken",
        b"+++\ntitle = 'x'\ndate = \n+++\nHi.\n",
        rule="EV001",
        rule_line=3,
        text="TOML",
    ),
    Case(
        "json-broken",
        b'{\n  "title": "x",\n  "date": \n}\nHi.\n',
        rule="EV001",
        rule_line=4,
        text="JSON",
    ),
    Case(
        "nested-list-10000",
        b"- " * 10_000 + b"Exosomes cure cancer.\n",
        error="nested more than 64 levels",
        line=1,
    ),
    Case(
        "nested-quote-10000",
        b"# T\n\n" + b">" * 10_000 + b" Exosomes cure cancer.\n",
        error="nested more than 64 levels",
        line=3,
    ),
    Case(
        "nested-list-staircase",
        b"".join(b"  " * i + b"- item\n" for i in range(1500)),
        error="nested more than 64 levels",
        line=32,
    ),
    Case(
        "one-megabyte-line",  # long tokens: 1 MB of prose sentences takes ~20 s to grade
        (b"x" * 99 + b" ") * 10_000 + b"Exosomes cure cancer.\n",
        rule="EV101",
        rule_line=1,
    ),
    Case(
        "hundred-thousand-lines",
        b"```\n" + b"code line\n" * 99_998 + b"```\nExosomes cure cancer.\n",
        rule="EV101",
        rule_line=100_001,
    ),
    Case(
        "five-thousand-paragraphs",
        b"Plain words.\n\n" * 5_000 + b"Exosomes cure cancer.\n",
        rule="EV101",
        rule_line=10_001,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_file_gets_a_clear_answer(
    case: Case, tmp_path: Path, good_findings: list[tuple[str, int, int]]
) -> None:
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.md").write_bytes(case.data)
    before = snapshot(tmp_path)
    started = time.monotonic()
    result = run("check", ".", "--format", "json", cwd=tmp_path)
    assert time.monotonic() - started < 45
    report = report_of(result)
    assert findings_for(report, "good.md") == good_findings
    errors = errors_for(report, "bad.md")
    if case.error is not None:
        assert result.returncode == 2, result.stdout
        assert len(errors) == 1, report["errors"]
        assert case.error in errors[0]["message"]
        assert errors[0]["line"] == case.line
    else:
        assert errors == []
        assert result.returncode == 1
    bad = [f for f in report["findings"] if f["path"].endswith("bad.md")]
    if case.rule is not None:
        hits = [f for f in bad if f["rule"] == case.rule and f["line"] == case.rule_line]
        assert hits, bad
        assert case.text is None or case.text in hits[0]["message"]
    elif case.error is None:  # only whole-page checks (no date, no sources …) may fire
        assert all(f["category"].startswith("no-") for f in bad), bad
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "pwned").exists()


def test_text_output_names_file_and_line_for_errors(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.md").write_bytes(b"ok\n\xff\n")
    result = run("check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "bad.md:2: error: invalid UTF-8" in result.stdout + result.stderr
    assert "good.md:3:1: warning EV101" in result.stdout
    assert "Traceback" not in result.stderr


def test_size_limit_is_configurable_and_reported(
    tmp_path: Path, good_findings: list[tuple[str, int, int]]
) -> None:
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    with open(tmp_path / "huge.md", "wb") as handle:  # 20 MB, over the 10 MiB default
        handle.write(b"Exosomes cure cancer.\n" * (20 * 1024 * 1024 // 22 + 1))
    (tmp_path / "medium.md").write_bytes(b"Exosomes cure cancer.\n" * 200)  # 4,400 bytes
    started = time.monotonic()
    result = run("check", ".", "--format", "json", cwd=tmp_path)
    assert time.monotonic() - started < 30  # skipped by size, never read
    report = report_of(result)
    assert result.returncode == 1
    skipped = [f for f in report["findings"] if f["path"].endswith("huge.md")]
    assert [(f["rule"], f["line"]) for f in skipped] == [("EV002", 1)]
    assert "over the 10,485,760-byte limit" in skipped[0]["message"]
    assert findings_for(report, "good.md") == good_findings
    assert any(f["rule"] == "EV101" for f in report["findings"] if f["path"].endswith("medium.md"))

    (tmp_path / ".evlint.yaml").write_text("max-file-size: 4KB\n", encoding="utf-8")
    report = report_of(run("check", ".", "--format", "json", cwd=tmp_path))
    medium = [f for f in report["findings"] if f["path"].endswith("medium.md")]
    assert [(f["rule"], f["line"]) for f in medium] == [("EV002", 1)]
    assert "4,400 bytes, over the 4,000-byte limit" in medium[0]["message"]
    assert findings_for(report, "good.md") == good_findings


# --- paths --------------------------------------------------------------------------


def test_missing_path_is_an_error_and_the_rest_is_linted(
    tmp_path: Path, good_findings: list[tuple[str, int, int]]
) -> None:
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    result = run("check", "good.md", "missing.md", "--format", "json", cwd=tmp_path)
    report = report_of(result)
    assert result.returncode == 2
    assert [e["message"] for e in errors_for(report, "missing.md")] == ["no such file or directory"]
    assert findings_for(report, "good.md") == good_findings


def test_directory_symlink_loops_end(
    tmp_path: Path, good_findings: list[tuple[str, int, int]]
) -> None:
    (tmp_path / "docs" / "inner").mkdir(parents=True)
    (tmp_path / "docs" / "inner" / "good.md").write_text(GOOD, encoding="utf-8")
    os.symlink("..", tmp_path / "docs" / "inner" / "up")
    os.symlink(".", tmp_path / "docs" / "self")
    os.symlink("b.md", tmp_path / "docs" / "a.md")  # a file symlink loop
    os.symlink("a.md", tmp_path / "docs" / "b.md")
    for target in ("docs", "docs/self", "docs/inner/up"):
        result = run("check", target, "--format", "json", cwd=tmp_path)
        report = report_of(result)
        assert result.returncode == 2, target
        paths = {f["path"] for f in report["findings"]}
        assert len(paths) == 1, paths  # the good file once, not once per loop
        assert findings_for(report, "good.md") == good_findings
        loops = errors_for(report, "a.md") + errors_for(report, "b.md")
        assert {e["message"] for e in loops} == {"cannot read: Too many levels of symbolic links"}


def test_permission_denied_in_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # We run as root in CI, where chmod does not stop reads: fake the failure instead.
    secret = tmp_path / "secret.md"
    secret.write_text(GOOD, encoding="utf-8")
    real_open = open

    def deny(path: Any, *args: Any, **kwargs: Any) -> Any:
        if str(path) == str(secret):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(engine, "open", deny, raising=False)
    result = lint_file(str(secret), Config())
    assert result.findings == ()
    assert [(e.path, e.message) for e in result.errors] == [(str(secret), "permission denied")]


def test_unreadable_directory_in_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    real_scandir = os.scandir

    def deny(path: Any = ".") -> Any:
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", deny)
    results = list(lint_paths([str(tmp_path)], Config(), jobs=1))
    errors = [e for r in results for e in r.errors]
    assert [(e.path.endswith("locked"), e.message) for e in errors] == [
        (True, "cannot read directory: Permission denied")
    ]
    assert any(r.path.endswith("good.md") and r.findings for r in results)


@pytest.mark.skipif(IS_ROOT, reason="root reads files whatever their mode")
def test_permission_denied_via_cli(
    tmp_path: Path, good_findings: list[tuple[str, int, int]]
) -> None:
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    secret = tmp_path / "secret.md"
    secret.write_text(GOOD, encoding="utf-8")
    secret.chmod(0)
    try:
        report = report_of(result := run("check", ".", "--format", "json", cwd=tmp_path))
    finally:
        secret.chmod(0o644)
    assert result.returncode == 2
    assert [e["message"] for e in errors_for(report, "secret.md")] == ["permission denied"]
    assert findings_for(report, "good.md") == good_findings


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_and_device_do_not_hang(
    tmp_path: Path, good_findings: list[tuple[str, int, int]]
) -> None:
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.md")  # opening it for reading would block forever
    for args in (("check", "."), ("check", "good.md", "pipe.md", os.devnull)):
        result = run(*args, "--format", "json", cwd=tmp_path)  # timeout: RUN_TIMEOUT
        report = report_of(result)
        assert result.returncode == 2
        assert [e["message"] for e in errors_for(report, "pipe.md")] == [
            "not a regular file (FIFO, device or socket); skipped"
        ]
        assert findings_for(report, "good.md") == good_findings
    assert len(errors_for(report, "null")) == 1


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_non_utf8_file_names_are_printed(fmt: str, tmp_path: Path) -> None:
    raw = os.fsencode(str(tmp_path)) + b"/caf\xe9-\xff.md"
    with open(raw, "wb") as handle:
        handle.write(GOOD.encode())
    (tmp_path / "naïve.md").write_text(GOOD, encoding="utf-8")
    result = run("check", ".", "--format", fmt, cwd=tmp_path, env={"PYTHONIOENCODING": "ascii"})
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stderr
    shown = "caf\\xe9-\\xff.md"
    expected = {"json": json.dumps(shown)[1:-1], "sarif": "caf%5Cxe9-%5Cxff.md"}
    assert expected.get(fmt, shown) in result.stdout
    with open(raw, "rb") as handle:
        assert handle.read() == GOOD.encode()


def test_thousands_of_files(tmp_path: Path) -> None:
    plain = "# Opening hours\n\nWe are open on weekdays.\n"
    for index in range(2000):
        body = GOOD if index % 500 == 0 else plain
        (tmp_path / f"page-{index:04}.md").write_text(body, encoding="utf-8")
    (tmp_path / "page-1234.md").write_bytes(b"\x00binary")
    started = time.monotonic()
    result = run("check", ".", "--format", "json", cwd=tmp_path)
    assert time.monotonic() - started < 45
    report = report_of(result)
    assert result.returncode == 2
    assert report["summary"]["files_checked"] == 2000
    flagged = {f["path"] for f in report["findings"] if f["rule"] == "EV101"}
    assert flagged == {f"page-{i:04}.md" for i in range(0, 2000, 500)}
    assert [e["path"] for e in report["errors"]] == ["page-1234.md"]


# --- config, rules, output -------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("rules: [\n", ".evlint.yaml:2: invalid YAML"),
        ("colour: red\n", ".evlint.yaml:1: colour: unknown key"),
        ("max-file-size: lots\n", ".evlint.yaml:1: max-file-size: must be a positive"),
        ("fail-on: 3\n", ".evlint.yaml:1: fail-on"),
    ],
    ids=["malformed", "unknown-key", "wrong-type", "wrong-type-fail-on"],
)
def test_bad_config_is_a_clear_error(config: str, expected: str, tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / ".evlint.yaml").write_text(config, encoding="utf-8")
    result = run("check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


RULE = """\
id: X901
name: {name}
kind: pattern
scope: sentence
category: hype-language
level: warning
message: "Avoid '{{term}}'."
summary: A user pattern.
options:
  ignorecase: true
  patterns:
{patterns}
docs:
  what: A user pattern.
  why: Testing.
  fix: Reword.
"""


def write_rule(directory: Path, name: str, patterns: list[str]) -> None:
    directory.mkdir(exist_ok=True)
    listed = "".join(f"    - '{p}'\n" for p in patterns)
    text = RULE.format(name=name, patterns=listed)
    (directory / f"X901-{name}.yaml").write_text(text, encoding="utf-8")


def test_invalid_user_regex_names_rule_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    write_rule(tmp_path / "myrules", "bad-regex", ["fine", "(unclosed"])
    (tmp_path / ".evlint.yaml").write_text("rule-dirs: [myrules]\n", encoding="utf-8")
    result = run("check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "X901-bad-regex.yaml:11:" in result.stderr  # the `patterns:` line
    assert "patterns[1] '(unclosed' is not a valid regex" in result.stderr
    assert "Traceback" not in result.stderr


def test_catastrophic_user_regex_is_stopped_and_reported(
    tmp_path: Path, good_findings: list[tuple[str, int, int]]
) -> None:
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "slow.md").write_text("# T\n\n" + "a" * 5000 + "b\n", encoding="utf-8")
    (tmp_path / "slow2.md").write_text("# T\n\n" + "a" * 5000 + "!\n", encoding="utf-8")
    write_rule(tmp_path / "myrules", "slow-pattern", ["(a+)+$", "exosomes"])
    (tmp_path / ".evlint.yaml").write_text("rule-dirs: [myrules]\n", encoding="utf-8")
    started = time.monotonic()
    report = report_of(result := run("check", ".", "--format", "json", "-j", "1", cwd=tmp_path))
    assert time.monotonic() - started < 20
    assert result.returncode == 2
    for name in ("slow.md", "slow2.md"):
        [error] = errors_for(report, name)
        assert (
            "rule X901 (slow-pattern): pattern '(a+)+$' took longer than 0.25s"
            in (error["message"])
        )
    # The other rules still ran on the good file, and the user rule on it too.
    assert findings_for(report, "good.md") == sorted([*good_findings, ("X901", 3, 1)])


def test_unwritable_output_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    result = run("check", ".", "--output", str(tmp_path / "no" / "such" / "r.json"), cwd=tmp_path)
    assert result.returncode == 2
    assert "cannot write report to" in result.stderr and "r.json" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_pipe_exits_quietly(tmp_path: Path) -> None:
    for index in range(300):
        (tmp_path / f"p{index:03}.md").write_text(GOOD, encoding="utf-8")
    pipeline = subprocess.run(
        f"{sys.executable} -m evlint check . -j 1 | head -n 1",
        shell=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert pipeline.stdout.startswith("p000.md:1:1: warning ")
    assert "Traceback" not in pipeline.stderr
    assert "BrokenPipe" not in pipeline.stderr


def test_a_file_that_takes_too_long_is_stopped_and_reported(
    tmp_path: Path, good_findings: list[tuple[str, int, int]]
) -> None:
    # No known input hangs evlint any more; the per-file watchdog is the safety net for
    # one nobody foresaw.  A big (legitimate) file and a tiny limit stand in for it.
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "slow.md").write_text("Exosomes cure cancer.\n\n" * 20_000, encoding="utf-8")
    started = time.monotonic()
    # 2 s: well under the ~8 s the big file takes, well over a small file's first-use
    # loading of lexicons and models on a busy CI machine.
    result = run("check", ".", "--format", "json", cwd=tmp_path, env={"EVLINT_FILE_TIMEOUT": "2"})
    assert time.monotonic() - started < 20
    report = report_of(result)
    assert result.returncode == 2
    [error] = errors_for(report, "slow.md")
    assert error["code"] == "timeout"
    assert error["message"].startswith("linting took longer than 2s and was stopped")
    assert findings_for(report, "good.md") == good_findings
