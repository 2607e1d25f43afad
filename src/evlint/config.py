"""Effective configuration for a run.

This module holds the typed settings and how they pick and level rules; reading
them from ``.evlint.yaml`` / ``pyproject.toml`` lives in ``evlint.config_files``, and
finding which file applies in ``evlint.config_lookup``.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Mapping
from dataclasses import field
from typing import Any

from evlint.model import Severity
from evlint.records import record
from evlint.rulespec import Rule

DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024


@record
class PerFile:
    """A ``per-file`` entry: rule selection and levels for files matching ``patterns``."""

    patterns: tuple[str, ...]
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    levels: Mapping[str, Severity] = field(default_factory=dict)


@record
class Config:
    """The effective settings of a run: which rules apply to which files, at what level."""

    select: tuple[str, ...] = ()  # empty: every enabled rule
    ignore: tuple[str, ...] = ()
    levels: Mapping[str, Severity] = field(default_factory=dict)
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    per_file: tuple[PerFile, ...] = ()
    exclude: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    builtin_evidence: bool = True
    # Lint every page as health content; by default a page that names no health term
    # gets only the rules marked ``topic: any`` (see ``evlint.topic``).
    all_pages: bool = False
    rule_dirs: tuple[str, ...] = ()
    fail_on: Severity = Severity.WARNING
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    preset: str = "default"
    root: str = "."  # globs (exclude, per-file) are relative to this directory
    source: str | None = None  # the config file this came from

    def relative(self, path: str) -> str:
        """``path`` relative to ``root`` with ``/`` separators, as globs see it."""
        if path.startswith("<"):  # "<text>", "<stdin>": not a file
            return path
        relative = os.path.relpath(os.path.abspath(path), os.path.abspath(self.root))
        return relative.replace(os.sep, "/")

    def is_excluded(self, path: str, directory: bool = False) -> bool:
        """Whether ``path`` (as given, i.e. relative to the cwd) or a folder it is in
        matches an exclude glob; folders are tried with a trailing ``/`` too, so
        ``drafts/`` excludes everything under ``drafts``, even files named explicitly."""
        if not self.exclude:
            return False
        relative = self.relative(path)
        parts = relative.split("/")
        candidates = [relative] + [relative + "/"] * directory
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            candidates += [folder, folder + "/"]
        return any(_glob_match(c, pattern) for c in candidates for pattern in self.exclude)

    def applies(self, rule: Rule, relative_path: str) -> bool:
        # select (when given) replaces the rules' own enabled flags; ignore wins over it.
        selected = _matches(rule, self.select) if self.select else rule.enabled
        if _matches(rule, self.ignore):
            selected = False
        for override in self.per_file:
            if any(_glob_match(relative_path, p) for p in override.patterns):
                if _matches(rule, override.select):
                    selected = True
                if _matches(rule, override.ignore):
                    selected = False
        return selected

    def level(self, rule: Rule, relative_path: str) -> Severity:
        level = _lookup(rule, self.levels, rule.level)
        for override in self.per_file:
            if any(_glob_match(relative_path, p) for p in override.patterns):
                level = _lookup(rule, override.levels, level)
        return level


def _matches(rule: Rule, selectors: tuple[str, ...]) -> bool:
    return any(selector_matches(s, rule.id, rule.name, rule.category) for s in selectors)


def selector_matches(selector: str, rule_id: str, name: str, category: str) -> bool:
    """Whether a selector (id, name, category, ``ALL`` or an id prefix ``EV1*``) names a rule."""
    if selector in ("ALL", "all", rule_id, name, category):
        return True
    return selector.endswith("*") and rule_id.startswith(selector[:-1])


def _lookup(rule: Rule, levels: Mapping[str, Severity], default: Severity) -> Severity:
    for key in (rule.category, rule.name, rule.id):  # most specific wins
        if key in levels:
            default = levels[key]
    return default


def _glob_match(path: str, pattern: str) -> bool:
    path = path.replace("\\", "/").removeprefix("./")
    if fnmatch.fnmatchcase(path, pattern):
        return True
    if pattern.startswith("**/") and fnmatch.fnmatchcase(path, pattern[3:]):
        return True
    if pattern.endswith("/**") and path.startswith(pattern[:-2]):
        return True
    # A pattern without a slash matches the file name in any directory (like .gitignore).
    return "/" not in pattern and fnmatch.fnmatchcase(path.rsplit("/", 1)[-1], pattern)


class ConfigError(Exception):
    """A config file that cannot be used; the CLI prints it and exits 2."""

    def __init__(
        self, path: str, message: str, line: int | None = None, key: str | None = None
    ) -> None:
        super().__init__(path, message, line, key)
        self.path, self.message, self.line, self.key = path, message, line, key

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"
