"""Public playlists and albums without API credentials, read from Spotify's embed player page.

The page `open.spotify.com/embed/<kind>/<id>` is rendered server-side by Next.js and carries the
data it shows in `<script id="__NEXT_DATA__" type="application/json">`, under
props.pageProps.state.data.entity: name, subtitle (the owner, or an album's artists), coverArt.sources
and a trackList whose items have uri, title, subtitle (the artists joined by ", "), duration in ms
and isExplicit. It lists at most 100 tracks and has no ISRCs, album names or added dates, so every
playlist read this way carries a notice saying so.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests

from pysync_web.config import Settings
from pysync_web.errors import PySyncError
from pysync_web.models import Platform, PlaylistKind, PlaylistRef, RemotePlaylist, RemoteTrack, SkippedItems
from pysync_web.platforms.spotify_errors import Subject, error_for_status, spotify_call
from pysync_web.platforms.spotify_tracks import largest_image
from pysync_web.platforms.spotify_urls import CANONICAL_WEB

EMBED_TRACK_LIMIT = 100
_NEXT_DATA = re.compile(r'<script[^>]*\bid="__NEXT_DATA__"[^>]*>(.*?)</script>', re.DOTALL)
# The page is made for browsers; a library's default User-Agent risks being served something else.
_HEADERS = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
    "Accept": "text/html",
}


@dataclass(frozen=True)
class EmbedReason:
    """Why the embed page was read instead of the API, and what the user can do about it."""

    cause: str
    advice: str = ""


NO_CREDENTIALS = EmbedReason(
    "No Spotify API credentials",
    "Liked Songs are unavailable too. Add a client id and secret in Settings for full sync.",
)
API_REFUSED_ITEMS = EmbedReason(
    "Spotify's API would not list this playlist's tracks (apps in Development Mode may only read "
    "playlists their user owns)"
)


def fetch_from_embed(
    settings: Settings, session: requests.Session, ref: PlaylistRef, reason: EmbedReason
) -> RemotePlaylist:
    """Read a playlist or album from its embed page; `reason` goes into the notice the user sees."""
    subject = Subject.of(ref)
    url = f"{settings.spotify_web_url.rstrip('/')}/embed/{ref.kind.value}/{ref.external_id}"

    def get_page() -> str:
        response = session.get(url, headers=_HEADERS, timeout=settings.http_timeout_s)
        if response.status_code != 200:
            raise error_for_status(response.status_code, response.headers, subject)
        return response.text

    entity = _entity(spotify_call(get_page, settings, subject), subject)
    tracks, skipped = _tracks(entity, ref.kind)
    return RemotePlaylist(
        ref=ref,
        name=entity.get("name") or entity.get("title") or "",
        owner=entity.get("subtitle") or "",
        cover_url=_cover(entity),
        tracks=tracks,
        skipped=skipped,
        notice=_notice(reason, ref.kind),
    )


def _entity(html: str, subject: Subject) -> Mapping[str, Any]:
    match = _NEXT_DATA.search(html)
    try:
        entity = json.loads(match.group(1))["props"]["pageProps"]["state"]["data"]["entity"] if match else None
    except (ValueError, KeyError, TypeError):
        entity = None
    if not isinstance(entity, dict) or not isinstance(entity.get("trackList"), list):
        raise PySyncError(
            f"Spotify's embed page for {subject.noun} {subject.external_id} has no track list we can read "
            "(the playlist may be private, or Spotify changed the page). Add a client id and secret in "
            "Settings to use the Spotify API instead."
        )
    return entity


def _tracks(entity: Mapping[str, Any], kind: PlaylistKind) -> tuple[list[RemoteTrack], SkippedItems]:
    is_album = kind == PlaylistKind.ALBUM
    release = (entity.get("releaseDate") or {}).get("isoString") or ""
    tracks: list[RemoteTrack] = []
    skipped = SkippedItems()
    for item in entity["trackList"]:
        uri_kind, _, track_id = (item.get("uri") or "").removeprefix("spotify:").partition(":")
        if uri_kind == "episode" or item.get("entityType") == "episode":
            skipped.episodes += 1
        elif uri_kind == "local":
            skipped.local_files += 1
        elif uri_kind != "track" or not track_id or not item.get("title"):
            skipped.unavailable += 1
        else:
            tracks.append(RemoteTrack(
                platform=Platform.SPOTIFY,
                platform_id=track_id,
                title=item["title"],
                # Joined with ", " on the page, so a name like "Tyler, The Creator" comes apart here.
                artists=[name for name in (item.get("subtitle") or "").split(", ") if name],
                album=entity.get("name", "") if is_album else "",
                album_artist=entity.get("subtitle", "") if is_album else "",
                duration_ms=item.get("duration"),
                cover_url=_cover(entity) if is_album else None,
                url=f"{CANONICAL_WEB}/track/{track_id}",
                explicit=bool(item.get("isExplicit")),
                release_date=(release[:10] or None) if is_album else None,
            ))
    return tracks, skipped


def _cover(entity: Mapping[str, Any]) -> str | None:
    return largest_image((entity.get("coverArt") or {}).get("sources"))


def _notice(reason: EmbedReason, kind: PlaylistKind) -> str:
    missing = "no ISRCs" if kind == PlaylistKind.ALBUM else f"no ISRC/album, at most {EMBED_TRACK_LIMIT} tracks"
    return f"{reason.cause}: read from the public embed page — {missing}. {reason.advice}".strip()
