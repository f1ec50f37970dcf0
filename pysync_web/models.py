"""The domain objects every layer shares.

Remote* classes describe what a platform returned for one fetch; the others are what the store keeps.
They are plain dataclasses so services and tests can build them without a database.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Platform(StrEnum):
    SPOTIFY = "spotify"
    SOUNDCLOUD = "soundcloud"
    YTDLP = "ytdlp"  # YouTube, YouTube Music, Bandcamp, podcast feeds: anything yt-dlp lists

    @property
    def label(self) -> str:
        return {"spotify": "Spotify", "soundcloud": "SoundCloud", "ytdlp": "YouTube / yt-dlp"}[self.value]


class PlaylistKind(StrEnum):
    PLAYLIST = "playlist"
    ALBUM = "album"
    LIKES = "likes"  # Spotify Liked Songs, SoundCloud user likes
    USER_TRACKS = "user_tracks"  # a SoundCloud user's uploads
    CHANNEL = "channel"  # a YouTube channel's uploads
    FEED = "feed"  # podcast RSS and similar


class TrackStatus(StrEnum):
    PENDING = "pending"  # known, no file yet
    QUEUED = "queued"
    DOWNLOADING = "downloading"
    DOWNLOADED = "downloaded"
    FAILED = "failed"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class PlaylistRef:
    """What a pasted URL points at, before anything was fetched."""

    platform: Platform
    kind: PlaylistKind
    external_id: str
    url: str  # canonical form, used to recognise a playlist that was already added


@dataclass
class TrackMetadata:
    """What a platform says about a recording; shared by what we fetch and what we store."""

    platform: Platform
    platform_id: str
    title: str
    artists: list[str]
    album: str = ""
    album_artist: str = ""
    duration_ms: int | None = None
    isrc: str | None = None
    cover_url: str | None = None
    url: str | None = None  # the track's own page on its platform
    explicit: bool = False
    release_date: str | None = None  # as precise as the platform knows: "2021", "2021-03", "2021-03-05"
    track_number: int | None = None


@dataclass
class RemoteTrack(TrackMetadata):
    audio_url: str | None = None  # where its audio can be downloaded; None for Spotify (matched later)
    added_at: datetime | None = None  # when it was added to the playlist, if the platform says


@dataclass
class SkippedItems:
    """Playlist entries that are not downloadable tracks, counted so the user can be told."""

    unavailable: int = 0  # null items: deleted or region-blocked on the platform
    local_files: int = 0
    episodes: int = 0

    @property
    def total(self) -> int:
        return self.unavailable + self.local_files + self.episodes


@dataclass
class RemotePlaylist:
    ref: PlaylistRef
    name: str
    owner: str = ""
    cover_url: str | None = None
    snapshot_id: str | None = None
    total: int | None = None  # track count the platform reports
    tracks: list[RemoteTrack] | None = None  # None: the snapshot is unchanged, items were not fetched
    skipped: SkippedItems = field(default_factory=SkippedItems)
    notice: str | None = None  # e.g. "read from the public embed page: ..." for the user


@dataclass
class Playlist:
    platform: Platform
    kind: PlaylistKind
    external_id: str
    url: str
    name: str
    owner: str = ""
    cover_url: str | None = None
    snapshot_id: str | None = None
    remote_track_count: int | None = None
    last_synced: datetime | None = None
    last_sync_error: str | None = None
    notice: str | None = None
    enabled: bool = True
    auto_download: bool = True
    track_limit: int | None = None  # keep only the newest N tracks
    date_limit: date | None = None  # keep only tracks added on or after this day
    folder_id: int | None = None
    position: int = 0
    created_at: datetime | None = None
    id: int | None = None


@dataclass
class Track(TrackMetadata):
    source_url: str | None = None  # the audio source; for Spotify set by matching or by hand
    status: TrackStatus = TrackStatus.PENDING
    file: str | None = None
    error: str | None = None  # why the last download failed, for the user
    source_locked: bool = False  # source_url was set by hand: matching and syncs leave it alone
    match_score: float | None = None  # how sure the matcher was of source_url (Spotify tracks)
    candidates: list[dict] = field(default_factory=list)  # what the matcher saw, with scores
    # Facts of the downloaded file, recorded once so pages and exports need not open 10,000 files.
    downloaded_at: datetime | None = None
    file_size: int | None = None
    bitrate_kbps: int | None = None
    sample_rate: int | None = None
    created_at: datetime | None = None
    id: int | None = None

    @property
    def identity(self) -> tuple[str, str]:
        return (self.platform.value, self.platform_id)


@dataclass
class PlaylistEntry:
    """A track's place in one playlist; removed entries stay so a sync never forgets silently."""

    playlist_id: int
    track_id: int
    position: int
    added_at: datetime | None = None
    removed_at: datetime | None = None
    id: int | None = None

    @property
    def is_current(self) -> bool:
        return self.removed_at is None


@dataclass
class DownloadJob:
    """One queued download of one track; kept after it ends so failures can be shown and retried."""

    track_id: int
    status: JobStatus = JobStatus.QUEUED
    position: int = 0  # queue order among queued jobs; lower runs first
    attempts: int = 0
    error: str | None = None
    created_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    id: int | None = None


@dataclass
class Folder:
    name: str
    parent_id: int | None = None
    position: int = 0
    enabled: bool = True
    id: int | None = None
