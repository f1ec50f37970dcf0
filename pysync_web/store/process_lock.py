"""One process per library file: two processes saving the same file would overwrite each other's work.

An OS file lock (released by the OS when the process dies, even by `kill -9`) next to the library file;
the holder's pid is written into it so the refusal can name the other process.
"""
from __future__ import annotations

import os
from pathlib import Path

from pysync_web.errors import PySyncError

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True


class LibraryInUseError(PySyncError):
    pass


class ProcessLock:
    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            try:
                holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            except OSError:  # Windows refuses to read a locked byte
                holder = "unknown"
            os.close(fd)
            raise LibraryInUseError(
                f"Another PySync Hub process (pid {holder}) is using {self.path.parent}. "
                "Stop it first, or use the web app it serves, or choose another --data-dir.")
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock
            self._fd = None
