"""One playlist in the tree: cover, name, platform, counts, last sync, status, actions.

A row keeps its widgets so live updates change a few labels in place (`show`) instead of redrawing
the page. On a phone the row is two stacked lines and its action buttons move into its menu.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Protocol

from nicegui import ui

from pysync_web.formatting import ago
from pysync_web.ui.components.platform_badge import platform_badge
from pysync_web.ui.pages.playlists_state import RowState
from pysync_web.ui.theme import PLATFORM_COLORS, PLATFORM_ICONS

INDENT_PX = 16  # per folder level; small enough that four levels still fit a phone


class RowActions(Protocol):
    def select(self, playlist_id: int, selected: bool) -> None: ...
    async def sync(self, playlist_id: int) -> None: ...
    async def download(self, playlist_id: int) -> None: ...
    async def cancel(self, playlist_id: int) -> None: ...
    async def set_enabled(self, playlist_id: int, enabled: bool) -> None: ...
    async def move(self, playlist_id: int) -> None: ...
    async def remove(self, playlist_id: int) -> None: ...


class PlaylistRow:
    def __init__(self, playlist_id: int, state: RowState, actions: RowActions, depth: int, selected: bool):
        self.state = state
        pid = playlist_id
        with ui.row().classes("w-full items-center no-wrap gap-2 py-2 pr-1") \
                .style(f"padding-left: {8 + depth * INDENT_PX}px").mark(f"playlist-{pid}"):
            ui.checkbox(value=selected, on_change=lambda e: actions.select(pid, e.value)) \
                .props('aria-label="Select"').mark(f"select-{pid}")
            with ui.element().classes("shrink-0 gt-xs") as self.cover:  # phones need the width for the name
                self._draw_cover(state)
            with ui.column().classes("grow min-w-0 gap-1"):
                self._draw_details(pid, state)
            with ui.row().classes("gt-sm items-center no-wrap gap-0 shrink-0"):
                self._draw_buttons(pid, state, actions)
            with ui.button(icon="more_vert", color=None).props('flat round aria-label="More"').classes("shrink-0") \
                    .mark(f"menu-{pid}"), ui.menu():
                self._draw_menu(pid, state, actions)
        self._show_variable_parts(state)

    def _draw_details(self, pid: int, state: RowState) -> None:
        with ui.row().classes("items-center gap-1 no-wrap w-full"):
            self.name = ui.link(state.name, f"/playlist/{pid}") \
                .classes("text-subtitle1 font-medium break-anywhere no-underline hover:underline") \
                .style("color: inherit").mark(f"open-{pid}")
            with ui.link(target=state.source_url, new_tab=True).classes("shrink-0 opacity-60") \
                    .tooltip(f"Open on {state.platform.label}").mark(f"source-{pid}"):
                ui.icon("open_in_new", size="16px")
        with ui.row().classes("items-center gap-x-3 gap-y-1 text-caption"):
            platform_badge(state.platform)
            self.counts = ui.label(state.counts_text).classes("no-wrap").mark(f"counts-{pid}")
            self.synced = ui.label(self._synced_text()).classes("no-wrap opacity-80").mark(f"synced-{pid}")
            with ui.row().classes("items-center gap-1 no-wrap"):
                self.spinner = ui.spinner(size="1.1em", color=state.status.color)
                self.status = ui.badge(state.status_text, color=state.status.color, outline=state.status.calm) \
                    .mark(f"status-{pid}")
        self.progress = ui.linear_progress(state.progress, show_value=False, size="6px") \
            .props("rounded").classes("max-w-md").mark(f"progress-{pid}")
        with ui.row().classes("items-start gap-1 no-wrap") as self.notice_line:
            ui.icon("info", size="16px", color="warning").classes("shrink-0")
            self.notice = ui.label(state.notice or "").classes("text-caption break-anywhere").mark(f"notice-{pid}")
        self.error = ui.label(state.error or "").classes("text-caption text-negative break-anywhere") \
            .mark(f"error-{pid}")

    def _draw_buttons(self, pid: int, state: RowState, actions: RowActions) -> None:
        """Wider screens only (the row's parent hides them on phones)."""
        ui.button(icon="sync", color=None, on_click=lambda: actions.sync(pid)).props("flat round") \
            .tooltip("Sync now").mark(f"sync-{pid}")
        ui.button(icon="download", color=None, on_click=lambda: actions.download(pid)).props("flat round") \
            .tooltip("Download missing tracks").mark(f"download-{pid}")
        self.cancel_button = ui.button(icon="cancel", color=None, on_click=lambda: actions.cancel(pid)) \
            .props("flat round").tooltip("Cancel its downloads").mark(f"cancel-{pid}")
        ui.switch(value=state.enabled, on_change=lambda e: actions.set_enabled(pid, e.value)) \
            .tooltip("Included in Sync all").mark(f"enabled-{pid}")

    def _draw_menu(self, pid: int, state: RowState, actions: RowActions) -> None:
        # Phones have no room for the buttons: the same actions are the menu's first items there.
        ui.menu_item("Sync now", lambda: actions.sync(pid)).classes("lt-md").mark(f"menu-sync-{pid}")
        ui.menu_item("Download missing", lambda: actions.download(pid)).classes("lt-md") \
            .mark(f"menu-download-{pid}")
        self.cancel_item = ui.menu_item("Cancel downloads", lambda: actions.cancel(pid)) \
            .classes("lt-md").mark(f"menu-cancel-{pid}")
        ui.menu_item("Disable" if state.enabled else "Enable", lambda: actions.set_enabled(pid, not state.enabled)) \
            .classes("lt-md").mark(f"menu-enabled-{pid}")
        ui.menu_item("Move to folder…", lambda: actions.move(pid)).mark(f"move-{pid}")
        ui.menu_item("Remove…", lambda: actions.remove(pid)).classes("text-negative").mark(f"remove-{pid}")

    def show(self, state: RowState) -> None:
        """Redraw what differs from the last state; an unchanged row sends nothing to the browser."""
        if state == self.state:
            return
        old, self.state = self.state, state
        if state.name != old.name:
            self.name.set_text(state.name)
        if state.cover_url != old.cover_url:
            self.cover.clear()
            with self.cover:
                self._draw_cover(state)
        if state.counts_text != old.counts_text:
            self.counts.set_text(state.counts_text)
        if state.last_synced != old.last_synced:
            self.synced.set_text(self._synced_text())
        if (state.status, state.status_text) != (old.status, old.status_text):
            self.status.set_text(state.status_text)
            self.status.props.update(color=state.status.color, outline=state.status.calm)
            self.spinner.props["color"] = state.status.color
        if state.notice != old.notice:
            self.notice.set_text(state.notice or "")
        if state.error != old.error:
            self.error.set_text(state.error or "")
        self._show_variable_parts(state)

    def show_time(self) -> None:
        """"3 min ago" goes stale by itself; the page calls this now and then."""
        text = self._synced_text()
        if self.synced.text != text:
            self.synced.set_text(text)

    def _show_variable_parts(self, state: RowState) -> None:
        self.spinner.set_visibility(state.status.busy)
        self.progress.set_visibility(state.has_downloads)
        if self.progress.value != state.progress:
            self.progress.set_value(state.progress)
        self.cancel_button.set_visibility(state.has_downloads)
        self.cancel_item.set_visibility(state.has_downloads)
        self.notice_line.set_visibility(bool(state.notice))
        self.error.set_visibility(bool(state.error))

    def _synced_text(self) -> str:
        if self.state.last_synced is None:
            return "never synced"
        return f"synced {ago(self.state.last_synced, datetime.now(timezone.utc))}"

    @staticmethod
    def _draw_cover(state: RowState) -> None:
        """The playlist's cover, or its platform's icon when it has none or the image will not load."""
        def platform_icon() -> None:
            ui.avatar(PLATFORM_ICONS[state.platform], color=PLATFORM_COLORS[state.platform], text_color="white",
                      size="48px", rounded=True)

        if not state.cover_url:
            platform_icon()
            return
        image = ui.image(state.cover_url).classes("w-12 h-12 rounded").props('alt="" loading="lazy"')
        # Quasar pads and darkens the direct children of an image's slots; this wrapper opts out.
        with image.add_slot("error"), ui.element().classes("absolute-full p-0 bg-transparent"):
            platform_icon()
