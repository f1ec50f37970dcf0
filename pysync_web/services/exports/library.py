"""The library as exports see it: downloaded tracks with their files, playlists in folder-tree order.

Every format is a pure function of an ExportLibrary, so formats are tested without a store, and an
export of the same library is the same file. `build_library` makes one from plain model objects.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property

from pysync_web.models import Folder, Playlist, PlaylistEntry, Track
from pysync_web.services.exports.audio_facts import AudioFacts
from pysync_web.services.exports.ids import ItemIds, LibraryIds, allocate_ids, persistent_id

# XML 1.0 cannot hold C0 controls (but tab and line breaks), lone surrogates, U+FFFE and U+FFFF;
# plistlib refuses them too. Titles lose them; line breaks become spaces so an M3U line stays one line.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("[\t\n\r]+")
_UNWRITABLE_IN_PATH = re.compile("[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_YEAR = re.compile(r"^(\d{4})")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def clean_text(text: str | None) -> str:
    return _UNWRITABLE.sub("", _LINE_BREAKS.sub(" ", text or "")).strip()


@dataclass(frozen=True)
class ExportTrack:
    track_id: int
    persistent_id: str
    path: str  # absolute, in the running system's form
    name: str
    artist: str
    album_artist: str
    album: str
    genre: str
    size: int  # bytes
    total_time_ms: int | None
    track_number: int | None
    year: int | None
    release_date: str | None  # "2021", "2021-03" or "2021-03-05"
    bitrate_kbps: int | None
    sample_rate: int | None
    date_added: datetime  # UTC

    @property
    def extension(self) -> str:
        return os.path.splitext(self.path)[1].lower().lstrip(".")

    @property
    def label(self) -> str:
        return f"{self.artist} - {self.name}" if self.artist else self.name


@dataclass(frozen=True)
class ExportPlaylist:
    name: str
    ids: ItemIds
    track_ids: tuple[int, ...]  # ExportTrack.track_id in playlist order


@dataclass(frozen=True)
class ExportFolder:
    name: str
    ids: ItemIds
    children: tuple[ExportFolder | ExportPlaylist, ...]  # folders first, then playlists


ExportNode = ExportFolder | ExportPlaylist


@dataclass(frozen=True)
class ExportLibrary:
    library_id: str  # 16 hex digits
    music_folder: str  # absolute
    tracks: tuple[ExportTrack, ...]  # each downloaded track once, oldest first
    nodes: tuple[ExportNode, ...]  # the top level of the folder tree
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def walk(self) -> Iterator[tuple[ExportNode, ExportFolder | None]]:
        """Every folder and playlist depth first, each with the folder that holds it."""
        stack: list[tuple[ExportNode, ExportFolder | None]] = [(n, None) for n in reversed(self.nodes)]
        while stack:
            node, parent = stack.pop()
            yield node, parent
            if isinstance(node, ExportFolder):
                stack.extend((child, node) for child in reversed(node.children))

    @cached_property
    def playlists(self) -> list[ExportPlaylist]:
        return [node for node, _ in self.walk() if isinstance(node, ExportPlaylist)]

    @cached_property
    def track_by_id(self) -> dict[int, ExportTrack]:
        return {t.track_id: t for t in self.tracks}


@dataclass
class LibrarySource:
    """What the store holds, read once: every track, playlist and folder, current entries by playlist."""

    tracks: Sequence[Track]
    playlists: Sequence[Playlist]
    folders: Sequence[Folder]
    entries: Mapping[int, Sequence[PlaylistEntry]]  # by playlist id, position order, current only


# (absolute path, facts recorded at download or None) -> the file's facts, or None: no such file
FactsReader = Callable[[str, AudioFacts | None], AudioFacts | None]


def build_library(source: LibrarySource, facts: FactsReader, library_key: str, music_folder: str,
                  playlist_ids: Sequence[int] | None = None) -> ExportLibrary:
    """Without `playlist_ids`: every track with a file, enabled playlists in enabled folders.
    With them: those playlists (enabled or not), the folders above them, and their tracks only."""
    ids = allocate_ids(source.tracks, source.playlists, source.folders)
    tree = _Tree(source, ids, set(playlist_ids) if playlist_ids is not None else None)
    included: list[Playlist] = []

    def collect(playlist: Playlist) -> ExportPlaylist:  # a first pass only learns which playlists go in
        included.append(playlist)
        return ExportPlaylist("", ids.playlists[playlist.id], ())

    tree.nodes(collect)
    if playlist_ids is None:
        wanted = [t for t in source.tracks if t.file]
    else:
        chosen = {e.track_id for p in included for e in source.entries.get(p.id, ())}
        wanted = [t for t in source.tracks if t.file and t.id in chosen]
    tracks, warnings, export_ids = _export_tracks(wanted, ids, facts)

    def export_playlist(playlist: Playlist) -> ExportPlaylist:
        entries = source.entries.get(playlist.id, ())
        track_ids = tuple(export_ids[e.track_id] for e in entries if e.track_id in export_ids)
        return ExportPlaylist(clean_text(playlist.name), ids.playlists[playlist.id], track_ids)

    return ExportLibrary(persistent_id(f"library:{library_key}"), os.path.abspath(music_folder),
                         tracks, tree.nodes(export_playlist), tuple(warnings))


class _Tree:
    """Folders and playlists in the order the playlists page shows them: folders (by position, then
    name) before playlists (by position); anything under a folder that no longer exists sits on top."""

    def __init__(self, source: LibrarySource, ids: LibraryIds, selection: set[int] | None):
        self.ids, self.selection = ids, selection
        folder_ids = {f.id for f in source.folders}
        self.subfolders: dict[int | None, list[Folder]] = {}
        for folder in sorted(source.folders, key=lambda f: (f.position, f.name.lower(), f.id)):
            parent = folder.parent_id if folder.parent_id in folder_ids and folder.parent_id != folder.id else None
            self.subfolders.setdefault(parent, []).append(folder)
        self.playlists_in: dict[int | None, list[Playlist]] = {}
        for playlist in sorted(source.playlists, key=lambda p: (p.position, p.id)):
            parent = playlist.folder_id if playlist.folder_id in folder_ids else None
            self.playlists_in.setdefault(parent, []).append(playlist)

    def nodes(self, make_playlist: Callable[[Playlist], ExportPlaylist]) -> tuple[ExportNode, ...]:
        return self._children(None, make_playlist, set())

    def _children(self, folder_id: int | None, make_playlist: Callable[[Playlist], ExportPlaylist],
                  seen: set[int]) -> tuple[ExportNode, ...]:
        nodes: list[ExportNode] = []
        for folder in self.subfolders.get(folder_id, []):
            if folder.id in seen or (self.selection is None and not folder.enabled):
                continue  # a disabled folder hides everything below it
            seen.add(folder.id)
            children = self._children(folder.id, make_playlist, seen)
            if self.selection is None or children:
                nodes.append(ExportFolder(clean_text(folder.name), self.ids.folders[folder.id], children))
        for playlist in self.playlists_in.get(folder_id, []):
            if playlist.enabled if self.selection is None else playlist.id in self.selection:
                nodes.append(make_playlist(playlist))
        return tuple(nodes)


def _export_tracks(wanted: Sequence[Track], ids: LibraryIds, facts: FactsReader
                   ) -> tuple[tuple[ExportTrack, ...], list[str], dict[int, int]]:
    """(tracks oldest first, warnings, store id -> export Track ID); a missing file is skipped."""
    tracks: list[ExportTrack] = []
    warnings: list[str] = []
    export_ids: dict[int, int] = {}
    by_path: dict[str, int] = {}
    for track in sorted(wanted, key=lambda t: (_added(t), ids.tracks[t.id].number)):
        path = os.path.abspath(track.file or "")
        label = clean_text(f"{', '.join(track.artists)} - {track.title}" if track.artists else track.title)
        if path in by_path:  # two tracks recorded with one file: DJ software wants each file once
            export_ids[track.id] = by_path[path]
            continue
        if _UNWRITABLE_IN_PATH.search(path):
            warnings.append(f"Skipped {label}: its file name has characters DJ software cannot read ({path!r}).")
            continue
        found = facts(path, _recorded_facts(track))
        if found is None:
            warnings.append(f"Skipped {label}: its file is missing ({path}).")
            continue
        tracks.append(_export_track(track, ids.tracks[track.id], path, found))
        export_ids[track.id] = by_path[path] = tracks[-1].track_id
    return tuple(tracks), warnings, export_ids


def _recorded_facts(track: Track) -> AudioFacts | None:
    """What the download step stored; the duration is the platform's, which verification matched."""
    if track.file_size and track.bitrate_kbps and track.sample_rate and track.duration_ms:
        return AudioFacts(track.file_size, track.duration_ms, track.bitrate_kbps, track.sample_rate)
    return None


def _export_track(track: Track, item: ItemIds, path: str, facts: AudioFacts) -> ExportTrack:
    year = _YEAR.match(track.release_date or "")
    return ExportTrack(
        track_id=item.number, persistent_id=item.persistent_id, path=path,
        name=clean_text(track.title), artist=clean_text(", ".join(track.artists)),
        album_artist=clean_text(track.album_artist), album=clean_text(track.album), genre="",
        size=facts.size, total_time_ms=facts.duration_ms or track.duration_ms,
        track_number=track.track_number, year=int(year.group(1)) if year else None,
        release_date=track.release_date, bitrate_kbps=facts.bitrate_kbps, sample_rate=facts.sample_rate,
        date_added=_added(track),
    )


def _added(track: Track) -> datetime:
    created = track.created_at or _EPOCH
    return created.replace(tzinfo=timezone.utc) if created.tzinfo is None else created.astimezone(timezone.utc)
