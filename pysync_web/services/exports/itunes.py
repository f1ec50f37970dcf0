"""iTunes Library XML ("iTunes Music Library.xml"): the library file rekordbox, Serato, Traktor and
VirtualDJ all know how to import.

A plist: a Tracks dict keyed by Track ID, then a Playlists array that starts with the master
"Library" playlist, folders as playlists with `Folder` true, and every folder or playlist under a
folder naming it by `Parent Persistent ID`. Written with plistlib, so it is a valid plist by
construction; plistlib writes naive datetimes as UTC with a trailing Z.
"""
from __future__ import annotations

import plistlib
from datetime import datetime, timezone
from typing import Any

from pysync_web.services.exports.file_urls import file_url, folder_url
from pysync_web.services.exports.ids import MASTER_PLAYLIST_ID
from pysync_web.services.exports.library import ExportFolder, ExportLibrary, ExportTrack

APPLICATION_VERSION = "12.13.2.3"  # what recent iTunes for Windows writes; importers check only that it exists
_KINDS = {
    "mp3": "MPEG audio file", "m4a": "AAC audio file", "mp4": "AAC audio file", "aac": "AAC audio file",
    "wav": "WAV audio file", "aif": "AIFF audio file", "aiff": "AIFF audio file", "flac": "FLAC audio file",
    "ogg": "Ogg Vorbis audio file", "opus": "Opus audio file", "alac": "Apple Lossless audio file",
}


def itunes_kind(track: ExportTrack) -> str:
    return _KINDS.get(track.extension, f"{track.extension.upper()} audio file")


def render_itunes(library: ExportLibrary, now: datetime) -> bytes:
    document = {
        "Major Version": 1,
        "Minor Version": 1,
        "Application Version": APPLICATION_VERSION,
        "Date": _utc(now),
        "Features": 5,
        "Show Content Ratings": True,
        "Library Persistent ID": library.library_id,
        "Music Folder": folder_url(library.music_folder),
        "Tracks": {str(t.track_id): _track(t) for t in library.tracks},
        "Playlists": _playlists(library),
    }
    data = plistlib.dumps(document, fmt=plistlib.FMT_XML, sort_keys=False)
    # iTunes itself names the DTD "Apple Computer"; match it byte for byte for picky importers.
    return data.replace(b"-//Apple//DTD PLIST", b"-//Apple Computer//DTD PLIST", 1)


def _track(track: ExportTrack) -> dict[str, Any]:
    values: dict[str, Any] = {
        "Track ID": track.track_id,
        "Persistent ID": track.persistent_id,
        "Name": track.name,
        "Artist": track.artist,
        "Album Artist": track.album_artist,
        "Album": track.album,
        "Genre": track.genre,
        "Kind": itunes_kind(track),
        "Size": track.size,
        "Total Time": track.total_time_ms or 0,
        "Track Number": track.track_number,
        "Year": track.year,
        "Bit Rate": track.bitrate_kbps,
        "Sample Rate": track.sample_rate,
        "Date Added": _utc(track.date_added),
        "Track Type": "File",
        "Location": file_url(track.path),
    }
    return {key: value for key, value in values.items() if value is not None}  # plist has no null


def _playlists(library: ExportLibrary) -> list[dict[str, Any]]:
    master = {
        "Name": "Library", "Master": True, "Playlist ID": MASTER_PLAYLIST_ID,
        "Playlist Persistent ID": library.library_id, "Visible": False, "All Items": True,
        "Playlist Items": [{"Track ID": t.track_id} for t in library.tracks],
    }
    playlists = [master]
    for node, parent in library.walk():
        entry: dict[str, Any] = {
            "Name": node.name, "Playlist ID": node.ids.number, "Playlist Persistent ID": node.ids.persistent_id,
        }
        if parent is not None:
            entry["Parent Persistent ID"] = parent.ids.persistent_id
        entry["All Items"] = True
        if isinstance(node, ExportFolder):
            entry["Folder"] = True
        else:
            entry["Playlist Items"] = [{"Track ID": track_id} for track_id in node.track_ids]
        playlists.append(entry)
    return playlists


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)
