"""What DJ software wants to know about a file (size, length, bit rate, sample rate), cached.

Reading a header with mutagen costs ~0.5 ms a file, too much for a 10,000-track export that must
finish in well under 2 s, and the files rarely change. So facts are cached by path and checked
against (mtime, size) from one os.stat per file: in memory for repeated exports in one process
(auto-export after every sync) and in a small JSON file in the data dir so a fresh CLI process only
reads the headers of files that are new or changed.
"""
from __future__ import annotations

import json
import logging
import os
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

import mutagen
from mutagen.mp3 import MPEGInfo

from pysync_web.atomic_file import write_atomically

log = logging.getLogger(__name__)
_CACHE_VERSION = 1


@dataclass(frozen=True)
class AudioFacts:
    size: int  # bytes
    duration_ms: int | None = None
    bitrate_kbps: int | None = None
    sample_rate: int | None = None


def read_audio_facts(path: str, size: int) -> AudioFacts:
    """Facts from the file's header; a file mutagen cannot read still has a size."""
    info = _mp3_info(path) if path.lower().endswith(".mp3") else None
    if info is None:
        try:
            info = getattr(mutagen.File(path), "info", None)
        except (mutagen.MutagenError, OSError, ValueError):
            info = None
    if info is None:
        return AudioFacts(size)
    length = getattr(info, "length", 0) or 0
    bitrate = getattr(info, "bitrate", 0) or 0
    return AudioFacts(
        size=size,
        duration_ms=round(length * 1000) if length else None,
        bitrate_kbps=round(bitrate / 1000) if bitrate else None,
        # Opus always decodes at 48 kHz; mutagen does not say so.
        sample_rate=getattr(info, "sample_rate", None) or (48000 if path.lower().endswith(".opus") else None),
    )


def _mp3_info(path: str) -> MPEGInfo | None:
    """MP3 stream facts without parsing the ID3 tag: decoding its frames (the cover above all) is
    most of what mutagen.File spends on a tagged MP3. The tag's size is in its 10-byte header."""
    try:
        with open(path, "rb") as file:
            header = file.read(10)
            offset = 0
            if len(header) == 10 and header[:3] == b"ID3":
                size = (header[6] & 0x7F) << 21 | (header[7] & 0x7F) << 14 | (header[8] & 0x7F) << 7 | header[9] & 0x7F
                offset = 10 + size + (10 if header[5] & 0x10 else 0)  # flag 0x10: a footer follows
            return MPEGInfo(file, offset)
    except (mutagen.MutagenError, OSError, ValueError):
        return None


class AudioFactsCache:
    """`facts(path)` is None when the file is missing; safe to share between threads.

    `recorded` are facts the download step stored on the track: used, without opening the file,
    while the file still has the size they were recorded with.
    """

    def __init__(self, cache_file: Path | None = None):
        self.cache_file = cache_file
        self._entries: dict[str, tuple[int, int, AudioFacts]] = {}  # path -> (mtime_ns, size, facts)
        self._lock = threading.Lock()
        self._dirty = False
        self._loaded = cache_file is None

    def facts(self, path: str, recorded: AudioFacts | None = None) -> AudioFacts | None:
        try:
            found = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(found.st_mode):
            return None
        if recorded is not None and recorded.size == found.st_size:
            return recorded
        with self._lock:
            self._load()
            cached = self._entries.get(path)
        if cached is not None and cached[0] == found.st_mtime_ns and cached[1] == found.st_size:
            return cached[2]
        facts = read_audio_facts(path, found.st_size)
        with self._lock:
            self._entries[path] = (found.st_mtime_ns, found.st_size, facts)
            self._dirty = True
        return facts

    def save(self) -> None:
        """Write the cache file if anything new was read; a failure only costs speed next time."""
        with self._lock:
            if self.cache_file is None or not self._dirty:
                return
            rows = {p: [m, s, f.duration_ms, f.bitrate_kbps, f.sample_rate] for p, (m, s, f) in self._entries.items()}
            self._dirty = False
        try:
            write_atomically(self.cache_file, json.dumps({"version": _CACHE_VERSION, "files": rows}).encode())
        except OSError as error:
            log.warning("Could not save the audio facts cache %s: %s", self.cache_file, error)

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        assert self.cache_file is not None
        try:
            data = json.loads(self.cache_file.read_bytes())
            if data.get("version") != _CACHE_VERSION:
                return
            for path, (mtime, size, duration, bitrate, rate) in data["files"].items():
                self._entries.setdefault(path, (mtime, size, AudioFacts(size, duration, bitrate, rate)))
        except FileNotFoundError:
            pass
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
            log.warning("Ignoring unreadable audio facts cache %s: %s", self.cache_file, error)

