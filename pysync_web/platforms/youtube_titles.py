"""Turn YouTube video titles into a track's artists and title.

YouTube has no artist field: uploads are titled "Artist - Title (Official Video)" by convention, and the
channel is often the only other hint. Matching a Spotify track against YouTube and tagging downloaded
files both need the clean parts, so this module is pure and heavily unit-tested.

Rules, in order of trust:
- noise in brackets, after a pipe or trailing dash, or a bare "HD"/"4K" is removed; version info such
  as "(Extended Mix)", "(Live)" or "(feat. X)" stays, because it tells recordings apart;
- "Artist - Title" (hyphen, en or em dash) wins; 'Artist "Title"' comes next; "Title by Artist" only
  when the artist after "by" is the channel itself ("Stand by Me" must stay a title);
- otherwise the channel is the artist, minus the " - Topic", "VEVO" and "Official" decorations.
Featured artists join the artists list; "(feat. X)" stays in the title, as Spotify writes it.
Artists are not split on "&" or "," because duos and names like "Tyler, The Creator" would break.
"""
from __future__ import annotations

import re

# Words that describe the upload, not the recording. A bracket group made only of these words is
# noise; one other word keeps it. A trailing "| ..." or "- ..." segment must also not be a single
# everyday word, because that may be the song: "Madonna - Music", "George Michael - Freedom".
_STRONG_NOISE_WORDS = frozenset({
    "official", "officiel", "oficial", "videoclip", "lyric", "lyrics", "letra", "visualizer",
    "visualiser", "hd", "hq", "4k", "uhd", "1080p", "720p", "dl", "premiere", "mv",
})
_NOISE_WORDS = _STRONG_NOISE_WORDS | {"music", "video", "vídeo", "clip", "audio", "free", "download", "out", "now"}
_DASHES = "-\u2013\u2014"  # hyphen, en dash, em dash: uploaders use all three as separators
_DASH_SET = re.escape(_DASHES)  # for use inside [...]
_WORD_SEPARATORS = re.compile(rf"[\s/,&+|:{_DASH_SET}]+")

_BRACKET_GROUP = re.compile(r"\s*(?:\(([^()]*)\)|\[([^\[\]]*)\]|【([^【】]*)】)")
_TRAILING_SEGMENT = re.compile(rf"\s+(?:\||[{_DASH_SET}]|//)\s+([^|{_DASH_SET}/]+)$")
_TRAILING_QUALITY = re.compile(r"\s+(?:HD|HQ|4K|UHD)$", re.IGNORECASE)
_LEADING_NOISE = re.compile(rf"^(?:premiere|free\s+(?:dl|download)|out\s+now)\s*[:|{_DASH_SET}]\s*", re.IGNORECASE)
_SPACES = re.compile(r"\s{2,}")

_ARTIST_TITLE_SEPARATOR = re.compile(rf"\s+[{_DASH_SET}]\s+")
# 'Artist "Title"', or the Japanese 'Artist MV「Title」'; only brackets may follow the quote, so that
# 'The "Best" Song' stays a title.
_QUOTED_TITLE = re.compile(
    r'^(?P<artist>[^"“”「」『』]+?)(?:\s+(?:MV|M/V|PV))?\s*["“「『](?P<title>[^"“”「」『』]+)["”」』]'
    r"(?P<rest>(?:\s*[(\[][^)\]]*[)\]])*)$"
)
_FULLY_QUOTED = re.compile(r'^["“「『](?P<inner>[^"“”「」『』]+)["”」』]$')
_BY_ARTIST = re.compile(r"^(?P<title>.+?)\s+by\s+(?P<artist>.+)$", re.IGNORECASE)

_FEAT = r"(?:feat\.?|ft\.?|featuring)\s+"
_FEAT_IN_ARTIST = re.compile(rf"\s+\(?{_FEAT}(?P<featured>[^)]+)\)?$", re.IGNORECASE)
_FEAT_IN_TITLE = re.compile(rf"[(\[]\s*{_FEAT}(?P<bracketed>[^)\]]+)[)\]]|\s{_FEAT}(?P<bare>[^(\[]+)", re.IGNORECASE)
_FEATURED_SEPARATOR = re.compile(r"\s*(?:,|&|\band\b)\s*")
_COLLAB_SEPARATOR = re.compile(r"\s+[x\u00d7]\s+")  # "A x B", also with the multiplication sign

_TOPIC_SUFFIX = re.compile(r"\s+-\s+Topic$")
_VEVO_SUFFIX = re.compile(r"\s*VEVO$")
_OFFICIAL_SUFFIX = re.compile(
    rf"\s+(?:[{_DASH_SET}]\s+)?(?:\(official\)|official(?:\s+(?:youtube\s+)?channel)?)$", re.IGNORECASE
)
_CAMEL_HUMP = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _is_noise(text: str, in_brackets: bool) -> bool:
    words = [w for w in _WORD_SEPARATORS.split(text.lower().replace("m/v", "mv")) if w]
    if not words or not all(w in _NOISE_WORDS for w in words):
        return False
    return in_brackets or len(words) > 1 or words[0] in _STRONG_NOISE_WORDS


def _drop_noise_groups(title: str) -> str:
    def keep_or_drop(match: re.Match[str]) -> str:
        content = next(g for g in match.groups() if g is not None)
        return "" if _is_noise(content, in_brackets=True) else match.group(0)

    return _BRACKET_GROUP.sub(keep_or_drop, title)


def clean_title(title: str) -> str:
    """The title without upload decorations; text that is not noise (any script) is left as it was."""
    cleaned = _LEADING_NOISE.sub("", _drop_noise_groups(title).strip())
    while True:  # "Title - Official Audio | HD" has noise segments stacked at the end
        segment = _TRAILING_SEGMENT.search(cleaned)
        if segment and _is_noise(segment.group(1), in_brackets=False):
            cleaned = cleaned[: segment.start()]
        elif _TRAILING_QUALITY.search(cleaned):
            cleaned = _TRAILING_QUALITY.sub("", cleaned)
        else:
            break
    cleaned = _SPACES.sub(" ", cleaned).strip(f" |{_DASHES}")
    return cleaned or title.strip()


def clean_channel(channel: str) -> str:
    """The artist behind a channel name: "Daft Punk - Topic", "DaftPunkVEVO", "Daft Punk Official"."""
    name = channel.strip()
    if _TOPIC_SUFFIX.search(name):
        return _TOPIC_SUFFIX.sub("", name)
    if _VEVO_SUFFIX.search(name):
        # VEVO channels squash the artist name: "LadyGagaVEVO" is "Lady Gaga".
        name = _CAMEL_HUMP.sub(" ", _VEVO_SUFFIX.sub("", name))
    return _OFFICIAL_SUFFIX.sub("", name).strip() or channel.strip()


def is_topic_channel(channel: str) -> bool:
    """YouTube's auto-generated "Artist - Topic" channels title uploads with the bare song name."""
    return bool(_TOPIC_SUFFIX.search(channel.strip()))


def split_artist_title(title: str, channel: str = "") -> tuple[list[str], str]:
    """Artists and title of an upload; the channel is the fallback (and tie-breaking) artist."""
    cleaned = clean_title(title)
    channel_artist = clean_channel(channel) if channel else ""
    artist_part, song = _split_parts(cleaned, channel_artist, is_topic_channel(channel))
    quoted = _FULLY_QUOTED.match(song)
    song = quoted["inner"] if quoted else song
    artists = _split_artists(artist_part) if artist_part else []
    for featured in _featured_in_title(song):
        if featured.casefold() not in {a.casefold() for a in artists}:
            artists.append(featured)
    return artists, song


def _split_parts(cleaned: str, channel_artist: str, from_topic_channel: bool) -> tuple[str, str]:
    if from_topic_channel:  # "Song - Remastered 2011" on a Topic channel is all title
        return channel_artist, cleaned
    parts = _ARTIST_TITLE_SEPARATOR.split(cleaned, maxsplit=1)
    if len(parts) == 2 and all(parts):
        left, right = parts
        # "Title - Artist" is rare, but when the right side is exactly the channel it is unambiguous.
        if channel_artist and right.casefold() == channel_artist.casefold() != left.casefold():
            return right, left
        return left, right
    quoted = _QUOTED_TITLE.match(cleaned)
    if quoted:
        return quoted["artist"], f"{quoted['title']} {quoted['rest'].strip()}".strip()
    by = _BY_ARTIST.match(cleaned)
    if by and channel_artist and by["artist"].casefold() == channel_artist.casefold():
        return by["artist"], by["title"]
    return channel_artist, cleaned


def _split_artists(artist_part: str) -> list[str]:
    featured: list[str] = []
    feat = _FEAT_IN_ARTIST.search(artist_part)
    if feat:
        featured = _FEATURED_SEPARATOR.split(feat["featured"].strip())
        artist_part = artist_part[: feat.start()]
    main = _COLLAB_SEPARATOR.split(artist_part.strip())
    return [name.strip() for name in (*main, *featured) if name.strip()]


def _featured_in_title(song: str) -> list[str]:
    names: list[str] = []
    for match in _FEAT_IN_TITLE.finditer(song):
        listed = match["bracketed"] or match["bare"]
        names.extend(n.strip() for n in _FEATURED_SEPARATOR.split(listed.strip()) if n.strip())
    return names
