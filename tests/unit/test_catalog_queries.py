"""Catalog queries behind the track pages: scope, search, filters, sort, paging, counts and stats."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from pysync_web.models import Platform, Playlist, PlaylistEntry, PlaylistKind, Track, TrackStatus
from pysync_web.services.catalog import Catalog, TrackQuery, TrackSort, searchable
from pysync_web.store.database import Database
from pysync_web.store.entries import EntryRepository
from pysync_web.store.playlists import PlaylistRepository
from pysync_web.store.tracks import TrackRepository

DAY = datetime(2024, 5, 1, 12, tzinfo=timezone.utc)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "library.json", flush_delay_s=3600)
    yield database
    database.close()


def track(n: int, **fields: object) -> Track:
    values = {"title": f"Title {n}", "artists": [f"Artist {n}"], "album": f"Album {n}", "duration_ms": n * 1000,
              "created_at": DAY + timedelta(hours=n), **fields}
    return Track(platform=values.pop("platform", Platform.SPOTIFY), platform_id=str(n), **values)


def add_playlist(db: Database, tracks: list[Track], removed: set[int] = frozenset()) -> Playlist:
    """The tracks in this order; the entries of tracks numbered in `removed` are marked removed."""
    with db.transaction():
        playlist = PlaylistRepository(db).add(Playlist(Platform.SPOTIFY, PlaylistKind.PLAYLIST, "p", "u", "P"))
        TrackRepository(db).add_many([t for t in tracks if t.id is None])
        EntryRepository(db).add_many([
            PlaylistEntry(playlist.id, t.id, position, added_at=DAY - timedelta(days=position),
                          removed_at=DAY if t.platform_id in {str(n) for n in removed} else None)
            for position, t in enumerate(tracks)])
    return playlist


def titles(catalog: Catalog, **query: object) -> list[str]:
    return [row.track.title for row in catalog.track_page(TrackQuery(**query)).rows]


def test_a_playlist_page_is_in_playlist_order_with_positions_and_added_dates(db: Database) -> None:
    playlist = add_playlist(db, [track(3), track(1), track(2), track(9)], removed={9})
    page = Catalog(db).track_page(TrackQuery(playlist_id=playlist.id))
    assert [(r.track.title, r.position, r.added_at) for r in page.rows] == [
        ("Title 3", 1, DAY), ("Title 1", 2, DAY - timedelta(days=1)), ("Title 2", 3, DAY - timedelta(days=2))]
    assert (page.total, page.page, page.pages) == (3, 1, 1)


def test_the_library_holds_every_track_once_without_positions(db: Database) -> None:
    shared = track(1)
    add_playlist(db, [shared, track(2)])
    add_playlist(db, [shared, track(3)])
    page = Catalog(db).track_page(TrackQuery(sort=TrackSort.TITLE))
    assert [(r.track.title, r.position, r.added_at) for r in page.rows] == [
        ("Title 1", None, DAY + timedelta(hours=1)), ("Title 2", None, DAY + timedelta(hours=2)),
        ("Title 3", None, DAY + timedelta(hours=3))]


def test_pages_are_cut_and_clamped(db: Database) -> None:
    playlist = add_playlist(db, [track(n) for n in range(1, 8)])
    catalog = Catalog(db)
    second = catalog.track_page(TrackQuery(playlist_id=playlist.id, page=2, page_size=3))
    assert [r.position for r in second.rows] == [4, 5, 6] and (second.total, second.pages) == (7, 3)
    beyond = catalog.track_page(TrackQuery(playlist_id=playlist.id, page=99, page_size=3))
    assert beyond.page == 3 and [r.position for r in beyond.rows] == [7]
    empty = catalog.track_page(TrackQuery(search="nothing"))
    assert (empty.rows, empty.total, empty.page, empty.pages) == ([], 0, 1, 1)


def test_search_needs_every_word_in_title_artists_or_album_ignoring_case_and_accents(db: Database) -> None:
    add_playlist(db, [track(1, title="Halo", artists=["Beyoncé"], album="I Am... Sasha Fierce"),
                      track(2, title="Crazy In Love", artists=["Beyoncé", "JAY-Z"]),
                      track(3, title="Crazy", artists=["Gnarls Barkley"], album="St. Elsewhere")])
    catalog = Catalog(db)
    assert titles(catalog, search="beyonce", sort=TrackSort.TITLE) == ["Crazy In Love", "Halo"]
    assert titles(catalog, search="  CRAZY  jay-z ") == ["Crazy In Love"]
    assert titles(catalog, search="sasha") == ["Halo"]
    assert titles(catalog, search="crazy elsewhere") == ["Crazy"]
    assert searchable("Épisode Ünïcode") == "episode unicode"


def test_filters_by_status_and_platform(db: Database) -> None:
    add_playlist(db, [track(1, status=TrackStatus.FAILED), track(2, status=TrackStatus.DOWNLOADED),
                      track(3, status=TrackStatus.FAILED, platform=Platform.SOUNDCLOUD)])
    catalog = Catalog(db)
    assert titles(catalog, statuses=frozenset({TrackStatus.FAILED}), sort=TrackSort.TITLE) == ["Title 1", "Title 3"]
    assert titles(catalog, platforms=frozenset({Platform.SOUNDCLOUD})) == ["Title 3"]
    assert titles(catalog, statuses=frozenset({TrackStatus.DOWNLOADED}),
                  platforms=frozenset({Platform.SOUNDCLOUD})) == []


@pytest.mark.parametrize(("sort", "ascending"), [
    (TrackSort.TITLE, ["alpha", "Beta", "gamma"]),
    (TrackSort.ARTIST, ["alpha", "gamma", "Beta"]),
    (TrackSort.ALBUM, ["gamma", "Beta", "alpha"]),
    (TrackSort.DURATION, ["Beta", "gamma", "alpha"]),
    (TrackSort.ADDED, ["gamma", "Beta", "alpha"]),  # playlist added dates: the first entry is the newest
    (TrackSort.STATUS, ["Beta", "alpha", "gamma"]),  # failed, queued, downloaded: trouble first
    (TrackSort.MATCH, ["gamma", "alpha", "Beta"]),
    (TrackSort.POSITION, ["alpha", "Beta", "gamma"]),
])
def test_each_sort_both_ways(db: Database, sort: TrackSort, ascending: list[str]) -> None:
    playlist = add_playlist(db, [
        track(1, title="alpha", artists=["A"], album="Z", duration_ms=300_000, status=TrackStatus.QUEUED,
              match_score=0.8),
        track(2, title="Beta", artists=["c"], album="Y", duration_ms=100_000, status=TrackStatus.FAILED,
              match_score=0.9),
        track(3, title="gamma", artists=["b"], album="x", duration_ms=200_000, status=TrackStatus.DOWNLOADED,
              match_score=0.7)])
    catalog = Catalog(db)
    assert titles(catalog, playlist_id=playlist.id, sort=sort) == ascending
    assert titles(catalog, playlist_id=playlist.id, sort=sort, descending=True) == ascending[::-1]


def test_rows_without_a_value_come_last_both_ways_and_ties_keep_their_order(db: Database) -> None:
    playlist = add_playlist(db, [track(1, match_score=None), track(2, match_score=0.9), track(3, match_score=0.9),
                                 track(4, match_score=0.8), track(5, album="")])
    catalog = Catalog(db)
    assert titles(catalog, playlist_id=playlist.id, sort=TrackSort.MATCH) == [
        "Title 4", "Title 2", "Title 3", "Title 1", "Title 5"]
    assert titles(catalog, playlist_id=playlist.id, sort=TrackSort.MATCH, descending=True) == [
        "Title 2", "Title 3", "Title 4", "Title 1", "Title 5"]
    assert titles(catalog, playlist_id=playlist.id, sort=TrackSort.ALBUM, descending=True)[-1] == "Title 5"


def test_pages_carry_the_unfiltered_counts_and_status_counts_agree(db: Database) -> None:
    playlist = add_playlist(db, [track(1, status=TrackStatus.FAILED), track(2, status=TrackStatus.DOWNLOADED),
                                 track(3), track(4, status=TrackStatus.DOWNLOADED)], removed={4})
    add_playlist(db, [track(5, status=TrackStatus.QUEUED)])
    catalog = Catalog(db)
    page = catalog.track_page(TrackQuery(playlist_id=playlist.id, search="Title 1"))
    expected = {TrackStatus.PENDING: 1, TrackStatus.QUEUED: 0, TrackStatus.DOWNLOADING: 0,
                TrackStatus.DOWNLOADED: 1, TrackStatus.FAILED: 1}
    assert page.total == 1 and page.counts == expected
    assert catalog.status_counts(playlist.id) == expected
    assert catalog.status_counts()[TrackStatus.DOWNLOADED] == 2 and sum(catalog.status_counts().values()) == 5


def test_library_stats(db: Database) -> None:
    today = date(2024, 5, 30)
    at = datetime(2024, 5, 30, 12, tzinfo=timezone.utc).astimezone()  # noon today in the server's zone

    def downloaded(n: int, days_ago: int, size: int) -> Track:
        return track(n, status=TrackStatus.DOWNLOADED, file=f"/m/{n}.mp3", file_size=size,
                     downloaded_at=at - timedelta(days=days_ago))

    add_playlist(db, [downloaded(1, 0, 1000), downloaded(2, 0, 500), downloaded(3, 2, 250),
                      downloaded(4, 45, 4), track(5, status=TrackStatus.FAILED, file_size=99),
                      track(6, platform=Platform.SOUNDCLOUD)])
    stats = Catalog(db).library_stats(today=today, days=7)
    assert stats.tracks == 6 and stats.size_bytes == 1754  # the failed track's size is not on disk
    assert stats.by_status[TrackStatus.DOWNLOADED] == 4 and stats.by_status[TrackStatus.QUEUED] == 0
    assert stats.downloads_per_day == [(date(2024, 5, 24 + i), n) for i, n in enumerate([0, 0, 0, 0, 1, 0, 2])]
    assert stats.by_platform == {Platform.SPOTIFY: 5, Platform.SOUNDCLOUD: 1}
