"""Conversion: streams already in the chosen codec are remuxed bit for bit, everything else is encoded;
the output holds one audio stream and no leftovers, and a failed or cancelled run leaves no file."""
from __future__ import annotations

import stat
import threading
import time
from pathlib import Path

import pytest

from pysync_web.services.audio.convert import AudioFormat, convert
from pysync_web.services.audio.ffmpeg import Cancelled, FfmpegError, probe, run_ffmpeg
from tests.fakes.audio import SOURCE_KINDS, SOURCE_TITLE, ToneLibrary, make_tone

TARGET_CODEC = {AudioFormat.MP3: "mp3", AudioFormat.M4A: "aac", AudioFormat.OPUS: "opus", AudioFormat.FLAC: "flac"}
TARGET_CONTAINER = {AudioFormat.MP3: "mp3", AudioFormat.M4A: "mp4", AudioFormat.OPUS: "ogg", AudioFormat.FLAC: "flac"}
ONE_KIND_PER_CODEC = ["mp3", "m4a", "opus", "vorbis", "flac", "wav"]
# The other kinds are the same codecs in the containers downloads come in: each to the format that
# should keep its audio, and to one that must encode it.
CASES = [(kind, fmt) for kind in ONE_KIND_PER_CODEC for fmt in AudioFormat] + [
    ("webm-opus", AudioFormat.OPUS), ("webm-opus", AudioFormat.MP3),
    ("mkv-aac", AudioFormat.M4A), ("ts-aac", AudioFormat.M4A), ("ts-aac", AudioFormat.FLAC),
    ("mp4-video-aac", AudioFormat.M4A), ("mp4-video-aac", AudioFormat.MP3),
    ("mp3-with-cover", AudioFormat.MP3), ("mp3-with-cover", AudioFormat.OPUS),
]


def audio_packets_md5(path: Path) -> str:
    """A hash of the compressed audio as stored, so equal hashes mean nothing was re-encoded.

    MPEG-TS carries AAC with an ADTS header on every frame, which MP4 does not store; the same
    filter the MP4 muxer applies makes the two comparable.
    """
    adts_to_mp4 = ["-bsf:a", "aac_adtstoasc"] if probe(path).codec == "aac" else []
    run = run_ffmpeg(["-v", "error", "-i", str(path), "-map", "0:a:0", "-c", "copy", *adts_to_mp4,
                      "-f", "md5", "pipe:2"])
    assert run.returncode == 0, run.stderr
    return run.stderr.strip()


def ffmpeg_description(path: Path) -> str:
    """What `ffmpeg -i` says about a file: an opinion independent of our probe."""
    return run_ffmpeg(["-i", str(path)]).stderr


@pytest.mark.parametrize(("kind", "fmt"), CASES, ids=[f"{kind}-to-{fmt}" for kind, fmt in CASES])
def test_keeps_matching_codecs_and_encodes_the_rest(
    tones: ToneLibrary, tmp_path: Path, kind: str, fmt: AudioFormat
) -> None:
    source = tones.original(kind, seconds=1)
    dest = tmp_path / f"Artist - Title.{fmt.extension}"

    result = convert(source, fmt, dest)

    should_copy = SOURCE_KINDS[kind].codec == TARGET_CODEC[fmt]
    assert result.copied is should_copy
    assert result.path == dest
    info = probe(dest)
    assert (info.codec, info.container) == (TARGET_CODEC[fmt], TARGET_CONTAINER[fmt])
    assert info.duration_s == pytest.approx(1.0, abs=0.1)
    if should_copy:
        assert audio_packets_md5(dest) == audio_packets_md5(source)
    assert sorted(p.name for p in tmp_path.iterdir()) == [dest.name]


@pytest.mark.parametrize(("kind", "fmt"), [
    ("mp4-video-aac", AudioFormat.M4A), ("mp4-video-aac", AudioFormat.OPUS),
    ("mp3-with-cover", AudioFormat.MP3), ("mp3-with-cover", AudioFormat.FLAC),
])
def test_output_holds_only_the_audio_without_the_sources_tags(
    tones: ToneLibrary, tmp_path: Path, kind: str, fmt: AudioFormat
) -> None:
    source = tones.original(kind, seconds=1)
    assert "Video:" in ffmpeg_description(source) and SOURCE_TITLE in ffmpeg_description(source)

    description = ffmpeg_description(convert(source, fmt, tmp_path / f"out.{fmt.extension}").path)

    assert description.count("Stream #") == 1 and "Audio:" in description
    assert SOURCE_TITLE not in description


def test_cancel_kills_the_conversion_and_leaves_no_file(tmp_path: Path) -> None:
    source = make_tone(tmp_path / "long.flac", 120, "flac")  # ~3 s of AAC encoding: long enough to cancel
    library = tmp_path / "library"
    cancel = threading.Event()
    files_while_running: list[str] = []
    cancelled_at: list[float] = []

    def cancel_on_first_progress(fraction: float) -> None:
        if not cancelled_at:
            files_while_running.extend(p.name for p in library.iterdir())
            cancelled_at.append(time.monotonic())
            cancel.set()

    with pytest.raises(Cancelled):
        convert(source, AudioFormat.M4A, library / "Long.m4a", cancel, on_progress=cancel_on_first_progress)

    assert time.monotonic() - cancelled_at[0] < 0.5
    assert len(files_while_running) == 1 and files_while_running[0].endswith(".part")  # it was writing
    assert list(library.iterdir()) == []


def test_a_failed_conversion_leaves_no_partial_file(
    tones: ToneLibrary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tones.original("mp3")  # probed by mutagen, so only the conversion meets the broken ffmpeg
    # An "ffmpeg" that writes half a file to its output (the last argument), then fails.
    fake_ffmpeg = tmp_path / "ffmpeg"
    fake_ffmpeg.write_text(
        '#!/bin/sh\nfor last; do :; done\necho partial > "$last"\necho "Conversion failed!" >&2\nexit 1\n'
    )
    fake_ffmpeg.chmod(fake_ffmpeg.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PYSYNC_FFMPEG", str(fake_ffmpeg))
    library = tmp_path / "library"

    with pytest.raises(FfmpegError, match=r"could not convert .* \(ffmpeg: Conversion failed!\)"):
        convert(source, AudioFormat.OPUS, library / "Track.opus")

    assert list(library.iterdir()) == []


def test_progress_rises_to_one(tones: ToneLibrary, tmp_path: Path) -> None:
    fractions: list[float] = []

    convert(tones.original("flac"), AudioFormat.OPUS, tmp_path / "out.opus", on_progress=fractions.append)

    assert len(fractions) >= 2 and fractions[-2] > 0.9  # from ffmpeg's position, before the closing 1.0
    assert fractions[-1] == 1.0
    assert fractions == sorted(fractions) and all(0 <= f <= 1 for f in fractions)


def test_dest_must_carry_the_formats_extension(tones: ToneLibrary, tmp_path: Path) -> None:
    # A name such as "Mr. Brightside" shows why convert never guesses with Path.with_suffix.
    with pytest.raises(ValueError, match="does not end in .mp3"):
        convert(tones.original("mp3"), AudioFormat.MP3, tmp_path / "The Killers - Mr. Brightside")


def test_an_existing_destination_is_replaced_whole(tones: ToneLibrary, tmp_path: Path) -> None:
    dest = tmp_path / "Track.flac"
    dest.write_bytes(b"an older, broken attempt")

    convert(tones.original("wav"), AudioFormat.FLAC, dest)

    assert probe(dest).codec == "flac"
    assert [p.name for p in tmp_path.iterdir()] == ["Track.flac"]


@pytest.mark.parametrize("fmt", [AudioFormat.MP3, AudioFormat.M4A, AudioFormat.OPUS])
def test_a_smaller_quality_makes_smaller_files(tones: ToneLibrary, tmp_path: Path, fmt: AudioFormat) -> None:
    from pysync_web.services.audio.convert import AudioQuality

    source = tones.copy("flac", tmp_path, seconds=4)
    best = convert(source, fmt, tmp_path / f"best.{fmt.extension}", quality=AudioQuality.BEST)
    small = convert(source, fmt, tmp_path / f"small.{fmt.extension}", quality=AudioQuality.SMALL)
    assert small.path.stat().st_size < best.path.stat().st_size
