"""YAML loading through libyaml's C parser when present (several times faster than
the pure-Python parser, which matters for start-up), always with safe constructors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from evlint.data_cache import parse_file

SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    return yaml.load(text, Loader=SafeLoader)


def read_yaml(path: Path) -> Any:
    """A YAML data file (rules' lexicons, patterns), parsed once per content: see
    :mod:`evlint.data_cache`.  Raises what reading and ``safe_load`` raise."""
    return parse_file(path, "yaml-safe", safe_load)
