"""One playlist: a header with its cover, counts, sync state and options, then its tracks."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone
from typing import Any

from nicegui import background_tasks, run, ui

from pysync_web.formatting import ago
from pysync_web.models import Playlist, TrackStatus
from pysync_web.ui.components.platform_badge import SHORT_LABELS, platform_badge
from pysync_web.ui.components.track_actions import NOT_DONE, run_blocking
from pysync_web.ui.components.track_list import TrackList
from pysync_web.ui.context import AppContext
from pysync_web.ui.layout import frame
from pysync_web.ui.live import LiveUpdates
from pysync_web.worker.events import DownloadEvent, EventKind

LIMIT_RULE = "A whole number of 1 or more, or empty for every track"
DATE_RULE = "A date like 2024-05-31, or empty for any date"
COUNTED_EVENTS = {EventKind.QUEUED, EventKind.STARTED, EventKind.DONE, EventKind.FAILED, EventKind.CANCELLED,
                  EventKind.FILE_REMOVED}


def playlist_page(context: AppContext, playlist_id: str) -> None:
    playlist = context.services.catalog.playlist(int(playlist_id)) if playlist_id.isdigit() else None
    if playlist is None:
        with frame("No such playlist"):
            with ui.column().classes("w-full items-center py-16 gap-3 text-center").mark("playlist-missing"):
                ui.icon("playlist_remove", size="xl").classes("text-grey-6")
                ui.label("There is no such playlist.").classes("text-xl")
                ui.label("It may have been removed. Your playlists are on the home page.").classes("text-grey-7")
                ui.button("Go to Playlists", icon="home", on_click=lambda: ui.navigate.to("/")).mark("go-home")
        return
    with frame(playlist.name):
        header = PlaylistHeader(context, playlist)
        header.track_list = TrackList(context, playlist.id, on_page=lambda page: header.show_counts(page.counts))


def parse_track_limit(value: float | None) -> int | None:
    """None for no limit; ValueError unless a whole number of at least 1."""
    if value is None:
        return None
    if value != int(value) or value < 1:
        raise ValueError(LIMIT_RULE)
    return int(value)


def parse_date_limit(text: str | None) -> date | None:
    """None for no limit; ValueError unless an ISO day (YYYY-MM-DD)."""
    text = (text or "").strip()
    return date.fromisoformat(text) if text else None


def _is_valid(parse: Callable[[Any], object]) -> Callable[[Any], bool]:
    def valid(value: Any) -> bool:
        try:
            parse(value)
        except ValueError:
            return False
        return True
    return valid


class PlaylistHeader:
    def __init__(self, context: AppContext, playlist: Playlist) -> None:
        self.services = context.services
        self.playlist = playlist
        self.track_list: TrackList | None = None  # reloaded after a sync
        with ui.card().classes("w-full gap-3").mark("playlist-header"):
            with ui.row().classes("w-full items-start no-wrap gap-4"):
                if playlist.cover_url:
                    ui.image(playlist.cover_url).classes("w-20 h-20 sm:w-32 sm:h-32 shrink-0 rounded shadow")
                else:
                    ui.icon("queue_music", size="xl").classes("w-20 sm:w-32 shrink-0 text-grey-6")
                with ui.column().classes("grow min-w-0 gap-1"):
                    with ui.row().classes("items-center gap-2 text-sm"):
                        platform_badge(playlist.platform)
                        ui.link(f"Open on {SHORT_LABELS[playlist.platform]}", playlist.url, new_tab=True) \
                            .mark("playlist-link")
                    ui.label(playlist.name).classes("text-2xl font-bold break-anywhere")
                    if playlist.owner:
                        ui.label(f"by {playlist.owner}").classes("text-grey-7")
                    self.counts = ui.label().classes("text-sm").mark("playlist-counts")
                    self.progress = ui.linear_progress(show_value=False, size="4px", color="positive")
                    self.sync_state = ui.label().classes("text-sm break-anywhere").mark("playlist-sync-state")
            with ui.row().classes("w-full gap-2"):
                self.sync_button = ui.button("Sync now", icon="sync", on_click=self._sync).mark("sync-playlist")
                ui.button("Download missing", icon="download", on_click=self._download_missing) \
                    .props("outline").mark("download-missing")
            self._options()
        self._show_sync_state()
        LiveUpdates(self.services.events, self._on_events, interval_s=2.0)

    def _options(self) -> None:
        playlist = self.playlist
        with ui.expansion("Options", icon="tune").classes("w-full").mark("playlist-options"):
            with ui.row().classes("w-full items-start gap-3"):
                self.limit = ui.number("Keep the newest", value=playlist.track_limit, min=1, step=1, format="%d",
                                       suffix="tracks", validation={LIMIT_RULE: _is_valid(parse_track_limit)}) \
                    .props("outlined dense clearable").classes("w-full sm:w-56").mark("track-limit")
                self.since = ui.input("Only tracks added since", placeholder="YYYY-MM-DD",
                                      value=playlist.date_limit.isoformat() if playlist.date_limit else "",
                                      validation={DATE_RULE: _is_valid(parse_date_limit)}) \
                    .props("outlined dense clearable").classes("w-full sm:w-56").mark("date-limit")
                with self.since.add_slot("append"):
                    with ui.icon("event").classes("cursor-pointer"):
                        with ui.menu():
                            ui.date(mask="YYYY-MM-DD").bind_value(self.since)
            self.auto = ui.switch("Download new tracks automatically", value=playlist.auto_download) \
                .mark("auto-download")
            ui.button("Save options", icon="save", on_click=self._save_options).mark("save-options")

    # --- actions ---------------------------------------------------------------------------------------

    async def _save_options(self) -> None:
        if not (self.limit.validate() and self.since.validate()):
            ui.notify("Check the highlighted option.", type="warning")
            return
        saved = await run_blocking(
            lambda: self.services.playlists.update_options(
                self.playlist.id, track_limit=parse_track_limit(self.limit.value),
                date_limit=parse_date_limit(self.since.value), auto_download=self.auto.value))
        if saved is not NOT_DONE:
            self.playlist = saved
            ui.notify("Options saved. Limits apply at the next sync.", type="positive")

    async def _sync(self) -> None:
        self.sync_button.props("loading")
        try:
            result = await run_blocking(self.services.playlists.sync, self.playlist.id)
        finally:
            self.sync_button.props(remove="loading")
        if result is NOT_DONE:
            self._show_sync_state(self.services.catalog.playlist(self.playlist.id))
            return
        self.playlist = result.playlist
        self._show_sync_state()
        ui.notify("Nothing changed" if result.unchanged or not (result.added or result.removed or result.updated)
                  else f"Synced: {result.added} new, {result.removed} removed, {result.updated} updated",
                  type="positive")
        if self.track_list is not None:
            await self.track_list.load(self.track_list.query)  # its page brings the new counts too

    async def _download_missing(self) -> None:
        jobs = await run_blocking(self.services.downloads.enqueue_missing, [self.playlist.id])
        if jobs is not NOT_DONE:
            ui.notify(f"Queued {len(jobs)} tracks" if jobs else "Every track has a file or is queued already",
                      type="positive" if jobs else "info")

    # --- state ---------------------------------------------------------------------------------------------

    def _show_sync_state(self, playlist: Playlist | None = None) -> None:
        playlist = playlist or self.playlist
        if playlist.last_sync_error:
            text, color = f"Last sync failed: {playlist.last_sync_error}", "text-negative"
        else:
            synced = playlist.last_synced
            text = f"Synced {ago(synced, datetime.now(timezone.utc))}" if synced else "Never synced"
            color = "text-grey-7"
            if playlist.notice:
                text, color = f"{text} · {playlist.notice}", "text-warning"
        self.sync_state.set_text(text)
        self.sync_state.classes(replace=f"text-sm break-anywhere {color}")

    def show_counts(self, counts: dict[TrackStatus, int]) -> None:
        total = sum(counts.values())
        parts = [f"{total:,} tracks", f"{counts[TrackStatus.DOWNLOADED]:,} downloaded"]
        parts += [f"{counts[s]:,} {s.value}" for s in (TrackStatus.DOWNLOADING, TrackStatus.QUEUED, TrackStatus.FAILED)
                  if counts[s]]
        self.counts.set_text(" · ".join(parts))
        self.progress.set_value(counts[TrackStatus.DOWNLOADED] / total if total else 0)

    def _on_events(self, events: list[DownloadEvent]) -> None:
        if any(event.kind in COUNTED_EVENTS for event in events):
            background_tasks.create(self._refresh_counts(), name="playlist counts")

    async def _refresh_counts(self) -> None:
        """Counting a 10,000-track playlist takes a moment: a worker thread, at most every two seconds."""
        counts = await run.io_bound(self.services.catalog.status_counts, self.playlist.id)
        if counts is not None and not self.counts.is_deleted:  # None: the app is shutting down
            self.show_counts(counts)
