"""M3U8 playlists, one file per playlist: what Navidrome, Jellyfin, foobar2000 and most players read.

UTF-8, `#EXTM3U` first, then per track `#EXTINF:<seconds>,<Artist> - <Title>` and its path. Paths are
relative to the playlist file by default, so the music folder can move or be mounted elsewhere (a NAS
share) and the playlists still work.
"""
from __future__ import annotations

import os

from pathvalidate import sanitize_filename

from pysync_web.services.exports.library import ExportLibrary, ExportPlaylist

EXTENSION = ".m3u8"
_MAX_NAME_CHARS = 120


def render_m3u(playlist: ExportPlaylist, library: ExportLibrary, playlist_dir: str, absolute: bool = False) -> bytes:
    lines = ["#EXTM3U"]
    for track_id in playlist.track_ids:
        track = library.track_by_id[track_id]
        seconds = round(track.total_time_ms / 1000) if track.total_time_ms else -1  # -1: unknown, per the spec
        lines.append(f"#EXTINF:{seconds},{track.label}")
        lines.append(track.path if absolute else _relative(track.path, playlist_dir))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _relative(path: str, playlist_dir: str) -> str:
    try:
        relative = os.path.relpath(path, playlist_dir)
    except ValueError:  # Windows: the file is on another drive than the playlist
        return path
    # A line starting with "#" is a comment in M3U, so a file named "#1 Hit.mp3" beside the playlist
    # must not be written bare.
    return f".{os.sep}{relative}" if relative.startswith("#") else relative


def playlist_file_names(library: ExportLibrary) -> dict[int, str]:
    """A file name per playlist (by playlist number), safe on every system and unique even where
    names differ only in case (Windows and macOS): "Name.m3u8", "Name (2).m3u8", ..."""
    names: dict[int, str] = {}
    taken: set[str] = set()
    for playlist in library.playlists:
        base = sanitize_filename(playlist.name, platform="universal", max_len=_MAX_NAME_CHARS).strip(" .")
        base = base or f"Playlist {playlist.ids.number}"
        name, copy = base, 1
        while name.casefold() in taken:
            copy += 1
            name = f"{base} ({copy})"
        taken.add(name.casefold())
        names[playlist.ids.number] = name + EXTENSION
    return names
