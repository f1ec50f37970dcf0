"""Exports for DJ software and media servers: read the store once, render a format, write atomically.

`export()` is what the CLI and the UI call; `auto_export()` rewrites the formats named in the
`auto_export` setting at fixed paths after each sync and download run, so rekordbox (set to watch
that file) always finds a fresh library. `auto_export()` never raises: an export is extra work that
must not fail the sync or download that triggered it.
"""
from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum
from pathlib import Path

from pysync_web.atomic_file import write_atomically
from pysync_web.config import Settings
from pysync_web.errors import PySyncError, UnknownPlaylistError
from pysync_web.services.exports.audio_facts import AudioFactsCache
from pysync_web.services.exports.itunes import render_itunes
from pysync_web.services.exports.library import ExportLibrary, LibrarySource, build_library
from pysync_web.services.exports.m3u import playlist_file_names, render_m3u
from pysync_web.services.exports.nml import render_nml
from pysync_web.services.exports.rekordbox import render_rekordbox
from pysync_web.store.database import Database
from pysync_web.store.entries import EntryRepository
from pysync_web.store.folders import FolderRepository
from pysync_web.store.playlists import PlaylistRepository
from pysync_web.store.tracks import TrackRepository

log = logging.getLogger(__name__)
M3U_MANIFEST = ".pysync-playlists.json"  # the playlist files we wrote, so renamed ones can be tidied
FACTS_CACHE = Path("cache") / "export-audio-facts.json"  # under the data dir
_M3U_WRITERS = 8


class ExportFormat(StrEnum):
    ITUNES = "itunes"
    REKORDBOX = "rekordbox"
    M3U = "m3u"
    NML = "nml"

    @property
    def label(self) -> str:
        return {"itunes": "iTunes XML", "rekordbox": "rekordbox XML", "m3u": "M3U8 playlists",
                "nml": "Traktor NML"}[self.value]

    @property
    def default_file_name(self) -> str | None:
        """None for M3U, which writes a folder of playlists."""
        names = {"itunes": "iTunes Music Library.xml", "rekordbox": "rekordbox.xml", "nml": "traktor.nml"}
        return names.get(self.value)


class ExportError(PySyncError):
    pass


@dataclass
class ExportResult:
    format: ExportFormat
    paths: list[Path] = field(default_factory=list)  # files written (or, when unchanged, already there)
    tracks: int = 0
    playlists: int = 0
    warnings: list[str] = field(default_factory=list)
    unchanged: bool = False  # auto-export only: nothing changed since the last one, nothing rewritten
    error: str | None = None  # auto-export only: why this format could not be written


def parse_format(name: str) -> ExportFormat:
    try:
        return ExportFormat(name.strip().lower())
    except ValueError:
        choices = ", ".join(f.value for f in ExportFormat)
        raise ExportError(f"Unknown export format {name!r}; choose one of {choices}.") from None


def parse_formats(text: str) -> list[ExportFormat]:
    """The `auto_export` setting ("rekordbox, m3u") as formats; ExportError names a wrong one."""
    return list(dict.fromkeys(parse_format(name) for name in text.split(",") if name.strip()))


class ExportService:
    def __init__(self, db: Database, settings: Settings, clock: Callable[[], datetime] | None = None):
        self.db = db
        self.settings = settings
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.facts = AudioFactsCache(settings.data_dir / FACTS_CACHE)
        self._tracks = TrackRepository(db)
        self._playlists = PlaylistRepository(db)
        self._folders = FolderRepository(db)
        # EntryRepository reads one playlist per table scan; an export wants them all in one scan.
        self._entries = EntryRepository(db)
        self._lock = threading.Lock()
        # What auto-export last wrote where: the same library again needs no rewrite.
        self._last_auto: dict[tuple[ExportFormat, Path], tuple[ExportLibrary, tuple[Path, ...]]] = {}

    @property
    def export_dir(self) -> Path:
        return Path(self.settings.export_dir) if self.settings.export_dir else self.settings.data_dir / "exports"

    def default_destination(self, export_format: ExportFormat) -> Path:
        name = export_format.default_file_name
        return self.export_dir / name if name else self.settings.music_path / "Playlists"

    def export(self, export_format: ExportFormat | str, out: Path | str | None = None,
               playlist_ids: Sequence[int] | None = None, absolute: bool = False) -> ExportResult:
        """Write one format; `out` is a file (a folder for M3U), default `default_destination`.
        Raises ExportError when the destination cannot be written; a missing track file is a warning."""
        export_format = parse_format(export_format) if isinstance(export_format, str) else export_format
        with self._lock:
            library = self.snapshot(playlist_ids)
            destination = Path(out) if out is not None else self.default_destination(export_format)
            result = self._write(export_format, library, destination, absolute, tidy=playlist_ids is None)
            self.facts.save()
        return result

    def auto_export(self) -> list[ExportResult]:
        """Rewrite every format in the `auto_export` setting; cheap when it is empty or nothing changed.
        Unknown names in the setting are logged and skipped (`parse_formats` validates it for the UI)."""
        formats: list[ExportFormat] = []
        for name in filter(str.strip, self.settings.auto_export.split(",")):
            try:
                formats.append(parse_format(name))
            except ExportError as error:
                log.warning("Auto-export setting: %s", error)
        if not formats:
            return []
        with self._lock:
            try:
                library = self.snapshot()
            except (PySyncError, OSError) as error:
                log.warning("Auto-export could not read the library: %s", error)
                return [ExportResult(f, error=str(error)) for f in formats]
            results = [self._auto_export_one(export_format, library) for export_format in dict.fromkeys(formats)]
            self.facts.save()
        return results

    def snapshot(self, playlist_ids: Sequence[int] | None = None) -> ExportLibrary:
        """The library as the exports see it; raises UnknownPlaylistError for an unknown id."""
        with self.db.lock:  # one consistent view: a sync's transaction holds this lock throughout
            playlists = self._playlists.list()
            known = {p.id for p in playlists}
            for playlist_id in playlist_ids or ():
                if playlist_id not in known:
                    raise UnknownPlaylistError(f"There is no playlist {playlist_id}; `list` shows the ids.")
            entries = self._entries.current_by_playlist()
            source = LibrarySource(self._tracks.all(), playlists, self._folders.list(), entries)
        return build_library(source, self.facts.facts, library_key=str(self.settings.data_dir.resolve()),
                             music_folder=str(self.settings.music_path), playlist_ids=playlist_ids)

    def _auto_export_one(self, export_format: ExportFormat, library: ExportLibrary) -> ExportResult:
        destination = self.default_destination(export_format)
        last = self._last_auto.get((export_format, destination))
        if last is not None and last[0] == library and all(path.exists() for path in last[1]):
            return ExportResult(export_format, list(last[1]), len(library.tracks), len(library.playlists),
                                list(library.warnings), unchanged=True)
        try:
            result = self._write(export_format, library, destination, absolute=False, tidy=True)
        except ExportError as error:
            log.warning("Auto-export of %s failed: %s", export_format.label, error)
            return ExportResult(export_format, error=str(error))
        self._last_auto[(export_format, destination)] = (library, tuple(result.paths))
        return result

    def _write(self, export_format: ExportFormat, library: ExportLibrary, destination: Path, absolute: bool,
               tidy: bool) -> ExportResult:
        result = ExportResult(export_format, tracks=len(library.tracks), playlists=len(library.playlists),
                              warnings=list(library.warnings))
        if export_format == ExportFormat.M3U:
            result.paths = self._write_m3u(library, destination, absolute, tidy)
            result.tracks = len({t for p in library.playlists for t in p.track_ids})
            return result
        if destination.is_dir():
            destination = destination / (export_format.default_file_name or "")
        if export_format == ExportFormat.ITUNES:
            data = render_itunes(library, self.clock())
        elif export_format == ExportFormat.REKORDBOX:
            data = render_rekordbox(library)
        else:
            data = render_nml(library)
        _write_file(destination, data)
        result.paths = [destination]
        return result

    def _write_m3u(self, library: ExportLibrary, folder: Path, absolute: bool, tidy: bool) -> list[Path]:
        if folder.exists() and not folder.is_dir():
            raise ExportError(f"{folder} is a file; M3U export needs a folder to put the playlists in.")
        names = playlist_file_names(library)
        playlist_dir = os.path.abspath(folder)
        files = {folder / names[p.ids.number]: render_m3u(p, library, playlist_dir, absolute)
                 for p in library.playlists}
        # Each file is fsynced on its own; waiting for 200 of them in turn is most of an M3U export,
        # and the file system commits concurrent ones together.
        with ThreadPoolExecutor(max_workers=_M3U_WRITERS) as pool:
            for done in [pool.submit(_write_file, path, data) for path, data in files.items()]:
                done.result()
        written = list(files)
        if tidy:
            _tidy_m3u_folder(folder, {p.name for p in written})
        return written


def _write_file(path: Path, data: bytes) -> None:
    """Atomically; a file that already holds exactly this is left alone (its mtime too, so media
    servers that rescan on change don't)."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    try:
        write_atomically(path, data)
    except OSError as error:
        reason = error.strerror or str(error)
        raise ExportError(f"Could not write {path}: {reason}. Choose another destination or make the folder "
                          "writable; the file there was left as it was.") from None


def _tidy_m3u_folder(folder: Path, names: set[str]) -> None:
    """Delete playlist files this app wrote before and no longer writes (a playlist renamed, removed or
    disabled), so media servers do not keep showing them. Files it did not write are never touched."""
    manifest = folder / M3U_MANIFEST
    try:
        previous = set(json.loads(manifest.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        previous = set()
    for stale in previous - names:
        if isinstance(stale, str) and "/" not in stale and "\\" not in stale and stale.endswith(".m3u8"):
            try:
                (folder / stale).unlink(missing_ok=True)
            except OSError as error:
                log.warning("Could not remove the old playlist file %s: %s", folder / stale, error)
    _write_file(manifest, json.dumps(sorted(names), ensure_ascii=False).encode())
