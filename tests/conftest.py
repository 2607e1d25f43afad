"""Shared test helpers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SEED_POST = SEEDS / "exosome-treatment-blog-post.md"
SHARED = REPO.parent / "shared"


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
