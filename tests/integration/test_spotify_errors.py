"""What users see when Spotify says no, slows us down or breaks; and where tokens are kept."""
from __future__ import annotations

import base64
import os
import stat
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from pysync_web.config import Settings
from pysync_web.errors import (
    AccessDeniedError, CredentialsError, NotFoundError, RateLimitedError, ServiceUnavailableError,
)
from pysync_web.models import RemotePlaylist
from pysync_web.platforms.spotify import SpotifyClient
from pysync_web.platforms.spotify_auth import SpotifyLogin
from tests.fakes.server import Reply
from tests.fakes.spotify import FakeSpotify, api_error
from tests.fakes.spotify_data import make_tracks

MISSING_ID = "0000000000000000000000"


def fetch(settings: Settings, url: str) -> RemotePlaylist:
    return SpotifyClient(settings).fetch_playlist(SpotifyClient.parse_url(url))


@pytest.fixture
def playlist_url(fake_spotify: FakeSpotify) -> str:
    return f"https://open.spotify.com/playlist/{fake_spotify.add_playlist(make_tracks(150))}"


def rate_limited(retry_after: str) -> Reply:
    reply = api_error(429, "API rate limit exceeded")
    reply.headers["Retry-After"] = retry_after
    return reply


def test_unknown_playlist_is_not_found(fake_spotify: FakeSpotify, spotify_settings: Settings) -> None:
    with pytest.raises(NotFoundError, match=f"Spotify has no playlist with id {MISSING_ID} — check the link"):
        fetch(spotify_settings, f"spotify:playlist:{MISSING_ID}")


def test_unknown_album_is_not_found(fake_spotify: FakeSpotify, spotify_settings: Settings) -> None:
    with pytest.raises(NotFoundError, match=f"no album with id {MISSING_ID}"):
        fetch(spotify_settings, f"spotify:album:{MISSING_ID}")


def test_private_playlist_is_explained(fake_spotify: FakeSpotify, spotify_settings: Settings) -> None:
    playlist_id = fake_spotify.add_playlist(make_tracks(3), private=True)
    with pytest.raises(AccessDeniedError, match="private"):
        fetch(spotify_settings, f"spotify:playlist:{playlist_id}")


def test_wrong_secret_names_the_settings_and_is_not_retried(
    fake_spotify: FakeSpotify, spotify_settings: Settings, playlist_url: str
) -> None:
    wrong = replace(spotify_settings, spotify_client_secret="nope")
    with pytest.raises(CredentialsError, match="SPOTIPY_CLIENT_ID / SPOTIPY_CLIENT_SECRET"):
        fetch(wrong, playlist_url)
    assert len(fake_spotify.server.requests_to("/api/token")) == 1


def test_api_401_is_a_credentials_error(
    fake_spotify: FakeSpotify, spotify_settings: Settings, playlist_url: str
) -> None:
    fake_spotify.server.fail(r"^/v1/", api_error(401, "Invalid access token"))
    with pytest.raises(CredentialsError, match="rejected the client id/secret"):
        fetch(spotify_settings, playlist_url)


def test_short_rate_limit_is_waited_out(
    fake_spotify: FakeSpotify, spotify_settings: Settings, playlist_url: str
) -> None:
    fake_spotify.server.fail(r"^/v1/playlists/\w+$", rate_limited("0"))
    fake_spotify.server.fail(r"/items$", rate_limited("0"))

    remote = fetch(spotify_settings, playlist_url)

    assert len(remote.tracks or []) == 150
    assert len(fake_spotify.api_requests(r"^/v1/playlists/\w+$")) == 2


def test_long_rate_limit_fails_at_once_saying_until_when(
    fake_spotify: FakeSpotify, spotify_settings: Settings, playlist_url: str
) -> None:
    fake_spotify.server.fail(r"^/v1/", rate_limited("3600"))
    started = time.perf_counter()

    with pytest.raises(RateLimitedError) as error:
        fetch(spotify_settings, playlist_url)

    assert time.perf_counter() - started < 2  # no sleeping through the hour
    assert abs(error.value.until - (datetime.now() + timedelta(hours=1))) < timedelta(minutes=1)
    assert "Spotify rate limited us until" in str(error.value)


def test_rate_limit_on_a_later_page_stops_the_whole_fetch(
    fake_spotify: FakeSpotify, spotify_settings: Settings
) -> None:
    playlist_id = fake_spotify.add_playlist(make_tracks(1000))
    fake_spotify.fail_page(500, rate_limited("3600"))

    with pytest.raises(RateLimitedError):
        fetch(spotify_settings, f"spotify:playlist:{playlist_id}")


def test_a_failing_page_is_retried_on_its_own(fake_spotify: FakeSpotify, spotify_settings: Settings) -> None:
    playlist_id = fake_spotify.add_playlist(make_tracks(1000))
    fake_spotify.fail_page(300, api_error(503, "Service unavailable"), times=2)

    remote = fetch(spotify_settings, f"spotify:playlist:{playlist_id}")

    assert [t.title for t in remote.tracks or []] == [f"Track {n}" for n in range(1, 1001)]
    offsets = [int(r.query["offset"]) for r in fake_spotify.api_requests(r"/items$")]
    assert offsets.count(300) == 3 and all(offsets.count(o) == 1 for o in set(offsets) - {300})


def test_server_errors_are_retried(fake_spotify: FakeSpotify, spotify_settings: Settings, playlist_url: str) -> None:
    fake_spotify.server.fail(r"/items$", api_error(500, "Server error"), times=2)

    remote = fetch(spotify_settings, playlist_url)

    assert len(remote.tracks or []) == 150


def test_lasting_server_errors_give_up_clearly(
    fake_spotify: FakeSpotify, spotify_settings: Settings, playlist_url: str
) -> None:
    fake_spotify.server.fail(r"^/v1/", Reply.text("<html>Bad gateway</html>", status=502), times=100)

    with pytest.raises(ServiceUnavailableError, match="Spotify is not answering properly .*tried 3 times"):
        fetch(spotify_settings, playlist_url)
    assert len(fake_spotify.api_requests()) == 3


def test_token_service_hiccup_is_retried(
    fake_spotify: FakeSpotify, spotify_settings: Settings, playlist_url: str
) -> None:
    fake_spotify.server.fail("/api/token", Reply.text("<html>upstream error</html>", status=503))

    assert len(fetch(spotify_settings, playlist_url).tracks or []) == 150
    assert len(fake_spotify.server.requests_to("/api/token")) == 2


def test_no_connection_is_service_unavailable(spotify_settings: Settings) -> None:
    closed = replace(
        spotify_settings, spotify_accounts_url="http://127.0.0.1:9", spotify_api_url="http://127.0.0.1:9/v1"
    )
    with pytest.raises(ServiceUnavailableError, match="ConnectionError"):
        fetch(closed, f"spotify:playlist:{MISSING_ID}")


def test_a_changed_client_id_or_secret_is_used_at_once(
    fake_spotify: FakeSpotify, spotify_settings: Settings, playlist_url: str
) -> None:
    fetch(spotify_settings, playlist_url)  # caches a token for the first credentials
    with pytest.raises(CredentialsError):
        fetch(replace(spotify_settings, spotify_client_secret="revoked"), playlist_url)

    fake_spotify.accounts.clients["second-app"] = "second-secret"
    second_app = replace(spotify_settings, spotify_client_id="second-app", spotify_client_secret="second-secret")
    fetch(second_app, playlist_url)

    last_token_request = fake_spotify.server.requests_to("/api/token")[-1]
    credentials = base64.b64decode(last_token_request.headers["authorization"].split()[1]).decode()
    assert credentials == "second-app:second-secret"


def test_tokens_live_in_the_data_dir_not_the_working_dir(
    fake_spotify: FakeSpotify, spotify_settings: Settings, playlist_url: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    working_dir = tmp_path / "cwd"
    working_dir.mkdir()
    monkeypatch.chdir(working_dir)
    login = SpotifyLogin(spotify_settings)
    redirect_uri = "http://127.0.0.1:8080/spotify/callback"
    code, _ = fake_spotify.accounts.approve_login(login.authorize_url(redirect_uri, "state"))
    login.complete(redirect_uri, code)
    fake_spotify.set_liked(make_tracks(3))

    fetch(spotify_settings, playlist_url)
    fetch(spotify_settings, "https://open.spotify.com/collection/tracks")

    assert os.listdir(working_dir) == []
    token_dir = spotify_settings.data_dir / "spotify"
    assert sorted(os.listdir(token_dir)) == ["app_token.json", "user_token.json"]
    for token_file in token_dir.iterdir():
        assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
