"""The last step of a download: is this file really the whole track the user asked for?

Three failures are common enough to name: a damaged or cut-off download, a 30-second preview (what
Spotify and SoundCloud serve when the full track is not available), and a wrong match (another
song, a live version, a one-hour loop). Each gets a reason a user can act on.
"""
from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from pysync_web.errors import PySyncError
from pysync_web.formatting import clock
from pysync_web.services.audio.ffmpeg import AudioInfo, DecodeReport, UnreadableAudioError, probe, run_ffmpeg

# How far the length may differ from the platform's: YouTube uploads carry intros and silence, and
# platforms round; the larger of both bounds applies.
DURATION_TOLERANCE_S = 7.0
DURATION_TOLERANCE_FRACTION = 0.10
# Previews are 30 s on Spotify and SoundCloud; fades and encoder padding put them between these.
PREVIEW_RANGE_S = (25.0, 35.0)
# A file that decodes shorter than its own header promises was cut off in transfer.
TRUNCATION_TOLERANCE_S = 1.0
TRUNCATION_TOLERANCE_FRACTION = 0.02


class VerificationError(PySyncError):
    """The downloaded file is not the track: damaged, a preview, or another recording."""


def check_decoding(path: Path, cancel: threading.Event | None = None) -> DecodeReport:
    """Decode the whole first audio stream to nowhere: the only reliable test that a file plays.

    Headers can claim anything (an MP3's Xing frame keeps the full length after a cut-off transfer),
    so the decoded length comes from ffmpeg's progress report instead.
    """
    positions: list[float] = []
    run = run_ffmpeg(["-v", "error", "-i", str(path), "-map", "0:a:0", "-f", "null", "-"], cancel, positions.append)
    errors = run.stderr.strip()
    if run.returncode != 0 and not errors:
        errors = f"ffmpeg exited with code {run.returncode}"
    return DecodeReport(positions[-1] if positions else 0.0, errors)


def verify_audio(
    path: Path, expected_duration_ms: int | None, cancel: threading.Event | None = None,
    source_decoding: tuple[DecodeReport, AudioInfo] | None = None,
) -> AudioInfo:
    """Check that `path` decodes completely and is about as long as expected (when known).

    Returns the file's facts with the decoded duration, which is truer than any header.
    `source_decoding`: when `path` was encoded from a source, that encode already decoded every frame
    of it; its report and the source's facts stand in for decoding the new file a second time (about
    a quarter of a track's CPU time).
    """
    try:
        info = probe(path, cancel)
    except UnreadableAudioError as error:
        raise VerificationError(f"the downloaded file is damaged (ffmpeg: {error.reason})") from None
    if source_decoding is None:
        decoding, promised_s = check_decoding(path, cancel), info.duration_s
    else:
        decoding, promised_s = source_decoding[0], source_decoding[1].duration_s
    if not decoding.clean:
        raise VerificationError(f"the downloaded file is damaged (ffmpeg: {decoding.first_error})")
    shortfall = promised_s - decoding.decoded_s
    if shortfall > max(TRUNCATION_TOLERANCE_S, TRUNCATION_TOLERANCE_FRACTION * promised_s):
        raise VerificationError(
            f"the downloaded file is damaged (it stops at {clock(decoding.decoded_s)} "
            f"of {clock(promised_s)}: the download was cut off)"
        )
    if expected_duration_ms is not None:
        check_duration(decoding.decoded_s, expected_duration_ms / 1000)
    return replace(info, duration_s=decoding.decoded_s)


def check_duration(actual_s: float, expected_s: float) -> None:
    """Raise VerificationError unless the lengths agree within the tolerance (a pure check)."""
    tolerance = max(DURATION_TOLERANCE_S, DURATION_TOLERANCE_FRACTION * expected_s)
    if abs(actual_s - expected_s) <= tolerance:
        return
    low, high = PREVIEW_RANGE_S
    if low <= actual_s <= high and actual_s < expected_s:
        raise VerificationError(
            f"got a {round(actual_s)}-second preview instead of the full track "
            f"({clock(expected_s)})"
        )
    raise VerificationError(
        f"duration {clock(actual_s)} differs from the expected {clock(expected_s)}: "
        "probably a wrong match"
    )
