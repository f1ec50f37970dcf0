"""The Invidious provider against a fake instance: search, the audio URL, and what instances answer when unhappy."""
from __future__ import annotations

from pathlib import Path

import pytest

from pysync_web.config import Settings
from pysync_web.errors import PySyncError, RateLimitedError, ServiceUnavailableError
from pysync_web.models import Platform, Track
from pysync_web.providers.invidious import InvidiousProvider
from tests.fakes.invidious import FakeInvidious
from tests.fakes.server import Reply


def test_videos_found_become_candidates_that_download_through_the_instance(
    fake_invidious: FakeInvidious, invidious_settings: Settings
) -> None:
    video = fake_invidious.add_video("Daft Punk - Get Lucky (Official Audio)", "Daft Punk", seconds=369, views=586_431_207)
    fake_invidious.set_results("daft punk get lucky", [video, FakeInvidious.channel_item("Daft Punk")])

    [found] = InvidiousProvider(invidious_settings).search("daft punk get lucky")

    video_id = video["videoId"]
    assert found.as_dict() == {
        "url": f"{fake_invidious.url}/latest_version?id={video_id}&itag=140&local=true",
        "title": "Daft Punk - Get Lucky (Official Audio)", "channel": "Daft Punk", "duration": 369.0,
        "views": 586_431_207, "source": "youtube",
    }
    assert found.page_url == f"https://www.youtube.com/watch?v={video_id}"
    assert fake_invidious.server.requests_to("/api/v1/search")[0].query == {"q": "daft punk get lucky", "type": "video"}


def test_live_streams_and_premieres_are_left_out_and_the_limit_is_kept(
    fake_invidious: FakeInvidious, invidious_settings: Settings
) -> None:
    videos = [fake_invidious.add_video(f"Song {n}", "Artist") for n in range(4)]
    live = fake_invidious.add_video("Song radio", "Artist", lengthSeconds=0, liveNow=True)
    premiere = fake_invidious.add_video("Song (premiere)", "Artist", isUpcoming=True, premiereTimestamp=1_900_000_000)
    fake_invidious.set_results("song", [live, premiere, *videos])

    found = InvidiousProvider(invidious_settings).search("song", limit=3)

    assert [candidate.title for candidate in found] == ["Song 0", "Song 1", "Song 2"]


def test_a_track_is_searched_by_isrc_first(fake_invidious: FakeInvidious, invidious_settings: Settings) -> None:
    track = Track(platform=Platform.SPOTIFY, platform_id="1", title="Get Lucky", artists=["Daft Punk"], isrc="USQX91300108")
    InvidiousProvider(invidious_settings).search_track(track)
    assert [r.query["q"] for r in fake_invidious.server.requests_to("/api/v1/search")] == [
        "USQX91300108", "Daft Punk - Get Lucky"
    ]


def test_without_an_instance_url_it_says_which_setting_to_set(tmp_path: Path) -> None:
    with pytest.raises(PySyncError, match="Set PYSYNC_INVIDIOUS_URL"):
        InvidiousProvider(Settings(data_dir=tmp_path, invidious_url="  "))


def test_a_refusal_is_reported_with_the_instances_reason(fake_invidious: FakeInvidious, invidious_settings: Settings) -> None:
    fake_invidious.server.fail("/api/v1/search", Reply.json({"error": "Administrator has disabled this endpoint."}, 403))
    with pytest.raises(PySyncError, match=r"refused to search \(HTTP 403: Administrator has disabled this endpoint.\); "
                                          "try another instance"):
        InvidiousProvider(invidious_settings).search("anything")


def test_an_answer_that_is_no_search_result_is_reported(fake_invidious: FakeInvidious, invidious_settings: Settings) -> None:
    # Instances behind a bot wall answer 200 with an HTML page.
    fake_invidious.server.fail("/api/v1/search", Reply.text("<html><body>Checking your browser…</body></html>"))
    with pytest.raises(ServiceUnavailableError, match="did not answer with search results"):
        InvidiousProvider(invidious_settings).search("anything")


def test_server_errors_are_retried_and_long_rate_limits_reported(
    fake_invidious: FakeInvidious, invidious_settings: Settings
) -> None:
    provider = InvidiousProvider(invidious_settings)
    fake_invidious.server.fail("/api/v1/search", Reply.json({"error": "Internal Server Error"}, 500), times=2)
    assert provider.search("anything") == []
    assert len(fake_invidious.server.requests_to("/api/v1/search")) == 3
    fake_invidious.server.fail("/api/v1/search", Reply.json({}, 429, headers={"Retry-After": "900"}))
    with pytest.raises(RateLimitedError, match=f"The Invidious instance at {fake_invidious.url} rate limited us"):
        provider.search("anything")
