"""Stored download jobs (table `jobs`): the persistent download queue."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pysync_web.models import DownloadJob, JobStatus
from pysync_web.store.database import Database
from pysync_web.store.records import RecordTable

_ACTIVE = {JobStatus.QUEUED.value, JobStatus.RUNNING.value}


class JobRepository:
    def __init__(self, db: Database) -> None:
        self._records = RecordTable(db, "jobs", DownloadJob)

    def add_many(self, jobs: Iterable[DownloadJob]) -> list[DownloadJob]:
        return self._records.add_many(jobs)

    def get(self, job_id: int) -> DownloadJob | None:
        return self._records.get(job_id)

    def update(self, job: DownloadJob) -> None:
        self._records.update_many([job])

    def update_many(self, jobs: Iterable[DownloadJob]) -> None:
        self._records.update_many(jobs)

    def with_status(self, *statuses: JobStatus) -> list[DownloadJob]:
        """Jobs in any of these states, in queue order (position, then id)."""
        wanted = {s.value for s in statuses}
        jobs = self._records.where(lambda doc: doc["status"] in wanted)
        return sorted(jobs, key=lambda j: (j.position, j.id or 0))

    def count_by_status(self) -> dict[JobStatus, int]:
        """Without building job objects: the header asks for this on every live update."""
        counts = Counter(self._records.project(lambda doc: doc["status"], lambda doc: True))
        return {status: counts.get(status.value, 0) for status in JobStatus}

    def all(self) -> list[DownloadJob]:
        return self._records.where()

    def active_track_ids(self) -> set[int]:
        """Tracks with a queued or running job, so nothing is queued twice."""
        return set(self._records.project(lambda doc: doc["track_id"], lambda doc: doc["status"] in _ACTIVE))

    def next_position(self) -> int:
        positions = self._records.project(lambda doc: doc.get("position", 0), lambda doc: True)
        return max(positions, default=-1) + 1

    def remove_for_tracks(self, track_ids: Iterable[int]) -> list[int]:
        wanted = set(track_ids)
        return self._records.remove_where(lambda doc: doc["track_id"] in wanted)
