"""Step 2: fetch the audio with yt-dlp (one YoutubeDL per job), reporting progress and obeying cancel.

yt-dlp's progress hook runs in this worker thread many times a second; it is throttled to four
events a second per job before anything crosses to the event loop, and it is also where a cancel
request interrupts the transfer (raising from the hook stops yt-dlp between chunks).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from yt_dlp import YoutubeDL
from yt_dlp.utils import DownloadError

from pysync_web.errors import PySyncError
from pysync_web.platforms.retry import call_with_retries, policy_for
from pysync_web.platforms.ytdlp import YtDlpLog, translate_download_error
from pysync_web.services.audio.ffmpeg import Cancelled, ffmpeg_executable
from pysync_web.services.download.pipeline import DownloadContext
from pysync_web.worker.events import DownloadEvent, EventKind, ProgressThrottle

SOURCE_STEM = "source"


class FetchAudio:
    def run(self, context: DownloadContext) -> None:
        url = context.download_url or context.source_url
        if not url:
            raise ValueError("FetchAudio needs a resolved source")
        context.downloaded = call_with_retries(
            lambda: self._download(context, url), "the audio source", policy_for(context.settings))

    def _download(self, context: DownloadContext, url: str) -> Path:
        _clear_partials(context.work_dir)
        throttle = ProgressThrottle()

        def on_progress(status: dict[str, Any]) -> None:
            if context.cancel.is_set():
                raise Cancelled()
            if status.get("status") == "downloading" and throttle.ready():
                context.report(_progress_event(context, status))

        options = {
            "format": "bestaudio/best",
            "outtmpl": str(context.work_dir / f"{SOURCE_STEM}.%(ext)s"),
            "noplaylist": True,
            "quiet": True,
            "no_warnings": True,
            "noprogress": True,
            "socket_timeout": context.settings.http_timeout_s,
            # Truncated transfers are resumed by yt-dlp itself; failures that survive these retries go
            # to call_with_retries, which backs off and tries the whole fetch again.
            "retries": 3,
            "fragment_retries": 3,
            "overwrites": True,
            "cachedir": False,
            "logger": YtDlpLog(),
            "progress_hooks": [on_progress],
            # HLS segments are joined by yt-dlp and remuxed with ffmpeg; without it the file misprobes.
            "ffmpeg_location": ffmpeg_executable(),
        }
        try:
            with YoutubeDL(options) as ydl:
                info = ydl.extract_info(url, download=True, ie_key=_extractor_for(context, url))
        except Cancelled:
            raise
        except DownloadError as error:
            if context.cancel.is_set():
                raise Cancelled() from None
            raise translate_download_error(error, url, action="download") from None
        return _downloaded_file(context.work_dir, info)


def _extractor_for(context: DownloadContext, url: str) -> str | None:
    """Audio through an Invidious instance is a plain file; yt-dlp's YouTube extractor would claim the
    `latest_version` URLs of well-known instances and go to YouTube instead."""
    instance = context.settings.invidious_url.rstrip("/")
    return "Generic" if instance and url.startswith(instance + "/") else None


def _progress_event(context: DownloadContext, status: dict[str, Any]) -> DownloadEvent:
    total = status.get("total_bytes") or status.get("total_bytes_estimate")
    done = status.get("downloaded_bytes") or 0
    percent = min(100.0, 100.0 * done / total) if total else None
    return DownloadEvent(EventKind.PROGRESS, track_id=context.track.id, percent=percent,
                         speed=status.get("speed"), eta=status.get("eta"))


def _downloaded_file(work_dir: Path, info: dict[str, Any] | None) -> Path:
    for entry in (info or {}).get("requested_downloads") or []:
        path = Path(entry.get("filepath") or "")
        if path.is_file():
            return path
    found = [p for p in work_dir.glob(f"{SOURCE_STEM}.*") if p.suffix not in (".part", ".ytdl")]
    if not found:
        raise PySyncError("yt-dlp finished without writing a file")
    return found[0]


def _clear_partials(work_dir: Path) -> None:
    """A retried or restarted job starts clean: no .part files from an earlier attempt stay behind."""
    work_dir.mkdir(parents=True, exist_ok=True)
    for leftover in work_dir.glob(f"{SOURCE_STEM}.*"):
        leftover.unlink(missing_ok=True)
