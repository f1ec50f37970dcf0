"""`python main.py download`: run the queue until it is empty, showing progress as it goes.

On a terminal: a bar per active download and an overall bar (rich). Elsewhere (cron, logs): one plain
line per finished or failed track. Either way a summary of every failure and its reason at the end.
"""
from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import (
    BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TimeRemainingColumn, TransferSpeedColumn,
)

from pysync_web.models import JobStatus
from pysync_web.services.app_services import AppServices
from pysync_web.worker.events import DownloadEvent, EventKind
from pysync_web.worker.queue import DownloadQueue

_STEP_LABELS = {EventKind.CONVERTING: "converting", EventKind.TAGGING: "tagging", EventKind.VERIFYING: "verifying"}


@dataclass
class RunSummary:
    done: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (track label, reason)
    cancelled: int = 0


def run_downloads(services: AppServices, concurrency: int | None, interactive: bool | None = None) -> RunSummary:
    interactive = sys.stdout.isatty() if interactive is None else interactive
    queue = DownloadQueue(services.downloads, services.events,
                          concurrency or services.settings.download_concurrency,
                          on_idle=services.exports.auto_export)
    summary = RunSummary()
    label = _track_labeller(services)
    total = len(services.downloads.jobs.with_status(JobStatus.QUEUED, JobStatus.RUNNING))
    display = _RichDisplay(total, label) if interactive else _PlainDisplay(total, label)

    def on_event(event: DownloadEvent) -> None:
        if event.kind == EventKind.DONE:
            summary.done += 1
        elif event.kind == EventKind.FAILED:
            summary.failures.append((label(event.track_id), event.message or "unknown reason"))
        elif event.kind == EventKind.CANCELLED:
            summary.cancelled += 1
        display.show(event)

    unsubscribe = services.events.subscribe(on_event)
    try:
        with display:
            asyncio.run(queue.run(until_empty=True))
    finally:
        unsubscribe()
    if queue.paused and queue.pause_reason:
        summary.failures.append(("the queue", queue.pause_reason))
    return summary


def _track_labeller(services: AppServices) -> Callable[[int | None], str]:
    def label(track_id: int | None) -> str:
        track = services.catalog.track(track_id) if track_id is not None else None
        if track is None:
            return f"track {track_id}"
        return f"{', '.join(track.artists)} - {track.title}" if track.artists else track.title
    return label


class _PlainDisplay:
    def __init__(self, total: int, label: Callable[[int | None], str]):
        self.total, self.label, self.finished = total, label, 0

    def __enter__(self) -> _PlainDisplay:
        print(f"Downloading {self.total} tracks", flush=True)
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def show(self, event: DownloadEvent) -> None:
        if event.kind in (EventKind.DONE, EventKind.FAILED, EventKind.CANCELLED):
            self.finished += 1
            detail = f" -> {event.message}" if event.kind == EventKind.DONE else (
                f": {event.message}" if event.message else "")
            print(f"[{self.finished}/{self.total}] {event.kind.value} {self.label(event.track_id)}{detail}", flush=True)
        elif event.kind == EventKind.QUEUE_PAUSED:
            print(f"paused: {event.message}", flush=True)


class _RichDisplay:
    def __init__(self, total: int, label: Callable[[int | None], str]):
        self.label = label
        self.progress = Progress(
            TextColumn("{task.description}", style="bold"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
            DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn(), console=Console(),
        )
        self.overall = self.progress.add_task("all tracks", total=total or 1)
        self.rows: dict[int, TaskID] = {}

    def __enter__(self) -> _RichDisplay:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def show(self, event: DownloadEvent) -> None:
        job = event.job_id
        if event.kind == EventKind.STARTED and job is not None:
            self.rows[job] = self.progress.add_task(self.label(event.track_id)[:40], total=100)
        elif event.kind == EventKind.PROGRESS and job in self.rows and event.percent is not None:
            self.progress.update(self.rows[job], completed=event.percent)
        elif event.kind in _STEP_LABELS and job in self.rows:
            self.progress.update(self.rows[job], completed=100,
                                 description=f"{self.label(event.track_id)[:28]} ({_STEP_LABELS[event.kind]})")
        elif event.kind in (EventKind.DONE, EventKind.FAILED, EventKind.CANCELLED):
            if job in self.rows:
                self.progress.remove_task(self.rows.pop(job))
            self.progress.advance(self.overall)
            if event.kind == EventKind.FAILED:
                self.progress.console.print(f"[red]failed[/red] {self.label(event.track_id)}: {event.message}")
