"""Where audio comes from, end to end: real clients, real yt-dlp and ffmpeg against the fakes."""
import asyncio
from pathlib import Path

import pytest

from pysync_web.models import JobStatus, TrackStatus
from pysync_web.services.app_services import AppServices
from pysync_web.services.audio.ffmpeg import probe
from pysync_web.services.audio.tagging import read_tags
from pysync_web.worker.queue import DownloadQueue
from tests.fakes.soundcloud_media import STREAM_SECONDS
from tests.fakes.spotify_data import artist, make_track

SPOTIFY_TITLE, SPOTIFY_ARTIST = "One More Time", "Daft Punk"


@pytest.fixture
def services(hub_settings, fake_invidious):
    hub_settings.invidious_url = fake_invidious.url
    opened = AppServices.open(hub_settings)
    yield opened
    opened.close()


def run_queue(services: AppServices) -> None:
    queue = DownloadQueue(services.downloads, services.events, 2)
    asyncio.run(asyncio.wait_for(queue.run(until_empty=True), timeout=60))


def spotify_playlist(fake_spotify) -> str:
    track = make_track(1, name=SPOTIFY_TITLE, artists=[artist(SPOTIFY_ARTIST)], duration_ms=STREAM_SECONDS * 1000)
    return "https://open.spotify.com/playlist/" + fake_spotify.add_playlist([track])


@pytest.mark.parametrize("protocol", ["progressive", "hls"])
def test_a_soundcloud_playlist_downloads_its_own_streams(services, fake_soundcloud, protocol):
    user = fake_soundcloud.add_user("night-owl", "Night Owl")
    tracks = fake_soundcloud.add_tracks(user, 2, duration=STREAM_SECONDS * 1000, full_duration=STREAM_SECONDS * 1000)
    for track in tracks:
        track["media"]["transcodings"] = [t for t in track["media"]["transcodings"]
                                          if t["format"]["protocol"] == protocol]
    fake_soundcloud.add_playlist(user, "late-set", tracks)
    added = services.playlists.add("https://soundcloud.com/night-owl/sets/late-set")
    run_queue(services)
    for item in services.catalog.playlist_tracks(added.playlist.id):
        assert item.track.status == TrackStatus.DOWNLOADED, item.track.error
        tags = read_tags(Path(item.track.file))
        assert (tags.title, tags.artists) == (item.track.title, item.track.artists)
        assert tags.source_url == item.track.url
        assert probe(Path(item.track.file)).codec == "mp3"


def test_a_spotify_track_is_matched_on_soundcloud_and_downloaded(services, fake_spotify, fake_soundcloud):
    services.settings.audio_providers = "soundcloud"
    user = fake_soundcloud.add_user("daftpunk", SPOTIFY_ARTIST)
    fake_soundcloud.add_tracks(user, 1, title=f"{SPOTIFY_ARTIST} - {SPOTIFY_TITLE} (Live)", duration=3000, full_duration=3000)
    [right] = fake_soundcloud.add_tracks(user, 1, title=f"{SPOTIFY_ARTIST} - {SPOTIFY_TITLE}", duration=3000, full_duration=3000)
    added = services.playlists.add(spotify_playlist(fake_spotify))
    run_queue(services)
    track = services.catalog.playlist_tracks(added.playlist.id)[0].track
    assert track.status == TrackStatus.DOWNLOADED, track.error
    assert track.source_url == right["permalink_url"] and track.match_score and track.match_score > 0.7
    assert {c["url"] for c in track.candidates} >= {right["permalink_url"]}
    tags = read_tags(Path(track.file))
    assert tags.isrc == track.isrc and tags.album == track.album and tags.source_url == right["permalink_url"]


def test_invidious_audio_is_converted_to_mp3_and_tagged(services, fake_spotify, fake_invidious):
    services.settings.audio_providers = "invidious"
    decoy = fake_invidious.add_video(f"{SPOTIFY_ARTIST} - {SPOTIFY_TITLE} (Karaoke Version)", "Sing King", 3)
    video = fake_invidious.add_video(f"{SPOTIFY_ARTIST} - {SPOTIFY_TITLE}", f"{SPOTIFY_ARTIST} - Topic", 3)
    fake_invidious.set_results(f"{SPOTIFY_ARTIST} - {SPOTIFY_TITLE}", [decoy, video])
    added = services.playlists.add(spotify_playlist(fake_spotify))
    run_queue(services)
    track = services.catalog.playlist_tracks(added.playlist.id)[0].track
    assert track.status == TrackStatus.DOWNLOADED, track.error
    assert video["videoId"] in track.source_url
    info = probe(Path(track.file))
    assert info.codec == "mp3" and abs(info.duration_s - 3) < 0.5


def test_no_acceptable_candidate_fails_with_candidates_kept(services, fake_spotify, fake_invidious):
    services.settings.audio_providers = "invidious"
    cover = fake_invidious.add_video(f"{SPOTIFY_TITLE} - {SPOTIFY_ARTIST} (Piano Cover)", "Piano Guy", 3)
    fake_invidious.set_results(f"{SPOTIFY_ARTIST} - {SPOTIFY_TITLE}", [cover])
    added = services.playlists.add(spotify_playlist(fake_spotify))
    run_queue(services)
    track = services.catalog.playlist_tracks(added.playlist.id)[0].track
    assert track.status == TrackStatus.FAILED and "No match found" in track.error
    assert [c["title"] for c in track.candidates] == [cover["title"]]
    assert services.downloads.jobs.with_status(JobStatus.FAILED)


def test_a_source_set_by_hand_is_downloaded_and_kept_across_syncs(services, fake_spotify, fake_invidious):
    services.settings.audio_providers = "invidious"
    added = services.playlists.add(spotify_playlist(fake_spotify))
    run_queue(services)  # nothing found: failed
    video = fake_invidious.add_video("Some upload the matcher would never pick", "Somebody", 3)
    url = f"{fake_invidious.url}/latest_version?id={video['videoId']}&itag=140&local=true"
    track = services.catalog.playlist_tracks(added.playlist.id)[0].track
    services.downloads.set_source_url(track.id, url)
    run_queue(services)
    track = services.catalog.track(track.id)
    assert track.status == TrackStatus.DOWNLOADED and track.source_url == url and track.source_locked
    services.playlists.sync(added.playlist.id)
    assert services.catalog.track(track.id).source_url == url
