"""Settings for the platforms: Spotify's app credentials and login, SoundCloud's client id.

The Spotify secret is write-only here: its input always starts empty and only a hint of the saved
one (its last characters) reaches the browser.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

from nicegui import run, ui

from pysync_web.errors import PySyncError
from pysync_web.services.settings_service import SpotifyAccount, redirect_uri_problem
from pysync_web.ui.pages.settings_form import SECRET, SettingsForm, section
from pysync_web.ui.spotify_login import CONNECTED, FAILED, callback_url, login_url

log = logging.getLogger(__name__)

SPOTIFY_DASHBOARD = "https://developer.spotify.com/dashboard"


def spotify_section(form: SettingsForm, account: SpotifyAccount, base_url: str, login_outcome: str) -> None:
    redirect_uri = callback_url(base_url)
    with section("Spotify", "album", "settings-spotify",
                 "With your own Spotify app's client id and secret, playlists are read through the Web API "
                 "(every track, ISRCs, any length). Without them, public playlists are read from Spotify's "
                 "embed page."):
        with ui.row().classes("items-center gap-1 text-body2"):
            ui.label("Create an app at")
            ui.link("developer.spotify.com/dashboard", SPOTIFY_DASHBOARD, new_tab=True)
            ui.label("and add this redirect URI to it:")
        with ui.row().classes("w-full items-center gap-2 no-wrap"):
            ui.input(value=redirect_uri).props("outlined dense readonly").classes("grow font-mono") \
                .mark("spotify-redirect-uri")
            ui.button(icon="content_copy", on_click=lambda: _copy(redirect_uri)).props("flat round") \
                .classes("w-10 h-10").tooltip("Copy")
        problem = redirect_uri_problem(redirect_uri)
        if problem:
            ui.label(problem).classes("text-warning text-body2").mark("spotify-redirect-problem")
        with ui.grid().classes("w-full gap-3 grid-cols-1 md:grid-cols-2"):
            form.field("spotify_client_id", ui.input("Client id").props("outlined clearable"))
            secret = form.field(SECRET, ui.input("Client secret", password=True, password_toggle_button=True)
                                .props("outlined autocomplete=new-password"))
        _show_secret_hint(secret, form)

        @ui.refreshable
        def login() -> None:
            _login_status(account, base_url, login.refresh)

        login()
        form.on_saved.append(lambda _: (_show_secret_hint(secret, form), login.refresh()))
    _announce_login_outcome(account, login_outcome)


def _show_secret_hint(secret: ui.input, form: SettingsForm) -> None:
    """Below the (always empty) secret input: whether one is saved, by its last characters only."""
    if SECRET in form.overrides:
        return  # the hint says which environment variable sets it
    saved = form.service.secret_hint()
    secret.props["hint"] = f"{saved[:1].upper()}{saved[1:]}. Type a new one to replace it." if saved \
        else "Not saved yet."


def _login_status(account: SpotifyAccount, base_url: str, refresh: Callable[[], None]) -> None:
    with ui.row().classes("w-full items-center gap-3").mark("spotify-login"):
        if not account.settings.has_spotify_credentials:
            _status_line("key_off", "opacity-70",
                         "Save the client id and secret, then log in here to sync your Liked Songs.")
            return
        if account.is_logged_in():
            _status_line("check_circle", "text-positive",
                         "Logged in: your Liked Songs (open.spotify.com/collection/tracks) can be added.")

            async def log_out() -> None:
                await run.io_bound(account.logout)
                ui.notify("Logged out of Spotify. Liked Songs no longer sync until you log in again.")
                refresh()

            ui.button("Log out", icon="logout", on_click=log_out).props("outline").classes("min-h-[40px]") \
                .mark("spotify-logout")
            return
        _status_line("account_circle", "opacity-70",
                     "Not logged in. Log in to sync your Liked Songs; PySync Hub only reads them.")
        ui.button("Log in with Spotify", icon="login", on_click=lambda: ui.navigate.to(login_url(base_url))) \
            .props("unelevated color=positive").classes("min-h-[40px]").mark("spotify-login-button")


def _status_line(icon: str, icon_classes: str, text: str) -> None:
    with ui.row().classes("grow items-center gap-3 no-wrap min-w-[60%]"):
        ui.icon(icon, size="sm").classes(icon_classes)
        ui.label(text).classes("text-body2").mark("spotify-login-status")


def _announce_login_outcome(account: SpotifyAccount, outcome: str) -> None:
    """Spotify's redirect comes back to /settings?spotify=…: say how the login went."""
    if outcome == CONNECTED:
        ui.notify("Logged in to Spotify: Liked Songs can be synced now.", type="positive")
    elif outcome == FAILED:
        ui.notify(account.take_failure() or "The Spotify login did not finish; try again.", type="negative",
                  multi_line=True)


def _copy(text: str) -> None:
    ui.clipboard.write(text)
    ui.notify("Copied the redirect URI.")


def soundcloud_section(form: SettingsForm) -> None:
    service = form.service
    with section("SoundCloud", "cloud", "settings-soundcloud",
                 "SoundCloud hands out no new API keys, so PySync Hub uses the client id of soundcloud.com's "
                 "own web app: obtained automatically and renewed when SoundCloud changes it."):
        form.field("soundcloud_client_id", ui.input("Client id (optional)",
                                                     placeholder="Empty: obtained automatically")
                   .props("outlined clearable").classes("w-full"),
                   hint="Only set one if the automatic one stops working.")

        @ui.refreshable
        def obtained() -> None:
            client_id = service.soundcloud_obtained_id()
            text = (f"Obtained automatically: {client_id} (used while the field above is empty)." if client_id
                    else "None obtained yet: one is fetched from soundcloud.com with the first SoundCloud link.")
            ui.label(text).classes("text-body2 opacity-80 break-anywhere").mark("soundcloud-obtained")

        async def obtain() -> None:
            button.props("loading")
            try:
                await run.io_bound(service.obtain_soundcloud_client_id)
            except PySyncError as error:
                ui.notify(str(error), type="warning", multi_line=True)
                return
            except Exception:
                log.exception("obtaining a SoundCloud client id failed")
                ui.notify("Could not obtain a SoundCloud client id; the log has details.", type="negative")
                return
            finally:
                button.props(remove="loading")
            obtained.refresh()
            ui.notify("Obtained a SoundCloud client id from soundcloud.com.", type="positive")

        with ui.row().classes("w-full items-center gap-3"):
            with ui.column().classes("grow min-w-0 gap-0"):
                obtained()
            button = ui.button("Obtain automatically", icon="autorenew", on_click=obtain).props("outline") \
                .classes("min-h-[40px]").mark("soundcloud-obtain")
