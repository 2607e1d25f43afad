"""Integrations end to end: diff mode, GitHub annotations and summary, SARIF, report
files, rule docs, progress on a terminal, and the GitHub Action's script."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from evlint.docs import rule_pages
from evlint.ruleset import builtin_ruleset
from tests.conftest import REPO, SHARED, run_evlint
from tests.content_repo import NEUTRAL, SAFETY, TURMERIC, ContentRepo

pytestmark = pytest.mark.slow


@pytest.fixture()
def repo(tmp_path: Path) -> ContentRepo:
    repo = ContentRepo(tmp_path / "site")
    repo.write(".evlint.yaml", "select: [EV101, EV103]\n")
    repo.write("posts/a.md", f"{SAFETY}\n{NEUTRAL}")
    repo.write("posts/old.md", TURMERIC)
    repo.commit()
    return repo


# --- diff mode -----------------------------------------------------------------------


def test_changed_since_reports_only_changed_lines_and_new_files(repo: ContentRepo) -> None:
    repo.write("posts/a.md", f"{SAFETY}\n{NEUTRAL}\n{TURMERIC}")  # line 5 is new
    repo.write("posts/new.md", SAFETY)  # untracked
    found = repo.findings("--changed-since", "HEAD", ".")
    assert {(p, line) for p, _, line in found} == {("posts/a.md", 5), ("posts/new.md", 1)}
    # Without diff mode the old findings are all there.
    everything = {(p, line) for p, _, line in repo.findings(".")}
    assert {("posts/a.md", 1), ("posts/old.md", 1)} <= everything


def test_changed_since_sees_committed_changes_on_a_branch(repo: ContentRepo) -> None:
    base = repo.git("rev-parse", "HEAD").strip()
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("posts/old.md", f"{NEUTRAL}\n{TURMERIC}")  # the claim moves to line 3
    repo.commit("move")
    assert repo.findings("--changed-since", base, ".") == []  # moved, not changed
    repo.write("posts/old.md", f"{NEUTRAL}\nTurmeric reduces knee pain in arthritis.\n")
    repo.commit("edit")
    assert repo.findings("--changed-since", base, ".") == [("posts/old.md", "EV101", 3)]


def test_changed_since_errors_are_clear(repo: ContentRepo, tmp_path: Path) -> None:
    result = repo.check("--changed-since", "no-such-ref", ".")
    assert result.returncode == 2
    assert "unknown git ref 'no-such-ref'" in result.stderr
    outside = tmp_path / "plain"
    outside.mkdir()
    (outside / "a.md").write_text(SAFETY, encoding="utf-8")
    result = run_evlint("check", "--changed-since", "HEAD", ".", cwd=outside)
    assert result.returncode == 2 and "needs a git repository" in result.stderr


# --- GitHub --------------------------------------------------------------------------


def test_github_annotations_escape_message_and_properties(repo: ContentRepo) -> None:
    repo.write(
        "house/HR900.yaml",
        "id: HR900\nname: odd-message\nkind: lexicon_match\nscope: sentence\n"
        "category: hype-language\nlevel: warning\nsummary: A rule with an awkward message.\n"
        'message: "100% sure: miracle, really.\\nSecond line"\noptions: {lexicon: hype}\n'
        "docs: {what: Flags hype words here, why: Tests escaping of output, fix: Remove it}\n",
    )
    repo.write(".evlint.yaml", "rule-dirs: [house]\nselect: [HR900]\n")
    repo.write("posts/odd, name: 1.md", "This miracle cure works.\n")
    result = repo.check("--format", "github", "posts/odd, name: 1.md")
    line = next(x for x in result.stdout.splitlines() if x.startswith("::warning "))
    head, _, message = line.partition("::100")
    assert "file=posts/odd%2C name%3A 1.md,line=1," in head
    assert "title=HR900 odd-message [hype-language]" in head
    assert message == "%25 sure: miracle, really.%0ASecond line"


def test_auto_format_under_github_actions_writes_step_summary(
    repo: ContentRepo, tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    result = subprocess.run(
        [sys.executable, "-m", "evlint", "check", "."],
        cwd=repo.root,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )
    assert result.returncode == 1
    assert "::error file=posts/a.md,line=1," in result.stdout
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## evlint")
    assert "| error | posts/a.md:1:" in text and "posts/old.md:1:" in text


# --- SARIF and report files ----------------------------------------------------------


def test_sarif_from_the_seeds_validates_against_the_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((SHARED / "schemas" / "sarif-schema-2.1.0.json").read_text())
    result = run_evlint("check", "--format", "sarif", "seeds")
    assert result.returncode == 1, result.stderr
    sarif = json.loads(result.stdout)
    jsonschema.validate(sarif, schema)
    run = sarif["runs"][0]
    assert run["results"], "the seed post has findings"
    rule_ids = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in run["results"]} <= rule_ids
    assert all(r["partialFingerprints"] for r in run["results"])


def test_output_file_gets_a_machine_format_while_the_terminal_gets_text(
    repo: ContentRepo,
) -> None:
    result = repo.check("--output", "report.sarif", ".")
    assert result.returncode == 1
    assert "posts/a.md:1:" in result.stdout and "Found " in result.stdout
    sarif = json.loads((repo.root / "report.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    # An explicit --format names the file's format; the terminal still gets text.
    result = repo.check("--format", "junit", "--output", "report.out", ".")
    assert (repo.root / "report.out").read_text(encoding="utf-8").startswith("<?xml")
    assert "Found " in result.stdout
    repo.check("--output", "report.dat", "--output-format", "gitlab", ".")
    gitlab = json.loads((repo.root / "report.dat").read_text(encoding="utf-8"))
    assert isinstance(gitlab, list) and gitlab[0]["location"]["path"].startswith("posts/")


# --- docs, progress ------------------------------------------------------------------


def test_rule_docs_are_up_to_date() -> None:
    """Fails when a rule file changed but docs/rules was not regenerated."""
    expected = rule_pages(builtin_ruleset().rules)
    directory = REPO / "docs" / "rules"
    committed = {p.name: p.read_text(encoding="utf-8") for p in directory.glob("*.md")}
    stale = sorted(
        n for n in expected.keys() | committed.keys() if expected.get(n) != committed.get(n)
    )
    assert not stale, f"docs/rules is stale ({stale}); run: python -m evlint.docs"
    check = subprocess.run(
        [sys.executable, "-m", "evlint.docs", "--check"], cwd=REPO, capture_output=True, check=False
    )
    assert check.returncode == 0


def test_docs_check_fails_on_stale_pages(tmp_path: Path) -> None:
    (tmp_path / "EV101-uncited-claim.md").write_text("old\n", encoding="utf-8")
    check = subprocess.run(
        [sys.executable, "-m", "evlint.docs", "--check", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 1 and "EV101-uncited-claim.md" in check.stderr


def _run_with_tty_stderr(args: list[str], cwd: Path) -> tuple[int, str]:
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "evlint", *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env={**os.environ, "NO_COLOR": "1"},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    return process.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace")


def test_progress_on_a_terminal_and_silence_otherwise(tmp_path: Path) -> None:
    for index in range(25):
        (tmp_path / f"post{index:02d}.md").write_text(NEUTRAL, encoding="utf-8")
    args = ["check", "--jobs", "1", "--select", "EV101", "."]
    code, stderr = _run_with_tty_stderr(args, tmp_path)
    assert code == 0
    assert "evlint: 25/25 files" in stderr
    piped = run_evlint(*args, cwd=tmp_path)
    assert piped.returncode == 0 and piped.stderr == ""


# --- the GitHub Action's script ------------------------------------------------------


def test_action_script_lints_changed_files_on_changed_lines(repo: ContentRepo) -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    step = next(s for s in action["runs"]["steps"] if s.get("name") == "Run evlint")
    base = repo.git("rev-parse", "HEAD").strip()
    repo.write("posts/a.md", f"{SAFETY}\n{NEUTRAL}\n{TURMERIC}")
    repo.commit("pr")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_ACTIONS": "true",
        "EVLINT_PATHS": "",
        "EVLINT_ARGS": "--fail-on error",
        "CHANGED_ONLY": "true",
        "BASE_SHA": base,
    }
    env.pop("GITHUB_STEP_SUMMARY", None)
    result = subprocess.run(
        ["bash", "-c", step["run"]], cwd=repo.root, env=env, capture_output=True, text=True
    )
    annotations = [x for x in result.stdout.splitlines() if x.startswith("::")]
    assert annotations and all("file=posts/a.md,line=5," in x for x in annotations), result
    assert result.returncode == 0  # only a warning (EV101) on the changed line
