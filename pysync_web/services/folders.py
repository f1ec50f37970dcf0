"""Folders group playlists in a tree (for the UI and for DJ exports); they hold no tracks themselves."""
from __future__ import annotations

from pysync_web.errors import PySyncError, UnknownFolderError
from pysync_web.models import Folder
from pysync_web.store.database import Database
from pysync_web.store.folders import FolderRepository
from pysync_web.store.playlists import PlaylistRepository


class FolderService:
    def __init__(self, db: Database):
        self.db = db
        self.folders = FolderRepository(db)
        self.playlists = PlaylistRepository(db)

    def list(self) -> list[Folder]:
        return self.folders.list()

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
        folder = self.get(folder_id)
        if parent_id is not None and folder_id in self._ancestors_and_self(parent_id):
            raise PySyncError("A folder cannot be moved into itself or one of its subfolders.")
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
