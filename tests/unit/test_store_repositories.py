"""Every repository method, against a real Database in a temp folder."""
from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from pysync_web.models import Folder, Platform, Playlist, PlaylistEntry, PlaylistKind, Track, TrackStatus
from pysync_web.store.database import Database
from pysync_web.store.entries import EntryRepository
from pysync_web.store.folders import FolderRepository
from pysync_web.store.playlists import PlaylistRepository
from pysync_web.store.tracks import TrackRepository

REMOVED_AT = datetime(2024, 3, 1, tzinfo=timezone.utc)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "library.json", flush_delay_s=3600)
    yield database
    database.close()


def reopened(db: Database) -> Database:
    db.close()
    return Database(db.path, flush_delay_s=3600)


def playlist(external_id: str, position: int = 0, platform: Platform = Platform.SPOTIFY) -> Playlist:
    return Playlist(platform, PlaylistKind.PLAYLIST, external_id, f"https://x/{external_id}", external_id,
                    position=position)


def track(platform_id: str, platform: Platform = Platform.SPOTIFY) -> Track:
    return Track(platform, platform_id, f"Title {platform_id}", ["Artist"])


# --- playlists --------------------------------------------------------------------------------------

def test_playlist_add_get_and_persist(db: Database) -> None:
    added = PlaylistRepository(db).add(playlist("a"))
    assert added.id == 1
    assert PlaylistRepository(db).get(1) == added
    assert PlaylistRepository(db).get(2) is None
    db = reopened(db)
    assert PlaylistRepository(db).get(1) == added
    db.close()


def test_playlist_find_matches_platform_kind_and_external_id(db: Database) -> None:
    repo = PlaylistRepository(db)
    wanted = repo.add(playlist("same"))
    repo.add(playlist("same", platform=Platform.SOUNDCLOUD))
    album = playlist("same")
    album.kind = PlaylistKind.ALBUM
    repo.add(album)
    assert repo.find(Platform.SPOTIFY, PlaylistKind.PLAYLIST, "same") == wanted
    assert repo.find(Platform.SPOTIFY, PlaylistKind.PLAYLIST, "other") is None


def test_playlist_list_is_ordered_by_position_then_id(db: Database) -> None:
    repo = PlaylistRepository(db)
    for name, position in [("c", 1), ("a", 0), ("b", 1)]:
        repo.add(playlist(name, position))
    assert [p.external_id for p in repo.list()] == ["a", "c", "b"]


def test_playlist_update_and_remove(db: Database) -> None:
    repo = PlaylistRepository(db)
    stored = repo.add(playlist("a"))
    stored.name, stored.last_synced = "Renamed", REMOVED_AT
    repo.update(stored)
    assert repo.get(stored.id) == stored
    assert repo.remove(stored.id) is True
    assert repo.remove(stored.id) is False
    assert repo.get(stored.id) is None
    with pytest.raises(KeyError):
        repo.update(stored)


# --- tracks -----------------------------------------------------------------------------------------

def test_track_add_many_get_and_get_many(db: Database) -> None:
    repo = TrackRepository(db)
    added = repo.add_many([track("a"), track("b"), track("c")])
    assert [t.id for t in added] == [1, 2, 3]
    assert repo.get(2) == added[1]
    assert repo.get(9) is None
    assert repo.get_many(iter([3, 1, 9])) == {1: added[0], 3: added[2]}


def test_track_by_identities_finds_stored_ones_only(db: Database) -> None:
    repo = TrackRepository(db)
    spotify, soundcloud = repo.add_many([track("x"), track("x", Platform.SOUNDCLOUD)])
    found = repo.by_identities([(Platform.SPOTIFY, "x"), ("soundcloud", "x"), ("spotify", "missing")])
    assert found == {("spotify", "x"): spotify, ("soundcloud", "x"): soundcloud}
    assert repo.by_identities([]) == {}


def test_track_all_update_update_many_and_remove_many(db: Database) -> None:
    repo = TrackRepository(db)
    first, second, third = repo.add_many([track("a"), track("b"), track("c")])
    first.status, first.file = TrackStatus.DOWNLOADED, "/music/a.m4a"
    repo.update(first)
    second.title = third.title = "Renamed"
    repo.update_many([second, third])
    assert repo.all() == [first, second, third]
    assert repo.remove_many([1, 3, 99]) == [1, 3]
    assert repo.all() == [second]
    with pytest.raises(KeyError):
        repo.update(first)


def test_track_by_identities_is_fast_at_ten_thousand(db: Database) -> None:
    repo = TrackRepository(db)
    repo.add_many([track(str(n)) for n in range(10_000)])
    started = time.perf_counter()
    found = repo.by_identities(("spotify", str(n)) for n in range(0, 10_000, 2))
    assert len(found) == 5_000
    assert time.perf_counter() - started < 0.5


# --- entries ----------------------------------------------------------------------------------------

def entries_for(db: Database) -> list[PlaylistEntry]:
    return EntryRepository(db).add_many([
        PlaylistEntry(playlist_id=1, track_id=10, position=1),
        PlaylistEntry(playlist_id=1, track_id=11, position=0),
        PlaylistEntry(playlist_id=1, track_id=12, position=2, removed_at=REMOVED_AT),
        PlaylistEntry(playlist_id=2, track_id=10, position=0),
        PlaylistEntry(playlist_id=3, track_id=13, position=0, removed_at=REMOVED_AT),
    ])


def test_entries_for_playlist_in_position_order(db: Database) -> None:
    entries_for(db)
    repo = EntryRepository(db)
    assert [e.track_id for e in repo.for_playlist(1)] == [11, 10]
    assert [e.track_id for e in repo.for_playlist(1, include_removed=True)] == [11, 10, 12]
    assert repo.for_playlist(9) == []


def test_entries_update_many(db: Database) -> None:
    repo = EntryRepository(db)
    entry = entries_for(db)[0]
    entry.removed_at, entry.position = REMOVED_AT, 5
    repo.update_many([entry])
    assert [e for e in repo.for_playlist(1, include_removed=True) if e.id == entry.id] == [entry]
    with pytest.raises(KeyError):
        repo.update_many([PlaylistEntry(1, 1, 0, id=99)])


def test_entries_remove_for_playlist(db: Database) -> None:
    entries_for(db)
    repo = EntryRepository(db)
    assert repo.remove_for_playlist(1) == 3
    assert repo.for_playlist(1, include_removed=True) == []
    assert [e.track_id for e in repo.for_playlist(2)] == [10]


def test_referenced_track_ids_counts_removed_entries_of_other_playlists(db: Database) -> None:
    entries_for(db)
    repo = EntryRepository(db)
    assert repo.referenced_track_ids() == {10, 11, 12, 13}
    assert repo.referenced_track_ids(exclude_playlist_id=1) == {10, 13}



# --- folders ----------------------------------------------------------------------------------------

def test_folder_add_get_update_remove(db: Database) -> None:
    repo = FolderRepository(db)
    folder = repo.add(Folder("House"))
    assert folder.id == 1 and repo.get(1) == folder
    folder.name, folder.enabled = "Deep House", False
    repo.update(folder)
    assert repo.get(1) == folder
    assert repo.remove(1) is True
    assert repo.get(1) is None and repo.remove(1) is False
    with pytest.raises(KeyError):
        repo.update(folder)


def test_folder_list_puts_top_level_first_then_groups_by_parent(db: Database) -> None:
    repo = FolderRepository(db)
    for name, parent, position in [("b2", 2, 1), ("top2", None, 1), ("a1", 1, 0), ("top1", None, 0),
                                   ("b1", 2, 0)]:
        repo.add(Folder(name, parent_id=parent, position=position))
    assert [f.name for f in repo.list()] == ["top1", "top2", "a1", "b1", "b2"]
