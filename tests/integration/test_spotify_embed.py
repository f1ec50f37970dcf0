"""Without API credentials (or when the API will not list a playlist): the public embed page."""
from __future__ import annotations

from dataclasses import replace

import pytest

from pysync_web.config import Settings
from pysync_web.errors import NotFoundError, PySyncError, ServiceUnavailableError
from pysync_web.models import RemotePlaylist
from pysync_web.platforms.spotify import SpotifyClient
from tests.fakes.server import Reply
from tests.fakes.spotify import FakeSpotify, api_error
from tests.fakes.spotify_data import episode, local_track, make_track, make_tracks


@pytest.fixture
def no_credentials(spotify_settings: Settings) -> Settings:
    return replace(spotify_settings, spotify_client_id="", spotify_client_secret="")


def fetch(settings: Settings, url: str, known_snapshot_id: str | None = None) -> RemotePlaylist:
    return SpotifyClient(settings).fetch_playlist(SpotifyClient.parse_url(url), known_snapshot_id)


def test_public_playlist_from_the_embed_page(fake_spotify: FakeSpotify, no_credentials: Settings) -> None:
    track = make_track(5, artists=[{"name": "Ana"}, {"name": "Bo"}])
    playlist_id = fake_spotify.add_playlist([track, local_track(1), episode(2)] + make_tracks(150, start=10),
                                            name="Road Trip", owner="Dana", snapshot_id="s1")

    remote = fetch(no_credentials, f"https://open.spotify.com/playlist/{playlist_id}", known_snapshot_id="s1")

    assert remote.notice == (
        "No Spotify API credentials: read from the public embed page — no ISRC/album, at most 100 tracks. "
        "Liked Songs are unavailable too. Add a client id and secret in Settings for full sync."
    )
    assert (remote.name, remote.owner, remote.snapshot_id, remote.total) == ("Road Trip", "Dana", None, None)
    assert remote.cover_url and remote.cover_url.endswith("-640")
    tracks = remote.tracks or []
    assert len(tracks) == 98  # the page lists 100 entries, two of which are not tracks
    assert (remote.skipped.local_files, remote.skipped.episodes) == (1, 1)
    first = tracks[0]
    assert (first.platform_id, first.title, first.artists, first.duration_ms) == (
        "t000000000000000000005", "Track 5", ["Ana", "Bo"], 180_005
    )
    assert (first.album, first.isrc, first.url) == ("", None, "https://open.spotify.com/track/t000000000000000000005")
    assert fake_spotify.api_requests() == [] and fake_spotify.server.requests_to("/api/token") == []


def test_album_from_the_embed_page(fake_spotify: FakeSpotify, no_credentials: Settings) -> None:
    album_id = fake_spotify.add_album(make_tracks(12), name="Greatest Hits", artists=("The Band",),
                                      release_date="2021-03-05")

    remote = fetch(no_credentials, f"spotify:album:{album_id}")

    assert remote.notice and "no ISRCs" in remote.notice
    tracks = remote.tracks or []
    assert len(tracks) == 12
    assert {(t.album, t.album_artist, t.release_date) for t in tracks} == {("Greatest Hits", "The Band", "2021-03-05")}
    assert tracks[0].cover_url == remote.cover_url


def test_missing_playlist_on_the_embed_page(fake_spotify: FakeSpotify, no_credentials: Settings) -> None:
    with pytest.raises(NotFoundError, match="no playlist with id 0000000000000000000000"):
        fetch(no_credentials, "spotify:playlist:0000000000000000000000")


@pytest.mark.parametrize("page", [
    "<html><body>A new design without data</body></html>",
    '<script id="__NEXT_DATA__" type="application/json">{"props": {"pageProps": </script>',
    '<script id="__NEXT_DATA__" type="application/json">{"props": {"pageProps": {"state": {}}}}</script>',
])
def test_an_unreadable_embed_page_says_so(fake_spotify: FakeSpotify, no_credentials: Settings, page: str) -> None:
    playlist_id = fake_spotify.add_playlist(make_tracks(2))
    fake_spotify.server.fail("/embed/", Reply.text(page))

    with pytest.raises(PySyncError, match="has no track list we can read") as error:
        fetch(no_credentials, f"spotify:playlist:{playlist_id}")
    assert type(error.value) is PySyncError


def test_embed_page_errors_are_retried_then_reported(fake_spotify: FakeSpotify, no_credentials: Settings) -> None:
    playlist_id = fake_spotify.add_playlist(make_tracks(2))
    fake_spotify.server.fail("/embed/", Reply.text("busy", status=503), times=2)
    assert len(fetch(no_credentials, f"spotify:playlist:{playlist_id}").tracks or []) == 2

    fake_spotify.server.fail("/embed/", Reply.text("busy", status=503), times=10)
    with pytest.raises(ServiceUnavailableError):
        fetch(no_credentials, f"spotify:playlist:{playlist_id}")


def test_api_refusing_the_items_falls_back_to_the_embed_page(
    fake_spotify: FakeSpotify, spotify_settings: Settings
) -> None:
    playlist_id = fake_spotify.add_playlist(make_tracks(30), snapshot_id="s1")
    fake_spotify.server.fail(r"/items$", api_error(403, "Forbidden"))

    remote = fetch(spotify_settings, f"spotify:playlist:{playlist_id}")

    assert len(remote.tracks or []) == 30
    assert remote.notice and remote.notice.startswith("Spotify's API would not list this playlist's tracks")
    assert remote.snapshot_id is None  # so the next sync reads the playlist again
