"""Lint one text or many paths: parse once, run the rules in force, build findings."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from evlint.analysis import Analysis, Settings
from evlint.config import Config
from evlint.document import Document, parse_document
from evlint.kinds import get_kind
from evlint.kinds.base import RuleInputError, Violation
from evlint.markdown import MAX_NESTING
from evlint.model import FileResult, Finding, InputError, Position, Span
from evlint.regex_cache import compile_regex
from evlint.ruleset import RuleSet, load_ruleset
from evlint.rulespec import Rule
from evlint.source import DecodeError, Source, load_source, source_from_text
from evlint.topic import health_terms
from evlint.watchdog import ENVIRONMENT as TIMEOUT_VARIABLE
from evlint.watchdog import FileTimeout, limit_seconds, time_limit

MARKDOWN_SUFFIXES = (".md", ".mdx", ".markdown")
SKIPPED_DIRS = frozenset(
    {"node_modules", "__pycache__", "_site", "site-packages", "venv", "dist", "build", "vendor"}
)
FILE_SKIPPED_RULE = "EV002"

ConfigFor = Callable[[str], Config]  # a file's path to the config that governs it
Progress = Callable[[int, int], None]  # (files done, files in total)


def display_path(path: str) -> str:
    """A printable form of a path, even when the file name is not valid UTF-8."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def lint_text(
    text: str, path: str = "<text>", config: Config | None = None, ruleset: RuleSet | None = None
) -> FileResult:
    config = config or Config()
    return lint_source(source_from_text(path, text), config, ruleset)


def lint_source(source: Source, config: Config, ruleset: RuleSet | None = None) -> FileResult:
    ruleset = ruleset or load_ruleset(config.rule_dirs)
    document = parse_document(source)
    settings = Settings(tuple(config.evidence), config.builtin_evidence)
    analysis = Analysis(document, settings)
    relative = config.relative(source.path)
    in_force = [rule for rule in ruleset.rules if config.applies(rule, relative)]
    gated = not config.all_pages and any(rule.topic == "health" for rule in in_force)
    if gated and not health_terms(source.text):  # a README or changelog, not health
        in_force = [rule for rule in in_force if rule.topic != "health"]
    findings: list[Finding] = []
    errors: list[InputError] = []
    if document.markdown.too_deep_line is not None:
        errors.append(
            InputError(
                source.path,
                f"Markdown nested more than {MAX_NESTING} levels deep; the content inside "
                "was not linted",
                document.markdown.too_deep_line,
                "too-deep",
            )
        )
    for rule in in_force:
        configured = _configured(rule, config)
        found: list[Finding] = []
        try:
            for violation in get_kind(rule.kind)(configured, analysis):
                found.append(_finding(configured, violation, source, config, relative))
        except RuleInputError as exc:  # e.g. a user pattern out of time: skip this rule only
            errors.append(InputError(source.path, str(exc), None, "rule-timeout"))
            continue
        findings.extend(found)
    findings = _suppress(_deduplicate(findings), document, in_force, ruleset, config, relative)
    findings = _fold_same_problem(findings)
    findings.sort(key=Finding.sort_key)
    return FileResult(source.path, tuple(findings), tuple(errors))


# Every comment directive spells "evlint" in the text, read case-insensitively as the
# directive patterns read it; a front-matter key is checked in the parsed data, since
# YAML can spell a key with escapes.
_MENTIONS_EVLINT = compile_regex("evlint", re.IGNORECASE)


def _suppress(
    findings: list[Finding],
    document: Document,
    in_force: list[Rule],
    ruleset: RuleSet,
    config: Config,
    relative: str,
) -> list[Finding]:
    """Drop suppressed findings, then report the suppressions that hid nothing (EV003)."""
    front = document.source.front_matter
    front_directive = front is not None and front.data is not None and "evlint" in front.data
    if not front_directive and _MENTIONS_EVLINT.search(document.source.text) is None:
        return findings  # no directive of any kind: the suppression module is not loaded
    from evlint.suppress import UNUSED_RULE, Suppressions

    suppressions = Suppressions(document)
    if not suppressions:
        return findings
    kept = suppressions.filter(findings)
    rule = next((r for r in in_force if r.id == UNUSED_RULE), None)
    if rule is not None:
        unused = suppressions.unused(in_force, ruleset.rules)
        reported = [_finding(rule, v, document.source, config, relative) for v in unused]
        kept += suppressions.filter(reported)  # `evlint-disable-file EV003` silences these
    return kept


def _configured(rule: Rule, config: Config) -> Rule:
    override = config.options.get(rule.id) or config.options.get(rule.name)
    if not override:
        return rule
    from dataclasses import replace

    return replace(rule, options={**rule.options, **override})


def _finding(
    rule: Rule, violation: Violation, source: Source, config: Config, relative: str
) -> Finding:
    span = _within_lines(violation.span, source.text)
    position = source.position(span)
    if violation.sentence is not None:
        snippet = violation.sentence.display
    else:
        snippet = source.line_text(position.line).strip()
    from evlint.digest import sha1_hex  # on the first finding: a clean run never needs it

    digest = sha1_hex(f"{rule.id}\0{relative}\0{' '.join(snippet.split()).lower()}".encode())[:16]
    # The kind's requested level replaces the rule default; config overrides both.
    leveled = rule
    if violation.severity is not None and violation.severity != rule.level:
        leveled = replace(rule, level=violation.severity)
    return Finding(
        path=source.path,
        position=position,
        rule=rule.id,
        name=rule.name,
        category=rule.category,
        severity=config.level(leveled, relative),
        message=rule.format_message(**violation.values),
        span=span,
        snippet=snippet,
        related=violation.related,
        fingerprint=digest,
    )


def _within_lines(span: Span, text: str) -> Span:
    """Drop line breaks at the end of a span (whole-line spans from kinds), so the end
    column stays on the last line instead of pointing one past it."""
    end = span.end
    while end > span.start and text[end - 1] == "\n":
        end -= 1
    return span if end == span.end else Span(span.start, end)


def _deduplicate(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, int, int]] = set()
    unique: list[Finding] = []
    for finding in findings:
        key = (finding.rule, finding.span.start, finding.span.end)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


def _fold_same_problem(findings: list[Finding]) -> list[Finding]:
    """Report one problem once: of findings with the same category on the same span
    (e.g. a claim-only and an evidence-backed ``preclinical-as-clinical``), keep the
    one that carries the most evidence (related locations), else the first rule's.

    Runs after suppression, so silencing one rule lets the other speak.
    """
    best: dict[tuple[str, int, int], Finding] = {}
    for finding in findings:
        key = (finding.category, finding.span.start, finding.span.end)
        current = best.get(key)
        if current is None or len(finding.related) > len(current.related):
            best[key] = finding
    kept = {id(finding) for finding in best.values()}
    return [finding for finding in findings if id(finding) in kept]


def lint_file(path: str, config: Config, ruleset: RuleSet | None = None) -> FileResult:
    """Lint one path; every problem becomes an InputError, never an exception."""
    shown = display_path(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return _error(shown, "not a regular file (FIFO, device or socket); skipped")
        if info.st_size > config.max_file_bytes:
            return _skipped(shown, info.st_size, config, ruleset)
        with open(path, "rb") as handle:
            data = handle.read(config.max_file_bytes + 1)
    except PermissionError:
        return _error(shown, "permission denied")
    except FileNotFoundError:
        return _error(shown, "no such file or directory")
    except IsADirectoryError:
        return _error(shown, "is a directory")
    except OSError as exc:
        return _error(shown, f"cannot read: {exc.strerror or exc}")
    try:
        source = load_source(shown, data)
    except DecodeError as exc:
        return FileResult(shown, (), (InputError(shown, exc.message, exc.line, "decode"),))
    try:
        with time_limit(limit_seconds()):
            return lint_source(source, config, ruleset)
    except FileTimeout as exc:
        return _error(
            shown,
            f"linting {exc} and was stopped; please report this file as an evlint bug "
            f"(the limit is set by {TIMEOUT_VARIABLE})",
            "timeout",
        )
    except RecursionError:
        return _error(shown, "document is nested too deeply to lint")
    except Exception as exc:  # a bug in evlint must not stop the other files
        return _error(
            shown, f"internal error while linting ({type(exc).__name__}: {exc})", "internal"
        )


def _error(path: str, message: str, code: str = "input-error") -> FileResult:
    return FileResult(path, (), (InputError(path, message, None, code),))


def _skipped(path: str, size: int, config: Config, ruleset: RuleSet | None) -> FileResult:
    rules = (ruleset or load_ruleset(config.rule_dirs)).by_id()
    rule = rules.get(FILE_SKIPPED_RULE)
    if rule is None or not config.applies(rule, config.relative(path)):
        return FileResult(path)
    limit = config.max_file_bytes
    from evlint.digest import sha1_hex

    finding = Finding(
        path=path,
        position=_first_line(),
        rule=rule.id,
        name=rule.name,
        category=rule.category,
        severity=config.level(rule, config.relative(path)),
        message=rule.format_message(size=f"{size:,}", limit=f"{limit:,}"),
        span=Span(0, 0),
        fingerprint=sha1_hex(f"{rule.id}\0{path}".encode())[:16],
    )
    return FileResult(path, (finding,))


def _first_line() -> Position:
    return Position(1, 1, 1, 1)


def discover(
    paths: Iterable[str], config: Config, resolve: ConfigFor | None = None
) -> Iterator[str | InputError]:
    """Expand files and directories to the Markdown files to lint, in a stable order.

    ``exclude`` applies to files named explicitly too: pre-commit passes every staged
    file by name, and an excluded draft must stay excluded there.
    """
    configs = resolve or (lambda _path: config)
    for given in paths:
        if not os.path.lexists(given):
            yield InputError(display_path(given), "no such file or directory", None, "missing")
            continue
        if os.path.isdir(given):
            yield from _walk(given, configs)
        elif not configs(given).is_excluded(given):
            yield given


def _walk(root: str, configs: ConfigFor) -> Iterator[str | InputError]:
    # os.walk drops unreadable directories silently; report them so nothing is lost.
    unreadable: list[OSError] = []
    for directory, dirnames, filenames in os.walk(
        root, followlinks=False, onerror=unreadable.append
    ):
        yield from _walk_errors(unreadable)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".")
            and d not in SKIPPED_DIRS
            and not configs(os.path.join(directory, d)).is_excluded(
                os.path.join(directory, d), directory=True
            )
        )
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(MARKDOWN_SUFFIXES):
                continue
            # `evlint check` walks "."; report "posts/a.md" as users type it, not "./posts/a.md".
            full = os.path.join(directory, name).removeprefix("./")
            if not configs(full).is_excluded(full):
                yield full
    yield from _walk_errors(unreadable)


def _walk_errors(errors: list[OSError]) -> Iterator[InputError]:
    while errors:
        error = errors.pop(0)
        where = display_path(str(error.filename or "?"))
        yield InputError(where, f"cannot read directory: {error.strerror or error}", None)


PARALLEL_MIN_FILES = 8


def lint_paths(
    paths: Iterable[str],
    config: Config | None = None,
    jobs: int | None = None,
    *,
    resolve: ConfigFor | None = None,
    progress: Progress | None = None,
) -> Iterator[FileResult]:
    """Lint every file under ``paths``; results stream out in discovery order.

    ``resolve`` gives each file its own config (the nearest ``.evlint.yaml``); without
    it every file uses ``config``.  ``progress(done, total)`` is called per file.

    With ``jobs`` > 1 (default: the CPU count once there are enough files) files are
    linted in worker processes; ``Executor.map`` keeps results in input order, so the
    output is identical to a serial run.
    """
    config = config or Config()
    configs = resolve or (lambda _path: config)
    items = list(discover(paths, config, configs))
    files = [item for item in items if isinstance(item, str)]
    total = len(files)
    workers = jobs or os.cpu_count() or 1  # None and 0 both mean one per CPU
    if jobs is None and len(files) < PARALLEL_MIN_FILES:
        workers = 1
    if workers <= 1 or len(files) < 2:
        results: Iterator[FileResult] = (lint_file(path, configs(path)) for path in files)
        yield from _in_order(items, results, progress, total)
        return
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(32, len(files) // (workers * 4) or 1))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        per_file = [configs(path) for path in files]
        results = pool.map(_lint_in_worker, files, per_file, chunksize=chunk)
        yield from _in_order(items, results, progress, total)


def _in_order(
    items: list[str | InputError],
    results: Iterator[FileResult],
    progress: Progress | None,
    total: int,
) -> Iterator[FileResult]:
    done = 0
    for item in items:
        if isinstance(item, InputError):
            yield FileResult(item.path, (), (item,))
            continue
        result = next(results)
        done += 1
        if progress is not None:
            progress(done, total)
        yield result


def _lint_in_worker(path: str, config: Config) -> FileResult:
    return lint_file(path, config, load_ruleset(config.rule_dirs))


__all__ = ["Path", "display_path", "lint_file", "lint_paths", "lint_source", "lint_text"]
