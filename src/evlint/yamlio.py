"""YAML loading through libyaml's C parser when present (several times faster than
the pure-Python parser, which matters for start-up), always with safe constructors."""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    return yaml.load(text, Loader=SafeLoader)
