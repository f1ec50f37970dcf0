"""Schema versions of `library.json` and the steps between them.

The version lives in the `meta` table (document 1, `schema_version`). A file without it predates
versioning and counts as version 0. `MIGRATIONS[n]` turns version n into n + 1 by editing the raw
tables dict in place; each step is frozen once released, so it spells out the field names and
defaults of its own time instead of reading them from today's models.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pysync_web.errors import PySyncError

Tables = dict[str, dict[str, dict[str, Any]]]  # table name -> str doc id -> document
Migration = Callable[[Tables], None]

META_TABLE = "meta"
_META_DOC_ID = "1"
_VERSION_KEY = "schema_version"


class LibraryTooNewError(PySyncError):
    """The library file was written by a newer PySync Hub; reading it could lose its new data."""

    def __init__(self, path: Path, found: int, known: int):
        self.found = found
        super().__init__(
            f"{path} was written by a newer PySync Hub (library format {found}; this version reads up "
            f"to {known}). Update PySync Hub, or point it at another data folder. The file was not changed."
        )


# Every field a version-1 document has, with its default. Version-0 files come from before fields
# were added one by one, so documents may lack any of the optional ones.
_V1_DEFAULTS: dict[str, dict[str, Any]] = {
    "playlists": {
        "owner": "", "cover_url": None, "snapshot_id": None, "remote_track_count": None,
        "last_synced": None, "last_sync_error": None, "notice": None, "enabled": True,
        "auto_download": True, "track_limit": None, "date_limit": None, "folder_id": None,
        "position": 0, "created_at": None,
    },
    "tracks": {
        "album": "", "album_artist": "", "duration_ms": None, "isrc": None, "cover_url": None,
        "url": None, "source_url": None, "explicit": False, "release_date": None,
        "track_number": None, "file": None, "created_at": None,
    },
    "playlist_tracks": {"added_at": None, "removed_at": None},
    "folders": {"parent_id": None, "position": 0, "enabled": True},
}


def _v0_to_v1(tables: Tables) -> None:
    """Give every document all version-1 fields, so later migrations can rely on their presence.

    A version-0 track has no `status`; one with a file was downloaded, so it must not be queued again.
    """
    for table_name, defaults in _V1_DEFAULTS.items():
        for doc in tables.get(table_name, {}).values():
            for key, value in defaults.items():
                doc.setdefault(key, value)
    for track in tables.get("tracks", {}).values():
        track.setdefault("status", "downloaded" if track.get("file") else "pending")


MIGRATIONS: list[Migration] = [_v0_to_v1]
CURRENT_VERSION = len(MIGRATIONS)


def schema_version(tables: Tables) -> int:
    """The file's version; raises ValueError when the meta table is unreadable (a damaged file)."""
    version = tables.get(META_TABLE, {}).get(_META_DOC_ID, {}).get(_VERSION_KEY, 0)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise ValueError(f"invalid schema version {version!r}")
    return version


def stamp_current(tables: Tables) -> None:
    """Mark tables as the current version (a new library, or one just migrated)."""
    tables.setdefault(META_TABLE, {})[_META_DOC_ID] = {_VERSION_KEY: CURRENT_VERSION}


def upgrade(tables: Tables, path: Path) -> int:
    """Migrate tables in place to the current version and return the version they had.

    Raises LibraryTooNewError, before changing anything, for a version this code does not know.
    """
    found = schema_version(tables)
    if found > CURRENT_VERSION:
        raise LibraryTooNewError(path, found, CURRENT_VERSION)
    for migrate in MIGRATIONS[found:]:
        migrate(tables)
    if found < CURRENT_VERSION:
        stamp_current(tables)
    return found
