"""The SoundCloud provider against the fake api-v2: what a search finds, and what it leaves out."""
from __future__ import annotations

import pytest

from pysync_web.config import Settings
from pysync_web.errors import CredentialsError, RateLimitedError, ServiceUnavailableError
from pysync_web.models import Platform, Track
from pysync_web.providers.base import Candidate
from pysync_web.providers.soundcloud import SoundCloudProvider
from tests.fakes.server import Reply
from tests.fakes.soundcloud import CLIENT_ID, FakeSoundCloud


def test_tracks_found_become_candidates(fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings) -> None:
    user = fake_soundcloud.add_user("kaytranada", "KAYTRANADA")
    [track] = fake_soundcloud.add_tracks(user, 1, title="Glowed Up (Edit)", duration=213_467, playback_count=4_210_377)
    fake_soundcloud.add_tracks(user, 1, title="Something else")

    found = SoundCloudProvider(soundcloud_settings).search("glowed up")

    assert found == [Candidate(url=track["permalink_url"], title="Glowed Up (Edit)", channel="KAYTRANADA",
                               duration=213.467, views=4_210_377, source="soundcloud", page_url=track["permalink_url"])]
    [request] = fake_soundcloud.server.requests_to("/search/tracks")
    assert request.query == {"q": "glowed up", "limit": "10", "client_id": CLIENT_ID}  # the id was discovered


def test_blocked_tracks_and_go_plus_previews_are_left_out(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings
) -> None:
    user = fake_soundcloud.add_user("label")
    [playable] = fake_soundcloud.add_tracks(user, 1, title="Song")
    fake_soundcloud.add_tracks(user, 1, title="Song", policy="BLOCK")
    fake_soundcloud.add_tracks(user, 1, title="Song", policy="SNIP")  # Go+: 30-second previews only
    [drm_only] = fake_soundcloud.add_tracks(user, 1, title="Song")
    drm_only["media"]["transcodings"] = [
        {**t, "format": {**t["format"], "protocol": "ctr-encrypted-hls"}} for t in drm_only["media"]["transcodings"]
    ]

    found = SoundCloudProvider(soundcloud_settings).search("song", limit=5)

    assert [candidate.url for candidate in found] == [playable["permalink_url"]]
    assert fake_soundcloud.server.requests_to("/search/tracks")[0].query["limit"] == "5"


def test_a_track_is_searched_by_artists_and_title_only(fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings) -> None:
    track = Track(platform=Platform.SPOTIFY, platform_id="1", title="Glowed Up", artists=["KAYTRANADA", "Anderson .Paak"],
                  isrc="GBKPL1625421")
    SoundCloudProvider(soundcloud_settings).search_track(track)
    assert [r.query["q"] for r in fake_soundcloud.server.requests_to("/search/tracks")] == [
        "KAYTRANADA, Anderson .Paak - Glowed Up"
    ]


def test_failures_are_the_soundcloud_client_ones(fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings) -> None:
    provider = SoundCloudProvider(soundcloud_settings)
    fake_soundcloud.server.fail("/search/tracks", Reply.json({}, status=503), times=3)
    with pytest.raises(ServiceUnavailableError, match="SoundCloud is not answering properly"):
        provider.search("anything")
    fake_soundcloud.server.fail("/search/tracks", Reply.json({}, status=429, headers={"Retry-After": "3600"}))
    with pytest.raises(RateLimitedError, match="SoundCloud rate limited us"):
        provider.search("anything")
    soundcloud_settings.soundcloud_client_id = "wrongwrongwrongwrongwrongwrong00"
    with pytest.raises(CredentialsError, match="client id is invalid"):
        provider.search("anything")
