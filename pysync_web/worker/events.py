"""A tiny publish/subscribe hub: the download queue tells, every open page (and the CLI) listens.

Downloads run in worker threads, but subscribers (NiceGUI pages, the CLI's progress bars) live on the
event loop. `publish` may be called from any thread; delivery always happens on the loop the bus is
bound to, so subscribers never need locks. Per-second progress lives only here, in memory: durable
states are in the store before their event is published.
"""
from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

log = logging.getLogger(__name__)


class EventKind(StrEnum):
    QUEUED = "queued"
    STARTED = "started"
    PROGRESS = "progress"
    CONVERTING = "converting"
    TAGGING = "tagging"
    VERIFYING = "verifying"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
    FILE_REMOVED = "file_removed"  # a user deleted a track's file: rows and counts change
    QUEUE_PAUSED = "queue_paused"
    QUEUE_RESUMED = "queue_resumed"


@dataclass(frozen=True)
class DownloadEvent:
    kind: EventKind
    job_id: int | None = None
    track_id: int | None = None
    percent: float | None = None  # 0..100 of the transfer
    speed: float | None = None  # bytes per second
    eta: float | None = None  # seconds
    message: str | None = None  # the reason of a failure or a pause, the step being done


Subscriber = Callable[[DownloadEvent], None]


class EventBus:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Deliver on this loop from now on (the web app's or the CLI's)."""
        self._loop = loop

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Returns the function that unsubscribes (a closed page must call it)."""
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, event: DownloadEvent) -> None:
        loop = self._loop
        if loop is None or loop.is_closed() or _running_loop() is loop:
            self._deliver(event)
        else:
            loop.call_soon_threadsafe(self._deliver, event)

    def _deliver(self, event: DownloadEvent) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(event)
            except Exception:  # one broken page must not stop the others hearing about downloads
                log.exception("event subscriber failed on %s", event.kind)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class ProgressThrottle:
    """Lets through at most one progress event per `interval_s` per job (4 a second by default)."""

    def __init__(self, interval_s: float = 0.25, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval_s = interval_s
        self._clock = clock
        self._last: float | None = None

    def ready(self) -> bool:
        now = self._clock()
        if self._last is not None and now - self._last < self.interval_s:
            return False
        self._last = now
        return True
