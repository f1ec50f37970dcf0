"""Settings: platform credentials and the Spotify login, where and how audio is downloaded, the
scheduled sync and LAN access. Saved to settings.json in the data dir and applied at once, except
what the web server reads at start (the page says which).

The sections live in settings_accounts.py and settings_downloads.py; settings_form.py holds the
values being edited and saving them.
"""
from __future__ import annotations

from nicegui import ui

from pysync_web.services.settings_service import SaveResult, spotify_account
from pysync_web.ui.context import AppContext
from pysync_web.ui.lan_access import lan_section
from pysync_web.ui.layout import frame
from pysync_web.ui.pages.settings_accounts import soundcloud_section, spotify_section
from pysync_web.ui.pages.settings_downloads import downloads_section, schedule_section
from pysync_web.ui.pages.settings_form import SettingsForm, section

RESTART_NOTE = "LAN access and the port take effect when PySync Hub is restarted."


def settings_page(context: AppContext, spotify: str = "") -> None:
    """`spotify` is how a Spotify login ended (the login callback redirects to /settings?spotify=…)."""
    form = SettingsForm(context.services.settings_service)
    form.on_saved.append(lambda result: _apply_to_queue(context, result))
    # Quasar draws a field's hint in a fixed-height strip, so a hint that wraps on a phone would run
    # into the next field; here hints take the room they need.
    ui.add_css(".pysync-settings .q-field__bottom { position: static; transform: none; min-height: 20px; }"
               " .pysync-settings .q-field--with-bottom { padding-bottom: 0; }")
    with frame("Settings"), ui.column().classes("pysync-settings w-full gap-4"):
        spotify_section(form, spotify_account(context.services.settings), _base_url(), spotify)
        soundcloud_section(form)
        downloads_section(form)
        schedule_section(form)
        lan_access_section(context, form)
        ui.element().classes("h-16")  # room below the last card, so the floating button covers nothing
    with ui.page_sticky(position="bottom-right", x_offset=16, y_offset=16):
        ui.button("Save", icon="save", on_click=form.save).props("unelevated rounded size=lg color=primary") \
            .mark("save-settings")


def lan_access_section(context: AppContext, form: SettingsForm) -> None:
    """Reaching PySync Hub from other devices: the switch and the port (both wait for a restart), then
    the addresses, QR code and passcode while LAN access is on (ui/lan_access.py draws those)."""
    with section("LAN access", "wifi", "settings-lan",
                 "Open PySync Hub from your phone or another computer on the same network. Other devices "
                 "need a passcode; this computer does not."):
        with ui.row().classes("w-full items-center gap-x-6 gap-y-2"):
            form.field("lan_access", ui.switch("Allow other devices on my network"))
            form.field("port", ui.number("Port", min=1, max=65535, step=1, precision=0).props("outlined dense")
                       .classes("w-32"))
        ui.label(RESTART_NOTE).classes("text-caption opacity-70").mark("lan-restart-note")
        lan_section(context)


def _apply_to_queue(context: AppContext, result: SaveResult) -> None:
    """The queue holds its own concurrency; everything else reads the shared Settings each time."""
    if "download_concurrency" in result.changed:
        context.queue.set_concurrency(context.services.settings.download_concurrency)


def _base_url() -> str:
    """This app's address as the browser reached it, for the Spotify redirect URI."""
    return str(ui.context.client.request.base_url)
