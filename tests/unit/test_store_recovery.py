"""A damaged library file is moved aside and the app starts empty, never crashing, never deleting."""
from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from pysync_web.models import Platform, Track
from pysync_web.store.database import open_database
from pysync_web.store.migrations import CURRENT_VERSION
from pysync_web.store.tracks import TrackRepository


def a_good_library(tmp_path: Path) -> bytes:
    with open_database(tmp_path) as db:
        TrackRepository(db).add_many([Track(Platform.YTDLP, f"v{n}", "Title", ["A"]) for n in range(20)])
    return (tmp_path / "library.json").read_bytes()


DAMAGE = {
    "truncated": lambda good: good[: len(good) // 2],
    "garbage": lambda good: b"\x00\xffnot json at all\x89PNG",
    "empty": lambda good: b"",
    "a list, not tables": lambda good: b"[1, 2, 3]",
    "a table that is a list": lambda good: b'{"tracks": [{"title": "x"}]}',
    "a document that is a string": lambda good: b'{"tracks": {"1": "x"}}',
    "a document id that is no number": lambda good: b'{"tracks": {"one": {}}}',
    "an unreadable schema version": lambda good: b'{"meta": {"1": {"schema_version": "one"}}}',
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_file_is_moved_aside_and_the_store_starts_empty(
    tmp_path: Path, damage, caplog: pytest.LogCaptureFixture
) -> None:
    damaged = damage(a_good_library(tmp_path))
    (tmp_path / "library.json").write_bytes(damaged)

    with caplog.at_level(logging.WARNING, logger="pysync_web.store.database"):
        db = open_database(tmp_path)
    with db:
        assert TrackRepository(db).all() == []
        moved = db.recovered_from
        assert moved is not None and moved.parent == tmp_path
        assert re.fullmatch(r"library\.json\.corrupt-\d{8}T\d{6}", moved.name)
        assert moved.read_bytes() == damaged
        assert json.loads(db.path.read_bytes()) == {"meta": {"1": {"schema_version": CURRENT_VERSION}}}
        assert str(moved) in caplog.text


def test_a_good_file_is_not_reported_as_recovered(tmp_path: Path) -> None:
    a_good_library(tmp_path)
    with open_database(tmp_path) as db:
        assert db.recovered_from is None
        assert len(TrackRepository(db).all()) == 20
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_two_damaged_files_in_one_second_are_both_kept(tmp_path: Path) -> None:
    moved = []
    for content in (b"first", b"second"):
        (tmp_path / "library.json").write_bytes(content)
        with open_database(tmp_path) as db:
            moved.append(db.recovered_from)
    assert moved[0] != moved[1]
    assert {path.read_bytes() for path in moved} == {b"first", b"second"}
