"""A track's download state at a glance: a coloured chip, and a live progress bar while it downloads.

A progress tick changes this element's own few props and nothing else, so a busy queue costs the
browser a handful of bytes per visible download, not a re-sent table.
"""
from __future__ import annotations

from nicegui import ui

from pysync_web.models import TrackStatus
from pysync_web.worker.events import DownloadEvent, EventKind

# label, Quasar colour (readable in light and dark mode with white text), icon
STATUS_LOOK = {
    TrackStatus.PENDING: ("Not downloaded", "grey-7", "radio_button_unchecked"),
    TrackStatus.QUEUED: ("Queued", "blue-grey-6", "schedule"),
    TrackStatus.DOWNLOADING: ("Downloading", "primary", "downloading"),
    TrackStatus.DOWNLOADED: ("Downloaded", "positive", "check_circle"),
    TrackStatus.FAILED: ("Failed", "negative", "error"),
}
STEP_LABELS = {EventKind.CONVERTING: "Converting", EventKind.TAGGING: "Tagging", EventKind.VERIFYING: "Verifying"}


class StatusBadge(ui.column):
    def __init__(self, status: TrackStatus, error: str | None = None) -> None:
        super().__init__()
        self.classes("gap-0 items-start")
        self.status = status
        self._percent: float | None = None
        self._tooltip: ui.tooltip | None = None
        self._bar: ui.linear_progress | None = None  # made on the first tick: most rows never need one
        with self:
            self._chip = ui.chip(text_color="white").props("dense square").classes("text-xs m-0 max-w-full")
        self.show(status, error)

    def show(self, status: TrackStatus, error: str | None = None) -> None:
        """A settled state (no progress bar); a failure's reason shows on hover."""
        self.status = status
        label, color, icon = STATUS_LOOK[status]
        self._set_chip(label, color, icon)
        if self._bar is not None:
            self._bar.delete()
            self._bar = None
        if self._tooltip is not None:
            self._tooltip.delete()
            self._tooltip = None
        if error and status == TrackStatus.FAILED:
            with self._chip:
                self._tooltip = ui.tooltip(error)

    def show_progress(self, percent: float | None, step: str = "Downloading") -> None:
        """Working on it now: the step, and while transferring the percentage (if the source says)."""
        self.status = TrackStatus.DOWNLOADING
        if percent is not None:
            self._percent = percent
        known = step == "Downloading" and self._percent is not None
        _, color, icon = STATUS_LOOK[TrackStatus.DOWNLOADING]
        self._set_chip(f"{step} {self._percent:.0f}%" if known else step, color, icon)
        if self._bar is None:
            with self:
                self._bar = ui.linear_progress(show_value=False, size="3px").classes("w-24").mark("track-progress")
        if known:
            self._bar.props(remove="indeterminate")
            self._bar.set_value((self._percent or 0) / 100)
        else:
            self._bar.props("indeterminate")

    def apply(self, event: DownloadEvent) -> None:
        """Follow a live event. Ends (done, failed, cancelled) are not handled here: the row re-reads the
        track from the library then, because only the library knows the outcome for sure."""
        if event.kind == EventKind.QUEUED:
            self._percent = None
            self.show(TrackStatus.QUEUED)
        elif event.kind in (EventKind.STARTED, EventKind.PROGRESS):
            self.show_progress(event.percent)
        elif event.kind in STEP_LABELS:
            self.show_progress(None, STEP_LABELS[event.kind])

    def _set_chip(self, label: str, color: str, icon: str) -> None:
        self._chip.set_text(label)
        self._chip.props(f"color={color} icon={icon}")
