"""SoundCloud track search through api-v2, with the client id and retries of the SoundCloud platform.

Useful for DJ edits, remixes and bootlegs that exist nowhere else. Tracks SoundCloud would not play us
in full are left out: blocked ones (policy BLOCK) and Go+ tracks that come as a 30-second preview.
ISRCs are not searched: SoundCloud rarely has them, so an ISRC query only finds noise.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests

from pysync_web.config import Settings
from pysync_web.platforms.soundcloud import api_json
from pysync_web.platforms.soundcloud_streams import has_full_stream
from pysync_web.providers.base import AudioProvider, Candidate


class SoundCloudProvider(AudioProvider):
    name = "soundcloud"

    def __init__(self, settings: Settings, session: requests.Session | None = None):
        self.settings = settings
        self._session = session or requests.Session()

    def search(self, query: str, limit: int = 10) -> list[Candidate]:
        answer = api_json(self.settings, self._session, "/search/tracks", {"q": query, "limit": str(limit)},
                          subject=f"search results for {query!r}")
        tracks = answer.get("collection") if isinstance(answer, dict) else None
        return [candidate for track in tracks or [] if (candidate := candidate_from_track(track))]


def candidate_from_track(track: Mapping[str, Any]) -> Candidate | None:
    if not isinstance(track, Mapping) or not track.get("permalink_url") or not track.get("duration"):
        return None
    if not has_full_stream(track):
        return None
    return Candidate(
        url=track["permalink_url"],
        title=str(track.get("title") or ""),
        channel=str((track.get("user") or {}).get("username") or ""),
        duration=track["duration"] / 1000,
        views=track.get("playback_count"),
        source="soundcloud",
        page_url=track["permalink_url"],
    )
