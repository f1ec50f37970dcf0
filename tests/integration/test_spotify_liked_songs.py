"""The Spotify login for Liked Songs: authorize, exchange, refresh, log out, and the errors between."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from pysync_web.config import Settings
from pysync_web.errors import CredentialsError
from pysync_web.models import RemotePlaylist
from pysync_web.platforms.spotify import SpotifyClient
from pysync_web.platforms.spotify_auth import SpotifyLogin, user_token_path
from tests.fakes.spotify import FakeSpotify
from tests.fakes.spotify_data import episode, local_track, make_tracks

LIKED_SONGS = "https://open.spotify.com/collection/tracks"
REDIRECT_URI = "http://127.0.0.1:8080/spotify/callback"


def fetch_liked(settings: Settings) -> RemotePlaylist:
    return SpotifyClient(settings).fetch_playlist(SpotifyClient.parse_url(LIKED_SONGS))


def log_in(fake: FakeSpotify, settings: Settings) -> SpotifyLogin:
    login = SpotifyLogin(settings)
    code, state = fake.accounts.approve_login(login.authorize_url(REDIRECT_URI, state="csrf-123"))
    assert state == "csrf-123"
    login.complete(REDIRECT_URI, code)
    return login


def expire_user_token(settings: Settings) -> None:
    path = user_token_path(settings)
    stored = json.loads(path.read_text())
    stored["token"]["expires_at"] = 0
    path.write_text(json.dumps(stored))


def test_authorize_url_carries_what_spotify_needs(spotify_settings: Settings) -> None:
    url = SpotifyLogin(spotify_settings).authorize_url(REDIRECT_URI, state="s")
    assert url.startswith(f"{spotify_settings.spotify_accounts_url}/authorize?")
    for part in ("client_id=test-client-id", "response_type=code", "scope=user-library-read", "state=s",
                 "redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fspotify%2Fcallback"):
        assert part in url


def test_liked_songs_after_login(fake_spotify: FakeSpotify, spotify_settings: Settings) -> None:
    fake_spotify.set_liked(make_tracks(120) + [None, local_track(1), episode(1)])
    login = log_in(fake_spotify, spotify_settings)
    assert login.is_logged_in()

    remote = fetch_liked(spotify_settings)

    assert (remote.name, remote.total, remote.snapshot_id) == ("Liked Songs", 123, None)
    tracks = remote.tracks or []
    assert [t.title for t in tracks] == [f"Track {n}" for n in range(1, 121)]
    assert tracks[0].added_at == datetime(2024, 1, 6, 2, tzinfo=UTC)  # newest first, as Spotify lists
    assert tracks[0].added_at > tracks[-1].added_at
    assert (remote.skipped.unavailable, remote.skipped.local_files, remote.skipped.episodes) == (1, 1, 1)
    pages = fake_spotify.api_requests("/v1/me/tracks")
    assert sorted(int(r.query["offset"]) for r in pages) == [0, 50, 100]
    assert {r.headers["authorization"].split()[1] for r in pages} <= {
        token for token, kind in fake_spotify.accounts.tokens.items() if kind == "user"
    }


def test_liked_songs_without_login_ask_for_it(fake_spotify: FakeSpotify, spotify_settings: Settings) -> None:
    with pytest.raises(CredentialsError, match="Liked Songs needs a Spotify login: open Settings → Spotify login"):
        fetch_liked(spotify_settings)
    assert fake_spotify.server.requests == []


def test_liked_songs_without_api_credentials_ask_for_login(
    fake_spotify: FakeSpotify, spotify_settings: Settings
) -> None:
    log_in(fake_spotify, spotify_settings)
    without = replace(spotify_settings, spotify_client_id="", spotify_client_secret="")
    with pytest.raises(CredentialsError, match="Liked Songs needs a Spotify login"):
        fetch_liked(without)
    with pytest.raises(CredentialsError, match="client id and secret"):
        SpotifyLogin(without).authorize_url(REDIRECT_URI, "s")


def test_expired_user_token_is_refreshed(fake_spotify: FakeSpotify, spotify_settings: Settings) -> None:
    fake_spotify.set_liked(make_tracks(3))
    log_in(fake_spotify, spotify_settings)
    expire_user_token(spotify_settings)

    assert len(fetch_liked(spotify_settings).tracks or []) == 3
    grants = [r.form()["grant_type"] for r in fake_spotify.server.requests_to("/api/token")]
    assert grants == ["authorization_code", "refresh_token"]


def test_revoked_login_asks_to_log_in_again(fake_spotify: FakeSpotify, spotify_settings: Settings) -> None:
    log_in(fake_spotify, spotify_settings)
    fake_spotify.accounts.refresh_tokens.clear()  # the user removed the app from their Spotify account
    expire_user_token(spotify_settings)

    with pytest.raises(CredentialsError, match="log in again in Settings → Spotify login"):
        fetch_liked(spotify_settings)


def test_a_login_code_works_once(fake_spotify: FakeSpotify, spotify_settings: Settings) -> None:
    login = SpotifyLogin(spotify_settings)
    code, _ = fake_spotify.accounts.approve_login(login.authorize_url(REDIRECT_URI, "s"))
    login.complete(REDIRECT_URI, code)
    login.logout()

    with pytest.raises(CredentialsError, match="log in again"):
        login.complete(REDIRECT_URI, code)
    assert not login.is_logged_in()


def test_logout_forgets_the_token(fake_spotify: FakeSpotify, spotify_settings: Settings) -> None:
    login = log_in(fake_spotify, spotify_settings)
    login.logout()

    assert not login.is_logged_in() and not user_token_path(spotify_settings).exists()
    with pytest.raises(CredentialsError, match="needs a Spotify login"):
        fetch_liked(spotify_settings)
    login.logout()  # logging out twice is harmless


def test_a_login_belongs_to_the_client_id_it_was_made_with(
    fake_spotify: FakeSpotify, spotify_settings: Settings
) -> None:
    log_in(fake_spotify, spotify_settings)
    fake_spotify.accounts.clients["second-app"] = "second-secret"
    other_app = replace(spotify_settings, spotify_client_id="second-app", spotify_client_secret="second-secret")

    assert not SpotifyLogin(other_app).is_logged_in()
    with pytest.raises(CredentialsError, match="needs a Spotify login"):
        fetch_liked(other_app)
