"""Models <-> documents: JSON types on disk, exact round trips, tolerance of other app versions."""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from pysync_web.models import (
    Folder, Platform, Playlist, PlaylistEntry, PlaylistKind, Track, TrackStatus,
)
from pysync_web.store import database as database_module
from pysync_web.store.database import Database
from pysync_web.store.records import RecordTable, from_document, to_document

SYNCED = datetime(2024, 5, 1, 12, 30, 15, 250000, tzinfo=timezone(timedelta(hours=2)))

FULL_PLAYLIST = Playlist(
    platform=Platform.SOUNDCLOUD, kind=PlaylistKind.LIKES, external_id="user-1",
    url="https://soundcloud.com/u/likes", name="Likes", owner="u", cover_url="https://i1.sndcdn.com/a.jpg",
    snapshot_id="s1", remote_track_count=3, last_synced=SYNCED, last_sync_error="boom", notice="n",
    enabled=False, auto_download=False, track_limit=50, date_limit=date(2024, 1, 31), folder_id=4, position=2,
    created_at=SYNCED,
)
FULL_TRACK = Track(
    platform=Platform.SPOTIFY, platform_id="4uLU6hMCjMI75M1A2tKUQC", title="Never",
    artists=["Rick", "Astley"],
    album="Whenever", album_artist="Rick", duration_ms=213_000, isrc="GBARL9300135", cover_url="c",
    url="u", source_url="https://youtu.be/dQw4w9WgXcQ", explicit=True, release_date="1987-07",
    track_number=1, status=TrackStatus.DOWNLOADED, file="/music/never.m4a", created_at=SYNCED,
)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "library.json", flush_delay_s=3600)
    yield database
    database.close()


def test_documents_hold_json_types_in_their_stored_form() -> None:
    doc = to_document(FULL_PLAYLIST)
    assert json.loads(json.dumps(doc)) == doc
    assert "id" not in doc
    assert doc["platform"] == "soundcloud" and type(doc["platform"]) is str
    assert doc["kind"] == "likes"
    assert doc["last_synced"] == "2024-05-01T12:30:15.250000+02:00"
    assert doc["date_limit"] == "2024-01-31"
    assert to_document(FULL_TRACK)["status"] == "downloaded"


@pytest.mark.parametrize("record", [
    FULL_PLAYLIST, FULL_TRACK, Track(Platform.YTDLP, "v", "t", []),
    PlaylistEntry(3, 7, 0, added_at=SYNCED, removed_at=SYNCED), PlaylistEntry(3, 7, 1),
    Folder("Techno", parent_id=2, position=1, enabled=False),
], ids=lambda record: type(record).__name__)
def test_every_model_round_trips_exactly(record) -> None:
    restored = from_document(type(record), 9, json.loads(json.dumps(to_document(record))))
    assert restored.id == 9
    restored.id = record.id
    assert restored == record


def test_lists_are_copied_so_no_caller_shares_one_with_the_store() -> None:
    track = Track(Platform.SPOTIFY, "x", "t", ["A"])
    doc = to_document(track)
    track.artists.append("B")
    assert doc["artists"] == ["A"]
    restored = from_document(Track, 1, doc)
    restored.artists.append("C")
    assert doc["artists"] == ["A"]


def test_unknown_keys_are_ignored_and_missing_ones_take_defaults() -> None:
    doc = {"platform": "ytdlp", "platform_id": "v", "title": "t", "artists": [], "from_a_newer_app": 1}
    track = from_document(Track, 1, doc)
    assert track.status == TrackStatus.PENDING and track.album == "" and track.created_at is None


def test_an_update_keeps_keys_a_newer_app_stored(db: Database) -> None:
    records = RecordTable(db, "folders", Folder)
    (folder,) = records.add_many([Folder("A")])
    with db.lock:
        db.table("folders").update({"color": "red"}, doc_ids=[folder.id])
    folder.name = "B"
    records.update_many([folder])
    with db.lock:
        assert dict(db.table("folders").get(doc_id=folder.id)) == {**to_document(folder), "color": "red"}


def test_add_many_sets_ids_and_refuses_stored_records(db: Database) -> None:
    records = RecordTable(db, "folders", Folder)
    added = records.add_many(iter([Folder("A"), Folder("B")]))
    assert [f.id for f in added] == [1, 2]
    with pytest.raises(ValueError, match="new records"):
        records.add_many([Folder("C"), added[0]])
    assert len(records.where()) == 2


def test_update_many_changes_nothing_when_one_record_is_not_stored(db: Database) -> None:
    records = RecordTable(db, "folders", Folder)
    (kept,) = records.add_many([Folder("A")])
    kept.name = "changed"
    with pytest.raises(KeyError):
        records.update_many([kept, Folder("ghost", id=99)])
    with pytest.raises(ValueError):
        records.update_many([Folder("never stored")])
    assert records.get(kept.id).name == "A"


def test_empty_batches_do_not_cause_a_save(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    records = RecordTable(db, "folders", Folder)
    saves: list[Path] = []
    monkeypatch.setattr(database_module, "write_atomically", lambda path, data: saves.append(path))
    assert records.add_many([]) == []
    records.update_many([])
    assert records.remove_many([]) == []
    assert records.remove_where(lambda doc: True) == []
    db.flush()
    assert saves == []


def test_where_project_and_remove_where_see_stored_documents(db: Database) -> None:
    records = RecordTable(db, "folders", Folder)
    records.add_many([Folder("A", position=1), Folder("B", position=2), Folder("C", position=1)])
    assert [f.name for f in records.where(lambda doc: doc["position"] == 1)] == ["A", "C"]
    assert records.project(lambda doc: doc["name"], lambda doc: doc["position"] == 2) == ["B"]
    assert records.remove_where(lambda doc: doc["position"] == 1) == [1, 3]
    assert [f.name for f in records.where()] == ["B"]
