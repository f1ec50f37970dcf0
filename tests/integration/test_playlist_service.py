"""Add, sync and remove through the services, with the real clients talking to the fake platforms."""
import json

import pytest

from pysync_web.errors import AlreadyAddedError, NotFoundError, ServiceUnavailableError
from pysync_web.models import JobStatus, TrackStatus
from pysync_web.services.app_services import AppServices
from pysync_web.services.playlists import PlaylistOptions
from tests.fakes.server import Reply
from tests.fakes.spotify import make_tracks
from tests.fakes.spotify_data import local_track

OPEN = "https://open.spotify.com/playlist/"


def current_ids(services: AppServices, playlist_id: int) -> list[str]:
    return [i.track.platform_id for i in services.catalog.playlist_tracks(playlist_id)]


def test_add_spotify_playlist_stores_tracks_in_order(services, fake_spotify):
    tracks = make_tracks(130)
    pid = fake_spotify.add_playlist(tracks + [None, local_track(1)])
    result = services.playlists.add(OPEN + pid)
    assert result.added == 130 and result.skipped.unavailable == 1 and result.skipped.local_files == 1
    assert current_ids(services, result.playlist.id) == [t["id"] for t in tracks]
    stored = services.catalog.playlist_tracks(result.playlist.id)
    assert all(i.entry.added_at is not None for i in stored)
    assert stored[0].track.isrc and stored[0].track.status == TrackStatus.QUEUED


def test_added_tracks_are_queued_unless_auto_download_is_off(services, fake_spotify):
    queued = services.playlists.add(OPEN + fake_spotify.add_playlist(make_tracks(3)))
    assert len(services.downloads.jobs.with_status(JobStatus.QUEUED)) == 3
    manual = services.playlists.add(OPEN + fake_spotify.add_playlist(make_tracks(2, start=50)),
                                    PlaylistOptions(auto_download=False))
    assert len(services.downloads.jobs.with_status(JobStatus.QUEUED)) == 3
    assert {i.track.status for i in services.catalog.playlist_tracks(manual.playlist.id)} == {TrackStatus.PENDING}
    services.playlists.sync(queued.playlist.id)  # nothing new: nothing queued twice
    assert len(services.downloads.jobs.with_status(JobStatus.QUEUED)) == 3


def test_adding_twice_is_refused_and_nothing_duplicated(services, fake_spotify):
    pid = fake_spotify.add_playlist(make_tracks(3))
    services.playlists.add(OPEN + pid)
    with pytest.raises(AlreadyAddedError, match="Already added"):
        services.playlists.add(f"spotify:playlist:{pid}")
    assert len(services.catalog.playlist_summaries()) == 1
    assert len(services.catalog.library_tracks()) == 3


def test_a_track_in_two_playlists_is_one_track(services, fake_spotify):
    shared = make_tracks(5)
    first = services.playlists.add(OPEN + fake_spotify.add_playlist(shared[:3]))
    second = services.playlists.add(OPEN + fake_spotify.add_playlist(shared[2:]))
    assert len(services.catalog.library_tracks()) == 5
    common = {i.track.id for i in services.catalog.playlist_tracks(first.playlist.id)} & {
        i.track.id for i in services.catalog.playlist_tracks(second.playlist.id)}
    assert len(common) == 1


def test_sync_applies_adds_removals_reorder_and_metadata(services, fake_spotify):
    tracks = make_tracks(6)
    pid = fake_spotify.add_playlist(tracks, snapshot_id="s1")
    playlist = services.playlists.add(OPEN + pid).playlist
    renamed = dict(tracks[1], name="Renamed Song")
    fresh = make_tracks(2, start=100)
    fake_spotify.add_playlist([tracks[3], renamed, tracks[0]] + fresh, snapshot_id="s2", playlist_id=pid)
    result = services.playlists.sync(playlist.id)
    assert (result.added, result.removed, result.updated) == (2, 3, 1)
    assert current_ids(services, playlist.id) == [tracks[3]["id"], tracks[1]["id"], tracks[0]["id"]] + [
        t["id"] for t in fresh]
    everything = services.catalog.playlist_tracks(playlist.id, include_removed=True)
    assert sum(1 for i in everything if not i.entry.is_current) == 3
    assert services.catalog.playlist_tracks(playlist.id)[1].track.title == "Renamed Song"


def test_unchanged_snapshot_costs_one_request(services, fake_spotify):
    pid = fake_spotify.add_playlist(make_tracks(250), snapshot_id="same")
    playlist = services.playlists.add(OPEN + pid).playlist
    before = len(fake_spotify.api_requests())
    result = services.playlists.sync(playlist.id)
    assert result.unchanged and len(fake_spotify.api_requests()) - before == 1
    assert len(services.catalog.playlist_tracks(playlist.id)) == 250


def test_failed_sync_leaves_store_as_it_was_and_records_error(services, fake_spotify, hub_settings):
    pid = fake_spotify.add_playlist(make_tracks(250), snapshot_id="s1")
    playlist = services.playlists.add(OPEN + pid).playlist
    services.db.flush()
    library_file = hub_settings.data_dir / "library.json"
    tracks_before = json.loads(library_file.read_text())["tracks"]
    fake_spotify.add_playlist(make_tracks(250, start=500), snapshot_id="s2", playlist_id=pid)
    fake_spotify.fail_page(200, Reply.json({"error": {"status": 500, "message": "boom"}}, status=500), times=3)
    with pytest.raises(ServiceUnavailableError):
        services.playlists.sync(playlist.id)
    assert current_ids(services, playlist.id)[0] == make_tracks(1)[0]["id"]
    assert len(services.catalog.library_tracks()) == 250
    assert json.loads(library_file.read_text())["tracks"] == tracks_before
    assert "not answering" in services.playlists.get(playlist.id).last_sync_error
    retried = services.playlists.sync(playlist.id)
    assert (retried.added, retried.removed) == (250, 250)
    assert services.playlists.get(playlist.id).last_sync_error is None


def test_sync_many_reports_each_playlist_and_skips_disabled(services, fake_spotify):
    good = services.playlists.add(OPEN + fake_spotify.add_playlist(make_tracks(2))).playlist
    doomed_id = fake_spotify.add_playlist(make_tracks(2), snapshot_id="a")
    doomed = services.playlists.add(OPEN + doomed_id).playlist
    disabled = services.playlists.add(OPEN + fake_spotify.add_playlist(make_tracks(2))).playlist
    services.playlists.update_options(disabled.id, enabled=False)
    del fake_spotify.playlists[doomed_id]
    outcomes = {o.playlist.id: o for o in services.playlists.sync_many()}
    assert set(outcomes) == {good.id, doomed.id}
    assert outcomes[good.id].error is None
    assert isinstance(outcomes[doomed.id].error, NotFoundError)


def test_disabled_folder_disables_its_playlists(services, fake_spotify):
    folder = services.folders.create("Gigs")
    sub = services.folders.create("2026", parent_id=folder.id)
    playlist = services.playlists.add(
        OPEN + fake_spotify.add_playlist(make_tracks(1)), PlaylistOptions(folder_id=sub.id)).playlist
    services.folders.set_enabled(folder.id, False)
    assert services.playlists.sync_many() == []
    services.folders.delete(sub.id)
    assert services.playlists.get(playlist.id).folder_id == folder.id


def test_track_limit_keeps_newest_and_changing_it_refetches(services, fake_spotify):
    pid = fake_spotify.add_playlist(make_tracks(10), snapshot_id="s1")
    playlist = services.playlists.add(OPEN + pid, PlaylistOptions(track_limit=3)).playlist
    assert current_ids(services, playlist.id) == [t["id"] for t in make_tracks(10)[-3:]]
    services.playlists.update_options(playlist.id, track_limit=None)
    result = services.playlists.sync(playlist.id)
    assert not result.unchanged and result.added == 7


def test_remove_keeps_tracks_other_playlists_hold(services, fake_spotify, hub_settings):
    shared = make_tracks(4)
    first = services.playlists.add(OPEN + fake_spotify.add_playlist(shared[:3])).playlist
    services.playlists.add(OPEN + fake_spotify.add_playlist(shared[2:]))
    music_file = hub_settings.data_dir / "keep-me.mp3"
    music_file.write_bytes(b"audio")
    services.playlists.remove(first.id)
    assert [s.playlist.id for s in services.catalog.playlist_summaries()] != [first.id]
    assert sorted(t.platform_id for t in services.catalog.library_tracks()) == sorted(t["id"] for t in shared[2:])
    assert music_file.exists()


def test_soundcloud_and_feed_playlists_sync_end_to_end(services, fake_soundcloud, fake_feeds):
    user = fake_soundcloud.add_user("dj-test")
    fake_soundcloud.add_playlist(user, "warmup", fake_soundcloud.add_tracks(user, 12))
    sc = services.playlists.add("https://soundcloud.com/dj-test/sets/warmup")
    assert sc.added == 12 and sc.playlist.platform.value == "soundcloud"
    feed = services.playlists.add(fake_feeds.publish("/show.rss", 4))
    assert feed.added == 4 and feed.playlist.platform.value == "ytdlp"
    assert services.playlists.sync(feed.playlist.id).added == 0
