"""The folder tree of the playlists page: collapsible folders with their own menu, holding playlist rows.

Drawn from one `FolderTree` read; the page redraws it only when its shape changes (a folder or
playlist added, moved, renamed, switched on or off). Syncs and downloads update rows in place.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from nicegui import ui

from pysync_web.models import Folder
from pysync_web.services.folders import FolderTree
from pysync_web.ui.pages.playlists_row import INDENT_PX, PlaylistRow, RowActions
from pysync_web.ui.pages.playlists_state import RowState


class FolderActions(Protocol):
    def toggle(self, folder_id: int) -> bool: ...
    async def create(self, parent_id: int | None = None) -> None: ...
    async def rename(self, folder_id: int) -> None: ...
    async def move(self, folder_id: int) -> None: ...
    async def sync(self, folder_id: int) -> None: ...
    async def set_enabled(self, folder_id: int, enabled: bool) -> None: ...
    async def delete(self, folder_id: int) -> None: ...


def draw_tree(tree: FolderTree, states: dict[int, RowState], row_actions: RowActions,
              folder_actions: FolderActions, selected: set[int], collapsed: set[int]) -> dict[int, PlaylistRow]:
    """Draw folders first, then playlists, at every level; returns the rows by playlist id."""
    rows: dict[int, PlaylistRow] = {}

    def draw_level(parent_id: int | None, depth: int) -> None:
        for folder in tree.children(parent_id):
            playlists = len(tree.playlist_ids_under(folder.id))
            header = FolderHeader(folder, playlists, depth, folder_actions, folder.id in collapsed)
            with header.children:
                draw_level(folder.id, depth + 1)
        for playlist in tree.playlists_in(parent_id):
            state = states.get(playlist.id)
            if state is None:  # added between the two reads: the page's next poll redraws the tree
                continue
            rows[playlist.id] = PlaylistRow(playlist.id, state, row_actions, depth, playlist.id in selected)
            ui.separator()

    draw_level(None, 0)
    return rows


class FolderHeader:
    """A folder's line; clicking its chevron or name shows or hides what it holds, without a redraw."""

    def __init__(self, folder: Folder, playlists: int, depth: int, actions: FolderActions, collapsed: bool):
        fid = folder.id
        self._toggle_state: Callable[[int], bool] = actions.toggle
        with ui.row().classes("w-full items-center no-wrap gap-1 py-1 pr-1") \
                .style(f"padding-left: {depth * INDENT_PX}px").mark(f"folder-{fid}"):
            self.chevron = ui.button(color=None, on_click=lambda: self.toggle(fid)) \
                .props('flat round aria-label="Show or hide"').mark(f"toggle-folder-{fid}")
            self.icon = ui.icon("", size="sm", color="amber-8" if folder.enabled else "grey-6").classes("shrink-0")
            with ui.column().classes("grow min-w-0 gap-0 cursor-pointer").on("click", lambda: self.toggle(fid)):
                ui.label(folder.name).classes("text-subtitle1 font-medium break-anywhere").mark(f"folder-name-{fid}")
                ui.label(f"{playlists} playlist{'' if playlists == 1 else 's'}"
                         + ("" if folder.enabled else " · disabled")).classes("text-caption opacity-80")
            ui.switch(value=folder.enabled, on_change=lambda e: actions.set_enabled(fid, e.value)) \
                .tooltip("Included in Sync all").mark(f"folder-enabled-{fid}")
            with ui.button(icon="more_vert", color=None).props('flat round aria-label="Folder actions"') \
                    .classes("shrink-0").mark(f"folder-menu-{fid}"), ui.menu():
                ui.menu_item("Sync this folder", lambda: actions.sync(fid)).mark(f"sync-folder-{fid}")
                ui.menu_item("New subfolder…", lambda: actions.create(fid)).mark(f"new-subfolder-{fid}")
                ui.menu_item("Rename…", lambda: actions.rename(fid)).mark(f"rename-folder-{fid}")
                ui.menu_item("Move to…", lambda: actions.move(fid)).mark(f"move-folder-{fid}")
                ui.menu_item("Delete…", lambda: actions.delete(fid)).classes("text-negative") \
                    .mark(f"delete-folder-{fid}")
        ui.separator()
        self.children = ui.column().classes("w-full gap-0").mark(f"folder-content-{fid}")
        self._show(collapsed)

    def toggle(self, folder_id: int) -> None:
        self._show(self._toggle_state(folder_id))

    def _show(self, collapsed: bool) -> None:
        self.chevron.props(f"icon={'chevron_right' if collapsed else 'expand_more'}")
        self.icon.set_name("folder" if collapsed else "folder_open")
        self.children.set_visibility(not collapsed)
