"""A one-line "files done / total" counter on stderr for long runs on a terminal.

Silent when stderr is not a TTY (CI logs, pre-commit, pipes) and for short runs, where
a flickering counter would only add noise.
"""

from __future__ import annotations

import time
from typing import TextIO

MIN_FILES = 20  # fewer files finish before anyone would look at a counter
INTERVAL = 0.1  # seconds between redraws


class Progress:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if total < MIN_FILES:
            return
        now = time.monotonic()
        if done < total and now - self.last < INTERVAL:
            return
        self.last = now
        self.stream.write(f"\revlint: {done}/{total} files")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        """Erase the counter so the report starts on a clean line."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def for_stream(stream: TextIO) -> Progress | None:
    try:
        return Progress(stream) if stream.isatty() else None
    except (AttributeError, ValueError):  # closed or replaced stream
        return None
