"""Where a track's file goes: a user template such as "{playlist}/{artist} - {title}" made into a path
that is valid on Windows, macOS and Linux, stays inside the music folder, and never lands on another
track's file.

Music libraries move between systems (a NAS shared with Windows, a USB stick for the CDJs), so every
name is made safe for all of them at once rather than for the system we run on.
"""
from __future__ import annotations

import re
import string
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pathvalidate import sanitize_filename

from pysync_web.errors import PySyncError

DEFAULT_TEMPLATE = "{artist} - {title}"
MAX_NAME_BYTES = 200  # under every file system's 255-byte limit, leaving room for temp names (convert, sync tools)
_FALLBACKS = {
    "artist": "Unknown Artist",
    "title": "Unknown Title",
    "album": "Unknown Album",
    "playlist": "Unknown Playlist",
    "track_number": "00",
}
TEMPLATE_FIELDS = tuple(_FALLBACKS)
_SEPARATORS_RE = re.compile(r"[/\\]")  # a Windows user may well type a backslash for a sub-folder
_MAX_COLLISION_NUMBER = 10_000


class FilenameTemplateError(PySyncError):
    pass


@dataclass(frozen=True)
class NameFields:
    """What a template can use; empty values fall back to "Unknown Artist" and the like."""

    title: str
    artists: Sequence[str] = ()
    album: str = ""
    playlist: str = ""
    track_number: int | None = None


def validate_template(template: str) -> str | None:
    """A message saying what is wrong with `template`, or None when it can be used."""
    if not template.strip():
        return f"The file name template is empty; the default is {DEFAULT_TEMPLATE}."
    segments = [segment for segment in _SEPARATORS_RE.split(template) if segment.strip()]
    if _SEPARATORS_RE.match(template):
        return "The template is relative to the music folder: remove the leading /."
    if any(segment.strip() == ".." for segment in segments):
        return "The template may not contain .. folders."
    try:
        parsed = [list(string.Formatter().parse(segment)) for segment in segments]
    except ValueError:
        return "The template has a { without a matching } (write {{ or }} for a literal brace)."
    allowed = ", ".join(f"{{{name}}}" for name in TEMPLATE_FIELDS)
    for field_name, spec, conversion in (part[1:] for segment in parsed for part in segment):
        if field_name is None:
            continue
        if field_name not in TEMPLATE_FIELDS:
            return f"Unknown field {{{field_name}}} in the template; use {allowed}."
        if spec or conversion:
            return f"Write just {{{field_name}}}: formatting inside the braces is not supported."
    if not any(part[1] is not None for part in parsed[-1]):
        return "The file name (after the last /) needs a field such as {title}, or every track gets the same name."
    return None


def target_path(
    music_dir: Path,
    template: str,
    fields: NameFields,
    ext: str,
    track_key: str,
    is_taken: Callable[[Path], bool],
) -> Path:
    """The path for a new file of the track `track_key` ("mp3"-style `ext`, without the dot).

    A path is skipped for " (2)", " (3)"... when it exists on disk, when `is_taken(path)` says another
    track owns it (the caller's store knows), or when another track got it from this function earlier
    in this process — two workers naming "Intro" at once must not share a file. The same `track_key`
    gets its own earlier path back, even if the file exists by now (a retry). A track whose file is
    already recorded should keep that path instead of asking again: DJ software finds files by path.
    `is_taken` is called under a lock shared by all threads, so it must not call target_path.
    """
    error = validate_template(template)
    if error:
        raise FilenameTemplateError(error)
    folders, stem = _render(template, fields)
    for number in range(1, _MAX_COLLISION_NUMBER):
        suffix = f" ({number})" if number > 1 else ""
        candidate = music_dir.joinpath(*folders, _fit(stem, f"{suffix}.{ext}"))
        if _reservations.claim(candidate, track_key, is_taken):
            return candidate
    raise FilenameTemplateError(f"more than {_MAX_COLLISION_NUMBER} files are named like {stem}.{ext}")


def _render(template: str, fields: NameFields) -> tuple[list[str], str]:
    """Folder names and the file's stem; field values are cleaned first so "AC/DC" makes no folder."""
    raw_values = {
        "artist": ", ".join(artist.strip() for artist in fields.artists if artist.strip()),
        "title": fields.title,
        "album": fields.album,
        "playlist": fields.playlist,
        "track_number": f"{fields.track_number:02}" if fields.track_number is not None else "",
    }
    values = {name: _usable_or(_safe_characters(value), _FALLBACKS[name]) for name, value in raw_values.items()}
    segments = [_trim(_safe_characters(segment.format_map(values))) for segment in _SEPARATORS_RE.split(template)]
    *folders, stem = [segment for segment in segments if segment]  # validation keeps the last one non-empty
    return [_fit(folder, "") for folder in folders], stem


# Similar-looking safe characters, so "AC/DC" stays readable; "?", "<" and ">" simply go.
_REPLACEMENTS = str.maketrans({"/": "-", "\\": "-", "|": "-", "*": "_", '"': "'", "?": None, "<": None, ">": None})
_COLON_WITH_SPACE_RE = re.compile(r"\s*:\s+")
_BIDI_CONTROLS = {chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
_SPACES_RE = re.compile(r"\s+")


def _safe_characters(text: str) -> str:
    text = unicodedata.normalize("NFC", text)  # macOS may hand out decomposed (NFD) names
    text = _COLON_WITH_SPACE_RE.sub(" - ", text).replace(":", "-").translate(_REPLACEMENTS)
    # Control characters break terminals and Windows; bidi overrides can disguise an extension
    # ("evil\u202Egpj.mp3" shows as "evilmp3.jpg"). Zero-width joiners stay: emoji need them.
    text = "".join(
        " " if char.isspace() else char
        for char in text
        if char not in _BIDI_CONTROLS and (char.isspace() or unicodedata.category(char) != "Cc")
    )
    return _SPACES_RE.sub(" ", text).strip()


def _usable_or(value: str, fallback: str) -> str:
    # A value of only dots ("...", "..") would vanish from the start or end of a name: use the fallback.
    # Dots inside a value ("...Baby One More Time" after the artist) are kept.
    return value if _trim(value) else fallback


def _trim(text: str) -> str:
    # Leading dots hide a file on macOS and Linux; Windows drops trailing dots and spaces silently.
    return text.strip(" .")


def _fit(stem: str, suffix_and_extension: str) -> str:
    """`stem` cut on a character boundary so that it plus the ending fits MAX_NAME_BYTES, made safe."""
    budget = MAX_NAME_BYTES - len(suffix_and_extension.encode("utf-8"))
    cut = stem.encode("utf-8")[:budget].decode("utf-8", errors="ignore")
    # pathvalidate knows Windows's reserved names (CON, NUL, COM1, LPT¹, "con.txt"): it adds a "_".
    return sanitize_filename(_trim(cut), platform="universal") + suffix_and_extension


class _PathReservations:
    """Which track each path was handed to in this process, compared as case-insensitive file systems
    (Windows, macOS) would: "Intro.mp3" and "intro.mp3" are one file there."""

    def __init__(self) -> None:
        self._owners: dict[str, str] = {}
        self._lock = threading.Lock()

    def claim(self, path: Path, track_key: str, is_taken: Callable[[Path], bool]) -> bool:
        key = unicodedata.normalize("NFC", str(path)).casefold()
        with self._lock:
            owner = self._owners.get(key)
            if owner is not None and owner != track_key:
                return False
            if owner is None and (path.exists() or is_taken(path)):
                return False
            self._owners[key] = track_key
            return True


_reservations = _PathReservations()
