"""The link box at the top of the playlists page: paste, choose options, Add; errors said inline."""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date

from nicegui import run, ui

from pysync_web.errors import PySyncError
from pysync_web.services.app_services import AppServices
from pysync_web.services.playlists import PlaylistOptions, SyncResult
from pysync_web.ui.pages.playlists_dialogs import UNEXPECTED

log = logging.getLogger(__name__)
URL_PLACEHOLDER = "Paste a Spotify, SoundCloud or YouTube playlist link"


class AddPlaylistBox:
    def __init__(self, services: AppServices, on_added: Callable[[SyncResult], None]):
        self.services = services
        self.on_added = on_added
        with ui.column().classes("w-full gap-1"):
            with ui.row().classes("w-full items-start gap-2 no-wrap"):
                self.url = ui.input(placeholder=URL_PLACEHOLDER) \
                    .props('outlined clearable aria-label="Playlist link"').classes("grow min-w-0").mark("playlist-url")
                self.button = ui.button("Add", icon="add", on_click=self.add).props("no-caps") \
                    .classes("shrink-0 self-stretch") \
                    .mark("add-playlist")
            with ui.row().classes("items-center gap-2") as self.progress:
                ui.spinner(size="1.2em")
                ui.label("Reading the playlist… big ones take a few seconds.").classes("text-caption")
            self.progress.set_visibility(False)
            self.error = ui.label().classes("text-negative break-anywhere").mark("add-error")
            self.error.set_visibility(False)
            with ui.expansion("Options", icon="tune").classes("w-full").props("dense").mark("add-options"):
                self._options()
        self.url.on("keydown.enter", self.add)

    def _options(self) -> None:
        with ui.row().classes("w-full items-start gap-x-4 gap-y-2"):
            self.track_limit = ui.number("Keep the newest … tracks", min=1, step=1, precision=0) \
                .props('outlined dense clearable hint="Empty: every track"').classes("w-full sm:w-56") \
                .mark("add-track-limit")
            with ui.input("Only tracks added since", placeholder="YYYY-MM-DD") \
                    .props('outlined dense clearable hint="Empty: any date"').classes("w-full sm:w-56") \
                    .mark("add-date-limit") as self.date_limit:
                with ui.menu().props("no-parent-event") as picker:
                    ui.date().bind_value(self.date_limit).props("today-btn")
                with self.date_limit.add_slot("append"):
                    ui.icon("event").classes("cursor-pointer").on("click", picker.open)
            self.folder = ui.select({None: "Top level"}, value=None, label="Folder") \
                .props("outlined dense").classes("w-full sm:w-56").mark("add-folder")
            self.auto_download = ui.switch("Download tracks automatically", value=True) \
                .classes("self-center").mark("add-auto-download")

    def set_folders(self, folder_paths: Sequence[tuple[int, str]]) -> None:
        """Folders the new playlist can go in, as "Parent / Child"; called when the tree changes."""
        options: dict[int | None, str] = {None: "Top level", **dict(folder_paths)}
        self.folder.set_options(options, value=self.folder.value if self.folder.value in options else None)

    async def add(self) -> None:
        if self.progress.visible:  # Enter pressed again while adding
            return
        url = (self.url.value or "").strip()
        if not url:
            self._say("Paste a playlist link first: Spotify, SoundCloud or YouTube.")
            return
        try:
            options = self._read_options()
        except PySyncError as error:
            self._say(str(error))
            return
        self._say(None)
        self._busy(True)
        try:
            result = await run.io_bound(self.services.playlists.add, url, options)
        except PySyncError as error:
            self._say(str(error))
            return
        except Exception:  # a bug: logged in full, the page keeps working
            log.exception("adding %s failed", url)
            self._say(UNEXPECTED)
            return
        finally:
            self._busy(False)
        if result is None:  # the app is shutting down
            return
        self.url.set_value("")
        ui.notify(_added_message(result, options.auto_download), type="positive")
        self.on_added(result)

    def _read_options(self) -> PlaylistOptions:
        limit = self.track_limit.value
        if limit is not None and (limit < 1 or limit != int(limit)):
            raise PySyncError("The track limit must be a whole number of at least 1 (or empty for every track).")
        since = (self.date_limit.value or "").strip()
        try:
            date_limit = date.fromisoformat(since) if since else None
        except ValueError:
            raise PySyncError(f"{since!r} is not a date; use the calendar or write it as 2024-01-31.") from None
        return PlaylistOptions(track_limit=int(limit) if limit is not None else None, date_limit=date_limit,
                               auto_download=self.auto_download.value, folder_id=self.folder.value)

    def _busy(self, busy: bool) -> None:
        self.progress.set_visibility(busy)
        self.url.set_enabled(not busy)
        if busy:
            self.button.props("loading")
        else:
            self.button.props(remove="loading")

    def _say(self, error: str | None) -> None:
        self.error.set_text(error or "")
        self.error.set_visibility(error is not None)


def _added_message(result: SyncResult, auto_download: bool) -> str:
    tracks = f"{result.added} track{'' if result.added == 1 else 's'}"
    skipped = f"; {result.skipped.total} unavailable on the platform skipped" if result.skipped.total else ""
    then = ", downloading them now" if auto_download and result.added else ""
    return f"Added {result.playlist.name}: {tracks}{then}{skipped}."
