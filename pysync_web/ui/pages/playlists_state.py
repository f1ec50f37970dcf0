"""What one playlist row shows, as plain data: rows compare it to know whether they need redrawing.

Kept free of NiceGUI so the rules (which status wins, what the label says) are tested in isolation.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pysync_web.models import Platform, Playlist
from pysync_web.services.catalog import PlaylistSummary
from pysync_web.services.download.queue_views import PlaylistActivity


class RowStatus(StrEnum):
    READY = "ready"
    SYNCING = "syncing"
    DOWNLOADING = "downloading"
    QUEUED = "queued"
    ERROR = "error"
    DISABLED = "disabled"

    @property
    def color(self) -> str:
        """Quasar colours that read on light and dark backgrounds alike."""
        return {"ready": "positive", "syncing": "secondary", "downloading": "primary", "queued": "blue-grey-6",
                "error": "negative", "disabled": "grey-6"}[self.value]

    @property
    def calm(self) -> bool:
        """Nothing to watch: drawn as an outline, so rows that need attention stand out."""
        return self in (RowStatus.READY, RowStatus.DISABLED)

    @property
    def busy(self) -> bool:
        return self in (RowStatus.SYNCING, RowStatus.DOWNLOADING)


@dataclass(frozen=True)
class RowState:
    name: str
    platform: Platform
    source_url: str
    cover_url: str | None
    downloaded: int
    total: int
    last_synced: datetime | None
    enabled: bool  # the playlist's own switch
    status: RowStatus
    queued: int = 0
    running: int = 0
    error: str | None = None  # why the last sync failed
    notice: str | None = None  # e.g. Spotify read from its public embed page: only the first 100 tracks

    @property
    def status_text(self) -> str:
        if self.status == RowStatus.DOWNLOADING:
            return f"downloading {self.running}" + (f" · {self.queued} queued" if self.queued else "")
        if self.status == RowStatus.QUEUED:
            return f"{self.queued} queued"
        if self.status == RowStatus.ERROR:
            return "sync failed"
        return self.status.value

    @property
    def counts_text(self) -> str:
        return f"{self.downloaded} / {self.total} files"

    @property
    def progress(self) -> float:
        return self.downloaded / self.total if self.total else 0.0

    @property
    def has_downloads(self) -> bool:
        return bool(self.queued or self.running)


def status_of(playlist: Playlist, activity: PlaylistActivity | None, syncing: bool, effectively_enabled: bool) \
        -> RowStatus:
    """What the user most needs to know first: work happening now, then waiting work, then trouble."""
    if syncing:
        return RowStatus.SYNCING
    if activity is not None and activity.running:
        return RowStatus.DOWNLOADING
    if activity is not None and activity.queued:
        return RowStatus.QUEUED
    if playlist.last_sync_error:
        return RowStatus.ERROR
    if not effectively_enabled:
        return RowStatus.DISABLED
    return RowStatus.READY


def row_states(summaries: Iterable[PlaylistSummary], activity: dict[int, PlaylistActivity], syncing: set[int],
               is_effectively_enabled: Callable[[Playlist], bool]) -> dict[int, RowState]:
    states = {}
    for summary in summaries:
        playlist = summary.playlist
        busy = activity.get(playlist.id)
        states[playlist.id] = RowState(
            name=playlist.name, platform=playlist.platform, source_url=playlist.url, cover_url=playlist.cover_url,
            downloaded=summary.downloaded, total=summary.tracks, last_synced=playlist.last_synced,
            enabled=playlist.enabled,
            status=status_of(playlist, busy, playlist.id in syncing, is_effectively_enabled(playlist)),
            queued=busy.queued if busy else 0, running=busy.running if busy else 0,
            error=playlist.last_sync_error, notice=playlist.notice,
        )
    return states
