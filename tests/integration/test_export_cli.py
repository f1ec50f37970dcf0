"""`python main.py export …` end to end: arguments, what it prints, exit status."""
import plistlib
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pyrekordbox import RekordboxXml

from pysync_web.cli import main
from pysync_web.config import Settings
from pysync_web.models import Platform, Playlist, PlaylistEntry, PlaylistKind, Track, TrackStatus
from pysync_web.store.database import open_database
from pysync_web.store.entries import EntryRepository
from pysync_web.store.playlists import PlaylistRepository
from pysync_web.store.tracks import TrackRepository


@pytest.fixture
def data_dir(tmp_path, tones, monkeypatch) -> Path:
    """Playlist 1 "Set" holds B then A (both downloaded) and a track whose file was deleted."""
    for name in ("PYSYNC_DATA_DIR", "PYSYNC_MUSIC_DIR", "PYSYNC_EXPORT_DIR", "PYSYNC_AUTO_EXPORT"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(data_dir=tmp_path / "data")
    music = settings.music_path
    music.mkdir(parents=True)
    now = datetime(2024, 1, 1, tzinfo=timezone.utc)
    tracks = [Track(Platform.SOUNDCLOUD, f"sc{t}", t, ["Band"], status=TrackStatus.DOWNLOADED, created_at=now,
                    file=str(tones.copy("mp3", music, seconds=1, name=t))) for t in ("A", "B", "Gone")]
    Path(tracks[2].file).unlink()
    with open_database(settings.data_dir) as db:
        stored = TrackRepository(db).add_many(tracks)
        playlist = PlaylistRepository(db).add(Playlist(Platform.SOUNDCLOUD, PlaylistKind.PLAYLIST, "s", "u", "Set"))
        EntryRepository(db).add_many(PlaylistEntry(playlist.id, t.id, i) for i, t in enumerate(
            [stored[1], stored[0], stored[2]]))
    return settings.data_dir


@pytest.fixture
def cli(data_dir, capsys):
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(data_dir), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run


def test_itunes_by_default_into_the_exports_folder(cli, data_dir):
    code, out, err = cli("export", "itunes")
    path = data_dir / "exports" / "iTunes Music Library.xml"
    assert code == 0 and out == f"Wrote iTunes XML to {path}: 2 tracks, 1 playlist\n"
    assert err.startswith("warning: Skipped Band - Gone: its file is missing") and err.count("\n") == 1
    plist = plistlib.loads(path.read_bytes())
    items = plist["Playlists"][1]["Playlist Items"]
    assert [plist["Tracks"][str(i["Track ID"])]["Name"] for i in items] == ["B", "A"]


def test_rekordbox_to_a_chosen_file_for_chosen_playlists(cli, tmp_path):
    out_file = tmp_path / "my crates" / "rb.xml"
    code, out, _ = cli("export", "rekordbox", "--out", str(out_file), "--playlist", "1")
    assert code == 0 and out == f"Wrote rekordbox XML to {out_file}: 2 tracks, 1 playlist\n"
    assert sorted(t["Name"] for t in RekordboxXml(out_file).get_tracks()) == ["A", "B"]


def test_m3u_into_the_music_folder_with_absolute_paths(cli, data_dir):
    code, out, _ = cli("export", "m3u", "--absolute")
    folder = data_dir / "music" / "Playlists"
    assert code == 0 and out == f"Wrote M3U8 playlists to {folder}: 1 playlist, 2 tracks\n"
    paths = [line for line in (folder / "Set.m3u8").read_text(encoding="utf-8").splitlines() if line[0] != "#"]
    assert paths == [str(data_dir.absolute() / "music" / "B.mp3"), str(data_dir.absolute() / "music" / "A.mp3")]


def test_nml_into_a_folder(cli, tmp_path):
    code, out, _ = cli("export", "nml", "--out", str(tmp_path))
    assert code == 0 and str(tmp_path / "traktor.nml") in out
    assert ET.parse(tmp_path / "traktor.nml").getroot().get("VERSION") == "19"


def test_errors_exit_2_with_a_message(cli, tmp_path):
    code, _, err = cli("export", "itunes", "--playlist", "9")
    assert code == 2 and err == "error: There is no playlist 9; `list` shows the ids.\n"
    blocker = tmp_path / "plain file"
    blocker.write_text("x")
    code, out, err = cli("export", "rekordbox", "--out", str(blocker / "rb.xml"))
    assert code == 2 and out == "" and err.startswith(f"error: Could not write {blocker / 'rb.xml'}")
    with pytest.raises(SystemExit) as exit_info:
        cli("export", "serato")
    assert exit_info.value.code == 2


def test_help_names_the_formats(capsys):
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    text = capsys.readouterr().out
    assert all(word in text for word in ("itunes", "rekordbox", "m3u", "nml", "--absolute", "--playlist"))
