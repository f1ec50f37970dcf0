"""Store write speed: our TinyDB setup against stock TinyDB doing the same work.

Workload: insert 10,000 realistic tracks in one batch, then update 1,000 of them one at a time
(what a sync followed by downloads does). Ours includes the final flush, so both end with every
change on disk. Run: `python bench/bench_store.py [--tracks N] [--updates N]`.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from tinydb import TinyDB

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pysync_web.models import Platform, Track, TrackStatus  # noqa: E402
from pysync_web.store.database import open_database  # noqa: E402
from pysync_web.store.records import to_document  # noqa: E402
from pysync_web.store.tracks import TrackRepository  # noqa: E402

_WORDS = "night drive neon heart echo summer river ghost gold fire static velvet dream city".split()


def realistic_tracks(count: int, seed: int = 7) -> list[Track]:
    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    return [
        Track(
            platform=Platform.SPOTIFY,
            platform_id=f"{rng.getrandbits(88):022x}",
            title=" ".join(rng.choices(_WORDS, k=rng.randint(1, 5))).title(),
            artists=[" ".join(rng.choices(_WORDS, k=2)).title() for _ in range(rng.randint(1, 3))],
            album=" ".join(rng.choices(_WORDS, k=3)).title(),
            album_artist=rng.choice(_WORDS).title(),
            duration_ms=rng.randint(90_000, 420_000),
            isrc=f"US{rng.getrandbits(40):010X}",
            cover_url=f"https://i.scdn.co/image/{rng.getrandbits(128):032x}",
            url=f"https://open.spotify.com/track/{i}",
            release_date=f"{rng.randint(1970, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            track_number=rng.randint(1, 14),
            created_at=now,
        )
        for i in range(count)
    ]


def mark_downloaded(track: Track) -> None:
    track.status = TrackStatus.DOWNLOADED
    track.file = f"/music/{track.album}/{track.title}.m4a"
    track.source_url = f"https://www.youtube.com/watch?v={track.platform_id[:11]}"


def bench_ours(folder: Path, tracks: list[Track], updated: list[int]) -> float:
    started = time.perf_counter()
    db = open_database(folder)
    repo = TrackRepository(db)
    stored = repo.add_many(tracks)
    for index in updated:
        mark_downloaded(stored[index])
        repo.update(stored[index])
    db.close()  # flushes: everything is on disk when the clock stops
    return time.perf_counter() - started


def bench_stock(folder: Path, tracks: list[Track], updated: list[int]) -> float:
    started = time.perf_counter()
    db = TinyDB(folder / "stock.json")
    table = db.table("tracks")
    doc_ids = table.insert_multiple(to_document(track) for track in tracks)
    for index in updated:
        mark_downloaded(tracks[index])
        table.update(to_document(tracks[index]), doc_ids=[doc_ids[index]])
    db.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=1_000)
    args = parser.parse_args()
    updated = random.Random(1).sample(range(args.tracks), args.updates)
    with tempfile.TemporaryDirectory() as tmp:
        ours = bench_ours(Path(tmp), realistic_tracks(args.tracks), updated)
        print(f"ours : {ours * 1000:8.1f} ms  "
              f"({args.tracks} inserts in one batch + {args.updates} single updates + flush)")
        stock = bench_stock(Path(tmp), realistic_tracks(args.tracks), updated)
        print(f"stock: {stock * 1000:8.1f} ms  (TinyDB default JSONStorage, same work)")
    print(f"ratio: {stock / ours:.0f}x faster")


if __name__ == "__main__":
    main()
