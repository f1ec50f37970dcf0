"""The download queue end to end on a podcast feed: real yt-dlp, real ffmpeg, real tags, real store."""
import asyncio
import time
from pathlib import Path

import pytest

from pysync_web.config import Settings
from pysync_web.models import JobStatus, TrackStatus
from pysync_web.services.app_services import AppServices
from pysync_web.services.audio.tagging import read_tags
from pysync_web.worker.events import DownloadEvent, EventKind
from pysync_web.worker.queue import DownloadQueue


@pytest.fixture
def services(ytdlp_settings: Settings):
    opened = AppServices.open(ytdlp_settings)
    yield opened
    opened.close()


def run_queue(services: AppServices, concurrency: int = 3) -> list[DownloadEvent]:
    events: list[DownloadEvent] = []
    unsubscribe = services.events.subscribe(events.append)
    queue = DownloadQueue(services.downloads, services.events, concurrency)
    try:
        asyncio.run(asyncio.wait_for(queue.run(until_empty=True), timeout=60))
    finally:
        unsubscribe()
    return events


def test_a_feed_becomes_tagged_files(services, fake_feeds):
    added = services.playlists.add(fake_feeds.publish("/show.rss", 3, title="Night Shift", audio_seconds=4))
    events = run_queue(services)
    tracks = [item.track for item in services.catalog.playlist_tracks(added.playlist.id)]
    assert {t.status for t in tracks} == {TrackStatus.DOWNLOADED}
    for track in tracks:
        path = Path(track.file)
        assert path.is_file() and path.suffix == ".mp3"
        assert path.parent == services.settings.music_path
        tags = read_tags(path)
        assert tags.title == track.title and tags.source_url == track.source_url
    assert len({t.file for t in tracks}) == 3
    assert [e.kind for e in events].count(EventKind.DONE) == 3
    assert not (services.settings.music_path / ".incoming").exists() or not any(
        (services.settings.music_path / ".incoming").iterdir())


def test_event_order_for_one_job(services, fake_feeds):
    services.playlists.add(fake_feeds.publish("/one.rss", 1, audio_seconds=3))
    kinds = [e.kind for e in run_queue(services) if e.kind != EventKind.PROGRESS]
    assert kinds == [EventKind.STARTED, EventKind.CONVERTING, EventKind.TAGGING, EventKind.VERIFYING,
                     EventKind.DONE]


def test_downloaded_tracks_are_not_fetched_again_but_deleted_files_are(services, fake_feeds):
    added = services.playlists.add(fake_feeds.publish("/show.rss", 2, audio_seconds=3))
    run_queue(services)
    requests_before = len(fake_feeds.server.requests_to(r"^/audio/"))
    services.playlists.sync(added.playlist.id)
    assert services.downloads.jobs.with_status(JobStatus.QUEUED) == []
    first = services.catalog.playlist_tracks(added.playlist.id)[0].track
    Path(first.file).unlink()
    services.playlists.sync(added.playlist.id)
    [job] = services.downloads.jobs.with_status(JobStatus.QUEUED)
    assert job.track_id == first.id
    run_queue(services)
    assert len(fake_feeds.server.requests_to(r"^/audio/")) > requests_before
    assert Path(services.catalog.track(first.id).file).is_file()


def test_a_missing_source_fails_with_its_reason_and_others_go_on(services, fake_feeds):
    url = fake_feeds.publish("/show.rss", 2, audio_seconds=3)
    services.playlists.add(url)
    del fake_feeds._audio_seconds["/audio/episode-1.mp3"]  # episode 1's audio is gone: 404
    events = run_queue(services)
    failed = [e for e in events if e.kind == EventKind.FAILED]
    assert len(failed) == 1
    assert "nothing was found" in failed[0].message.lower()
    assert [e.kind for e in events].count(EventKind.DONE) == 1
    [job] = services.downloads.jobs.with_status(JobStatus.FAILED)
    assert job.error and services.catalog.track(job.track_id).status == TrackStatus.FAILED
    fake_feeds._audio_seconds["/audio/episode-1.mp3"] = 3
    assert services.downloads.retry() and run_queue(services)
    assert services.downloads.jobs.with_status(JobStatus.FAILED) == []


def test_concurrency_counts_transfers_and_conversions_wait_for_a_core(services, fake_feeds, monkeypatch):
    from pysync_web.services.download import cpu_slots, finish

    fake_feeds.server.bytes_per_second = 100_000  # each 3 s tone takes ~0.5 s to arrive
    services.playlists.add(fake_feeds.publish("/show.rss", 6, audio_seconds=3))
    transferring, running, converting = set(), set(), 0
    peak_transfers = peak_running = peak_converting = 0
    real_convert = finish.convert

    def slow_convert(*args, **kwargs):
        nonlocal converting, peak_converting
        converting += 1
        peak_converting = max(peak_converting, converting)
        try:
            time.sleep(0.3)
            return real_convert(*args, **kwargs)
        finally:
            converting -= 1

    def watch(event: DownloadEvent) -> None:
        nonlocal peak_transfers, peak_running
        if event.kind == EventKind.STARTED:
            transferring.add(event.job_id)
            running.add(event.job_id)
            peak_transfers = max(peak_transfers, len(transferring))
            peak_running = max(peak_running, len(running))
        elif event.kind == EventKind.CONVERTING:
            transferring.discard(event.job_id)
        elif event.kind in (EventKind.DONE, EventKind.FAILED, EventKind.CANCELLED):
            transferring.discard(event.job_id)
            running.discard(event.job_id)

    monkeypatch.setattr("pysync_web.services.download.finish.convert", slow_convert)
    services.events.subscribe(watch)
    events = run_queue(services, concurrency=2)
    assert [e.kind for e in events].count(EventKind.DONE) == 6
    assert peak_transfers == 2
    assert peak_running > 2  # a converting job gave its slot to the next download
    assert 1 <= peak_converting <= cpu_slots.CPU_SLOTS


async def test_cancel_stops_a_running_download_within_a_second(services, fake_feeds):
    fake_feeds.server.bytes_per_second = 20_000  # a 20 s tone takes ~16 s to arrive
    services.playlists.add(fake_feeds.publish("/slow.rss", 1, audio_seconds=20))
    queue = DownloadQueue(services.downloads, services.events, 1)
    seen: list[DownloadEvent] = []
    services.events.subscribe(seen.append)
    runner = asyncio.create_task(queue.run(until_empty=True))
    while not any(e.kind == EventKind.PROGRESS for e in seen):
        await asyncio.sleep(0.05)
    [job_id] = queue.running_job_ids
    cancelled_at = asyncio.get_running_loop().time()
    queue.cancel(job_id)
    await asyncio.wait_for(runner, timeout=5)
    assert asyncio.get_running_loop().time() - cancelled_at < 1.0
    assert seen[-1].kind == EventKind.CANCELLED
    assert services.downloads.jobs.get(job_id).status == JobStatus.CANCELLED
    leftovers = [p for p in services.settings.music_path.rglob("*") if p.is_file()]
    assert leftovers == []


async def test_pause_holds_queued_jobs_and_resume_runs_them(services, fake_feeds):
    services.playlists.add(fake_feeds.publish("/show.rss", 2, audio_seconds=3))
    queue = DownloadQueue(services.downloads, services.events, 2)
    queue.pause()
    runner = asyncio.create_task(queue.run())
    await asyncio.sleep(0.3)
    assert queue.running_job_ids == set() and len(services.downloads.jobs.with_status(JobStatus.QUEUED)) == 2
    queue.resume()
    for _ in range(200):
        if len(services.downloads.jobs.with_status(JobStatus.DONE)) == 2:
            break
        await asyncio.sleep(0.05)
    await queue.stop()
    await asyncio.wait_for(runner, timeout=5)
    assert len(services.downloads.jobs.with_status(JobStatus.DONE)) == 2


def test_a_full_music_folder_pauses_the_queue_with_one_error(services, fake_feeds, monkeypatch):
    services.playlists.add(fake_feeds.publish("/show.rss", 3, audio_seconds=3))
    monkeypatch.setattr("pysync_web.services.download.storage.free_bytes", lambda path: 10 * 1024 * 1024)
    events = run_queue(services, concurrency=1)
    paused = [e for e in events if e.kind == EventKind.QUEUE_PAUSED]
    assert len(paused) == 1 and "is full" in paused[0].message
    assert not any(e.kind == EventKind.FAILED for e in events)
    assert len(services.downloads.jobs.with_status(JobStatus.QUEUED)) == 3  # nothing lost, nothing failed


def test_a_disk_filling_up_mid_download_pauses_instead_of_failing(services, fake_feeds, monkeypatch):
    services.playlists.add(fake_feeds.publish("/show.rss", 2, audio_seconds=3))
    checks = iter([50 * 2**30, 1024])  # room before the first job; full when its failure is examined
    monkeypatch.setattr("pysync_web.services.download.storage.free_bytes", lambda path: next(checks, 1024))
    monkeypatch.setattr("pysync_web.services.download.finish.convert",
                        lambda *a, **k: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    events = run_queue(services, concurrency=1)
    assert [e.kind for e in events if e.kind in (EventKind.FAILED, EventKind.QUEUE_PAUSED)] == [
        EventKind.QUEUE_PAUSED]
    assert len(services.downloads.jobs.with_status(JobStatus.QUEUED)) == 2


def test_an_unwritable_music_folder_pauses_the_queue(services, fake_feeds, tmp_path):
    services.playlists.add(fake_feeds.publish("/show.rss", 1, audio_seconds=3))
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the music folder should be")
    services.settings.music_dir = str(blocker / "music")
    events = run_queue(services)
    [paused] = [e for e in events if e.kind == EventKind.QUEUE_PAUSED]
    assert "is not writable" in paused.message


def test_queued_jobs_can_be_cancelled_moved_and_a_playlists_jobs_cancelled(services, fake_feeds):
    first = services.playlists.add(fake_feeds.publish("/a.rss", 3, audio_seconds=3)).playlist
    services.playlists.add(fake_feeds.publish("/b.rss", 1, audio_seconds=3))
    queued = services.downloads.jobs.with_status(JobStatus.QUEUED)
    services.downloads.move(queued[-1].id, -3)
    assert services.downloads.jobs.with_status(JobStatus.QUEUED)[0].id == queued[-1].id
    queue = DownloadQueue(services.downloads, services.events, 1)
    assert queue.cancel_playlist(first.id) == 3
    remaining = services.downloads.jobs.with_status(JobStatus.QUEUED)
    assert [j.id for j in remaining] == [queued[-1].id]
    assert {t.track.status for t in services.catalog.playlist_tracks(first.id)} == {TrackStatus.PENDING}


def test_server_errors_are_retried_before_a_job_fails(services, fake_feeds):
    from tests.fakes.server import Reply

    services.playlists.add(fake_feeds.publish("/show.rss", 1, audio_seconds=3))
    fake_feeds.server.fail(r"^/audio/", Reply.text("busy", status=503), times=2)
    events = run_queue(services)
    assert [e.kind for e in events].count(EventKind.DONE) == 1
    assert len(fake_feeds.server.requests_to(r"^/audio/")) >= 3


def test_progress_events_are_throttled_per_job(services, fake_feeds):
    fake_feeds.server.bytes_per_second = 60_000  # ~1.5 s transfer for a 10 s tone
    services.playlists.add(fake_feeds.publish("/show.rss", 1, audio_seconds=10))
    started_at = time.monotonic()
    events = run_queue(services)
    elapsed = time.monotonic() - started_at
    progress = [e for e in events if e.kind == EventKind.PROGRESS]
    assert len(progress) >= 3, "progress was not reported during the transfer"
    started = next(e for e in events if e.kind == EventKind.STARTED)
    assert all(e.job_id == started.job_id for e in progress)
    assert 0 < progress[-1].percent <= 100
    assert len(progress) <= 4 * elapsed + 1  # yt-dlp calls the hook many times a second


async def test_concurrency_can_change_while_running(services, fake_feeds):
    fake_feeds.server.latency_s = 0.3
    services.playlists.add(fake_feeds.publish("/show.rss", 4, audio_seconds=3))
    queue = DownloadQueue(services.downloads, services.events, 1)
    runner = asyncio.create_task(queue.run(until_empty=True))
    await asyncio.sleep(0.1)
    assert len(queue.running_job_ids) == 1
    queue.set_concurrency(3)
    await asyncio.sleep(0.1)
    assert len(queue.running_job_ids) == 3
    await asyncio.wait_for(runner, timeout=30)
    with pytest.raises(Exception, match="between 1 and"):
        queue.set_concurrency(0)


def test_auto_export_is_rewritten_when_the_queue_drains(services, fake_feeds):
    import plistlib

    services.settings.auto_export = "itunes"
    services.playlists.add(fake_feeds.publish("/show.rss", 2, audio_seconds=3))
    queue = DownloadQueue(services.downloads, services.events, 2, on_idle=services.exports.auto_export)
    asyncio.run(asyncio.wait_for(queue.run(until_empty=True), timeout=60))
    [result] = services.exports.auto_export()
    library = plistlib.loads(result.paths[0].read_bytes())
    assert len(library["Tracks"]) == 2
    assert result.unchanged  # the queue's idle hook already wrote it after the downloads
