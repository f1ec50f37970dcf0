"""Scheduled sync: while the web app runs, every enabled playlist is synced again every N hours.

Each playlist is due N hours after its own last sync (or its last scheduled attempt, so a playlist
whose sync keeps failing is tried once per interval, not once a minute). Counting from the playlist
rather than from the app's start means a restart neither skips a due sync nor repeats a fresh one,
and a playlist the user just synced by hand waits its turn. The interval is read from the live
Settings at every check, so a change in Settings applies within a minute without a restart.
Downloads need nothing here: the playlist service's on_synced hook queues them.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from pysync_web.config import Settings
from pysync_web.errors import PySyncError
from pysync_web.services.playlists import PlaylistService, SyncOutcome

log = logging.getLogger(__name__)

CHECK_EVERY_S = 60.0


def _now() -> datetime:
    return datetime.now(timezone.utc)


class SyncScheduler:
    def __init__(self, playlists: PlaylistService, settings: Settings, check_every_s: float = CHECK_EVERY_S,
                 clock: Callable[[], datetime] = _now):
        self.playlists = playlists
        self.settings = settings
        self.check_every_s = check_every_s
        self._clock = clock
        self._attempted: dict[int, datetime] = {}
        self._stop: asyncio.Event | None = None

    async def run(self) -> None:
        """Check for due playlists until stop(); the web app runs this as a background task."""
        self._stop = asyncio.Event()
        while not self._stop.is_set():
            try:
                await self.sync_due()
            except Exception:  # a bug in one round must not end scheduled syncs for the app's lifetime
                log.exception("scheduled sync failed")
            try:
                await asyncio.wait_for(self._stop.wait(), timeout=self.check_every_s)
            except TimeoutError:
                pass

    def stop(self) -> None:
        if self._stop is not None:
            self._stop.set()

    async def sync_due(self) -> list[SyncOutcome]:
        """Sync the playlists that are due now, in a worker thread; nothing when the schedule is off."""
        now = self._clock()
        due = self.due_playlist_ids(now)
        if not due:
            return []
        for playlist_id in due:
            self._attempted[playlist_id] = now
        try:
            outcomes = await asyncio.to_thread(self.playlists.sync_many, due)
        except PySyncError as error:  # a playlist was removed between the check and the sync: next check
            log.warning("scheduled sync put off: %s", error)
            for playlist_id in due:
                self._attempted.pop(playlist_id, None)
            return []
        for outcome in outcomes:
            if outcome.error is not None:
                log.warning("scheduled sync of %s failed: %s", outcome.playlist.name, outcome.error)
        log.info("scheduled sync: %d playlists, %d failed", len(outcomes),
                 sum(1 for o in outcomes if o.error is not None))
        return outcomes

    def due_playlist_ids(self, now: datetime) -> list[int]:
        hours = self.settings.sync_interval_hours
        if hours <= 0:
            return []
        interval = timedelta(hours=hours)
        due = []
        for playlist in self.playlists.playlists.list():
            if not self.playlists.is_effectively_enabled(playlist):
                continue
            moments = [m for m in (playlist.last_synced, self._attempted.get(playlist.id)) if m is not None]
            if not moments or now - max(moments) >= interval:
                due.append(playlist.id)
        return due
