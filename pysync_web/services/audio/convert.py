"""Turn whatever a download produced into the one audio format the user chose.

Re-encoding lossy audio loses quality and time, so a stream already in the target codec (an MP3 for
mp3, AAC for m4a even inside a WebM/MP4/TS container, Opus for opus, FLAC for flac) is only
remuxed with `-c:a copy`. Everything else is encoded. Either way the output holds exactly one audio
stream and no metadata: video, embedded cover streams and the source's tags are dropped, because
tagging writes them anew.
"""
from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pysync_web.services.audio.ffmpeg import AudioInfo, DecodeReport, FfmpegError, probe, run_ffmpeg

log = logging.getLogger(__name__)


class AudioFormat(StrEnum):
    MP3 = "mp3"
    M4A = "m4a"
    OPUS = "opus"
    FLAC = "flac"

    @property
    def extension(self) -> str:
        """File extension without the dot; also the value stored in settings."""
        return self.value


class AudioQuality(StrEnum):
    BEST = "best"  # transparent for nearly everyone
    HIGH = "high"  # hard to tell apart, a quarter smaller
    SMALL = "small"  # for phones and small disks


@dataclass(frozen=True)
class _FormatRecipe:
    codec: str  # the ffmpeg codec name that is kept as is
    encoder_args: dict[AudioQuality, tuple[str, ...]]
    muxer: str  # given explicitly because the temp file's name does not end in the extension
    labels: dict[AudioQuality, str]  # what each quality means, for people


def _bitrates(codec: str, rates: tuple[str, str, str]) -> dict[AudioQuality, tuple[str, ...]]:
    return {quality: ("-c:a", codec, "-b:a", rate) for quality, rate in zip(AudioQuality, rates, strict=True)}


_RECIPES: dict[AudioFormat, _FormatRecipe] = {
    # LAME VBR: V0 is transparent for nearly everyone and smaller than 320k CBR.
    AudioFormat.MP3: _FormatRecipe(
        "mp3", {q: ("-c:a", "libmp3lame", "-q:a", level) for q, level in zip(AudioQuality, "025", strict=True)},
        "mp3", {AudioQuality.BEST: "VBR V0, about 245 kbit/s", AudioQuality.HIGH: "VBR V2, about 190 kbit/s",
                AudioQuality.SMALL: "VBR V5, about 130 kbit/s"}),
    # "ipod" is ffmpeg's MP4 muxer with the M4A brand iTunes, Rekordbox and car stereos expect;
    # +faststart puts the index first so players can read the duration without scanning.
    AudioFormat.M4A: _FormatRecipe(
        "aac", _bitrates("aac", ("256k", "192k", "128k")), "ipod",
        {AudioQuality.BEST: "AAC 256 kbit/s", AudioQuality.HIGH: "AAC 192 kbit/s", AudioQuality.SMALL: "AAC 128 kbit/s"}),
    AudioFormat.OPUS: _FormatRecipe(
        "opus", _bitrates("libopus", ("160k", "128k", "96k")), "opus",
        {AudioQuality.BEST: "Opus 160 kbit/s", AudioQuality.HIGH: "Opus 128 kbit/s", AudioQuality.SMALL: "Opus 96 kbit/s"}),
    AudioFormat.FLAC: _FormatRecipe(
        "flac", {q: ("-c:a", "flac") for q in AudioQuality}, "flac",
        {q: "lossless, whatever the quality setting" for q in AudioQuality}),
}


def quality_label(fmt: AudioFormat, quality: AudioQuality) -> str:
    return _RECIPES[fmt].labels[quality]


@dataclass(frozen=True)
class ConversionResult:
    path: Path
    copied: bool  # True: the audio stream was remuxed untouched; False: it was encoded
    source: AudioInfo
    # An encode decodes every frame of the source: what it found, so verification need not decode again.
    source_decoding: DecodeReport | None = None

    @property
    def method(self) -> str:
        return "copied" if self.copied else "encoded"


def convert(
    source: Path,
    fmt: AudioFormat,
    dest: Path,
    cancel: threading.Event | None = None,
    on_progress: Callable[[float], None] | None = None,
    quality: AudioQuality = AudioQuality.BEST,
) -> ConversionResult:
    """Write `source`'s audio to `dest` (which must end in `.{fmt.extension}`) in format `fmt`.

    The output goes to a hidden temp name in dest's folder and is renamed over `dest` only when ffmpeg
    succeeded, so a failure or a cancel (raises Cancelled) leaves no partial file. `on_progress`
    gets the done fraction, 0..1, in the calling thread.
    """
    if dest.suffix.lower() != f".{fmt.extension}":
        raise ValueError(f"{dest.name} does not end in .{fmt.extension}")
    info = probe(source, cancel)
    recipe = _RECIPES[fmt]
    copied = info.codec == recipe.codec
    codec_args = ("-c:a", "copy") if copied else recipe.encoder_args[quality]
    extra_muxer_args = ("-movflags", "+faststart") if recipe.muxer == "ipod" else ()

    dest.parent.mkdir(parents=True, exist_ok=True)
    temp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}.part")
    args = [
        "-v", "error", "-y", "-i", str(source),
        "-map", "0:a:0",  # the first audio stream only: no video, no cover "video" stream, no subtitles
        "-map_metadata", "-1", "-map_chapters", "-1",
        *codec_args, *extra_muxer_args, "-f", recipe.muxer, str(temp),
    ]
    report = _fraction_reporter(on_progress, info.duration_s)
    positions: list[float] = []

    def on_time(seconds: float) -> None:
        positions.append(seconds)
        if report is not None:
            report(seconds)

    try:
        run = run_ffmpeg(args, cancel, on_time)
        if run.returncode != 0:
            raise FfmpegError(f"could not convert {source.name} to {fmt.value} (ffmpeg: {run.reason})")
        os.replace(temp, dest)
    finally:
        temp.unlink(missing_ok=True)
    if on_progress is not None:
        on_progress(1.0)
    decoding = None if copied else DecodeReport(positions[-1] if positions else 0.0, run.stderr.strip())
    result = ConversionResult(dest, copied, info, decoding)
    log.info("%s %s (%s) to %s", result.method, source.name, info.codec, dest.name)
    return result


def _fraction_reporter(
    on_progress: Callable[[float], None] | None, duration_s: float
) -> Callable[[float], None] | None:
    if on_progress is None or duration_s <= 0:
        return None  # an unknown length gives no fraction; the caller still gets 1.0 at the end
    return lambda seconds: on_progress(min(seconds / duration_s, 1.0))
