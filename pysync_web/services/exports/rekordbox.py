"""rekordbox XML (DJ_PLAYLISTS Version 1.0.0), the format rekordbox imports under "rekordbox xml".

Facts from Pioneer's published format list: TotalTime in whole seconds, BitRate in kbps, SampleRate
in Hz, dates as yyyy-mm-dd, Location as a file://localhost/ URL; PLAYLISTS holds one ROOT folder
node; folders are Type="0" with Count (children), playlists Type="1" with KeyType="0" (keys are
TrackIDs) and Entries (tracks).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

from pysync_web.services.exports.file_urls import file_url
from pysync_web.services.exports.library import ExportFolder, ExportLibrary, ExportNode, ExportTrack
from pysync_web.services.exports.xml_writing import xml_document

PRODUCT = {"Name": "PySync Hub", "Version": "0.1.0", "Company": "PySync Hub"}
_KINDS = {
    "mp3": "MP3 File", "m4a": "M4A File", "mp4": "M4A File", "aac": "AAC File", "wav": "WAV File",
    "aif": "AIFF File", "aiff": "AIFF File", "flac": "FLAC File", "ogg": "OGG File", "opus": "OPUS File",
}


def rekordbox_kind(track: ExportTrack) -> str:
    return _KINDS.get(track.extension, f"{track.extension.upper()} File")


def render_rekordbox(library: ExportLibrary) -> bytes:
    root = ET.Element("DJ_PLAYLISTS", Version="1.0.0")
    ET.SubElement(root, "PRODUCT", PRODUCT)
    collection = ET.SubElement(root, "COLLECTION", Entries=str(len(library.tracks)))
    for track in library.tracks:
        ET.SubElement(collection, "TRACK", _track_attributes(track))
    playlists = ET.SubElement(root, "PLAYLISTS")
    top = ET.SubElement(playlists, "NODE", Type="0", Name="ROOT", Count=str(len(library.nodes)))
    for node in library.nodes:
        _add_node(top, node)
    return xml_document(root)


def _track_attributes(track: ExportTrack) -> dict[str, str]:
    values = {
        "TrackID": track.track_id,
        "Name": track.name,
        "Artist": track.artist,
        "Album": track.album,
        "Genre": track.genre,
        "Kind": rekordbox_kind(track),
        "Size": track.size,
        "TotalTime": round((track.total_time_ms or 0) / 1000),
        "TrackNumber": track.track_number or 0,
        "Year": track.year or 0,
        "DateAdded": track.date_added.strftime("%Y-%m-%d"),
        "BitRate": track.bitrate_kbps or 0,
        "SampleRate": track.sample_rate or 0,
        "Location": file_url(track.path),
    }
    return {key: str(value) for key, value in values.items()}


def _add_node(parent: ET.Element, node: ExportNode) -> None:
    if isinstance(node, ExportFolder):
        folder = ET.SubElement(parent, "NODE", Type="0", Name=node.name, Count=str(len(node.children)))
        for child in node.children:
            _add_node(folder, child)
        return
    playlist = ET.SubElement(parent, "NODE", Name=node.name, Type="1", KeyType="0", Entries=str(len(node.track_ids)))
    for track_id in node.track_ids:
        ET.SubElement(playlist, "TRACK", Key=str(track_id))
