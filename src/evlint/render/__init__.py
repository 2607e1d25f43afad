"""Output formats.  Each format is a module with ``render(report, *, color=False) -> str``.

Modules are imported only when asked for: a plain ``evlint`` run in a pre-commit hook
should not pay for json, xml.etree or the SARIF builder.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from evlint.render.report import Report

FORMATS: Mapping[str, str] = MappingProxyType(
    {
        "text": "evlint.render.text",
        "json": "evlint.render.json_format",
        "sarif": "evlint.render.sarif",
        "github": "evlint.render.github",
        "gitlab": "evlint.render.gitlab",
        "junit": "evlint.render.junit",
    }
)

# What ``--format`` accepts: every format plus ``auto``.
FORMAT_CHOICES: tuple[str, ...] = ("auto", *FORMATS)


class Renderer(Protocol):
    def __call__(self, report: Report, *, color: bool = False) -> str: ...


def get_renderer(name: str) -> Renderer:
    """Import and return the ``render`` function of format ``name``."""
    try:
        module_name = FORMATS[name]
    except KeyError:
        raise ValueError(
            f"unknown output format {name!r}; expected one of: {', '.join(FORMATS)}"
        ) from None
    return cast(Renderer, importlib.import_module(module_name).render)


def resolve_format(name: str, env: Mapping[str, str]) -> str:
    """Turn ``auto`` into a concrete format: annotations on GitHub Actions, text elsewhere."""
    if name != "auto":
        return name
    return "github" if env.get("GITHUB_ACTIONS") == "true" else "text"
