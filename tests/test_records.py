"""``@record`` classes behave like ``@dataclass(frozen=True, slots=True)`` ones."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from dataclasses import FrozenInstanceError, dataclass, field
from typing import Any, cast

import pytest

import evlint
from evlint.records import record


@record
class Point:
    x: int
    y: str = "a"
    tags: list[str] = field(default_factory=list, compare=False, repr=False)
    weight: float = field(default=1.0, hash=False)


@dataclass(frozen=True, slots=True)
class PlainPoint:
    x: int
    y: str = "a"
    tags: list[str] = field(default_factory=list, compare=False, repr=False)
    weight: float = field(default=1.0, hash=False)


@record
class Single:
    value: tuple[int, ...]


@record
class Empty:
    pass


@record(slots=False)
class Cached:
    text: str


def test_repr_matches_dataclass_repr() -> None:
    ours = repr(Point(1, "b", ["t"], 2.5))
    theirs = repr(PlainPoint(1, "b", ["t"], 2.5))
    assert ours == theirs.replace("PlainPoint", "Point")
    assert ours == "Point(x=1, y='b', weight=2.5)"
    assert repr(Single((1, 2))) == "Single(value=(1, 2))"
    assert repr(Empty()) == "Empty()"


def test_equality_uses_compared_fields_and_exact_class() -> None:
    assert Point(1, "b", ["one"]) == Point(1, "b", ["two"])  # tags are not compared
    assert Point(1, "b") != Point(1, "c")
    assert Point(1, weight=2.0) != Point(1, weight=3.0)
    assert Point(1) != cast(object, PlainPoint(1))
    assert (Point(1) == object()) is False
    assert Single((1,)) == Single((1,)) and Single((1,)) != Single((2,))
    assert Empty() == Empty()


def test_hash_follows_hash_flags_like_dataclass() -> None:
    assert hash(Point(1, "b", ["x"], 1.0)) == hash(Point(1, "b", ["y"], 9.0))
    assert len({Point(1), Point(1), Point(2)}) == 2
    assert hash(Single((3,))) == hash(Single((3,)))
    assert hash(Point(1, "b")) == hash((1, "b"))


def test_records_are_frozen_slotted_dataclasses() -> None:
    point = Point(1)
    with pytest.raises(FrozenInstanceError):
        point.x = 2  # type: ignore[misc]
    assert not hasattr(point, "__dict__")
    assert hasattr(Cached("t"), "__dict__")
    assert [f.name for f in dataclasses.fields(point)] == ["x", "y", "tags", "weight"]
    assert dataclasses.replace(point, y="z") == Point(1, "z")
    assert dataclasses.asdict(Point(1, "b", ["t"])) == {
        "x": 1,
        "y": "b",
        "tags": ["t"],
        "weight": 1.0,
    }


@record(order=True)
class Ranked:
    first: int
    second: str
    note: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True, order=True)
class PlainRanked:
    first: int
    second: str
    note: str = field(default="", compare=False)


def test_order_matches_dataclass_order() -> None:
    values = [(2, "a", "x"), (1, "b", "y"), (1, "a", "z"), (2, "a", "w")]
    ours = sorted(Ranked(*v) for v in values)
    theirs = sorted(PlainRanked(*v) for v in values)
    assert [(r.first, r.second, r.note) for r in ours] == [
        (r.first, r.second, r.note) for r in theirs
    ]
    assert Ranked(1, "a") <= Ranked(1, "a", "other") and Ranked(1, "a") >= Ranked(1, "a")
    assert Ranked(1, "b") > Ranked(1, "a") and not Ranked(1, "b") < Ranked(1, "a")
    with pytest.raises(TypeError):
        _ = Ranked(1, "a") < cast(Any, PlainRanked(1, "a"))
    with pytest.raises(TypeError):  # no order unless asked for
        _ = Point(1) < cast(Any, Point(2))


def test_recursive_repr_does_not_loop() -> None:
    holder = Point(1, tags=[])
    loop = Single((0,))
    object.__setattr__(loop, "value", (loop,))
    assert repr(loop) == "Single(value=(...,))"
    assert repr(holder) == "Point(x=1, y='a', weight=1.0)"


def test_every_frozen_evlint_dataclass_gets_the_value_methods() -> None:
    """No class is left with identity equality by accident."""
    checked = 0
    for info in pkgutil.walk_packages(evlint.__path__, "evlint."):
        if info.name == "evlint.__main__":
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if not (isinstance(value, type) and dataclasses.is_dataclass(value)):
                continue
            if value.__module__ != module.__name__:
                continue
            params = value.__dataclass_params__  # type: ignore[attr-defined]
            if not params.frozen:  # the one mutable working class, unhashable on purpose
                assert value.__qualname__ == "_Section", value
                continue
            assert value.__eq__ is not object.__eq__, value
            assert value.__hash__ is not None and value.__hash__ is not object.__hash__, value
            assert value.__repr__ is not object.__repr__, value
            checked += 1
    assert checked >= 70
