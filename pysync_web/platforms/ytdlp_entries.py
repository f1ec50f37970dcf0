"""Map yt-dlp's flat playlist info dicts to RemotePlaylist and RemoteTrack.

Pure (no network), so it is tested on hand-written dicts shaped like yt-dlp's real output:
- YouTube flat entries carry id, url, title, duration, channel/uploader and thumbnails, but no artist:
  artist and title come from the video title (youtube_titles);
- podcast feeds go through yt-dlp's generic RSS reader, which keeps each item's title, pubDate (as
  `timestamp`), itunes:duration and itunes:image, hides the guid in a "smuggled" URL fragment, and
  drops the channel's itunes:author and itunes:image;
- Bandcamp album entries have only id, url and the track title; the page's artist is the subdomain.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from yt_dlp.utils import unsmuggle_url

from pysync_web.errors import UnsupportedUrlError
from pysync_web.models import Platform, PlaylistKind, PlaylistRef, RemotePlaylist, RemoteTrack, SkippedItems
from pysync_web.platforms.youtube_titles import clean_channel, split_artist_title

Info = Mapping[str, Any]

# YouTube keeps removed videos in playlists under these placeholder titles, without channel or duration.
_UNAVAILABLE_TITLES = frozenset({"[private video]", "[deleted video]", "[unavailable video]"})


def playlist_from_info(ref: PlaylistRef, info: Info) -> RemotePlaylist:
    """The playlist yt-dlp listed; entries that are gone are counted, not returned."""
    if info.get("_type") != "playlist":
        raise UnsupportedUrlError(
            f"{ref.url} leads to a single item, not a list: paste a playlist, album, channel or feed link."
        )
    youtube = _is_youtube(info)
    name = _playlist_name(ref, info, youtube)
    collection = name if ref.kind in (PlaylistKind.ALBUM, PlaylistKind.FEED) else ""
    tracks: list[RemoteTrack] = []
    skipped = SkippedItems()
    for entry in info.get("entries") or []:
        if not entry or str(entry.get("title") or "").lower() in _UNAVAILABLE_TITLES:
            skipped.unavailable += 1
        else:
            tracks.append(track_from_entry(ref, info, entry, collection))
    owner = _first_text(info, "uploader", "channel")
    return RemotePlaylist(
        ref=ref,
        name=name,
        owner=clean_channel(owner) if youtube and owner else owner,
        # Feeds lose their artwork in yt-dlp; the newest episode's image is the closest stand-in.
        cover_url=_best_thumbnail(info) or next((t.cover_url for t in tracks if t.cover_url), None),
        total=info.get("playlist_count") or len(tracks) + skipped.total,
        tracks=tracks,
        skipped=skipped,
    )


def _playlist_name(ref: PlaylistRef, info: Info, youtube: bool) -> str:
    name = _first_text(info, "title") or ref.url
    if youtube:  # YouTube titles album playlists "Album - Discovery" and channel tabs "Daft Punk - Videos"
        name = name.removeprefix("Album - ") if ref.kind is PlaylistKind.ALBUM else name.removesuffix(" - Videos")
    return name


def track_from_entry(ref: PlaylistRef, playlist: Info, entry: Info, collection: str = "") -> RemoteTrack:
    """One entry; `collection` is the album (or podcast) name when the whole list is one."""
    page_url, guid = unsmuggle_url(entry.get("webpage_url") or entry.get("url") or "", {})
    artists, title = _artists_and_title(ref, playlist, entry)
    return RemoteTrack(
        platform=Platform.YTDLP,
        platform_id=_platform_id(ref, playlist, entry, guid.get("force_videoid"), page_url),
        title=title,
        artists=artists,
        album=_first_text(entry, "album") or collection,
        duration_ms=round(entry["duration"] * 1000) if entry.get("duration") else None,
        cover_url=_best_thumbnail(entry),
        url=page_url or None,
        audio_url=page_url or None,
        release_date=_release_date(entry),
        track_number=entry.get("track_number"),
        added_at=_added_at(entry),
    )


def _platform_id(ref: PlaylistRef, playlist: Info, entry: Info, guid: str | None, page_url: str) -> str:
    if _is_youtube(playlist, entry):
        return str(entry.get("id") or page_url)
    if ref.kind is PlaylistKind.FEED:
        return f"{ref.url}#{guid or entry.get('id') or page_url}"
    extractor = entry.get("ie_key") or playlist.get("extractor_key") or "web"
    return f"{extractor.lower()}:{entry['id']}" if entry.get("id") else page_url


def _artists_and_title(ref: PlaylistRef, playlist: Info, entry: Info) -> tuple[list[str], str]:
    channel = _first_text(entry, "channel", "uploader")
    if ref.kind is PlaylistKind.CHANNEL:  # a channel's uploads carry no channel name of their own
        channel = channel or _first_text(playlist, "channel", "uploader")
    if _is_youtube(playlist, entry) and not entry.get("track"):
        return split_artist_title(_first_text(entry, "title"), channel)
    title = _first_text(entry, "track", "title", "episode") or "Untitled"
    listed = [a for a in entry.get("artists") or [_first_text(entry, "artist", "creator")] if a]
    fallback = _fallback_artist(ref, playlist, channel)
    return listed or ([fallback] if fallback else []), title


def _fallback_artist(ref: PlaylistRef, playlist: Info, channel: str) -> str:
    # Podcast apps show the show as the artist; yt-dlp drops itunes:author, so the title it is.
    if ref.kind is PlaylistKind.FEED:
        return channel or _first_text(playlist, "uploader", "title")
    return channel or _first_text(playlist, "artist", "uploader", "channel", "uploader_id")


def _is_youtube(*infos: Info) -> bool:
    return any(str(i.get("ie_key") or i.get("extractor_key") or "").startswith("Youtube") for i in infos)


def _first_text(info: Info, *keys: str) -> str:
    return next((str(info[k]).strip() for k in keys if info.get(k)), "")


def _best_thumbnail(info: Info) -> str | None:
    # yt-dlp orders thumbnails from worst to best.
    listed = [t["url"] for t in info.get("thumbnails") or [] if t.get("url")]
    return info.get("thumbnail") or (listed[-1] if listed else None)


def _added_at(entry: Info) -> datetime | None:
    for key in ("timestamp", "release_timestamp"):
        if entry.get(key) is not None:
            return datetime.fromtimestamp(entry[key], UTC)
    day = entry.get("upload_date") or entry.get("release_date")
    return datetime.strptime(day, "%Y%m%d").replace(tzinfo=UTC) if day else None


def _release_date(entry: Info) -> str | None:
    day = entry.get("release_date") or entry.get("upload_date")
    if day:
        return f"{day[:4]}-{day[4:6]}-{day[6:]}"
    if entry.get("release_year"):
        return str(entry["release_year"])
    added = _added_at(entry)
    return added.date().isoformat() if added else None
