"""SHA-1 hex digests for finding fingerprints, without loading OpenSSL.

``import hashlib`` loads the OpenSSL bindings first (about 3 ms, a noticeable share
of a one-file run in a commit hook); CPython's own ``_sha1`` module gives the same
digest and loads in a fraction of that.  Other interpreters use hashlib.
"""

from __future__ import annotations

import importlib
from typing import Any

try:
    _sha1: Any = importlib.import_module("_sha1").sha1
except (ImportError, AttributeError):  # pragma: no cover - not CPython
    _sha1 = importlib.import_module("hashlib").sha1


def sha1_hex(data: bytes) -> str:
    return str(_sha1(data).hexdigest())
