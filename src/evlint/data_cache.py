"""Parsed rule, lexicon and pattern files kept between runs.

PyYAML builds Python objects in pure Python even on libyaml's parser, so loading the
~50 YAML files behind the built-in rules costs about 20 ms of every health-page
start-up.  JSON holding the same data decodes several times faster.  This module keeps,
in one JSON file per evlint installation in the user cache directory
(:mod:`evlint.cache_dir`), what each file parsed to, keyed by the file's path, length
and CRC-32 of its bytes, by the parser's name and by the version of the code that
parsed it.  A changed file (any byte) is parsed afresh.

What is stored is exactly what the parser returned: a result that does not survive a
JSON round trip unchanged (dates, keys that are not strings) is never stored, and each
hit is decoded anew, so callers may change what they get.  A damaged, unreadable or
unwritable cache only costs the parse.
"""

from __future__ import annotations

import atexit
import binascii
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from evlint import __version__
from evlint.cache_dir import cache_dir, capped, install_tag, read_cache_file, write_cache_file

# Bumped when the layout of the file changes.
_FORMAT = 2
_STAMP = {"format": _FORMAT, "version": __version__}
# Entries kept from earlier runs besides those of this run.
MAX_ENTRIES = 400


class DataCache:
    """Parsed files read from one cache file, plus those parsed since."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.loaded = False
        # "parser|path" -> [length, crc32, code version, the parsed data as JSON text]
        self.entries: dict[str, list[Any]] = {}
        self.used: set[str] = set()
        self.added = 0

    def load(self) -> None:
        self.loaded = True
        entries = read_cache_file(self.path, _STAMP)
        self.entries = entries if isinstance(entries, dict) else {}

    def parse(self, path: Path, parser: str, parse: Callable[[str], Any], version: str = "") -> Any:
        """``parse(path.read_text(encoding="utf-8"))``, or what it returned last time
        for the same bytes and ``version``.  ``parser`` names ``parse``; ``version``
        says which code it is (a new version replaces the file's entry rather than
        adding one, so the cache does not grow with every upgrade).  Read and parse
        errors propagate unchanged."""
        raw = path.read_bytes()
        key = f"{parser}|{path}"
        fingerprint = [len(raw), binascii.crc32(raw), version]
        if not self.loaded:
            self.load()
        self.used.add(key)
        entry = self.entries.get(key)
        if isinstance(entry, list) and len(entry) == 4 and entry[:3] == fingerprint:
            try:
                return json.loads(entry[3])
            except (ValueError, TypeError):
                pass  # a damaged entry: parse afresh
        # As read_text decodes: UTF-8, universal newlines.
        text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        data = parse(text)
        try:
            encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            exact = json.loads(encoded) == data
        except (TypeError, ValueError):  # dates, non-string keys, NaN...
            exact = False
        if exact:
            self.entries[key] = [*fingerprint, encoded]
            self.added += 1
        else:
            self.entries.pop(key, None)
        return data

    def save(self) -> bool:
        """Write the entries back if this run parsed a file the cache lacked."""
        if not self.added or self.path is None:
            return False
        if not write_cache_file(self.path, _STAMP, capped(self.entries, self.used, MAX_ENTRIES)):
            return False
        self.added = 0
        return True


def cache_file() -> Path | None:
    """One file per evlint installation (see :func:`evlint.cache_dir.install_tag`)."""
    directory = cache_dir()
    return None if directory is None else directory / f"parsed-data-{install_tag()}.json"


_default: DataCache | None = None


def parse_file(path: Path, parser: str, parse: Callable[[str], Any], version: str = "") -> Any:
    """:meth:`DataCache.parse` through the process-wide cache, written back at exit."""
    global _default
    if _default is None:
        _default = DataCache(cache_file())
        if _default.path is not None:
            atexit.register(_default.save)
    return _default.parse(path, parser, parse, version)


def source_stamp(files: Iterable[str]) -> str | None:
    """A ``version`` for :func:`parse_file` naming the code that parses: the size and
    modification time of each source file, so editing any of them re-parses.  ``None``
    when a file is not on disk (a zip or frozen install): then do not cache."""
    try:
        stats = [os.stat(file) for file in files]
    except (OSError, TypeError):
        return None
    return "-".join(f"{st.st_size}.{st.st_mtime_ns}" for st in stats)
