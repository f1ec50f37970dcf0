"""The catch-all source: YouTube and YouTube Music playlists, channels, Bandcamp albums, podcast feeds,
and any other site whose yt-dlp extractor lists a page.

Listing runs yt-dlp with `extract_flat`, so a playlist costs a few page requests and no per-video
extraction. URL recognition lives in ytdlp_urls, the mapping of yt-dlp's answer in ytdlp_entries; this
module runs yt-dlp and turns its failures into PySyncErrors or retry signals.
"""
from __future__ import annotations

import logging
import re
from typing import Any

from yt_dlp import YoutubeDL
from yt_dlp.networking.exceptions import HTTPError, TransportError
from yt_dlp.utils import DownloadError, UnsupportedError

from pysync_web.errors import AccessDeniedError, NotFoundError, PySyncError, UnsupportedUrlError
from pysync_web.models import Platform, PlaylistRef, RemotePlaylist
from pysync_web.platforms import ytdlp_urls
from pysync_web.platforms.base import PlatformClient
from pysync_web.platforms.retry import (
    RateLimitSignal,
    TransientFailure,
    call_with_retries,
    parse_retry_after,
    policy_for,
)
from pysync_web.platforms.ytdlp_entries import playlist_from_info
from pysync_web.platforms.ytdlp_urls import PASTE_INSTEAD, service_name

log = logging.getLogger(__name__)

# Sites like YouTube send no Retry-After; their 429s mean the IP is flagged for a while: assume a long wait.
_ASSUMED_RATE_LIMIT_S = 15 * 60


class YtDlpClient(PlatformClient):
    platform = Platform.YTDLP

    @classmethod
    def claims(cls, url: str) -> bool:
        # The factory asks Spotify and SoundCloud first; everything else on the web is ours to judge.
        return ytdlp_urls.is_web_url(url)

    @classmethod
    def parse_url(cls, url: str) -> PlaylistRef:
        return ytdlp_urls.parse_ytdlp_url(url)

    @classmethod
    def warm_up(cls) -> None:
        """Load yt-dlp's extractor list once (~0.3 s), so the first paste is instant; call it at startup."""
        ytdlp_urls.warm_up()

    def fetch_playlist(self, ref: PlaylistRef, known_snapshot_id: str | None = None) -> RemotePlaylist:
        # yt-dlp offers no snapshot id for any site, so every fetch lists everything.
        info = call_with_retries(lambda: self._extract(ref.url), service_name(ref.url), policy_for(self.settings))
        return playlist_from_info(ref, info)

    def _extract(self, url: str) -> dict[str, Any]:
        options = {
            "extract_flat": "in_playlist",
            "quiet": True,
            "no_warnings": True,
            "skip_download": True,
            "socket_timeout": self.settings.http_timeout_s,
            # call_with_retries owns retrying; yt-dlp's own retries (YouTube continuation pages) stay low.
            "retries": 2,
            "extractor_retries": 2,
            "cachedir": False,  # the cache holds YouTube player code, which flat listing never loads
            "logger": YtDlpLog(),
        }
        try:
            with YoutubeDL(options) as ydl:
                info: dict[str, Any] = ydl.extract_info(url, download=False)
                return info
        except DownloadError as error:
            raise translate_download_error(error, url) from None


class YtDlpLog:
    """yt-dlp prints errors to stderr even when quiet; we raise them as PySyncErrors instead."""

    def debug(self, message: str) -> None:
        log.debug("yt-dlp: %s", message)

    info = error = debug

    def warning(self, message: str) -> None:
        log.info("yt-dlp: %s", message)


def translate_download_error(error: DownloadError, url: str, action: str = "list") -> Exception:
    """A PySyncError for the user, or a retry signal that call_with_retries acts on.

    `action` names what failed ("list", "download") in the fallback message.
    """
    cause = error.exc_info[1] if error.exc_info else None
    reason = _reason(str(error))
    if isinstance(cause, HTTPError):
        return _from_http_status(cause, url, reason, action)
    if isinstance(cause, TransportError):
        return TransientFailure(reason)
    if isinstance(cause, UnsupportedError):
        return UnsupportedUrlError(f"No playlist or podcast feed was found at {url}: {PASTE_INSTEAD}.")
    # Extractor-level failures (YouTube's alerts, Bandcamp pages without tracks) arrive as text only.
    text = reason.lower()
    # "Sign in to confirm you're not a bot" is YouTube flagging our IP for a while, not a private list.
    if "too many requests" in text or "429" in text or "not a bot" in text:
        return RateLimitSignal(_ASSUMED_RATE_LIMIT_S)
    if any(word in text for word in ("private", "sign in", "members-only", "unviewable")):
        return _access_denied(url, reason)
    if any(word in text for word in ("does not exist", "404", "not found", "unavailable")):
        return _not_found(url)
    if "does not have a videos tab" in text:  # "Artist - Topic" channels only have playlists and albums
        return UnsupportedUrlError("That channel has no Videos tab: paste one of its playlists or albums instead.")
    if "timed out" in text:
        return TransientFailure(reason)
    return PySyncError(f"yt-dlp could not {action} {url}: {reason}")


def _from_http_status(cause: HTTPError, url: str, reason: str, action: str) -> Exception:
    if cause.status in (404, 410):
        return _not_found(url)
    if cause.status in (401, 403):
        return _access_denied(url, reason)
    if cause.status == 429:
        return RateLimitSignal(parse_retry_after(cause.response.headers.get("Retry-After"), _ASSUMED_RATE_LIMIT_S))
    if cause.status >= 500:
        return TransientFailure(f"HTTP {cause.status}")
    return PySyncError(f"yt-dlp could not {action} {url}: {reason}")


def _reason(message: str) -> str:
    """yt-dlp's message without "ERROR: [extractor] id: " in front and the exception repr behind."""
    message = re.sub(r"^ERROR:\s*(?:\[[^\]]+\]\s*(?:[^\s:]+:\s+)?)?", "", message)
    return re.split(r"\s+\(caused by |;\s*please report", message, maxsplit=1)[0].strip()


def _not_found(url: str) -> NotFoundError:
    return NotFoundError(f"Nothing was found at {url}: it may have been deleted, or the link is wrong.")


def _access_denied(url: str, reason: str) -> AccessDeniedError:
    return AccessDeniedError(
        f"{service_name(url)} refused to list {url} ({reason}). It may be private, members-only or "
        "region-locked: make it public or unlisted and try again."
    )
