"""Effective configuration for a run.

This module holds the typed settings and how they pick and level rules; reading
them from ``.evlint.yaml`` / ``pyproject.toml`` lives in ``evlint.config_files``.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from evlint.model import Severity
from evlint.rulespec import Rule

DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class PerFile:
    patterns: tuple[str, ...]
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    levels: Mapping[str, Severity] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Config:
    select: tuple[str, ...] = ()  # empty: every enabled rule
    ignore: tuple[str, ...] = ()
    levels: Mapping[str, Severity] = field(default_factory=dict)
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    per_file: tuple[PerFile, ...] = ()
    exclude: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    builtin_evidence: bool = True
    rule_dirs: tuple[str, ...] = ()
    fail_on: Severity = Severity.WARNING
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    preset: str = "default"
    root: str = "."
    source: str | None = None  # the config file this came from

    def is_excluded(self, relative_path: str) -> bool:
        return any(_glob_match(relative_path, pattern) for pattern in self.exclude)

    def applies(self, rule: Rule, relative_path: str) -> bool:
        selected = rule.enabled if not self.select else _matches(rule, self.select)
        if self.select and _matches(rule, self.select):
            selected = True
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
    for selector in selectors:
        if selector in ("ALL", "all", rule.id, rule.name, rule.category):
            return True
        if selector.endswith("*") and rule.id.startswith(selector[:-1]):
            return True
    return False


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
    # A pattern without a slash matches the file name in any directory (like .gitignore).
    return "/" not in pattern and fnmatch.fnmatchcase(path.rsplit("/", 1)[-1], pattern)
