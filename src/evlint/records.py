"""``@record``: a frozen dataclass whose ``__eq__``, ``__hash__`` and ``__repr__`` are closures.

Why not plain ``@dataclass(frozen=True, slots=True)``: on Python 3.11 the
``dataclasses`` module writes every generated method as source text and
compiles it, about 0.13 ms a method. evlint defines some 70 record classes,
so the six methods of each cost about 60 ms of a 200 ms pre-commit run.
Here the dataclass still generates ``__init__``, the frozen ``__setattr__`` and
``__delattr__`` (and the slots); equality, hashing and repr are closures
over an ``operator.attrgetter``, which cost nothing to create and behave
exactly like the generated ones: same fields (``compare``, ``hash`` and
``repr`` flags honoured), same class check, same output.

Records stay dataclasses: ``dataclasses.fields``, ``replace`` and
``asdict`` work on them, and instances are immutable.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

_T = TypeVar("_T")
_Getter = Callable[[Any], tuple[Any, ...]]


@overload
def record(cls: type[_T], /) -> type[_T]: ...


@overload
def record(*, slots: bool = True, order: bool = False) -> Callable[[type[_T]], type[_T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
def record(
    cls: type[_T] | None = None, /, *, slots: bool = True, order: bool = False
) -> type[_T] | Callable[[type[_T]], type[_T]]:
    """Make ``cls`` a frozen dataclass (slotted unless ``slots=False``).

    ``slots=False`` is for classes that cache a derived value on first use
    (with ``object.__setattr__``), which needs an instance ``__dict__``.
    ``order=True`` adds ``<``, ``<=``, ``>`` and ``>=`` over the compared fields.
    """

    def wrap(plain: type[_T]) -> type[_T]:
        made = dataclass(frozen=True, slots=slots, eq=False, repr=False)(plain)
        _add_value_methods(made, order)
        return made

    return wrap if cls is None else wrap(cls)


def _add_value_methods(cls: type[Any], order: bool) -> None:
    """Give ``cls`` the equality, hash, repr (and order) a frozen dataclass would get."""
    all_fields = fields(cls)
    compared = _values_getter([f.name for f in all_fields if f.compare])
    # A field's ``hash`` flag, when not set, follows its ``compare`` flag.
    hashed = _values_getter(
        [f.name for f in all_fields if (f.compare if f.hash is None else f.hash)]
    )
    shown = tuple(f.name for f in all_fields if f.repr)
    shown_values = _values_getter(list(shown))

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(hashed(self))

    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        pairs = zip(shown, shown_values(self), strict=True)
        body = ", ".join(f"{name}={value!r}" for name, value in pairs)
        return f"{self.__class__.__qualname__}({body})"

    methods: list[Callable[..., Any]] = [__eq__, __hash__, __repr__]
    if order:
        methods += _order_methods(compared)
    for method in methods:
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        setattr(cls, method.__name__, method)


def _order_methods(compared: _Getter) -> list[Callable[..., Any]]:
    """``<``, ``<=``, ``>``, ``>=`` comparing the compared fields as tuples, same class only."""

    def __lt__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return compared(self) < compared(other)
        return NotImplemented

    def __le__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return compared(self) <= compared(other)
        return NotImplemented

    def __gt__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return compared(self) > compared(other)
        return NotImplemented

    def __ge__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return compared(self) >= compared(other)
        return NotImplemented

    return [__lt__, __le__, __gt__, __ge__]


def _values_getter(names: list[str]) -> _Getter:
    """A function returning the named attributes of an object as a tuple."""
    if len(names) >= 2:
        getter: _Getter = attrgetter(*names)
        return getter
    if names:
        single = attrgetter(names[0])
        return lambda obj: (single(obj),)
    return lambda obj: ()
