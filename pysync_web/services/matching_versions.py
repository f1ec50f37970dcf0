"""Version markers: which recording of a song a title describes (live, remix by whom, sped up, ...).

Titles name the recording in their decorations: "(Live at Wembley)", "- Alesso Remix", "(sped up)",
"[Karaoke Version]". A marker on one side only almost always means a different recording, so the matcher
vetoes it: a wrong file in a DJ's crate is worse than no file. Only length variants (radio edit,
extended) are soft, because uploads often leave them unsaid and the duration settles them.

This module sees decoration text only (the song's own words are removed by the caller), so a song
called "Live Forever" or "Cover Me" does not look like a live version or a cover. Spotify spells the
version after " - " or in brackets; YouTube in brackets, after dashes or bare ("Nightcore - Unity",
"夜に駆ける カラオケ"); channels hint at it too ("Sing King", "8D Tunes").
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from rapidfuzz import fuzz

from pysync_web.services.matching_text import comparable


class Version(StrEnum):
    """A kind of recording other than the plain studio one; the value is how the UI names it."""

    LIVE = "live"
    ACOUSTIC = "acoustic"
    REMIX = "remix"
    COVER = "cover"
    KARAOKE = "karaoke"
    INSTRUMENTAL = "instrumental"
    ACAPPELLA = "a cappella"
    SPED_UP = "sped up"
    SLOWED = "slowed"
    NIGHTCORE = "nightcore"
    REVERB = "reverb"
    EIGHT_D = "8D audio"
    BASS_BOOSTED = "bass boosted"
    LOOP = "loop / hours-long"
    MASHUP = "mashup"
    BOOTLEG = "bootleg"
    VIP = "VIP"
    DEMO = "demo"
    REPRISE = "reprise"
    RERECORDING = "re-recording"
    LANGUAGE = "language version"
    NAMED = "named version"
    EXTENDED = "extended"
    RADIO_EDIT = "radio edit"
    CLEAN = "clean"
    EXPLICIT = "explicit"
    NOT_A_RECORDING = "not a release (reaction, tutorial, dance practice, short...)"


# Length variants: uploads rarely say "radio edit" (every music video is one), so a missing or extra
# marker is only a penalty and the duration decides.
LENGTH_VARIANTS = frozenset({Version.RADIO_EDIT, Version.EXTENDED})
# Explicitness never makes a different performance; only the clean edit of an explicit track matters.
CONTENT_VARIANTS = frozenset({Version.CLEAN, Version.EXPLICIT})
_LENGTH_VARIANT_PENALTY = 0.12  # "Extended Mix" on one side only: the duration has the last word
_UNSAID_RADIO_EDIT_PENALTY = 0.04  # every music video is the radio edit without saying so
_EXPLICIT_PENALTY = 0.10  # an "(Explicit)" upload for a track Spotify marks clean
_UNNAMED_REMIX_PENALTY = 0.10  # "(Remix)" for "- Alesso Remix": probably, not surely, the same remix

_VER = r"(?:\s+(?:version|ver\b\.?|mix|edit))?"  # "Acoustic Version", "Instrumental Mix", "Japanese Ver."
# In order; matched text is consumed, so what is left of a segment can be read as a remixer or version
# name. Text is folded first (casefolded, accents stripped), so "Karaoké" is "karaoke" here.
_VOCABULARY: list[tuple[tuple[Version, ...], str]] = [
    ((), rf"\boriginal{_VER}\b|\balbum{_VER}\b|\b(?:full|main|studio|lp){_VER}\b"),  # the plain recording
    ((), r"\bremaster(?:ed)?(?:\s+(?:version|edition))?\b|\bdeluxe\b|\bbonus track\b|^from\b.*"),
    ((), rf"\b(?:mono|stereo){_VER}\b"),  # another master of the same take, like a remaster
    ((Version.LIVE, Version.ACOUSTIC), r"\bunplugged\b"),
    ((Version.LIVE,), rf"\blive{_VER}\b|\b(?:en|ao|dal) vivo\b|\ben directo\b|\bconcie?rto?\b|ライブ|라이브|концерт\w*"),
    ((Version.LIVE,), r"\bживо\w*|\bживьём\b"),
    ((Version.LIVE,), r"\bfirst take\b|\bboiler room\b|\btiny desk\b|\bkexp\b"),
    # Stages, shows and festivals: "(Glastonbury 2016)", "Stage | Inkigayo" are live without saying so.
    ((Version.LIVE,), (r"\bstage\b|\bglastonbury\b|\bcoachella\b|\blollapalooza\b|\btomorrowland\b|\bfestival\b|"
                       r"\bvmas?\b|\bgrammys?\b|\bbrit awards\b|\blive lounge\b|\bjools holland\b|\bsnl\b|"
                       r"\bfallon\b|\bkimmel\b|\bcolbert\b|\bcolors show\b|\binkigayo\b|\bmusic bank\b|"
                       r"\bm countdown\b|\bmusic core\b|\bshow champion\b|\bworld tour\b|\bin concert\b")),
    ((Version.ACOUSTIC,), rf"\bacoustic{_VER}\b|\bacustic[oa]\b|\bacoustique\b|\bstripped\b|\brestrung\b"),
    ((Version.ACOUSTIC,), r"\bakustik\w*|акустик\w*|어쿠스틱|アコースティック|弾き語り"),
    ((Version.KARAOKE,), rf"\bkaraoke{_VER}\b|\bin the style of\b.*|\bsing[- ]?along\b"),
    ((Version.KARAOKE,), r"\boriginally performed by\b.*|\bmade famous by\b.*"),  # karaoke labels' wording
    ((Version.KARAOKE,), r"カラオケ|노래방|караоке|كاريوكي|卡拉ok"),
    ((Version.KARAOKE,), r"\bsing king\b|\bkarafun\b|\bsunfly\b|\bjoysound\b"),  # karaoke labels, seen as channels
    ((Version.INSTRUMENTAL,), rf"\binstrumentals?{_VER}\b|\binst\b\.?|\boff ?vocal\b|\bbacking track\b"),
    ((Version.INSTRUMENTAL,), r"\btype beat\b|\bno vocals?\b|\bwithout vocals?\b|\bminus one\b|минус\w*|伴奏"),
    ((Version.ACAPPELLA,), r"\ba ?capp?ell?as?\b|\bvocals? only\b|\bisolated vocals?\b"),
    ((Version.COVER,), r"\bcover(?:ed|s)?\b(?:\s+by\b.*)?|\btribute\b|кавер|歌ってみた|弾いてみた|叩いてみた|커버"),
    ((Version.COVER,), rf"\b(?:piano|guitar|fingerstyle|violin|orchestral|lofi|lo-fi|8-bit|music box){_VER}\b"),
    ((Version.SPED_UP,), r"\bsped ?up\b|\bspeed ?up\b|\bspeedup\b|\bpitch(?:ed)?(?: up| down|[- ]shifted)?\b"),
    ((Version.SLOWED,), r"\bslowed\b(?:\s+down)?|\bdaycore\b|\bchopped (?:and|&|n'?) screwed\b"),
    ((Version.NIGHTCORE,), r"\bnightcore\b"),
    ((Version.REVERB,), r"\breverb(?:ed)?\b"),
    ((Version.EIGHT_D,), r"\b(?:8|16) ?d\b(?:\s+audio)?|\b3d audio\b"),
    ((Version.BASS_BOOSTED,), r"\bbass ?boost(?:ed)?\b"),
    ((Version.LOOP,), r"\b\d+\s?(?:hours?|hrs?|h)\b|\b(?:one|ten) hours?\b|\bhour long\b|\bloop(?:ed|s)?\b"),
    ((Version.MASHUP,), r"\bmash ?-?ups?\b"),
    ((Version.REMIX,), r"ремикс|리믹스|リミックス"),  # the Latin "remix" is read below, with its remixer's name
    ((Version.BOOTLEG,), r"\bbootlegs?\b"),
    ((Version.VIP,), rf"\bvip{_VER}\b"),
    ((Version.DEMO,), rf"\bdemo{_VER}\b|\brough mix\b|\brehearsal\b|\bouttakes?\b|\balternate (?:take|version)\b"),
    ((Version.REPRISE,), r"\breprise\b"),
    ((Version.RERECORDING,), r"\b\w+'s version\b|\bre-?record(?:ed|ing)?\b"),  # "Taylor's Version"
    ((Version.LANGUAGE,), (r"\b(?:japanese|english|korean|chinese|mandarin|spanish|french|portuguese|german|"
                           r"italian|russian|jp|jpn|eng|kr|cn)\.?\s?(?:version|ver\b\.?)")),
    ((Version.EXTENDED,), rf"\bextended{_VER}\b|\bclub (?:mix|edit|version)\b"),
    ((Version.EXTENDED,), r"\b12(?:\"|''|\s?inch)? (?:mix|version)\b"),  # the 12" (vinyl) mix
    ((Version.RADIO_EDIT,), r"\b(?:radio|single|short) (?:edit|mix|version|cut)\b|\btv (?:size|ver\b\.?|version|edit)"),
    ((Version.CLEAN,), rf"\bclean{_VER}\b|\bcensored\b|\bedited\b"),  # "Edited" is the US stores' clean label
    ((Version.EXPLICIT,), rf"\b(?:explicit|dirty){_VER}\b|\buncensored\b"),
    ((Version.NOT_A_RECORDING,), (r"\breact(?:s|ion|ing)?\b|\btutorial\b|\blessons?\b|\bhow to (?:play|sing)\b|"
                                  r"\bdance practice\b|\bchoreography\b|\bdance cover\b|\bfancam\b|#?\bshorts\b|"
                                  r"\bbehind the scenes\b|\bmaking of\b|\binterview\b|\bteaser\b|\btrailer\b|"
                                  r"\bsnippet\b|\bpreview\b|\bbreakdown\b|\bexplained\b")),
]
_PATTERNS = [(kinds, re.compile(pattern)) for kinds, pattern in _VOCABULARY]
# Most segments ("feat. x", "prod. by y", a venue) hold no marker: one scan rules them out cheaply.
_ANY_MARKER = re.compile("|".join(f"(?:{pattern})" for _, pattern in _VOCABULARY)
                         + r"|\b(?:remix(?:ed)?|rmx|rework(?:ed)?|re-?edit|flip|dub|mix|edit|version|ver|cut|versao)\b")

# What is left after the vocabulary: "<name> Remix", "Remix by <name>", "<name> Version", "Versión <name>".
_REMIX_WORDS = r"remix(?:ed)?|rmx|rework(?:ed)?|re-?edit|flip|dub|mix|edit"
_NAMED_REMIX = re.compile(rf"^(?P<name>.*?)\s*\b(?P<word>{_REMIX_WORDS})\b(?:\s+by\s+(?P<by>.+))?")
_NAMED_VERSION = re.compile(r"^(?P<name>.*?)\s*\b(?:version|ver\b\.?|cut)\s*$|^(?:version|versao)\s+(?P<after>.+)$")
_NOISE = re.compile(r"\b(?:official|video|audio|lyrics?|music|hd|hq|4k|visuali[sz]er|mv|m/v|clip|officiel|"
                    r"oficial|videoclip|letra|premiere|free|download|out now|the)\b|[^\w\s']")
_LIVE_FILLER = frozenset({"at", "in", "from", "on", "de", "a", "no", "na", "em", "en", "du", "la", "le", "s"})


@dataclass(frozen=True)
class VersionTags:
    """The version markers of one title, with the names that tell two remixes or two live shows apart."""

    kinds: frozenset[Version] = frozenset()
    names: Mapping[Version, frozenset[str]] = field(default_factory=dict)  # shared (cached): never mutated

    def __or__(self, other: VersionTags) -> VersionTags:
        names = {k: self.names.get(k, frozenset()) | other.names.get(k, frozenset())
                 for k in self.names.keys() | other.names.keys()}
        return VersionTags(self.kinds | other.kinds, names)


@dataclass(frozen=True)
class Finding:
    """One way a candidate differs from the track: a veto, or a penalty to its score."""

    message: str
    penalty: float = 0.0
    veto: bool = False


@lru_cache(maxsize=4096)
def tags_of_segment(segment: str) -> VersionTags:
    """Markers in one folded decoration ("alesso remix", "live on mtv, 1994", "slowed + reverb")."""
    if not _ANY_MARKER.search(segment):
        return VersionTags()
    kinds: set[Version] = set()
    names: dict[Version, frozenset[str]] = {}
    rest = segment
    for found_kinds, pattern in _PATTERNS:
        found = [m.group(0) for m in pattern.finditer(rest)]
        if not found:
            continue
        rest = pattern.sub(" ", rest)
        kinds.update(found_kinds)
        if Version.LANGUAGE in found_kinds:  # "Japanese Ver." and "English Ver." are different recordings
            names[Version.LANGUAGE] = frozenset(comparable(text).split()[0] for text in found)
    rest = " ".join(_NOISE.sub(" ", rest).split())
    remix = _NAMED_REMIX.search(rest)
    version = _NAMED_VERSION.search(rest)
    if remix:
        name = _clean_name(remix["by"] or remix["name"])
        if remix["word"] == "edit" and not name:
            kinds.add(Version.RADIO_EDIT)  # a bare "Edit" is the short version, not a remix
        elif remix["word"] != "mix" or name:  # a bare "Mix" says nothing
            kinds.add(Version.REMIX)
            names[Version.REMIX] = frozenset({name})
    elif version and _clean_name(version["name"] or version["after"] or ""):
        kinds.add(Version.NAMED)
        names[Version.NAMED] = frozenset({_clean_name(version["name"] or version["after"])})
    if Version.LIVE in kinds:
        place = " ".join(w for w in comparable(rest).split() if w not in _LIVE_FILLER)
        names[Version.LIVE] = frozenset({place})
    return VersionTags(frozenset(kinds), names)


def without_markers(text: str, keep: frozenset[str]) -> str:
    """`text` with its version words blanked, except words of the song's own name (`keep`), so that
    "heat waves 1 hour" reads "heat waves" but "live forever" stays whole."""
    if not _ANY_MARKER.search(text):
        return text

    def blank(match: re.Match[str]) -> str:
        return match.group(0) if set(comparable(match.group(0)).split()) <= keep else " "

    for _, pattern in _PATTERNS:
        text = pattern.sub(blank, text)
    return text


def describes_version(segment: str) -> bool:
    """Whether a bracket names the recording ("Remastered 2011", "Live") rather than being part of the name."""
    return any(pattern.search(segment) for _, pattern in _PATTERNS) or bool(tags_of_segment(segment).kinds)


def tags_of_segments(segments: list[str]) -> VersionTags:
    tags = VersionTags()
    for segment in segments:
        tags = tags | tags_of_segment(segment)
    return tags


def _clean_name(name: str) -> str:
    return comparable(re.sub(r"'s\b", "", name))


def _same_names(left: set[str], right: set[str]) -> bool:
    """Whether two sets of remixer / venue names share one ("mtv 1994" vs "mtv, 1994")."""
    return any(a == b or (a and b and fuzz.token_set_ratio(a, b) >= 80) for a in left for b in right)


def compare_versions(track: VersionTags, candidate: VersionTags, explicit: bool, label_title: bool,
                     credited: tuple[str, ...] = ()) -> list[Finding]:
    """Everything that makes the candidate a different version of the track.

    `label_title`: the upload's title comes from the same label feed as Spotify's (Topic, YouTube Music
    songs), so a version the track's title names would be named there too.
    `credited`: the track's artists; Spotify's bare "Song - Remix" credits its remixer only there.
    """
    findings: list[Finding] = []
    asked, offered = track.kinds & LENGTH_VARIANTS, candidate.kinds & LENGTH_VARIANTS
    if asked and offered and not asked & offered:  # "Extended Mix" wanted, "Radio Edit" offered, or the reverse
        findings.append(Finding(f"{', '.join(sorted(offered))}, the track is the {', '.join(sorted(asked))}",
                                veto=True))
    for kind in sorted(candidate.kinds - track.kinds):
        if kind is Version.RADIO_EDIT and explicit:
            findings.append(Finding("radio edit of an explicit track (usually censored)", veto=True))
        elif kind is Version.CLEAN:
            if explicit:
                findings.append(Finding("clean edit of an explicit track", veto=True))
        elif kind is Version.EXPLICIT:
            findings.append(Finding("explicit upload of a clean track", penalty=_EXPLICIT_PENALTY))
        elif kind in LENGTH_VARIANTS:
            findings.append(Finding(f"{kind} upload, the track is not one", penalty=_LENGTH_VARIANT_PENALTY))
        else:
            findings.append(Finding(f"{kind} upload, the track is not", veto=True))
    for kind in sorted(track.kinds - candidate.kinds):
        if kind is Version.RADIO_EDIT and label_title:
            findings.append(Finding("label upload not titled radio edit: the full version", veto=True))
        elif kind is Version.RADIO_EDIT:
            findings.append(Finding("does not say radio edit", penalty=_UNSAID_RADIO_EDIT_PENALTY))
        elif kind is Version.EXTENDED:
            findings.append(Finding("does not say extended", penalty=_LENGTH_VARIANT_PENALTY))
        elif kind not in CONTENT_VARIANTS:
            findings.append(Finding(f"not the {kind} version the track is", veto=True))
    for kind in sorted(track.kinds & candidate.kinds):
        wanted = track.names.get(kind, frozenset())
        if kind is Version.REMIX and not any(wanted):
            wanted = frozenset({_clean_name(a) for a in credited}) | wanted
        findings.extend(_compare_names(kind, wanted, candidate.names.get(kind, frozenset())))
    return findings


def _compare_names(kind: Version, wanted: frozenset[str], found: frozenset[str]) -> list[Finding]:
    """Both sides have this marker: do they name the same remixer, venue or version?"""
    named_wanted = {n for n in wanted if n}
    named_found = {n for n in found if n}
    if named_wanted and named_found and not _same_names(named_wanted, named_found):
        return [Finding(f"{kind} by/of {', '.join(sorted(named_found))}, "
                        f"the track's is {', '.join(sorted(named_wanted))}", veto=True)]
    if kind is Version.REMIX and named_found and not named_wanted:
        return [Finding(f"remix by {', '.join(sorted(named_found))}, the track's remix is unnamed", veto=True)]
    if kind is Version.REMIX and named_wanted and not named_found:
        return [Finding("remix without a remixer name", penalty=_UNNAMED_REMIX_PENALTY)]
    return []
