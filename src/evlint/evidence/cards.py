"""YAML evidence cards: curated, line-addressed statements of what a source found.

A file holds one card (a mapping), a list of cards, or several YAML documents.  Schema
(every key optional unless marked; unknown keys are errors):

.. code-block:: yaml

    id: fda-exosomes-2019            # required; letters, digits, ``._:-``
    keys:                            # a map of doi/pmid/pmcid/url (value or list) ...
      doi: 10.1002/btm2.70093
      url: https://example.org/x
    # keys: [doi:10.1/x, "PMID: 123", https://…]   # ... or a list of any identifier form
    title: Text
    year: 2019
    date: 2019-12-06
    authors: [A. Author, B. Author]  # or one string
    journal: Journal or publisher    # ``publisher`` is an alias
    url: https://…                   # the source's page; also becomes a key
    design: rct                      # one of model.DESIGNS; default "unknown"
    evidence_basis: [preclinical, early-phase trial]   # what a review rests on
    level: 5                         # 0-7; default derived from design and basis
    population: human                # default population of the items
    phase: early-phase trial         # default phase of the items
    scope: {conditions: [...], populations: [...], interventions: [...]}
    findings:    [text, or {text, population, phase, topics}]
    limitations: [same]
    safety:      [same]
    regulatory:  [{text, jurisdiction, status, interventions, conditions, population,
                   phase, topics}]   # status: not-approved | approved | requirement | warning
    notes: free text, ignored

Files are read with ``yaml.compose`` on the safe loader only (libyaml's parser when
present), so every value keeps the line of its node: errors and items point at the
exact line.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import replace

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from evlint.evidence.classify import phase_of, population_of
from evlint.evidence.keys import KEY_KINDS, keys_for_identifier, make_key
from evlint.evidence.model import (
    BASIS_LEVELS,
    DESIGNS,
    MAX_LEVEL,
    REGULATORY_STATUSES,
    REVIEW_DESIGNS,
    Evidence,
    EvidenceError,
    EvidenceItem,
    LoadResult,
    derive_level,
)
from evlint.evidence.vocab import (
    canonical_condition,
    canonical_population,
    expand_interventions,
    normalise_term,
    topics_in,
)
from evlint.regex_cache import compile_regex
from evlint.yamlio import SafeLoader

CARD_FIELDS = frozenset(
    {
        "id",
        "keys",
        "title",
        "year",
        "date",
        "authors",
        "journal",
        "publisher",
        "url",
        "design",
        "evidence_basis",
        "level",
        "population",
        "phase",
        "scope",
        "findings",
        "limitations",
        "safety",
        "regulatory",
        "notes",
    }
)
SCOPE_FIELDS = frozenset({"conditions", "populations", "interventions"})
ITEM_FIELDS = frozenset({"text", "population", "phase", "topics"})
REGULATORY_FIELDS = ITEM_FIELDS | {"jurisdiction", "status", "interventions", "conditions"}
_ITEM_LISTS = {
    "findings": "finding",
    "limitations": "limitation",
    "safety": "safety",
    "regulatory": "regulatory",
}
_ID_RE = compile_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]*")


class _Card:
    """Typed access to one YAML mapping node, raising line-precise EvidenceErrors."""

    def __init__(self, node: Node, path: str, allowed: frozenset[str], what: str) -> None:
        self.path = path
        self.line = node.start_mark.line + 1
        if not isinstance(node, MappingNode):
            raise self.error(node, f"{what} must be a mapping, not {_kind(node)}")
        self.fields: dict[str, Node] = {}
        self.key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            if not isinstance(key, str):
                raise self.error(key_node, f"{what} keys must be strings, not {key!r}")
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                raise self.error(key_node, f"unknown key {key!r} in {what} (expected: {expected})")
            if key in self.fields:
                raise self.error(key_node, f"duplicate key {key!r} in {what}")
            self.fields[key] = value_node
            self.key_lines[key] = key_node.start_mark.line + 1

    def error(self, node: Node, message: str) -> EvidenceError:
        return EvidenceError(self.path, node.start_mark.line + 1, message)

    def text(self, key: str, required: bool = False) -> str | None:
        node = self.fields.get(key)
        if node is None:
            if required:
                raise EvidenceError(self.path, self.line, f"missing required key {key!r}")
            return None
        value = _scalar(node)
        if isinstance(value, datetime.date):
            return value.isoformat()
        if not isinstance(value, str) or not value.strip():
            raise self.error(node, f"{key!r} must be a non-empty string, not {_describe(node)}")
        return value.strip()

    def integer(self, key: str, low: int, high: int) -> int | None:
        node = self.fields.get(key)
        if node is None:
            return None
        value = _scalar(node)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.error(
                node, f"{key!r} must be an integer {low}-{high}, not {_describe(node)}"
            )
        return value

    def strings(self, key: str, *, single_ok: bool = True) -> tuple[str, ...]:
        node = self.fields.get(key)
        if node is None:
            return ()
        if isinstance(node, ScalarNode) and single_ok:
            return (self.text(key) or "",)
        if not isinstance(node, SequenceNode):
            raise self.error(node, f"{key!r} must be a list of strings, not {_describe(node)}")
        out: list[str] = []
        for child in node.value:
            value = _scalar(child)
            if not isinstance(value, str) or not value.strip():
                raise self.error(child, f"{key!r} entries must be strings, not {_describe(child)}")
            out.append(value.strip())
        return tuple(out)

    def choice(self, key: str, choices: tuple[str, ...] | frozenset[str]) -> str | None:
        value = self.text(key)
        if value is None:
            return None
        normalised = normalise_term(value)
        if normalised not in choices:
            listed = ", ".join(sorted(choices))
            raise self.error(self.fields[key], f"unknown {key} {value!r} (expected: {listed})")
        return normalised


def _scalar(node: Node) -> object:
    if not isinstance(node, ScalarNode):
        return node
    return SafeConstructor().construct_object(node)


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    return "a list" if isinstance(node, SequenceNode) else "a scalar"


def _describe(node: Node) -> str:
    if isinstance(node, ScalarNode):
        value = _scalar(node)
        return f"{type(value).__name__} {value!r}" if value is not None else "empty"
    return _kind(node)


def parse_cards(text: str, path: str, *, builtin: bool = False) -> LoadResult:
    """All cards of one YAML text; a broken card is reported and skipped, others load."""
    try:
        documents = list(yaml.compose_all(text, Loader=SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        return LoadResult(errors=(EvidenceError(path, line, f"invalid YAML: {exc.problem}"),))
    except yaml.YAMLError as exc:
        return LoadResult(errors=(EvidenceError(path, None, f"invalid YAML: {exc}"),))
    nodes: list[Node] = []
    errors: list[EvidenceError] = []
    for document in documents:
        if document is None:
            continue
        if isinstance(document, SequenceNode):
            nodes.extend(document.value)
        elif isinstance(document, MappingNode):
            nodes.append(document)
        else:
            line = document.start_mark.line + 1
            message = "an evidence file holds a card (mapping) or a list of cards"
            errors.append(EvidenceError(path, line, message))
    evidence: list[Evidence] = []
    for node in nodes:
        try:
            evidence.append(_card(node, path, builtin))
        except EvidenceError as exc:
            errors.append(exc)
    return LoadResult(tuple(evidence), tuple(errors))


def _card(node: Node, path: str, builtin: bool) -> Evidence:
    card = _Card(node, path, CARD_FIELDS, "evidence card")
    card_id = card.text("id", required=True) or ""
    if not _ID_RE.fullmatch(card_id):
        message = f"invalid id {card_id!r}: use letters, digits and . _ : -"
        raise card.error(card.fields["id"], message)
    url = card.text("url")
    keys = _keys(card)
    if url:
        keys |= _identifier_keys(card, card.fields["url"], url)
    design = card.choice("design", frozenset(DESIGNS)) or "unknown"
    basis = tuple(_basis(card))
    if not basis and design in BASIS_LEVELS and design not in REVIEW_DESIGNS:
        basis = (design,)
    level = card.integer("level", 0, MAX_LEVEL)
    date = card.text("date")
    year = card.integer("year", 1000, 2999)
    if year is None and date and re.match(r"\d{4}", date):
        year = int(date[:4])
    scope = _scope(card)
    defaults = (card.text("population"), card.text("phase"))
    items: dict[str, list[EvidenceItem]] = {}
    for field_name, kind in _ITEM_LISTS.items():
        items[kind] = _items(card, field_name, kind, defaults, scope["interventions"])
    authors = card.strings("authors")
    return Evidence(
        id=card_id,
        keys=frozenset(keys),
        title=card.text("title") or card_id,
        path=path,
        line=card.line,
        origin="card",
        year=year,
        authors=authors,
        journal=card.text("journal") or card.text("publisher"),
        date=date,
        url=url,
        design=design,
        level=derive_level(design, basis) if level is None else level,
        evidence_basis=basis,
        interventions=scope["interventions"],
        conditions=scope["conditions"],
        populations=scope["populations"],
        findings=tuple(items["finding"]),
        limitations=tuple(items["limitation"]),
        safety=tuple(items["safety"]),
        regulatory=tuple(items["regulatory"]),
        builtin=builtin,
    )


def _identifier_keys(card: _Card, node: Node, value: str, kind: str | None = None) -> set[str]:
    if kind is not None and kind != "url":
        key = make_key(kind, value)
        keys = {key} if key else set()
    else:
        keys = set(keys_for_identifier(value))
    if not keys:
        label = f"{kind} " if kind else "identifier "
        raise card.error(node, f"malformed {label}{value!r}")
    return keys


def _keys(card: _Card) -> set[str]:
    node = card.fields.get("keys")
    if node is None:
        return set()
    keys: set[str] = set()
    if isinstance(node, SequenceNode):
        for child in node.value:
            value = _scalar(child)
            if not isinstance(value, str | int) or isinstance(value, bool):
                raise card.error(child, f"keys entries must be strings, not {_describe(child)}")
            keys |= _identifier_keys(card, child, str(value))
        return keys
    if not isinstance(node, MappingNode):
        raise card.error(node, f"'keys' must be a map or a list, not {_describe(node)}")
    sub = _Card(node, card.path, frozenset(KEY_KINDS), "keys")
    for kind, value_node in sub.fields.items():
        values = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
        for child in values:
            value = _scalar(child)
            if not isinstance(value, str | int) or isinstance(value, bool):
                raise card.error(child, f"{kind} must be a string, not {_describe(child)}")
            keys |= _identifier_keys(card, child, str(value), kind)
    return keys


def _basis(card: _Card) -> list[str]:
    out = []
    for term in card.strings("evidence_basis"):
        normalised = normalise_term(term)
        if normalised not in BASIS_LEVELS:
            listed = ", ".join(sorted(BASIS_LEVELS))
            node = card.fields["evidence_basis"]
            raise card.error(node, f"unknown evidence_basis {term!r} (expected: {listed})")
        out.append(normalised)
    return out


def _scope(card: _Card) -> dict[str, tuple[str, ...]]:
    empty: dict[str, tuple[str, ...]] = {name: () for name in SCOPE_FIELDS}
    node = card.fields.get("scope")
    if node is None:
        return empty
    scope = _Card(node, card.path, SCOPE_FIELDS, "scope")
    normalisers: dict[str, Callable[[str], str]] = {
        "conditions": canonical_condition,
        "populations": canonical_population,
    }
    out = dict(empty)
    for name, normalise in normalisers.items():
        out[name] = tuple(dict.fromkeys(normalise(t) for t in scope.strings(name)))
    out["interventions"] = expand_interventions(list(scope.strings("interventions")))
    return out


def _items(
    card: _Card,
    field_name: str,
    kind: str,
    defaults: tuple[str | None, str | None],
    scope_interventions: tuple[str, ...],
) -> list[EvidenceItem]:
    node = card.fields.get(field_name)
    if node is None:
        return []
    if not isinstance(node, SequenceNode):
        raise card.error(node, f"{field_name!r} must be a list, not {_describe(node)}")
    items = []
    for child in node.value:
        line = child.start_mark.line + 1
        column = child.start_mark.column + 1
        if isinstance(child, ScalarNode):
            value = _scalar(child)
            if not isinstance(value, str) or not value.strip():
                raise card.error(child, f"{field_name!r} entries must be text or a mapping")
            text = value.strip()
            items.append(_item(text, kind, card.path, line, column, defaults, None))
            if kind == "regulatory":
                items[-1] = replace(items[-1], interventions=scope_interventions)
            continue
        allowed = REGULATORY_FIELDS if kind == "regulatory" else ITEM_FIELDS
        entry = _Card(child, card.path, allowed, f"{field_name} entry")
        text = entry.text("text", required=True) or ""
        explicit = (entry.text("population"), entry.text("phase"))
        topics = tuple(normalise_term(t) for t in entry.strings("topics")) or None
        item = _item(text, kind, card.path, line, column, defaults, topics, explicit)
        if kind == "regulatory":
            interventions = expand_interventions(list(entry.strings("interventions")))
            item = replace(
                item,
                interventions=interventions or scope_interventions,
                jurisdiction=entry.text("jurisdiction"),
                status=entry.choice("status", REGULATORY_STATUSES),
                conditions=tuple(canonical_condition(c) for c in entry.strings("conditions")),
            )
        items.append(item)
    return items


def _item(
    text: str,
    kind: str,
    path: str,
    line: int,
    column: int,
    defaults: tuple[str | None, str | None],
    topics: tuple[str, ...] | None,
    explicit: tuple[str | None, str | None] = (None, None),
) -> EvidenceItem:
    # Explicit item fields win, then what the text itself says, then the card's defaults.
    # Regulatory text talks about products, not study subjects: no detection there.
    detect = kind != "regulatory"
    population = explicit[0] or (population_of(text) if detect else None) or defaults[0]
    phase = explicit[1] or (phase_of(text) if detect else None) or defaults[1]
    return EvidenceItem(
        text=" ".join(text.split()),
        kind=kind,
        path=path,
        line=line,
        column=column,
        population=normalise_term(population) if population else None,
        phase=normalise_term(phase) if phase else None,
        topics=topics if topics is not None else topics_in(text),
    )
