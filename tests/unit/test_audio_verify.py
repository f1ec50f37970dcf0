"""Verification: complete files of the right length pass; previews, wrong matches and damaged or
cut-off downloads fail with a reason a user can act on."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from pysync_web.errors import PySyncError
from pysync_web.services.audio.ffmpeg import Cancelled
from pysync_web.formatting import clock
from pysync_web.services.audio.verify import VerificationError, check_duration, verify_audio
from tests.fakes.audio import ToneLibrary


def cut_in_half(path: Path) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.mark.parametrize("kind", ["mp3", "m4a", "opus", "flac"])
def test_a_complete_file_of_the_expected_length_passes(tones: ToneLibrary, kind: str) -> None:
    info = verify_audio(tones.original(kind, seconds=4), expected_duration_ms=4_000)

    assert info.duration_s == pytest.approx(4.0, abs=0.05)
    assert info.codec in ("mp3", "aac", "opus", "flac")


def test_without_an_expected_length_only_decoding_counts(tones: ToneLibrary) -> None:
    assert verify_audio(tones.original("opus"), expected_duration_ms=None).duration_s == pytest.approx(3.0, abs=0.05)


def test_a_30_second_file_for_a_long_track_is_called_a_preview(tones: ToneLibrary) -> None:
    with pytest.raises(VerificationError, match=r"^got a 30-second preview instead of the full track \(3:45\)$"):
        verify_audio(tones.original("opus", seconds=30), expected_duration_ms=225_000)


def test_a_file_of_another_length_is_called_a_wrong_match(tones: ToneLibrary) -> None:
    expected = r"^duration 0:03 differs from the expected 1:00: probably a wrong match$"
    with pytest.raises(VerificationError, match=expected):
        verify_audio(tones.original("mp3"), expected_duration_ms=60_000)


def test_a_30_second_file_longer_than_expected_is_no_preview() -> None:
    with pytest.raises(VerificationError, match="probably a wrong match"):
        check_duration(30.0, 12.0)


@pytest.mark.parametrize(
    ("actual_s", "expected_s", "passes"),
    [
        (60.0, 60.0, True),
        (67.0, 60.0, True),  # 7 s for short tracks...
        (67.5, 60.0, False),
        (53.0, 60.0, True),
        (52.5, 60.0, False),
        (247.0, 225.0, True),  # ...10 % from 70 s on
        (248.0, 225.0, False),
        (203.0, 225.0, True),
        (202.0, 225.0, False),
        (3600.0, 1800.0, False),  # a one-hour loop for a half-hour mix
    ],
)
def test_tolerance_is_seven_seconds_or_ten_percent(actual_s: float, expected_s: float, passes: bool) -> None:
    if passes:
        check_duration(actual_s, expected_s)
    else:
        with pytest.raises(VerificationError):
            check_duration(actual_s, expected_s)


def test_a_cut_off_mp3_is_damaged_though_its_header_claims_the_full_length(tones: ToneLibrary, tmp_path: Path) -> None:
    # The Xing header still says 3 s and the frames that are left decode without an error.
    path = cut_in_half(tones.copy("mp3", tmp_path))

    with pytest.raises(VerificationError, match=r"^the downloaded file is damaged \(it stops at 0:01 of 0:03"):
        verify_audio(path, expected_duration_ms=None)


@pytest.mark.parametrize(("kind", "ffmpeg_says"), [("flac", "invalid residual"), ("m4a", "moov atom not found")])
def test_a_cut_off_file_reports_ffmpegs_reason(tones: ToneLibrary, tmp_path: Path, kind: str, ffmpeg_says: str) -> None:
    path = cut_in_half(tones.copy(kind, tmp_path))

    with pytest.raises(VerificationError, match=rf"^the downloaded file is damaged \(ffmpeg: .*{ffmpeg_says}"):
        verify_audio(path, expected_duration_ms=3_000)


def test_a_page_saved_instead_of_audio_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "track.webm"
    path.write_bytes(b"<!DOCTYPE html><title>Before you continue to YouTube</title>")

    with pytest.raises(VerificationError, match=r"^the downloaded file is damaged \(ffmpeg: "):
        verify_audio(path, expected_duration_ms=200_000)


def test_verification_errors_are_shown_to_users() -> None:
    assert issubclass(VerificationError, PySyncError)


def test_verification_can_be_cancelled(tones: ToneLibrary) -> None:
    cancel = threading.Event()
    cancel.set()

    with pytest.raises(Cancelled):
        verify_audio(tones.original("mp3"), expected_duration_ms=3_000, cancel=cancel)


@pytest.mark.parametrize(("seconds", "shown"), [(0, "0:00"), (59.6, "1:00"), (225, "3:45"), (3723, "1:02:03")])
def test_durations_read_like_a_player_shows_them(seconds: float, shown: str) -> None:
    assert clock(seconds) == shown


def test_an_encode_stands_in_for_decoding_the_new_file(tones: ToneLibrary, tmp_path: Path, monkeypatch) -> None:
    from pysync_web.services.audio import verify as verify_module
    from pysync_web.services.audio.convert import AudioFormat, convert

    result = convert(tones.copy("mp3", tmp_path, seconds=4), AudioFormat.M4A, tmp_path / "out.m4a")
    assert not result.copied and result.source_decoding is not None and result.source_decoding.clean
    monkeypatch.setattr(verify_module, "check_decoding", lambda *a, **k: pytest.fail("decoded twice"))
    info = verify_audio(result.path, 4000, source_decoding=(result.source_decoding, result.source))
    assert abs(info.duration_s - 4) < 0.3


def test_a_cut_off_source_is_caught_through_its_encode(tones: ToneLibrary, tmp_path: Path) -> None:
    from pysync_web.services.audio.convert import AudioFormat, convert

    damaged = cut_in_half(tones.copy("mp3", tmp_path, seconds=4))
    result = convert(damaged, AudioFormat.M4A, tmp_path / "out.m4a")
    with pytest.raises(VerificationError, match="damaged"):
        verify_audio(result.path, 4000, source_decoding=(result.source_decoding, result.source))
