"""The real pre-commit runs the hook from this checkout: a bad post fails, a good one passes.

``pre-commit try-repo`` clones this repository and pip-installs evlint from the clone
into its own environment (network access to PyPI is needed for the build backend).
The test pins ``--ref HEAD``: without it try-repo adds uncommitted changes to *tracked*
files but not new untracked ones, and a half-finished change in a shared checkout
(a tracked module importing a not-yet-added one) would break the install.  In a fresh
clone, as in CI, HEAD is the working tree anyway.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.content_repo import SAFETY, TURMERIC, ContentRepo

ROOT = Path(__file__).resolve().parents[1]
GOOD = (
    "---\ntitle: Turmeric\ndate: 2024-05-01\nauthor: Dr Jane Doe\n---\n# Turmeric\n\n"
    "In one small trial, turmeric extract reduced knee pain about as much as ibuprofen "
    "[1].\n\n"
    "## References\n\n"
    "1. Doe J. Turmeric and knee pain. J Pain 2020. https://doi.org/10.1000/xyz123\n"
)

pytestmark = pytest.mark.slow


def _pre_commit() -> list[str]:
    found = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("pre-commit is not installed")
    return [found]


def test_hook_fails_on_a_bad_post_and_passes_on_a_good_one(tmp_path: Path) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("try-repo needs this checkout to be a git repository")
    pre_commit = _pre_commit()
    repo = ContentRepo(tmp_path / "site")
    repo.write("posts/bad.md", SAFETY + "\n" + TURMERIC)
    repo.write("posts/good.md", GOOD)
    # The hook finds the content repository's config like any run does; pinning the
    # rules keeps this test about the hook, not about rules added later.
    repo.write(".evlint.yaml", "select: [EV101, EV103]\n")
    repo.git("add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        command = [*pre_commit, "try-repo", str(ROOT), "evlint", "--ref", head, "--verbose"]
        return subprocess.run(
            [*command, "--files", *files],
            cwd=repo.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    bad = try_repo("posts/bad.md")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "evlint" in bad.stdout and "Failed" in bad.stdout
    assert "posts/bad.md:1:" in bad.stdout and "EV103" in bad.stdout

    good = try_repo("posts/good.md")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
