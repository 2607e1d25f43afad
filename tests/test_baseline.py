"""A baseline hides recorded findings wherever their sentence moves, but not new ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.content_repo import NEUTRAL, SAFETY, TURMERIC, ContentRepo

pytestmark = pytest.mark.slow


@pytest.fixture()
def repo(tmp_path: Path) -> ContentRepo:
    repo = ContentRepo(tmp_path / "site")
    repo.write("posts/a.md", f"# Knees\n\n{TURMERIC}\n{SAFETY}")
    repo.write(".evlint.yaml", "select: [EV101, EV103]\n")
    return repo


def test_write_baseline_records_counts_and_exits_0(repo: ContentRepo) -> None:
    result = repo.check("--write-baseline", "evlint-baseline.json", ".")
    assert result.returncode == 0, result.stderr
    data = json.loads((repo.root / "evlint-baseline.json").read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert {(e["path"], e["rule"]) for e in data["findings"]} >= {
        ("posts/a.md", "EV101"),
        ("posts/a.md", "EV103"),
    }
    assert all(e["count"] >= 1 and len(e["hash"]) == 20 for e in data["findings"])


def test_baseline_hides_old_findings_after_lines_move(repo: ContentRepo) -> None:
    repo.check("--write-baseline", "evlint-baseline.json", ".")
    assert repo.check("--baseline", "evlint-baseline.json", ".").returncode == 0
    # Move the text down and swap the paragraphs: same sentences, new lines.
    repo.write("posts/a.md", f"# Knees\n\n{NEUTRAL}\n{NEUTRAL}\n{SAFETY}\n{TURMERIC}")
    result = repo.check("--baseline", "evlint-baseline.json", "--format", "json", ".")
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout)["findings"] == []


def test_a_new_copy_of_a_recorded_sentence_is_reported(repo: ContentRepo) -> None:
    repo.check("--write-baseline", "evlint-baseline.json", ".")
    repo.write("posts/a.md", f"# Knees\n\n{TURMERIC}\n{SAFETY}\n## Again\n\n{TURMERIC}")
    assert repo.findings("--baseline", "evlint-baseline.json", ".") == [("posts/a.md", "EV101", 9)]


def test_new_finding_in_another_file_is_reported(repo: ContentRepo) -> None:
    repo.check("--write-baseline", "evlint-baseline.json", ".")
    repo.write("posts/b.md", TURMERIC)  # same sentence, different file: not baselined
    assert repo.findings("--baseline", "evlint-baseline.json", ".") == [("posts/b.md", "EV101", 1)]


def test_baseline_paths_do_not_depend_on_the_working_directory(repo: ContentRepo) -> None:
    repo.check("--write-baseline", "evlint-baseline.json", ".")
    from tests.conftest import run_evlint

    result = run_evlint(
        "check", "--baseline", str(repo.root / "evlint-baseline.json"), "a.md",
        cwd=repo.root / "posts",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout


def test_missing_or_corrupt_baseline_exits_2(repo: ContentRepo) -> None:
    result = repo.check("--baseline", "nope.json", ".")
    assert result.returncode == 2 and "baseline file not found" in result.stderr
    repo.write("bad.json", '{"version": 99}')
    result = repo.check("--baseline", "bad.json", ".")
    assert result.returncode == 2 and "not an evlint baseline" in result.stderr
