"""Where a SoundCloud track's audio can be downloaded from, through api-v2 as SoundCloud's web player does.

A track lists `media.transcodings`: one entry per protocol and codec, each with an api-v2 URL that,
asked with our client id and the track's `track_authorization`, answers {"url": <stream URL>}. The
stream URL is short-lived, so it is resolved right before a download.

Quirks handled here:
- `snipped` transcodings are the 30-second previews anonymous listeners get of Go+ tracks: never a
  download;
- encrypted protocols (ctr-/cbc-encrypted-hls) are DRM we cannot play, and "abr" presets are
  adaptive playlists yt-dlp found broken: both are skipped;
- a transcoding URL may answer 404 while the next one works (yt-dlp skips such formats too);
- transcoding URLs name api-v2.soundcloud.com: only their path is kept, so a configured mirror is used
  and our client id goes nowhere else.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast
from urllib.parse import urlsplit

import requests

from pysync_web.config import Settings
from pysync_web.errors import AccessDeniedError, NotFoundError, PySyncError
from pysync_web.platforms.soundcloud import api_json

Json = Mapping[str, Any]
Protocol = Literal["progressive", "hls"]

PREVIEW_ONLY = (
    "SoundCloud offers only a 30-second preview of this track (Go+ subscribers only), "
    "so its audio has to come from another source."
)
# Best first. One progressive MP3 is a single request with nothing to remux; among HLS streams MP3 needs
# no conversion for MP3 libraries, and AAC's 160 kbit/s leave more to convert from than Opus' 64 kbit/s.
_PREFERENCE: list[tuple[Protocol, str]] = [("progressive", "mp3"), ("hls", "mp3"), ("hls", "m4a"), ("hls", "opus")]
# By the mime type before any "; codecs=…": SoundCloud's Ogg is always Opus, its MP4 always AAC.
_EXTENSIONS = {"audio/mpeg": "mp3", "audio/mp4": "m4a", "audio/ogg": "opus"}


@dataclass(frozen=True)
class Stream:
    url: str
    protocol: Protocol
    mime_type: str
    ext: str  # "mp3", "m4a" or "opus": what the downloaded audio is


def resolve_stream(settings: Settings, track_url_or_id: str | int, session: requests.Session | None = None) -> Stream:
    """The best full-length stream of a track, given its soundcloud.com link or numeric id.

    Raises NotFoundError for a deleted or mistyped track, AccessDeniedError when it is blocked here,
    PySyncError when SoundCloud offers only a preview or nothing we can play.
    """
    session = session or requests.Session()
    track = _track(settings, session, str(track_url_or_id))
    subject = track.get("permalink_url") or str(track_url_or_id)
    if track.get("policy") == "BLOCK":
        raise AccessDeniedError(f"SoundCloud does not play {subject} in your country.")
    choices = _full_transcodings(track)
    if not choices:
        if any(_is_preview(t) for t in _transcodings(track)):
            raise PySyncError(PREVIEW_ONLY)
        raise PySyncError(f"SoundCloud offers no stream of {subject} that we can download (DRM-protected or none).")
    authorization = {"track_authorization": track["track_authorization"]} if track.get("track_authorization") else {}
    for transcoding in choices:
        try:
            answer = api_json(settings, session, urlsplit(transcoding["url"]).path, authorization, subject=subject)
        except NotFoundError:
            continue
        if isinstance(answer, dict) and answer.get("url"):
            protocol, ext = _kind(transcoding)
            return Stream(answer["url"], cast(Protocol, protocol), transcoding["format"]["mime_type"], str(ext))
    raise NotFoundError(f"SoundCloud lists streams of {subject} but serves none of them; try again later.")


def has_full_stream(track: Json) -> bool:
    """False for Go+ previews, DRM-only and blocked tracks: nothing of them can be downloaded."""
    return track.get("policy") != "BLOCK" and bool(_full_transcodings(track))


def _track(settings: Settings, session: requests.Session, track_url_or_id: str) -> Json:
    if track_url_or_id.isdigit():
        # The batch endpoint the playlist reader uses; a deleted or hidden track is simply missing.
        listed = api_json(settings, session, "/tracks", {"ids": track_url_or_id}, subject=f"track {track_url_or_id}")
        found = next(iter(listed), None) if isinstance(listed, list) else None
        if not isinstance(found, dict):
            raise NotFoundError(f"SoundCloud track {track_url_or_id} was deleted or made private.")
    else:
        found = api_json(settings, session, "/resolve", {"url": track_url_or_id}, subject=track_url_or_id)
    if not isinstance(found, dict) or found.get("kind") != "track":
        raise NotFoundError(f"{track_url_or_id} is not a SoundCloud track; check the link.")
    return found


def _full_transcodings(track: Json) -> list[Json]:
    """The track's whole, playable transcodings, best first."""
    ranked = [(_PREFERENCE.index(kind), t) for t in _transcodings(track)
              if not _is_preview(t) and (kind := _kind(t)) in _PREFERENCE]
    return [t for _, t in sorted(ranked, key=lambda pair: pair[0])]


def _transcodings(track: Json) -> list[Json]:
    listed = (track.get("media") or {}).get("transcodings") or []
    return [t for t in listed if isinstance(t, dict) and t.get("url") and isinstance(t.get("format"), dict)]


def _is_preview(transcoding: Json) -> bool:
    return bool(transcoding.get("snipped"))


def _kind(transcoding: Json) -> tuple[str, str | None]:
    """(protocol, extension of the audio): ("hls", "opus"); the extension is None when unknown."""
    protocol = str(transcoding["format"].get("protocol") or "")
    if str(transcoding.get("preset") or "").startswith("abr"):  # adaptive playlists: no single codec
        return protocol, None
    mime_type = str(transcoding["format"].get("mime_type") or "")
    return protocol, _EXTENSIONS.get(mime_type.split(";")[0].strip())
