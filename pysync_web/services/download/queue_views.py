"""Read-only views of the download queue for pages: counts, jobs with their tracks, per-playlist activity."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from pysync_web.models import DownloadJob, JobStatus, Track
from pysync_web.store.database import Database
from pysync_web.store.entries import EntryRepository
from pysync_web.store.jobs import JobRepository
from pysync_web.store.tracks import TrackRepository

_EPOCH = datetime.min.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class QueueCounts:
    active: int
    queued: int
    failed: int


@dataclass(frozen=True)
class JobView:
    job: DownloadJob
    track: Track


@dataclass(frozen=True)
class QueueView:
    running: list[JobView]
    queued: list[JobView]  # in queue order
    failed: list[JobView]  # newest first


@dataclass(frozen=True)
class PlaylistActivity:
    queued: int
    running: int


class QueueViews:
    def __init__(self, db: Database):
        self.jobs = JobRepository(db)
        self.tracks = TrackRepository(db)
        self.entries = EntryRepository(db)

    def counts(self) -> QueueCounts:
        by_status = self.jobs.count_by_status()
        return QueueCounts(by_status[JobStatus.RUNNING], by_status[JobStatus.QUEUED], by_status[JobStatus.FAILED])

    def queue_view(self, failed_limit: int = 200) -> QueueView:
        jobs = self.jobs.with_status(JobStatus.RUNNING, JobStatus.QUEUED, JobStatus.FAILED)
        tracks = self.tracks.get_many(j.track_id for j in jobs)

        def views(status: JobStatus) -> list[JobView]:
            return [JobView(j, tracks[j.track_id]) for j in jobs if j.status == status and j.track_id in tracks]

        failed = sorted(views(JobStatus.FAILED), key=lambda v: v.job.finished_at or _EPOCH, reverse=True)
        return QueueView(views(JobStatus.RUNNING), views(JobStatus.QUEUED), failed[:failed_limit])

    def playlist_activity(self) -> dict[int, PlaylistActivity]:
        """Queued and running downloads per playlist, for the playlists page's status column."""
        active = {j.track_id: j.status for j in self.jobs.with_status(JobStatus.QUEUED, JobStatus.RUNNING)}
        if not active:
            return {}
        counts: dict[int, list[int]] = {}
        for playlist_id, entries in self.entries.current_by_playlist().items():
            for entry in entries:
                status = active.get(entry.track_id)
                if status is not None:
                    pair = counts.setdefault(playlist_id, [0, 0])
                    pair[status == JobStatus.RUNNING] += 1
        return {pid: PlaylistActivity(queued, running) for pid, (queued, running) in counts.items()}
