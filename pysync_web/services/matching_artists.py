"""Who an upload is by: the channel, the "Artist - " prefix, or a name anywhere in the title.

YouTube has no artist field. Official uploads come from "Artist - Topic" channels (bare song title),
from "ArtistVEVO" (squashed name) or the artist's own channel; third-party channels put the artists in
the title ("Kygo - Firestone ft. Conrad Sewell" on Proximity). So each Spotify artist is looked for in
all of these. The best-found artist counts most, because a channel credits one name only.

Featured artists are also a version signal: official titles (the label feed behind Topic and YouTube
Music, the artist's own channel) name them exactly, so a feature on one side only is another version
there ("bad guy (with Justin Bieber)"); third-party titles add and drop names, so there it only costs.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pysync_web.platforms.youtube_titles import clean_channel, is_topic_channel
from pysync_web.services.matching_text import (
    comparable,
    fold,
    remove_phrase,
    similarity,
    squashed,
)
from pysync_web.services.matching_versions import Finding, VersionTags, tags_of_segment

_FUZZY_NAME = 0.85  # "Rufus Du Sol" for "RÜFÜS DU SOL" passes; "Ne-Yo" for "Kings of Leon" does not
_MAIN_ARTIST_WEIGHT = 0.85  # the rest is the share of all credited artists found
_EXTRA_FEATURE_PENALTY = 0.15
_MISSING_FEATURE_PENALTY = 0.10
# Credits are separated by dashes, pipes, slashes, brackets and quotes. Inside one, "," "&" "x" and
# "feat." join names; a credit is read whole too, so "Simon & Garfunkel" and "Tyler, The Creator" are
# found as names. YouTube Music song rows list their artists as "Dua Lipa, DaBaby" in the channel.
_CREDIT_SEPARATOR = re.compile(r"\s+(?:-|\||/|//|_|~)\s+|\s*[|()\[\]【】「」『』{}\"]\s*|(?:^|\s)'|'(?:\s|$)")
_NAME_SEPARATOR = re.compile(r"\s*(?:,|&|\+)\s*|\s+(?:x|and|vs\.?|feat\.?|ft\.?|featuring|with|w/)\s+")
_FILLER_WORDS = frozenset({
    "x", "and", "vs", "with", "w", "feat", "ft", "featuring", "et", "y", "e", "und",
    "official", "officiel", "oficial", "youtube", "channel", "music", "tv", "vevo", "topic", "hd", "hq", "4k",
    "audio", "video", "lyrics", "lyric", "mv", "m", "v", "pv", "clip", "visualizer", "the",
})
_LATIN_WORD = re.compile(r"[a-z0-9]")


@dataclass(frozen=True)
class Channel:
    """What a channel name says about an upload."""

    artist: str  # the channel as an artist name: "Daft Punk" for "DaftPunkVEVO" or "Daft Punk - Topic"
    is_topic: bool
    is_vevo: bool

    @classmethod
    def of(cls, channel: str) -> Channel:
        return cls(clean_channel(channel), is_topic_channel(channel), channel.strip().lower().endswith("vevo"))


@dataclass(frozen=True)
class ArtistMatch:
    score: float  # 0..1
    by_channel: bool  # a credited artist owns the channel (Topic, VEVO, own channel, uploader)
    extra_featured: tuple[str, ...]  # "feat." names in the upload that Spotify does not credit
    missing_featured: tuple[str, ...]  # names the track's title features that the upload credits nowhere


def match_artists(artists: Sequence[str], raw_title: str, channel: Channel, *, featured: tuple[str, ...],
                  wanted_features: tuple[str, ...], song_words: frozenset[str]) -> ArtistMatch:
    """`featured`: the names the upload's title features; `wanted_features`: those the track's title
    features ("(feat. Sia)"); `song_words`: the song's name, which may share a credit ("Ed Sheeran Shape
    of You")."""
    if not artists:
        return ArtistMatch(0.0, False, (), wanted_features)
    credits = _Credits(tuple(artists), song_words)
    found = [credits.presence(name, raw_title, channel) for name in artists]
    scores = [score for score, _ in found]
    # The best-found artist stands for the main one: "Sia - Titanium" is still David Guetta's record
    # when Sia is in the title and Guetta owns the channel, and the other credits only fine-tune.
    score = _MAIN_ARTIST_WEIGHT * max(scores) + (1 - _MAIN_ARTIST_WEIGHT) * sum(scores) / len(scores)
    extra = tuple(name for name in featured if not any(similarity(comparable(name), comparable(a)) >= _FUZZY_NAME
                                                        for a in artists))
    missing = tuple(name for name in wanted_features if credits.presence(name, raw_title, channel)[0] == 0)
    return ArtistMatch(score, any(by_channel for _, by_channel in found), extra, missing)


def feature_findings(match: ArtistMatch, label_title: bool) -> list[Finding]:
    """Features on one side only.

    Label titles (Topic, YouTube Music songs) carry every feature, so one missing there is another
    version: "Bad Blood" for "Bad Blood (feat. Kendrick Lamar)" is the album version without him. Artists'
    and remixers' own uploads often drop a feature, but never add one the record does not have.
    """
    findings: list[Finding] = []
    missing = ", ".join(match.missing_featured)
    if missing:
        findings.append(Finding(f"label upload without {missing}: another version", veto=True) if label_title
                        else Finding(f"does not credit {missing}", penalty=_MISSING_FEATURE_PENALTY))
    extra = ", ".join(match.extra_featured)
    if extra:
        official = label_title or match.by_channel
        findings.append(Finding(f"official upload featuring {extra}, whom the track does not credit: another "
                                "version", veto=True) if official
                        else Finding(f"features {extra}, the track does not", penalty=_EXTRA_FEATURE_PENALTY))
    return findings


def channel_versions(channel: Channel, artist_phrases: tuple[str, ...]) -> VersionTags:
    """Markers in a channel's name: "Sing King", "8D Tunes", "Nightcore Central", "Coldplay Live".

    The artist's own name is left out first: "Clean Bandit" is a band, not a clean edit.
    """
    rest = fold(channel.artist)
    for phrase in artist_phrases:
        rest, _ = remove_phrase(rest, phrase)
    return tags_of_segment(rest.strip()) if rest.strip() else VersionTags()


@dataclass(frozen=True)
class _Credits:
    """Finds one artist among an upload's credits without mistaking a longer name for it.

    "Queen" must not be found in "Queen Latifah - Topic", nor "Prince" in "Prince Royce - Purple Rain",
    nor "Nas" in "Lil Nas X": a name counts only if what shares its credit is other credited artists,
    the song's own words, connectors ("&", "feat."), upload noise ("Official") or another script
    ("aespa 에스파", a name and its translation).
    """

    artists: tuple[str, ...]
    song_words: frozenset[str]

    def presence(self, name: str, raw_title: str, channel: Channel) -> tuple[float, bool]:
        """How surely `name` is credited on the upload, and whether through the channel."""
        if self._credited_in(name, channel.artist) or squashed(name) == squashed(channel.artist):
            return 1.0, True  # squashed: "michaeljacksonVEVO", "SimonGarfunkelVEVO"
        if self._credited_in(name, raw_title):
            return 1.0, False
        channel_likeness = similarity(comparable(name), comparable(channel.artist))
        if channel_likeness >= _FUZZY_NAME:  # "Rufus Du Sol" for "RÜFÜS DU SOL"
            return channel_likeness, True
        title = fold(raw_title)  # folding turns en and em dashes into hyphens
        prefix = title.split(" - ", 1)[0] if " - " in title else ""
        prefix_likeness = similarity(comparable(name), comparable(prefix))
        return (prefix_likeness, False) if prefix_likeness >= _FUZZY_NAME else (0.0, False)

    def _credited_in(self, name: str, text: str) -> bool:
        for credit in _CREDIT_SEPARATOR.split(fold(text)):
            for unit in (credit, *_NAME_SEPARATOR.split(credit)):
                rest, found = remove_phrase(unit, name)
                if found and self._only_fillers(rest):
                    return True
        return False

    def _only_fillers(self, rest: str) -> bool:
        for other in self.artists:
            rest, _ = remove_phrase(rest, other)
        return all(w in self.song_words or w in _FILLER_WORDS or not _LATIN_WORD.match(w)
                   for w in comparable(rest).split())
