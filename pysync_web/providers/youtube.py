"""YouTube Music and YouTube search through yt-dlp, flat: a page request or two, no per-video extraction.

- `youtube-music` searches the Songs section of music.youtube.com: label-delivered recordings with
  their credited artists, album and exact length, the best source for a Spotify track. yt-dlp reduces
  each song row to id and title, so a small subclass of its search extractor keeps the rest of the row
  (artists, album, length, plays): without them the matcher could not tell a recording from a cover.
- `youtube` is yt-dlp's `ytsearchN:` video search; its entries carry channel, duration and views.
Both download from the www.youtube.com watch URL; music.youtube.com plays the same video ids.
"""
from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar
from urllib.parse import quote_plus

from yt_dlp import YoutubeDL
from yt_dlp.extractor.youtube import YoutubeIE, YoutubeMusicSearchURLIE
from yt_dlp.utils import DownloadError, parse_count, parse_duration, traverse_obj

from pysync_web.config import Settings
from pysync_web.errors import PySyncError
from pysync_web.platforms.retry import call_with_retries, policy_for
from pysync_web.platforms.ytdlp import YtDlpLog, translate_download_error
from pysync_web.providers.base import AudioProvider, Candidate, Source

Entry = Mapping[str, Any]

WATCH_URL = "https://www.youtube.com/watch?v={}"
MUSIC_WATCH_URL = "https://music.youtube.com/watch?v={}"
# The "#songs" fragment makes yt-dlp ask for the Songs section only: no videos, albums or playlists.
MUSIC_SEARCH_URL = "https://music.youtube.com/search?q={}#songs"

_CLOCK = re.compile(r"(?:\d+:)+\d\d")  # "3:45", "1:02:03"
_PLAYS = re.compile(r"[\d.,]+[KMB]? (?:plays|views)")  # English: yt-dlp asks YouTube for hl=en
_ROW_TYPES = frozenset({"Song", "Video"})  # unfiltered searches start a row with its type: "Song • …"
_UNDOWNLOADABLE = frozenset({"is_live", "is_upcoming"})


def song_details(renderer: Mapping[str, Any]) -> dict[str, Any]:
    """Artists (as `channel` too), album, duration and view_count from a YouTube Music song row.

    The row's second column reads "Daft Punk • Random Access Memories • 6:09" and a third one may hold
    "1.2M plays". Runs alternate text and separators (" • ", " & ", ", "). Linked runs are artists
    (channel ids) or the album (MPRE… ids); of the plain ones a clock is the length, "… plays" the play
    count, and the rest are artists without a channel page.
    """
    details: dict[str, Any] = {}
    artists: list[str] = []
    for column in (renderer.get("flexColumns") or [])[1:]:
        runs = traverse_obj(column, ("musicResponsiveListItemFlexColumnRenderer", "text", "runs")) or []
        for index, run in enumerate(runs[::2]):
            text = str(run.get("text") or "").strip()
            browse_id = str(traverse_obj(run, ("navigationEndpoint", "browseEndpoint", "browseId")) or "")
            if browse_id.startswith("MPRE"):
                details["album"] = text
            elif browse_id:
                artists.append(text)
            elif _CLOCK.fullmatch(text):
                details["duration"] = parse_duration(text)
            elif _PLAYS.fullmatch(text):
                details["view_count"] = parse_count(text)
            elif text and not (index == 0 and text in _ROW_TYPES and len(runs) > 2):
                artists.append(text)
    if artists:
        details.update(artists=artists, channel=", ".join(artists))
    return details


class _SongSearchIE(YoutubeMusicSearchURLIE):  # type: ignore[misc]  # yt-dlp is untyped
    """yt-dlp's YouTube Music search, keeping what each song row says about the recording."""

    def _music_reponsive_list_entry(self, renderer: dict[str, Any]) -> dict[str, Any] | None:  # yt-dlp's spelling
        entry: dict[str, Any] | None = super()._music_reponsive_list_entry(renderer)
        if entry and entry.get("ie_key") == YoutubeIE.ie_key():
            entry.update(song_details(renderer))
        return entry


class _FlatSearchProvider(AudioProvider):
    supports_isrc = True
    source: ClassVar[Source]
    service: ClassVar[str]  # for messages: "YouTube rate limited us until …"
    extractor: ClassVar[type[YoutubeMusicSearchURLIE] | None] = None  # None: yt-dlp picks by URL

    def __init__(self, settings: Settings):
        self.settings = settings

    def search(self, query: str, limit: int = 10) -> list[Candidate]:
        entries = flat_search(self.settings, self.search_url(query, limit), limit, self.service, self.extractor)
        return candidates_from_entries(entries, self.source)

    @abstractmethod
    def search_url(self, query: str, limit: int) -> str:
        """The URL yt-dlp lists as the search results."""


class YouTubeMusicProvider(_FlatSearchProvider):
    name = "youtube-music"
    source = "youtube_music"
    service = "YouTube Music"
    extractor = _SongSearchIE

    def search_url(self, query: str, limit: int) -> str:
        return MUSIC_SEARCH_URL.format(quote_plus(query))


class YouTubeProvider(_FlatSearchProvider):
    name = "youtube"
    source = "youtube"
    service = "YouTube"

    def search_url(self, query: str, limit: int) -> str:
        return f"ytsearch{limit}:{query}"


def candidates_from_entries(entries: Iterable[Entry], source: Source) -> list[Candidate]:
    return [candidate for entry in entries if (candidate := candidate_from_entry(entry, source))]


def candidate_from_entry(entry: Entry, source: Source) -> Candidate | None:
    """A flat search entry as a candidate; None for channels, playlists, live streams and premieres."""
    video_id = entry.get("id")
    duration = entry.get("duration")
    # A live stream has no duration to match a recording's length against; a premiere cannot be had yet.
    if entry.get("ie_key") != YoutubeIE.ie_key() or not video_id or not duration:
        return None
    if entry.get("live_status") in _UNDOWNLOADABLE:
        return None
    watch_url = WATCH_URL.format(video_id)
    return Candidate(
        url=watch_url,
        title=str(entry.get("title") or ""),
        channel=str(entry.get("channel") or entry.get("uploader") or ""),
        duration=float(duration),
        views=entry.get("view_count"),
        source=source,
        page_url=MUSIC_WATCH_URL.format(video_id) if source == "youtube_music" else watch_url,
    )


def flat_search(
    settings: Settings, url: str, limit: int, service: str, extractor: type[YoutubeMusicSearchURLIE] | None = None,
) -> list[Entry]:
    """The first `limit` entries yt-dlp lists for a search URL, under the shared retry policy."""
    options = {
        "extract_flat": "in_playlist",
        "playlistend": limit,  # YouTube Music pages on and on; stop reading continuations after `limit`
        "quiet": True,
        "socket_timeout": settings.http_timeout_s,
        "extractor_retries": 1,  # call_with_retries owns retrying
        "cachedir": False,  # the cache holds YouTube player code, which a flat search never loads
        "logger": YtDlpLog(),
    }

    def attempt() -> dict[str, Any]:
        try:
            return extract(url, options, extractor)
        except DownloadError as error:
            translated = translate_download_error(error, url)
            if isinstance(translated, PySyncError):  # worded for playlist links: say what failed here
                raise PySyncError(f"{service} search failed: {translated}") from None
            raise translated from None  # a retry signal

    info = call_with_retries(attempt, service, policy_for(settings))
    return [entry for entry in info.get("entries") or [] if entry]


def extract(url: str, options: dict[str, Any], extractor: type[YoutubeMusicSearchURLIE] | None) -> dict[str, Any]:
    """The one call that reaches YouTube; tests replace yt-dlp's innertube requests underneath it."""
    with YoutubeDL(options) as ydl:
        if extractor is not None:
            ydl.add_info_extractor(extractor())
        info: dict[str, Any] = ydl.extract_info(url, download=False, ie_key=extractor and extractor.ie_key())
        return info
