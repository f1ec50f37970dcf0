"""Home page: add a playlist by link and see every playlist with its counts and sync state."""
from __future__ import annotations

from datetime import datetime, timezone

from nicegui import run, ui

from pysync_web.cli_output import ago
from pysync_web.errors import PySyncError
from pysync_web.ui.context import AppContext
from pysync_web.ui.layout import frame

EMPTY_HINT = "Paste a Spotify, SoundCloud or YouTube playlist link to start."


def playlists_page(context: AppContext) -> None:
    services = context.services
    with frame("Playlists"):
        with ui.row().classes("w-full items-start gap-2 no-wrap"):
            url_input = ui.input(placeholder="https://open.spotify.com/playlist/…").props(
                "outlined dense clearable").classes("grow").mark("playlist-url")
            add_button = ui.button("Add", icon="add").mark("add-playlist")
        error_label = ui.label().classes("text-negative").mark("add-error")
        error_label.set_visibility(False)

        @ui.refreshable
        def playlist_list() -> None:
            summaries = services.catalog.playlist_summaries()
            if not summaries:
                ui.label(EMPTY_HINT).classes("text-grey-7").mark("empty-state")
                return
            now = datetime.now(timezone.utc)
            with ui.list().props("bordered separator").classes("w-full"):
                for summary in summaries:
                    playlist = summary.playlist
                    with ui.item().mark(f"playlist-{playlist.id}"):
                        with ui.item_section().props("avatar"):
                            ui.image(playlist.cover_url or "").classes("w-12 h-12 rounded") \
                                if playlist.cover_url else ui.icon("queue_music", size="lg")
                        with ui.item_section():
                            ui.item_label(playlist.name)
                            ui.item_label(
                                f"{playlist.platform.label} · {summary.downloaded}/{summary.tracks} files · "
                                f"synced {ago(playlist.last_synced, now)}"
                            ).props("caption")
                            if playlist.last_sync_error:
                                ui.item_label(playlist.last_sync_error).classes("text-negative")
                            elif playlist.notice:
                                ui.item_label(playlist.notice).props("caption").classes("text-warning")

        async def add_playlist() -> None:
            error_label.set_visibility(False)
            add_button.props("loading")
            try:
                result = await run.io_bound(services.playlists.add, url_input.value or "")
            except PySyncError as error:
                error_label.set_text(str(error))
                error_label.set_visibility(True)
                return
            finally:
                add_button.props(remove="loading")
            url_input.set_value("")
            ui.notify(f"Added {result.playlist.name}: {result.added} tracks", type="positive")
            playlist_list.refresh()

        add_button.on_click(add_playlist)
        url_input.on("keydown.enter", add_playlist)
        playlist_list()
