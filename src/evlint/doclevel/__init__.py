"""Document-level credibility checks (DISCERN, JAMA benchmarks): facts about a whole page."""

from evlint.doclevel.facts import DocFacts, compute, doc_facts

__all__ = ["DocFacts", "compute", "doc_facts"]
