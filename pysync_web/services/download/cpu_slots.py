"""Encoding is CPU-bound: at most one ffmpeg encode (or verification decode) per core at a time.

Downloads wait on the network, conversions on the CPU. The queue's concurrency counts transfers, so a
job that reaches the conversion frees its transfer slot for the next download while it waits here
for a core; the network and every core stay busy instead of taking turns.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from pysync_web.services.audio.ffmpeg import Cancelled

CPU_SLOTS = max(1, os.cpu_count() or 1)
_slots = threading.BoundedSemaphore(CPU_SLOTS)


@contextmanager
def cpu_slot(cancel: threading.Event) -> Iterator[None]:
    while not _slots.acquire(timeout=0.2):  # wake up now and then: a cancel must not wait for a core
        if cancel.is_set():
            raise Cancelled()
    try:
        yield
    finally:
        _slots.release()
