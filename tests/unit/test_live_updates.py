from pysync_web.ui.live import coalesce
from pysync_web.worker.events import DownloadEvent, EventKind


def test_coalesce_keeps_state_changes_and_the_last_tick_of_each_job():
    events = [
        DownloadEvent(EventKind.STARTED, job_id=1), DownloadEvent(EventKind.PROGRESS, job_id=1, percent=10),
        DownloadEvent(EventKind.PROGRESS, job_id=2, percent=5), DownloadEvent(EventKind.PROGRESS, job_id=1, percent=20),
        DownloadEvent(EventKind.DONE, job_id=2),
    ]
    kept = coalesce(events)
    assert [(e.kind, e.job_id, e.percent) for e in kept] == [
        (EventKind.STARTED, 1, None), (EventKind.PROGRESS, 2, 5), (EventKind.PROGRESS, 1, 20),
        (EventKind.DONE, 2, None)]
