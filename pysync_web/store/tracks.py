"""Stored tracks (table `tracks`): one row per audio file, shared by every playlist holding it."""
from __future__ import annotations

from collections.abc import Iterable

from pysync_web.models import Track, TrackStatus
from pysync_web.store.database import Database
from pysync_web.store.records import RecordTable

Identity = tuple[str, str]  # (platform value, platform id)


class TrackRepository:
    def __init__(self, db: Database) -> None:
        self._records = RecordTable(db, "tracks", Track)

    def add_many(self, tracks: Iterable[Track]) -> list[Track]:
        """Store new tracks with one write and set their ids."""
        return self._records.add_many(tracks)

    def get(self, track_id: int) -> Track | None:
        return self._records.get(track_id)

    def get_many(self, track_ids: Iterable[int]) -> dict[int, Track]:
        """The stored ones among `track_ids`, by id; unknown ids are left out."""
        return self._records.get_many(track_ids)

    def by_identities(self, identities: Iterable[Identity]) -> dict[Identity, Track]:
        """The stored tracks among these (platform, platform id) pairs, in one pass over the table.

        Keys are plain strings even when a Platform member is passed: a StrEnum hashes by its name,
        so it would not find its value in a set.
        """
        wanted = {(str(platform), platform_id) for platform, platform_id in identities}
        if not wanted:
            return {}
        found = self._records.where(lambda doc: (doc["platform"], doc["platform_id"]) in wanted)
        return {track.identity: track for track in found}

    def ids_with_file(self, file: str) -> list[int]:
        """Tracks whose recorded file is this path (normally none or one)."""
        return self._records.ids_where(lambda doc: doc.get("file") == file)

    def ids_with_status(self, status: TrackStatus) -> set[int]:
        """Without building Track objects: cheap enough for every page view at 10,000 tracks."""
        return set(self._records.ids_where(lambda doc: doc.get("status") == status.value))

    def all(self) -> list[Track]:
        return self._records.where()

    def update(self, track: Track) -> None:
        """KeyError when the track is not stored."""
        self._records.update_many([track])

    def update_many(self, tracks: Iterable[Track]) -> None:
        """One write; KeyError, changing nothing, if any track is not stored."""
        self._records.update_many(tracks)

    def remove_many(self, track_ids: Iterable[int]) -> list[int]:
        """Returns the ids that were stored."""
        return self._records.remove_many(track_ids)
