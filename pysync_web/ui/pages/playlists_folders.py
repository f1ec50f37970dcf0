"""What a user can do to folders from the playlists page: create, rename, move, switch, sync, delete,
and show or hide their content (remembered per browser)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from nicegui import ui

from pysync_web.ui.pages.playlists_actions import plural
from pysync_web.ui.pages.playlists_dialogs import attempt

if TYPE_CHECKING:
    from pysync_web.ui.pages.playlists import PlaylistsPage

COLLAPSED_KEY = "collapsed_folders"  # in app.storage.user: folder ids this browser keeps closed


class FolderActions:
    def __init__(self, page: PlaylistsPage):
        self.page = page
        self.folders = page.services.folders

    def toggle(self, folder_id: int) -> bool:
        """Show or hide the folder's content; returns whether it is now hidden."""
        collapsed = self.page.collapsed
        collapsed.symmetric_difference_update({folder_id})
        self.page.user_storage[COLLAPSED_KEY] = sorted(collapsed)
        return folder_id in collapsed

    def name_of(self, folder_id: int) -> str:
        return next((f.name for f in self.page.tree.folders if f.id == folder_id), f"folder {folder_id}")

    async def create(self, parent_id: int | None = None) -> None:
        title = f"New folder in {self.name_of(parent_id)}" if parent_id is not None else "New folder"
        name = await self.page.dialogs.ask_name(title, action="Create")
        if name is None:
            return
        outcome = await attempt(self.folders.create, name, parent_id)
        if outcome.ok:
            if parent_id in self.page.collapsed:  # show the new folder where it was made
                self.toggle(parent_id)
            ui.notify(f"Created {outcome.value.name}. Move playlists into it from their menu.", type="positive")
            self.page.rebuild()

    async def rename(self, folder_id: int) -> None:
        old = self.name_of(folder_id)
        name = await self.page.dialogs.ask_name(f"Rename {old}", value=old, action="Rename")
        if name is None or name.strip() == old:
            return
        outcome = await attempt(self.folders.rename, folder_id, name)
        if outcome.ok:
            ui.notify(f"Renamed {old} to {outcome.value.name}.", type="positive")
            self.page.rebuild()

    async def move(self, folder_id: int) -> None:
        name = self.name_of(folder_id)
        choices = [(None, "Top level"), *self.page.tree.folder_paths(excluding_subtree_of=folder_id)]
        current = next((f.parent_id for f in self.page.tree.folders if f.id == folder_id), None)
        chosen, parent_id = await self.page.dialogs.choose(f"Move {name} into", choices, current)
        if not chosen or parent_id == current:
            return
        outcome = await attempt(self.folders.move, folder_id, parent_id)
        if outcome.ok:
            destination = dict(choices)[parent_id] if parent_id is not None else "the top level"
            ui.notify(f"Moved {name} into {destination}.", type="positive")
            self.page.rebuild()

    async def set_enabled(self, folder_id: int, enabled: bool) -> None:
        name = self.name_of(folder_id)
        outcome = await attempt(self.folders.set_enabled, folder_id, enabled)
        if outcome.ok:
            ui.notify(f"{name} is enabled again." if enabled
                      else f"{name} is disabled: Sync all skips every playlist in it.", type="info")
        self.page.rebuild()

    async def sync(self, folder_id: int) -> None:
        playlist_ids = self.page.tree.playlist_ids_under(folder_id)
        if not playlist_ids:
            ui.notify(f"{self.name_of(folder_id)} holds no playlists yet.", type="info")
            return
        await self.page.actions.sync_many(playlist_ids)

    async def delete(self, folder_id: int) -> None:
        tree = self.page.tree
        name = self.name_of(folder_id)
        parent_id = next((f.parent_id for f in tree.folders if f.id == folder_id), None)
        holds = [plural(count, noun) for count, noun in ((len(tree.playlists_in(folder_id)), "playlist"),
                                                         (len(tree.children(folder_id)), "subfolder")) if count]
        destination = self.name_of(parent_id) if parent_id is not None else "the top level"
        detail = (f"Its {' and '.join(holds)} will move up to {destination}; nothing is removed."
                  if holds else "It is empty.")
        if not await self.page.dialogs.confirm(f"Delete the folder {name}?", detail, "Delete"):
            return
        outcome = await attempt(self.folders.delete, folder_id)
        if outcome.ok:
            ui.notify(f"Deleted the folder {name}.", type="positive")
            self.page.rebuild()
