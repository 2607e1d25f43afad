"""Citations: markers in prose, the reference list, and what each marker resolves to."""
