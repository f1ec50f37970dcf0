"""The Spotify login for Liked Songs: the two routes against the fake Spotify accounts service, the
state checks that refuse forged or replayed callbacks, and the Settings page's login status."""
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI

from pysync_web.config import Settings
from pysync_web.platforms.spotify_auth import SpotifyLogin, user_token_path
from pysync_web.services.app_services import AppServices
from pysync_web.services.settings_service import spotify_account
from pysync_web.ui.spotify_login import STATE_COOKIE, register_spotify_routes, spotify_login_router
from tests.fakes.spotify import FakeSpotify

APP_URL = "http://127.0.0.1:8080"


@pytest.fixture
def login_web(spotify_settings: Settings) -> FastAPI:
    """An app that serves only the login routes."""
    web = FastAPI()
    web.include_router(spotify_login_router(spotify_account(spotify_settings)))
    return web


@pytest.fixture
async def browser(login_web: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A browser on it, at the address Spotify accepts for plain http."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(login_web), base_url=APP_URL) as client:
        yield client


async def start(browser: httpx.AsyncClient) -> str:
    answer = await browser.get("/spotify/login")
    assert answer.status_code == 302
    return answer.headers["location"]


def settings_outcome(answer: httpx.Response) -> str:
    assert answer.status_code == 303
    location = urlsplit(answer.headers["location"])
    assert location.path == "/settings"
    return parse_qs(location.query)["spotify"][0]


async def test_login_round_trip_stores_the_token(browser, fake_spotify: FakeSpotify, spotify_settings):
    authorize_url = await start(browser)
    query = parse_qs(urlsplit(authorize_url).query)
    assert query["redirect_uri"] == [f"{APP_URL}/spotify/callback"]
    assert len(query["state"][0]) >= 32
    assert browser.cookies.get(STATE_COOKIE) == query["state"][0]

    code, state = fake_spotify.accounts.approve_login(authorize_url)
    answer = await browser.get("/spotify/callback", params={"code": code, "state": state})

    assert settings_outcome(answer) == "connected"
    assert SpotifyLogin(spotify_settings).is_logged_in()
    assert user_token_path(spotify_settings).is_file()


async def test_a_callback_from_another_browser_is_refused(browser, login_web, fake_spotify, spotify_settings):
    code, state = fake_spotify.accounts.approve_login(await start(browser))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(login_web), base_url=APP_URL) as stranger:
        answer = await stranger.get("/spotify/callback", params={"code": code, "state": state})
    assert settings_outcome(answer) == "failed"
    assert "not started here" in spotify_account(spotify_settings).take_failure()
    assert not SpotifyLogin(spotify_settings).is_logged_in()


async def test_a_made_up_or_replayed_state_is_refused(browser, fake_spotify, spotify_settings):
    code, _ = fake_spotify.accounts.approve_login(await start(browser))
    put_state_cookie(browser, "guessed")
    answer = await browser.get("/spotify/callback", params={"code": code, "state": "guessed"})
    assert settings_outcome(answer) == "failed"

    browser.cookies.clear()
    code, state = fake_spotify.accounts.approve_login(await start(browser))
    assert settings_outcome(await browser.get("/spotify/callback", params={"code": code, "state": state})) == \
        "connected"
    put_state_cookie(browser, state)  # the same callback link once more, cookie and all
    answer = await browser.get("/spotify/callback", params={"code": code, "state": state})
    assert settings_outcome(answer) == "failed"
    assert "not started here" in spotify_account(spotify_settings).take_failure()


def put_state_cookie(browser: httpx.AsyncClient, value: str) -> None:
    browser.cookies.clear()
    browser.cookies.set(STATE_COOKIE, value, domain="127.0.0.1", path="/spotify")


async def test_cancelling_on_spotify_says_so(browser, spotify_settings):
    authorize_url = await start(browser)
    state = parse_qs(urlsplit(authorize_url).query)["state"][0]
    answer = await browser.get("/spotify/callback", params={"error": "access_denied", "state": state})
    assert settings_outcome(answer) == "failed"
    assert spotify_account(spotify_settings).take_failure() == "The Spotify login was cancelled."


async def test_login_without_credentials_goes_back_to_settings_with_the_reason(browser, spotify_settings):
    spotify_settings.spotify_client_secret = ""
    assert settings_outcome(await browser.get("/spotify/login")) == "failed"
    assert "client id and secret first" in spotify_account(spotify_settings).take_failure()


# --- the Settings page ---------------------------------------------------------------------------------


@pytest.fixture
def spotify_ui(ui_services: AppServices, fake_spotify: FakeSpotify, tmp_path) -> Settings:
    """The page's live settings, pointed at the fake Spotify with its credentials."""
    fake = fake_spotify.settings(ui_services.settings.data_dir)
    for name in ("spotify_client_id", "spotify_client_secret", "spotify_api_url", "spotify_accounts_url"):
        setattr(ui_services.settings, name, getattr(fake, name))
    return ui_services.settings


async def test_the_page_shows_the_redirect_uri_and_why_spotify_would_refuse_it(app_user):
    await app_user.open("/settings")
    [uri] = app_user.find(marker="spotify-redirect-uri").elements
    assert uri.value == "http://test/spotify/callback"
    await app_user.should_see("Spotify accepts plain http only for 127.0.0.1")


async def test_log_in_through_the_app_then_log_out(context_user, ui_context, spotify_ui, fake_spotify):
    register_spotify_routes(ui_context)
    await context_user.open("/settings")
    await context_user.should_see("Not logged in.")
    await context_user.should_see(marker="spotify-login-button")

    answer = await context_user.http_client.get("/spotify/login")
    code, state = fake_spotify.accounts.approve_login(answer.headers["location"])
    answer = await context_user.http_client.get("/spotify/callback", params={"code": code, "state": state})
    assert answer.headers["location"].endswith("/settings?spotify=connected")

    await context_user.open("/settings?spotify=connected")
    await context_user.should_see("Logged in to Spotify: Liked Songs can be synced now.")
    await context_user.should_see("Logged in: your Liked Songs")
    context_user.find(marker="spotify-logout").click()
    await context_user.should_see("Not logged in.", retries=20)
    assert not user_token_path(spotify_ui).exists()


async def test_a_failed_login_shows_why_on_the_page(app_user, spotify_ui):
    spotify_account(spotify_ui).record_failure("Spotify refused the login (server_error); try again.")
    await app_user.open("/settings?spotify=failed")
    await app_user.should_see("Spotify refused the login (server_error); try again.")


async def test_without_credentials_the_page_asks_for_them_first(app_user):
    await app_user.open("/settings")
    await app_user.should_see("Save the client id and secret, then log in here")
    await app_user.should_not_see(marker="spotify-login-button")
