"""Read-only views of the library for pages and CLI listings: counts, playlists' tracks, all tracks.

Track pages are filtered, sorted and cut here, so a browser only ever receives the one page of rows it
shows, however large the library is.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from pysync_web.models import Platform, Playlist, PlaylistEntry, Track, TrackStatus
from pysync_web.store.database import Database
from pysync_web.store.entries import EntryRepository
from pysync_web.store.playlists import PlaylistRepository
from pysync_web.store.tracks import TrackRepository

DEFAULT_PAGE_SIZE = 50
# Sorting by status puts what needs attention first.
_STATUS_ORDER = {s: i for i, s in enumerate((TrackStatus.FAILED, TrackStatus.DOWNLOADING, TrackStatus.QUEUED,
                                             TrackStatus.PENDING, TrackStatus.DOWNLOADED))}


@dataclass
class PlaylistSummary:
    playlist: Playlist
    tracks: int  # current tracks, not those marked removed
    downloaded: int


@dataclass
class PlaylistTrack:
    entry: PlaylistEntry
    track: Track


class TrackSort(StrEnum):
    POSITION = "position"  # playlist order; the library has none and uses the id (oldest first)
    ADDED = "added"
    TITLE = "title"
    ARTIST = "artist"
    ALBUM = "album"
    DURATION = "duration"
    STATUS = "status"
    MATCH = "match"


@dataclass(frozen=True)
class TrackQuery:
    """Which tracks a page shows: one playlist's (or the whole library's), filtered, sorted, one page."""

    playlist_id: int | None = None  # None: every track in the library once
    search: str = ""  # every word must occur in the title, an artist or the album
    statuses: frozenset[TrackStatus] = frozenset()  # empty: any
    platforms: frozenset[Platform] = frozenset()  # empty: any
    sort: TrackSort = TrackSort.POSITION
    descending: bool = False
    page: int = 1  # 1-based; clamped to the pages there are
    page_size: int = DEFAULT_PAGE_SIZE


@dataclass(frozen=True)
class TrackRow:
    track: Track
    position: int | None  # 1-based place in the playlist; None in the library view
    added_at: datetime | None  # added to the playlist; in the library view, first seen


@dataclass(frozen=True)
class TrackPage:
    rows: list[TrackRow]
    total: int  # matching tracks on all pages
    page: int
    pages: int  # at least 1, so a pager always has a page to show
    counts: dict[TrackStatus, int]  # tracks per status in the playlist (or library) before any filter


@dataclass(frozen=True)
class LibraryStats:
    tracks: int
    by_status: dict[TrackStatus, int]  # every status, zeros included
    size_bytes: int  # recorded size of the downloaded files
    downloads_per_day: list[tuple[date, int]]  # oldest first, days without downloads included
    by_platform: dict[Platform, int]  # platforms with tracks only


class Catalog:
    def __init__(self, db: Database):
        self.playlists = PlaylistRepository(db)
        self.tracks = TrackRepository(db)
        self.entries = EntryRepository(db)

    def playlist_summaries(self) -> list[PlaylistSummary]:
        """One pass over tracks and entries, whatever the number of playlists."""
        downloaded_ids = self.tracks.ids_with_status(TrackStatus.DOWNLOADED)
        current = self.entries.current_by_playlist()
        summaries = []
        for playlist in self.playlists.list():
            entries = current.get(playlist.id, [])
            summaries.append(PlaylistSummary(
                playlist, tracks=len(entries),
                downloaded=sum(1 for e in entries if e.track_id in downloaded_ids),
            ))
        return summaries

    def playlist_tracks(self, playlist_id: int, include_removed: bool = False) -> list[PlaylistTrack]:
        entries = self.entries.for_playlist(playlist_id, include_removed=include_removed)
        tracks = self.tracks.get_many(e.track_id for e in entries)
        return [PlaylistTrack(e, tracks[e.track_id]) for e in entries if e.track_id in tracks]

    def playlist(self, playlist_id: int) -> Playlist | None:
        return self.playlists.get(playlist_id)

    def list_playlists(self) -> list[Playlist]:
        """Every playlist in the user's order, without counting tracks (cheap, for pickers)."""
        return self.playlists.list()

    def track(self, track_id: int) -> Track | None:
        return self.tracks.get(track_id)

    def library_tracks(self) -> list[Track]:
        return self.tracks.all()

    # --- pages of tracks -------------------------------------------------------------------------------

    def track_page(self, query: TrackQuery) -> TrackPage:
        """One page of matching rows, with the counts a header needs, from a single pass over the tracks."""
        everything = self._rows(query.playlist_id)
        rows = _sorted([row for row in everything if _passes(row.track, query)], query.sort, query.descending)
        size = max(1, query.page_size)
        pages = max(1, -(-len(rows) // size))
        page = min(max(1, query.page), pages)
        return TrackPage(rows[(page - 1) * size:page * size], len(rows), page, pages,
                         _count_statuses(row.track for row in everything))

    def _rows(self, playlist_id: int | None) -> list[TrackRow]:
        if playlist_id is None:
            return [TrackRow(t, None, t.created_at) for t in self.tracks.all()]
        return [TrackRow(item.track, index, item.entry.added_at)
                for index, item in enumerate(self.playlist_tracks(playlist_id), start=1)]

    # --- counts -----------------------------------------------------------------------------------------

    def status_counts(self, playlist_id: int | None = None) -> dict[TrackStatus, int]:
        """Tracks per status, every status present (zeros too): one playlist's or the library's."""
        tracks = self.tracks.all() if playlist_id is None else [i.track for i in self.playlist_tracks(playlist_id)]
        return _count_statuses(tracks)

    def library_stats(self, today: date | None = None, days: int = 30) -> LibraryStats:
        """What the library page's summary shows; `today` in the server's time zone by default."""
        tracks = self.tracks.all()
        today = today or datetime.now().astimezone().date()
        first_day = today - timedelta(days=days - 1)
        downloaded = [t for t in tracks if t.status == TrackStatus.DOWNLOADED]
        per_day = Counter(day for t in downloaded if t.downloaded_at is not None
                          and first_day <= (day := t.downloaded_at.astimezone().date()) <= today)
        return LibraryStats(
            tracks=len(tracks),
            by_status=_count_statuses(tracks),
            size_bytes=sum(t.file_size or 0 for t in downloaded),
            downloads_per_day=[(first_day + timedelta(days=i), per_day[first_day + timedelta(days=i)])
                               for i in range(days)],
            by_platform={p: n for p in Platform if (n := sum(1 for t in tracks if t.platform == p))},
        )


def _count_statuses(tracks: Iterable[Track]) -> dict[TrackStatus, int]:
    counts = Counter(t.status for t in tracks)
    return {status: counts[status] for status in TrackStatus}


def searchable(text: str) -> str:
    """Case and accent insensitive ("Épisode" is found by "episode"), and cheap enough for 10,000 rows."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _passes(track: Track, query: TrackQuery) -> bool:
    if query.statuses and track.status not in query.statuses:
        return False
    if query.platforms and track.platform not in query.platforms:
        return False
    words = searchable(query.search).split()
    if not words:
        return True
    haystack = searchable(" ".join((track.title, *track.artists, track.album)))
    return all(word in haystack for word in words)


_SORT_VALUES: dict[TrackSort, Callable[[TrackRow], Any]] = {
    TrackSort.POSITION: lambda r: r.position if r.position is not None else r.track.id,
    TrackSort.ADDED: lambda r: r.added_at,
    TrackSort.TITLE: lambda r: searchable(r.track.title),
    TrackSort.ARTIST: lambda r: searchable(", ".join(r.track.artists)) or None,
    TrackSort.ALBUM: lambda r: searchable(r.track.album) or None,
    TrackSort.DURATION: lambda r: r.track.duration_ms,
    TrackSort.STATUS: lambda r: _STATUS_ORDER[r.track.status],
    TrackSort.MATCH: lambda r: r.track.match_score,
}


def _sorted(rows: list[TrackRow], sort: TrackSort, descending: bool) -> list[TrackRow]:
    """Rows without a value (no album, no match score) come last either way; ties keep their order."""
    value_of = _SORT_VALUES[sort]
    valued: list[tuple[Any, TrackRow]] = []
    missing: list[TrackRow] = []
    for row in rows:
        value = value_of(row)
        if value is None:
            missing.append(row)
        else:
            valued.append((value, row))
    valued.sort(key=lambda pair: pair[0], reverse=descending)
    return [row for _, row in valued] + missing
