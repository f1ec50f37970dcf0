"""A fake podcast host: RSS 2.0 feeds with the itunes namespace, as podcast hosts publish them.

Real-feed habits it keeps, because the yt-dlp client is tested against them:
- items are newest first; each has a guid, an RFC 822 pubDate and an audio enclosure on the same host
  (the audio files themselves are not served: listing never downloads them);
- itunes:duration comes as "HH:MM:SS", "MM:SS" or plain seconds, varying within one feed;
- only some items have their own itunes:image; the channel has itunes:author and itunes:image;
- titles are not ASCII-only.
`missing_url` answers 404 and `broken_url` answers 500 on every request.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest

from pysync_web.config import Settings
from tests.fakes.audio import ToneLibrary
from tests.fakes.server import FakeService, FakeServer, Reply, Request

FIRST_EPISODE_AT = datetime(2024, 1, 1, 6, 30, tzinfo=UTC)
EPISODE_INTERVAL = timedelta(days=7)


@dataclass(frozen=True)
class Episode:
    number: int
    title: str
    guid: str
    audio_path: str
    published: datetime
    duration_s: int
    image_path: str | None


def make_episode(number: int, duration_s: int | None = None) -> Episode:
    """Episode `number` (1 is the oldest) of any fake feed: deterministic, so tests can expect it."""
    return Episode(
        number=number,
        title=f"Épisode {number}: Ünïcode & <Friends>",
        guid=f"fake-cast-episode-{number}",
        audio_path=f"/audio/episode-{number}.mp3",
        published=FIRST_EPISODE_AT + (number - 1) * EPISODE_INTERVAL,
        duration_s=duration_s or 30 * 60 + number,
        image_path=f"/images/episode-{number}.jpg" if number % 2 == 0 else None,
    )


def _itunes_duration(seconds: int, number: int) -> str:
    """Real feeds mix "HH:MM:SS", "MM:SS" and plain seconds; rotate through all three."""
    hours, rest = divmod(seconds, 3600)
    forms = (f"{hours:02}:{rest // 60:02}:{rest % 60:02}", f"{seconds // 60}:{seconds % 60:02}", str(seconds))
    return forms[number % 3]


class FakeFeeds(FakeService):
    TITLE = "The Fake Cast"
    AUTHOR = "Fake Host"

    def __init__(self, tones: ToneLibrary | None = None) -> None:
        self.server = FakeServer()
        self.tones = tones
        self.published: dict[str, list[Episode]] = {}  # episodes by feed URL, newest first as served
        self._bodies: dict[str, str] = {}
        self._audio_seconds: dict[str, int] = {}  # audio path -> length of the tone served there
        self.server.route("GET", "/broken.rss", lambda request: Reply.text("Internal error", status=500))
        self.server.route("GET", r"/audio/episode-(?P<number>\d+)\.mp3", self._serve_audio)

    @property
    def missing_url(self) -> str:
        return f"{self.url}/missing.rss"

    @property
    def broken_url(self) -> str:
        return f"{self.url}/broken.rss"

    def publish(self, path: str, episodes: int, title: str = TITLE, audio_seconds: int | None = None) -> str:
        """Serve a feed with episodes 1..`episodes` at `path` (again: replace it); returns its URL.

        With `audio_seconds`, episodes are that long and their enclosures serve real MP3 audio (each
        episode its own pitch), so the feed can be downloaded end to end.
        """
        items = [make_episode(n, audio_seconds) for n in range(episodes, 0, -1)]
        if audio_seconds:
            self._audio_seconds.update({item.audio_path: audio_seconds for item in items})
        if path not in self._bodies:
            self.server.route("GET", re.escape(path), lambda request: self._serve(path))
        self._bodies[path] = self._render(title, items)
        self.published[f"{self.url}{path}"] = items
        return f"{self.url}{path}"

    def _serve_audio(self, request: Request) -> Reply:
        seconds = self._audio_seconds.get(request.path)
        if seconds is None or self.tones is None:
            return Reply.text("no such episode", status=404)
        number = int(request.match["number"]) if request.match else 1
        audio = self.tones.original("mp3", seconds, frequency=300 + 20 * number).read_bytes()
        return Reply(200, audio, {"Content-Type": "audio/mpeg"})

    def _serve(self, path: str) -> Reply:
        return Reply.text(self._bodies[path], "application/rss+xml; charset=utf-8")

    def _render(self, title: str, items: list[Episode]) -> str:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">\n<channel>\n'
            f"<title>{escape(title)}</title>\n<link>{self.url}/</link>\n"
            f"<description>A podcast that exists only in tests.</description>\n"
            f"<itunes:author>{escape(self.AUTHOR)}</itunes:author>\n"
            f"<itunes:image href={quoteattr(self.url + '/images/show.jpg')}/>\n"
            + "".join(self._render_item(item) for item in items)
            + "</channel>\n</rss>\n"
        )

    def _render_item(self, episode: Episode) -> str:
        image = f"<itunes:image href={quoteattr(self.url + episode.image_path)}/>" if episode.image_path else ""
        return (
            f"<item><title>{escape(episode.title)}</title>"
            f'<enclosure url={quoteattr(self.url + episode.audio_path)} length="1024" type="audio/mpeg"/>'
            f'<guid isPermaLink="false">{escape(episode.guid)}</guid>'
            f"<pubDate>{format_datetime(episode.published)}</pubDate>"
            f"<itunes:duration>{_itunes_duration(episode.duration_s, episode.number)}</itunes:duration>"
            f"{image}</item>\n"
        )


@pytest.fixture
def fake_feeds(tones: ToneLibrary) -> Iterator[FakeFeeds]:
    feeds = FakeFeeds(tones).start()
    yield feeds
    feeds.stop()


@pytest.fixture
def ytdlp_settings(tmp_path: Path) -> Settings:
    """Tiny backoff and short waits so failure tests take milliseconds."""
    return Settings(data_dir=tmp_path, retry_backoff_s=0.001, max_retry_after_s=1.0, http_timeout_s=5.0)
