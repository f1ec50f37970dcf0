"""Every track across playlists: a summary (counts, size on disk, charts), then the shared track list."""
from __future__ import annotations

from typing import Any

from nicegui import background_tasks, run, ui

from pysync_web.models import TrackStatus
from pysync_web.services.catalog import LibraryStats
from pysync_web.formatting import file_size
from pysync_web.ui.components.track_list import TrackList
from pysync_web.ui.context import AppContext
from pysync_web.ui.layout import frame
from pysync_web.ui.live import LiveUpdates
from pysync_web.ui.theme import PLATFORM_COLORS
from pysync_web.worker.events import DownloadEvent, EventKind

CHANGES = {EventKind.QUEUED, EventKind.STARTED, EventKind.DONE, EventKind.FAILED, EventKind.CANCELLED,
           EventKind.FILE_REMOVED}
TILES = (("tracks", "Tracks", "library_music"), ("downloaded", "Downloaded", "check_circle"),
         ("in-queue", "In the queue", "schedule"), ("failed", "Failed", "error"),
         ("not-downloaded", "Not downloaded", "radio_button_unchecked"), ("size", "On disk", "save"))
CHART_CLASSES = "w-full h-36 sm:h-48"
# Grey text and faint grid lines read well on the light and the dark background alike.
_AXIS = {"axisLabel": {"color": "#9e9e9e"}, "axisLine": {"lineStyle": {"color": "#9e9e9e"}},
         "splitLine": {"lineStyle": {"color": "rgba(158,158,158,0.2)"}}}


def library_page(context: AppContext) -> None:
    with frame("Library"):
        LibrarySummary(context)
        TrackList(context)


class LibrarySummary:
    def __init__(self, context: AppContext) -> None:
        self.catalog = context.services.catalog
        with ui.element("div").classes("w-full grid grid-cols-3 lg:grid-cols-6 gap-2"):
            self.tiles = {key: self._tile(key, label, icon) for key, label, icon in TILES}
        with ui.element("div").classes("w-full grid grid-cols-1 md:grid-cols-3 gap-2"):
            with ui.card().classes("md:col-span-2 gap-1"):
                ui.label("Downloads per day, last 30 days").classes("text-sm text-grey-7")
                self.per_day = ui.echart(self._per_day_options([])).classes(CHART_CLASSES).mark("downloads-chart")
            with ui.card().classes("gap-1"):
                ui.label("Tracks per platform").classes("text-sm text-grey-7")
                self.per_platform = ui.echart(self._platform_options({})).classes(CHART_CLASSES).mark("platform-chart")
        ui.timer(0, self._refresh, once=True)  # counted in a worker thread once the browser is connected
        LiveUpdates(context.services.events, self._on_events, interval_s=3.0)

    @staticmethod
    def _tile(key: str, label: str, icon: str) -> ui.label:
        with ui.card().classes("gap-0 p-2 sm:p-3"):
            with ui.row().classes("items-center gap-1 text-grey-7 text-xs no-wrap"):
                ui.icon(icon, size="xs").classes("gt-xs")
                ui.label(label).classes("truncate")
            return ui.label().classes("text-lg sm:text-xl font-bold").mark(f"stat-{key}")

    def _show(self, stats: LibraryStats) -> None:
        counts = stats.by_status
        values = {
            "tracks": stats.tracks, "downloaded": counts[TrackStatus.DOWNLOADED],
            "in-queue": counts[TrackStatus.QUEUED] + counts[TrackStatus.DOWNLOADING],
            "failed": counts[TrackStatus.FAILED], "not-downloaded": counts[TrackStatus.PENDING],
        }
        for key, tile in self.tiles.items():
            tile.set_text(file_size(stats.size_bytes) if key == "size" else f"{values[key]:,}")
        self.per_day.options.update(self._per_day_options(stats.downloads_per_day))
        self.per_day.update()
        self.per_platform.options.update(self._platform_options(stats.by_platform))
        self.per_platform.update()

    @staticmethod
    def _per_day_options(per_day: list[Any]) -> dict[str, Any]:
        return {
            "grid": {"left": 36, "right": 8, "top": 8, "bottom": 24},
            "tooltip": {"trigger": "axis"},
            "xAxis": {"type": "category", "data": [day.strftime("%b %d") for day, _ in per_day], **_AXIS},
            "yAxis": {"type": "value", "minInterval": 1, **_AXIS},
            "series": [{"type": "bar", "name": "Downloads", "data": [count for _, count in per_day],
                        "itemStyle": {"color": "#3F51B5"}}],
        }

    @staticmethod
    def _platform_options(by_platform: dict[Any, int]) -> dict[str, Any]:
        return {
            "tooltip": {"trigger": "item"},
            "series": [{"type": "pie", "radius": ["40%", "65%"], "label": {"color": "#9e9e9e"},
                        "data": [{"name": p.label, "value": n, "itemStyle": {"color": PLATFORM_COLORS[p]}}
                                 for p, n in by_platform.items()]}],
        }

    def _on_events(self, events: list[DownloadEvent]) -> None:
        if any(event.kind in CHANGES for event in events):
            background_tasks.create(self._refresh(), name="library stats")

    async def _refresh(self) -> None:
        stats = await run.io_bound(self.catalog.library_stats)
        if stats is not None and not self.per_day.is_deleted:  # None: the app is shutting down
            self._show(stats)
