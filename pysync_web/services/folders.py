"""Folders group playlists in a tree (for the UI and for DJ exports); they hold no tracks themselves."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from pysync_web.errors import PySyncError, UnknownFolderError
from pysync_web.models import Folder, Playlist
from pysync_web.store.database import Database
from pysync_web.store.folders import FolderRepository
from pysync_web.store.playlists import PlaylistRepository


@dataclass(frozen=True)
class FolderTree:
    """Folders and playlists as one tree, read once: what the playlists page draws and moves within.

    A playlist (or folder) whose folder no longer exists sits at the top level, so nothing is ever
    hidden by a dangling reference.
    """

    folders: list[Folder]
    playlists: list[Playlist]

    @cached_property
    def _folder_ids(self) -> set[int | None]:
        return {f.id for f in self.folders}

    def _placed(self, folder_id: int | None) -> int | None:
        return folder_id if folder_id in self._folder_ids else None

    def children(self, parent_id: int | None) -> list[Folder]:
        """Subfolders of a folder (None: the top level), in their order, then by name."""
        return sorted((f for f in self.folders if self._placed(f.parent_id) == parent_id),
                      key=lambda f: (f.position, f.name.lower(), f.id))

    def playlists_in(self, folder_id: int | None) -> list[Playlist]:
        return [p for p in self.playlists if self._placed(p.folder_id) == folder_id]

    def playlist_ids_under(self, folder_id: int) -> list[int]:
        """Every playlist in the folder and its subfolders, in tree order."""
        ids = [p.id for p in self.playlists_in(folder_id)]
        for child in self.children(folder_id):
            ids.extend(self.playlist_ids_under(child.id))
        return ids

    def folder_paths(self, excluding_subtree_of: int | None = None) -> list[tuple[int, str]]:
        """(id, "Parent / Child") for every folder in tree order, for "move to" choices; a folder's own
        subtree can be left out, since a folder cannot move into itself."""
        paths: list[tuple[int, str]] = []

        def walk(parent_id: int | None, prefix: str) -> None:
            for folder in self.children(parent_id):
                if folder.id == excluding_subtree_of:
                    continue
                path = f"{prefix}{folder.name}"
                paths.append((folder.id, path))
                walk(folder.id, f"{path} / ")

        walk(None, "")
        return paths

    def layout_key(self) -> tuple:
        """Changes when anything the tree shows changes shape: names, nesting, order, on/off switches,
        playlists added or removed; not on syncs or downloads (those update rows in place)."""
        return (tuple((f.id, f.name, f.parent_id, f.position, f.enabled) for f in self.folders),
                tuple((p.id, p.folder_id, p.position, p.enabled) for p in self.playlists))


class FolderService:
    def __init__(self, db: Database):
        self.db = db
        self.folders = FolderRepository(db)
        self.playlists = PlaylistRepository(db)

    def list(self) -> list[Folder]:
        return self.folders.list()

    def tree(self) -> FolderTree:
        return FolderTree(self.folders.list(), self.playlists.list())

    def create(self, name: str, parent_id: int | None = None) -> Folder:
        name = self._valid_name(name)
        if parent_id is not None:
            self.get(parent_id)
        siblings = [f for f in self.folders.list() if f.parent_id == parent_id]
        with self.db.transaction():
            return self.folders.add(Folder(name=name, parent_id=parent_id, position=len(siblings)))

    def rename(self, folder_id: int, name: str) -> Folder:
        folder = self.get(folder_id)
        folder.name = self._valid_name(name)
        with self.db.transaction():
            self.folders.update(folder)
        return folder

    def set_enabled(self, folder_id: int, enabled: bool) -> Folder:
        folder = self.get(folder_id)
        folder.enabled = enabled
        with self.db.transaction():
            self.folders.update(folder)
        return folder

    def move(self, folder_id: int, parent_id: int | None, position: int | None = None) -> Folder:
        """Without a position, the folder goes last among its new siblings."""
        folder = self.get(folder_id)
        if parent_id is not None and folder_id in self._ancestors_and_self(parent_id):
            raise PySyncError("A folder cannot be moved into itself or one of its subfolders.")
        if position is None and folder.parent_id != parent_id:
            siblings = [f for f in self.folders.list() if f.parent_id == parent_id and f.id != folder_id]
            position = max((f.position for f in siblings), default=-1) + 1
        folder.parent_id = parent_id
        if position is not None:
            folder.position = position
        with self.db.transaction():
            self.folders.update(folder)
        return folder

    def move_playlist(self, playlist_id: int, folder_id: int | None) -> None:
        if folder_id is not None:
            self.get(folder_id)
        playlist = self.playlists.get(playlist_id)
        if playlist is None:
            raise PySyncError(f"There is no playlist {playlist_id}.")
        playlist.folder_id = folder_id
        with self.db.transaction():
            self.playlists.update(playlist)

    def delete(self, folder_id: int) -> None:
        """Delete a folder; what it held (playlists and subfolders) moves up to its parent, never lost."""
        folder = self.get(folder_id)
        with self.db.transaction():
            for child in self.folders.list():
                if child.parent_id == folder_id:
                    child.parent_id = folder.parent_id
                    self.folders.update(child)
            for playlist in self.playlists.list():
                if playlist.folder_id == folder_id:
                    playlist.folder_id = folder.parent_id
                    self.playlists.update(playlist)
            self.folders.remove(folder_id)

    def get(self, folder_id: int) -> Folder:
        folder = self.folders.get(folder_id)
        if folder is None:
            raise UnknownFolderError(f"There is no folder {folder_id}.")
        return folder

    def _ancestors_and_self(self, folder_id: int) -> set[int]:
        chain: set[int] = set()
        current: int | None = folder_id
        while current is not None and current not in chain:
            chain.add(current)
            parent = self.folders.get(current)
            current = parent.parent_id if parent else None
        return chain

    @staticmethod
    def _valid_name(name: str) -> str:
        name = (name or "").strip()
        if not name:
            raise PySyncError("A folder needs a name.")
        return name
