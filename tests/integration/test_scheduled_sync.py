"""The scheduled sync on the real services: a new episode in a feed is picked up on its own and its
download queued (by the playlist service's on_synced hook), with nobody pressing Sync."""
import asyncio

from pysync_web.config import Settings
from pysync_web.models import JobStatus
from pysync_web.services.app_services import AppServices
from pysync_web.worker.scheduler import SyncScheduler


async def run_for(scheduler: SyncScheduler, seconds: float) -> None:
    task = asyncio.create_task(scheduler.run())
    await asyncio.sleep(seconds)
    scheduler.stop()
    await asyncio.wait_for(task, timeout=10)


def test_scheduled_sync_adds_new_tracks_and_queues_them(ytdlp_settings: Settings, fake_feeds):
    services = AppServices.open(ytdlp_settings)
    try:
        url = fake_feeds.publish("/show.rss", 2, title="Night Shift")
        added = services.playlists.add(url)
        fake_feeds.publish("/show.rss", 3, title="Night Shift")  # a new episode appears
        services.settings.sync_interval_hours = 0.3 / 3600
        scheduler = SyncScheduler(services.playlists, services.settings, check_every_s=0.05)

        asyncio.run(run_for(scheduler, 1.5))

        tracks = services.catalog.playlist_tracks(added.playlist.id)
        assert len(tracks) == 3
        queued = {job.track_id for job in services.downloads.jobs.with_status(JobStatus.QUEUED)}
        assert {item.track.id for item in tracks} == queued
        assert len(fake_feeds.server.requests_to(r"^/show\.rss")) >= 2
    finally:
        services.close()


def test_no_scheduled_sync_when_off(ytdlp_settings: Settings, fake_feeds):
    services = AppServices.open(ytdlp_settings)
    try:
        services.playlists.add(fake_feeds.publish("/show.rss", 2))
        before = len(fake_feeds.server.requests_to(r"^/show\.rss"))
        scheduler = SyncScheduler(services.playlists, services.settings, check_every_s=0.02)
        asyncio.run(run_for(scheduler, 0.3))
        assert len(fake_feeds.server.requests_to(r"^/show\.rss")) == before
    finally:
        services.close()
