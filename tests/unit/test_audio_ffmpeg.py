"""ffmpeg runner and probe: real ffmpeg on real tiny files, read by mutagen or by parsing `ffmpeg -i`."""
from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import pytest

from pysync_web.services.audio import ffmpeg
from pysync_web.services.audio.ffmpeg import Cancelled, FfmpegError, UnreadableAudioError, probe, run_ffmpeg
from tests.fakes.audio import SOURCE_KINDS, ToneLibrary, make_cover

CONTAINERS = {
    "mp3": "mp3", "m4a": "mp4", "opus": "ogg", "vorbis": "ogg", "flac": "flac", "wav": "wav",
    "webm-opus": "matroska", "mkv-aac": "matroska", "ts-aac": "mpegts", "mp4-video-aac": "mp4",
    "mp3-with-cover": "mp3",
}


@pytest.mark.parametrize("kind", sorted(SOURCE_KINDS))
def test_probe_names_codec_container_and_length(tones: ToneLibrary, kind: str) -> None:
    info = probe(tones.original(kind, seconds=3))

    assert info.codec == SOURCE_KINDS[kind].codec
    assert info.container == CONTAINERS[kind]
    assert info.duration_s == pytest.approx(3.0, abs=0.1)
    assert info.channels == 1
    assert info.sample_rate == (48000 if SOURCE_KINDS[kind].codec == "opus" else 44100)
    assert info.bitrate_kbps is not None and info.bitrate_kbps > 0


def test_probe_reads_length_from_ffmpeg_for_containers_mutagen_does_not_know(tones: ToneLibrary) -> None:
    assert probe(tones.original("webm-opus", seconds=2)).duration_s == pytest.approx(2.0, abs=0.1)


def test_probe_does_not_trust_an_mp3_name_on_another_format(tones: ToneLibrary, tmp_path: Path) -> None:
    disguised = tmp_path / "really-webm.mp3"
    disguised.write_bytes(tones.original("webm-opus").read_bytes())

    assert probe(disguised).codec == "opus"


def test_probe_of_a_file_without_audio_says_so(tmp_path: Path) -> None:
    picture = tmp_path / "cover.mp3"
    picture.write_bytes(make_cover(64, 64, image_format="JPEG"))

    with pytest.raises(UnreadableAudioError, match="no audio stream"):
        probe(picture)


def test_probe_of_a_non_audio_file_says_why(tmp_path: Path) -> None:
    page = tmp_path / "track.mp3"
    page.write_text("<html>Sign in to continue</html>")

    with pytest.raises(UnreadableAudioError) as raised:
        probe(page)
    assert raised.value.reason
    assert "@ 0x" not in str(raised.value)  # ffmpeg's log context is noise for a user


def test_cancel_kills_ffmpeg_within_half_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[subprocess.Popen[bytes]] = []

    class RecordingPopen(subprocess.Popen):  # type: ignore[type-arg]
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(ffmpeg.subprocess, "Popen", RecordingPopen)
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    begun = time.monotonic()

    with pytest.raises(Cancelled):
        # A sine source without a duration never ends on its own.
        run_ffmpeg(["-f", "lavfi", "-i", "sine", "-f", "null", "-"], cancel)

    assert time.monotonic() - begun < 0.2 + 0.5
    assert started and started[0].poll() is not None


def test_an_already_cancelled_run_starts_no_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ffmpeg.subprocess, "Popen", None)  # would raise TypeError if called
    cancel = threading.Event()
    cancel.set()

    with pytest.raises(Cancelled):
        run_ffmpeg(["-version"], cancel)


def test_progress_reports_output_time_in_the_callers_thread() -> None:
    seen: list[tuple[float, str]] = []

    run = run_ffmpeg(
        ["-f", "lavfi", "-i", "sine=duration=2", "-f", "null", "-"],
        on_time=lambda seconds: seen.append((seconds, threading.current_thread().name)),
    )

    assert run.returncode == 0
    assert seen[-1][0] == pytest.approx(2.0, abs=0.05)
    assert [seconds for seconds, _ in seen] == sorted(seconds for seconds, _ in seen)
    assert {thread for _, thread in seen} == {threading.current_thread().name}


def test_failure_keeps_ffmpegs_reason_without_log_context(tmp_path: Path) -> None:
    run = run_ffmpeg(["-v", "error", "-i", str(tmp_path / "missing.webm"), "-f", "null", "-"])

    assert run.returncode != 0
    assert "No such file or directory" in run.reason
    assert not run.reason.startswith("[")


def test_pysync_ffmpeg_overrides_the_bundled_binary(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PYSYNC_FFMPEG", str(tmp_path / "no-such-ffmpeg"))

    with pytest.raises(FfmpegError, match="could not be started"):
        run_ffmpeg(["-version"])
