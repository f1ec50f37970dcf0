"""Add, sync and remove playlists: fetch from the platform, diff, apply in one transaction.

Everything that talks to a platform happens before the store is touched, and the diff is applied
inside `db.transaction()`, so a failure at any point leaves the store exactly as it was.
Methods block (HTTP, yt-dlp); the UI calls them in a worker thread, the CLI directly.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from pysync_web.config import Settings
from pysync_web.errors import AlreadyAddedError, PySyncError, UnknownPlaylistError
from pysync_web.models import (
    Playlist, PlaylistEntry, PlaylistKind, PlaylistRef, RemotePlaylist, SkippedItems,
)
from pysync_web.platforms.factory import client_for, parse_playlist_url
from pysync_web.services.sync_diff import PlaylistDiff, apply_limits, compute_diff, identity_of
from pysync_web.store.database import Database
from pysync_web.store.entries import EntryRepository
from pysync_web.store.folders import FolderRepository
from pysync_web.store.jobs import JobRepository
from pysync_web.store.playlists import PlaylistRepository
from pysync_web.store.tracks import TrackRepository

# Kinds whose listings put the newest track first; playlists and albums append at the end.
_NEWEST_FIRST = {PlaylistKind.LIKES, PlaylistKind.CHANNEL, PlaylistKind.FEED, PlaylistKind.USER_TRACKS}
SYNC_CONCURRENCY = 3


@dataclass
class SyncResult:
    playlist: Playlist
    added: int = 0
    removed: int = 0
    updated: int = 0
    unchanged: bool = False  # the platform's snapshot id said nothing changed; items were not fetched
    skipped: SkippedItems = field(default_factory=SkippedItems)


@dataclass
class SyncOutcome:
    """One playlist's line in a multi-playlist sync: a result or the error that stopped it."""

    playlist: Playlist
    result: SyncResult | None = None
    error: PySyncError | None = None


@dataclass
class PlaylistOptions:
    track_limit: int | None = None
    date_limit: date | None = None
    auto_download: bool = True
    folder_id: int | None = None


def _now() -> datetime:
    return datetime.now(timezone.utc)


class PlaylistService:
    def __init__(self, db: Database, settings: Settings,
                 on_synced: Callable[[Playlist], object] | None = None,
                 on_run_finished: Callable[[], object] | None = None):
        """`on_synced` runs after every successful add or sync of one playlist (it queues downloads);
        `on_run_finished` once after each add, sync or multi-playlist sync (it rewrites auto-exports)."""
        self.db = db
        self.settings = settings
        self.on_synced = on_synced
        self.on_run_finished = on_run_finished
        self.playlists = PlaylistRepository(db)
        self.tracks = TrackRepository(db)
        self.entries = EntryRepository(db)
        self.folders = FolderRepository(db)
        self.jobs = JobRepository(db)
        self._syncing: set[int] = set()
        self._syncing_lock = threading.Lock()

    def add(self, url: str, options: PlaylistOptions | None = None) -> SyncResult:
        options = options or PlaylistOptions()
        ref = parse_playlist_url(url)
        existing = self.playlists.find(ref.platform, ref.kind, ref.external_id)
        if existing is not None:
            raise AlreadyAddedError(f"Already added as playlist {existing.id} ({existing.name}).")
        if options.folder_id is not None and self.folders.get(options.folder_id) is None:
            raise PySyncError(f"There is no folder {options.folder_id}.")
        remote = self._fetch(ref, known_snapshot_id=None)
        playlist = Playlist(
            platform=ref.platform, kind=ref.kind, external_id=ref.external_id, url=ref.url,
            name=remote.name, track_limit=options.track_limit, date_limit=options.date_limit,
            auto_download=options.auto_download, folder_id=options.folder_id,
            position=len(self.playlists.list()), created_at=_now(),
        )
        result = self._apply(playlist, remote)
        self._run_finished()
        return result

    def sync(self, playlist_id: int) -> SyncResult:
        try:
            return self._sync_one(playlist_id)
        finally:
            self._run_finished()

    def _sync_one(self, playlist_id: int) -> SyncResult:
        playlist = self.get(playlist_id)
        with self._syncing_lock:
            if playlist_id in self._syncing:
                raise PySyncError(f"Playlist {playlist_id} is already being synced.")
            self._syncing.add(playlist_id)
        try:
            ref = PlaylistRef(playlist.platform, playlist.kind, playlist.external_id, playlist.url)
            try:
                remote = self._fetch(ref, known_snapshot_id=playlist.snapshot_id)
            except PySyncError as error:
                self._record_error(playlist_id, str(error))
                raise
            return self._apply(playlist, remote)
        finally:
            with self._syncing_lock:
                self._syncing.discard(playlist_id)

    def syncing_ids(self) -> set[int]:
        """Playlists being synced right now (for the UI's "syncing" state)."""
        with self._syncing_lock:
            return set(self._syncing)

    def sync_many(self, playlist_ids: Iterable[int] | None = None) -> list[SyncOutcome]:
        """Sync the given playlists, or every enabled one; one playlist's failure never stops the rest."""
        if playlist_ids is None:
            targets = [p for p in self.playlists.list() if self.is_effectively_enabled(p)]
        else:
            targets = [self.get(i) for i in playlist_ids]

        def sync_one(playlist: Playlist) -> SyncOutcome:
            try:
                return SyncOutcome(playlist, result=self._sync_one(playlist.id))
            except PySyncError as error:
                return SyncOutcome(playlist, error=error)

        try:
            with ThreadPoolExecutor(max_workers=SYNC_CONCURRENCY) as pool:
                return list(pool.map(sync_one, targets))
        finally:
            self._run_finished()

    def remove(self, playlist_id: int) -> Playlist:
        """Forget a playlist. Files on disk are never touched; library tracks that no other playlist
        holds are forgotten too unless they were downloaded (a downloaded file stays in the library)."""
        playlist = self.get(playlist_id)
        with self.db.transaction():
            track_ids = {e.track_id for e in self.entries.for_playlist(playlist_id, include_removed=True)}
            self.entries.remove_for_playlist(playlist_id)
            self.playlists.remove(playlist_id)
            still_used = self.entries.referenced_track_ids(exclude_playlist_id=playlist_id)
            orphans = self.tracks.get_many(track_ids - still_used)
            forgotten = [t.id for t in orphans.values() if t.file is None]
            self.tracks.remove_many(forgotten)
            self.jobs.remove_for_tracks(forgotten)
        return playlist

    def update_options(self, playlist_id: int, **changes: object) -> Playlist:
        """Change enabled / auto_download / track_limit / date_limit / folder_id / name.

        Limits change which tracks belong to the playlist, so they force a full fetch on the next sync.
        """
        playlist = self.get(playlist_id)
        for name, value in changes.items():
            if name not in {"enabled", "auto_download", "track_limit", "date_limit", "folder_id", "name"}:
                raise ValueError(f"unknown playlist option {name}")
            if name in {"track_limit", "date_limit"} and getattr(playlist, name) != value:
                playlist.snapshot_id = None
            setattr(playlist, name, value)
        with self.db.transaction():
            self.playlists.update(playlist)
        return playlist

    def get(self, playlist_id: int) -> Playlist:
        playlist = self.playlists.get(playlist_id)
        if playlist is None:
            raise UnknownPlaylistError(f"There is no playlist {playlist_id}; `list` shows the ids.")
        return playlist

    def is_effectively_enabled(self, playlist: Playlist) -> bool:
        """A playlist syncs only when it and every folder above it are enabled."""
        folder_id = playlist.folder_id
        seen: set[int] = set()
        if not playlist.enabled:
            return False
        while folder_id is not None and folder_id not in seen:
            seen.add(folder_id)
            folder = self.folders.get(folder_id)
            if folder is None:
                break
            if not folder.enabled:
                return False
            folder_id = folder.parent_id
        return True

    def _run_finished(self) -> None:
        if self.on_run_finished is not None:
            self.on_run_finished()

    def _fetch(self, ref: PlaylistRef, known_snapshot_id: str | None) -> RemotePlaylist:
        return client_for(ref.platform, self.settings).fetch_playlist(ref, known_snapshot_id=known_snapshot_id)

    def _record_error(self, playlist_id: int, message: str) -> None:
        with self.db.transaction():
            playlist = self.playlists.get(playlist_id)
            if playlist is not None:
                playlist.last_sync_error = message
                self.playlists.update(playlist)

    def _apply(self, playlist: Playlist, remote: RemotePlaylist) -> SyncResult:
        now = _now()
        playlist.name = remote.name or playlist.name
        playlist.owner = remote.owner or playlist.owner
        playlist.cover_url = remote.cover_url or playlist.cover_url
        playlist.snapshot_id = remote.snapshot_id
        playlist.remote_track_count = remote.total
        playlist.notice = remote.notice
        playlist.last_synced = now
        playlist.last_sync_error = None
        result = SyncResult(playlist, unchanged=remote.tracks is None, skipped=remote.skipped)
        with self.db.transaction():
            if playlist.id is None:
                playlist = result.playlist = self.playlists.add(playlist)
            else:
                self.playlists.update(playlist)
            if remote.tracks is not None:
                diff = self._diff(playlist, remote, now)
                self._write_diff(playlist.id, diff)
                result.added, result.removed, result.updated = diff.added, diff.removed, diff.updated
        if self.on_synced is not None:
            self.on_synced(result.playlist)
        return result

    def _diff(self, playlist: Playlist, remote: RemotePlaylist, now: datetime) -> PlaylistDiff:
        wanted = apply_limits(
            remote.tracks or [], playlist.track_limit, playlist.date_limit,
            newest_first=playlist.kind in _NEWEST_FIRST,
        )
        entries = self.entries.for_playlist(playlist.id, include_removed=True)
        known = self.tracks.by_identities(identity_of(t) for t in wanted)
        return compute_diff(wanted, entries, known, now)

    def _write_diff(self, playlist_id: int, diff: PlaylistDiff) -> None:
        self.tracks.add_many(diff.new_tracks)
        self.tracks.update_many(diff.changed_tracks)
        tracks = self.tracks.by_identities(e.identity for e in diff.new_entries)
        self.entries.add_many([
            PlaylistEntry(playlist_id, tracks[e.identity].id, e.position, e.added_at)
            for e in diff.new_entries
        ])
        self.entries.update_many(diff.changed_entries)
