"""Titles on both sides: the song's own words versus the decorations that name a version.

Spotify titles are regular: "Song (feat. X) - Alesso Remix", "Song - Remastered 2011", "Song (Live)".
Upload titles are not: "Artist - Song (Official Video)", 'BTS (방탄소년단) 'Dynamite' Official MV',
"Song - Artist (Acoustic Cover) by Someone", "YOASOBI「夜に駆ける」". So a candidate's title is cut into
every plausible piece (dash parts, bracket contents, quoted spans) and the best piece is taken as its
song title; the song's words are then removed, and whatever is left is read for version markers.
Removing the song's words first is what lets "Live Forever" stay a title while "(Live)" is a version.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pysync_web.platforms.youtube_titles import clean_title
from pysync_web.services.matching_text import comparable, fold, remove_phrase, similarity
from pysync_web.services.matching_versions import (
    Version,
    VersionTags,
    describes_version,
    tags_of_segments,
    without_markers,
)

_BRACKET = re.compile(r"[(\[【{]([^()\[\]【】{}]*)[)\]】}]")
_QUOTED = re.compile(r"[「『]([^「」『』]+)[」』]|(?:^|(?<=[\s(\[]))['\"]([^'\"]+)['\"](?=$|[\s)\]])")
_PIECE_SEPARATOR = re.compile(r"\s+(?:-|\||/|//|_|~)\s+|\s*\|\s*")
_SPOTIFY_SUFFIX = re.compile(r"\s+-\s+")
_FEATURING = re.compile(r"(?:\bfeat\b\.?|\bft\b\.?|\bfeaturing\b|(?<!\S)w/)\s*(?:(?!\s-\s)[^()\[\]|])*")
_FEATURING_GROUP = re.compile(r"^(?:feat\b\.?|ft\b\.?|featuring|with|w/)\s")
_NAME_SEPARATOR = re.compile(r"\s*(?:,|&|\band\b|\bx\b|\+)\s*")
_CONNECTORS = frozenset({"x", "and", "vs", "with", "feat", "ft", "featuring", "et", "y", "e", "und"})
_NOISE_WORDS = frozenset({
    "official", "video", "audio", "lyrics", "lyric", "music", "hd", "hq", "4k", "mv", "m", "v", "pv", "clip",
    "officiel", "oficial", "videoclip", "letra", "paroles", "testo", "visualizer", "visualiser", "full", "song",
})
# Music videos run longer than the record (intros, skits, outros); lyric videos and visualizers do not.
_VIDEO = re.compile(r"\bvideo\b|\bm/?v\b|\bpv\b|\bclipe?\b|\bvideoclip\b|\bofficial movie\b|клип|كليب|뮤직비디오|"
                    r"ミュージックビデオ")
_NOT_A_VIDEO = re.compile(r"\blyrics?\b|\bletra\b|\bparoles\b|\btesto\b|\bvisuali[sz]er\b|\baudio\b")
# "Pt. 1" and "Pt. 2", "Vol. 5" and "Vol. 6" read alike but are different songs; years are left out
# because uploaders add them freely ("Bohemian Rhapsody 1975").
_NUMBER = re.compile(r"\b(?!(?:19|20)\d\d\b)\d+\b")
_DIFFERENT_NUMBERS_CAP = 0.7
_LIVE_ALBUM = re.compile(r"\blive (?:at|in|from|on)\b|\(live\b|\blive\)|\bunplugged\b|\b(?:ao|en) vivo\b")


@dataclass(frozen=True)
class TrackTitle:
    """A Spotify title split into the song's name (several spellings) and its version markers."""

    names: tuple[str, ...]  # comparable forms: with and without non-version brackets, translations
    phrases: tuple[str, ...]  # folded forms, to find and remove the song's words inside an upload title
    versions: VersionTags
    featured: tuple[str, ...]  # artists the title itself credits: "(feat. Sia)", "(with Justin Bieber)"

    @property
    def words(self) -> frozenset[str]:
        return frozenset(w for name in self.names for w in name.split())


@dataclass(frozen=True)
class CandidateTitle:
    likeness: float  # 0..1, how well the best piece of the upload title matches the song's name
    versions: VersionTags
    featured: tuple[str, ...]  # names after "feat." in the upload title
    is_music_video: bool


@lru_cache(maxsize=1024)
def parse_track_title(title: str, album: str) -> TrackTitle:
    """`album` too, because Spotify leaves "Live" out of the titles on many live albums."""
    head, *suffix = _SPOTIFY_SUFFIX.split(fold(title), maxsplit=1)
    decorations = [s for s in suffix if describes_version(s) or _FEATURING_GROUP.match(s)]
    kept_head = head
    translations: list[str] = []
    for group in _BRACKET.finditer(head):
        content = group.group(1).strip()
        if _FEATURING_GROUP.match(content) or describes_version(content):
            kept_head = kept_head.replace(group.group(0), " ")
            if not _FEATURING_GROUP.match(content):
                decorations.append(content)
        elif _has_ascii_letters(content) != _has_ascii_letters(_BRACKET.sub(" ", head)):
            translations.append(content)  # "Gangnam Style (강남스타일)": the same name in another script
    kept_head = _FEATURING.sub(" ", kept_head)
    bare = _BRACKET.sub(" ", kept_head)
    # A suffix that names no version may be part of the name ("Song - Part 1") or a subtitle the uploads
    # leave out ("Sunflower - Spider-Man: Into the Spider-Verse"): both spellings are kept.
    subtitled = [f"{kept_head.strip()} {s}" for s in suffix if s not in decorations]
    phrases = tuple(dict.fromkeys(p for p in (*subtitled, kept_head.strip(), bare.strip()) if comparable(p)))
    names = tuple(dict.fromkeys(comparable(p) for p in (*phrases, *translations) if comparable(p)))
    versions = tags_of_segments(decorations)
    if _LIVE_ALBUM.search(fold(album)) and Version.LIVE not in versions.kinds:  # "MTV Unplugged In New York"
        versions = versions | VersionTags(frozenset({Version.LIVE}), {Version.LIVE: frozenset({""})})
    return TrackTitle(names or (comparable(title),), phrases, versions, _featured_names(head))


def read_candidate_title(raw_title: str, track: TrackTitle, artist_phrases: tuple[str, ...],
                         from_vevo: bool) -> CandidateTitle:
    """`from_vevo`: VEVO channels carry music videos even when the title does not say so."""
    raw = fold(raw_title)
    cleaned = fold(clean_title(raw_title))
    likeness = max((_likeness(piece, name) for piece in _title_pieces(cleaned, track, artist_phrases)
                    for name in track.names), default=0.0)
    remainder = cleaned
    for phrase in track.phrases:
        remainder, found = remove_phrase(remainder, phrase)
        if found:
            break
    segments = [s for s in _segments(remainder) if not _only_artists(s, artist_phrases)]
    return CandidateTitle(
        likeness=likeness,
        versions=tags_of_segments(segments),
        featured=_featured_names(cleaned),
        is_music_video=bool(_VIDEO.search(raw) or from_vevo) and not _NOT_A_VIDEO.search(raw),
    )


def _title_pieces(cleaned: str, track: TrackTitle, artist_phrases: tuple[str, ...]) -> list[str]:
    """Every part of an upload title that could be the song's name, as comparable text."""
    without_brackets = _BRACKET.sub(" ", cleaned)
    raw_pieces = [without_brackets, *_PIECE_SEPARATOR.split(without_brackets)]
    raw_pieces += [m.group(1) for m in _BRACKET.finditer(cleaned) if not _FEATURING_GROUP.match(m.group(1))]
    raw_pieces += [m.group(1) or m.group(2) for m in _QUOTED.finditer(cleaned)]
    song_words = track.words
    pieces: list[str] = []
    for piece in raw_pieces:
        piece = without_markers(_FEATURING.sub(" ", piece), song_words)
        for phrase in artist_phrases:
            if not any(comparable(phrase) in name for name in track.names):  # "Weezer" by Weezer stays
                piece, _ = remove_phrase(piece, phrase)
        words = [w for w in comparable(piece).split() if w in song_words or w not in _NOISE_WORDS | _CONNECTORS]
        if words:
            pieces.append(" ".join(words))
    return pieces


def _likeness(piece: str, name: str) -> float:
    likeness = similarity(piece, name)
    if set(_NUMBER.findall(piece)) != set(_NUMBER.findall(name)):
        return min(likeness, _DIFFERENT_NUMBERS_CAP)
    return likeness


def _segments(remainder: str) -> list[str]:
    """Decoration segments of what is left of an upload title: bracket contents and dash parts."""
    inside = [m.group(1).strip() for m in _BRACKET.finditer(remainder)]
    outside = _PIECE_SEPARATOR.split(_BRACKET.sub(" - ", remainder))
    return [s for s in (*inside, *outside) if s.strip() and not _FEATURING_GROUP.match(s.strip())]


def _only_artists(segment: str, artist_phrases: tuple[str, ...]) -> bool:
    """ "Clean Bandit" or "The Kid LAROI & Justin Bieber": names, not a version, however they read."""
    rest = _FEATURING.sub(" ", segment)
    for phrase in artist_phrases:
        rest, _ = remove_phrase(rest, phrase)
    return not [w for w in comparable(rest).split() if w not in _CONNECTORS]


def _featured_names(cleaned: str) -> tuple[str, ...]:
    names: list[str] = []
    for match in _FEATURING.finditer(cleaned):
        listed = re.sub(r"^(?:w/|\S+\s)\s*", "", match.group(0))
        names += [n.strip() for n in _NAME_SEPARATOR.split(listed) if comparable(n)]
    for group in _BRACKET.finditer(cleaned):
        if group.group(1).startswith("with "):  # "(with X)"; a bare "with" is too common inside names
            names += [n.strip() for n in _NAME_SEPARATOR.split(group.group(1)[5:]) if comparable(n)]
    return tuple(names)


def _has_ascii_letters(text: str) -> bool:
    return any("a" <= c <= "z" for c in text)
