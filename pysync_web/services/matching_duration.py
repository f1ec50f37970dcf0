"""Duration fit: the strongest single signal that two uploads are the same recording.

Topic uploads and SoundCloud match Spotify to a second or two; lyric videos and re-uploads to a few
seconds. Sped-up, live, extended and loop uploads are off by far more. Music videos are the exception:
intros, skits and outros make them longer (never shorter) than the record, so a video may run over by
a share of the track's length, while an upload noticeably shorter than the track is always a different
edit ("Official Video - Shortened Version", a radio edit of an album track).
"""
from __future__ import annotations

from dataclasses import dataclass

_EXACT_SECONDS = 2.0  # YouTube rounds to whole seconds; Spotify keeps milliseconds
_SHORTER_LIMIT = (7.0, 0.035)  # (seconds, share of the track): whichever is larger
_LONGER_LIMIT = (10.0, 0.05)
_VIDEO_LONGER_LIMIT = (25.0, 0.35)
_VIDEO_LONGER_CAP = 100.0  # a 13-minute short film is not "a video with an intro" of a 6-minute song
_SCORE_AT_LIMIT = 0.5


@dataclass(frozen=True)
class DurationFit:
    score: float  # 1.0 within a couple of seconds, falling to 0.5 at the limit, 0.0 past it
    difference: float  # candidate minus track, seconds
    too_far: bool


def duration_fit(track_seconds: float, candidate_seconds: float, is_music_video: bool) -> DurationFit:
    difference = candidate_seconds - track_seconds
    if difference < 0:
        limit = _limit(track_seconds, _SHORTER_LIMIT)
    elif is_music_video:
        limit = min(_limit(track_seconds, _VIDEO_LONGER_LIMIT), _VIDEO_LONGER_CAP)
    else:
        limit = _limit(track_seconds, _LONGER_LIMIT)
    off = abs(difference)
    if off > limit:
        return DurationFit(0.0, difference, too_far=True)
    if off <= _EXACT_SECONDS:
        return DurationFit(1.0, difference, too_far=False)
    return DurationFit(1.0 - (1.0 - _SCORE_AT_LIMIT) * (off - _EXACT_SECONDS) / (limit - _EXACT_SECONDS),
                       difference, too_far=False)


def _limit(track_seconds: float, rule: tuple[float, float]) -> float:
    seconds, share = rule
    return max(seconds, share * track_seconds)
