"""The compiled-regex cache: patterns from it behave exactly like ``re.compile``'s,
and a damaged, missing or unwritable cache only costs speed."""

from __future__ import annotations

import binascii
import json
import os
import re
import zlib
from pathlib import Path

import pytest

from evlint import regex_cache
from evlint.regex_cache import RegexCache, cache_file
from tests.conftest import SEED_POST, run_evlint

PATTERNS: list[tuple[str, int]] = [
    (r"(?<!\w)(?:(?P<g0>may|might|could)|(?P<g1>causes?|leads?\s+to))(?!\w)", 0),
    (r"\bin (?:mice|rats|vitro)\b", re.IGNORECASE),
    (r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE),
    (r"[^\W\d_]+(?:['-][^\W\d_]+)*|\d+(?:[.,]\d+)*%?", re.UNICODE),
    (r"(a)(?P<second>b)?(c)\1", 0),
    (r"(?i:Ünïcode) ß+", 0),
    (r"x{2,5}?y*+z{1000}", 0),
]
SAMPLE = (
    "# Title ##\nIt may cause harm; it LEADS  TO gains in Mice and in vitro.\n"
    "Über 12.5% of don't-care ÜNÏCODE ßß abcac xxyzzz"
)


def _behaviour(compiled: re.Pattern[str]) -> object:
    return (
        compiled.pattern,
        compiled.flags,
        compiled.groups,
        dict(compiled.groupindex),
        [(m.span(), m.groups(), m.lastgroup) for m in compiled.finditer(SAMPLE)],
    )


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_cached_patterns_behave_like_re_compile(tmp_path: Path, pattern: str, flags: int) -> None:
    expected = _behaviour(re.compile(pattern, flags))
    first = RegexCache(tmp_path / "cache.json")
    assert _behaviour(first.compile(pattern, flags)) == expected
    assert first.save()

    second = RegexCache(tmp_path / "cache.json")
    second.load()
    assert (pattern, int(flags)) in second.entries  # served from the file...
    assert _behaviour(second.compile(pattern, flags)) == expected  # ...identically
    assert second.added == 0 and not second.save()


def test_invalid_pattern_raises_re_error_and_is_not_stored(tmp_path: Path) -> None:
    cache = RegexCache(tmp_path / "cache.json")
    with pytest.raises(re.error):
        cache.compile("(unclosed")
    assert cache.entries == {} and not cache.save()


@pytest.mark.parametrize("content", [b"", b"\x00garbage\xff" * 50, b"\xe3\x00\x00"])
def test_damaged_file_is_ignored(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "cache.json"
    path.write_bytes(content)
    cache = RegexCache(path)
    assert _behaviour(cache.compile(*PATTERNS[0])) == _behaviour(re.compile(*PATTERNS[0]))
    assert cache.save() and path.read_bytes() != content


def test_damaged_entry_is_recompiled(tmp_path: Path) -> None:
    pattern, flags = PATTERNS[2]
    cache = RegexCache(tmp_path / "cache.json")
    cache.loaded = True
    # Opcodes that are not a program: _sre rejects them, and the pattern is compiled.
    garbage = binascii.b2a_base64(zlib.compress(b"\x01\x02\x03\x04"), newline=False).decode()
    cache.entries[(pattern, flags)] = [pattern, flags, flags, garbage, 0, {}, [None]]
    assert _behaviour(cache.compile(pattern, flags)) == _behaviour(re.compile(pattern, flags))


def test_unwritable_directory_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = RegexCache(blocker / "sub" / "cache.json")
    cache.compile(*PATTERNS[0])
    assert cache.save() is False
    assert blocker.read_text() == "not a directory"


def test_growth_is_capped_to_the_patterns_of_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(regex_cache, "MAX_ENTRIES", 3)
    path = tmp_path / "cache.json"
    old = RegexCache(path)
    for i in range(4):
        old.compile(f"old{i}")
    assert old.save()
    run = RegexCache(path)
    run.compile("new")
    assert run.save()
    after = RegexCache(path)
    after.load()
    assert set(after.entries) == {("new", 0)}


def test_cache_location_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVLINT_CACHE_DIR", "/somewhere/else")
    monkeypatch.delenv("EVLINT_NO_CACHE", raising=False)
    path = cache_file()
    assert path is not None and path.parent == Path("/somewhere/else")
    monkeypatch.setenv("EVLINT_NO_CACHE", "1")
    assert cache_file() is None


def _findings(result: object) -> list[dict[str, object]]:
    stdout = getattr(result, "stdout", "")
    return list(json.loads(stdout)["findings"])


def test_cli_writes_the_cache_once_and_reads_it_after(tmp_path: Path) -> None:
    env = {"EVLINT_CACHE_DIR": str(tmp_path / "cache")}
    cold = run_evlint("check", "--format", "json", str(SEED_POST), env=env)
    files = list((tmp_path / "cache").glob("regex-*.json"))
    assert cold.returncode == 1 and len(files) == 1
    written = files[0].stat().st_mtime_ns
    os.utime(files[0], ns=(written - 10**9, written - 10**9))  # so a rewrite would show
    warm = run_evlint("check", "--format", "json", str(SEED_POST), env=env)
    assert warm.returncode == 1
    assert _findings(warm) == _findings(cold) and _findings(cold)
    assert files[0].stat().st_mtime_ns == written - 10**9  # nothing new to write


def test_cli_without_cache_writes_nothing(tmp_path: Path) -> None:
    env = {"EVLINT_CACHE_DIR": str(tmp_path / "cache"), "EVLINT_NO_CACHE": "1"}
    result = run_evlint("check", "--format", "json", str(SEED_POST), env=env)
    assert result.returncode == 1 and _findings(result)
    assert not (tmp_path / "cache").exists()


def test_no_home_directory_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    for name in ("EVLINT_CACHE_DIR", "EVLINT_NO_CACHE", "XDG_CACHE_HOME", "LOCALAPPDATA"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert cache_file() is None
