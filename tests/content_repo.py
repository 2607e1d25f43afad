"""A scratch content repository (a git work tree in tmp_path) for CLI tests."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.conftest import run_evlint

SAFETY = "Our stem cell injections are completely safe with no side effects.\n"  # EV103
TURMERIC = "Turmeric reduces joint pain in arthritis.\n"  # EV101
NEUTRAL = "The clinic opens at nine on weekdays.\n"


class ContentRepo:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.email", "editor@example.org")
        self.git("config", "user.name", "Editor")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=self.root, check=True, capture_output=True, text=True
        ).stdout

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def commit(self, message: str = "content") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def check(self, *args: str, env: dict[str, str] | None = None) -> Any:
        return run_evlint("check", *args, cwd=self.root, env=env)

    def findings(self, *args: str) -> list[tuple[str, str, int]]:
        """(path, rule, line) of every finding of ``evlint check --format json ARGS``."""
        result = self.check("--format", "json", *args)
        assert result.returncode in (0, 1), result.stderr
        report = json.loads(result.stdout)
        return sorted((f["path"], f["rule"], f["line"]) for f in report["findings"])
