"""Lexicons compiled to a JSON table: the table survives the data cache exactly, a
lexicon built from it matches what the phrases say, and the table is rebuilt when
the file or the compiling code changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evlint import data_cache, lexicon
from evlint.lexicon import compile_terms, load_lexicon_file
from evlint.lexicon_files import LexiconError, read_lexicon_data
from evlint.resources import lexicon_path

TERMS = {
    "heart attack": ["myocardial infarction", "MI"],
    "anti-inflammatory": [],
    "Crohn's disease": ["crohn’s"],
}


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache_file = tmp_path / "cache" / "parsed-data.json"
    monkeypatch.setattr(data_cache, "_default", data_cache.DataCache(cache_file))
    return cache_file


def test_table_is_plain_json_data() -> None:
    table = lexicon._table("demo", TERMS)
    assert json.loads(json.dumps(table)) == table
    ranks = [rank for ranks in table["index"].values() for rank in ranks]
    assert sorted(ranks) == list(range(len(table["phrases"])))


def test_lexicon_from_table_matches_phrases() -> None:
    lex = compile_terms("demo", TERMS)
    text = "After a myocardial  infarction (MI), Crohn’s disease and anti-inflammatory drugs."
    found = [(m.label, m.text) for m in lex.finditer(text)]
    assert found == [
        ("heart attack", "myocardial  infarction"),
        ("heart attack", "MI"),
        ("Crohn's disease", "Crohn’s disease"),
        ("anti-inflammatory", "anti-inflammatory"),
    ]
    assert [m.label for m in lex.finditer("the mi of it")] == []  # "MI" is case-sensitive


def test_phrase_index_is_a_mapping_over_every_word() -> None:
    lex = compile_terms("demo", TERMS)
    words = set(lex.index.keys())
    assert words == set(lex.anchors) and len(lex.index) == len(words)
    assert "myocardial" in lex.index and "nothing" not in lex.index
    assert {key for key, _ in lex.index.items()} == words
    phrase = lex.index["myocardial"][0]
    assert phrase.tokens == ("myocardial", "infarction") and phrase.label == "heart attack"
    assert lex.index["myocardial"][0] is phrase  # made once
    with pytest.raises(KeyError):
        lex.index["nothing"]


def test_cached_table_equals_a_fresh_compile(fresh_cache: Path) -> None:
    path = lexicon_path("conditions")
    first = lexicon.read_lexicon_table(path)
    assert data_cache._default is not None and data_cache._default.save()
    reread = data_cache.DataCache(fresh_cache)
    reread.load()
    assert any(key.startswith("lexicon-table|") for key in reread.entries)
    data = read_lexicon_data(path)
    assert first == lexicon._table(str(data.get("name", path.stem)), data["terms"])


def test_code_change_rebuilds_the_table(
    tmp_path: Path, fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text("name: demo\nterms:\n  aspirin: [ASA]\n", encoding="utf-8")
    calls: list[str] = []
    real_table = lexicon._table

    def counting(name: str, terms: dict[str, list[str]]) -> dict[str, object]:
        calls.append(name)
        return real_table(name, terms)

    monkeypatch.setattr(lexicon, "_table", counting)
    load_lexicon_file(path)
    load_lexicon_file(path)
    assert calls == ["demo"]  # the second load came from the cache
    lexicon._code_stamp.cache_clear()
    monkeypatch.setattr(lexicon, "_code_stamp", lambda: "edited")
    load_lexicon_file(path)
    assert calls == ["demo", "demo"]
    path.write_text("name: demo\nterms:\n  aspirin: [ASA, aspirine]\n", encoding="utf-8")
    assert [m.label for m in load_lexicon_file(path).finditer("une aspirine")] == ["aspirin"]


def test_broken_lexicon_file_names_the_file(tmp_path: Path, fresh_cache: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("terms: [unclosed\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"broken\.yaml.*cannot read lexicon"):
        load_lexicon_file(path)
    path.write_text("terms:\n  a: 3\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"terms\.a must be a list"):
        load_lexicon_file(path)
    with pytest.raises(LexiconError, match="cannot read lexicon"):
        load_lexicon_file(tmp_path / "missing.yaml")
