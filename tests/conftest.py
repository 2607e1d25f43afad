"""Shared test helpers."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SEED_POST = SEEDS / "exosome-treatment-blog-post.md"
SHARED = REPO.parent / "shared"

# evlint keeps compiled regexes in the user's cache directory; the tests (and every
# CLI subprocess they start, which inherits the environment) use a directory of their
# own so a test run neither reads nor leaves anything in the home directory.
if not os.environ.get("EVLINT_CACHE_DIR"):
    _TEST_CACHE = tempfile.mkdtemp(prefix="evlint-test-cache-")
    os.environ["EVLINT_CACHE_DIR"] = _TEST_CACHE
    atexit.register(shutil.rmtree, _TEST_CACHE, ignore_errors=True)


def run_evlint(
    *args: str,
    cwd: Path | None = None,
    input_text: str | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the CLI as users do: a separate process."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, "-m", "evlint", *args],
        cwd=cwd or REPO,
        input=input_text,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=300,
    )


@pytest.fixture()
def evlint_cli() -> object:
    return run_evlint
