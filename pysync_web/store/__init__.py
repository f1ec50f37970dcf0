"""The only code that touches TinyDB: the library database and one repository per table."""
from pysync_web.store.database import Database, open_database
from pysync_web.store.entries import EntryRepository
from pysync_web.store.folders import FolderRepository
from pysync_web.store.migrations import LibraryTooNewError
from pysync_web.store.playlists import PlaylistRepository
from pysync_web.store.tracks import TrackRepository

__all__ = [
    "Database", "EntryRepository", "FolderRepository", "LibraryTooNewError", "PlaylistRepository",
    "TrackRepository", "open_database",
]
