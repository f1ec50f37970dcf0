"""Stored playlists (table `playlists`)."""
from __future__ import annotations

from pysync_web.models import Playlist, PlaylistKind, Platform
from pysync_web.store.database import Database
from pysync_web.store.records import RecordTable


class PlaylistRepository:
    def __init__(self, db: Database) -> None:
        self._records = RecordTable(db, "playlists", Playlist)

    def add(self, playlist: Playlist) -> Playlist:
        """Store a new playlist and set its `id`."""
        return self._records.add_many([playlist])[0]

    def get(self, playlist_id: int) -> Playlist | None:
        return self._records.get(playlist_id)

    def find(self, platform: Platform, kind: PlaylistKind, external_id: str) -> Playlist | None:
        """The playlist a platform reference points at, if it was added already."""
        found = self._records.where(
            lambda doc: doc["external_id"] == external_id
            and doc["platform"] == platform
            and doc["kind"] == kind
        )
        return found[0] if found else None

    def list(self) -> list[Playlist]:
        return sorted(self._records.where(), key=lambda p: (p.position, p.id))

    def update(self, playlist: Playlist) -> None:
        """KeyError when the playlist is not stored (e.g. it was removed meanwhile)."""
        self._records.update_many([playlist])

    def remove(self, playlist_id: int) -> bool:
        """Forget the playlist row only; its entries are the caller's to remove. True if it existed."""
        return bool(self._records.remove_many([playlist_id]))
