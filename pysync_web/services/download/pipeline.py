"""One track's download as a pipeline of small steps: resolve → fetch → convert → tag → verify → place.

Each step is a small object with one `run(context)` that reads and fills the shared DownloadContext,
so steps can be tested alone and the pipeline is data (a list). Steps block (HTTP, yt-dlp, ffmpeg) and
run in a worker thread; they report progress through `context.report`, which the queue turns into
events on the event loop, and they check `context.cancel` so a cancel lands within a second.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pysync_web.config import Settings
from pysync_web.models import Track
from pysync_web.services.audio.convert import AudioFormat, AudioQuality, ConversionResult
from pysync_web.services.audio.ffmpeg import AudioInfo, Cancelled
from pysync_web.worker.events import DownloadEvent, EventKind

Report = Callable[[DownloadEvent], None]


@dataclass
class DownloadContext:
    track: Track
    settings: Settings
    work_dir: Path  # private to this job, inside the music dir so the final move is a rename
    cancel: threading.Event
    report: Report
    playlist_name: str = ""  # for the {playlist} file name field
    audio_format: AudioFormat = AudioFormat.MP3
    audio_quality: AudioQuality = AudioQuality.BEST
    is_path_taken: Callable[[Path], bool] = lambda path: False
    # Filled in by the steps:
    source_url: str | None = None  # the recording chosen (a page people can open)
    download_url: str | None = None  # what yt-dlp fetches (a stream URL for SoundCloud)
    candidates: list[dict[str, Any]] = field(default_factory=list)
    match_score: float | None = None
    downloaded: Path | None = None
    converted: Path | None = None
    conversion: ConversionResult | None = None
    audio_info: AudioInfo | None = None
    final_path: Path | None = None

    def check_cancel(self) -> None:
        if self.cancel.is_set():
            raise Cancelled()

    def announce(self, kind: EventKind, message: str | None = None) -> None:
        self.report(DownloadEvent(kind, track_id=self.track.id, message=message))


class Step(Protocol):
    def run(self, context: DownloadContext) -> None: ...


def run_pipeline(steps: Sequence[Step], context: DownloadContext) -> DownloadContext:
    for step in steps:
        context.check_cancel()
        step.run(context)
    return context
