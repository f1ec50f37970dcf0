"""What a page can do with one track's file: download it again, delete it, find it to play it.

A path comes from the store, and the store may be stale or hand-edited, so before a file is served or
deleted it must be the file recorded for this track and no other, and an audio file of a kind the app
writes. Nothing else on the disk can be served or deleted through a track id.
"""
from __future__ import annotations

from pathlib import Path

from pysync_web.errors import PySyncError
from pysync_web.models import DownloadJob, JobStatus, Track, TrackStatus
from pysync_web.services.audio.convert import AudioFormat
from pysync_web.services.downloads import DownloadService
from pysync_web.store.database import Database
from pysync_web.store.jobs import JobRepository
from pysync_web.store.tracks import TrackRepository
from pysync_web.worker.events import DownloadEvent, EventKind

AUDIO_SUFFIXES = frozenset(f".{audio_format.extension}" for audio_format in AudioFormat)


class TrackFileService:
    def __init__(self, db: Database, downloads: DownloadService):
        self.db = db
        self.downloads = downloads
        self.tracks = TrackRepository(db)
        self.jobs = JobRepository(db)

    def retry(self, track_id: int) -> DownloadJob | None:
        """Queue the track again; None when it is queued or downloading already.

        A failed or cancelled job goes back in the queue rather than a new one joining it, so the queue
        page shows one job per track instead of a trail of old failures. A track that has a file is
        downloaded again (the user asked for it, a better source say).
        """
        track = self._track(track_id)
        if track_id in self.jobs.active_track_ids():
            return None
        ended = [j for j in self.jobs.with_status(JobStatus.FAILED, JobStatus.CANCELLED) if j.track_id == track_id]
        if ended:
            return self.downloads.retry([ended[-1].id])[0]
        jobs = self.downloads.enqueue([track_id], force=track.status == TrackStatus.DOWNLOADED)
        return jobs[0] if jobs else None

    def delete_file(self, track_id: int, download_again: bool = False) -> Track:
        """Remove the track's file from disk; the track stays, waiting (pending) for a new download.

        It is queued again only when asked; an auto-download playlist also queues it at its next sync.
        """
        track = self._track(track_id)
        if track_id in self.jobs.active_track_ids():
            raise PySyncError("This track is queued or downloading; cancel its download on the Queue page first.")
        if not track.file:
            raise PySyncError("This track has no file to delete.")
        path = self._checked_path(track)
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            raise PySyncError(f"Could not delete {path}: {error.strerror or error}. "
                              "Check the music folder's permissions.") from None
        track.file, track.status, track.error = None, TrackStatus.PENDING, None
        track.downloaded_at = track.file_size = track.bitrate_kbps = track.sample_rate = None
        with self.db.transaction():
            self.tracks.update(track)
        self.downloads.events.publish(DownloadEvent(EventKind.FILE_REMOVED, track_id=track_id))
        if download_again:
            self.downloads.enqueue([track_id])
        return track

    def file_to_play(self, track_id: int) -> Path:
        """The track's audio file, checked; PySyncError saying why when there is none to play."""
        track = self._track(track_id)
        if track.status != TrackStatus.DOWNLOADED or not track.file:
            raise PySyncError("This track has not been downloaded yet.")
        path = self._checked_path(track)
        if not path.is_file():
            raise PySyncError("The file of this track is missing from the disk; download it again.")
        return path

    def _checked_path(self, track: Track) -> Path:
        path = Path(track.file or "")
        if not path.is_absolute() or path.suffix.lower() not in AUDIO_SUFFIXES:
            raise PySyncError(f"{path} is not an audio file PySync Hub made; it was left alone.")
        if self.tracks.ids_with_file(str(path)) != [track.id]:
            raise PySyncError(f"{path} is recorded for another track too; it was left alone.")
        return path

    def _track(self, track_id: int) -> Track:
        track = self.tracks.get(track_id)
        if track is None:
            raise PySyncError(f"There is no track {track_id}; it may have been removed with its playlist.")
        return track
