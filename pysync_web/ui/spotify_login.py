"""The Spotify login's two web routes: /spotify/login sends the browser to Spotify, which sends it back
to /spotify/callback with a code; the code becomes a token in the data dir and the browser returns to
Settings, told how it went by `?spotify=connected` or `?spotify=failed`.

The login's `state` goes to Spotify and, as a cookie, into the browser; the callback wants both to
match a login this app started, so a forged or replayed callback link cannot attach someone else's
Spotify account.
"""
from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from nicegui import app
from starlette.concurrency import run_in_threadpool

from pysync_web.errors import PySyncError
from pysync_web.services.settings_service import SpotifyAccount, spotify_account
from pysync_web.ui.context import AppContext

log = logging.getLogger(__name__)

LOGIN_PATH = "/spotify/login"
CALLBACK_PATH = "/spotify/callback"
SETTINGS_PATH = "/settings"
OUTCOME_PARAM = "spotify"  # /settings?spotify=connected|failed
CONNECTED, FAILED = "connected", "failed"
STATE_COOKIE = "pysync_spotify_state"
_STATE_COOKIE_PATH = "/spotify"  # sent with the callback only


def callback_url(base_url: str) -> str:
    """The redirect URI for this app as the browser reaches it (register it in the Spotify app)."""
    return base_url.rstrip("/") + CALLBACK_PATH


def login_url(base_url: str) -> str:
    return base_url.rstrip("/") + LOGIN_PATH


def spotify_login_router(account: SpotifyAccount) -> APIRouter:
    router = APIRouter()

    @router.get(LOGIN_PATH, include_in_schema=False)
    async def start_login(request: Request) -> RedirectResponse:
        try:
            authorize_url, state = account.start_login(callback_url(str(request.base_url)))
        except PySyncError as error:  # no client id or secret yet
            account.record_failure(str(error))
            return _back_to_settings(request, FAILED)
        response = RedirectResponse(authorize_url, status_code=302)
        # Lax: the browser sends it on Spotify's top-level redirect back to us, not on cross-site requests.
        response.set_cookie(STATE_COOKIE, state, max_age=int(SpotifyAccount.STATE_TTL_S), httponly=True,
                            samesite="lax", secure=request.url.scheme == "https", path=_STATE_COOKIE_PATH)
        return response

    @router.get(CALLBACK_PATH, include_in_schema=False)
    async def finish_login(request: Request, code: str = "", state: str = "", error: str = "") -> RedirectResponse:
        outcome = CONNECTED
        try:
            await run_in_threadpool(account.finish_login, state, request.cookies.get(STATE_COOKIE, ""), code, error)
        except PySyncError:
            outcome = FAILED  # the account keeps the message for the Settings page
        except Exception:
            log.exception("Spotify login failed unexpectedly")
            account.record_failure("The Spotify login failed unexpectedly; try again (the log has details).")
            outcome = FAILED
        response = _back_to_settings(request, outcome)
        response.delete_cookie(STATE_COOKIE, path=_STATE_COOKIE_PATH)
        return response

    return router


def register_spotify_routes(context: AppContext) -> None:
    """Add the login routes to the web app; call once, before it starts."""
    app.include_router(spotify_login_router(spotify_account(context.services.settings)))


def _back_to_settings(request: Request, outcome: str) -> RedirectResponse:
    target = str(request.base_url).rstrip("/") + f"{SETTINGS_PATH}?{OUTCOME_PARAM}={outcome}"
    return RedirectResponse(target, status_code=303)
