"""evlint: a credibility linter for health content.

The library is the product; the CLI is a thin layer over :func:`lint_text` and
:func:`lint_paths`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from evlint.engine import lint_paths, lint_text

__all__ = ["__version__", "lint_paths", "lint_text"]


def __getattr__(name: str) -> Any:
    # Imported lazily so `import evlint` (and the CLI's start-up) stays cheap.
    if name in ("lint_text", "lint_paths"):
        from evlint import engine

        return getattr(engine, name)
    raise AttributeError(name)
