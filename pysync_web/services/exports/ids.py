"""Stable ids for DJ software: the same track gets the same Track ID and Persistent ID in every export.

rekordbox, Serato and Traktor keep cue points, beat grids and their own analysis per track; when the
exported file is read again they recognise a track by these ids, so an id must never move to another
track, and adding tracks or playlists must not change the ids already handed out.

Why not the store's row id: TinyDB hands a deleted row's id to the next insert after a restart, so a
new track could inherit a deleted track's id (and its cue points). Instead every id is a hash of the
thing's stable identity (a track's platform + platform id, a playlist's platform + kind + external
id). A Track ID must be a positive 32-bit int, so with 10,000 tracks two of them share a hash now and
then; the older one (by created_at, then row id) keeps its hash and the newer one takes the next
probe. Adding things never moves an existing id; only deleting the older of a colliding pair can.
Track IDs and playlist/folder ids come from disjoint ranges so they can never collide with each other.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from itertools import count

from pysync_web.models import Folder, Playlist, Track

TRACK_ID_RANGE = (1, 2**30)  # [low, high)
PLAYLIST_ID_RANGE = (2**30, 2**31 - 1)
MASTER_PLAYLIST_ID = 2**31 - 1  # the one id no hash can take: the iTunes master "Library" playlist
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class ItemIds:
    number: int  # iTunes Track ID / Playlist ID, rekordbox TrackID
    persistent_id: str  # 16 upper-case hex digits, iTunes "Persistent ID"
    uuid: str  # 32 lower-case hex digits, Traktor's playlist UUID


def track_key(track: Track) -> str:
    return f"track:{track.platform.value}:{track.platform_id}"


def playlist_key(playlist: Playlist) -> str:
    return f"playlist:{playlist.platform.value}:{playlist.kind.value}:{playlist.external_id}"


def folder_key(folder: Folder) -> str:
    # Folders exist only here, so their row id is all the identity they have.
    return f"folder:{folder.id}"


def persistent_id(key: str) -> str:
    """16 hex digits for a single thing (the library itself) that needs no collision handling."""
    return _digest(key, 0)[8:16].hex().upper()


@lru_cache(maxsize=1 << 17)  # auto-export after every run re-derives the same ids: remember them
def _digest(key: str, attempt: int) -> bytes:
    return hashlib.blake2b(f"{key}\x00{attempt}".encode(), digest_size=32).digest()


class IdAllocator:
    """Hands out ids in a fixed order; the first claimant of a hash keeps it."""

    def __init__(self) -> None:
        self._numbers: set[int] = set()
        self._persistent: set[str] = set()

    def claim(self, key: str, id_range: tuple[int, int]) -> ItemIds:
        low, high = id_range
        for attempt in count():
            digest = _digest(key, attempt)
            number = low + int.from_bytes(digest[:8], "big") % (high - low)
            pid = digest[8:16].hex().upper()
            if number not in self._numbers and pid not in self._persistent:
                self._numbers.add(number)
                self._persistent.add(pid)
                return ItemIds(number, pid, digest[16:32].hex())
        raise AssertionError("unreachable")


@dataclass
class LibraryIds:
    tracks: dict[int, ItemIds]  # by store track id
    playlists: dict[int, ItemIds]  # by store playlist id
    folders: dict[int, ItemIds]  # by store folder id


def allocate_ids(tracks: Iterable[Track], playlists: Iterable[Playlist], folders: Iterable[Folder]) -> LibraryIds:
    """Ids for everything in the store, not only what one export holds, so that exporting one
    playlist gives its tracks the same ids as exporting the whole library."""
    allocator = IdAllocator()
    return LibraryIds(
        tracks={t.id: allocator.claim(track_key(t), TRACK_ID_RANGE) for t in sorted(tracks, key=_age)},
        playlists={p.id: allocator.claim(playlist_key(p), PLAYLIST_ID_RANGE) for p in sorted(playlists, key=_age)},
        folders={f.id: allocator.claim(folder_key(f), PLAYLIST_ID_RANGE) for f in sorted(folders, key=lambda f: f.id)},
    )


def _age(item: Track | Playlist) -> tuple[datetime, int]:
    created = item.created_at or _EPOCH
    if created.tzinfo is None:
        created = created.replace(tzinfo=timezone.utc)
    return created, item.id or 0
