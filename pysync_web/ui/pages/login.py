"""The passcode page for devices on the network, and the route that turns a passcode into a session.

A NiceGUI event cannot set a cookie: it arrives over the websocket, long after the page's HTTP
response. So a correct passcode becomes a one-time ticket, and the browser is sent to SESSION_PATH,
a plain HTTP route that swaps the ticket for the signed session cookie and redirects onwards.
"""
from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app, run, ui

from pysync_web.errors import PySyncError
from pysync_web.services.passcodes import SESSION_MAX_AGE_S, PasscodeService
from pysync_web.ui.layout import APP_NAME, DARK_KEY
from pysync_web.ui.theme import apply_theme

LOGIN_PATH = "/login"
SESSION_PATH = "/login/session"
SESSION_COOKIE = "pysync_lan_session"
TICKET_TTL_S = 60.0

log = logging.getLogger(__name__)


class LoginTickets:
    """One-time tickets, each worth one session token, for a minute."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._tickets: dict[str, tuple[str, float]] = {}

    def issue(self, token: str) -> str:
        now = self._clock()
        self._tickets = {k: v for k, v in self._tickets.items() if v[1] > now}
        ticket = secrets.token_urlsafe(24)
        self._tickets[ticket] = (token, now + TICKET_TTL_S)
        return ticket

    def redeem(self, ticket: str) -> str | None:
        token, expires = self._tickets.pop(ticket, (None, 0.0))
        return token if expires > self._clock() else None


def safe_next(target: str | None) -> str:
    """Only a path on this server: a login page must not be a way to send people elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def client_host(request: Request) -> str:
    return request.client.host if request.client else ""


def register_login_page(passcodes: PasscodeService, is_trusted: Callable[[str], bool]) -> None:
    """Add LOGIN_PATH and SESSION_PATH to the app; `is_trusted` tells the clients that need no passcode."""
    tickets = LoginTickets()

    @ui.page(LOGIN_PATH, title=f"Sign in · {APP_NAME}")
    def login_page(request: Request) -> RedirectResponse | None:
        target = safe_next(request.query_params.get("next"))
        if is_trusted(client_host(request)) or passcodes.session_valid(request.cookies.get(SESSION_COOKIE)):
            return RedirectResponse(target, status_code=303)
        _login_form(passcodes, tickets, client_host(request), target)
        return None

    @app.get(SESSION_PATH, include_in_schema=False)
    def start_session(ticket: str = "", next: str = "/") -> RedirectResponse:  # noqa: A002 (query name)
        target = safe_next(next)
        token = tickets.redeem(ticket)
        if token is None:  # expired or used: ask again rather than fail
            return RedirectResponse(f"{LOGIN_PATH}?{urlencode({'next': target})}", status_code=303)
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(SESSION_COOKIE, token, max_age=SESSION_MAX_AGE_S, httponly=True, samesite="lax")
        return response


def _login_form(passcodes: PasscodeService, tickets: LoginTickets, client: str, target: str) -> None:
    apply_theme()
    ui.dark_mode(app.storage.user.get(DARK_KEY, False))
    with ui.column().classes("w-full min-h-screen items-center justify-center p-4"):
        with ui.card().classes("w-full max-w-sm p-6 gap-4"):
            with ui.row().classes("items-center gap-2 no-wrap"):
                ui.icon("graphic_eq", size="lg", color="primary")
                ui.label(APP_NAME).classes("text-h6")
            ui.label("Enter the passcode of the computer running PySync Hub. It was shown there when "
                     "LAN access first started; its Settings page can make a new one.").classes("opacity-80")
            code = ui.input("Passcode").props(
                'outlined autofocus inputmode=numeric autocomplete=one-time-code').classes("w-full") \
                .mark("passcode")
            error = ui.label().classes("text-negative").mark("login-error")
            error.set_visibility(False)
            button = ui.button("Sign in", icon="login").props("unelevated size=lg").classes("w-full") \
                .mark("sign-in")

    async def sign_in() -> None:
        error.set_visibility(False)
        button.props("loading")
        try:
            token = await run.io_bound(passcodes.sign_in, client, code.value or "")
        except PySyncError as problem:
            error.set_text(str(problem))
            error.set_visibility(True)
            return
        except Exception:  # noqa: BLE001 - the page shows a short message, the console the details
            log.exception("Checking a LAN passcode failed")
            error.set_text("The passcode could not be checked. See the console of PySync Hub.")
            error.set_visibility(True)
            return
        finally:
            button.props(remove="loading")
        ui.navigate.to(f"{SESSION_PATH}?{urlencode({'ticket': tickets.issue(token), 'next': target})}")

    button.on_click(sign_in)
    code.on("keydown.enter", sign_in)
