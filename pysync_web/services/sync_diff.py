"""The pure heart of a sync: what changes when a remote playlist is laid over what we stored.

No I/O here, so every rule (identity, revival of removed tracks, limits, metadata refresh) is unit
tested in microseconds and the service can apply the result in one transaction.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime

from pysync_web.models import PlaylistEntry, RemoteTrack, Track, TrackMetadata

Identity = tuple[str, str]  # (platform value, platform id)

# Fields a platform may refresh. A source that knows less (Spotify's embed page has no ISRC or album)
# never blanks what a richer source stored.
_REFRESHED_FIELDS = tuple(f.name for f in fields(TrackMetadata) if f.name not in ("platform", "platform_id"))


def identity_of(track: RemoteTrack | Track) -> Identity:
    return (track.platform.value, track.platform_id)


@dataclass
class NewEntry:
    """An entry whose track may not have an id yet (it is inserted in the same transaction)."""

    identity: Identity
    position: int
    added_at: datetime | None


@dataclass
class PlaylistDiff:
    new_tracks: list[Track] = field(default_factory=list)
    changed_tracks: list[Track] = field(default_factory=list)
    new_entries: list[NewEntry] = field(default_factory=list)
    changed_entries: list[PlaylistEntry] = field(default_factory=list)
    added: int = 0
    removed: int = 0
    updated: int = 0


def apply_limits(
    tracks: list[RemoteTrack], track_limit: int | None, date_limit: date | None, newest_first: bool
) -> list[RemoteTrack]:
    """Keep tracks added on or after `date_limit`, then the newest `track_limit` of them.

    Newest means latest `added_at` when the platform tells every track's; otherwise the listing order
    decides (feeds, channels and likes list newest first, playlists append at the end).
    """
    kept = tracks
    if date_limit is not None:
        kept = [t for t in kept if t.added_at is None or t.added_at.date() >= date_limit]
    if track_limit is None or len(kept) <= track_limit:
        return kept
    if track_limit <= 0:
        return []
    if all(t.added_at is not None for t in kept):
        newest = sorted(range(len(kept)), key=lambda i: kept[i].added_at, reverse=True)[:track_limit]
        return [kept[i] for i in sorted(newest)]
    return kept[:track_limit] if newest_first else kept[-track_limit:]


def track_from_remote(remote: RemoteTrack, now: datetime) -> Track:
    metadata = {f.name: getattr(remote, f.name) for f in fields(TrackMetadata)}
    metadata["artists"] = list(remote.artists)
    return Track(**metadata, source_url=remote.audio_url, created_at=now)


def refresh_metadata(track: Track, remote: RemoteTrack) -> bool:
    """Copy newer metadata onto a stored track; True when anything changed."""
    changed = False
    for name in _REFRESHED_FIELDS:
        value = getattr(remote, name)
        if value in (None, "", []) or getattr(track, name) == value:
            continue
        setattr(track, name, list(value) if isinstance(value, list) else value)
        changed = True
    return changed


def compute_diff(
    remote_tracks: list[RemoteTrack],
    entries: list[PlaylistEntry],
    known_tracks: dict[Identity, Track],
    now: datetime,
) -> PlaylistDiff:
    """Diff the (already limited) remote listing against this playlist's stored entries.

    `entries` holds all of the playlist's entries, removed ones included, so a track that comes back
    is revived rather than duplicated. `known_tracks` holds library tracks by identity: a track
    already in another playlist is shared, never stored twice.
    """
    diff = PlaylistDiff()
    entry_by_track = {e.track_id: e for e in entries}
    wanted_track_ids: set[int] = set()
    seen: set[Identity] = set()
    position = 0
    for remote in remote_tracks:
        ident = identity_of(remote)
        if ident in seen:  # Spotify allows the same track twice in a playlist; we keep its first place
            continue
        seen.add(ident)
        track = known_tracks.get(ident)
        if track is None:
            track = track_from_remote(remote, now)
            known_tracks[ident] = track
            diff.new_tracks.append(track)
            diff.new_entries.append(NewEntry(ident, position, remote.added_at))
            diff.added += 1
            position += 1
            continue
        entry = entry_by_track.get(track.id) if track.id is not None else None
        if refresh_metadata(track, remote) and track.id is not None:
            diff.changed_tracks.append(track)
            if entry is not None and entry.is_current:
                diff.updated += 1
        if track.id is not None:
            wanted_track_ids.add(track.id)
        if entry is None:
            diff.new_entries.append(NewEntry(ident, position, remote.added_at))
            diff.added += 1
        elif not entry.is_current or entry.position != position or _added_at_changed(entry, remote):
            if not entry.is_current:
                entry.removed_at = None
                diff.added += 1
            entry.position = position
            entry.added_at = remote.added_at or entry.added_at
            diff.changed_entries.append(entry)
        position += 1
    for entry in entries:
        if entry.is_current and entry.track_id not in wanted_track_ids:
            entry.removed_at = now
            diff.changed_entries.append(entry)
            diff.removed += 1
    return diff


def _added_at_changed(entry: PlaylistEntry, remote: RemoteTrack) -> bool:
    return remote.added_at is not None and entry.added_at != remote.added_at
