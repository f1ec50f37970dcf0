"""Pick the upload that is the same recording as a Spotify track, or none.

A wrong file in a DJ's crate is worse than a missing one, so the matcher is built to say "none":
- vetoes first: a version marker on one side only (live, remix by someone else, karaoke, sped up, ...),
  a duration too far off, a different title or artist each rule a candidate out whatever its score;
- then a score for ranking what is left: title, artist and duration likeness, plus small bonuses for
  official channels (Topic, YouTube Music, VEVO, the artist's own) and views as a last tie-breaker;
- a candidate is accepted only above ACCEPT_THRESHOLD; below STRONG_THRESHOLD it is flagged as weak so
  the UI can ask the user to check it.

Everything is pure and offline; see the matching_* modules for the rules of each part.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pysync_web.services.matching_artists import Channel, channel_versions, feature_findings, match_artists
from pysync_web.services.matching_duration import DurationFit, duration_fit
from pysync_web.services.matching_text import fold
from pysync_web.services.matching_titles import TrackTitle, parse_track_title, read_candidate_title
from pysync_web.services.matching_versions import Finding, compare_versions

# Thresholds, in one place so the UI and the tests agree on them.
ACCEPT_THRESHOLD = 0.70  # below this no candidate is picked
STRONG_THRESHOLD = 0.85  # accepted matches below this are shown as weak
MIN_TITLE = 0.80  # spelling differences pass ("Rock & Roll" for "Rock and Roll"); another song does not
MIN_ARTIST = 0.60

# The likeness parts make up 90% of the total and the bonuses the rest, so a perfect third-party
# upload (0.90) still ranks below the same recording from the label's Topic channel (0.98).
_WEIGHTS = {"title": 0.40, "artist": 0.27, "duration": 0.23}
_OFFICIAL_BONUS = 0.08  # Topic channel or YouTube Music: the label's own audio
_ARTIST_CHANNEL_BONUS = 0.05  # VEVO, the artist's channel, the artist's SoundCloud
_VIEWS_BONUS = 0.02  # at a billion views; only ever breaks near-ties

Track = dict[str, Any]
Candidate = dict[str, Any]


@dataclass(frozen=True)
class MatchScore:
    """How well one candidate matches a track, with the reasons, for ranking and for the UI."""

    total: float  # 0..1; 0 when vetoed
    title: float
    artist: float
    duration: float
    reasons: tuple[str, ...] = ()  # bonuses and penalties, human-readable
    vetoes: tuple[str, ...] = ()  # why this cannot be the same recording

    @property
    def accepted(self) -> bool:
        return not self.vetoes and self.total >= ACCEPT_THRESHOLD


def is_weak(score: MatchScore) -> bool:
    """An accepted match the user should double-check."""
    return score.accepted and score.total < STRONG_THRESHOLD


def pick_best(track: Track, candidates: list[Candidate]) -> str | None:
    """The url of the candidate that is the same recording as `track`, or None when none is."""
    ranked = rank_candidates(track, candidates)
    if ranked and ranked[0][1].accepted:
        return str(ranked[0][0]["url"])
    return None


def rank_candidates(track: Track, candidates: list[Candidate]) -> list[tuple[Candidate, MatchScore]]:
    """All candidates, best first; vetoed ones last."""
    scored = [(candidate, score_candidate(track, candidate)) for candidate in candidates]
    return sorted(scored, key=lambda pair: (pair[1].accepted, pair[1].total), reverse=True)


def score_candidate(track: Track, candidate: Candidate) -> MatchScore:
    """Score one candidate; see the module docstring for the order of the rules."""
    wanted = _prepare(track["title"], tuple(track.get("artists") or ()), track.get("album") or "")
    raw_title = candidate.get("title") or ""
    channel = Channel.of(candidate.get("channel") or "")
    title = read_candidate_title(raw_title, wanted.title, (*wanted.artist_phrases, fold(channel.artist)),
                                 channel.is_vevo)
    artists = match_artists(wanted.artists, raw_title, channel, featured=title.featured,
                            wanted_features=wanted.title.featured, song_words=wanted.title.words)
    fit = duration_fit(track["duration_ms"] / 1000, float(candidate.get("duration") or 0), title.is_music_video)
    # Titles from the label feed (Topic; YouTube Music songs, not its music videos) name every version
    # and feature the release has.
    label_title = channel.is_topic or (candidate.get("source") == "youtube_music" and not title.is_music_video)

    findings = [
        *_gate_findings(title.likeness, artists.score, fit),
        *compare_versions(wanted.title.versions, title.versions | channel_versions(channel, wanted.artist_phrases),
                          bool(track.get("explicit")), label_title, wanted.artists),
        *feature_findings(artists, label_title),
    ]
    vetoes = tuple(f.message for f in findings if f.veto)
    reasons = [f"-{f.penalty:.2f} {f.message}" for f in findings if f.penalty]
    bonus, bonus_reason = _channel_bonus(candidate, channel, artists.by_channel)
    reasons += [bonus_reason] if bonus_reason else []
    base = (_WEIGHTS["title"] * title.likeness + _WEIGHTS["artist"] * artists.score
            + _WEIGHTS["duration"] * fit.score)
    total = base + bonus + _views_bonus(candidate.get("views")) - sum(f.penalty for f in findings)
    total = 0.0 if vetoes else max(0.0, min(1.0, total))
    return MatchScore(round(total, 4), title.likeness, artists.score, fit.score, tuple(reasons), vetoes)


def _gate_findings(title_likeness: float, artist_score: float, fit: DurationFit) -> list[Finding]:
    """Title, artist and duration each rule a candidate out on their own, whatever the rest says."""
    findings = []
    if title_likeness < MIN_TITLE:
        findings.append(Finding(f"title differs (likeness {title_likeness:.2f})", veto=True))
    if artist_score < MIN_ARTIST:
        findings.append(Finding("artist not found in title or channel", veto=True))
    if fit.too_far:
        findings.append(Finding(f"duration off by {fit.difference:+.0f} s", veto=True))
    return findings


@dataclass(frozen=True)
class _PreparedTrack:
    title: TrackTitle
    artists: tuple[str, ...]
    artist_phrases: tuple[str, ...]


@lru_cache(maxsize=256)
def _prepare(title: str, artists: tuple[str, ...], album: str) -> _PreparedTrack:
    """Per-track work done once, not once per candidate."""
    return _PreparedTrack(parse_track_title(title, album), artists, tuple(fold(a) for a in artists))


def _channel_bonus(candidate: Candidate, channel: Channel, artist_by_channel: bool) -> tuple[float, str]:
    """The bonus for an upload by the artist or the label, and its reason for the UI."""
    if not artist_by_channel:
        return 0.0, ""
    if channel.is_topic or candidate.get("source") == "youtube_music":
        return _OFFICIAL_BONUS, f"+{_OFFICIAL_BONUS:.2f} official audio (Topic / YouTube Music)"
    return _ARTIST_CHANNEL_BONUS, f"+{_ARTIST_CHANNEL_BONUS:.2f} uploaded by the artist"


def _views_bonus(views: int | None) -> float:
    if not views or views <= 0:
        return 0.0
    return _VIEWS_BONUS * min(1.0, math.log10(views) / 9)
