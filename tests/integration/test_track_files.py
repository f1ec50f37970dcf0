"""Per-track file actions on a real library: a feed is really downloaded, then its files are played,
deleted and retried; paths the store should not hold are never served or deleted."""
from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from pysync_web.config import Settings
from pysync_web.errors import PySyncError
from pysync_web.models import JobStatus, Track, TrackStatus
from pysync_web.services.app_services import AppServices
from pysync_web.services.track_files import TrackFileService
from pysync_web.worker.queue import DownloadQueue


@pytest.fixture
def services(ytdlp_settings: Settings) -> Iterator[AppServices]:
    opened = AppServices.open(ytdlp_settings)
    yield opened
    opened.close()


@pytest.fixture
def files(services: AppServices) -> TrackFileService:
    return TrackFileService(services.db, services.downloads)


def download_all(services: AppServices) -> None:
    queue = DownloadQueue(services.downloads, services.events, concurrency=2)
    asyncio.run(asyncio.wait_for(queue.run(until_empty=True), timeout=60))


@pytest.fixture
def downloaded(services: AppServices, fake_feeds) -> list[Track]:
    """Two episodes of a feed, downloaded for real."""
    added = services.playlists.add(fake_feeds.publish("/show.rss", 2, audio_seconds=3))
    download_all(services)
    tracks = [item.track for item in services.catalog.playlist_tracks(added.playlist.id)]
    assert all(t.status == TrackStatus.DOWNLOADED for t in tracks)
    return tracks


def store(services: AppServices, track: Track) -> None:
    with services.db.transaction():
        services.downloads.tracks.update(track)


def test_a_downloaded_file_is_found_to_play(files: TrackFileService, downloaded: list[Track]) -> None:
    path = files.file_to_play(downloaded[0].id)
    assert path == Path(downloaded[0].file) and path.read_bytes()[:3] == b"ID3"


def test_delete_removes_the_file_and_leaves_the_track_pending(services, files, downloaded) -> None:
    track = downloaded[0]
    deleted = files.delete_file(track.id)
    assert not Path(track.file).exists() and Path(downloaded[1].file).exists()
    stored = services.catalog.track(track.id)
    assert stored == deleted
    assert (stored.status, stored.file, stored.file_size, stored.downloaded_at) == (
        TrackStatus.PENDING, None, None, None)
    assert services.downloads.jobs.with_status(JobStatus.QUEUED) == []
    with pytest.raises(PySyncError, match="not been downloaded"):
        files.file_to_play(track.id)
    with pytest.raises(PySyncError, match="no file to delete"):
        files.delete_file(track.id)


def test_delete_and_download_again(services, files, downloaded) -> None:
    track = downloaded[0]
    files.delete_file(track.id, download_again=True)
    [job] = services.downloads.jobs.with_status(JobStatus.QUEUED)
    assert job.track_id == track.id
    download_all(services)
    assert Path(files.file_to_play(track.id)).is_file()


def test_a_file_already_gone_from_disk_is_forgotten_and_not_played(services, files, downloaded) -> None:
    Path(downloaded[0].file).unlink()
    with pytest.raises(PySyncError, match="missing from the disk"):
        files.file_to_play(downloaded[0].id)
    files.delete_file(downloaded[0].id)
    assert services.catalog.track(downloaded[0].id).status == TrackStatus.PENDING


@pytest.mark.parametrize("recorded", ["notes.txt", "relative/song.mp3"])
def test_paths_that_are_not_audio_files_the_app_made_are_never_touched(services, files, downloaded,
                                                                         tmp_path, recorded) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("keep me")
    track = downloaded[0]
    track.file = str(other) if recorded == "notes.txt" else recorded
    store(services, track)
    with pytest.raises(PySyncError, match="not an audio file"):
        files.delete_file(track.id)
    with pytest.raises(PySyncError, match="not an audio file"):
        files.file_to_play(track.id)
    assert other.read_text() == "keep me"


def test_a_file_recorded_for_two_tracks_is_neither_deleted_nor_served(services, files, downloaded) -> None:
    first, second = downloaded
    second.file = first.file
    store(services, second)
    with pytest.raises(PySyncError, match="another track"):
        files.delete_file(first.id)
    with pytest.raises(PySyncError, match="another track"):
        files.file_to_play(second.id)
    assert Path(first.file).is_file()


def test_no_delete_while_the_track_is_in_the_queue(services, files, downloaded) -> None:
    services.downloads.enqueue([downloaded[0].id], force=True)
    with pytest.raises(PySyncError, match="queued or downloading"):
        files.delete_file(downloaded[0].id)
    assert Path(downloaded[0].file).is_file()


def test_retry_requeues_the_failed_job_itself(services, files, fake_feeds) -> None:
    url = fake_feeds.publish("/show.rss", 1, audio_seconds=3)
    services.playlists.add(url)
    del fake_feeds._audio_seconds["/audio/episode-1.mp3"]  # its audio is gone: the download fails
    download_all(services)
    [failed] = services.downloads.jobs.with_status(JobStatus.FAILED)

    job = files.retry(failed.track_id)
    assert job.id == failed.id and services.downloads.jobs.get(failed.id).status == JobStatus.QUEUED
    assert services.catalog.track(failed.track_id).status == TrackStatus.QUEUED
    assert files.retry(failed.track_id) is None  # already in the queue
    assert len(services.downloads.jobs.all()) == 1


def test_retry_of_a_downloaded_track_downloads_it_again(services, files, downloaded) -> None:
    job = files.retry(downloaded[0].id)
    assert job is not None and job.status == JobStatus.QUEUED and job.track_id == downloaded[0].id
    assert services.catalog.track(downloaded[0].id).status == TrackStatus.QUEUED


def test_actions_on_an_unknown_track_say_so(files: TrackFileService) -> None:
    for action in (files.retry, files.delete_file, files.file_to_play):
        with pytest.raises(PySyncError, match="There is no track 999"):
            action(999)



def test_deleting_a_file_tells_open_pages(services, files, downloaded) -> None:
    from pysync_web.worker.events import EventKind

    heard = []
    services.events.subscribe(heard.append)
    files.delete_file(downloaded[0].id)
    assert [(e.kind, e.track_id) for e in heard] == [(EventKind.FILE_REMOVED, downloaded[0].id)]
