"""Load and validate rule files (``rules/*.yaml``) into :class:`Rule` objects."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from evlint.data_cache import parse_file
from evlint.model import Severity
from evlint.records import record
from evlint.rulespec import CATEGORIES, SCOPES, Example, Rule, RuleDoc
from evlint.yamlio import SafeLoader as FastSafeLoader

RULE_KEYS = frozenset(
    {
        "id",
        "name",
        "kind",
        "scope",
        "category",
        "level",
        "message",
        "summary",
        "options",
        "docs",
        "examples",
        "enabled",
        "topic",
    }
)
TOPICS = ("any", "health")
REQUIRED = ("id", "name", "kind", "scope", "category", "level", "message", "summary", "docs")
DOC_KEYS = frozenset({"what", "why", "fix", "references"})


@record
class RuleError(Exception):
    """A rule file or directory that could not be loaded, with where and why."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class _LineLoader(FastSafeLoader):  # type: ignore[misc]
    """SafeLoader that remembers the line of every mapping key for error messages."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = {
        str(k): v for k, v in loader.construct_mapping(node, deep=True).items()
    }
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    result = dict(mapping)
    result["__lines__"] = lines
    result["__line__"] = node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in ("__lines__", "__line__")}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _load_with_lines(text: str) -> Any:
    return yaml.load(text, Loader=_LineLoader)


def load_rule_file(path: Path, known_kinds: Iterable[str]) -> Rule:
    where = str(path)
    try:
        raw = parse_file(path, "rule-yaml", _load_with_lines)
    except OSError as exc:
        raise RuleError(where, f"cannot read rule file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise RuleError(where, "rule file is not UTF-8") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise RuleError(
            where, f"invalid YAML: {exc.problem}", mark.line + 1 if mark else None
        ) from None
    except yaml.YAMLError as exc:
        raise RuleError(where, f"invalid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise RuleError(where, "a rule file must be a mapping", 1)
    lines: dict[str, int] = raw.get("__lines__", {})

    def fail(key: str, message: str) -> RuleError:
        return RuleError(where, message, lines.get(key))

    for key in raw:
        if key not in RULE_KEYS and not key.startswith("__"):
            raise fail(key, f"unknown key {key!r} (allowed: {', '.join(sorted(RULE_KEYS))})")
    for key in REQUIRED:
        if key not in raw:
            raise RuleError(where, f"missing required key {key!r}", 1)
    for key in ("id", "name", "kind", "scope", "category", "level", "message", "summary"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise fail(key, f"{key!r} must be a non-empty string")
    if raw["kind"] not in set(known_kinds):
        raise fail("kind", f"unknown kind {raw['kind']!r}")
    if raw["scope"] not in SCOPES:
        raise fail("scope", f"scope must be one of {', '.join(sorted(SCOPES))}")
    if raw["category"] not in CATEGORIES:
        raise fail("category", f"unknown category {raw['category']!r}")
    try:
        level = Severity.parse(raw["level"])
    except ValueError as exc:
        raise fail("level", str(exc)) from None
    docs = raw["docs"]
    if not isinstance(docs, dict):
        raise fail("docs", "'docs' must be a mapping with what, why and fix")
    doc_lines: dict[str, int] = docs.get("__lines__", {})
    for key in docs:
        if key not in DOC_KEYS and not key.startswith("__"):
            raise RuleError(where, f"unknown docs key {key!r}", doc_lines.get(key))
    for key in ("what", "why", "fix"):
        if not isinstance(docs.get(key), str) or not docs[key].strip():
            raise fail("docs", f"docs.{key} is required and must be text")
    references = docs.get("references", [])
    if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
        raise fail("docs", "docs.references must be a list of strings")
    options = _strip(raw.get("options", {}))
    if not isinstance(options, dict):
        raise fail("options", "'options' must be a mapping")
    if raw["kind"] == "pattern":  # user regexes: report a bad one now, with its line
        from evlint.kinds.pattern import options_problem

        problem = options_problem(raw["scope"], options)
        if problem is not None:
            key, message = problem
            option_lines: dict[str, int] = raw["options"].get("__lines__", {})
            raise RuleError(where, message, option_lines.get(key, lines.get(key)))
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise fail("enabled", "'enabled' must be true or false")
    topic = raw.get("topic", "any")
    if topic not in TOPICS:
        raise fail("topic", f"topic must be one of {', '.join(TOPICS)}")
    fail_examples, pass_examples = _examples(raw.get("examples"), where, lines.get("examples"))
    return Rule(
        id=raw["id"].strip(),
        name=raw["name"].strip(),
        kind=raw["kind"],
        scope=raw["scope"],
        category=raw["category"],
        level=level,
        message=raw["message"].strip(),
        summary=raw["summary"].strip(),
        doc=RuleDoc(
            docs["what"].strip(),
            docs["why"].strip(),
            docs["fix"].strip(),
            tuple(r.strip() for r in references),
        ),
        options=options,
        fail_examples=fail_examples,
        pass_examples=pass_examples,
        enabled=enabled,
        topic=topic,
        source=where,
    )


def _examples(
    raw: Any, where: str, line: int | None
) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
    if raw is None:
        return (), ()
    if not isinstance(raw, dict):
        raise RuleError(where, "'examples' must be a mapping with 'fail' and 'pass' lists", line)
    result: list[tuple[Example, ...]] = []
    for key in ("fail", "pass"):
        items = raw.get(key, [])
        if not isinstance(items, list):
            raise RuleError(where, f"examples.{key} must be a list", line)
        examples = []
        for item in items:
            if isinstance(item, str):
                examples.append(Example(item))
                continue
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise RuleError(where, f"each examples.{key} item needs 'text'", line)
            lines_ = item.get("lines", [])
            if not isinstance(lines_, list) or not all(isinstance(n, int) for n in lines_):
                raise RuleError(where, f"examples.{key}[].lines must be a list of integers", line)
            evidence = item.get("evidence")
            examples.append(Example(item["text"], tuple(lines_), evidence))
        result.append(tuple(examples))
    return result[0], result[1]


def load_rule_dir(
    directory: Path, known_kinds: Iterable[str]
) -> tuple[list[Rule], list[RuleError]]:
    rules: list[Rule] = []
    errors: list[RuleError] = []
    kinds = list(known_kinds)
    for path in sorted(directory.glob("*.yaml")):
        try:
            rules.append(load_rule_file(path, kinds))
        except RuleError as exc:
            errors.append(exc)
    return rules, errors
