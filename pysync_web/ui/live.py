"""Live download updates for one page of one browser: subscribed while the page exists, throttled.

The worker may publish dozens of events a second (three downloads, four progress ticks each, plus
state changes). A page gets them in batches from a timer, so a browser receives a few updates a
second however busy the queue is, and progress ticks superseded within a batch are dropped. The
subscription ends when the page's elements are deleted: navigating away or closing the tab.
"""
from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from pysync_web.worker.events import DownloadEvent, EventBus, EventKind

Handler = Callable[[list[DownloadEvent]], None]


def coalesce(events: list[DownloadEvent]) -> list[DownloadEvent]:
    """Keep every state change in order, but only the newest progress tick of each job."""
    last_progress = {e.job_id: i for i, e in enumerate(events) if e.kind == EventKind.PROGRESS}
    return [e for i, e in enumerate(events) if e.kind != EventKind.PROGRESS or last_progress[e.job_id] == i]


class LiveUpdates(ui.timer):
    """An invisible element: `handler` gets the batched events at most every `interval_s` seconds."""

    def __init__(self, bus: EventBus, handler: Handler, interval_s: float = 0.2) -> None:
        self._pending: list[DownloadEvent] = []
        self._handler = handler
        super().__init__(interval_s, self._flush)
        self._unsubscribe = bus.subscribe(self._pending.append)

    def _flush(self) -> None:
        if not self._pending:
            return
        events = coalesce(self._pending)
        self._pending.clear()  # the same list: the bus holds its bound append method
        self._handler(events)

    def _handle_delete(self) -> None:
        self._unsubscribe()
        super()._handle_delete()
