"""Running ffmpeg, and reading what an audio file holds.

There is no ffprobe in the imageio-ffmpeg wheel, so `probe` reads stream facts with mutagen (no
subprocess, exact for the formats it knows) and falls back to parsing `ffmpeg -i` for the rest
(WebM/Matroska, MPEG-TS, anything exotic). Every ffmpeg run is cancellable: downloads run in worker
threads, and a user pressing "cancel" must not wait for a long encode to finish.
"""
from __future__ import annotations

import collections
import os
import re
import subprocess
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import imageio_ffmpeg
import mutagen
from mutagen.aac import AAC
from mutagen.flac import FLAC
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.oggflac import OggFLAC
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis

from pysync_web.errors import PySyncError

_POLL_S = 0.05  # how often a running ffmpeg is checked for cancellation and progress
_STDERR_LINES_KEPT = 40


class Cancelled(Exception):
    """The caller's cancel event was set; the ffmpeg process was killed. Not a failure to report."""


class FfmpegError(PySyncError):
    """ffmpeg could not do what was asked; the message ends with ffmpeg's own reason."""


class UnreadableAudioError(FfmpegError):
    """The file holds no audio stream ffmpeg or mutagen can read."""

    def __init__(self, path: Path, reason: str):
        self.reason = reason  # ffmpeg's own words, e.g. "moov atom not found"
        super().__init__(f"{path.name} holds no readable audio (ffmpeg: {reason})")


@dataclass(frozen=True)
class AudioInfo:
    codec: str  # ffmpeg's codec name: "mp3", "aac", "opus", "vorbis", "flac", "pcm_s16le", ...
    container: str  # "mp3", "mp4", "ogg", "flac", "matroska", "wav", "aac" (ADTS), ...
    duration_s: float
    bitrate_kbps: int | None = None
    sample_rate: int | None = None
    channels: int | None = None


@dataclass(frozen=True)
class DecodeReport:
    decoded_s: float  # how much audio actually decoded: less than the header says when cut off
    errors: str  # ffmpeg's error output; empty when every frame decoded

    @property
    def clean(self) -> bool:
        return not self.errors

    @property
    def first_error(self) -> str:
        return first_readable_line(self.errors)


@dataclass(frozen=True)
class FfmpegRun:
    returncode: int
    stderr: str  # the last lines only: enough to explain a failure without holding megabytes

    @property
    def reason(self) -> str:
        """ffmpeg's first complaint: the specific one ("moov atom not found"); later lines generalise."""
        return first_readable_line(self.stderr) or f"exit code {self.returncode}"


_LOG_CONTEXT_RE = re.compile(r"^(\[[^\]]*\]\s*)+")


def first_readable_line(ffmpeg_output: str) -> str:
    """The first non-empty line without ffmpeg's "[mp3 @ 0x55d0...]" context prefix, fit for a user."""
    lines = (_LOG_CONTEXT_RE.sub("", line).strip() for line in ffmpeg_output.splitlines())
    return next((line for line in lines if line), "")


def ffmpeg_executable() -> str:
    """PYSYNC_FFMPEG lets a user point at a system ffmpeg (e.g. one with more encoders).

    imageio-ffmpeg caches its own lookup, so asking on every run is cheap.
    """
    override = os.environ.get("PYSYNC_FFMPEG")
    if override:
        return override
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError:
        raise FfmpegError(
            "ffmpeg was not found: reinstall imageio-ffmpeg or set PYSYNC_FFMPEG to an ffmpeg binary"
        ) from None


def run_ffmpeg(
    args: Sequence[str],
    cancel: threading.Event | None = None,
    on_time: Callable[[float], None] | None = None,
) -> FfmpegRun:
    """Run ffmpeg with `args` (no shell), killing it within ~0.1 s of `cancel` being set.

    With `on_time`, ffmpeg reports its position in the output through `-progress pipe:1`, and
    `on_time(seconds)` is called in the caller's thread as it advances, once more at the end.
    """
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    command = [ffmpeg_executable(), "-hide_banner", "-nostdin"]
    if on_time is not None:
        command += ["-nostats", "-progress", "pipe:1", "-stats_period", "0.25"]
    command += list(args)
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if on_time is not None else subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
    except OSError as error:
        raise FfmpegError(f"ffmpeg could not be started ({command[0]}): {error.strerror}") from None
    stderr_tail: collections.deque[str] = collections.deque(maxlen=_STDERR_LINES_KEPT)
    position = _ProgressPosition()
    stderr_reader = _drain_in_thread(process.stderr, stderr_tail.append)
    readers = [stderr_reader]
    if on_time is not None:
        readers.append(_drain_in_thread(process.stdout, position.read_line))
    reported = -1.0
    try:
        # ffmpeg's stderr closes when it exits; joining its reader wakes at once then, unlike
        # Popen.wait(timeout), which sleeps in growing steps and adds ~10 ms to every short run.
        while stderr_reader.is_alive():
            stderr_reader.join(_POLL_S)
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            if on_time is not None and position.seconds > reported:
                reported = position.seconds
                on_time(reported)
        process.wait()
    finally:
        # Cancelled, or a failing progress callback: never leave an orphan ffmpeg writing files.
        if process.poll() is None:
            process.kill()
            process.wait()
        for reader in readers:
            reader.join()
    if on_time is not None and position.seconds > reported:
        on_time(position.seconds)
    return FfmpegRun(process.returncode, "".join(stderr_tail))


class _ProgressPosition:
    """Latest output position from ffmpeg's `-progress` key=value lines.

    Quirk: `out_time_ms` is in microseconds too, and every `out_time*` is "N/A" before the first
    frame, so only numeric `out_time_us` values count.
    """

    def __init__(self) -> None:
        self.seconds = 0.0

    def read_line(self, line: str) -> None:
        key, _, value = line.strip().partition("=")
        if key == "out_time_us" and value.lstrip("-").isdigit():
            self.seconds = max(self.seconds, int(value) / 1_000_000)


def _drain_in_thread(stream: IO[bytes] | None, consume: Callable[[str], None]) -> threading.Thread:
    # A pipe nobody reads fills up (64 KiB) and blocks ffmpeg forever, so each one gets a reader.
    assert stream is not None

    def drain() -> None:
        with stream:
            for raw_line in stream:
                consume(raw_line.decode("utf-8", errors="replace"))

    thread = threading.Thread(target=drain, name="ffmpeg-pipe", daemon=True)
    thread.start()
    return thread


def probe(path: Path, cancel: threading.Event | None = None) -> AudioInfo:
    """Codec, container and duration of the first audio stream; raises UnreadableAudioError."""
    return _probe_with_mutagen(path) or _probe_with_ffmpeg(path, cancel)


_MUTAGEN_KINDS: dict[type, tuple[str, str]] = {  # mutagen class -> (codec, container)
    MP3: ("mp3", "mp3"),
    OggOpus: ("opus", "ogg"),
    OggVorbis: ("vorbis", "ogg"),
    OggFLAC: ("flac", "ogg"),
    FLAC: ("flac", "flac"),
    AAC: ("aac", "aac"),
}


def _probe_with_mutagen(path: Path) -> AudioInfo | None:
    try:
        audio = mutagen.File(path)
    except (mutagen.MutagenError, OSError, ValueError):
        return None
    if audio is None:
        return None
    info = audio.info
    if isinstance(audio, MP4):
        codec, container = _mp4_codec(info.codec), "mp4"
    else:
        codec, container = _MUTAGEN_KINDS.get(type(audio), (None, ""))
    if codec is None:
        return None  # WAVE (which PCM?), AIFF, ALAC, AC-3...: ffmpeg names those precisely
    bitrate = getattr(info, "bitrate", 0)
    return AudioInfo(
        codec=codec,
        container=container,
        duration_s=float(info.length),
        bitrate_kbps=round(bitrate / 1000) if bitrate else None,
        # Opus always decodes at 48 kHz whatever the source rate was; mutagen does not say so.
        sample_rate=48000 if codec == "opus" else getattr(info, "sample_rate", None),
        channels=getattr(info, "channels", None),
    )


def _mp4_codec(mutagen_codec: str) -> str | None:
    # mutagen names MP4 codecs by their RFC 6381 id: mp4a.40.x is AAC of any profile (LC, HE);
    # object types 0x69 and 0x6B are MP3 carried in an MP4 box.
    codec = mutagen_codec.lower()
    if codec.startswith("mp4a.40"):
        return "aac"
    if codec in ("mp4a.69", "mp4a.6b"):
        return "mp3"
    return None


_INPUT_RE = re.compile(r"^Input #0, ([\w,]+), from", re.MULTILINE)
_DURATION_RE = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_CONTAINER_BITRATE_RE = re.compile(r"Duration: .*?bitrate: (\d+) kb/s")
_AUDIO_STREAM_RE = re.compile(r"Stream #0:\d+.*?: Audio: (\w+)(.*)$", re.MULTILINE)
_STREAM_DETAILS_RE = re.compile(r", (\d+) Hz, ([^,]+)(?:, [^,]+)?(?:, (\d+) kb/s)?")
_CHANNELS_BY_LAYOUT = {"mono": 1, "stereo": 2, "2.1": 3, "3.0": 3, "quad": 4, "4.0": 4, "5.0": 5,
                       "5.1": 6, "6.1": 7, "7.1": 8}
_CONTAINER_BY_DEMUXER = {"mov": "mp4"}  # ffmpeg's MP4 demuxer is named after QuickTime's .mov


def _probe_with_ffmpeg(path: Path, cancel: threading.Event | None) -> AudioInfo:
    # Without an output ffmpeg prints the input description and exits 1: that exit code is expected.
    stderr = run_ffmpeg(["-i", str(path)], cancel).stderr
    stream = _AUDIO_STREAM_RE.search(stderr)
    demuxer = _INPUT_RE.search(stderr)
    if demuxer is None:
        raise UnreadableAudioError(path, FfmpegRun(1, stderr).reason)
    if stream is None:  # a picture, a subtitle file, a video without sound
        raise UnreadableAudioError(path, f"no audio stream in this {demuxer.group(1)} file")
    details = _STREAM_DETAILS_RE.search(stream.group(2))
    duration = _DURATION_RE.search(stderr)
    container_bitrate = _CONTAINER_BITRATE_RE.search(stderr)
    first_demuxer = demuxer.group(1).split(",")[0]
    stream_bitrate = details.group(3) if details else None
    bitrate = stream_bitrate or (container_bitrate.group(1) if container_bitrate else None)
    return AudioInfo(
        codec=stream.group(1),
        container=_CONTAINER_BY_DEMUXER.get(first_demuxer, first_demuxer),
        duration_s=_seconds(duration) if duration else 0.0,
        bitrate_kbps=int(bitrate) if bitrate else None,
        sample_rate=int(details.group(1)) if details else None,
        channels=_channel_count(details.group(2)) if details else None,
    )


def _seconds(match: re.Match[str]) -> float:
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _channel_count(layout: str) -> int | None:
    layout = layout.split("(")[0].strip()  # "5.1(side)" is 5.1
    if layout.endswith(" channels"):
        return int(layout.split()[0])
    return _CHANNELS_BY_LAYOUT.get(layout)
