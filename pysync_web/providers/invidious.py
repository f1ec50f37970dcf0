"""YouTube search and audio through an Invidious instance, for when YouTube blocks our IP.

The instance searches YouTube (`/api/v1/search`) and proxies the audio: `/latest_version?id=…&itag=140
&local=true` redirects to the instance's own /videoplayback, which streams YouTube's itag 140 (AAC
audio in MP4, about 128 kbit/s). Without local=true it would redirect to googlevideo.com, which is
what using Invidious avoids. yt-dlp downloads that URL as a direct media link.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import requests

from pysync_web.config import Settings
from pysync_web.errors import PySyncError, ServiceUnavailableError
from pysync_web.platforms.soundcloud_client_id import retried_get
from pysync_web.providers.base import AudioProvider, Candidate
from pysync_web.providers.youtube import WATCH_URL

MISSING_URL = "Set PYSYNC_INVIDIOUS_URL (or the Invidious URL in Settings) to use the invidious provider."
AUDIO_ITAG = "140"


class InvidiousProvider(AudioProvider):
    name = "invidious"
    supports_isrc = True  # it is YouTube's search

    def __init__(self, settings: Settings, session: requests.Session | None = None):
        if not settings.invidious_url.strip():
            raise PySyncError(MISSING_URL)
        self.settings = settings
        self.base_url = settings.invidious_url.strip().rstrip("/")
        self._session = session or requests.Session()

    def search(self, query: str, limit: int = 10) -> list[Candidate]:
        instance = f"The Invidious instance at {self.base_url}"
        response = retried_get(self._session, self.settings, f"{self.base_url}/api/v1/search",
                               {"q": query, "type": "video"}, service=instance)
        try:
            items = response.json()
        except ValueError:
            items = None
        if response.status_code >= 400:
            # Instances say why in {"error": "..."}: API disabled, search blocked by YouTube, ...
            reason = items.get("error") if isinstance(items, dict) else None
            raise PySyncError(f"{instance} refused to search (HTTP {response.status_code}"
                              f"{': ' + str(reason) if reason else ''}); try another instance.")
        if not isinstance(items, list):
            raise ServiceUnavailableError(f"{instance} did not answer with search results; try another instance.")
        candidates = (self.candidate_from_item(item) for item in items if isinstance(item, Mapping))
        return [candidate for candidate in candidates if candidate][:limit]

    def candidate_from_item(self, item: Mapping[str, Any]) -> Candidate | None:
        """A video from the search answer; None for channels, playlists, live streams and premieres."""
        video_id = item.get("videoId")
        seconds = item.get("lengthSeconds")
        # Live streams report lengthSeconds 0; premieres cannot be played before they start.
        if item.get("type") != "video" or not video_id or not seconds or item.get("liveNow") or item.get("isUpcoming"):
            return None
        audio = urlencode({"id": video_id, "itag": AUDIO_ITAG, "local": "true"})
        return Candidate(
            url=f"{self.base_url}/latest_version?{audio}",
            title=str(item.get("title") or ""),
            channel=str(item.get("author") or ""),
            duration=float(seconds),
            views=item.get("viewCount"),
            source="youtube",
            page_url=WATCH_URL.format(video_id),
        )
