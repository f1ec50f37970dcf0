from datetime import date, datetime, timezone

import pytest

from pysync_web.models import Platform, PlaylistEntry, RemoteTrack, Track
from pysync_web.services.sync_diff import apply_limits, compute_diff, identity_of, track_from_remote

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def remote(n: int, added_day: int | None = None, **fields) -> RemoteTrack:
    added = datetime(2026, 1, added_day, tzinfo=timezone.utc) if added_day else None
    base = dict(platform=Platform.SPOTIFY, platform_id=f"t{n}", title=f"Song {n}", artists=[f"Artist {n}"],
                album="Album", duration_ms=200_000, isrc=f"ISRC{n}", added_at=added)
    base.update(fields)
    return RemoteTrack(**base)


def stored(n: int, track_id: int, **fields) -> Track:
    track = track_from_remote(remote(n, **fields), NOW)
    track.id = track_id
    return track


def test_first_sync_adds_every_track_in_order():
    diff = compute_diff([remote(1), remote(2), remote(3)], [], {}, NOW)
    assert diff.added == 3 and diff.removed == 0 and diff.updated == 0
    assert [t.platform_id for t in diff.new_tracks] == ["t1", "t2", "t3"]
    assert [(e.identity[1], e.position) for e in diff.new_entries] == [("t1", 0), ("t2", 1), ("t3", 2)]


def test_track_known_from_another_playlist_is_shared_not_duplicated():
    known = {("spotify", "t1"): stored(1, track_id=7)}
    diff = compute_diff([remote(1)], [], known, NOW)
    assert diff.new_tracks == []
    assert diff.added == 1 and diff.new_entries[0].identity == ("spotify", "t1")


def test_gone_tracks_are_marked_removed_and_kept():
    entries = [PlaylistEntry(1, 10, 0), PlaylistEntry(1, 11, 1)]
    known = {("spotify", "t1"): stored(1, 10)}
    diff = compute_diff([remote(1)], entries, known, NOW)
    assert diff.removed == 1
    assert entries[1].removed_at == NOW and entries[0].removed_at is None


def test_returning_track_is_revived_not_duplicated():
    entries = [PlaylistEntry(1, 10, 0, removed_at=NOW)]
    diff = compute_diff([remote(1)], entries, {("spotify", "t1"): stored(1, 10)}, NOW)
    assert diff.added == 1 and diff.new_entries == []
    assert entries[0].is_current


def test_reorder_updates_positions_without_counting_adds():
    entries = [PlaylistEntry(1, 10, 0), PlaylistEntry(1, 11, 1)]
    known = {("spotify", "t1"): stored(1, 10), ("spotify", "t2"): stored(2, 11)}
    diff = compute_diff([remote(2), remote(1)], entries, known, NOW)
    assert (diff.added, diff.removed, diff.updated) == (0, 0, 0)
    assert {e.track_id: e.position for e in entries} == {11: 0, 10: 1}


def test_metadata_change_is_an_update():
    entries = [PlaylistEntry(1, 10, 0)]
    known = {("spotify", "t1"): stored(1, 10)}
    diff = compute_diff([remote(1, title="Song 1 (Remastered)")], entries, known, NOW)
    assert diff.updated == 1 and diff.changed_tracks[0].title == "Song 1 (Remastered)"


def test_poorer_source_never_blanks_richer_metadata():
    track = stored(1, 10)
    known = {("spotify", "t1"): track}
    diff = compute_diff([remote(1, isrc=None, album="")], [PlaylistEntry(1, 10, 0)], known, NOW)
    assert diff.updated == 0 and track.isrc == "ISRC1" and track.album == "Album"


def test_duplicate_remote_items_keep_first_position():
    diff = compute_diff([remote(1), remote(2), remote(1)], [], {}, NOW)
    assert diff.added == 2 and [e.position for e in diff.new_entries] == [0, 1]


def test_unchanged_listing_changes_nothing():
    entries = [PlaylistEntry(1, 10, 0)]
    diff = compute_diff([remote(1)], entries, {("spotify", "t1"): stored(1, 10)}, NOW)
    assert diff.changed_entries == [] and diff.changed_tracks == []


@pytest.mark.parametrize(
    "limit, since, newest_first, expected",
    [
        (2, None, False, ["t4", "t3"]),  # by added_at: days 9 and 5 are newest
        (None, date(2026, 1, 4), False, ["t3", "t4"]),
        (1, date(2026, 1, 4), False, ["t4"]),
        (10, None, False, ["t1", "t2", "t3", "t4"]),
        (0, None, False, []),
    ],
)
def test_limits_use_added_at(limit, since, newest_first, expected):
    tracks = [remote(1, added_day=1), remote(2, added_day=3), remote(3, added_day=5), remote(4, added_day=9)]
    tracks = [tracks[0], tracks[1], tracks[3], tracks[2]]  # listing order differs from date order
    kept = apply_limits(tracks, limit, since, newest_first)
    assert sorted(t.platform_id for t in kept) == sorted(expected)
    assert [t.platform_id for t in kept] == [t.platform_id for t in tracks if t.platform_id in expected]


@pytest.mark.parametrize("newest_first, expected", [(True, ["t1", "t2"]), (False, ["t2", "t3"])])
def test_track_limit_without_dates_follows_listing_order(newest_first, expected):
    kept = apply_limits([remote(1), remote(2), remote(3)], 2, None, newest_first)
    assert [t.platform_id for t in kept] == expected


def test_date_limit_keeps_tracks_without_a_date():
    kept = apply_limits([remote(1), remote(2, added_day=1)], None, date(2026, 6, 1), False)
    assert [t.platform_id for t in kept] == ["t1"]


def test_identity_is_platform_and_id():
    assert identity_of(remote(5)) == ("spotify", "t5")
