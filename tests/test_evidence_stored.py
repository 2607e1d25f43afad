"""Evidence files kept by the data cache load exactly as parsing them does."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from evlint import data_cache
from evlint.evidence import library
from evlint.evidence.library import builtin_pack_dir, load_file
from evlint.evidence.model import LoadResult
from evlint.evidence.stored import result_from_data, result_to_data

FIXTURES = Path(__file__).parent / "fixtures" / "evidence"
EVIDENCE_FILES = sorted(
    [
        *(p for p in FIXTURES.rglob("*") if p.suffix in library.EVIDENCE_SUFFIXES),
        *builtin_pack_dir().iterdir(),
    ]
)


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache_file = tmp_path / "cache" / "parsed-data.json"
    monkeypatch.setattr(data_cache, "_default", data_cache.DataCache(cache_file))
    return cache_file


def _parsed(path: Path, builtin: bool = False) -> LoadResult:
    parser = library._PARSERS[path.suffix.lower()]
    return parser(path.read_text(encoding="utf-8"), str(path), builtin=builtin)


@pytest.mark.parametrize("path", EVIDENCE_FILES, ids=lambda p: p.name)
def test_stored_form_round_trips_exactly(path: Path) -> None:
    parsed = _parsed(path, builtin=path.parent == builtin_pack_dir())
    data = result_to_data(parsed)
    assert json.loads(json.dumps(data)) == data
    assert result_from_data(json.loads(json.dumps(data))) == parsed


def test_loading_twice_serves_the_second_from_the_cache(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [p for p in EVIDENCE_FILES if p.parent != builtin_pack_dir()]
    first = [load_file(p) for p in paths]
    assert first == [_parsed(p) for p in paths]
    assert any(result.errors for result in first) and any(result.evidence for result in first)
    assert data_cache._default is not None and data_cache._default.save()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(data_cache, "_default", data_cache.DataCache(fresh_cache))
    monkeypatch.setattr(library, "_PARSERS", dict.fromkeys(library._PARSERS, refuse))
    assert [load_file(p) for p in paths] == first


def test_builtin_flag_is_part_of_the_key(tmp_path: Path, fresh_cache: Path) -> None:
    pack_file = next(builtin_pack_dir().glob("*.yaml"))
    copy = tmp_path / pack_file.name
    shutil.copy(pack_file, copy)
    user = load_file(copy)
    builtin = load_file(copy, builtin=True)
    assert user.evidence and all(not e.builtin for e in user.evidence)
    assert all(e.builtin for e in builtin.evidence)


def test_edited_or_unreadable_file_is_reloaded(tmp_path: Path, fresh_cache: Path) -> None:
    path = tmp_path / "cards.yaml"
    shutil.copy(FIXTURES / "good" / "cards.yaml", path)
    before = load_file(path)
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "title: Edited", 1))
    after = load_file(path)
    assert after != before and after.evidence[0].title.startswith("Edited")
    path.write_bytes(b"\xff\xfe not utf-8")
    broken = load_file(path)
    assert not broken.evidence and "cannot read" in broken.errors[0].message
    assert broken.errors[0].path == str(path)
