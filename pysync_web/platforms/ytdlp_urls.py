"""Offline recognition of the links the yt-dlp source accepts, and advice for the ones it doesn't.

Known sites (YouTube, YouTube Music, Bandcamp, podcast feeds) are recognised by precompiled patterns and
canonicalised so a playlist pasted twice in different forms is recognised as already added. Any other
link is judged by yt-dlp's own extractor classes, loaded once: `warm_up()` at startup moves that first
~0.3 s off a user's click; afterwards the slowest URL (one only the generic extractor claims) takes ~2 ms.
"""
from __future__ import annotations

import re
from functools import cache
from typing import Any
from urllib.parse import SplitResult, parse_qs, urlsplit, urlunsplit

from pysync_web.errors import InvalidUrlError, UnsupportedUrlError
from pysync_web.models import Platform, PlaylistKind, PlaylistRef

PASTE_INSTEAD = "paste a Spotify, SoundCloud, YouTube or Bandcamp playlist link, or a podcast RSS feed"
_YOUTUBE_HOSTS = frozenset({"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com", "youtu.be"})
_YOUTUBE_LIST_ID = re.compile(r"^[\w-]{2,}$")
_YOUTUBE_CHANNEL_ID = re.compile(r"^UC[\w-]{22}$")
_YOUTUBE_CHANNEL = re.compile(r"^/(?P<id>@[^/]+|channel/UC[\w-]{22}|c/[^/]+|user/[^/]+)(?:/(?P<tab>[^/]*))?/?$")
_YOUTUBE_SINGLE_VIDEO = re.compile(r"^/(?:watch|shorts/|live/|embed/|v/)")
_YOUTUBE_MUSIC_BROWSE = re.compile(r"^/browse/(?P<id>MPREb_[\w-]+|VL[\w-]+)/?$")
_BANDCAMP_HOST = re.compile(r"^(?P<artist>[a-z0-9-]+)\.bandcamp\.com$")
_BANDCAMP_PAGE = re.compile(r"^/(?P<kind>album|track)/(?P<slug>[^/]+)/?$")
# Podcast feeds: ".../show.rss", ".../podcast.xml", ".../feed/podcast", ".../podcast/rss", and hosts that
# serve nothing else (feeds.megaphone.fm/ID, feeds.transistor.fm/name); "/feedback" is not a feed.
_FEED_PATH = re.compile(r"\.(?:rss|xml)$|/(?:feeds?|rss)(?:[/.]|$)", re.IGNORECASE)
_FEED_HOST = re.compile(r"^(?:feeds?|rss)\.")


def _http_parts(url: str) -> SplitResult | None:
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    return parts if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def is_web_url(url: str) -> bool:
    """An http(s) link with a host: all this source needs to try, once Spotify and SoundCloud passed."""
    return _http_parts(url) is not None


def parse_ytdlp_url(url: str) -> PlaylistRef:
    """What the link points at, or UnsupportedUrlError / InvalidUrlError saying what to paste instead."""
    parts = _http_parts(url)
    if parts is None:
        raise InvalidUrlError(f"{url.strip()!r} is not a web link: {PASTE_INSTEAD}.")
    host = parts.hostname or ""
    if host in _YOUTUBE_HOSTS:
        return _parse_youtube(parts)
    if host == "bandcamp.com" or host.endswith(".bandcamp.com"):
        return _parse_bandcamp(parts)
    if parts.path.lower().endswith(".atom"):
        raise UnsupportedUrlError(
            "Atom feeds can't be read (yt-dlp understands RSS podcast feeds only): "
            "paste the podcast's RSS feed link instead."
        )
    if _FEED_PATH.search(parts.path) or _FEED_HOST.match(host):
        canonical = _without_fragment(parts)
        return PlaylistRef(Platform.YTDLP, PlaylistKind.FEED, canonical, canonical)
    return _parse_by_extractor(parts)


def warm_up() -> None:
    """Load yt-dlp's extractor list and compile its URL patterns, so the first paste is instant."""
    _first_extractor("https://example.com/")


def service_name(url: str) -> str:
    """The site's name for messages: "YouTube rate limited us until ..."."""
    host = urlsplit(url).hostname or "the site"
    if host in _YOUTUBE_HOSTS:
        return "YouTube"
    return "Bandcamp" if host.endswith("bandcamp.com") else host


def _without_fragment(parts: SplitResult) -> str:
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))


def _parse_youtube(parts: SplitResult) -> PlaylistRef:
    list_id = parse_qs(parts.query).get("list", [""])[0]
    if list_id and (parts.path in ("/playlist", "/watch") or parts.hostname == "youtu.be"):
        return _youtube_playlist(list_id)
    if parts.hostname == "youtu.be" or _YOUTUBE_SINGLE_VIDEO.match(parts.path):
        raise UnsupportedUrlError(
            "That is a single YouTube video: paste a playlist link (youtube.com/playlist?list=…) "
            "or a channel link (youtube.com/@name) instead."
        )
    channel_id = parse_qs(parts.query).get("channel_id", [""])[0]
    if parts.path == "/feeds/videos.xml" and _YOUTUBE_CHANNEL_ID.match(channel_id):
        # A channel's own RSS feed lists only its 15 newest videos; sync the whole channel instead.
        return _youtube_channel(f"channel/{channel_id}")
    browse = _YOUTUBE_MUSIC_BROWSE.match(parts.path) if parts.hostname == "music.youtube.com" else None
    if browse and browse["id"].startswith("VL"):
        return _youtube_playlist(browse["id"][2:])
    if browse:
        # An album page: only yt-dlp (online) can resolve it to its playlist, so keep the music URL.
        album_id = browse["id"]
        return PlaylistRef(Platform.YTDLP, PlaylistKind.ALBUM, album_id, f"https://music.youtube.com/browse/{album_id}")
    channel = _YOUTUBE_CHANNEL.match(parts.path)
    if channel and channel["tab"] in (None, "", "videos", "featured"):
        return _youtube_channel(channel["id"])
    if channel:
        raise UnsupportedUrlError(
            f"Only a channel's Videos tab can be synced, not its {channel['tab']!r} tab: "
            f"paste https://www.youtube.com/{channel['id']}/videos or one of its playlists."
        )
    raise UnsupportedUrlError(f"That YouTube page is not a playlist or a channel: {PASTE_INSTEAD}.")


def _youtube_playlist(list_id: str) -> PlaylistRef:
    if not _YOUTUBE_LIST_ID.match(list_id):
        raise InvalidUrlError(f"{list_id!r} is not a YouTube playlist id; copy the link again from the share button.")
    if list_id in ("LL", "WL", "LM"):
        raise UnsupportedUrlError(
            "Liked videos and Watch later are visible only when signed in: copy the videos into a public "
            "or unlisted playlist and paste that."
        )
    if list_id.startswith("RD"):
        raise UnsupportedUrlError(
            "A YouTube Mix is generated anew on every visit, so it can't be kept in sync: save the songs "
            "you want into a playlist of your own and paste that."
        )
    # Same list id on www and music.youtube.com is the same playlist (yt-dlp reads both from www), so one
    # canonical host lets an already-added playlist be recognised whichever link was pasted.
    kind = PlaylistKind.ALBUM if list_id.startswith("OLAK5uy_") else PlaylistKind.PLAYLIST
    return PlaylistRef(Platform.YTDLP, kind, list_id, f"https://www.youtube.com/playlist?list={list_id}")


def _youtube_channel(path_id: str) -> PlaylistRef:
    # Handles are case-insensitive on YouTube; channel ids and legacy names are kept as typed.
    path_id = path_id.lower() if path_id.startswith("@") else path_id
    # Without a tab yt-dlp lists videos, shorts and streams as three nested playlists; /videos is flat.
    return PlaylistRef(
        Platform.YTDLP, PlaylistKind.CHANNEL, path_id.removeprefix("channel/"),
        f"https://www.youtube.com/{path_id}/videos",
    )


def _parse_bandcamp(parts: SplitResult) -> PlaylistRef:
    host = _BANDCAMP_HOST.match(parts.hostname or "")
    page = _BANDCAMP_PAGE.match(parts.path)
    if host and page and page["kind"] == "album":
        artist, slug = host["artist"], page["slug"]
        return PlaylistRef(
            Platform.YTDLP, PlaylistKind.ALBUM, f"{artist}/{slug}", f"https://{artist}.bandcamp.com/album/{slug}"
        )
    if page and page["kind"] == "track":
        raise UnsupportedUrlError(
            "That is a single Bandcamp track: paste the link of its album (…bandcamp.com/album/…) instead."
        )
    raise UnsupportedUrlError(
        "Only Bandcamp albums can be synced: open one and paste its link (https://ARTIST.bandcamp.com/album/…)."
    )


def _parse_by_extractor(parts: SplitResult) -> PlaylistRef:
    url = _without_fragment(parts)
    extractor = _first_extractor(url)
    if extractor is None or extractor.ie_key() == "Generic":
        raise UnsupportedUrlError(f"{parts.hostname} is not a supported site: {PASTE_INSTEAD}.")
    # _RETURN_TYPE is derived from the extractor's own test cases: "video", "playlist", "any" or None.
    if extractor._RETURN_TYPE == "video":
        raise UnsupportedUrlError(
            f"That {parts.hostname} link is a single item: paste a playlist, album or channel link instead."
        )
    return PlaylistRef(Platform.YTDLP, PlaylistKind.PLAYLIST, url, url)


@cache
def _extractor_classes() -> tuple[type[Any], ...]:
    from yt_dlp.extractor import gen_extractor_classes  # lazy stubs; the real modules load on use

    return tuple(gen_extractor_classes())


def _first_extractor(url: str) -> type[Any] | None:
    """The extractor yt-dlp would pick: the first in its own order whose pattern matches (~2 ms warm)."""
    return next((extractor for extractor in _extractor_classes() if extractor.suitable(url)), None)
