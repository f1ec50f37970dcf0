"""The command line end to end: real clients against the fakes, settings read from the data dir."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pysync_web.cli import main
from pysync_web.config import Settings
from tests.fakes.server import Reply
from tests.fakes.spotify import make_tracks

ROOT = Path(__file__).resolve().parents[2]
ENV_SETTINGS = ("SPOTIPY_CLIENT_ID", "SPOTIPY_CLIENT_SECRET", "PYSYNC_DATA_DIR", "PYSYNC_SOUNDCLOUD_CLIENT_ID")


@pytest.fixture
def cli(hub_settings: Settings, capsys, monkeypatch):
    """Run `python main.py --data-dir <tmp> ARGS` in-process; returns (exit code, stdout, stderr)."""
    for name in ENV_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    hub_settings.save()

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(hub_settings.data_dir), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def test_add_prints_id_name_and_count(cli, fake_spotify):
    pid = fake_spotify.add_playlist(make_tracks(3), name="Warm Up")
    code, out, err = cli("add", f"https://open.spotify.com/playlist/{pid}?si=abc")
    assert code == 0, err
    assert out.splitlines()[0] == "1  Warm Up  3 tracks"


def test_add_several_urls_and_a_bad_one(cli, fake_spotify):
    first = fake_spotify.add_playlist(make_tracks(2), name="One")
    code, out, err = cli("add", f"spotify:playlist:{first}", "not a link")
    assert code == 2
    assert "1  One  2 tracks" in out
    assert err.count("\n") == 1 and err.startswith("error: not a link:")


def test_bad_input_stores_nothing(cli):
    code, out, err = cli("add", "x" * 5000)
    assert code == 2 and "too long" in err and len(err) < 400
    code, out, _ = cli("list", "--json")
    assert json.loads(out) == []


def test_list_json_has_the_documented_fields(cli, fake_spotify):
    pid = fake_spotify.add_playlist(make_tracks(4), name="Set")
    cli("add", f"https://open.spotify.com/playlist/{pid}")
    code, out, _ = cli("list", "--json")
    [row] = json.loads(out)
    assert code == 0
    assert {k: row[k] for k in ("id", "name", "platform", "tracks", "downloaded")} == {
        "id": 1, "name": "Set", "platform": "spotify", "tracks": 4, "downloaded": 0}
    assert row["url"] == f"https://open.spotify.com/playlist/{pid}"
    assert row["last_synced"].startswith("20") and "T" in row["last_synced"]


def test_tracks_json_library_and_playlist_with_removed(cli, fake_spotify):
    tracks = make_tracks(3)
    pid = fake_spotify.add_playlist(tracks, snapshot_id="a")
    cli("add", f"https://open.spotify.com/playlist/{pid}")
    fake_spotify.add_playlist(tracks[:2], snapshot_id="b", playlist_id=pid)
    assert cli("sync")[0] == 0
    _, out, _ = cli("tracks", "--json")
    library = json.loads(out)
    assert len(library) == 3
    assert set(library[0]) >= {"id", "title", "artists", "album", "duration_ms", "isrc", "status", "file",
                               "source_url"}
    assert isinstance(library[0]["artists"], list) and library[0]["file"] is None
    _, out, _ = cli("tracks", "1", "--json")
    assert [t["title"] for t in json.loads(out)] == [t["name"] for t in tracks[:2]]
    _, out, _ = cli("tracks", "1", "--all", "--json")
    assert [t["removed"] for t in json.loads(out)] == [False, False, True]
    code, out, _ = cli("tracks", "1")
    assert code == 0 and tracks[0]["name"] in out


def test_sync_reports_counts_and_exit_status(cli, fake_spotify):
    ok = fake_spotify.add_playlist(make_tracks(2), snapshot_id="a", name="Fine")
    gone = fake_spotify.add_playlist(make_tracks(2), name="Doomed")
    cli("add", f"spotify:playlist:{ok}", f"spotify:playlist:{gone}")
    fake_spotify.add_playlist(make_tracks(3), snapshot_id="b", playlist_id=ok, name="Fine")
    del fake_spotify.playlists[gone]
    code, out, _ = cli("sync")
    assert code == 1
    assert "1  Fine: +1 added, -0 removed, ~0 updated" in out
    assert "2  Doomed: error:" in out
    code, out, _ = cli("sync", "1")
    assert code == 0 and "unchanged" in out


def test_remove(cli, fake_spotify):
    pid = fake_spotify.add_playlist(make_tracks(2), name="Bye")
    cli("add", f"spotify:playlist:{pid}")
    code, out, _ = cli("remove", "1")
    assert code == 0 and "Removed playlist 1 (Bye)" in out
    code, _, err = cli("remove", "1")
    assert code == 2 and "no playlist 1" in err


def test_long_rate_limit_stops_with_a_time(cli, fake_spotify):
    pid = fake_spotify.add_playlist(make_tracks(2))
    fake_spotify.server.fail(r"/v1/playlists/", Reply.json({}, status=429, headers={"Retry-After": "3600"}))
    code, _, err = cli("add", f"spotify:playlist:{pid}")
    assert code == 2 and "rate limited us until" in err


def test_embed_mode_is_announced_without_credentials(cli, fake_spotify, hub_settings):
    hub_settings.spotify_client_id = hub_settings.spotify_client_secret = ""
    hub_settings.save()
    pid = fake_spotify.add_playlist(make_tracks(3), name="Public")
    code, out, err = cli("add", f"https://open.spotify.com/playlist/{pid}")
    assert code == 0, err
    assert "embed" in out.lower()


def test_corrupt_library_is_moved_aside_and_reported(cli, hub_settings):
    (hub_settings.data_dir / "library.json").write_text('{"playlists": {"1": {"na')
    code, out, err = cli("list")
    assert code == 0 and "No playlists yet" in out
    assert "damaged" in err
    assert list(hub_settings.data_dir.glob("library.json.corrupt-*"))


@pytest.mark.parametrize("command", [[], ["add"], ["sync"], ["list"], ["tracks"], ["remove"]])
def test_every_command_has_help(command):
    done = subprocess.run([sys.executable, "main.py", *command, "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and "usage: python main.py" in done.stdout
    assert len(done.stdout.splitlines()) > 3


def test_platform_errors_are_one_line_without_library_noise(hub_settings, fake_feeds, monkeypatch):
    """In a real process, so library loggers (spotipy logs every HTTP error) reach the real stderr."""
    for name in ENV_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    hub_settings.save()
    for url in ("https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M", fake_feeds.missing_url):
        done = subprocess.run([sys.executable, "main.py", "--data-dir", str(hub_settings.data_dir), "add", url],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: "), done.stderr


def test_auto_export_is_rewritten_after_add_and_sync(cli, fake_spotify, hub_settings):
    hub_settings.auto_export = "rekordbox"
    hub_settings.save()
    pid = fake_spotify.add_playlist(make_tracks(2), snapshot_id="a", name="Gig")
    cli("add", f"spotify:playlist:{pid}")
    exported = hub_settings.data_dir / "exports" / "rekordbox.xml"
    assert exported.is_file() and 'Name="Gig"' in exported.read_text()
    fake_spotify.add_playlist(make_tracks(2), snapshot_id="b", playlist_id=pid, name="Gig Night")
    assert cli("sync")[0] == 0
    assert 'Name="Gig Night"' in exported.read_text()
