"""Stable export ids: hashes of identity, first claimant keeps a hash, disjoint ranges."""
import re
from datetime import datetime, timedelta, timezone

import pytest

from pysync_web.models import Folder, Platform, Playlist, PlaylistKind, Track
from pysync_web.services.exports import ids
from pysync_web.services.exports.ids import (
    MASTER_PLAYLIST_ID, PLAYLIST_ID_RANGE, TRACK_ID_RANGE, IdAllocator, allocate_ids,
)

START = datetime(2024, 5, 1, tzinfo=timezone.utc)


def tracks(count: int, first_id: int = 1) -> list[Track]:
    return [Track(Platform.SPOTIFY, f"sp{i}", f"Song {i}", ["A"], id=i, created_at=START + timedelta(minutes=i))
            for i in range(first_id, first_id + count)]


def playlists(count: int) -> list[Playlist]:
    return [Playlist(Platform.SOUNDCLOUD, PlaylistKind.PLAYLIST, f"set{i}", f"u{i}", f"P{i}", id=i,
                     created_at=START + timedelta(days=i)) for i in range(1, count + 1)]


def test_ids_are_a_function_of_identity_not_of_row_ids():
    first = allocate_ids(tracks(3), playlists(2), [Folder("F", id=1)])
    renumbered = [Track(t.platform, t.platform_id, t.title, t.artists, id=t.id + 100, created_at=t.created_at)
                  for t in tracks(3)]
    second = allocate_ids(renumbered, playlists(2), [Folder("F", id=1)])
    assert [first.tracks[i] for i in (1, 2, 3)] == [second.tracks[i + 100] for i in (1, 2, 3)]
    assert first.playlists == second.playlists and first.folders == second.folders


def test_shapes_and_ranges():
    allocated = allocate_ids(tracks(50), playlists(10), [Folder("F", id=1), Folder("G", id=2)])
    for item in allocated.tracks.values():
        assert TRACK_ID_RANGE[0] <= item.number < TRACK_ID_RANGE[1]
    for item in [*allocated.playlists.values(), *allocated.folders.values()]:
        assert PLAYLIST_ID_RANGE[0] <= item.number < PLAYLIST_ID_RANGE[1] and item.number != MASTER_PLAYLIST_ID
    everything = [*allocated.tracks.values(), *allocated.playlists.values(), *allocated.folders.values()]
    assert all(re.fullmatch(r"[0-9A-F]{16}", i.persistent_id) for i in everything)
    assert all(re.fullmatch(r"[0-9a-f]{32}", i.uuid) for i in everything)
    assert len({i.number for i in everything}) == len({i.persistent_id for i in everything}) == len(everything)


def test_first_claimant_keeps_a_colliding_hash():
    allocator = IdAllocator()
    tiny = (1, 4)  # three numbers for three keys: some hashes collide, probing finds the free ones
    claimed = [allocator.claim(f"k{i}", tiny).number for i in range(3)]
    assert sorted(claimed) == [1, 2, 3]
    again = IdAllocator()
    assert [again.claim(f"k{i}", tiny).number for i in range(3)] == claimed


def test_adding_newer_tracks_never_moves_existing_ids_even_on_collisions(monkeypatch):
    # A range of 12 numbers for up to 10 tracks: collisions are certain, so probing is exercised.
    monkeypatch.setattr(ids, "TRACK_ID_RANGE", (1, 13))
    before = allocate_ids(tracks(6), [], [])
    after = allocate_ids(tracks(10), [], [])
    assert {i: after.tracks[i] for i in before.tracks} == before.tracks
    assert len({i.number for i in after.tracks.values()}) == 10


def test_order_of_the_input_does_not_matter():
    some = tracks(20)
    assert allocate_ids(some, [], []).tracks == allocate_ids(list(reversed(some)), [], []).tracks


@pytest.mark.parametrize("make", [
    lambda: Track(Platform.YTDLP, "sp1", "Song", ["A"], id=1),  # same id, other platform
    lambda: Track(Platform.SPOTIFY, "sp1 ", "Song", ["A"], id=1),
])
def test_identity_is_platform_and_platform_id(make):
    assert allocate_ids([make()], [], []).tracks[1] != allocate_ids(tracks(1), [], []).tracks[1]
