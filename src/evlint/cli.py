"""The ``evlint`` command line: parse flags, call the library, render, pick the exit code.

Exit codes: 0 no findings at or above ``--fail-on``; 1 findings; 2 usage, config or
input errors (a run with both findings and errors exits 2).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import click

from evlint import __version__

if TYPE_CHECKING:
    from evlint.config import Config
    from evlint.config_lookup import ConfigResolver
    from evlint.model import Finding, InputError
    from evlint.rulespec import Rule

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMAT_NAMES = ("auto", "text", "json", "sarif", "github", "gitlab", "junit")


# Subcommands that live in their own modules, imported only when invoked (start-up
# time matters for a pre-commit hook).  Each value is "module:click_command".
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "grade": ("evlint.commands.grade:grade", "Grade the strength and hedging of claims."),
    "refs": ("evlint.commands.refs:refs", "Show the reference list as evlint understood it."),
    "evidence": ("evlint.commands.evidence:evidence", "Inspect the evidence library."),
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self._available()])

    def _available(self) -> list[str]:
        import importlib.util

        names = []
        for name, (target, _) in LAZY_COMMANDS.items():
            module = target.partition(":")[0]
            if importlib.util.find_spec(module) is not None:
                names.append(name)
        return names

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None or cmd_name not in LAZY_COMMANDS:
            return command
        import importlib

        module_name, _, attribute = LAZY_COMMANDS[cmd_name][0].partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            return None
        loaded = getattr(module, attribute)
        assert isinstance(loaded, click.Command)
        return loaded


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="evlint")
def main() -> None:
    """evlint: a credibility linter for health content in Markdown."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMAT_NAMES),
    default="auto",
    show_default=True,
    help="Report format; auto is github under GitHub Actions, else text.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=str),
    help="Write the report to this file; the terminal still gets text "
    "(annotations under GitHub Actions).",
)
@click.option(
    "--output-format",
    "report_format",
    type=click.Choice(FORMAT_NAMES[1:]),
    help="Format of the --output file. Default: --format if given, else by extension "
    "(.sarif, .json, .xml), else json.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=str),
    help="Use this config file instead of searching for .evlint.yaml / pyproject.toml.",
)
@click.option(
    "--select", multiple=True, help="Only these rules (id, name or category); repeatable."
)
@click.option(
    "--ignore", multiple=True, help="Skip these rules (id, name or category); repeatable."
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    help="Lowest severity that makes the run fail (exit 1). Default: warning.",
)
@click.option(
    "--evidence",
    multiple=True,
    type=click.Path(path_type=str),
    help="Evidence files or folders (summaries, YAML cards, .bib, CSL-JSON); repeatable.",
)
@click.option("--no-builtin-evidence", is_flag=True, help="Do not use the built-in evidence pack.")
@click.option(
    "--all-pages",
    is_flag=True,
    help="Lint every page as health content (default: pages naming no health term "
    "get only the front-matter, suppression and citation checks).",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False, path_type=str),
    help="Report only findings not recorded in this baseline file.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=str),
    help="Record the current findings in this file and exit 0.",
)
@click.option(
    "--changed-since",
    metavar="REF",
    help="Report only findings on lines changed since this git ref (plus untracked files).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=None,
    help="Worker processes (default: CPU count when linting many files; 1 = serial).",
)
@click.option("--color/--no-color", default=None, help="Colour text output (default: on a TTY).")
def check(
    paths: tuple[str, ...],
    output_format: str,
    output: str | None,
    report_format: str | None,
    config_path: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    evidence: tuple[str, ...],
    no_builtin_evidence: bool,
    all_pages: bool,
    baseline_path: str | None,
    write_baseline: str | None,
    changed_since: str | None,
    jobs: int | None,
    color: bool | None,
) -> None:
    """Lint Markdown/MDX files and directories (default: the current directory).

    Each file gets the nearest .evlint.yaml / .evlint.yml / pyproject.toml [tool.evlint]
    above it (up to the git root) unless --config is given.

    \b
    Environment:
      EVLINT_CACHE_DIR     where compiled regexes and parsed data files are kept
                           (default ~/.cache/evlint); EVLINT_NO_CACHE=1 turns it off
      EVLINT_FILE_TIMEOUT  seconds one file may take (default 60, 0 = no limit)
    """
    from evlint.config import ConfigError
    from evlint.config_lookup import ConfigResolver
    from evlint.engine import lint_paths
    from evlint.model import Severity
    from evlint.progress import for_stream
    from evlint.render import get_renderer, resolve_format
    from evlint.render.report import Report
    from evlint.ruleset import load_ruleset

    targets = paths or (".",)

    def adjust(config: Config) -> Config:
        """Command-line options win over every config file."""
        from dataclasses import replace

        overrides: dict[str, Any] = {}
        if select:
            overrides["select"] = _split_commas(select)
        if ignore:
            overrides["ignore"] = config.ignore + _split_commas(ignore)
        if fail_on:
            overrides["fail_on"] = Severity.parse(fail_on)
        if evidence:
            overrides["evidence"] = config.evidence + tuple(os.path.abspath(e) for e in evidence)
        if no_builtin_evidence:
            overrides["builtin_evidence"] = False
        if all_pages:
            overrides["all_pages"] = True
        return replace(config, **overrides) if overrides else config

    config = adjust(_load_config(config_path, targets))
    resolver = ConfigResolver(config if config_path else None, adjust)
    ruleset = load_ruleset(config.rule_dirs)
    if ruleset.errors:
        for error in ruleset.errors:
            click.echo(f"evlint: error: {error}", err=True)
        sys.exit(EXIT_ERROR)
    _tune_collector()

    progress = for_stream(sys.stderr)
    findings: list[Finding] = []
    errors: list[InputError] = []
    files = 0
    terminal = resolve_format(output_format, os.environ)
    use_color = color if color is not None else _tty_colour()
    # The plain terminal case streams file by file, so memory stays flat in the
    # number of files; every other mode needs all findings at the end.
    stream = None
    if terminal == "text" and not (output or write_baseline or changed_since or baseline_path):
        from evlint.render.text import StreamingText

        stream = StreamingText(_emit, color=use_color, fail_on=config.fail_on)
    try:
        for result in lint_paths(targets, config, jobs=jobs, resolve=resolver, progress=progress):
            files += 1 if not (result.errors and not result.findings and _missing(result)) else 0
            if stream is not None:
                stream.add(result.findings)
            else:
                findings.extend(result.findings)
            errors.extend(result.errors)
    except ConfigError as exc:  # a nested config, read when its first file comes up
        _fail(str(exc))
    finally:
        if progress is not None:
            progress.finish()
    if stream is not None:
        errors.extend(_evidence_errors([config, *resolver.configs()]))
        stream.finish(tuple(errors), files)
        sys.exit(EXIT_ERROR if errors else EXIT_FINDINGS if stream.failed else EXIT_OK)

    rules = _rules_used(config, resolver)
    errors.extend(_evidence_errors([config, *resolver.configs()]))
    if write_baseline:
        from evlint.baseline import write_baseline as write

        try:
            count = write(findings, write_baseline)
        except OSError as exc:
            _fail(f"cannot write baseline {write_baseline}: {exc.strerror or exc}")
        click.echo(f"evlint: recorded {count} findings in {write_baseline}", err=True)
        sys.exit(EXIT_ERROR if errors else EXIT_OK)
    if changed_since:
        findings, errors = _only_changed(changed_since, findings, errors, rules)
    if baseline_path:
        from evlint.baseline import BaselineError, read_baseline

        try:
            findings = read_baseline(baseline_path).new_findings(findings)
        except BaselineError as exc:
            _fail(str(exc))

    report = Report(tuple(findings), tuple(errors), rules, files, __version__, config.fail_on)
    if output:
        file_format = _file_format(output, report_format, output_format)
        _write_report(output, get_renderer(file_format)(report))
        # The terminal keeps the human (or annotation) view; the file is for machines.
        terminal = "github" if terminal == "github" else "text"
    _emit(get_renderer(terminal)(report, color=use_color))
    if terminal == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        from evlint.render.github import write_step_summary

        try:
            write_step_summary(report, os.environ["GITHUB_STEP_SUMMARY"])
        except OSError as exc:
            click.echo(f"evlint: warning: cannot write step summary: {exc}", err=True)
    if errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if report.failed else EXIT_OK)


_EXTENSION_FORMATS = (
    (".sarif", "sarif"),
    (".sarif.json", "sarif"),
    (".gitlab.json", "gitlab"),
    (".json", "json"),
    (".xml", "junit"),
    (".txt", "text"),
)


def _file_format(path: str, explicit: str | None, output_format: str) -> str:
    """--output-format, else a concrete --format, else the file's extension, else json."""
    if explicit:
        return explicit
    if output_format != "auto":
        return output_format
    lower = path.lower()
    return next((fmt for ext, fmt in _EXTENSION_FORMATS if lower.endswith(ext)), "json")


def _rules_used(config: Config, resolver: ConfigResolver) -> dict[str, Rule]:
    """Every rule any file's config could run, for renderers that describe rules (SARIF)."""
    from evlint.ruleset import load_ruleset

    rules = load_ruleset(config.rule_dirs).by_id()
    for used in resolver.configs():
        rules.update(load_ruleset(used.rule_dirs).by_id())
    return rules


def _evidence_errors(configs: Sequence[Config]) -> list[InputError]:
    """Evidence files that failed to load, reported once however many files used them."""
    seen: dict[tuple[str, int | None, str], InputError] = {}
    for used in configs:
        if used.evidence:  # the built-in pack alone is checked by the test suite
            from evlint.linking import evidence_input_errors  # only with evidence files

            for error in evidence_input_errors(used.evidence, used.builtin_evidence):
                seen.setdefault((error.path, error.line, error.message), error)
    return list(seen.values())


def _only_changed(
    ref: str, findings: list[Finding], errors: list[InputError], rules: dict[str, Rule]
) -> tuple[list[Finding], list[InputError]]:
    from evlint.changes import GitError, changed_since

    try:
        changes = changed_since(ref)
    except GitError as exc:
        _fail(str(exc))
    whole_file = {rule.id for rule in rules.values() if rule.scope == "document"}
    return changes.keep(findings, whole_file), changes.keep_errors(errors)


def _split_commas(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select EV101,hype-language`` and repeated ``--select`` mean the same."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _tty_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _tune_collector() -> None:
    """Linting allocates millions of short-lived objects (tokens, matches) that almost
    never form cycles, while the loaded rules, lexicons and models stay alive.  With
    the default thresholds the cyclic collector re-scans that long-lived data over and
    over (a third of a run on large corpora); freezing it and collecting young objects
    less often removes that cost.  Workers forked by ``--jobs`` inherit the setting."""
    import gc

    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def _missing(result: Any) -> bool:
    return any(error.code == "missing" for error in result.errors)


def _load_config(config_path: str | None, paths: Sequence[str]) -> Config:
    from evlint.config import ConfigError
    from evlint.config_lookup import load_config

    try:
        return load_config(config_path, paths)
    except ConfigError as exc:
        _fail(str(exc))


def _write_report(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        _fail(f"cannot write report to {path}: {exc.strerror or exc}")


def _emit(text: str) -> None:
    if text:
        click.echo(text, nl=not text.endswith("\n"))


def _fail(message: str) -> NoReturn:
    click.echo(f"evlint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=str),
    help="Show levels and enabled state under this config (default: the one found here).",
)
def rules_command(output_format: str, config_path: str | None) -> None:
    """List the rules: id, name, category, level and whether enabled under the config.

    Per-file overrides are not applied; this is what a file with none of them gets.
    """
    from evlint.ruleset import load_ruleset

    config = _load_config(config_path, (".",))
    rows = [
        {
            "id": r.id,
            "name": r.name,
            "category": r.category,
            "level": config.level(r, "").label,
            "default_level": r.level.label,
            "enabled": config.applies(r, ""),
            "summary": r.summary,
        }
        for r in load_ruleset(config.rule_dirs).rules
    ]
    if output_format == "json":
        import json

        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        state = "" if row["enabled"] else " (disabled)"
        click.echo(f"{row['id']}  {row['name']:<32} {row['category']:<26} {row['level']:<8}{state}")


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Print a rule's documentation and examples."""
    from evlint.docs import rule_markdown
    from evlint.ruleset import builtin_ruleset

    found = builtin_ruleset().find(rule)
    if found is None:
        _fail(f"unknown rule {rule!r}; run 'evlint rules' to list them")
    click.echo(rule_markdown(found))


def run() -> None:
    """Entry point that turns a closed stdout (``evlint check | head``) into a quiet exit."""
    try:
        main()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_FINDINGS)


if __name__ == "__main__":
    run()
