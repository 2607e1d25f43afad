"""``evlint evidence show PATH|KEY`` and ``evlint evidence list``: the library as evlint
understood it.

Both take ``--evidence PATH`` (repeatable) and ``--no-builtin-evidence``, on the group
or on the subcommand.  Evidence that cannot be loaded is reported as ``file:line:
message`` on stderr and the command exits 2 after printing what did load.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from evlint.evidence.library import EvidenceLibrary, load_library
from evlint.evidence.model import EvidenceError
from evlint.evidence.show import cmd_list, cmd_show

EXIT_OK, EXIT_ERROR = 0, 2
F = TypeVar("F", bound=Callable[..., Any])


def _library_options(function: F) -> F:
    function = click.option(
        "--no-builtin-evidence", is_flag=True, help="Leave out the built-in evidence pack."
    )(function)
    function = click.option(
        "--evidence",
        "evidence_paths",
        multiple=True,
        type=click.Path(path_type=str),
        help="Evidence files or folders (summaries, YAML cards, .bib, CSL-JSON); repeatable.",
    )(function)
    return function


@click.group()
@_library_options
@click.pass_context
def evidence(
    ctx: click.Context, evidence_paths: tuple[str, ...], no_builtin_evidence: bool
) -> None:
    """Inspect the evidence library: how sources were parsed, and what is loaded."""
    ctx.obj = {"paths": evidence_paths, "no_builtin": no_builtin_evidence}


def _load(
    ctx: click.Context, paths: tuple[str, ...], no_builtin: bool
) -> tuple[EvidenceLibrary, list[EvidenceError]]:
    given = ctx.obj or {}
    all_paths = (*given.get("paths", ()), *paths)
    include_builtin = not (no_builtin or given.get("no_builtin", False))
    library, errors = load_library(all_paths, include_builtin=include_builtin)
    if include_builtin:
        library.items()  # the built-in pack loads lazily; surface a broken install
        errors.extend(library.errors)
    return library, errors


def _report(errors: list[EvidenceError]) -> None:
    for error in errors:
        click.echo(f"evlint: error: {error}", err=True)


@evidence.command("list")
@_library_options
@click.pass_context
def list_command(
    ctx: click.Context, evidence_paths: tuple[str, ...], no_builtin_evidence: bool
) -> None:
    """List every source in the library: id, design, level, key, title and file."""
    library, errors = _load(ctx, evidence_paths, no_builtin_evidence)
    click.echo(cmd_list(library))
    _report(errors)
    sys.exit(EXIT_ERROR if errors else EXIT_OK)


@evidence.command("show")
@click.argument("target")
@_library_options
@click.pass_context
def show_command(
    ctx: click.Context, target: str, evidence_paths: tuple[str, ...], no_builtin_evidence: bool
) -> None:
    """Show how evlint understood an evidence file, or the source an id or key names:
    design, level, scope, findings and limitations with their lines."""
    library, errors = _load(ctx, evidence_paths, no_builtin_evidence)
    try:
        text = cmd_show(target, library)
    except EvidenceError as exc:
        _report([*errors, exc])
        sys.exit(EXIT_ERROR)
    click.echo(text)
    # ``cmd_show`` prints a file's own errors inline; they still make the run fail.
    failed = bool(errors) or "\nerror: " in f"\n{text}"
    _report(errors)
    sys.exit(EXIT_ERROR if failed else EXIT_OK)
