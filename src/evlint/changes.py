"""Diff mode: the lines changed since a git ref, to report only findings on them.

Changed means added or modified in the working tree relative to ``REF`` (staged or
not), plus every line of untracked files.  Deleted lines have nowhere to annotate.
"""

from __future__ import annotations

import codecs
import os
import subprocess
from collections.abc import Iterable, Mapping

from evlint.model import Finding, InputError
from evlint.records import record
from evlint.regex_cache import compile_regex

_HUNK = compile_regex(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class GitError(Exception):
    """git is missing, this is not a repository, or the ref does not exist."""


@record
class Changes:
    """Changed lines per file (real path); ``None`` means the whole file is new."""

    lines: Mapping[str, frozenset[int] | None]

    def touches_file(self, path: str) -> bool:
        return os.path.realpath(path) in self.lines

    def touches(self, path: str, first: int, last: int) -> bool:
        key = os.path.realpath(path)
        if key not in self.lines:
            return False
        changed = self.lines[key]
        return changed is None or any(first <= line <= last for line in changed)

    def keep(self, findings: Iterable[Finding], whole_file_rules: set[str]) -> list[Finding]:
        """Findings on changed lines; document-level rules count if the file changed at all."""
        return [
            f
            for f in findings
            if (f.rule in whole_file_rules and self.touches_file(f.path))
            or self.touches(f.path, f.line, f.end_line)
        ]

    def keep_errors(self, errors: Iterable[InputError]) -> list[InputError]:
        # A path given on the command line that does not exist is always worth saying.
        return [e for e in errors if e.code == "missing" or self.touches_file(e.path)]


def _git(args: list[str], cwd: str) -> str:
    try:
        completed = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=cwd,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise GitError("--changed-since needs git, and git is not installed") from None
    if completed.returncode != 0:
        raise GitError(completed.stderr.decode("utf-8", "replace").strip() or "git failed")
    return completed.stdout.decode("utf-8", "surrogateescape")


def changed_since(ref: str, cwd: str = ".") -> Changes:
    try:
        top = _git(["rev-parse", "--show-toplevel"], cwd).strip()
    except GitError:
        raise GitError(f"--changed-since needs a git repository; {cwd!r} is not in one") from None
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd)
    except GitError:
        raise GitError(f"--changed-since: unknown git ref {ref!r}") from None
    diff = _git(["diff", "--unified=0", "--no-color", "--no-ext-diff", ref, "--"], top)
    lines: dict[str, frozenset[int] | None] = {
        os.path.realpath(os.path.join(top, path)): frozenset(numbers)
        for path, numbers in parse_diff(diff).items()
    }
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], top)
    for path in filter(None, untracked.split("\0")):
        lines[os.path.realpath(os.path.join(top, path))] = None
    return Changes(lines)


def parse_diff(diff: str) -> dict[str, set[int]]:
    """Added/modified line numbers per new-side path in ``git diff --unified=0`` output."""
    result: dict[str, set[int]] = {}
    current: set[int] | None = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            target = line[4:].rstrip("\t")
            if target == "/dev/null":
                current = None
                continue
            name = _unquote(target)
            name = name[2:] if name.startswith("b/") else name
            current = result.setdefault(name, set())
        elif line.startswith("@@") and current is not None:
            match = _HUNK.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or 1)
                current.update(range(start, start + count))
    return result


def _unquote(name: str) -> str:
    # git C-quotes names with unusual bytes even with core.quotepath=off.
    if len(name) >= 2 and name[0] == name[-1] == '"':
        raw: object = codecs.escape_decode(name[1:-1].encode("utf-8", "surrogateescape"))[0]
        assert isinstance(raw, bytes)  # typeshed once typed the result as str
        return raw.decode("utf-8", "surrogateescape")
    return name
