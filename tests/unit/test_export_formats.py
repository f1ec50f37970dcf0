"""Every format read back by an independent reader, from a library of awkward names and paths.

Readers: plistlib (iTunes XML), pyrekordbox's RekordboxXml (rekordbox XML), expat through
ElementTree (NML; it rejects anything not well-formed), and a small M3U reader written here.
"""
import os
import plistlib
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote

import pytest
from pyrekordbox import RekordboxXml

from pysync_web.models import Folder, Platform, Playlist, PlaylistEntry, PlaylistKind, Track, TrackStatus
from pysync_web.services.exports.audio_facts import AudioFactsCache
from pysync_web.services.exports.file_urls import file_url
from pysync_web.services.exports.itunes import render_itunes
from pysync_web.services.exports.library import LibrarySource, build_library
from pysync_web.services.exports.m3u import playlist_file_names, render_m3u
from pysync_web.services.exports.nml import render_nml, traktor_location
from pysync_web.services.exports.rekordbox import render_rekordbox

START = datetime(2024, 5, 1, 12, 30, tzinfo=timezone.utc)
TITLES = ["R&B <Live> \"Quoted\" 'x' 😀", "שלום עולם", "Ctrl\x07Char\nNewline", "#1 Hit", "Plain"]
CLEAN = ["R&B <Live> \"Quoted\" 'x' 😀", "שלום עולם", "CtrlChar Newline", "#1 Hit", "Plain"]
FILE_NAMES = ["R&B <Live> 'x' 😀", "שלום עולם", "100% sure? yes", "#1 Hit", "Plain"]
PLAYLIST_ORDER = {"Warm & <Up>": [3, 0, 1], "Peak \"Time\" 🔥": [1, 2, 4, 0]}  # by index into TITLES


@pytest.fixture
def library(tmp_path):
    music = tmp_path / "My Music ü #1 %20 ?"
    music.mkdir()
    tracks = []
    for i, (title, name) in enumerate(zip(TITLES, FILE_NAMES, strict=True)):
        path = music / f"{name}.mp3"
        with open(path, "wb") as file:
            file.truncate(4096 * (i + 1))  # sparse: exports need the size, not audio
        tracks.append(Track(Platform.SOUNDCLOUD, f"sc{i}", title, ["DJ & Co", "Ünïcode"], album="Al <bum>",
                            release_date="2020-02-03", track_number=i + 1, duration_ms=61_500 + i,
                            status=TrackStatus.DOWNLOADED, file=str(path), id=i + 1,
                            created_at=START + timedelta(hours=i)))
    folder = Folder("Gigs & <Sets>", id=1)
    playlists, entries = [], {}
    for number, (name, order) in enumerate(PLAYLIST_ORDER.items(), start=1):
        playlists.append(Playlist(Platform.SOUNDCLOUD, PlaylistKind.PLAYLIST, f"set{number}", "u", name, id=number,
                                  folder_id=1 if number == 1 else None, position=number))
        entries[number] = [PlaylistEntry(number, tracks[i].id, pos) for pos, i in enumerate(order)]
    source = LibrarySource(tracks, playlists, [folder], entries)
    return build_library(source, AudioFactsCache().facts, "key", str(music))


def expected_titles(playlist_name: str) -> list[str]:
    return [CLEAN[i] for i in PLAYLIST_ORDER[playlist_name]]


def test_itunes_round_trip_through_plistlib(library, tmp_path):
    data = render_itunes(library, datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    lines = data.decode().splitlines()
    assert lines[0] == '<?xml version="1.0" encoding="UTF-8"?>' and lines[1].startswith("<!DOCTYPE plist")
    plist = plistlib.loads(data)
    assert list(plist)[:10] == ["Major Version", "Minor Version", "Application Version", "Date", "Features",
                                "Show Content Ratings", "Library Persistent ID", "Music Folder", "Tracks",
                                "Playlists"]
    assert plist["Date"] == datetime(2025, 1, 2, 3, 4, 5) and len(plist["Library Persistent ID"]) == 16
    assert plist["Music Folder"].startswith("file://localhost/") and plist["Music Folder"].endswith("/")
    tracks = plist["Tracks"]
    assert len(tracks) == len(TITLES)
    for key, track in tracks.items():
        assert key == str(track["Track ID"]) and track["Track Type"] == "File"
        location = track["Location"]
        assert location.startswith("file://localhost/") and " " not in location and "#" not in location
        assert os.path.isfile(unquote(location.removeprefix("file://localhost")))
        assert track["Kind"] == "MPEG audio file" and track["Artist"] == "DJ & Co, Ünïcode"
        assert track["Year"] == 2020 and track["Date Added"] >= datetime(2024, 5, 1, 12, 30)
    assert sorted(t["Name"] for t in tracks.values()) == sorted(CLEAN)
    master, *others = plist["Playlists"]
    assert master["Master"] and master["Visible"] is False and len(master["Playlist Items"]) == len(TITLES)
    folder, warm, peak = others
    assert folder["Folder"] and folder["Name"] == "Gigs & <Sets>" and "Parent Persistent ID" not in folder
    assert warm["Parent Persistent ID"] == folder["Playlist Persistent ID"] and "Parent Persistent ID" not in peak
    for playlist in (warm, peak):
        names = [tracks[str(item["Track ID"])]["Name"] for item in playlist["Playlist Items"]]
        assert names == expected_titles(playlist["Name"])


def test_rekordbox_round_trip_through_pyrekordbox(library, tmp_path):
    path = tmp_path / "rekordbox.xml"
    path.write_bytes(render_rekordbox(library))
    xml = RekordboxXml(path)
    assert xml.frmt_version == "1.0.0" and xml.product_name == "PySync Hub" and xml.num_tracks == len(TITLES)
    by_id = {}
    for track in xml.get_tracks():
        # pyrekordbox drops the leading "/" of a POSIX path when it decodes "file://localhost/…".
        location = track["Location"] if os.path.isabs(track["Location"]) else "/" + track["Location"]
        assert os.path.isfile(location)
        assert track["Kind"] == "MP3 File" and track["TotalTime"] == 62 and track["Year"] == 2020
        by_id[track["TrackID"]] = track["Name"]
    assert sorted(by_id.values()) == sorted(CLEAN)
    root = xml.root_playlist_folder
    folder, peak = root.get_playlists()
    assert folder.is_folder and folder.name == "Gigs & <Sets>" and peak.is_playlist
    (warm,) = folder.get_playlists()
    for playlist in (warm, peak):
        assert playlist.key_type == "TrackID"
        assert [by_id[key] for key in playlist.get_tracks()] == expected_titles(playlist.name)
        assert playlist.entries == len(PLAYLIST_ORDER[playlist.name])


def test_nml_round_trip_through_a_strict_parser(library):
    root = ET.fromstring(render_nml(library, boot_volume="Macintosh HD"))
    assert root.tag == "NML" and root.get("VERSION") == "19" and root.find("HEAD") is not None
    collection = root.find("COLLECTION")
    entries = collection.findall("ENTRY")
    assert collection.get("ENTRIES") == str(len(entries)) == str(len(TITLES))
    titles_by_key = {}
    for entry in entries:
        location = entry.find("LOCATION")
        volume, folders, file = location.get("VOLUME"), location.get("DIR"), location.get("FILE")
        assert volume == "Macintosh HD" and folders.startswith("/:") and folders.endswith("/:")
        assert os.path.isfile(folders.replace("/:", "/") + file)
        assert entry.find("INFO").get("PLAYTIME") == "62" and entry.find("ALBUM").get("TITLE") == "Al <bum>"
        titles_by_key[volume + folders + file] = entry.get("TITLE")
    top = root.find("PLAYLISTS/NODE")
    assert (top.get("TYPE"), top.get("NAME")) == ("FOLDER", "$ROOT")
    folder, peak = top.find("SUBNODES").findall("NODE")
    assert (folder.get("TYPE"), folder.get("NAME")) == ("FOLDER", "Gigs & <Sets>")
    (warm,) = folder.find("SUBNODES").findall("NODE")
    for node in (warm, peak):
        playlist = node.find("PLAYLIST")
        keys = [key.get("KEY") for key in playlist.iter("PRIMARYKEY")]
        assert [titles_by_key[k] for k in keys] == expected_titles(node.get("NAME"))
        assert playlist.get("ENTRIES") == str(len(keys)) and len(playlist.get("UUID")) == 32


def read_m3u(path: Path) -> list[tuple[int, str, Path]]:
    """(seconds, title, resolved path) per entry; the strict reading: #EXTM3U first, EXTINF then path."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "#EXTM3U" and lines[-1] == ""
    entries = []
    for info, location in zip(lines[1:-1:2], lines[2:-1:2], strict=True):
        assert info.startswith("#EXTINF:") and not location.startswith("#")
        seconds, title = info.removeprefix("#EXTINF:").split(",", 1)
        entries.append((int(seconds), title, (path.parent / location).resolve()))
    return entries


@pytest.mark.parametrize("absolute", [False, True])
def test_m3u_round_trip(library, tmp_path, absolute):
    folder = tmp_path / "Playlists"
    folder.mkdir()
    names = playlist_file_names(library)
    for playlist in library.playlists:
        (folder / names[playlist.ids.number]).write_bytes(render_m3u(playlist, library, str(folder), absolute))
    assert sorted(p.name for p in folder.iterdir()) == sorted(["Warm & Up.m3u8", "Peak Time 🔥.m3u8"])
    for playlist in library.playlists:
        path = folder / names[playlist.ids.number]
        raw = path.read_text(encoding="utf-8").splitlines()
        assert all(os.path.isabs(line) == absolute for line in raw if not line.startswith("#"))
        entries = read_m3u(path)
        assert [title.split(" - ", 1)[1] for _, title, _ in entries] == expected_titles(playlist.name)
        assert all(seconds == 62 and p.is_file() for seconds, _, p in entries)


def test_m3u_file_beside_the_playlist_starting_with_a_hash_is_not_a_comment(library):
    playlist = library.playlists[0]
    text = render_m3u(playlist, library, os.path.dirname(library.tracks[3].path)).decode()
    assert "./#1 Hit.mp3" in text.splitlines()


def test_m3u_names_are_safe_everywhere_and_unique_ignoring_case(library):
    names = ["Set", "set", "SET", "a/b:c", "   ", "CON"]
    playlists = [Playlist(Platform.SPOTIFY, PlaylistKind.PLAYLIST, f"p{i}", "u", name, id=i + 1, position=i)
                 for i, name in enumerate(names)]
    built = build_library(LibrarySource([], playlists, [], {}), AudioFactsCache().facts, "key", "/music")
    blank = built.playlists[4].ids.number
    assert list(playlist_file_names(built).values()) == [
        "Set.m3u8", "set (2).m3u8", "SET (3).m3u8", "abc.m3u8", f"Playlist {blank}.m3u8", "CON_.m3u8"]


@pytest.mark.parametrize("path, url", [
    ("/Users/dj/My Music/a#b%c?.mp3", "file://localhost/Users/dj/My%20Music/a%23b%25c%3F.mp3"),
    ("/music/é 夜.mp3", "file://localhost/music/%C3%A9%20%E5%A4%9C.mp3"),
    ("C:\\Users\\dj\\Music\\a b.mp3", "file://localhost/C:/Users/dj/Music/a%20b.mp3"),
    ("D:/Crates/x.mp3", "file://localhost/D:/Crates/x.mp3"),
])
def test_file_urls(path, url):
    assert file_url(path) == url


@pytest.mark.parametrize("path, expected", [
    ("/Users/dj/Music/a b.mp3", ("Macintosh HD", "/:Users/:dj/:Music/:", "a b.mp3")),
    ("/Volumes/USB Stick/Crates/x.mp3", ("USB Stick", "/:Crates/:", "x.mp3")),
    ("C:\\Users\\dj\\Music\\x.mp3", ("C:", "/:Users/:dj/:Music/:", "x.mp3")),
    ("/top.mp3", ("Macintosh HD", "/:", "top.mp3")),
])
def test_traktor_locations(path, expected):
    assert traktor_location(path, "Macintosh HD") == expected
