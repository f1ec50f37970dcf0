"""`kill -9` at any moment never loses a flushed change and never leaves an unreadable library.

The writer is this file run as a script: it adds tracks in a tight loop, saving after each batch
(alternately through `flush()` and through a transaction, while a 1 ms debounce timer saves too),
and prints how many tracks are on disk after each save. The test kills it at random moments and
checks that the file loads cleanly and holds at least every track the writer had reported.
"""
from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))

from pysync_web.models import Platform, Track  # noqa: E402
from pysync_web.store.database import open_database  # noqa: E402
from pysync_web.store.tracks import TrackRepository  # noqa: E402

KILLS = 15
BATCH = 25


def write_until_killed(data_dir: Path) -> None:
    db = open_database(data_dir, flush_delay_s=0.001)
    repo = TrackRepository(db)
    count = len(repo.all())
    print(count, flush=True)
    while True:
        batch = [Track(Platform.YTDLP, f"t{count + n}", "x" * 200, ["Artist"]) for n in range(BATCH)]
        if count % (2 * BATCH):
            repo.add_many(batch)
            db.flush()
        else:
            with db.transaction():
                repo.add_many(batch)
        count += BATCH
        print(count, flush=True)


def stored_ids(data_dir: Path) -> set[str]:
    with open_database(data_dir) as db:
        assert db.recovered_from is None, f"the library was damaged and moved to {db.recovered_from}"
        return {track.platform_id for track in TrackRepository(db).all()}


def test_kill_9_at_random_moments_loses_no_flushed_track(tmp_path: Path) -> None:
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    for kill in range(KILLS):
        writer = subprocess.Popen(
            [sys.executable, __file__, str(tmp_path)], stdout=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        try:
            started = writer.stdout.readline()
            assert started.strip().isdigit(), "the writer did not start"
            time.sleep(rng.uniform(0.0, 0.15))
        finally:
            writer.kill()
        reported = [started, *writer.stdout.read().splitlines(keepends=True)]
        writer.wait()
        flushed = int([line for line in reported if line.endswith("\n")][-1])

        missing = {f"t{n}" for n in range(flushed)} - stored_ids(tmp_path)
        assert not missing, f"kill {kill} (seed {seed}): {len(missing)} flushed tracks lost"
    assert flushed > 0


if __name__ == "__main__":
    write_until_killed(Path(sys.argv[1]))
