"""The real yt-dlp (generic extractor) against a fake podcast host: mapping, ordering and failures."""
from __future__ import annotations

import socket
import time

import pytest

from pysync_web.config import Settings
from pysync_web.errors import NotFoundError, RateLimitedError, ServiceUnavailableError, UnsupportedUrlError
from pysync_web.models import PlaylistKind, RemotePlaylist
from pysync_web.platforms.ytdlp import YtDlpClient
from tests.fakes.feeds import FakeFeeds
from tests.fakes.server import Reply


def fetch(settings: Settings, url: str) -> RemotePlaylist:
    return YtDlpClient(settings).fetch_playlist(YtDlpClient.parse_url(url))


def test_feed_episodes_keep_titles_durations_dates_and_feed_order(
    fake_feeds: FakeFeeds, ytdlp_settings: Settings
) -> None:
    url = fake_feeds.publish("/shows/fake-cast.rss", episodes=6)
    playlist = fetch(ytdlp_settings, url)

    assert playlist.ref.kind is PlaylistKind.FEED
    assert (playlist.name, playlist.total, playlist.skipped.total) == ("The Fake Cast", 6, 0)
    # yt-dlp's RSS reader drops the channel's itunes:author and itunes:image: no owner, and the cover
    # falls back to the newest episode's own image.
    assert playlist.owner == ""
    assert playlist.cover_url == f"{fake_feeds.url}/images/episode-6.jpg"
    expected = fake_feeds.published[url]  # newest first, as podcast feeds list them
    tracks = playlist.tracks or []
    assert [t.title for t in tracks] == [e.title for e in expected]
    # itunes:duration as HH:MM:SS, MM:SS and plain seconds all parse
    assert [t.duration_ms for t in tracks] == [e.duration_s * 1000 for e in expected]
    assert [t.added_at for t in tracks] == [e.published for e in expected]
    assert [t.release_date for t in tracks] == [e.published.date().isoformat() for e in expected]
    assert [t.audio_url for t in tracks] == [f"{fake_feeds.url}{e.audio_path}" for e in expected]
    assert [t.cover_url for t in tracks] == [e.image_path and f"{fake_feeds.url}{e.image_path}" for e in expected]
    assert {(tuple(t.artists), t.album) for t in tracks} == {(("The Fake Cast",), "The Fake Cast")}
    assert len({t.platform_id for t in tracks}) == 6


def test_episode_ids_stay_stable_when_new_episodes_arrive(fake_feeds: FakeFeeds, ytdlp_settings: Settings) -> None:
    url = fake_feeds.publish("/feed/podcast", episodes=2)
    before = [t.platform_id for t in fetch(ytdlp_settings, url).tracks or []]
    fake_feeds.publish("/feed/podcast", episodes=3)
    after = [t.platform_id for t in fetch(ytdlp_settings, url).tracks or []]

    assert after[1:] == before
    assert after[0] == f"{url}#fake-cast-episode-3"  # the guid, scoped to its feed


def test_missing_feed_is_not_found_without_retrying(fake_feeds: FakeFeeds, ytdlp_settings: Settings) -> None:
    with pytest.raises(NotFoundError, match="Nothing was found"):
        fetch(ytdlp_settings, fake_feeds.missing_url)
    assert len(fake_feeds.server.requests_to("/missing.rss")) == 1


def test_server_errors_give_up_quickly_after_a_few_tries(fake_feeds: FakeFeeds, ytdlp_settings: Settings) -> None:
    started = time.monotonic()
    with pytest.raises(ServiceUnavailableError, match="HTTP 500"):
        fetch(ytdlp_settings, fake_feeds.broken_url)
    assert time.monotonic() - started < 3
    assert len(fake_feeds.server.requests_to("/broken.rss")) == 3


def test_one_server_error_is_retried(fake_feeds: FakeFeeds, ytdlp_settings: Settings) -> None:
    url = fake_feeds.publish("/flaky.rss", episodes=1)
    fake_feeds.server.fail("/flaky.rss", Reply.text("busy", status=503))

    assert len(fetch(ytdlp_settings, url).tracks or []) == 1


def test_short_rate_limit_is_waited_out(fake_feeds: FakeFeeds, ytdlp_settings: Settings) -> None:
    url = fake_feeds.publish("/limited.rss", episodes=1)
    fake_feeds.server.fail("/limited.rss", Reply(429, b"slow down", {"Retry-After": "0"}))

    assert len(fetch(ytdlp_settings, url).tracks or []) == 1
    assert len(fake_feeds.server.requests_to("/limited.rss")) == 2


def test_long_rate_limit_is_reported_without_sleeping(fake_feeds: FakeFeeds, ytdlp_settings: Settings) -> None:
    url = fake_feeds.publish("/limited.rss", episodes=1)
    fake_feeds.server.fail("/limited.rss", Reply(429, b"slow down", {"Retry-After": "3600"}))

    started = time.monotonic()
    with pytest.raises(RateLimitedError, match="rate limited us until"):
        fetch(ytdlp_settings, url)
    assert time.monotonic() - started < 2


def test_a_web_page_at_a_feed_like_path_is_rejected(fake_feeds: FakeFeeds, ytdlp_settings: Settings) -> None:
    fake_feeds.server.route("GET", "/blog/feed", lambda request: Reply.text("<html><body>No feed</body></html>"))

    with pytest.raises(UnsupportedUrlError, match="No playlist or podcast feed was found"):
        fetch(ytdlp_settings, f"{fake_feeds.url}/blog/feed")


def test_unreachable_host_is_unavailable_quickly(ytdlp_settings: Settings) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    started = time.monotonic()
    with pytest.raises(ServiceUnavailableError, match="tried 3 times"):
        fetch(ytdlp_settings, f"http://127.0.0.1:{port}/podcast.rss")
    assert time.monotonic() - started < 3
