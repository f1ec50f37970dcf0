"""Pick the platform client for a pasted link, after checks every link must pass.

The checks run before any network use so that garbage never reaches a platform and every bad
input gets one clear sentence.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from pysync_web.config import Settings
from pysync_web.errors import InvalidUrlError, UnsupportedUrlError
from pysync_web.models import Platform, PlaylistRef
from pysync_web.platforms.base import PlatformClient
from pysync_web.platforms.soundcloud import SoundCloudClient
from pysync_web.platforms.spotify import SpotifyClient
from pysync_web.platforms.ytdlp import YtDlpClient

MAX_URL_LENGTH = 2048
# Order matters: yt-dlp claims any web link, so the specific platforms are asked first.
CLIENT_CLASSES: tuple[type[PlatformClient], ...] = (SpotifyClient, SoundCloudClient, YtDlpClient)
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f-\x9f]")
_SCHEMELESS_HOST = re.compile(r"^[\w-]+(\.[\w-]+)+(/|$)")

PASTE_HINT = "Paste a Spotify, SoundCloud or YouTube playlist link."


def normalize_url(raw: str) -> str:
    """Trim, reject what cannot be a link, and add the https:// people often leave out."""
    url = (raw or "").strip()
    if not url:
        raise InvalidUrlError(f"The link is empty. {PASTE_HINT}")
    if len(url) > MAX_URL_LENGTH:
        raise InvalidUrlError(f"That is {len(url):,} characters long, too long to be a link. {PASTE_HINT}")
    if _CONTROL_OR_SPACE.search(url):
        raise InvalidUrlError(f"A link cannot contain spaces or control characters. {PASTE_HINT}")
    if url.lower().startswith("spotify:"):
        return url
    if "://" not in url and _SCHEMELESS_HOST.match(url):
        url = "https://" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        raise InvalidUrlError(f"That is not a valid link. {PASTE_HINT}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidUrlError(f"That is not a web link. {PASTE_HINT}")
    return url


def parse_playlist_url(raw: str) -> PlaylistRef:
    url = normalize_url(raw)
    for client_class in CLIENT_CLASSES:
        if client_class.claims(url):
            return client_class.parse_url(url)
    raise UnsupportedUrlError(f"That link is not from a supported site. {PASTE_HINT}")


def warm_up() -> None:
    """Load what makes the first parse slow (yt-dlp's extractor list); blocking, run it in a thread."""
    YtDlpClient.warm_up()


def client_for(platform: Platform, settings: Settings) -> PlatformClient:
    """A fresh client per operation, so changed settings (credentials, base URLs) apply at once."""
    for client_class in CLIENT_CLASSES:
        if client_class.platform == platform:
            return client_class(settings)
    raise ValueError(f"no client for {platform}")
