"""Where evlint keeps files that only make later runs faster.

Nothing in the cache changes a finding: deleting the directory, or setting
``EVLINT_NO_CACHE=1``, only makes the next run start slower.  The location follows
each platform's convention for per-user caches; ``EVLINT_CACHE_DIR`` overrides it
(the tests point it at a temporary directory).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any, TypeVar

K = TypeVar("K")
V = TypeVar("V")

CACHE_DIR_ENV = "EVLINT_CACHE_DIR"
NO_CACHE_ENV = "EVLINT_NO_CACHE"


def cache_dir() -> Path | None:
    """The cache directory, or None when caching is switched off."""
    if os.environ.get(NO_CACHE_ENV):
        return None
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit)
    try:
        if sys.platform == "win32":
            local = os.environ.get("LOCALAPPDATA")
            base = Path(local) if local else Path.home() / "AppData" / "Local"
        elif sys.platform == "darwin":
            base = Path.home() / "Library" / "Caches"
        else:
            xdg = os.environ.get("XDG_CACHE_HOME")
            base = Path(xdg) if xdg else Path.home() / ".cache"
    except RuntimeError:  # no home directory to be found (no HOME, no passwd entry)
        return None
    return base / "evlint"


def install_tag() -> str:
    """Names this evlint installation (a CRC-32 of the package's folder), so that each
    install (a pre-commit environment, a project's virtualenv, an upgrade) keeps its
    own cache files: a run reads only entries its own code made, and files do not grow
    with every version that has used the directory."""
    import binascii

    return f"{binascii.crc32(os.fsencode(Path(__file__).resolve().parent)):08x}"


def write_atomically(path: Path, data: bytes) -> bool:
    """Replace ``path`` with ``data`` so a concurrent reader sees the old or the new
    file, never half of one.  Returns False (and leaves nothing behind) when the
    directory cannot be written: a cache is an optimisation, never a reason to fail."""
    import tempfile  # only when writing: it imports shutil, random and compressors

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    return True


def read_cache_file(path: Path | None, stamp: Mapping[str, Any]) -> Any:
    """The ``entries`` of a JSON cache file written with the same ``stamp`` (format,
    version...), or None when there is no file, it is damaged or stamped otherwise."""
    if path is None:
        return None
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or any(data.get(key) != value for key, value in stamp.items()):
        return None
    return data.get("entries")


def write_cache_file(path: Path, stamp: Mapping[str, Any], entries: object) -> bool:
    """Write ``entries`` under ``stamp``, atomically.  ASCII JSON: a string holding a
    lone surrogate cannot be encoded as UTF-8.  Returns whether the file was written."""
    text = json.dumps({**stamp, "entries": entries}, ensure_ascii=True, separators=(",", ":"))
    return write_atomically(path, text.encode("ascii"))


def capped(entries: dict[K, V], used: Collection[K], limit: int) -> dict[K, V]:
    """``entries``, or only those used in this run when there are more than ``limit``:
    a cache whose inputs keep changing must not grow without end."""
    if len(entries) <= limit:
        return entries
    return {key: entries[key] for key in used if key in entries}
