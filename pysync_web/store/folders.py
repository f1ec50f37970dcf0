"""Stored folders (table `folders`): a tree that groups playlists."""
from __future__ import annotations

from pysync_web.models import Folder
from pysync_web.store.database import Database
from pysync_web.store.records import RecordTable


class FolderRepository:
    def __init__(self, db: Database) -> None:
        self._records = RecordTable(db, "folders", Folder)

    def add(self, folder: Folder) -> Folder:
        """Store a new folder and set its `id`."""
        return self._records.add_many([folder])[0]

    def get(self, folder_id: int) -> Folder | None:
        return self._records.get(folder_id)

    def list(self) -> list[Folder]:
        """Top-level folders first, then grouped by parent, each group in position order."""
        return sorted(
            self._records.where(),
            key=lambda f: (f.parent_id is not None, f.parent_id or 0, f.position, f.id),
        )

    def update(self, folder: Folder) -> None:
        """KeyError when the folder is not stored."""
        self._records.update_many([folder])

    def remove(self, folder_id: int) -> bool:
        """Forget the folder row only; moving its children is the caller's job. True if it existed."""
        return bool(self._records.remove_many([folder_id]))
