"""Is the music folder usable? Checked before every job and after every failure.

A full or read-only disk makes every download fail the same way, and tools report it in many forms
(yt-dlp "unable to write data", ffmpeg "No space left on device", an OSError). Asking the folder
itself is the one reliable test, so the queue can pause with one clear error instead.
"""
from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

from pysync_web.errors import PySyncError

# Below this, a download (tens of MB with its temp files) would run out of room part way.
MIN_FREE_BYTES = 200 * 1024 * 1024
_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}


class StorageUnavailableError(PySyncError):
    """The music folder is full or not writable: the queue pauses instead of failing every job."""


def free_bytes(path: Path) -> int:
    return shutil.disk_usage(path).free


def music_dir_problem(music_dir: Path) -> StorageUnavailableError | None:
    try:
        music_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=music_dir, prefix=".write-test-"):
            pass
    except OSError as error:
        return storage_error(music_dir, error)
    if free_bytes(music_dir) < MIN_FREE_BYTES:
        return storage_error(music_dir, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    return None


def storage_error_from(music_dir: Path, error: BaseException) -> StorageUnavailableError | None:
    """The storage error behind a failure, when it was one (a full disk the folder check missed)."""
    if isinstance(error, OSError) and error.errno in _FULL_ERRNOS | {errno.EROFS}:
        return storage_error(music_dir, error)
    return None


def storage_error(music_dir: Path, error: OSError) -> StorageUnavailableError:
    problem = "is full" if error.errno in _FULL_ERRNOS else "is not writable"
    return StorageUnavailableError(
        f"The music folder {music_dir} {problem} ({error.strerror or error}). Free some space or choose "
        "another music folder in Settings, then resume the queue.")
