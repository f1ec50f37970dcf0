"""The download queue: an asyncio task that runs persisted jobs in worker threads, N transfers at a time.

Jobs live in the store (services.downloads), so the queue itself holds only what is running now.
`concurrency` counts transfers: once a job's audio has arrived and it converts (CONVERTING), its slot
goes to the next download while the conversion waits for a free core (services.download.cpu_slots).
It wakes when a job is queued (it listens to the event bus) or when a running job ends, starts as
many queued jobs as concurrency allows, and pauses on its own when the music folder is full or not
writable instead of failing every job the same way.
"""
from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from pysync_web.errors import PySyncError
from pysync_web.services.download.cpu_slots import CPU_SLOTS
from pysync_web.services.downloads import DownloadService
from pysync_web.worker.events import DownloadEvent, EventBus, EventKind

log = logging.getLogger(__name__)

MAX_CONCURRENCY = 10


@dataclass
class _Running:
    task: asyncio.Task[None]
    cancel: threading.Event


class DownloadQueue:
    def __init__(self, downloads: DownloadService, events: EventBus, concurrency: int = 3,
                 on_idle: Callable[[], object] | None = None):
        """`on_idle` runs in a worker thread each time the queue drains after running jobs (it rewrites
        auto-exports, so DJ software always finds the new files)."""
        self.downloads = downloads
        self.events = events
        self.on_idle = on_idle
        self.concurrency = self._valid_concurrency(concurrency)
        self.paused = False
        self.pause_reason: str | None = None
        self._running: dict[int, _Running] = {}
        self._converting: set[int] = set()  # running jobs past their transfer
        # Its own threads: the default executor is shared with start-up work and other blocking calls.
        self._threads = ThreadPoolExecutor(MAX_CONCURRENCY + CPU_SLOTS, thread_name_prefix="download")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._stopping = False
        self._ran_since_idle = False
        self._unsubscribe = events.subscribe(self._on_event)

    @property
    def running_job_ids(self) -> set[int]:
        return set(self._running)

    async def run(self, until_empty: bool = False) -> None:
        """Run jobs until stopped (the web app) or, with `until_empty`, until none is left (the CLI)."""
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._stopping = False
        self.events.bind(self._loop)
        await asyncio.to_thread(self.downloads.recover_interrupted)
        while not self._stopping:
            self._start_jobs()
            if not self._running and self._ran_since_idle:
                self._ran_since_idle = False
                await self._run_idle_hook()
                continue  # jobs queued while the hook ran start at once
            if until_empty and not self._running and (self.paused or not self.downloads.has_work()):
                break
            await self._wake.wait()
            self._wake.clear()
        await self._interrupt_running()

    async def stop(self) -> None:
        """Stop cleanly: running jobs are interrupted and queued again for the next start."""
        self._stopping = True
        self._poke()
        await self._interrupt_running()
        self._unsubscribe()
        self._threads.shutdown(wait=False)

    def cancel(self, job_id: int) -> None:
        running = self._running.get(job_id)
        if running is not None:
            running.cancel.set()  # the job's worker thread sees it within a second and cleans up
        elif not self.downloads.cancel_queued(job_id):
            raise PySyncError(f"Download {job_id} is not queued or running.")

    def cancel_playlist(self, playlist_id: int) -> int:
        jobs = self.downloads.active_jobs_of_playlist(playlist_id)
        for job in jobs:
            self.cancel(job.id)
        return len(jobs)

    def retry(self, job_ids: Iterable[int] | None = None) -> int:
        return len(self.downloads.retry(job_ids))

    def pause(self, reason: str | None = None) -> None:
        self.paused, self.pause_reason = True, reason
        self.events.publish(DownloadEvent(EventKind.QUEUE_PAUSED, message=reason))

    def resume(self) -> None:
        self.paused, self.pause_reason = False, None
        self.events.publish(DownloadEvent(EventKind.QUEUE_RESUMED))
        self._poke()

    def set_concurrency(self, concurrency: int) -> None:
        self.concurrency = self._valid_concurrency(concurrency)
        self._poke()  # more slots start jobs at once; fewer let running jobs finish first

    @staticmethod
    def _valid_concurrency(concurrency: int) -> int:
        if not 1 <= concurrency <= MAX_CONCURRENCY:
            raise PySyncError(f"Concurrent downloads must be between 1 and {MAX_CONCURRENCY}.")
        return concurrency

    def _has_free_slot(self) -> bool:
        transfers = len(self._running) - len(self._converting)
        # Converting jobs wait for a core; more of them than cores would only hold finished downloads.
        return transfers < self.concurrency and len(self._running) < self.concurrency + CPU_SLOTS

    def _start_jobs(self) -> None:
        while not self.paused and not self._stopping and self._has_free_slot():
            job = self.downloads.next_job(exclude=set(self._running))
            if job is None:
                return
            cancel = threading.Event()
            self._running[job.id] = _Running(asyncio.create_task(self._run_one(job.id, cancel)), cancel)
            self._ran_since_idle = True

    async def _run_one(self, job_id: int, cancel: threading.Event) -> None:
        try:
            loop = asyncio.get_running_loop()
            outcome = await loop.run_in_executor(self._threads, self.downloads.run_job, job_id, cancel)
            if outcome.storage_error is not None and not self.paused:
                self.pause(str(outcome.storage_error))
        except Exception:  # run_job reports a job's own failures; this is a bug, logged, queue goes on
            log.exception("download job %s crashed", job_id)
        finally:
            self._running.pop(job_id, None)
            self._converting.discard(job_id)
            self._poke()

    async def _run_idle_hook(self) -> None:
        if self.on_idle is None:
            return
        try:
            await asyncio.to_thread(self.on_idle)
        except Exception:  # an export problem must never stop downloads
            log.exception("the queue's idle hook failed")

    async def _interrupt_running(self) -> None:
        running = list(self._running.items())
        for _, job in running:
            job.cancel.set()
        await asyncio.gather(*(job.task for _, job in running), return_exceptions=True)
        if running:
            await asyncio.to_thread(self.downloads.requeue, [job_id for job_id, _ in running])

    def _on_event(self, event: DownloadEvent) -> None:
        if event.kind == EventKind.QUEUED:
            self._poke()
        elif event.kind == EventKind.CONVERTING and event.job_id in self._running:
            self._converting.add(event.job_id)
            self._poke()

    def _poke(self) -> None:
        if self._wake is None or self._loop is None or self._loop.is_closed():
            return
        try:
            running_loop = asyncio.get_running_loop()
        except RuntimeError:
            running_loop = None
        if running_loop is self._loop:
            self._wake.set()
        else:
            self._loop.call_soon_threadsafe(self._wake.set)
