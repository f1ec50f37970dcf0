"""Real, tiny audio files and cover images for the audio tests, made on the spot with ffmpeg and Pillow.

Sources come in the shapes downloads really have: an MP3 with an embedded cover stream, AAC in MP4
next to a video stream, AAC in MPEG-TS and Matroska, Opus in WebM and Ogg, Vorbis, FLAC, WAV.
Generating is ~20 ms a file; `ToneLibrary` still makes each (kind, length) once per test session.
"""
from __future__ import annotations

import io
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from pysync_web.services.audio.ffmpeg import run_ffmpeg


@dataclass(frozen=True)
class SourceKind:
    extension: str
    codec: str  # what probe should call its audio
    ffmpeg_args: tuple[str, ...]  # after the sine input (and the extra inputs the kind adds)
    extra_inputs: tuple[str, ...] = ()


SOURCE_TITLE = "Tag from the source, to be dropped"
_LOW_QUALITY_VIDEO = ("-f", "lavfi", "-i", "testsrc=size=64x64:rate=5")

SOURCE_KINDS: dict[str, SourceKind] = {
    "mp3": SourceKind("mp3", "mp3", ("-c:a", "libmp3lame", "-b:a", "128k")),
    "m4a": SourceKind("m4a", "aac", ("-c:a", "aac", "-b:a", "96k", "-f", "ipod")),
    "opus": SourceKind("opus", "opus", ("-c:a", "libopus", "-b:a", "64k")),
    "vorbis": SourceKind("ogg", "vorbis", ("-c:a", "libvorbis")),
    "flac": SourceKind("flac", "flac", ("-c:a", "flac")),
    "wav": SourceKind("wav", "pcm_s16le", ("-c:a", "pcm_s16le")),
    "webm-opus": SourceKind("webm", "opus", ("-c:a", "libopus", "-b:a", "64k")),
    "mkv-aac": SourceKind("mkv", "aac", ("-c:a", "aac", "-b:a", "96k")),
    "ts-aac": SourceKind("ts", "aac", ("-c:a", "aac", "-b:a", "96k")),
    # What a YouTube "video" download is: H.264-ish video plus AAC audio in one MP4.
    "mp4-video-aac": SourceKind(
        "mp4", "aac", ("-map", "0:a", "-map", "1:v", "-c:a", "aac", "-c:v", "mpeg4", "-shortest"),
        _LOW_QUALITY_VIDEO,
    ),
    # yt-dlp --embed-thumbnail leaves the cover as an attached-picture video stream.
    "mp3-with-cover": SourceKind(
        "mp3", "mp3",
        ("-map", "0:a", "-map", "1:v", "-c:a", "libmp3lame", "-c:v", "mjpeg", "-disposition:v", "attached_pic"),
        ("-f", "lavfi", "-i", "testsrc=size=64x64:rate=1:duration=1"),  # one frame: a picture
    ),
}


def make_tone(path: Path, seconds: float, kind: str = "mp3", frequency: int = 440) -> Path:
    """A sine tone of `seconds` as the given SOURCE_KINDS kind, e.g. make_tone(p, 3, "webm-opus")."""
    spec = SOURCE_KINDS[kind]
    args = ["-v", "error", "-y", "-f", "lavfi", "-i", f"sine=frequency={frequency}:duration={seconds}",
            *spec.extra_inputs, *spec.ffmpeg_args, "-metadata", f"title={SOURCE_TITLE}", str(path)]
    run = run_ffmpeg(args)
    if run.returncode != 0:
        raise RuntimeError(f"could not make a {kind} tone: {run.stderr}")
    return path


def make_cover(width: int, height: int, image_format: str = "PNG", mode: str = "RGB") -> bytes:
    """An image in thirds from left to right: red, green, blue; a centre crop of a wide one is green.

    mode "RGBA" makes the right third transparent; "CMYK" works with image_format "JPEG".
    """
    image = Image.new("RGB", (width, height), (255, 0, 0))
    image.paste((0, 255, 0), (width // 3, 0, 2 * width // 3, height))
    image.paste((0, 0, 255), (2 * width // 3, 0, width, height))
    if mode == "RGBA":
        image = image.convert("RGBA")
        image.paste((0, 0, 0, 0), (2 * width // 3, 0, width, height))
    elif mode != "RGB":
        image = image.convert(mode)
    output = io.BytesIO()
    image.save(output, format=image_format)
    return output.getvalue()


class ToneLibrary:
    """Makes each (kind, seconds, frequency) tone once; hands out copies a test may change.

    Fake servers call it from their request threads, so making a tone is locked, and a tone appears
    under its name only when complete.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self._lock = threading.Lock()

    def original(self, kind: str, seconds: float = 3, frequency: int = 440) -> Path:
        path = self.folder / f"{kind}-{seconds}s-{frequency}hz.{SOURCE_KINDS[kind].extension}"
        with self._lock:
            if not path.exists():
                # The extension tells ffmpeg the container, so the temp name keeps it.
                temp = path.with_name(f"making-{path.name}")
                os.replace(make_tone(temp, seconds, kind, frequency), path)
        return path

    def copy(self, kind: str, folder: Path, seconds: float = 3, frequency: int = 440, name: str = "source") -> Path:
        original = self.original(kind, seconds, frequency)
        return Path(shutil.copyfile(original, folder / f"{name}{original.suffix}"))


@pytest.fixture(scope="session")
def tones(tmp_path_factory: pytest.TempPathFactory) -> ToneLibrary:
    return ToneLibrary(tmp_path_factory.mktemp("tones"))
