"""Read-only views of the library for pages and CLI listings: counts, playlists' tracks, all tracks."""
from __future__ import annotations

from dataclasses import dataclass

from pysync_web.models import Playlist, PlaylistEntry, Track, TrackStatus
from pysync_web.store.database import Database
from pysync_web.store.entries import EntryRepository
from pysync_web.store.playlists import PlaylistRepository
from pysync_web.store.tracks import TrackRepository


@dataclass
class PlaylistSummary:
    playlist: Playlist
    tracks: int  # current tracks, not those marked removed
    downloaded: int


@dataclass
class PlaylistTrack:
    entry: PlaylistEntry
    track: Track


class Catalog:
    def __init__(self, db: Database):
        self.playlists = PlaylistRepository(db)
        self.tracks = TrackRepository(db)
        self.entries = EntryRepository(db)

    def playlist_summaries(self) -> list[PlaylistSummary]:
        downloaded_ids = {t.id for t in self.tracks.all() if t.status == TrackStatus.DOWNLOADED}
        summaries = []
        for playlist in self.playlists.list():
            current = self.entries.for_playlist(playlist.id)
            summaries.append(PlaylistSummary(
                playlist, tracks=len(current),
                downloaded=sum(1 for e in current if e.track_id in downloaded_ids),
            ))
        return summaries

    def playlist_tracks(self, playlist_id: int, include_removed: bool = False) -> list[PlaylistTrack]:
        entries = self.entries.for_playlist(playlist_id, include_removed=include_removed)
        tracks = self.tracks.get_many(e.track_id for e in entries)
        return [PlaylistTrack(e, tracks[e.track_id]) for e in entries if e.track_id in tracks]

    def track(self, track_id: int) -> Track | None:
        return self.tracks.get(track_id)

    def library_tracks(self) -> list[Track]:
        return self.tracks.all()
