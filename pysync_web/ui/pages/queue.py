"""The download queue: what downloads now (live), what waits (reorder, cancel), what failed (retry),
and the queue's own controls (pause, resume, downloads at once).

Progress ticks update only the running row they belong to; the lists are rebuilt only when a job
changes state, so a busy queue costs the browser a few small updates a second.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from nicegui import run, ui

from pysync_web.errors import PySyncError
from pysync_web.services.download.queue_views import QueueView
from pysync_web.ui.components.status_badge import STEP_LABELS
from pysync_web.ui.context import AppContext
from pysync_web.ui.layout import frame
from pysync_web.ui.live import LiveUpdates
from pysync_web.ui.pages.queue_rows import RunningRow, failed_row, queued_row
from pysync_web.worker.events import DownloadEvent, EventKind
from pysync_web.worker.queue import MAX_CONCURRENCY

log = logging.getLogger(__name__)

QUEUED_SHOWN = 100  # a 5,000-track first sync must not draw 5,000 rows; the first ones are what matter
EMPTY_HINT = "Nothing to download. Tracks of the playlists you add or sync are downloaded here."
_STATE_CHANGES = {EventKind.QUEUED, EventKind.STARTED, EventKind.DONE, EventKind.FAILED, EventKind.CANCELLED,
                  EventKind.QUEUE_PAUSED, EventKind.QUEUE_RESUMED}
_ENDED = {EventKind.DONE, EventKind.FAILED, EventKind.CANCELLED}


def queue_page(context: AppContext) -> None:
    with frame("Queue"):
        QueuePanel(context)


class QueuePanel:
    def __init__(self, context: AppContext) -> None:
        self.context = context
        self.queue = context.queue
        self.downloads = context.services.downloads
        self.rows: dict[int, RunningRow] = {}
        self.latest: dict[int, DownloadEvent] = {}  # newest tick or step per running job, for rebuilt rows
        self.controls = ui.column().classes("w-full gap-3")
        self.lists = ui.column().classes("w-full gap-4")
        self.rebuild()
        LiveUpdates(context.services.events, self.on_events, interval_s=0.25)

    # --- live updates ----------------------------------------------------------------------------

    def on_events(self, events: list[DownloadEvent]) -> None:
        for event in events:
            if event.job_id is None:
                continue
            if event.kind == EventKind.PROGRESS or event.kind in STEP_LABELS:
                self.latest[event.job_id] = event
            elif event.kind in _ENDED:
                self.latest.pop(event.job_id, None)
        if any(event.kind in _STATE_CHANGES for event in events):
            self.rebuild()
            return
        for event in events:
            row = self.rows.get(event.job_id) if event.job_id is not None else None
            if row is not None:
                row.show(event)

    def rebuild(self) -> None:
        if self.lists.is_deleted:
            return
        view = self.downloads.views.queue_view()
        self.controls.clear()
        with self.controls:
            self._pause_banner()
            self._toolbar(view)
        self.lists.clear()
        self.rows = {}
        with self.lists:
            self._lists(view)

    # --- drawing -----------------------------------------------------------------------------------

    def _pause_banner(self) -> None:
        if not self.queue.paused:
            return
        reason = self.queue.pause_reason
        look = "bg-negative text-white" if reason else "bg-warning text-black"
        with ui.card().classes(f"w-full {look}").props("flat").mark("pause-banner"):
            with ui.row().classes("w-full items-center gap-3"):
                with ui.row().classes("grow items-center gap-3 no-wrap min-w-[60%]"):
                    ui.icon("sd_card_alert" if reason else "pause_circle", size="lg")
                    with ui.column().classes("gap-0 min-w-0"):
                        ui.label("Downloads are paused").classes("text-subtitle1 font-bold")
                        ui.label(reason or "Nothing new starts until you resume; running downloads finish.") \
                            .classes("break-anywhere").mark("pause-reason")
                ui.button("Resume", icon="play_arrow", on_click=self.resume) \
                    .props("unelevated color=white text-color=black").classes("min-h-[40px]").mark("resume-queue")

    def _toolbar(self, view: QueueView) -> None:
        with ui.row().classes("w-full items-center gap-2"):
            ui.label(f"{len(view.running)} downloading · {len(view.queued)} queued · {len(view.failed)} failed") \
                .classes("text-body2 opacity-80").mark("queue-summary")
            ui.space()
            if not self.queue.paused:
                ui.button("Pause", icon="pause", on_click=self.pause).props("outline") \
                    .classes("min-h-[40px]").mark("pause-queue")
            ui.select({n: str(n) for n in range(1, MAX_CONCURRENCY + 1)}, value=self.queue.concurrency,
                      label="Downloads at once", on_change=lambda e: self.set_concurrency(e.value)) \
                .props("outlined dense options-dense").classes("w-40") \
                .mark("concurrency")

    def _lists(self, view: QueueView) -> None:
        if not (view.running or view.queued or view.failed):
            with ui.column().classes("w-full items-center gap-3 py-12 text-center").mark("queue-empty"):
                ui.icon("download_done", size="xl").classes("opacity-60")
                ui.label(EMPTY_HINT).classes("text-body1 opacity-80")
                ui.button("Go to playlists", icon="queue_music", on_click=lambda: ui.navigate.to("/")) \
                    .props("outline").classes("min-h-[40px]")
            return
        if view.running:
            with self._section(f"Downloading · {len(view.running)}"):
                for item in view.running:
                    self.rows[item.job.id] = RunningRow(item, self.cancel, self.latest.get(item.job.id))
        if view.queued:
            shown = view.queued[:QUEUED_SHOWN]
            with self._section(f"Queued · {len(view.queued)}"):
                for place, item in enumerate(shown, start=1):
                    queued_row(item, place, place == len(view.queued), self.move, self.cancel)
            if len(view.queued) > len(shown):
                ui.label(f"… and {len(view.queued) - len(shown)} more queued after these.") \
                    .classes("text-caption opacity-70 px-2")
        if view.failed:
            with self._section(f"Failed · {len(view.failed)}", action=("Retry all", self.retry_all, "retry-all")):
                for item in view.failed:
                    failed_row(item, self.retry)

    @staticmethod
    def _section(title: str, action: tuple[str, Callable[[], Any], str] | None = None) -> ui.list:
        with ui.row().classes("w-full items-center justify-between pt-2"):
            ui.label(title).classes("text-h6")
            if action is not None:
                label, handler, marker = action
                ui.button(label, icon="refresh", on_click=handler).props("flat").classes("min-h-[40px]").mark(marker)
        return ui.list().props("bordered separator").classes("w-full rounded-borders")

    # --- actions -----------------------------------------------------------------------------------

    async def cancel(self, job_id: int) -> None:
        running = job_id in self.queue.running_job_ids
        await self._act(lambda: self.queue.cancel(job_id), "Cancelling the download…" if running
                        else "Removed from the queue.")

    async def move(self, job_id: int, offset: int) -> None:
        await self._act(lambda: self.downloads.move(job_id, offset), None)

    async def retry(self, job_id: int) -> None:
        await self._act(lambda: self.queue.retry([job_id]), "Queued again.")

    async def retry_all(self) -> None:
        await self._act(self.queue.retry, lambda count: f"Queued {count} failed download{'s' * (count != 1)} again.")

    def pause(self) -> None:
        self.queue.pause()
        ui.notify("Downloads paused. Running ones finish; nothing new starts until you resume.")
        self.rebuild()

    def resume(self) -> None:
        self.queue.resume()
        ui.notify("Downloads resumed.", type="positive")
        self.rebuild()

    async def set_concurrency(self, concurrency: int) -> None:
        if concurrency == self.queue.concurrency:
            return
        try:
            self.queue.set_concurrency(concurrency)
            await run.io_bound(self.context.services.settings_service.save,
                               {"download_concurrency": concurrency})
        except PySyncError as error:
            ui.notify(str(error), type="warning")
            return
        except OSError as error:
            ui.notify(f"Up to {concurrency} at once from now, but it could not be saved for the next start: "
                      f"{error.strerror or error}.", type="warning")
            return
        ui.notify(f"Up to {concurrency} download{'s' * (concurrency != 1)} at once.", type="positive")

    async def _act(self, work: Callable[[], Any], done: str | Callable[[Any], str] | None) -> None:
        """Run a queue change off the event loop (it writes the store), say how it went, redraw."""
        try:
            result = await run.io_bound(work)
        except PySyncError as error:
            ui.notify(str(error), type="warning")
        except Exception:
            log.exception("queue action failed")
            ui.notify("That did not work; the log has details.", type="negative")
        else:
            if done is not None:
                ui.notify(done(result) if callable(done) else done, type="positive")
        self.rebuild()
