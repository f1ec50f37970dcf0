"""Playlists and albums through the Web API, against the fake Spotify."""
from __future__ import annotations

import time
from datetime import UTC, datetime

from pysync_web.config import Settings
from pysync_web.models import RemotePlaylist
from pysync_web.platforms.spotify import SpotifyClient
from tests.fakes.spotify import FakeSpotify
from tests.fakes.spotify_data import episode, local_track, make_track, make_tracks


def fetch(settings: Settings, url: str, known_snapshot_id: str | None = None) -> RemotePlaylist:
    return SpotifyClient(settings).fetch_playlist(SpotifyClient.parse_url(url), known_snapshot_id)


def playlist_url(playlist_id: str) -> str:
    return f"https://open.spotify.com/playlist/{playlist_id}?si=abc"


def test_playlist_metadata_and_track_fields(fake_spotify: FakeSpotify, spotify_settings: Settings) -> None:
    playlist_id = fake_spotify.add_playlist([make_track(7)], snapshot_id="s1", name="Road Trip", owner="Dana")

    remote = fetch(spotify_settings, playlist_url(playlist_id))

    assert (remote.name, remote.owner, remote.snapshot_id, remote.total) == ("Road Trip", "Dana", "s1", 1)
    assert remote.cover_url and remote.cover_url.endswith("-640")  # the largest of the three sizes
    assert remote.notice is None
    [track] = remote.tracks or []
    assert track.platform_id == "t000000000000000000007"
    assert (track.title, track.artists) == ("Track 7", ["Artist 7", "Guest 1"])
    assert (track.album, track.album_artist, track.release_date) == ("Album 0", "Album Artist 0", "2020-05-17")
    assert (track.duration_ms, track.isrc, track.explicit, track.track_number) == (180_007, "QZES60000007", True, 8)
    assert track.cover_url == "https://i.scdn.co/image/a000000000000000000000-640"
    assert track.url == "https://open.spotify.com/track/t000000000000000000007"
    assert track.audio_url is None
    assert track.added_at == datetime(2024, 1, 1, tzinfo=UTC)


def test_many_pages_come_back_complete_and_in_order(fake_spotify: FakeSpotify, spotify_settings: Settings) -> None:
    playlist_id = fake_spotify.add_playlist(make_tracks(1234))

    remote = fetch(spotify_settings, playlist_url(playlist_id))

    assert [t.title for t in remote.tracks or []] == [f"Track {n}" for n in range(1, 1235)]
    assert remote.total == 1234
    added = [t.added_at for t in remote.tracks or []]
    assert added == sorted(added)  # each item keeps its own added_at
    pages = fake_spotify.api_requests(r"/items$")
    assert sorted(int(r.query["offset"]) for r in pages) == list(range(0, 1234, 100))
    assert {r.query["limit"] for r in pages} == {"100"}


def test_all_pages_are_read_when_filtered_pages_understate_the_total(
    fake_spotify: FakeSpotify, spotify_settings: Settings
) -> None:
    fake_spotify.understate_filtered_totals = True
    playlist_id = fake_spotify.add_playlist(make_tracks(450))

    remote = fetch(spotify_settings, playlist_url(playlist_id))

    assert len(remote.tracks or []) == 450 and remote.total == 450
    pages = fake_spotify.api_requests(r"/items$")
    assert "fields" not in pages[0].query and all("fields" in r.query for r in pages[1:])


def test_pages_are_fetched_concurrently(fake_spotify: FakeSpotify, spotify_settings: Settings) -> None:
    playlist_id = fake_spotify.add_playlist(make_tracks(900))  # 9 pages: the first, then 8 at once
    fake_spotify.server.latency_s = 0.15

    started = time.perf_counter()
    remote = fetch(spotify_settings, playlist_url(playlist_id))
    elapsed = time.perf_counter() - started

    assert len(remote.tracks or []) == 900
    one_after_another = len(fake_spotify.server.requests) * 0.15  # token + playlist + 9 pages = 1.65 s
    assert elapsed < one_after_another * 0.66, f"{elapsed:.2f} s: pages were not fetched in parallel"


def test_unavailable_local_and_episode_items_are_skipped_and_counted(
    fake_spotify: FakeSpotify, spotify_settings: Settings
) -> None:
    content = [make_track(1), None, local_track(1), make_track(2), episode(1), None, local_track(2), make_track(3)]
    playlist_id = fake_spotify.add_playlist(content)

    remote = fetch(spotify_settings, playlist_url(playlist_id))

    assert [t.title for t in remote.tracks or []] == ["Track 1", "Track 2", "Track 3"]
    assert (remote.skipped.unavailable, remote.skipped.local_files, remote.skipped.episodes) == (2, 2, 1)
    assert remote.total == len(content)


def test_items_under_the_older_track_key_read_the_same(fake_spotify: FakeSpotify, spotify_settings: Settings) -> None:
    tracks = make_tracks(150) + [None]
    new_style = fetch(spotify_settings, playlist_url(fake_spotify.add_playlist(tracks, item_key="item")))
    old_style = fetch(spotify_settings, playlist_url(fake_spotify.add_playlist(tracks, item_key="track")))

    assert old_style.tracks == new_style.tracks and len(old_style.tracks or []) == 150
    assert old_style.total == new_style.total == 151
    assert old_style.skipped.unavailable == 1


def test_unchanged_snapshot_makes_one_request_and_no_items_request(
    fake_spotify: FakeSpotify, spotify_settings: Settings
) -> None:
    playlist_id = fake_spotify.add_playlist(make_tracks(300), snapshot_id="s1")
    fetch(spotify_settings, playlist_url(playlist_id))  # first sync: also caches the app token
    before = len(fake_spotify.server.requests)

    remote = fetch(spotify_settings, playlist_url(playlist_id), known_snapshot_id="s1")

    assert remote.tracks is None
    assert (remote.snapshot_id, remote.name, remote.total) == ("s1", "Road Trip", 300)
    later = fake_spotify.server.requests[before:]
    assert [r.path for r in later] == [f"/v1/playlists/{playlist_id}"]


def test_changed_snapshot_fetches_items_again(fake_spotify: FakeSpotify, spotify_settings: Settings) -> None:
    playlist_id = fake_spotify.add_playlist(make_tracks(5), snapshot_id="s2")

    remote = fetch(spotify_settings, playlist_url(playlist_id), known_snapshot_id="s1")

    assert remote.snapshot_id == "s2" and len(remote.tracks or []) == 5


def test_album_with_several_pages_gets_album_fields_and_isrcs(
    fake_spotify: FakeSpotify, spotify_settings: Settings
) -> None:
    album_id = fake_spotify.add_album(make_tracks(120), name="Greatest Hits", artists=("The Band", "Guest"),
                                      release_date="2021-03-05")

    remote = fetch(spotify_settings, f"https://open.spotify.com/album/{album_id}")

    assert (remote.name, remote.owner, remote.total, remote.snapshot_id) == (
        "Greatest Hits", "The Band, Guest", 120, None
    )
    tracks = remote.tracks or []
    assert [t.track_number for t in tracks] == list(range(1, 121))
    assert {(t.album, t.album_artist, t.release_date) for t in tracks} == {("Greatest Hits", "The Band", "2021-03-05")}
    assert all(t.cover_url == remote.cover_url for t in tracks)
    assert [t.isrc for t in tracks] == [f"QZES6{n:07d}" for n in range(1, 121)]
    # The album object carried the first 50; two more listing pages and three 50-id ISRC batches.
    assert len(fake_spotify.api_requests(r"/tracks/?$")) == 2 + 3


def test_album_without_the_batch_tracks_endpoint_comes_without_isrcs(
    fake_spotify: FakeSpotify, spotify_settings: Settings
) -> None:
    fake_spotify.several_tracks_endpoint = False  # as for Development Mode apps since February 2026
    album_id = fake_spotify.add_album(make_tracks(12))

    remote = fetch(spotify_settings, f"spotify:album:{album_id}")

    assert len(remote.tracks or []) == 12 and {t.isrc for t in remote.tracks or []} == {None}
