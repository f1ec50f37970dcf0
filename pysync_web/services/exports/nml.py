"""Traktor NML (NML VERSION="19"), the file Traktor's "Import Playlist" reads.

Traktor's path facts: a file is a VOLUME, a DIR and a FILE. DIR lists the folders from the volume's
root, each one preceded by "/:", and ends with "/:" ("/:Users/:dj/:Music/:"). VOLUME is the drive on
Windows ("C:"); on macOS it is the disk's name: "Macintosh HD" for the start-up disk, or the name
under /Volumes for any other disk. Playlists do not repeat a track's details: their entries name it
by PRIMARYKEY KEY = VOLUME + DIR + FILE. FILESIZE is in kB, BITRATE in bit/s, dates are "Y/M/D".
"""
from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from datetime import date
from functools import cache
from pathlib import PurePosixPath, PureWindowsPath

from pysync_web.services.exports.file_urls import is_windows_path
from pysync_web.services.exports.library import ExportFolder, ExportLibrary, ExportNode, ExportTrack
from pysync_web.services.exports.xml_writing import xml_document

NML_VERSION = "19"
DEFAULT_BOOT_VOLUME = "Macintosh HD"


@cache
def boot_volume_name() -> str:
    """The start-up disk's name on macOS: /Volumes holds a link to "/" named after it. Elsewhere
    (Traktor does not run on Linux; the files may be reached from a Mac) the macOS default."""
    try:
        with os.scandir("/Volumes") as entries:
            for entry in entries:
                if entry.is_symlink() and os.path.realpath(entry.path) == "/":
                    return entry.name
    except OSError:
        pass
    return DEFAULT_BOOT_VOLUME


def traktor_location(path: str, boot_volume: str) -> tuple[str, str, str]:
    """(VOLUME, DIR, FILE) of an absolute path."""
    if is_windows_path(path):
        windows = PureWindowsPath(path)
        volume, folders = windows.drive, windows.parts[1:-1]
    else:
        posix = PurePosixPath(path)
        if len(posix.parts) > 3 and posix.parts[1] == "Volumes":
            volume, folders = posix.parts[2], posix.parts[3:-1]
        else:
            volume, folders = boot_volume, posix.parts[1:-1]
    return volume, "".join(f"/:{folder}" for folder in folders) + "/:", os.path.basename(path.replace("\\", "/"))


def render_nml(library: ExportLibrary, boot_volume: str | None = None) -> bytes:
    boot_volume = boot_volume or boot_volume_name()
    root = ET.Element("NML", VERSION=NML_VERSION)
    ET.SubElement(root, "HEAD", COMPANY="www.native-instruments.com", PROGRAM="Traktor")
    collection = ET.SubElement(root, "COLLECTION", ENTRIES=str(len(library.tracks)))
    keys: dict[int, str] = {}
    for track in library.tracks:
        keys[track.track_id] = _add_entry(collection, track, boot_volume)
    ET.SubElement(root, "SETS", ENTRIES="0")
    playlists = ET.SubElement(root, "PLAYLISTS")
    top = ET.SubElement(playlists, "NODE", TYPE="FOLDER", NAME="$ROOT")
    _add_children(top, library.nodes, keys)
    # Traktor's own files: standalone="no" and no self-closing tags; matched for its parser's sake.
    return xml_document(root, '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>', short_empty_elements=False)


def _add_entry(collection: ET.Element, track: ExportTrack, boot_volume: str) -> str:
    entry = ET.SubElement(collection, "ENTRY", TITLE=track.name, ARTIST=track.artist)
    volume, folders, file = traktor_location(track.path, boot_volume)
    ET.SubElement(entry, "LOCATION", DIR=folders, FILE=file, VOLUME=volume, VOLUMEID=volume)
    if track.album or track.track_number:
        album = ET.SubElement(entry, "ALBUM", TITLE=track.album)
        if track.track_number:
            album.set("TRACK", str(track.track_number))
    ET.SubElement(entry, "MODIFICATION_INFO", AUTHOR_TYPE="user")
    info = {
        "BITRATE": str(track.bitrate_kbps * 1000) if track.bitrate_kbps else None,
        "GENRE": track.genre or None,
        "PLAYTIME": str(round(track.total_time_ms / 1000)) if track.total_time_ms else None,
        "PLAYTIME_FLOAT": f"{track.total_time_ms / 1000:.6f}" if track.total_time_ms else None,
        "IMPORT_DATE": _traktor_date(track.date_added.date()),
        "RELEASE_DATE": _release_date(track.release_date),
        "FILESIZE": str(round(track.size / 1024)),
    }
    ET.SubElement(entry, "INFO", {key: value for key, value in info.items() if value is not None})
    return volume + folders + file


def _add_children(parent: ET.Element, nodes: tuple[ExportNode, ...], keys: dict[int, str]) -> None:
    subnodes = ET.SubElement(parent, "SUBNODES", COUNT=str(len(nodes)))
    for node in nodes:
        if isinstance(node, ExportFolder):
            folder = ET.SubElement(subnodes, "NODE", TYPE="FOLDER", NAME=node.name)
            _add_children(folder, node.children, keys)
            continue
        playlist_node = ET.SubElement(subnodes, "NODE", TYPE="PLAYLIST", NAME=node.name)
        playlist = ET.SubElement(playlist_node, "PLAYLIST", ENTRIES=str(len(node.track_ids)), TYPE="LIST",
                                 UUID=node.ids.uuid)
        for track_id in node.track_ids:
            ET.SubElement(ET.SubElement(playlist, "ENTRY"), "PRIMARYKEY", TYPE="TRACK", KEY=keys[track_id])


def _traktor_date(day: date) -> str:
    return f"{day.year}/{day.month}/{day.day}"


def _release_date(release_date: str | None) -> str | None:
    parts = (release_date or "").split("-")
    try:
        numbers = [int(p) for p in parts[:3]] + [1] * (3 - len(parts[:3]))
        return _traktor_date(date(*numbers))
    except (ValueError, TypeError):
        return None
