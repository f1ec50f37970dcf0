"""Downloads as the store sees them: which tracks need a file, jobs and their states, and running one.

The queue (worker/queue.py) decides when and how many; this service decides what a job does and
records every durable state change before the matching event is published, so a page never shows
"done" for a file the store would forget after a crash.
"""
from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from pysync_web.config import Settings
from pysync_web.errors import PySyncError
from pysync_web.models import DownloadJob, JobStatus, Track, TrackStatus
from pysync_web.services.audio.convert import AudioFormat, AudioQuality
from pysync_web.services.audio.ffmpeg import Cancelled
from pysync_web.services.download.fetch import FetchAudio
from pysync_web.services.download.finish import ConvertAudio, PlaceFile, TagFile, VerifyFile
from pysync_web.services.download.pipeline import DownloadContext, Step, run_pipeline
from pysync_web.services.download.queue_views import QueueViews
from pysync_web.services.download.resolve import ResolveSource
from pysync_web.services.download.storage import StorageUnavailableError, music_dir_problem, storage_error_from
from pysync_web.store.database import Database
from pysync_web.store.entries import EntryRepository
from pysync_web.store.jobs import JobRepository
from pysync_web.store.playlists import PlaylistRepository
from pysync_web.store.tracks import TrackRepository
from pysync_web.worker.events import DownloadEvent, EventBus, EventKind

log = logging.getLogger(__name__)

INCOMING_DIR = ".incoming"  # per-job work dirs inside the music dir; cleared at start
PIPELINE: tuple[Step, ...] = (ResolveSource(), FetchAudio(), ConvertAudio(), TagFile(), VerifyFile(), PlaceFile())


@dataclass
class JobOutcome:
    job: DownloadJob
    storage_error: StorageUnavailableError | None = None


def _now() -> datetime:
    return datetime.now(timezone.utc)


class DownloadService:
    def __init__(self, db: Database, settings: Settings, events: EventBus):
        self.db = db
        self.settings = settings
        self.events = events
        self.jobs = JobRepository(db)
        self.tracks = TrackRepository(db)
        self.entries = EntryRepository(db)
        self.playlists = PlaylistRepository(db)
        self.views = QueueViews(db)
        self._enqueue_lock = threading.Lock()

    # --- what to download --------------------------------------------------------------------------

    def enqueue_missing(self, playlist_ids: Iterable[int] | None = None) -> list[DownloadJob]:
        """Queue every track of these playlists (all auto-download playlists without ids) that has no
        verified file on disk and no active job. A file the user deleted is noticed here and queued again."""
        if playlist_ids is None:
            playlist_ids = [p.id for p in self.playlists.list() if p.auto_download and p.enabled]
        current = self.entries.current_by_playlist()  # one pass, however many playlists
        track_ids = {e.track_id for pid in playlist_ids for e in current.get(pid, [])}
        return self.enqueue(track_ids)

    def enqueue(self, track_ids: Iterable[int], force: bool = False) -> list[DownloadJob]:
        """Queue these tracks; `force` downloads again even when a file exists (a new source, say)."""
        with self._enqueue_lock, self.db.transaction():
            active = self.jobs.active_track_ids()
            tracks = [t for t in self.tracks.get_many(track_ids).values() if t.id not in active]
            wanted = [t for t in sorted(tracks, key=lambda t: t.id or 0) if force or not self._has_file(t)]
            position = self.jobs.next_position()
            jobs = [DownloadJob(track_id=t.id, position=position + i, created_at=_now()) for i, t in enumerate(wanted)]
            for track in wanted:
                track.status, track.error = TrackStatus.QUEUED, None
            self.jobs.add_many(jobs)
            self.tracks.update_many(wanted)
        for job in jobs:
            self.events.publish(DownloadEvent(EventKind.QUEUED, job_id=job.id, track_id=job.track_id))
        return jobs

    def _has_file(self, track: Track) -> bool:
        if track.status == TrackStatus.DOWNLOADED and track.file and Path(track.file).is_file():
            return True
        if track.status == TrackStatus.DOWNLOADED:  # recorded, but the user deleted the file
            track.status, track.file = TrackStatus.PENDING, None
        return False

    def set_source_url(self, track_id: int, url: str) -> DownloadJob | None:
        """A source chosen by hand: kept across syncs and matching, downloaded again at once."""
        url = (url or "").strip()
        if not url.lower().startswith(("http://", "https://")):
            raise PySyncError("A source must be a web link (https://…).")
        track = self._track(track_id)
        track.source_url, track.source_locked, track.match_score = url, True, None
        with self.db.transaction():
            self.tracks.update(track)
        jobs = self.enqueue([track_id], force=True)
        return jobs[0] if jobs else None

    # --- the queue's operations ----------------------------------------------------------------------

    def next_job(self, exclude: set[int]) -> DownloadJob | None:
        for job in self.jobs.with_status(JobStatus.QUEUED):
            if job.id not in exclude:
                return job
        return None

    def has_work(self) -> bool:
        return bool(self.jobs.with_status(JobStatus.QUEUED, JobStatus.RUNNING))

    def recover_interrupted(self) -> None:
        """At start: jobs that were running when the process died run again, from a clean work dir."""
        with self.db.transaction():
            interrupted = self.jobs.with_status(JobStatus.RUNNING)
            for job in interrupted:
                job.status = JobStatus.QUEUED
            self.jobs.update_many(interrupted)
        shutil.rmtree(self.settings.music_path / INCOMING_DIR, ignore_errors=True)

    def requeue(self, job_ids: Iterable[int]) -> None:
        """Jobs interrupted by a shutdown (not by the user) wait in the queue for the next start."""
        wanted = set(job_ids)
        with self.db.transaction():
            jobs = [j for j in self.jobs.with_status(JobStatus.CANCELLED, JobStatus.RUNNING) if j.id in wanted]
            for job in jobs:
                job.status, job.finished_at = JobStatus.QUEUED, None
            self.jobs.update_many(jobs)
            tracks = self.tracks.get_many(j.track_id for j in jobs)
            for track in tracks.values():
                if track.status != TrackStatus.DOWNLOADED:
                    track.status = TrackStatus.QUEUED
            self.tracks.update_many(tracks.values())

    def cancel_queued(self, job_id: int) -> bool:
        """Cancel a job that has not started; False when it is running (the queue interrupts those)."""
        job = self.jobs.get(job_id)
        if job is None or job.status != JobStatus.QUEUED:
            return False
        self._finish(job, JobStatus.CANCELLED, None, TrackStatus.PENDING)
        self.events.publish(DownloadEvent(EventKind.CANCELLED, job_id=job.id, track_id=job.track_id))
        return True

    def active_jobs_of_playlist(self, playlist_id: int) -> list[DownloadJob]:
        track_ids = {e.track_id for e in self.entries.for_playlist(playlist_id)}
        return [j for j in self.jobs.with_status(JobStatus.QUEUED, JobStatus.RUNNING) if j.track_id in track_ids]

    def retry(self, job_ids: Iterable[int] | None = None) -> list[DownloadJob]:
        """Queue failed (or cancelled) jobs again; every failed one without ids."""
        jobs = self.jobs.with_status(JobStatus.FAILED, JobStatus.CANCELLED)
        if job_ids is not None:
            wanted = set(job_ids)
            jobs = [j for j in jobs if j.id in wanted]
        else:
            jobs = [j for j in jobs if j.status == JobStatus.FAILED]
        with self.db.transaction():
            position = self.jobs.next_position()
            for i, job in enumerate(jobs):
                job.status, job.error, job.position, job.finished_at = JobStatus.QUEUED, None, position + i, None
            self.jobs.update_many(jobs)
            tracks = self.tracks.get_many(j.track_id for j in jobs)
            for track in tracks.values():
                track.status, track.error = TrackStatus.QUEUED, None
            self.tracks.update_many(tracks.values())
        for job in jobs:
            self.events.publish(DownloadEvent(EventKind.QUEUED, job_id=job.id, track_id=job.track_id))
        return jobs

    def move(self, job_id: int, offset: int) -> None:
        """Move a queued job up (negative) or down the queue by swapping places with its neighbour."""
        queued = self.jobs.with_status(JobStatus.QUEUED)
        index = next((i for i, j in enumerate(queued) if j.id == job_id), None)
        if index is None:
            raise PySyncError("Only queued jobs can be moved.")
        target = max(0, min(len(queued) - 1, index + offset))
        if target == index:
            return
        reordered = queued[:]
        reordered.insert(target, reordered.pop(index))
        for position, job in enumerate(reordered):
            job.position = position
        with self.db.transaction():
            self.jobs.update_many(reordered)

    def run_job(self, job_id: int, cancel: threading.Event) -> JobOutcome:
        """Run one job start to end in this (worker) thread; never raises for a job's own failure.

        A full or unwritable music folder is not the job's failure: the job stays queued and the
        outcome carries the storage error, on which the queue pauses.
        """
        problem = music_dir_problem(self.settings.music_path)
        if problem is not None:
            return JobOutcome(self._job(job_id), storage_error=problem)
        job, track = self._start(job_id)
        self.events.publish(DownloadEvent(EventKind.STARTED, job_id=job.id, track_id=track.id))
        work_dir = self.settings.music_path / INCOMING_DIR / str(job.id)
        context = DownloadContext(
            track=track, settings=self.settings, work_dir=work_dir, cancel=cancel,
            report=lambda event: self.events.publish(replace(event, job_id=job.id)),
            playlist_name=self._playlist_name(track), is_path_taken=self._path_taken_by_other(track),
        )
        try:
            context.audio_format, context.audio_quality = self._audio_format(), self._audio_quality()
            run_pipeline(PIPELINE, context)
        except Cancelled:
            self._finish(job, JobStatus.CANCELLED, None, self._status_without_new_file(track))
            self.events.publish(DownloadEvent(EventKind.CANCELLED, job_id=job.id, track_id=track.id))
            return JobOutcome(job)
        except (OSError, PySyncError) as error:
            music = self.settings.music_path
            problem = music_dir_problem(music) or storage_error_from(music, error)
            if problem is not None:
                return self._storage_failure(job, track, problem)
            reason = str(error) if isinstance(error, PySyncError) else f"file error: {error.strerror or error}"
            return self._failure(job, track, context, reason)
        except Exception as error:  # a bug must fail one job with a reason, never kill the queue
            log.exception("download of track %s failed unexpectedly", track.id)
            return self._failure(job, track, context, f"unexpected error: {error}")
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)
        self._record_file(job, track, context)
        self.events.publish(DownloadEvent(EventKind.DONE, job_id=job.id, track_id=track.id, percent=100.0,
                                          message=str(context.final_path)))
        return JobOutcome(job)

    # --- internals -----------------------------------------------------------------------------------

    def _start(self, job_id: int) -> tuple[DownloadJob, Track]:
        with self.db.transaction():
            job = self._job(job_id)
            track = self._track(job.track_id)
            job.status, job.started_at, job.attempts = JobStatus.RUNNING, _now(), job.attempts + 1
            track.status = TrackStatus.DOWNLOADING
            self.jobs.update(job)
            self.tracks.update(track)
        return job, track

    def _record_file(self, job: DownloadJob, track: Track, context: DownloadContext) -> None:
        """Durable before anyone hears "done": the transaction ends with the file on disk."""
        track.file = str(context.final_path)
        track.status, track.error = TrackStatus.DOWNLOADED, None
        track.downloaded_at, track.file_size = _now(), context.final_path.stat().st_size
        if context.audio_info is not None:
            track.bitrate_kbps, track.sample_rate = context.audio_info.bitrate_kbps, context.audio_info.sample_rate
        self._keep_match(track, context)
        self._finish(job, JobStatus.DONE, None, TrackStatus.DOWNLOADED, track)

    def _failure(self, job: DownloadJob, track: Track, context: DownloadContext, reason: str) -> JobOutcome:
        track.error = reason
        self._keep_match(track, context)
        self._finish(job, JobStatus.FAILED, reason, TrackStatus.FAILED, track)
        self.events.publish(DownloadEvent(EventKind.FAILED, job_id=job.id, track_id=track.id, message=reason))
        return JobOutcome(job)

    def _storage_failure(self, job: DownloadJob, track: Track, problem: StorageUnavailableError) -> JobOutcome:
        with self.db.transaction():  # the job did nothing wrong: it waits for the queue to resume
            job.status, job.attempts = JobStatus.QUEUED, max(0, job.attempts - 1)
            track.status = TrackStatus.QUEUED
            self.jobs.update(job)
            self.tracks.update(track)
        return JobOutcome(job, storage_error=problem)

    def _finish(self, job: DownloadJob, status: JobStatus, error: str | None, track_status: TrackStatus,
                track: Track | None = None) -> None:
        with self.db.transaction():
            job.status, job.error, job.finished_at = status, error, _now()
            self.jobs.update(job)
            stored = track or self.tracks.get(job.track_id)
            if stored is not None:
                stored.status = track_status
                self.tracks.update(stored)

    @staticmethod
    def _keep_match(track: Track, context: DownloadContext) -> None:
        if context.candidates:
            track.candidates = context.candidates
        if not track.source_locked and context.source_url and context.match_score is not None:
            track.source_url, track.match_score = context.source_url, context.match_score

    def _status_without_new_file(self, track: Track) -> TrackStatus:
        return TrackStatus.DOWNLOADED if self._has_file(track) else TrackStatus.PENDING

    def _path_taken_by_other(self, track: Track) -> Callable[[Path], bool]:
        def is_taken(path: Path) -> bool:
            return any(other != track.id for other in self.tracks.ids_with_file(str(path)))
        return is_taken

    def _playlist_name(self, track: Track) -> str:
        """The {playlist} of a file name: the first playlist that holds the track."""
        for playlist_id in self.entries.playlists_of(track.id):
            playlist = self.playlists.get(playlist_id)
            if playlist is not None:
                return playlist.name
        return ""

    def _audio_format(self) -> AudioFormat:
        try:
            return AudioFormat(self.settings.audio_format.lower())
        except ValueError:
            raise PySyncError(f"Unknown audio format {self.settings.audio_format!r}; use "
                              + ", ".join(f.value for f in AudioFormat) + ".") from None

    def _job(self, job_id: int) -> DownloadJob:
        job = self.jobs.get(job_id)
        if job is None:
            raise PySyncError(f"There is no download job {job_id}.")
        return job

    def _audio_quality(self) -> AudioQuality:
        try:
            return AudioQuality(self.settings.audio_quality.lower())
        except ValueError:
            raise PySyncError(f"Unknown audio quality {self.settings.audio_quality!r}; use "
                              + ", ".join(q.value for q in AudioQuality) + ".") from None

    def _track(self, track_id: int) -> Track:
        track = self.tracks.get(track_id)
        if track is None:
            raise PySyncError(f"There is no track {track_id}.")
        return track

