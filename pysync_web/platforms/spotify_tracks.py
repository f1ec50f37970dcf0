"""Spotify Web API JSON → RemoteTrack: the field mapping and the entries that are not tracks."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from pysync_web.models import Platform, RemoteTrack, SkippedItems

Json = Mapping[str, Any]


def tracks_from_entries(entries: Iterable[Json | None]) -> tuple[list[RemoteTrack], SkippedItems]:
    """Map playlist or saved-track entries in order, counting the ones that cannot be downloaded."""
    tracks: list[RemoteTrack] = []
    skipped = SkippedItems()
    for entry in entries:
        # The February 2026 API renamed an entry's `track` to `item`; older answers still use `track`.
        track = (entry["item"] if "item" in entry else entry.get("track")) if entry else None
        if entry is None or not track:  # Spotify sends null for tracks removed from the catalogue
            skipped.unavailable += 1
        elif entry.get("is_local") or track.get("is_local"):  # files a user added from their own disk
            skipped.local_files += 1
        elif track.get("type") == "episode" or track.get("episode") is True:
            # Without additional_types=episode, Spotify dresses episodes as tracks with episode: true.
            skipped.episodes += 1
        else:
            tracks.append(track_from_api(track, added_at=parse_added_at(entry.get("added_at"))))
    return tracks, skipped


def track_from_api(track: Json, *, added_at: datetime | None = None, album: Json | None = None) -> RemoteTrack:
    """A full track object, or a simplified one (album tracks) with its `album` passed in."""
    album = album if album is not None else track.get("album") or {}
    album_artists = album.get("artists") or []
    return RemoteTrack(
        platform=Platform.SPOTIFY,
        platform_id=track["id"],
        title=track.get("name") or "",
        artists=[artist["name"] for artist in track.get("artists") or [] if artist.get("name")],
        album=album.get("name") or "",
        album_artist=album_artists[0].get("name", "") if album_artists else "",
        duration_ms=track.get("duration_ms"),
        isrc=(track.get("external_ids") or {}).get("isrc"),
        cover_url=largest_image(album.get("images")),
        url=(track.get("external_urls") or {}).get("spotify"),
        explicit=bool(track.get("explicit")),
        release_date=album.get("release_date") or None,
        track_number=track.get("track_number"),
        added_at=added_at,
    )


def largest_image(images: Iterable[Json] | None) -> str | None:
    """Spotify lists several sizes, usually largest first; playlist mosaics have no width at all."""
    best = max(images or [], key=lambda image: image.get("width") or 0, default=None)
    return best.get("url") if best else None


def parse_added_at(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        added_at = datetime.fromisoformat(value)
    except ValueError:
        return None
    # Spotify reports the Unix epoch for entries added before it recorded dates: that means unknown.
    return None if added_at.timestamp() == 0 else added_at
