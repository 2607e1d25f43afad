"""The CLI as users run it: a separate process, real files, exit codes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import SEED_POST, SEEDS, run_evlint

pytestmark = pytest.mark.slow


def test_check_seeds_from_another_directory_reports_uncited_claims(tmp_path: Path) -> None:
    result = run_evlint("check", str(SEEDS), "--format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["version"] == 1
    post = [f for f in report["findings"] if f["path"].endswith("exosome-treatment-blog-post.md")]
    uncited_lines = {f["line"] for f in post if f["category"] == "uncited-claim"}
    assert 22 in uncited_lines  # "Exosomes can target a specific organ ..."
    # Background definitions are not claims.
    for finding in post:
        assert "secreted by cells" not in finding["snippet"]


def test_json_ranges_cut_out_the_flagged_sentence() -> None:
    result = run_evlint("check", str(SEED_POST), "--format", "json", "--select", "uncited-claim")
    lines = SEED_POST.read_text(encoding="utf-8").split("\n")
    findings = json.loads(result.stdout)["findings"]
    assert findings
    for finding in findings:
        assert finding["line"] == finding["end_line"]
        line = lines[finding["line"] - 1]
        cut = line[finding["column"] - 1 : finding["end_column"] - 1]
        assert cut == finding["snippet"], (cut, finding["snippet"])


def test_text_output_format_and_summary() -> None:
    result = run_evlint("check", str(SEED_POST), "--select", "EV101")
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{SEED_POST}:22:1: warning EV101 [uncited-claim] ")
    assert "\x1b[" not in result.stdout  # no colour when not a TTY
    assert result.stdout.rstrip().splitlines()[-1].startswith("Found ")


def test_clean_file_exits_zero(tmp_path: Path) -> None:
    post = tmp_path / "ok.md"
    post.write_text(
        "---\ntitle: Opening hours\nauthor: Dr. Jane Roe\ndate: 2024-05-01\n---\n"
        "# Our opening hours\n\nWe are open on weekdays.\n",
        encoding="utf-8",
    )
    result = run_evlint("check", str(post))
    assert result.returncode == 0, result.stdout
    assert "No problems" in result.stdout


def test_bad_inputs_are_errors_and_other_files_still_linted(tmp_path: Path) -> None:
    good = tmp_path / "good.md"
    good.write_text("Turmeric reduces joint pain in arthritis.\n", encoding="utf-8")
    (tmp_path / "latin1.md").write_bytes("Caf\xe9 cures colds.\n".encode("latin-1"))
    (tmp_path / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = run_evlint("check", str(tmp_path), str(tmp_path / "missing.md"), "--format", "json")
    assert result.returncode == 2
    report = json.loads(result.stdout)
    errors = {Path(e["path"]).name: e for e in report["errors"]}
    assert "invalid UTF-8" in errors["latin1.md"]["message"]
    assert errors["latin1.md"]["line"] == 1
    assert "binary" in errors["image.md"]["message"]
    assert "no such file" in errors["missing.md"]["message"]
    assert any(f["path"].endswith("good.md") for f in report["findings"])
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked.md"
    locked.write_text("x\n", encoding="utf-8")
    locked.chmod(0)
    result = run_evlint("check", str(locked))
    assert result.returncode == 2
    assert "permission denied" in result.stdout + result.stderr


def test_broken_front_matter_is_a_finding_and_body_still_linted(tmp_path: Path) -> None:
    post = tmp_path / "broken.md"
    post.write_text(
        "---\ntitle: Vitamin D: facts\n---\nTurmeric reduces joint pain in arthritis.\n",
        encoding="utf-8",
    )
    result = run_evlint("check", str(post), "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    front = [f for f in findings if f["rule"] == "EV001"]
    assert front and front[0]["line"] == 2
    assert any(f["rule"] == "EV101" and f["line"] == 4 for f in findings)


def test_content_is_never_modified(tmp_path: Path) -> None:
    copy = tmp_path / "post.md"
    shutil.copy(SEED_POST, copy)
    before = copy.read_bytes()
    run_evlint("check", str(copy))
    assert copy.read_bytes() == before


def test_usage_error_exits_two() -> None:
    result = run_evlint("check", "--format", "nope")
    assert result.returncode == 2
    assert "nope" in result.stderr


def test_explain_and_rules() -> None:
    listing = run_evlint("rules")
    assert listing.returncode == 0
    assert "EV101" in listing.stdout and "uncited-claim" in listing.stdout
    explained = run_evlint("explain", "uncited-claim")
    assert explained.returncode == 0
    assert "## Why is this bad?" in explained.stdout
    unknown = run_evlint("explain", "no-such-rule")
    assert unknown.returncode == 2


def test_broken_pipe_is_quiet(tmp_path: Path) -> None:
    import subprocess
    import sys

    for index in range(30):
        (tmp_path / f"p{index}.md").write_text(
            "Turmeric reduces joint pain in arthritis.\n" * 50, encoding="utf-8"
        )
    command = f"'{sys.executable}' -m evlint check '{tmp_path}' | head -n 1"
    result = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=120)
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_version() -> None:
    result = run_evlint("--version")
    assert result.returncode == 0 and "evlint" in result.stdout


def test_parallel_output_is_identical_to_serial(tmp_path: Path) -> None:
    texts = [
        "Turmeric reduces joint pain in arthritis.\n",
        "# Clinic\n\nOur miracle stem cell therapy is completely safe.\n",
        "Nothing to see here.\n",
    ]
    for index in range(24):
        (tmp_path / f"post-{index:02d}.md").write_text(texts[index % 3] * (1 + index % 4))
    serial = run_evlint("check", "--jobs", "1", "--format", "json", str(tmp_path))
    parallel = run_evlint("check", "--jobs", "2", "--format", "json", str(tmp_path))
    assert serial.returncode == parallel.returncode == 1
    assert serial.stdout == parallel.stdout
    assert len(json.loads(serial.stdout)["findings"]) > 24


def test_check_help_names_the_environment_variables() -> None:
    result = run_evlint("check", "--help")
    assert result.returncode == 0
    for name in ("EVLINT_CACHE_DIR", "EVLINT_NO_CACHE", "EVLINT_FILE_TIMEOUT"):
        assert name in result.stdout
