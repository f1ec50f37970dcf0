"""Schema versions: old files are migrated (with a backup), newer ones are refused untouched."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pysync_web.errors import PySyncError
from pysync_web.models import TrackStatus
from pysync_web.store import migrations
from pysync_web.store.database import open_database
from pysync_web.store.migrations import CURRENT_VERSION, LibraryTooNewError, Tables
from pysync_web.store.playlists import PlaylistRepository
from pysync_web.store.tracks import TrackRepository

# As an app without schema versions wrote it: no meta table, only the fields it knew.
VERSION_0 = {
    "playlists": {"1": {"platform": "spotify", "kind": "playlist", "external_id": "37i9",
                        "url": "https://open.spotify.com/playlist/37i9", "name": "Old"}},
    "tracks": {
        "1": {"platform": "spotify", "platform_id": "a", "title": "Has a file", "artists": ["X"],
              "file": "/music/a.m4a"},
        "2": {"platform": "spotify", "platform_id": "b", "title": "No file", "artists": ["X"]},
    },
}


def write_library(folder: Path, tables: dict) -> bytes:
    raw = json.dumps(tables).encode()
    (folder / "library.json").write_bytes(raw)
    return raw


def test_a_version_0_file_is_migrated_saved_and_backed_up(tmp_path: Path) -> None:
    original = write_library(tmp_path, VERSION_0)
    with open_database(tmp_path) as db:
        tracks = TrackRepository(db).get_many([1, 2])
        assert tracks[1].status == TrackStatus.DOWNLOADED
        assert tracks[2].status == TrackStatus.PENDING
        assert PlaylistRepository(db).get(1).name == "Old"

    saved = json.loads((tmp_path / "library.json").read_bytes())
    assert saved["meta"] == {"1": {"schema_version": CURRENT_VERSION}}
    assert saved["playlists"]["1"]["enabled"] is True  # every version-1 field is present
    assert saved["tracks"]["2"]["album"] == ""
    assert saved["tracks"]["1"]["status"] == "downloaded"
    assert (tmp_path / "library.json.v0.bak").read_bytes() == original


def test_a_stored_status_survives_the_version_0_migration() -> None:
    tables: Tables = {"tracks": {"1": {"file": "/music/a.m4a", "status": "pending"}}}
    migrations.upgrade(tables, Path("library.json"))
    assert tables["tracks"]["1"]["status"] == "pending"


def test_a_current_file_is_neither_rewritten_nor_backed_up(tmp_path: Path) -> None:
    original = write_library(tmp_path, {"meta": {"1": {"schema_version": CURRENT_VERSION}}, "tracks": {}})
    with open_database(tmp_path):
        pass
    assert (tmp_path / "library.json").read_bytes() == original
    assert not list(tmp_path.glob("*.bak"))


def test_a_file_from_a_newer_app_is_refused_and_left_alone(tmp_path: Path) -> None:
    newer = CURRENT_VERSION + 1
    original = write_library(tmp_path, {"meta": {"1": {"schema_version": newer}}, "tracks": {"1": {"x": 1}}})
    with pytest.raises(LibraryTooNewError) as refused:
        open_database(tmp_path)
    assert isinstance(refused.value, PySyncError)
    assert f"format {newer}" in str(refused.value) and "Update PySync Hub" in str(refused.value)
    assert (tmp_path / "library.json").read_bytes() == original
    # Nothing but the file itself and the (released) process lock beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["library.json", "library.json.lock"]


def test_upgrade_runs_each_missing_step_once_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[int] = []
    steps = [lambda tables, n=n: ran.append(n) for n in range(4)]
    monkeypatch.setattr(migrations, "MIGRATIONS", steps)
    monkeypatch.setattr(migrations, "CURRENT_VERSION", 4)
    tables: Tables = {"meta": {"1": {"schema_version": 1}}}

    assert migrations.upgrade(tables, Path("library.json")) == 1
    assert ran == [1, 2, 3]
    assert migrations.schema_version(tables) == 4
