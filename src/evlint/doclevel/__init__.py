"""Document-level credibility checks (DISCERN, JAMA benchmarks): facts about a whole page."""

from evlint.doclevel.facts import DocFacts, doc_facts

__all__ = ["DocFacts", "doc_facts"]
