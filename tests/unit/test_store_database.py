"""Database: debounced and explicit saves, transactions, threads, leftovers of killed saves."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pysync_web.models import Platform, Playlist, PlaylistKind, Track
from pysync_web.store import database as database_module
from pysync_web.store.database import Database, open_database
from pysync_web.store.migrations import CURRENT_VERSION
from pysync_web.store.process_lock import LibraryInUseError
from pysync_web.store.playlists import PlaylistRepository
from pysync_web.store.tracks import TrackRepository

NEVER = 3600.0  # a flush delay that keeps the timer out of a test


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "library.json", flush_delay_s=NEVER)
    yield database
    database.close()


def on_disk(db: Database) -> dict:
    return json.loads(db.path.read_bytes())


def track(n: int, prefix: str = "sc") -> Track:
    return Track(Platform.SOUNDCLOUD, f"{prefix}{n}", f"Song {n}", ["Artist"])


def playlist(name: str) -> Playlist:
    return Playlist(Platform.SPOTIFY, PlaylistKind.PLAYLIST, name, f"https://spotify.test/{name}", name)


def disk_full(path: Path, data: bytes) -> None:
    raise OSError(28, "No space left on device")


def wait_until(condition: Callable[[], bool], timeout_s: float = 3.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def count_saves(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    saves: list[Path] = []
    real = database_module.write_atomically

    def counting(path: Path, data: bytes) -> None:
        saves.append(path)
        real(path, data)

    monkeypatch.setattr(database_module, "write_atomically", counting)
    return saves


def test_a_new_library_file_exists_at_open_with_the_current_version(tmp_path: Path) -> None:
    with open_database(tmp_path) as db:
        assert db.path == tmp_path / "library.json"
        assert on_disk(db) == {"meta": {"1": {"schema_version": CURRENT_VERSION}}}
        assert db.recovered_from is None


def test_a_write_reaches_the_disk_after_the_delay_and_not_before(tmp_path: Path) -> None:
    with Database(tmp_path / "library.json", flush_delay_s=0.2) as db:
        written_at = time.monotonic()
        TrackRepository(db).add_many([track(1)])
        assert "tracks" not in on_disk(db)
        assert wait_until(lambda: "tracks" in on_disk(db))
        assert time.monotonic() - written_at >= 0.2


def test_a_burst_of_writes_is_saved_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Database(tmp_path / "library.json", flush_delay_s=0.2) as db:
        saves = count_saves(monkeypatch)
        repo = TrackRepository(db)
        stored = repo.add_many([track(n) for n in range(50)])
        for item in stored:
            item.title += " (remastered)"
            repo.update(item)
        assert wait_until(lambda: len(saves) > 0)
        time.sleep(0.3)
        assert len(saves) == 1
        assert all(doc["title"].endswith("(remastered)") for doc in on_disk(db)["tracks"].values())


def test_flush_saves_at_once(db: Database) -> None:
    TrackRepository(db).add_many([track(1)])
    db.flush()
    assert on_disk(db)["tracks"]["1"]["platform_id"] == "sc1"


def test_flush_without_changes_does_not_write(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    saves = count_saves(monkeypatch)
    db.flush()
    assert saves == []


def test_close_saves_stops_the_timer_and_refuses_later_writes(tmp_path: Path) -> None:
    db = Database(tmp_path / "library.json", flush_delay_s=NEVER)
    repo = TrackRepository(db)
    repo.add_many([track(1)])
    db.close()
    db.close()
    assert "1" in on_disk(db)["tracks"]
    assert not db._flusher.is_alive()
    with pytest.raises(RuntimeError, match="closed"):
        repo.add_many([track(2)])


def test_closing_again_retries_a_save_that_failed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(tmp_path / "library.json", flush_delay_s=NEVER)
    TrackRepository(db).add_many([track(1)])
    monkeypatch.setattr(database_module, "write_atomically", disk_full)
    with pytest.raises(OSError):
        db.close()
    monkeypatch.undo()
    db.close()
    assert "1" in on_disk(db)["tracks"]


def test_a_failed_transaction_leaves_memory_and_disk_as_before(db: Database) -> None:
    playlists, tracks = PlaylistRepository(db), TrackRepository(db)
    kept = playlists.add(playlist("kept"))
    tracks.add_many([track(1)])  # not flushed yet: the transaction must not lose it either
    memory_before = (playlists.list(), tracks.all())

    with pytest.raises(LookupError):
        with db.transaction():
            playlists.add(playlist("new"))
            kept.name = "renamed"
            playlists.update(kept)
            tracks.remove_many([1])
            raise LookupError("abort")

    assert (playlists.list(), tracks.all()) == memory_before
    disk_before = on_disk(db)
    db.flush()
    assert on_disk(db) == disk_before
    assert [p["name"] for p in disk_before["playlists"].values()] == ["kept"]
    assert list(disk_before["tracks"]) == ["1"]


def test_a_transaction_is_on_disk_when_its_block_ends(db: Database) -> None:
    with db.transaction():
        PlaylistRepository(db).add(playlist("a"))
    assert [p["name"] for p in on_disk(db)["playlists"].values()] == ["a"]


def test_no_save_writes_a_half_done_transaction(tmp_path: Path) -> None:
    with Database(tmp_path / "library.json", flush_delay_s=0.05) as db:
        with pytest.raises(KeyError):
            with db.transaction():
                TrackRepository(db).add_many([track(1)])
                db.flush()  # deferred to the end of the transaction
                time.sleep(0.3)  # the timer is long due
                assert "tracks" not in on_disk(db)
                raise KeyError("abort")
        time.sleep(0.2)
        assert on_disk(db).get("tracks", {}) == {}


def test_the_timer_cannot_save_while_another_thread_is_inside_a_transaction(tmp_path: Path) -> None:
    with Database(tmp_path / "library.json", flush_delay_s=0.02) as db:
        TrackRepository(db).add_many([track(0)])  # the timer is due while the transaction runs
        inside, release = threading.Event(), threading.Event()

        def transaction_in_thread() -> None:
            with db.transaction():
                TrackRepository(db).add_many([track(1)])
                inside.set()
                release.wait(5)

        worker = threading.Thread(target=transaction_in_thread)
        worker.start()
        assert inside.wait(5)
        time.sleep(0.2)
        assert set(on_disk(db)["tracks"]) == {"1"}  # saved when the transaction began, no more
        release.set()
        worker.join()
        assert set(on_disk(db)["tracks"]) == {"1", "2"}


def test_a_nested_transaction_joins_the_outer_one(db: Database) -> None:
    repo = PlaylistRepository(db)
    with pytest.raises(ValueError):
        with db.transaction():
            with db.transaction():
                repo.add(playlist("inner"))
            assert len(on_disk(db).get("playlists", {})) == 0  # the inner end is no commit
            raise ValueError
    assert repo.list() == []


def test_a_failed_save_at_commit_rolls_the_transaction_back(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = PlaylistRepository(db)
    repo.add(playlist("kept"))
    db.flush()
    with pytest.raises(OSError):
        with db.transaction():
            monkeypatch.setattr(database_module, "write_atomically", disk_full)
            repo.add(playlist("lost"))
    monkeypatch.undo()
    assert [p.name for p in repo.list()] == ["kept"]
    db.flush()
    assert [p["name"] for p in on_disk(db)["playlists"].values()] == ["kept"]


def test_a_failed_debounced_save_is_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = database_module.write_atomically
    failures: list[Path] = []

    def fail_once(path: Path, data: bytes) -> None:
        if not failures:
            failures.append(path)
            disk_full(path, data)
        real(path, data)

    with Database(tmp_path / "library.json", flush_delay_s=0.05) as db:
        monkeypatch.setattr(database_module, "write_atomically", fail_once)
        TrackRepository(db).add_many([track(1)])
        assert wait_until(lambda: "tracks" in on_disk(db))
        assert failures


@pytest.fixture
def frequent_thread_switches() -> Iterator[None]:
    """Switch threads as often as the interpreter can, so writers and saves interleave finely."""
    usual = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(usual)


@pytest.mark.usefixtures("frequent_thread_switches")
def test_threads_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    db = Database(tmp_path / "library.json", flush_delay_s=0.005)  # saves race with the writers too
    repo = TrackRepository(db)

    def writer(thread_no: int) -> None:
        for n in range(100):
            (added,) = repo.add_many([track(thread_no * 1000 + n)])
            added.title = f"updated by {thread_no}"
            repo.update(added)

    def transactions() -> None:
        for n in range(30):
            try:
                with db.transaction():
                    repo.add_many([track(n, prefix="tx")])
                    if n % 2:
                        raise RuntimeError("rolled back")
            except RuntimeError:
                pass

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(6)]
    threads.append(threading.Thread(target=transactions))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.close()

    with Database(db.path, flush_delay_s=NEVER) as reopened:
        stored = TrackRepository(reopened).all()
    writer_ids = {t.platform_id for t in stored if t.platform_id.startswith("sc")}
    assert writer_ids == {f"sc{i * 1000 + n}" for i in range(6) for n in range(100)}
    assert all(t.title.startswith("updated by") for t in stored if t.platform_id in writer_ids)
    assert {t.platform_id for t in stored} - writer_ids == {f"tx{n}" for n in range(0, 30, 2)}


def test_a_stalled_older_save_never_overwrites_a_newer_one(tmp_path: Path) -> None:
    with Database(tmp_path / "library.json", flush_delay_s=0.01) as db:
        stalled, newer_saved, stale_write_done = threading.Event(), threading.Event(), threading.Event()
        real_write = db._write_snapshot

        def timer_stalls_once(seq: int, payload: bytes) -> None:
            if threading.current_thread() is db._flusher and not stalled.is_set():
                stalled.set()  # serialised under the lock, not yet written
                newer_saved.wait(5)
                real_write(seq, payload)
                stale_write_done.set()
            else:
                real_write(seq, payload)

        db._write_snapshot = timer_stalls_once  # type: ignore[method-assign]
        repo = TrackRepository(db)
        repo.add_many([track(1)])
        assert stalled.wait(5)
        repo.add_many([track(2)])
        db.flush()
        newer_saved.set()
        assert stale_write_done.wait(5)
        assert set(on_disk(db)["tracks"]) == {"1", "2"}


def test_old_temp_files_of_killed_saves_are_removed_fresh_ones_kept(tmp_path: Path) -> None:
    stale, fresh = tmp_path / ".library.json.abc.tmp", tmp_path / ".library.json.def.tmp"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    with open_database(tmp_path):
        assert not stale.exists()
        assert fresh.exists()


def test_a_second_process_on_the_same_library_is_refused(tmp_path):
    holder = open_database(tmp_path)
    try:
        script = ("import sys; from pathlib import Path; from pysync_web.store.database import open_database\n"
                  "try:\n    open_database(Path(sys.argv[1]))\nexcept Exception as e:\n    print(e); sys.exit(3)")
        done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 3 and f"pid {os.getpid()}" in done.stdout
        with pytest.raises(LibraryInUseError):
            open_database(tmp_path)
    finally:
        holder.close()
    open_database(tmp_path).close()  # free again once the holder closed
