"""Reading configuration: ``.evlint.yaml`` / ``.evlint.yml`` / ``[tool.evlint]`` in pyproject.

Discovery walks up from a file's directory to the git root (or the filesystem root) and
takes the first directory holding one of those files.  ``--config PATH`` skips discovery.

A discovered config may come from a content repository you merely cloned, so the paths
it names (``extends`` files, ``rule-dirs``, ``evidence``) must stay inside that
repository (its git root, else the config's own directory).  A file given with
``--config`` is trusted: you chose it, so its paths may point anywhere.

Every mistake is a :class:`ConfigError` naming the file, the key and the line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field, replace
from pathlib import Path
from typing import Any

import yaml

from evlint.config import Config, ConfigError, PerFile
from evlint.config_lookup import repository_root
from evlint.model import Severity
from evlint.records import record
from evlint.regex_cache import compile_regex
from evlint.resources import builtin_rules_dir

PRESETS_DIR = "presets"
TOP_KEYS = frozenset(
    {
        "extends",
        "select",
        "ignore",
        "rules",
        "per-file",
        "exclude",
        "evidence",
        "builtin-evidence",
        "all-pages",
        "rule-dirs",
        "fail-on",
        "max-file-size",
    }
)
PER_FILE_KEYS = frozenset({"files", "select", "ignore", "rules"})
RULE_KEYS = frozenset({"level", "options"})
LEVELS = ("error", "warning", "info", "off")
_SIZE = compile_regex(r"^\s*(\d+)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$", re.IGNORECASE)
_SIZE_UNITS = {"b": 1, "kb": 1000, "kib": 1024, "mb": 10**6, "mib": 2**20, "gb": 10**9}
_SIZE_UNITS["gib"] = 2**30


# --- YAML with line numbers ----------------------------------------------------------


class LineDict(dict[str, Any]):
    """A mapping that knows the line of each key (1-based) and of itself."""

    line: int
    lines: dict[str, int]


class LineList(list[Any]):
    line: int
    lines: list[int]


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records node lines and refuses aliases and duplicate keys.

    Aliases buy nothing in a config file and would allow a "billion laughs" file in a
    cloned repository to exhaust memory.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases are not allowed in evlint config", event.start_mark
            )
        return super().compose_node(parent, index)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line, result.lines = node.start_mark.line + 1, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, f"keys must be strings, not {key!r}", key_node.start_mark
            )
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _read_yaml(path: Path) -> LineDict:
    text = _read_text(path)
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line = mark.line + 1 if mark else None
        raise ConfigError(str(path), f"invalid YAML: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), f"invalid YAML: {exc}") from None
    if data is None:
        empty = LineDict()
        empty.line, empty.lines = 1, {}
        return empty
    if not isinstance(data, LineDict):
        raise ConfigError(str(path), "the config must be a mapping of keys to values", 1)
    return data


def read_pyproject(path: Path) -> LineDict | None:
    """``[tool.evlint]`` as a LineDict, or None when the table is absent.

    tomllib reports no positions, so key lines are found by scanning the table's text:
    good enough to point at the right line in the usual one-key-per-line layout.
    """
    import tomllib  # only for a pyproject.toml: most projects configure in .evlint.yaml

    text = _read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), f"invalid TOML: {exc}") from None
    table = data.get("tool", {}).get("evlint")
    if table is None:
        return None
    lines = text.splitlines()
    header = next(
        (i + 1 for i, line in enumerate(lines) if re.match(r"^\s*\[tool\.evlint\]", line)), 1
    )
    if not isinstance(table, dict):
        raise ConfigError(str(path), "[tool.evlint] must be a table", header)
    located: LineDict = _toml_lines(table, lines, header)
    return located


def _toml_lines(value: Any, lines: list[str], start: int) -> Any:
    if isinstance(value, dict):
        result = LineDict()
        result.line, result.lines = start, {}
        for key, item in value.items():
            pattern = re.compile(rf"^\s*(\"?){re.escape(key)}\1\s*=|\[.*\b{re.escape(key)}\]")
            line = next(
                (i + 1 for i in range(start - 1, len(lines)) if pattern.search(lines[i])), start
            )
            result[key] = _toml_lines(item, lines, line)
            result.lines[key] = line
        return result
    if isinstance(value, list):
        items = LineList(_toml_lines(item, lines, start) for item in value)
        items.line, items.lines = start, [start] * len(value)
        return items
    return value


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(path), f"cannot read config: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(str(path), "config file is not UTF-8") from None


# --- one file to a layer -------------------------------------------------------------


@record
class _Selector:
    """A rule selector as written, kept with its position to validate against the ruleset."""

    value: str
    path: str
    line: int
    key: str


@record
class _Layer:
    """What one config file (or preset) sets; ``None`` means "not set here"."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    levels: Mapping[str, Severity] = field(default_factory=dict)
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    per_file: tuple[PerFile, ...] = ()
    exclude: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    builtin_evidence: bool | None = None
    all_pages: bool | None = None
    rule_dirs: tuple[str, ...] = ()
    fail_on: Severity | None = None
    max_file_bytes: int | None = None
    selectors: tuple[_Selector, ...] = ()
    option_keys: tuple[tuple[str, str, _Selector], ...] = ()  # (rule, option, where)


class _Reader:
    """Validates one parsed file; every error it raises names file, key and line."""

    def __init__(self, path: Path, data: LineDict, confine: Path | None) -> None:
        self.path, self.data, self.confine = path, data, confine
        self.where = str(path)
        self.selectors: list[_Selector] = []
        self.option_keys: list[tuple[str, str, _Selector]] = []

    def fail(self, key: str, message: str, line: int | None) -> ConfigError:
        return ConfigError(self.where, message, line, key)

    def layer(self) -> _Layer:
        data = self.data
        for key in data:
            if key not in TOP_KEYS:
                raise self.fail(
                    key,
                    f"unknown key (allowed: {', '.join(sorted(TOP_KEYS))})",
                    data.lines.get(key),
                )
        levels, options, ignored = self.rules(data, "rules")
        fail_on = data.get("fail-on")
        return _Layer(
            select=self.selector_list(data, "select") if "select" in data else None,
            ignore=self.selector_list(data, "ignore") + ignored,
            levels=levels,
            options=options,
            per_file=self.per_file(data),
            exclude=self.globs(data, "exclude"),
            evidence=self.paths(data, "evidence"),
            builtin_evidence=self.boolean(data, "builtin-evidence"),
            all_pages=self.boolean(data, "all-pages"),
            rule_dirs=self.paths(data, "rule-dirs"),
            fail_on=None
            if fail_on is None
            else self.level(fail_on, "fail-on", data.lines.get("fail-on"), off=False),
            max_file_bytes=self.size(data, "max-file-size"),
            selectors=tuple(self.selectors),
            option_keys=tuple(self.option_keys),
        )

    def strings(self, data: LineDict, key: str) -> tuple[tuple[str, int], ...]:
        value, line = data[key], data.lines.get(key)
        if isinstance(value, str):
            return ((value, line or 1),)
        if not isinstance(value, LineList) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "must be a string or a list of strings", line)
        for item, item_line in zip(value, value.lines, strict=True):
            if not item.strip():
                raise self.fail(key, "entries must not be empty", item_line)
        return tuple(zip(value, value.lines, strict=True))

    def selector_list(self, data: LineDict, key: str) -> tuple[str, ...]:
        if key not in data:
            return ()
        items = self.strings(data, key)
        self.selectors.extend(_Selector(v.strip(), self.where, line, key) for v, line in items)
        return tuple(v.strip() for v, _ in items)

    def globs(self, data: LineDict, key: str) -> tuple[str, ...]:
        if key not in data:
            return ()
        items = self.strings(data, key)
        for pattern, line in items:
            problem = glob_problem(pattern)
            if problem:
                raise self.fail(key, f"bad glob {pattern!r}: {problem}", line)
        return tuple(pattern.strip() for pattern, _ in items)

    def paths(self, data: LineDict, key: str) -> tuple[str, ...]:
        if key not in data:
            return ()
        resolved = []
        for value, line in self.strings(data, key):
            path = (self.path.parent / os.path.expanduser(value)).resolve()
            if self.confine is not None and not _inside(path, self.confine):
                raise self.fail(
                    key,
                    f"{value!r} is outside the repository ({self.confine}); a discovered "
                    "config may only name paths inside it (pass --config to allow this)",
                    line,
                )
            resolved.append(str(path))
        return tuple(resolved)

    def boolean(self, data: LineDict, key: str) -> bool | None:
        if key not in data:
            return None
        value = data[key]
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false", data.lines.get(key))
        return value

    def size(self, data: LineDict, key: str) -> int | None:
        if key not in data:
            return None
        value, line = data[key], data.lines.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        match = _SIZE.match(value) if isinstance(value, str) else None
        if match is None or int(match.group(1)) <= 0:
            raise self.fail(key, "must be a positive number of bytes, e.g. 2000000 or '2MB'", line)
        return int(match.group(1)) * _SIZE_UNITS[(match.group(2) or "b").lower()]

    def level(self, value: Any, key: str, line: int | None, *, off: bool) -> Severity:
        allowed = LEVELS if off else LEVELS[:-1]
        if not isinstance(value, str) or value.strip().lower() not in allowed:
            raise self.fail(key, f"must be one of: {', '.join(allowed)}", line)
        return Severity.parse(value)

    def rules(
        self, data: LineDict, key: str, *, allow_options: bool = True
    ) -> tuple[dict[str, Severity], dict[str, dict[str, Any]], tuple[str, ...]]:
        """``rules: {RULE: {level, options}}`` to levels, options and rules turned off."""
        levels: dict[str, Severity] = {}
        options: dict[str, dict[str, Any]] = {}
        off: list[str] = []
        if key not in data:
            return levels, options, ()
        table = data[key]
        if not isinstance(table, LineDict):
            raise self.fail(key, "must be a mapping of rule to settings", data.lines.get(key))
        for rule, settings in table.items():
            line = table.lines[rule]
            self.selectors.append(_Selector(rule, self.where, line, f"{key}.{rule}"))
            if settings is False:  # YAML 1.1 reads a bare `off` as false
                settings = "off"
            if isinstance(settings, str):  # shorthand: `EV102: off`
                settings = LineDict({"level": settings})
                settings.line, settings.lines = line, {"level": line}
            if not isinstance(settings, LineDict):
                message = "must be a mapping with level and/or options"
                raise self.fail(f"{key}.{rule}", message, line)
            for name in settings:
                if name not in RULE_KEYS or (name == "options" and not allow_options):
                    allowed = sorted(RULE_KEYS) if allow_options else ["level"]
                    raise self.fail(
                        f"{key}.{rule}.{name}",
                        f"unknown key (allowed: {', '.join(allowed)})",
                        settings.lines[name],
                    )
            if "level" in settings:
                label = settings["level"]
                if label is False or (isinstance(label, str) and label.strip().lower() == "off"):
                    off.append(rule)
                else:
                    where = f"{key}.{rule}.level"
                    levels[rule] = self.level(label, where, settings.lines["level"], off=True)
            if "options" in settings:
                value = settings["options"]
                if not isinstance(value, LineDict):
                    raise self.fail(
                        f"{key}.{rule}.options", "must be a mapping", settings.lines["options"]
                    )
                options[rule] = _plain(value)
                for option in value:
                    at = _Selector(rule, self.where, value.lines[option], f"{key}.{rule}")
                    self.option_keys.append((rule, option, at))
        return levels, options, tuple(off)

    def per_file(self, data: LineDict) -> tuple[PerFile, ...]:
        if "per-file" not in data:
            return ()
        entries = data["per-file"]
        if not isinstance(entries, LineList):
            raise self.fail("per-file", "must be a list of {files, ...}", data.lines["per-file"])
        result = []
        for index, entry in enumerate(entries):
            key = f"per-file[{index}]"
            if not isinstance(entry, LineDict):
                raise self.fail(key, "must be a mapping", entries.lines[index])
            for name in entry:
                if name not in PER_FILE_KEYS:
                    raise self.fail(
                        f"{key}.{name}",
                        f"unknown key (allowed: {', '.join(sorted(PER_FILE_KEYS))})",
                        entry.lines[name],
                    )
            if "files" not in entry:
                raise self.fail(key, "needs 'files' (a list of globs)", entry.line)
            levels, _, off = self.rules(entry, "rules", allow_options=False)
            result.append(
                PerFile(
                    patterns=self.globs(entry, "files"),
                    select=self.selector_list(entry, "select"),
                    ignore=self.selector_list(entry, "ignore") + off,
                    levels=levels,
                )
            )
        return tuple(result)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def glob_problem(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable glob, or None."""
    if not pattern.strip():
        return "empty pattern"
    if pattern.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", pattern):
        return "globs are relative to the config file's directory; drop the leading '/'"
    if "\\" in pattern:
        return "use '/' as the path separator"
    depth = 0
    for char in pattern:
        if char == "[":
            depth += 1
        elif char == "]" and depth:
            depth -= 1
    if depth:
        return "unclosed '['"
    for segment in pattern.split("/"):
        if "**" in segment and segment != "**":
            return "'**' must be a whole path segment, as in 'a/**/b'"
    return None


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


# --- layers to a Config --------------------------------------------------------------


def _load_layers(path: Path, confine: Path | None, chain: tuple[Path, ...]) -> list[_Layer]:
    """The layers of ``path``, its ``extends`` first (so the file itself wins)."""
    if path in chain:
        raise ConfigError(str(path), "extends forms a cycle", None, "extends")
    data = read_pyproject(path) if path.name == "pyproject.toml" else _read_yaml(path)
    if data is None:
        raise ConfigError(str(path), "no [tool.evlint] table")
    reader = _Reader(path, data, confine)
    layers: list[_Layer] = []
    if "extends" in data:
        for name, line in reader.strings(data, "extends"):
            layers.extend(_extended(reader, name.strip(), line, (*chain, path)))
    layers.append(reader.layer())
    return layers


def _extended(reader: _Reader, name: str, line: int, chain: tuple[Path, ...]) -> list[_Layer]:
    if "/" not in name and not name.endswith((".yaml", ".yml", ".toml")):
        preset = builtin_rules_dir() / PRESETS_DIR / f"{name}.yaml"
        if not preset.is_file():
            raise reader.fail("extends", f"unknown preset {name!r} ({preset_names()})", line)
        return _load_layers(preset, None, chain)
    target = (reader.path.parent / name).resolve()
    if reader.confine is not None and not _inside(target, reader.confine):
        raise reader.fail("extends", f"{name!r} is outside the repository ({reader.confine})", line)
    if not target.is_file():
        raise reader.fail("extends", f"no such config file: {name!r}", line)
    return _load_layers(target, reader.confine, chain)


def preset_names() -> str:
    names = sorted(p.stem for p in (builtin_rules_dir() / PRESETS_DIR).glob("*.yaml"))
    return "presets: " + ", ".join(names)


def _merge(layers: Iterable[_Layer], root: Path, source: str | None) -> Config:
    config = Config(root=str(root), source=source)
    for layer in layers:
        config = replace(
            config,
            select=config.select if layer.select is None else layer.select,
            # A later select re-enables what an earlier layer ignored.
            ignore=tuple(i for i in config.ignore if i not in (layer.select or ())) + layer.ignore,
            levels={**config.levels, **layer.levels},
            options={
                **config.options,
                **{k: {**config.options.get(k, {}), **v} for k, v in layer.options.items()},
            },
            per_file=config.per_file + layer.per_file,
            exclude=config.exclude + layer.exclude,
            evidence=config.evidence + layer.evidence,
            builtin_evidence=config.builtin_evidence
            if layer.builtin_evidence is None
            else layer.builtin_evidence,
            all_pages=config.all_pages if layer.all_pages is None else layer.all_pages,
            rule_dirs=config.rule_dirs + layer.rule_dirs,
            fail_on=config.fail_on if layer.fail_on is None else layer.fail_on,
            max_file_bytes=config.max_file_bytes
            if layer.max_file_bytes is None
            else layer.max_file_bytes,
        )
    return config


def _validate_rules(config: Config, layers: Sequence[_Layer]) -> None:
    """Every selector must name a rule, category or id prefix; options must exist."""
    from evlint.ruleset import load_ruleset
    from evlint.rulespec import CATEGORIES

    ruleset = load_ruleset(config.rule_dirs)
    if ruleset.errors:
        error = ruleset.errors[0]
        raise ConfigError(error.path, error.message, error.line, "rule-dirs")
    known = {"ALL", "all", *CATEGORIES}
    for rule in ruleset.rules:
        known.update((rule.id, rule.name))
    by_key = {key: rule for rule in ruleset.rules for key in (rule.id, rule.name)}
    for layer in layers:
        for selector in layer.selectors:
            value = selector.value
            prefix = value.endswith("*") and any(r.id.startswith(value[:-1]) for r in ruleset.rules)
            if value not in known and not prefix:
                raise ConfigError(
                    selector.path,
                    f"unknown rule or category {value!r}; see 'evlint rules'",
                    selector.line,
                    selector.key,
                )
        for rule_key, option, where in layer.option_keys:
            target = by_key.get(rule_key)
            if target is None:
                raise ConfigError(
                    where.path,
                    "options need a rule id or name, not a category",
                    where.line,
                    where.key,
                )
            if option not in target.options:
                allowed = ", ".join(sorted(target.options)) or "none"
                raise ConfigError(
                    where.path,
                    f"unknown option {option!r} for {target.id} (options: {allowed})",
                    where.line,
                    f"{where.key}.options",
                )


def read_config_file(path: Path, *, explicit: bool) -> Config:
    """Load ``path`` with its ``extends`` chain; ``explicit`` lifts path confinement."""
    path = path.resolve()
    confine = None if explicit else repository_root(path.parent)
    layers = _load_layers(path, confine, ())
    config = _merge(layers, path.parent, str(path))
    _validate_rules(config, layers)
    return config
