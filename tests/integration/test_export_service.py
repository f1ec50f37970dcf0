"""ExportService over a real store and real tiny audio files: formats, ids, failures, auto-export."""
import os
import plistlib
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pyrekordbox import RekordboxXml

from pysync_web import atomic_file
from pysync_web.config import Settings
from pysync_web.errors import UnknownPlaylistError
from pysync_web.models import Folder, Platform, Playlist, PlaylistEntry, PlaylistKind, Track, TrackStatus
from pysync_web.services.exports import ExportError, ExportFormat, ExportService, parse_formats
from pysync_web.store.database import open_database
from pysync_web.store.entries import EntryRepository
from pysync_web.store.folders import FolderRepository
from pysync_web.store.playlists import PlaylistRepository
from pysync_web.store.tracks import TrackRepository

START = datetime(2024, 5, 1, tzinfo=timezone.utc)


class Hub:
    """A data dir with a store, a music folder of real tones, and an ExportService over them."""

    def __init__(self, tmp_path: Path, tones):
        self.settings = Settings(data_dir=tmp_path / "data")
        self.settings.music_path.mkdir(parents=True)
        self.tones = tones
        self.db = open_database(self.settings.data_dir)
        self.exports = ExportService(self.db, self.settings, clock=lambda: START)

    def track(self, title: str, kind: str = "mp3", seconds: float = 2) -> Track:
        number = len(TrackRepository(self.db).all()) + 1
        path = self.tones.copy(kind, self.settings.music_path, seconds=seconds, name=f"Artist - {title}")
        track = Track(Platform.SPOTIFY, f"sp{title}", title, ["Artist"], status=TrackStatus.DOWNLOADED,
                      file=str(path), duration_ms=1000, created_at=START + timedelta(minutes=number))
        return TrackRepository(self.db).add_many([track])[0]

    def playlist(self, name: str, tracks: list[Track], folder: Folder | None = None, enabled: bool = True) -> Playlist:
        playlist = PlaylistRepository(self.db).add(Playlist(
            Platform.SPOTIFY, PlaylistKind.PLAYLIST, f"pl-{name}", f"u-{name}", name, enabled=enabled,
            folder_id=folder.id if folder else None, created_at=START))
        EntryRepository(self.db).add_many(PlaylistEntry(playlist.id, t.id, i) for i, t in enumerate(tracks))
        return playlist

    def folder(self, name: str, enabled: bool = True) -> Folder:
        return FolderRepository(self.db).add(Folder(name, enabled=enabled))


@pytest.fixture
def hub(tmp_path, tones):
    opened = Hub(tmp_path, tones)
    yield opened
    opened.db.close()


@pytest.fixture
def crate(hub):
    """Two real files (MP3 and AAC), a folder holding one playlist, a loose playlist, a disabled one."""
    mp3, m4a = hub.track("One", "mp3", seconds=2), hub.track("Two", "m4a", seconds=3)
    hub.playlist("In Folder", [m4a, mp3], folder=hub.folder("Gigs"))
    hub.playlist("Loose", [mp3])
    hub.playlist("Off", [m4a], enabled=False)
    return hub


def itunes_ids(plist: dict) -> dict[str, tuple[int, str]]:
    return {t["Name"]: (t["Track ID"], t["Persistent ID"]) for t in plist["Tracks"].values()}


def test_every_format_at_its_default_place_with_facts_from_the_files(crate):
    data_dir, music = crate.settings.data_dir, crate.settings.music_path
    results = {f: crate.exports.export(f) for f in ExportFormat}
    assert results[ExportFormat.ITUNES].paths == [data_dir / "exports" / "iTunes Music Library.xml"]
    assert results[ExportFormat.REKORDBOX].paths == [data_dir / "exports" / "rekordbox.xml"]
    assert results[ExportFormat.NML].paths == [data_dir / "exports" / "traktor.nml"]
    assert sorted(p.name for p in results[ExportFormat.M3U].paths) == ["In Folder.m3u8", "Loose.m3u8"]
    assert all(p.parent == music / "Playlists" for p in results[ExportFormat.M3U].paths)
    assert all((r.tracks, r.playlists, r.warnings) == (2, 2, []) for r in results.values())

    plist = plistlib.loads(results[ExportFormat.ITUNES].paths[0].read_bytes())
    one, two = sorted(plist["Tracks"].values(), key=lambda t: t["Name"])
    assert (one["Kind"], one["Bit Rate"], one["Sample Rate"]) == ("MPEG audio file", 128, 44100)
    assert one["Total Time"] == pytest.approx(2000, abs=80) and two["Total Time"] == pytest.approx(3000, abs=80)
    assert two["Kind"] == "AAC audio file" and one["Size"] == os.path.getsize(crate.tones.original("mp3", 2))
    assert [p["Name"] for p in plist["Playlists"]] == ["Library", "Gigs", "In Folder", "Loose"]

    rekordbox = RekordboxXml(results[ExportFormat.REKORDBOX].paths[0])
    assert {t["Name"]: t["BitRate"] for t in rekordbox.get_tracks()} == {"One": 128, "Two": pytest.approx(96, abs=6)}
    assert {t["TrackID"] for t in rekordbox.get_tracks()} == {t["Track ID"] for t in plist["Tracks"].values()}

    nml = ET.parse(results[ExportFormat.NML].paths[0]).getroot()
    assert sorted(e.find("INFO").get("PLAYTIME") for e in nml.iter("ENTRY") if e.find("INFO") is not None) == ["2", "3"]

    lines = (music / "Playlists" / "In Folder.m3u8").read_text(encoding="utf-8").splitlines()
    assert lines == ["#EXTM3U", "#EXTINF:3,Artist - Two", "../Artist - Two.m4a", "#EXTINF:2,Artist - One",
                     "../Artist - One.mp3"]


def test_facts_recorded_at_download_are_used_while_the_file_is_unchanged(crate):
    tracks = TrackRepository(crate.db)
    one = next(t for t in tracks.all() if t.title == "One")
    one.file_size, one.bitrate_kbps, one.sample_rate = os.path.getsize(one.file), 999, 22050
    tracks.update(one)
    plist = plistlib.loads(crate.exports.export("itunes").paths[0].read_bytes())
    facts = {t["Name"]: (t["Bit Rate"], t["Sample Rate"], t["Total Time"]) for t in plist["Tracks"].values()}
    assert facts["One"] == (999, 22050, 1000)  # not opened: the recorded facts and the platform's length
    one.file_size += 1
    tracks.update(one)
    plist = plistlib.loads(crate.exports.export("itunes").paths[0].read_bytes())
    assert {t["Name"]: t["Bit Rate"] for t in plist["Tracks"].values()}["One"] == 128


def test_ids_stay_the_same_across_exports_and_when_playlists_are_added(crate):
    path = crate.exports.export("itunes").paths[0]
    first = plistlib.loads(path.read_bytes())
    second = plistlib.loads(crate.exports.export("itunes").paths[0].read_bytes())
    assert itunes_ids(first) == itunes_ids(second) and first == second
    crate.playlist("Brand New", [crate.track("Three"), *TrackRepository(crate.db).all()[:1]])
    third = plistlib.loads(crate.exports.export("itunes").paths[0].read_bytes())
    assert {k: v for k, v in itunes_ids(third).items() if k != "Three"} == itunes_ids(first)
    pids = {p["Name"]: p["Playlist Persistent ID"] for p in first["Playlists"]}
    assert {p["Name"]: p["Playlist Persistent ID"] for p in third["Playlists"] if p["Name"] in pids} == pids
    assert third["Library Persistent ID"] == first["Library Persistent ID"]


def test_one_playlist_only(crate):
    result = crate.exports.export("rekordbox", playlist_ids=[2])
    xml = RekordboxXml(result.paths[0])
    assert [t["Name"] for t in xml.get_tracks()] == ["One"] and (result.tracks, result.playlists) == (1, 1)
    with pytest.raises(UnknownPlaylistError, match="no playlist 99"):
        crate.exports.export("rekordbox", playlist_ids=[99])


def test_missing_file_is_named_in_a_warning_and_the_export_succeeds(crate):
    gone = TrackRepository(crate.db).all()[1]
    os.remove(gone.file)
    result = crate.exports.export("nml")
    assert result.tracks == 1 and len(result.warnings) == 1
    assert "Artist - Two" in result.warnings[0] and gone.file in result.warnings[0]
    assert len(ET.parse(result.paths[0]).getroot().find("COLLECTION")) == 1


def test_unwritable_destination_is_a_clear_error_and_leaves_the_old_file_whole(crate, monkeypatch, tmp_path):
    good = crate.exports.export("itunes").paths[0]
    before = good.read_bytes()
    crate.track("Three")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic_file.os, "replace", refuse)
    with pytest.raises(ExportError, match="Could not write .*iTunes Music Library.xml: Permission denied"):
        crate.exports.export("itunes")
    assert good.read_bytes() == before
    assert [p.name for p in good.parent.iterdir()] == [good.name]  # no temp file left behind
    monkeypatch.undo()
    blocker = tmp_path / "a file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="Could not write"):
        crate.exports.export("rekordbox", out=blocker / "rekordbox.xml")
    with pytest.raises(ExportError, match="is a file"):
        crate.exports.export("m3u", out=blocker)


def test_an_export_that_changes_nothing_leaves_the_files_alone(crate):
    paths = crate.exports.export("m3u").paths + crate.exports.export("rekordbox").paths
    os.utime(paths[0], ns=(1, 1))
    os.utime(paths[-1], ns=(1, 1))
    crate.exports.export("m3u")
    crate.exports.export("rekordbox")
    assert paths[0].stat().st_mtime_ns == paths[-1].stat().st_mtime_ns == 1


def test_out_may_be_a_folder_for_file_formats(crate, tmp_path):
    assert crate.exports.export("nml", out=tmp_path).paths == [tmp_path / "traktor.nml"]


def test_m3u_export_tidies_the_files_it_wrote_before_and_only_those(crate):
    folder = crate.settings.music_path / "Playlists"
    crate.exports.export("m3u")
    (folder / "Mine.m3u8").write_text("#EXTM3U\n")
    loose = PlaylistRepository(crate.db).get(2)
    loose.name = "Loose Renamed"
    PlaylistRepository(crate.db).update(loose)
    crate.exports.export("m3u", playlist_ids=[1])  # a partial export removes nothing
    assert (folder / "Loose.m3u8").exists()
    crate.exports.export("m3u")
    assert sorted(p.name for p in folder.glob("*.m3u8")) == ["In Folder.m3u8", "Loose Renamed.m3u8", "Mine.m3u8"]


def test_auto_export_writes_the_chosen_formats_and_skips_when_nothing_changed(crate):
    assert crate.exports.auto_export() == []  # the default: off, and nothing read
    crate.settings.auto_export = "rekordbox, m3u,bogus,rekordbox"  # a wrong name is logged and skipped
    first = crate.exports.auto_export()
    assert [(r.format, r.unchanged, r.error) for r in first] == [
        (ExportFormat.REKORDBOX, False, None), (ExportFormat.M3U, False, None)]
    rekordbox = crate.settings.data_dir / "exports" / "rekordbox.xml"
    stamp = rekordbox.stat().st_mtime_ns
    again = crate.exports.auto_export()
    assert [r.unchanged for r in again] == [True, True] and rekordbox.stat().st_mtime_ns == stamp
    first[1].paths[0].unlink()  # a playlist file deleted by hand comes back
    assert [r.unchanged for r in crate.exports.auto_export()] == [True, False]
    assert first[1].paths[0].exists()
    crate.track("Three")
    third = crate.exports.auto_export()
    assert third[0].unchanged is False and third[0].tracks == 3
    assert "Three" in rekordbox.read_text(encoding="utf-8")


def test_auto_export_setting_is_validated_for_the_ui():
    assert parse_formats(" rekordbox, M3U ,,rekordbox") == [ExportFormat.REKORDBOX, ExportFormat.M3U]
    assert parse_formats("") == []
    with pytest.raises(ExportError, match="Unknown export format 'serato'; choose one of itunes, rekordbox"):
        parse_formats("itunes,serato")


def test_auto_export_never_raises_on_a_bad_destination(crate, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    crate.settings.auto_export = "itunes"
    crate.settings.export_dir = str(blocker / "exports")
    (result,) = crate.exports.auto_export()
    assert result.error and "Could not write" in result.error and result.paths == []


def test_settings_from_the_environment(tmp_path):
    settings = Settings.load(tmp_path, environ={"PYSYNC_AUTO_EXPORT": "itunes,nml", "PYSYNC_EXPORT_DIR": "/x"})
    assert (settings.auto_export, settings.export_dir) == ("itunes,nml", "/x")
    assert (Settings().auto_export, Settings().export_dir) == ("", "")
