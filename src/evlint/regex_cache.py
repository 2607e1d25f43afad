"""Compiled regular expressions kept between runs.

Compiling evlint's built-in patterns (lexicon alternations of hundreds of terms, the
claim patterns, the document-level cues) costs about 50 ms of pure-Python work in
every process: a fifth of the start-up of ``evlint check post.md``.  CPython compiles
a pattern in two steps.  ``re._parser`` and ``re._compiler`` turn the text into a list
of matcher opcodes (the slow part), and ``_sre.compile`` builds the matcher from that
list, validating every opcode.  This module keeps the opcode lists in one JSON file in
the user cache directory (:mod:`evlint.cache_dir`), keyed by pattern text and flags,
so a later run does only the second step.

Safety:
- The file is plain data (JSON, never pickle or marshal), so it cannot carry code.
- Its name holds the interpreter version and ``_sre.MAGIC`` (which changes with the
  opcode set), so one Python never reads another's opcodes.
- ``_sre.compile`` rejects invalid code; a rejected entry, an unreadable file, an
  unknown interpreter or a changed private API all fall back to compiling afresh, so
  the cost of a bad cache is speed, not behaviour.
- Only patterns evlint itself declares (and those derived from rule and lexicon
  files) go through here; patterns built from a document's text use ``re.compile``
  and never reach the file.
"""

from __future__ import annotations

import atexit
import binascii
import importlib
import re
import sys
import zlib
from array import array
from pathlib import Path
from typing import Any

from evlint.cache_dir import cache_dir, capped, install_tag, read_cache_file, write_cache_file

# Bumped when the layout of an entry changes.
_FORMAT = 2
_STAMP = {"format": _FORMAT}
# A user whose own rule patterns keep changing must not grow the file forever: past
# this many entries only the patterns of the current run are written back.
MAX_ENTRIES = 4000

# One entry, as stored: [pattern, flags, flags as compiled, opcodes, groups, group
# index, index group].  The opcodes (32-bit words, mostly small) are zlib-compressed
# and base64-encoded: a tenth of the raw size, so the file decodes in about a
# millisecond.  Entries are decoded only when their pattern is asked for.
_Row = list[Any]

try:  # CPython's private compiler API (untyped); absent or different elsewhere.
    _sre: Any = importlib.import_module("_sre")
    _re_compiler: Any = importlib.import_module("re._compiler")
    _re_parser: Any = importlib.import_module("re._parser")

    _AVAILABLE = (
        sys.implementation.name == "cpython"
        and array("I").itemsize == _sre.CODESIZE
        and callable(getattr(_re_compiler, "_code", None))
        and callable(getattr(_re_parser, "parse", None))
    )
except (ImportError, AttributeError):  # pragma: no cover - other interpreters
    _AVAILABLE = False


class RegexCache:
    """Compiled patterns read from one cache file plus those compiled since."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.loaded = False
        self.entries: dict[tuple[str, int], _Row] = {}
        self.used: set[tuple[str, int]] = set()
        self.added = 0

    def load(self) -> None:
        self.loaded = True
        rows = read_cache_file(self.path, _STAMP)
        try:
            self.entries = {(row[0], row[1]): row for row in rows} if isinstance(rows, list) else {}
        except (TypeError, KeyError, IndexError):
            self.entries = {}  # damaged: start empty

    def compile(self, pattern: str, flags: int = 0) -> re.Pattern[str]:
        """``re.compile(pattern, flags)``, reusing the opcodes of an earlier run."""
        flags = int(flags)
        if not _AVAILABLE or flags & re.DEBUG:
            return re.compile(pattern, flags)
        if not self.loaded:
            self.load()
        key = (pattern, flags)
        self.used.add(key)
        row = self.entries.get(key)
        if row is not None:
            try:
                return _from_row(pattern, row)
            except Exception:  # a damaged or foreign entry: compile it afresh
                del self.entries[key]
        try:
            row = _row_for(pattern, flags)
            compiled = _from_row(pattern, row)
        except re.error:
            raise
        except Exception:  # the private API changed: behave exactly like re.compile
            return re.compile(pattern, flags)
        self.entries[key] = row
        self.added += 1
        return compiled

    def save(self) -> bool:
        """Write the entries back if this run compiled a pattern the file lacked.
        Returns whether the file was written."""
        if not self.added or self.path is None:
            return False
        rows = list(capped(self.entries, self.used, MAX_ENTRIES).values())
        if not write_cache_file(self.path, _STAMP, rows):
            return False
        self.added = 0
        return True


def cache_file() -> Path | None:
    """This interpreter's cache file, or None when caching is off or unavailable."""
    directory = cache_dir()
    if directory is None or not _AVAILABLE:
        return None
    tag = f"{sys.implementation.cache_tag}-{sys.hexversion:x}-{_sre.MAGIC}-{install_tag()}"
    return directory / f"regex-{tag}.json"


_default: RegexCache | None = None


def compile_regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)`` through the process-wide cache, which is written
    back when the process exits."""
    global _default
    if _default is None:
        _default = RegexCache(cache_file())
        if _default.path is not None:
            atexit.register(_default.save)
    return _default.compile(pattern, flags)


def _row_for(pattern: str, flags: int) -> _Row:
    """What ``re._compiler.compile`` computes before it calls ``_sre.compile``."""
    parsed = _re_parser.parse(pattern, flags)
    code = _re_compiler._code(parsed, flags)
    group_index = dict(parsed.state.groupdict)
    index_group: list[str | None] = [None] * parsed.state.groups
    for name, number in group_index.items():
        index_group[number] = name
    packed = zlib.compress(array("I", code).tobytes())
    return [
        pattern,
        flags,
        int(flags | parsed.state.flags),
        binascii.b2a_base64(packed, newline=False).decode("ascii"),
        parsed.state.groups - 1,
        group_index,
        index_group,
    ]


def _from_row(pattern: str, row: _Row) -> re.Pattern[str]:
    _, _, final_flags, packed, groups, group_index, index_group = row
    code = array("I")
    code.frombytes(zlib.decompress(binascii.a2b_base64(packed)))
    compiled: re.Pattern[str] = _sre.compile(
        pattern, final_flags, code.tolist(), groups, group_index, tuple(index_group)
    )
    return compiled
