"""The library database: one TinyDB file per data dir, kept in memory, saved crash-safely.

Stock TinyDB re-reads and rewrites the whole JSON file on every write (tens of milliseconds at
10,000 tracks). Here TinyDB runs over an in-memory dict (see `tinydb_tables`); a write only marks the
data dirty, a timer thread saves it a short delay later (batching bursts of writes into one file
write), and `flush()` / the end of a `transaction()` save at once where durability matters. Every
save goes through `write_atomically`, so a crash leaves the previous or the new complete file.

Locking: `lock` (re-entrant) guards the in-memory data and is held by every repository call.
Saving serialises the JSON under `lock`, but writes the file under a separate `_write_lock` so readers
and writers are not blocked by disk I/O; `_write_lock` is never held while waiting for `lock`.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import cast

from pysync_web.atomic_file import write_atomically
from pysync_web.store import migrations
from pysync_web.store.migrations import Tables
from pysync_web.store.process_lock import ProcessLock
from pysync_web.store.tinydb_tables import InMemoryStorage, LibraryTable, LibraryTinyDB

log = logging.getLogger(__name__)

LIBRARY_FILE = "library.json"
# A temp file this old is left over from a killed save, not one in progress.
_STALE_TEMP_AGE_S = 60.0


class Database:
    def __init__(self, path: Path, flush_delay_s: float = 0.5) -> None:
        self.path = Path(path)
        self.flush_delay_s = flush_delay_s
        self.lock = threading.RLock()
        self.recovered_from: Path | None = None  # where a damaged file was moved at open, for the UI
        self._wakeup = threading.Condition(self.lock)
        self._write_lock = threading.Lock()
        self._dirty = False
        self._flush_due: float | None = None  # monotonic time of the next debounced save
        self._closed = False
        self._tx_depth = 0
        # The newest serialised state. It is what the file holds or is about to hold, so any thread can
        # finish a save another started, and a failed transaction restores memory from it.
        self._snapshot = b""
        self._snapshot_seq = 0
        self._written_seq = 0
        self._tinydb = LibraryTinyDB(storage=InMemoryStorage, on_write=self._mark_dirty)
        self._storage = cast(InMemoryStorage, self._tinydb.storage)
        self._process_lock = ProcessLock(self.path.with_name(self.path.name + ".lock"))
        self._process_lock.acquire()
        try:
            self._load()
        except BaseException:
            self._process_lock.release()
            raise
        # Daemon: a Database somebody forgot to close must not keep the process alive.
        self._flusher = threading.Thread(target=self._run_flusher, name=f"flush {self.path}", daemon=True)
        self._flusher.start()

    def table(self, name: str) -> LibraryTable:
        """For repositories only; callers must hold `lock` while using the table."""
        return self._tinydb.table(name)  # type: ignore[return-value]  # table_class is LibraryTable

    def flush(self) -> None:
        """Save now if memory is ahead of the file; on disk when this returns.

        Called inside a transaction (by its own thread) it does nothing: the transaction saves at its end.
        """
        with self.lock:
            if self._tx_depth:
                return
            if self._dirty:
                self._take_snapshot()
            seq, payload = self._snapshot_seq, self._snapshot
        try:
            self._write_snapshot(seq, payload)
        except OSError:
            with self.lock:  # keep the change pending so the timer tries again
                self._dirty = True
                self._schedule_flush()
            raise

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing: on an exception memory returns to the state before the block, and the file
        never held anything else; on success the result is saved before the block returns.

        Holds `lock` throughout, so other threads neither see nor save a half-done change. A nested
        transaction joins the outer one: only the outermost block rolls back or commits.
        """
        with self.lock:
            if self._tx_depth:
                self._tx_depth += 1
                try:
                    yield
                finally:
                    self._tx_depth -= 1
                return
            self.flush()
            before = self._snapshot
            self._tx_depth = 1
            try:
                yield
                self._tx_depth = 0
                self.flush()
            except BaseException:
                self._tx_depth = 0
                self._restore(before)
                raise

    def close(self) -> None:
        """Stop the timer and save. Calling it again retries a save that failed."""
        with self.lock:
            if self._tx_depth:
                raise RuntimeError("close() inside a transaction")
            self._closed = True
            self._wakeup.notify_all()
        self._flusher.join()
        self.flush()
        self._process_lock.release()

    def __enter__(self) -> Database:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- saving ---------------------------------------------------------------------------------

    def _mark_dirty(self) -> None:
        """Called by the storage after every TinyDB write."""
        with self.lock:
            if self._closed:
                raise RuntimeError(f"the database {self.path} is closed")
            self._dirty = True
            self._schedule_flush()

    def _schedule_flush(self) -> None:
        # The delay counts from the first unsaved write, not the last: a steady stream of writes
        # still reaches the disk every `flush_delay_s`.
        if self._flush_due is None:
            self._flush_due = time.monotonic() + self.flush_delay_s
            self._wakeup.notify()

    def _take_snapshot(self) -> None:
        self._flush_due = None
        payload = json.dumps(self._storage.data, ensure_ascii=False, separators=(",", ":")).encode()
        self._snapshot, self._snapshot_seq, self._dirty = payload, self._snapshot_seq + 1, False

    def _write_snapshot(self, seq: int, payload: bytes) -> None:
        with self._write_lock:
            # Another thread may already have written this snapshot or a newer one; never go back.
            if seq > self._written_seq:
                write_atomically(self.path, payload)
                self._written_seq = seq

    def _run_flusher(self) -> None:
        while True:
            with self.lock:
                while not self._closed and not self._flush_is_due():
                    due = self._flush_due
                    self._wakeup.wait(None if due is None else max(0.0, due - time.monotonic()))
                if self._closed:
                    return  # close() saves what is left
            try:
                self.flush()
            except Exception:  # the thread must survive a full disk; flush() rescheduled the save
                log.exception("Could not save %s; will try again", self.path)

    def _flush_is_due(self) -> bool:
        return self._flush_due is not None and time.monotonic() >= self._flush_due

    def _restore(self, snapshot: bytes) -> None:
        for name in self._storage.data:  # TinyDB's query caches may hold rolled-back documents
            self._tinydb.table(name).clear_cache()
        self._storage.data = json.loads(snapshot)
        # The file holds `snapshot` (or will, once an unfinished save of it lands), so nothing is pending.
        self._snapshot, self._dirty, self._flush_due = snapshot, False, None

    # --- opening --------------------------------------------------------------------------------

    def _load(self) -> None:
        _remove_stale_temp_files(self.path)
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            tables: Tables = {}
            migrations.stamp_current(tables)
            needs_save = True
        else:
            try:
                tables = _parse_library(raw)
            except ValueError as error:
                self.recovered_from = self._move_aside(error)
                tables = {}
                migrations.stamp_current(tables)
                needs_save = True
            else:
                found = migrations.upgrade(tables, self.path)
                needs_save = found < migrations.CURRENT_VERSION
                if needs_save:  # lets a user go back to the older app with the older file
                    shutil.copy2(self.path, self.path.with_name(f"{self.path.name}.v{found}.bak"))
                self._snapshot = raw
        self._storage.data = tables
        if needs_save:  # a new, recovered or migrated library is on disk before anyone uses it
            self._dirty = True
            self.flush()

    def _move_aside(self, reason: ValueError) -> Path:
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        suffix = 1
        while target.exists():
            target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{suffix}")
            suffix += 1
        os.replace(self.path, target)
        log.warning(
            "%s is damaged (%s); moved it to %s and started an empty library", self.path, reason, target
        )
        return target


def open_database(data_dir: Path, flush_delay_s: float = 0.5) -> Database:
    return Database(Path(data_dir) / LIBRARY_FILE, flush_delay_s)


def _parse_library(raw: bytes) -> Tables:
    """The tables in a library file; ValueError for anything TinyDB could not work with."""
    tables = json.loads(raw)  # JSONDecodeError and UnicodeDecodeError are ValueErrors
    if not isinstance(tables, dict) or not all(_is_table(table) for table in tables.values()):
        raise ValueError("not a TinyDB file of tables")
    migrations.schema_version(tables)
    return tables


def _is_table(table: object) -> bool:
    return isinstance(table, dict) and all(
        key.isdigit() and isinstance(doc, dict) for key, doc in table.items()
    )


def _remove_stale_temp_files(path: Path) -> None:
    """Delete temp files a killed save left behind (`write_atomically` names them `.<name>.*.tmp`).

    Only old ones: a fresh one may belong to a save in progress in another process.
    """
    cutoff = time.time() - _STALE_TEMP_AGE_S
    for temp in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if temp.stat().st_mtime < cutoff:
                temp.unlink()
        except FileNotFoundError:
            pass
