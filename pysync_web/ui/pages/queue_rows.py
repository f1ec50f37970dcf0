"""The rows of the queue page: a running download with its live progress, a queued job, a failed job.

Rows are list items (one column on a phone, no table to scroll sideways) with touch-sized buttons.
A running row keeps its progress elements so a progress tick changes only them.
"""
from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from pysync_web.formatting import clock
from pysync_web.models import Track
from pysync_web.services.download.queue_views import JobView
from pysync_web.ui.components.platform_badge import platform_badge
from pysync_web.ui.components.status_badge import STEP_LABELS
from pysync_web.worker.events import DownloadEvent, EventKind

Action = Callable[[int], object]
ROUND_BUTTON = "flat round"
TOUCH = "w-10 h-10"  # 40px: a fingertip, not a mouse pointer


def track_text(track: Track) -> tuple[str, str]:
    return track.title or "Untitled", ", ".join(track.artists) or "Unknown artist"


def speed_text(bytes_per_s: float | None) -> str | None:
    if not bytes_per_s:
        return None
    for unit, size in (("MB/s", 1024 * 1024), ("KB/s", 1024)):
        if bytes_per_s >= size:
            return f"{bytes_per_s / size:.1f} {unit}"
    return f"{bytes_per_s:.0f} B/s"


def eta_text(seconds: float | None) -> str | None:
    if seconds is None or seconds < 0:
        return None
    return f"{clock(seconds)} left"


def _track_section(track: Track) -> ui.item_section:
    """Title, platform and artists; callers may add lines below them `with` the returned section."""
    title, artists = track_text(track)
    with ui.item_section().classes("min-w-0") as section:
        ui.item_label(title).classes("break-anywhere font-medium")
        with ui.row().classes("items-center gap-2 no-wrap min-w-0"):
            platform_badge(track.platform)
            ui.item_label(artists).props("caption").classes("break-anywhere")
    return section


def _button(icon: str, tip: str, marker: str, action: Callable[[], object]) -> ui.button:
    return ui.button(icon=icon, on_click=action).props(ROUND_BUTTON).classes(TOUCH).tooltip(tip).mark(marker)


class RunningRow:
    """A download in progress: percent, speed and time left while transferring, then the step."""

    def __init__(self, view: JobView, on_cancel: Action, latest: DownloadEvent | None) -> None:
        job_id = view.job.id
        with ui.item().classes("w-full").mark(f"running-{job_id}"):
            with _track_section(view.track):
                self.bar = ui.linear_progress(value=0, show_value=False) \
                    .props("rounded size=8px instant-feedback").classes("mt-2")
                self.text = ui.label("Starting…").classes("text-caption opacity-80").mark(f"progress-{job_id}")
            with ui.item_section().props("side"):
                _button("close", "Cancel this download", f"cancel-{job_id}", lambda: on_cancel(job_id))
        self.percent: float | None = None
        if latest is not None:
            self.show(latest)

    def show(self, event: DownloadEvent) -> None:
        if event.kind == EventKind.PROGRESS:
            if event.percent is not None:
                self.percent = event.percent
                self.bar.set_value(event.percent / 100)
                self.bar.props(remove="indeterminate")
            else:
                self.bar.props("indeterminate")
            parts = [f"{self.percent:.0f}%" if self.percent is not None else "Downloading",
                     speed_text(event.speed), eta_text(event.eta)]
            self.text.set_text(" · ".join(part for part in parts if part))
        elif event.kind in STEP_LABELS:
            self.bar.set_value(1)
            self.bar.props("indeterminate")
            self.text.set_text(f"{STEP_LABELS[event.kind]}…")


def queued_row(view: JobView, place: int, is_last: bool, on_move: Callable[[int, int], object],
               on_cancel: Action) -> None:
    job_id = view.job.id
    with ui.item().classes("w-full").mark(f"queued-{job_id}"):
        with ui.item_section().props("avatar").classes("gt-xs"):
            ui.label(f"{place}").classes("text-caption opacity-70")
        _track_section(view.track)
        with ui.item_section().props("side"):
            with ui.row().classes("gap-0 no-wrap"):
                up = _button("arrow_upward", "Move up", f"move-up-{job_id}", lambda: on_move(job_id, -1))
                down = _button("arrow_downward", "Move down", f"move-down-{job_id}", lambda: on_move(job_id, 1))
                _button("close", "Remove from the queue", f"cancel-{job_id}", lambda: on_cancel(job_id))
    up.set_enabled(place > 1)
    down.set_enabled(not is_last)


def failed_row(view: JobView, on_retry: Action) -> None:
    job_id = view.job.id
    with ui.item().classes("w-full").mark(f"failed-{job_id}"):
        with _track_section(view.track):
            ui.item_label(view.job.error or "It failed without saying why; try again.") \
                .classes("text-negative text-caption break-anywhere").mark(f"reason-{job_id}")
        with ui.item_section().props("side"):
            _button("refresh", "Try again", f"retry-{job_id}", lambda: on_retry(job_id))
