"""The one interface every audio provider implements, and the Candidate it answers with.

A Spotify track has no audio of its own: providers search other catalogues and return what could be
it, unjudged. services.matching picks the candidate (or none), so providers stay small and a new
source is one new subclass. Providers block (HTTP, yt-dlp): callers run them in worker threads.

Errors: every failure is a PySyncError subclass with a message for people — ServiceUnavailableError
when the service does not answer properly after retries, RateLimitedError for a long rate limit — so
the download service can report it and try the next provider.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pysync_web.models import Track

Source = Literal["youtube", "youtube_music", "soundcloud"]


@dataclass(frozen=True)
class Candidate:
    url: str  # what to download
    title: str
    channel: str  # the uploader; for YouTube Music songs the credited artists
    duration: float  # seconds; results without one (live streams) are never candidates
    views: int | None
    source: Source
    page_url: str  # a link for people, e.g. the watch page when `url` is a stream through a proxy

    def as_dict(self) -> dict[str, Any]:
        """The matcher's view of a candidate."""
        return {"url": self.url, "title": self.title, "channel": self.channel, "duration": self.duration,
                "views": self.views, "source": self.source}


class AudioProvider(ABC):
    name: ClassVar[str]  # as written in the audio_providers setting
    # Whether a search for a bare ISRC finds the recording: in practice it does on YouTube and YouTube
    # Music (label-delivered uploads carry it); SoundCloud rarely knows ISRCs, so there it finds noise.
    supports_isrc: ClassVar[bool] = False

    @abstractmethod
    def search(self, query: str, limit: int = 10) -> list[Candidate]:
        """Up to `limit` candidates for a free-text query, best first as the service ranks them."""

    def search_track(self, track: Track) -> list[Candidate]:
        """Candidates for a track: by ISRC first where that works, then by "artists - title"; no url twice."""
        queries = [track.isrc] if self.supports_isrc and track.isrc else []
        queries.append(track_query(track))
        found: dict[str, Candidate] = {}
        for query in queries:
            for candidate in self.search(query):
                found.setdefault(candidate.url, candidate)
        return list(found.values())


def track_query(track: Track) -> str:
    """What a person would type: "Daft Punk, Pharrell Williams - Get Lucky"."""
    artists = ", ".join(artist for artist in track.artists if artist)
    return f"{artists} - {track.title}" if artists else track.title
