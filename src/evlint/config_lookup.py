"""Which config applies: the nearest ``.evlint.yaml``, ``.evlint.yml`` or
``pyproject.toml`` with an ``[tool.evlint]`` table at or above a file, not past the git
root.

Kept apart from :mod:`evlint.config_files` (reading and checking a config file), which
is imported only when a config file is found: most runs in a repository without one
never need it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from evlint.config import Config, ConfigError

CONFIG_NAMES = (".evlint.yaml", ".evlint.yml")


def repository_root(directory: Path) -> Path:
    """The git work tree containing ``directory``, else ``directory`` itself."""
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():
            return candidate
    return directory


def find_config_file(directory: Path) -> Path | None:
    """The nearest config file at or above ``directory``, not past the git root."""
    directory = directory.resolve()
    for candidate in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            if (candidate / name).is_file():
                return candidate / name
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _has_evlint_table(pyproject):
            return pyproject
        if (candidate / ".git").exists():
            return None
    return None


def _has_evlint_table(path: Path) -> bool:
    # Cheap text test first: most pyproject files never mention evlint.
    try:
        if "evlint" not in path.read_text(encoding="utf-8"):
            return False
    except (OSError, UnicodeDecodeError):
        return False
    from evlint.config_files import read_pyproject

    return read_pyproject(path) is not None


@lru_cache(maxsize=64)
def _config_at(path: Path | None) -> Config:
    if path is None:
        return Config()
    from evlint.config_files import read_config_file

    return read_config_file(path, explicit=False)


class ConfigResolver:
    """The config for each file: the explicit one, or the nearest one above the file.

    ``adjust`` applies command-line overrides (``--select`` …) to whichever config a
    file gets.  Lookups are cached per directory, since posts share folders.
    """

    def __init__(
        self, explicit: Config | None = None, adjust: Callable[[Config], Config] | None = None
    ) -> None:
        self.explicit = explicit
        self.adjust = adjust or (lambda config: config)
        self._by_dir: dict[str, Config] = {}

    def for_directory(self, directory: str) -> Config:
        config = self._by_dir.get(directory)
        if config is None:
            if self.explicit is not None:
                config = self.adjust(self.explicit)
            else:
                config = self.adjust(_config_at(find_config_file(Path(directory or "."))))
            self._by_dir[directory] = config
        return config

    def __call__(self, path: str) -> Config:
        return self.for_directory(os.path.dirname(path) or ".")

    def configs(self) -> list[Config]:
        """The distinct configs handed out so far."""
        unique: dict[int, Config] = {}
        for config in self._by_dir.values():
            unique.setdefault(id(config), config)
        return list(unique.values())


def load_config(config_path: str | None, paths: Sequence[str]) -> Config:
    """The run's main config: ``--config``, else the one nearest the paths' common directory.

    Per-file lookup (a post in ``seeds/`` getting ``seeds/.evlint.yaml``) is
    :class:`ConfigResolver`'s job; this config supplies run-wide settings.
    """
    if config_path is not None:
        path = Path(config_path)
        if not path.is_file():
            raise ConfigError(config_path, "config file not found")
        from evlint.config_files import read_config_file

        return read_config_file(path, explicit=True)
    return _config_at(find_config_file(_common_directory(paths)))


def _common_directory(paths: Sequence[str]) -> Path:
    directories = [
        os.path.abspath(p if os.path.isdir(p) else os.path.dirname(p) or ".") for p in paths
    ]
    if not directories:
        return Path.cwd()
    try:
        return Path(os.path.commonpath(directories))
    except ValueError:  # different drives on Windows
        return Path.cwd()
