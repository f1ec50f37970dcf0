"""The queue page: live progress of running jobs, reordering and cancelling queued ones, retrying
failed ones, pause/resume and downloads at once. The queue task is not running in these tests, so
jobs stay where a test puts them."""
import asyncio
from datetime import datetime, timezone

import pytest

from pysync_web.models import DownloadJob, JobStatus
from pysync_web.services.app_services import AppServices
from pysync_web.ui.pages.queue import EMPTY_HINT
from pysync_web.worker.events import DownloadEvent, EventKind


@pytest.fixture
def jobs(ui_services: AppServices, fake_feeds) -> list[DownloadJob]:
    """Four queued downloads, in queue order."""
    ui_services.playlists.add(fake_feeds.publish("/show.rss", 4, title="Night Shift"))
    return ui_services.downloads.jobs.with_status(JobStatus.QUEUED)


def set_status(services: AppServices, job: DownloadJob, status: JobStatus, error: str | None = None) -> None:
    job.status, job.error = status, error
    job.finished_at = datetime.now(timezone.utc) if status == JobStatus.FAILED else None
    with services.db.transaction():
        services.downloads.jobs.update(job)


def queued_ids(services: AppServices) -> list[int]:
    return [job.id for job in services.downloads.jobs.with_status(JobStatus.QUEUED)]


def rows_on_page(app_user) -> list[int]:
    """The queued jobs' ids in the order the page shows them."""
    return [int(marker.split("-")[1]) for element in app_user.client.layout.descendants()
            for marker in element._markers if marker.startswith("queued-")]


async def until(condition, timeout_s: float = 3.0) -> None:
    for _ in range(int(timeout_s / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    assert condition()


def one(app_user, marker: str):
    [element] = app_user.find(marker=marker).elements
    return element


async def test_empty_queue_says_what_to_do(app_user):
    await app_user.open("/queue")
    await app_user.should_see(EMPTY_HINT)


async def test_running_job_shows_live_percent_speed_and_eta(app_user, ui_services, jobs):
    running = jobs[0]
    set_status(ui_services, running, JobStatus.RUNNING)
    await app_user.open("/queue")
    await app_user.should_see(marker=f"running-{running.id}")
    await app_user.should_see("Starting…")

    ui_services.events.publish(DownloadEvent(EventKind.PROGRESS, job_id=running.id, percent=42.4,
                                             speed=1.5 * 1024 * 1024, eta=75))
    await app_user.should_see("42% · 1.5 MB/s · 1:15 left", retries=20)


async def test_running_job_follows_every_batch_of_ticks_and_steps(app_user, ui_services, jobs):
    running = jobs[0]
    set_status(ui_services, running, JobStatus.RUNNING)
    await app_user.open("/queue")
    for percent in (10, 55, 90):
        ui_services.events.publish(DownloadEvent(EventKind.PROGRESS, job_id=running.id, percent=percent))
        await app_user.should_see(f"{percent}%", retries=20)
    ui_services.events.publish(DownloadEvent(EventKind.CONVERTING, job_id=running.id))
    await app_user.should_see("Converting…", retries=20)


async def test_progress_updates_the_row_without_rebuilding_the_lists(app_user, ui_services, jobs):
    set_status(ui_services, jobs[0], JobStatus.RUNNING)
    await app_user.open("/queue")
    queued_row = one(app_user, f"queued-{jobs[1].id}")
    ui_services.events.publish(DownloadEvent(EventKind.PROGRESS, job_id=jobs[0].id, percent=10))
    await app_user.should_see("10%", retries=20)
    assert not queued_row.is_deleted


async def test_cancel_a_queued_job(app_user, ui_services, jobs):
    await app_user.open("/queue")
    app_user.find(marker=f"cancel-{jobs[1].id}").click()
    await app_user.should_see("Removed from the queue.", retries=20)
    await app_user.should_not_see(marker=f"queued-{jobs[1].id}", retries=20)
    assert ui_services.downloads.jobs.get(jobs[1].id).status == JobStatus.CANCELLED
    assert queued_ids(ui_services) == [jobs[0].id, jobs[2].id, jobs[3].id]


async def test_move_queued_jobs_up_and_down(app_user, ui_services, jobs):
    await app_user.open("/queue")
    first, second, third, fourth = (job.id for job in jobs)
    assert not one(app_user, f"move-up-{first}").enabled
    assert not one(app_user, f"move-down-{fourth}").enabled

    app_user.find(marker=f"move-up-{third}").click()
    await until(lambda: rows_on_page(app_user) == [first, third, second, fourth])
    assert queued_ids(ui_services) == [first, third, second, fourth]

    app_user.find(marker=f"move-down-{first}").click()
    await until(lambda: rows_on_page(app_user) == [third, first, second, fourth])
    assert queued_ids(ui_services) == [third, first, second, fourth]


async def test_failed_jobs_show_their_reason_and_retry(app_user, ui_services, jobs):
    set_status(ui_services, jobs[0], JobStatus.FAILED, "No match on YouTube Music or YouTube")
    set_status(ui_services, jobs[1], JobStatus.FAILED, "HTTP 404 from the feed")
    await app_user.open("/queue")
    await app_user.should_see("No match on YouTube Music or YouTube")
    await app_user.should_see("HTTP 404 from the feed")

    app_user.find(marker=f"retry-{jobs[0].id}").click()
    await app_user.should_see("Queued again.", retries=20)
    await app_user.should_not_see("No match on YouTube Music or YouTube", retries=20)
    assert ui_services.downloads.jobs.get(jobs[0].id).status == JobStatus.QUEUED


async def test_retry_all_failed_jobs(app_user, ui_services, jobs):
    for job in jobs[:3]:
        set_status(ui_services, job, JobStatus.FAILED, "source gone")
    await app_user.open("/queue")
    app_user.find(marker="retry-all").click()
    await app_user.should_see("Queued 3 failed downloads again.", retries=20)
    await app_user.should_not_see("source gone", retries=20)
    assert ui_services.downloads.jobs.with_status(JobStatus.FAILED) == []
    assert len(queued_ids(ui_services)) == 4


async def test_pause_and_resume(context_user, ui_context, jobs):
    await context_user.open("/queue")
    context_user.find(marker="pause-queue").click()
    await context_user.should_see(marker="pause-banner")
    assert ui_context.queue.paused

    context_user.find(marker="resume-queue").click()
    await context_user.should_not_see(marker="pause-banner")
    assert not ui_context.queue.paused


async def test_a_pause_reason_shows_prominently_with_resume(context_user, ui_context, jobs):
    await context_user.open("/queue")
    ui_context.queue.pause("The music folder /mnt/usb is full (No space left on device).")
    await context_user.should_see("The music folder /mnt/usb is full", retries=20)
    context_user.find(marker="resume-queue").click()
    await context_user.should_not_see(marker="pause-banner")
    assert not ui_context.queue.paused


async def test_change_downloads_at_once(context_user, ui_context, ui_services, jobs):
    await context_user.open("/queue")
    with context_user:
        one(context_user, "concurrency").set_value(5)
    await context_user.should_see("Up to 5 downloads at once.", retries=20)
    assert ui_context.queue.concurrency == 5
    assert ui_services.settings.download_concurrency == 5
    assert '"download_concurrency": 5' in ui_services.settings.settings_path.read_text()
