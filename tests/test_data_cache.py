"""The parsed-data cache: a hit returns what the parser returned for the same bytes,
and anything else (changed bytes, data JSON cannot hold, a damaged file) parses."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from evlint import cache_dir, data_cache, regex_cache
from evlint.data_cache import DataCache
from evlint.yamlio import safe_load
from tests.conftest import SEED_POST, run_evlint


class CountingParser:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, text: str) -> Any:
        self.calls += 1
        return safe_load(text)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_second_run_is_served_from_the_file(tmp_path: Path) -> None:
    source = _write(tmp_path / "lexicon.yaml", "terms:\n  aspirin: [ASA, acetylsalicylic acid]\n")
    first_parser, second_parser = CountingParser(), CountingParser()
    first = DataCache(tmp_path / "cache.json")
    expected = {"terms": {"aspirin": ["ASA", "acetylsalicylic acid"]}}
    assert first.parse(source, "yaml", first_parser) == expected
    assert first.save() and first_parser.calls == 1

    second = DataCache(tmp_path / "cache.json")
    assert second.parse(source, "yaml", second_parser) == expected
    assert second_parser.calls == 0 and not second.save()


def test_any_changed_byte_parses_afresh(tmp_path: Path) -> None:
    source = _write(tmp_path / "rule.yaml", "level: 1\n")
    cache = DataCache(tmp_path / "cache.json")
    parser = CountingParser()
    assert cache.parse(source, "yaml", parser) == {"level": 1}
    _write(source, "level: 2\n")  # same length, one byte different
    assert cache.parse(source, "yaml", parser) == {"level": 2}
    assert parser.calls == 2


def test_a_new_code_version_replaces_the_entry(tmp_path: Path) -> None:
    source = _write(tmp_path / "terms.yaml", "a: 1\n")
    cache = DataCache(tmp_path / "cache.json")
    parser = CountingParser()
    assert cache.parse(source, "table", parser, "v1") == {"a": 1}
    assert cache.parse(source, "table", parser, "v1") == {"a": 1} and parser.calls == 1
    assert cache.parse(source, "table", parser, "v2") == {"a": 1} and parser.calls == 2
    assert cache.save()
    reread = DataCache(tmp_path / "cache.json")
    reread.load()
    assert len(reread.entries) == 1  # v2 took v1's place instead of adding an entry
    assert reread.parse(source, "table", parser, "v2") == {"a": 1} and parser.calls == 2


def test_parser_name_is_part_of_the_key(tmp_path: Path) -> None:
    source = _write(tmp_path / "rule.yaml", "a: 1\n")
    cache = DataCache(tmp_path / "cache.json")
    assert cache.parse(source, "one", safe_load) == {"a": 1}
    assert cache.parse(source, "two", lambda text: {"other": text}) == {"other": "a: 1\n"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("when: 2024-01-18\n", {"when": datetime.date(2024, 1, 18)}),
        ("1: one\n", {1: "one"}),
        ("yes: true\n", {True: True}),
    ],
)
def test_data_json_cannot_hold_exactly_is_never_stored(
    tmp_path: Path, text: str, value: object
) -> None:
    source = _write(tmp_path / "data.yaml", text)
    cache = DataCache(tmp_path / "cache.json")
    parser = CountingParser()
    assert cache.parse(source, "yaml", parser) == value
    assert cache.parse(source, "yaml", parser) == value
    assert parser.calls == 2 and cache.entries == {}


def test_each_hit_is_a_fresh_object(tmp_path: Path) -> None:
    source = _write(tmp_path / "data.yaml", "terms: [a, b]\n")
    cache = DataCache(tmp_path / "cache.json")
    cache.parse(source, "yaml", safe_load)
    hit = cache.parse(source, "yaml", safe_load)
    hit["terms"].append("changed by a caller")
    assert cache.parse(source, "yaml", safe_load) == {"terms": ["a", "b"]}


def test_windows_newlines_parse_as_read_text_would(tmp_path: Path) -> None:
    source = tmp_path / "data.yaml"
    source.write_bytes(b"text: |\r\n  one\r\n  two\r\n")
    expected = safe_load(source.read_text(encoding="utf-8"))
    assert DataCache(None).parse(source, "yaml", safe_load) == expected == {"text": "one\ntwo\n"}


@pytest.mark.parametrize(
    "content",
    [b"", b"{not json", b'{"format": 1, "version": "0.0.0-other", "entries": {}}', b"[1, 2]"],
)
def test_damaged_or_foreign_cache_is_ignored(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "cache.json").write_bytes(content)
    source = _write(tmp_path / "data.yaml", "a: 1\n")
    parser = CountingParser()
    cache = DataCache(tmp_path / "cache.json")
    assert cache.parse(source, "yaml", parser) == {"a": 1} and parser.calls == 1
    assert cache.save()
    saved = json.loads((tmp_path / "cache.json").read_text(encoding="utf-8"))
    assert saved["format"] == data_cache._FORMAT and len(saved["entries"]) == 1


def test_damaged_entry_is_parsed_afresh(tmp_path: Path) -> None:
    source = _write(tmp_path / "data.yaml", "a: 1\n")
    cache = DataCache(tmp_path / "cache.json")
    cache.parse(source, "yaml", safe_load)
    key = next(iter(cache.entries))
    cache.entries[key][3] = "{damaged"
    assert cache.parse(source, "yaml", safe_load) == {"a": 1}


def test_read_and_decode_errors_propagate(tmp_path: Path) -> None:
    cache = DataCache(tmp_path / "cache.json")
    with pytest.raises(FileNotFoundError):
        cache.parse(tmp_path / "missing.yaml", "yaml", safe_load)
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(UnicodeDecodeError):
        cache.parse(bad, "yaml", safe_load)


def test_growth_is_capped_to_the_files_of_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(data_cache, "MAX_ENTRIES", 2)
    old = DataCache(tmp_path / "cache.json")
    for i in range(3):
        old.parse(_write(tmp_path / f"old{i}.yaml", f"n: {i}\n"), "yaml", safe_load)
    assert old.save()
    run = DataCache(tmp_path / "cache.json")
    run.parse(_write(tmp_path / "new.yaml", "n: new\n"), "yaml", safe_load)
    assert run.save()
    after = DataCache(tmp_path / "cache.json")
    after.load()
    assert list(after.entries) == [f"yaml|{tmp_path / 'new.yaml'}"]


def test_cli_picks_up_an_edited_rule_file(tmp_path: Path) -> None:
    """Content-addressed: editing a custom rule changes findings on the next run."""
    rules = tmp_path / "rules"
    rules.mkdir()
    rule = rules / "no-miracle.yaml"
    rule_text = (
        "id: X001\nname: no-miracle\nkind: pattern\nscope: sentence\ncategory: hype-language\n"
        "level: {severity}\nmessage: \"Avoid '{{term}}'.\"\nsummary: Miracle words.\n"
        "options:\n  patterns: ['\\barthritis\\b']\n"
        "docs:\n  what: Flags arthritis (no built-in rule reports the word).\n"
        "  why: It oversells.\n  fix: Describe the result.\n"
    )
    (tmp_path / ".evlint.yaml").write_text("rule-dirs: [rules]\n", encoding="utf-8")
    post = _write(tmp_path / "post.md", "A miracle cure for arthritis.\n")
    env = {"EVLINT_CACHE_DIR": str(tmp_path / "cache")}
    severities = []
    for severity in ("warning", "error"):
        rule.write_text(rule_text.format(severity=severity), encoding="utf-8")
        result = run_evlint("check", "--format", "json", str(post), cwd=tmp_path, env=env)
        assert result.returncode == 1, result.stderr
        found = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "X001"]
        severities.append([f["severity"] for f in found])
    assert severities == [["warning"], ["error"]]


def test_each_installation_has_its_own_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVLINT_CACHE_DIR", str(tmp_path))
    here = data_cache.cache_file()
    assert here is not None and here.parent == tmp_path
    assert here.name.startswith("parsed-data-") and here == data_cache.cache_file()
    regex_file = regex_cache.cache_file()
    assert regex_file is not None and regex_file.name.endswith(f"-{cache_dir.install_tag()}.json")
    # Another installation of evlint (another package folder) uses other files.
    monkeypatch.setattr(cache_dir, "__file__", str(tmp_path / "other" / "cache_dir.py"))
    assert data_cache.cache_file() != here
    assert regex_cache.cache_file() != regex_file


def test_cli_output_is_the_same_warm_and_cold(tmp_path: Path) -> None:
    env = {"EVLINT_CACHE_DIR": str(tmp_path / "cache")}
    cold = run_evlint("check", "--format", "json", str(SEED_POST), env=env)
    assert len(list((tmp_path / "cache").glob("parsed-data-*.json"))) == 1
    warm = run_evlint("check", "--format", "json", str(SEED_POST), env=env)
    assert cold.returncode == warm.returncode == 1
    assert json.loads(warm.stdout)["findings"] == json.loads(cold.stdout)["findings"]


def test_lone_surrogates_are_stored_safely(tmp_path: Path) -> None:
    """A parser may return a lone surrogate (Python's YAML parser accepts "\\ud800"),
    which UTF-8 cannot encode: the cache file must still be written and read back."""
    source = _write(tmp_path / "data.yaml", "odd: x\n")
    calls: list[str] = []

    def surrogate(text: str) -> dict[str, str]:
        calls.append(text)
        return {"odd": "\ud800 and \u00e9"}

    first = DataCache(tmp_path / "cache.json")
    assert first.parse(source, "odd", surrogate) == {"odd": "\ud800 and \u00e9"}
    assert first.save()
    second = DataCache(tmp_path / "cache.json")
    assert second.parse(source, "odd", surrogate) == {"odd": "\ud800 and \u00e9"}
    assert len(calls) == 1
