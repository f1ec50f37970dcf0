"""Home page: add playlists by link, and see and work on every playlist in its folder tree.

The tree is drawn from the store and redrawn only when its shape changes; everything that moves
while the app works (counts, status, progress) updates the rows in place, from download events (at
most once a second) and from a one-second poll for syncs, which publish no events and may have been
started from another browser.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import app, background_tasks, run, ui

from pysync_web.services.folders import FolderTree
from pysync_web.services.playlists import SyncResult
from pysync_web.ui.context import AppContext
from pysync_web.ui.layout import frame
from pysync_web.ui.live import LiveUpdates
from pysync_web.ui.pages.playlists_actions import PlaylistActions
from pysync_web.ui.pages.playlists_add import AddPlaylistBox
from pysync_web.ui.pages.playlists_dialogs import Dialogs
from pysync_web.ui.pages.playlists_export import ExportMenu
from pysync_web.ui.pages.playlists_folders import COLLAPSED_KEY, FolderActions
from pysync_web.ui.pages.playlists_row import PlaylistRow
from pysync_web.ui.pages.playlists_state import RowState, row_states
from pysync_web.ui.pages.playlists_tree import draw_tree
from pysync_web.worker.events import DownloadEvent, EventKind

EMPTY_HINT = "Paste a Spotify, SoundCloud or YouTube playlist link to start."
# Events that change a playlist's counts or status; progress ticks do not.
COUNT_CHANGES = {EventKind.QUEUED, EventKind.STARTED, EventKind.DONE, EventKind.FAILED, EventKind.CANCELLED,
                 EventKind.FILE_REMOVED}
POLL_S = 1.0
CLOCK_EVERY_POLLS = 30  # "3 min ago" labels are refreshed every half minute


def playlists_page(context: AppContext) -> None:
    with frame("Playlists"):
        PlaylistsPage(context)


class PlaylistsPage:
    def __init__(self, context: AppContext):
        self.context = context
        self.services = context.services
        self.user_storage = app.storage.user
        self.collapsed: set[int] = set(self.user_storage.get(COLLAPSED_KEY, []))
        self.selected: set[int] = set()
        self.syncing_here: set[int] = set()  # started in this browser, shown before the worker thread starts
        self.rows: dict[int, PlaylistRow] = {}
        self.tree = FolderTree([], [])
        self._seen_syncing: set[int] = set()
        self._refreshing = self._refresh_again = False
        self._polls = 0
        self.actions = PlaylistActions(self)
        self.folder_actions = FolderActions(self)
        self.dialogs = Dialogs()
        self.add_box = AddPlaylistBox(self.services, on_added=self._added)
        self._toolbar()
        self.tree_box = ui.column().classes("w-full gap-0")
        self.rebuild()
        LiveUpdates(self.services.events, self._on_events, interval_s=1.0)
        ui.timer(POLL_S, self._poll)

    def _toolbar(self) -> None:
        """One line on a phone too: there every button but Sync all shows only its icon (its name is a tooltip)."""
        with ui.row().classes("w-full items-center gap-2"):
            self.sync_all_button = ui.button("Sync all", icon="sync", on_click=self._sync_all).props("no-caps") \
                .tooltip("Every enabled playlist").mark("sync-all")
            self.sync_selected_button = self._tool_button("Sync selected", "sync", self._sync_selected,
                                                          "sync-selected", "outline")
            self.remove_selected_button = self._tool_button("Remove selected", "delete", self._remove_selected,
                                                            "remove-selected", "outline color=negative")
            self.selected_count = ui.label().classes("text-caption").mark("selected-count")
            ui.element().classes("grow")
            self._tool_button("New folder", "create_new_folder", lambda: self.folder_actions.create(),
                              "new-folder", "flat")
            with self._tool_button("Export", "ios_share", None, "export", "outline"):
                ExportMenu(self.services.exports, lambda: sorted(self.selected), self.dialogs)
        self._show_selection()

    @staticmethod
    def _tool_button(text: str, icon: str, on_click: Callable[[], Any] | None, marker: str, props: str) -> ui.button:
        with ui.button(icon=icon, on_click=on_click).props(f'no-caps padding="8px 12px" {props}').tooltip(text) \
                .mark(marker) as button:
            ui.label(text).classes("gt-xs q-ml-sm")
        return button

    def rebuild(self, tree: FolderTree | None = None) -> None:
        """Redraw the tree: after the user changed its shape, or when the poll sees another browser did."""
        self.tree = tree or self.services.folders.tree()
        states = self._read_states()
        self.selected &= set(states)
        self.tree_box.clear()
        with self.tree_box:
            if not self.tree.playlists:
                with ui.column().classes("w-full items-center text-center gap-2 py-10").mark("empty-state"):
                    ui.icon("queue_music", size="xl").classes("opacity-50")
                    ui.label(EMPTY_HINT).classes("text-subtitle1")
                    ui.label("Each playlist becomes a folder of tagged audio files that stays in sync.") \
                        .classes("text-caption opacity-80")
            if self.tree.playlists or self.tree.folders:
                with ui.card().classes("w-full p-0 gap-0").props("flat bordered"):
                    self.rows = draw_tree(self.tree, states, self.actions, self.folder_actions, self.selected,
                                          self.collapsed)
            else:
                self.rows = {}
        self.add_box.set_folders(self.tree.folder_paths())
        self._show_selection()

    async def refresh_rows(self) -> None:
        """Bring every row up to date; a row whose state did not change sends nothing.

        Counting a big library's downloads takes a while, so it happens in a worker thread, one read
        at a time: a request during a read is served by one more read right after it.
        """
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        try:
            self._refresh_again = True
            while self._refresh_again:
                self._refresh_again = False
                states = await run.io_bound(self._read_states)
                if states is None:  # the app is shutting down
                    return
                for playlist_id, row in self.rows.items():
                    if playlist_id in states:
                        row.show(states[playlist_id])
        finally:
            self._refreshing = False

    def select(self, playlist_id: int, selected: bool) -> None:
        if selected:
            self.selected.add(playlist_id)
        else:
            self.selected.discard(playlist_id)
        self._show_selection()

    def _read_states(self) -> dict[int, RowState]:
        syncing = self.services.playlists.syncing_ids() | self.syncing_here
        return row_states(self.services.catalog.playlist_summaries(), self.services.downloads.views.playlist_activity(),
                          syncing, self.services.playlists.is_effectively_enabled)

    def _show_selection(self) -> None:
        count = len(self.selected)
        self.sync_selected_button.set_enabled(bool(count))
        self.remove_selected_button.set_enabled(bool(count))
        self.selected_count.set_text(f"{count} selected" if count else "")

    def _added(self, _result: SyncResult) -> None:
        self.rebuild()

    def _on_events(self, events: list[DownloadEvent]) -> None:
        if any(event.kind in COUNT_CHANGES for event in events):
            background_tasks.create(self.refresh_rows(), name="playlists page: live counts")

    async def _poll(self) -> None:
        tree = self.services.folders.tree()
        if tree.layout_key() != self.tree.layout_key():
            self.rebuild(tree)
            return
        syncing = self.services.playlists.syncing_ids()
        if syncing != self._seen_syncing:
            self._seen_syncing = syncing
            await self.refresh_rows()
        self._polls += 1
        if self._polls % CLOCK_EVERY_POLLS == 0:
            for row in self.rows.values():
                row.show_time()

    async def _sync_all(self) -> None:
        await self._while_busy(self.sync_all_button, self.actions.sync_many(None))

    async def _sync_selected(self) -> None:
        await self._while_busy(self.sync_selected_button, self.actions.sync_many(sorted(self.selected)))

    async def _remove_selected(self) -> None:
        await self.actions.remove_many(sorted(self.selected))

    @staticmethod
    async def _while_busy(button: ui.button, work: Awaitable[None]) -> None:
        button.props("loading")
        try:
            await work
        finally:
            button.props(remove="loading")
