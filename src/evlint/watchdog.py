"""A wall-clock limit per file, so no input can hang a run (a pre-commit hook, CI).

Rules are meant to be linear, and user patterns have their own budget; this is the
last line of defence against a pathological input nobody foresaw.  It uses SIGALRM,
so it only arms in the main thread on POSIX (worker processes run files there too);
elsewhere it does nothing.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

DEFAULT_SECONDS = 60.0
ENVIRONMENT = "EVLINT_FILE_TIMEOUT"  # seconds; 0 turns the limit off


class FileTimeout(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than {seconds:g}s")
        self.seconds = seconds


def limit_seconds() -> float:
    try:
        return max(float(os.environ.get(ENVIRONMENT, DEFAULT_SECONDS)), 0.0)
    except ValueError:
        return DEFAULT_SECONDS


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise FileTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
