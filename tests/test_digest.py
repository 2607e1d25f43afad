"""Finding fingerprints: the fast SHA-1 is SHA-1 (baselines written before stay valid)."""

from __future__ import annotations

import hashlib

import pytest

from evlint.digest import sha1_hex


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"abc",
        "EV101\0posts/caf\u00e9.md\0vitamin d cures colds".encode(),
        bytes(range(256)) * 9,
    ],
)
def test_same_digest_as_hashlib(data: bytes) -> None:
    assert sha1_hex(data) == hashlib.sha1(data).hexdigest()
