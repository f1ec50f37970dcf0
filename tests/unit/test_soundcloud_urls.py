"""Which SoundCloud links the client takes, under which canonical address, and what it says about the rest."""
from __future__ import annotations

import pytest

from pysync_web.errors import InvalidUrlError, UnsupportedUrlError
from pysync_web.models import Platform, PlaylistKind, PlaylistRef
from pysync_web.platforms.soundcloud import SoundCloudClient


@pytest.mark.parametrize("url, kind, external_id", [
    ("https://soundcloud.com/dj-someone/sets/summer-mix", PlaylistKind.PLAYLIST, "dj-someone/sets/summer-mix"),
    ("https://soundcloud.com/dj-someone/sets/summer-mix/", PlaylistKind.PLAYLIST, "dj-someone/sets/summer-mix"),
    ("https://m.soundcloud.com/dj-someone/sets/summer-mix?si=abc123&utm_source=clipboard&utm_medium=text",
     PlaylistKind.PLAYLIST, "dj-someone/sets/summer-mix"),
    ("http://www.SoundCloud.com/DJ-Someone/sets/Summer-Mix#t=0:10", PlaylistKind.PLAYLIST,
     "dj-someone/sets/summer-mix"),
    ("soundcloud.com/dj-someone/sets/summer-mix", PlaylistKind.PLAYLIST, "dj-someone/sets/summer-mix"),
    ("  https://soundcloud.com/dj_someone/sets/mix-2024\n", PlaylistKind.PLAYLIST, "dj_someone/sets/mix-2024"),
    # A private set's secret token is part of its address and is case-sensitive.
    ("https://soundcloud.com/dj-someone/sets/demos/s-AbC123xYz?si=1", PlaylistKind.PLAYLIST,
     "dj-someone/sets/demos/s-AbC123xYz"),
    ("https://soundcloud.com/dj-someone/likes", PlaylistKind.LIKES, "dj-someone/likes"),
    ("https://m.soundcloud.com/dj-someone/likes/?ref=clipboard", PlaylistKind.LIKES, "dj-someone/likes"),
    ("https://soundcloud.com/dj-someone", PlaylistKind.USER_TRACKS, "dj-someone/tracks"),
    ("https://soundcloud.com/dj-someone/", PlaylistKind.USER_TRACKS, "dj-someone/tracks"),
    ("https://soundcloud.com/dj-someone/tracks", PlaylistKind.USER_TRACKS, "dj-someone/tracks"),
    ("https://www.soundcloud.com/dj-someone/tracks?utm_campaign=social_sharing", PlaylistKind.USER_TRACKS,
     "dj-someone/tracks"),
])
def test_accepted_links_map_to_one_canonical_reference(url: str, kind: PlaylistKind, external_id: str) -> None:
    assert SoundCloudClient.claims(url)
    assert SoundCloudClient.parse_url(url) == PlaylistRef(
        Platform.SOUNDCLOUD, kind, external_id, f"https://soundcloud.com/{external_id}"
    )


def test_profile_and_its_tracks_tab_are_the_same_playlist() -> None:
    assert (SoundCloudClient.parse_url("https://soundcloud.com/someone")
            == SoundCloudClient.parse_url("https://m.soundcloud.com/someone/tracks/?si=x"))


@pytest.mark.parametrize("url", [
    "https://soundcloud.com/dj-someone/summer-anthem",
    "https://m.soundcloud.com/dj-someone/summer-anthem?si=abc&utm_source=clipboard",
    "https://soundcloud.com/dj-someone/private-demo/s-Xy12Ab",
])
def test_a_single_track_is_refused_with_what_to_paste(url: str) -> None:
    with pytest.raises(UnsupportedUrlError) as error:
        SoundCloudClient.parse_url(url)
    assert str(error.value) == (
        "That is a single SoundCloud track; paste a playlist (…/sets/…), likes or profile link"
    )


@pytest.mark.parametrize("url, says", [
    ("https://soundcloud.com/discover", "soundcloud.com/discover pages can't be synced"),
    ("https://soundcloud.com/discover/sets/charts-top:all-music", "soundcloud.com/discover pages"),
    ("https://soundcloud.com/search?q=techno", "soundcloud.com/search pages"),
    ("https://soundcloud.com/stream", "soundcloud.com/stream pages"),
    ("https://soundcloud.com/charts/top", "soundcloud.com/charts pages"),
    ("https://soundcloud.com/upload", "soundcloud.com/upload pages"),
    ("https://soundcloud.com/pages/privacy", "soundcloud.com/pages pages"),
    ("https://soundcloud.com/you/likes", "need a login"),
    ("https://soundcloud.com/", "home page"),
    ("https://soundcloud.com/dj-someone/reposts", "reposts tab can't be synced"),
    ("https://soundcloud.com/dj-someone/sets", "sets tab can't be synced"),
    ("https://soundcloud.com/dj-someone/albums", "albums tab"),
    ("https://soundcloud.com/dj-someone/summer-anthem/recommended", "can't be synced"),
    ("https://soundcloud.com/dj-someone/sets/summer-mix/extra/parts", "can't be synced"),
    ("https://on.soundcloud.com/aBcD1234", "open it in a browser"),
])
def test_other_soundcloud_pages_are_refused_with_a_reason(url: str, says: str) -> None:
    assert SoundCloudClient.claims(url)
    with pytest.raises(UnsupportedUrlError) as error:
        SoundCloudClient.parse_url(url)
    assert says in str(error.value)
    assert "likes or profile link" in str(error.value)


def test_a_malformed_profile_name_is_an_invalid_link() -> None:
    with pytest.raises(InvalidUrlError):
        SoundCloudClient.parse_url("https://soundcloud.com/not%20a%20name/sets/x")


@pytest.mark.parametrize("url", [
    "https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M",
    "https://www.youtube.com/playlist?list=PL123",
    "https://soundcloud.com.evil.example/user/sets/x",
    "https://notsoundcloud.com/user/sets/x",
    "ftp://soundcloud.com/user/sets/x",
    "https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/playlists/1",
    "https://[::1/broken",
    "",
])
def test_other_sites_are_not_claimed(url: str) -> None:
    assert not SoundCloudClient.claims(url)
