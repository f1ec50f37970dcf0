"""Playlist entries (table `playlist_tracks`): a track's place in a playlist, kept after removal."""
from __future__ import annotations

from collections.abc import Iterable

from pysync_web.models import PlaylistEntry
from pysync_web.store.database import Database
from pysync_web.store.records import RecordTable


class EntryRepository:
    def __init__(self, db: Database) -> None:
        self._records = RecordTable(db, "playlist_tracks", PlaylistEntry)

    def for_playlist(self, playlist_id: int, include_removed: bool = False) -> list[PlaylistEntry]:
        """The playlist's entries in position order; removed ones only when asked."""
        entries = self._records.where(
            lambda doc: doc["playlist_id"] == playlist_id
            and (include_removed or doc.get("removed_at") is None)
        )
        return sorted(entries, key=lambda e: (e.position, e.id))

    def add_many(self, entries: Iterable[PlaylistEntry]) -> list[PlaylistEntry]:
        """Store new entries with one write and set their ids."""
        return self._records.add_many(entries)

    def update_many(self, entries: Iterable[PlaylistEntry]) -> None:
        """One write; KeyError, changing nothing, if any entry is not stored."""
        self._records.update_many(entries)

    def remove_for_playlist(self, playlist_id: int) -> int:
        """Forget every entry of the playlist, removed ones too; returns how many there were."""
        return len(self._records.remove_where(lambda doc: doc["playlist_id"] == playlist_id))

    def referenced_track_ids(self, exclude_playlist_id: int | None = None) -> set[int]:
        """Tracks that some playlist other than `exclude_playlist_id` holds, currently or as removed.

        A removed entry still counts: the playlist remembers the track, so it must stay in the library.
        """
        return set(self._records.project(
            lambda doc: doc["track_id"], lambda doc: doc["playlist_id"] != exclude_playlist_id
        ))

    def current_by_playlist(self) -> dict[int, list[PlaylistEntry]]:
        """Every playlist's current entries in position order, from one pass over the table."""
        grouped: dict[int, list[PlaylistEntry]] = {}
        for entry in self._records.where(lambda doc: doc.get("removed_at") is None):
            grouped.setdefault(entry.playlist_id, []).append(entry)
        for entries in grouped.values():
            entries.sort(key=lambda e: (e.position, e.id))
        return grouped

    def playlists_of(self, track_id: int) -> list[int]:
        """Ids of the playlists that currently hold the track, oldest entry first."""
        return self._records.project(
            lambda doc: doc["playlist_id"],
            lambda doc: doc["track_id"] == track_id and doc.get("removed_at") is None,
        )
