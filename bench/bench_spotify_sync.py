"""Benchmark: a 10,000-track Spotify playlist on the fake server with 30 ms per request.

Compares our fetch (pages in parallel, trimmed with `fields`) with plain spotipy paging one `next`
link after another, then times an unchanged re-fetch, which must be a single request.
Run: `python bench/bench_spotify_sync.py`.

The fake runs in its own process, as Spotify runs on its own machines: in this process its JSON
encoding would compete with the client for the GIL and measure the fake instead of the client.
"""
from __future__ import annotations

import multiprocessing
import sys
import tempfile
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere, import the project

import requests
import spotipy

from pysync_web.config import Settings
from pysync_web.platforms.spotify import SpotifyClient
from pysync_web.platforms.spotify_api import ITEM_FIELDS
from pysync_web.platforms.spotify_auth import AppCredentials
from tests.fakes.spotify import FakeSpotify, fake_settings
from tests.fakes.spotify_data import make_tracks

TRACKS = 10_000
LATENCY_S = 0.030
TARGET_SPEEDUP = 5.0
UNCHANGED_LIMIT_S = 0.100
REPEAT = 3
T = TypeVar("T")


def serve_fake(conn: Connection) -> None:
    """Child process: a fake Spotify with one big playlist, driven by (command, argument) messages."""
    fake = FakeSpotify().start()
    conn.send((fake.url, fake.add_playlist(make_tracks(TRACKS), snapshot_id="s1")))
    while True:
        command, argument = conn.recv()
        if command == "latency":
            fake.server.latency_s = argument
        elif command == "requests":
            conn.send(len(fake.server.requests))
        else:
            fake.stop()
            return


class RemoteFake:
    def __init__(self) -> None:
        self._conn, child_conn = multiprocessing.Pipe()
        self._process = multiprocessing.Process(target=serve_fake, args=(child_conn,), daemon=True)
        self._process.start()
        self.url, self.playlist_id = self._conn.recv()

    def set_latency(self, seconds: float) -> None:
        self._conn.send(("latency", seconds))

    def request_count(self) -> int:
        self._conn.send(("requests", None))
        return int(self._conn.recv())

    def stop(self) -> None:
        self._conn.send(("stop", None))
        self._process.join(timeout=5)


def sequential_spotipy(settings: Settings, playlist_id: str, fields: str | None = None) -> int:
    """What a straightforward spotipy program does: the playlist, then follow `next` to the end."""
    session = requests.Session()
    sp = spotipy.Spotify(auth_manager=AppCredentials(settings, session), requests_session=session)
    sp.prefix = settings.spotify_api_url.rstrip("/") + "/"
    sp.playlist(playlist_id, fields="name,snapshot_id")
    page = sp.playlist_items(playlist_id, fields=fields, limit=100)
    count = len(page["items"])
    while page["next"]:
        page = sp.next(page)
        count += len(page["items"])
    return count


def timed(label: str, run: Callable[[], T], repeat: int = 1) -> tuple[T, float]:
    """The result and the best time of `repeat` runs (the least disturbed by the rest of the machine)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    print(f"{label:<44} {min(times) * 1000:8.0f} ms" + (f"   (best of {repeat})" if repeat > 1 else ""))
    return result, min(times)


def main() -> int:
    fake = RemoteFake()
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            settings = fake_settings(fake.url, Path(data_dir), retry_backoff_s=0.5)
            client = SpotifyClient(settings)
            ref = SpotifyClient.parse_url(f"https://open.spotify.com/playlist/{fake.playlist_id}")
            client.fetch_playlist(ref, known_snapshot_id="s1")  # warm up: the app token gets cached
            fake.set_latency(LATENCY_S)
            print(f"{TRACKS:,} tracks, {LATENCY_S * 1000:.0f} ms per request, "
                  f"page concurrency {settings.spotify_page_concurrency}")

            remote, ours = timed("ours (parallel pages)", lambda: client.fetch_playlist(ref), REPEAT)
            count, baseline = timed("spotipy sequential (playlist_items + next)",
                                    lambda: sequential_spotipy(settings, fake.playlist_id), REPEAT)
            assert len(remote.tracks or []) == count == TRACKS
            speedup = baseline / ours
            print(f"{'speed-up':<44} {speedup:8.1f} x   (target >= {TARGET_SPEEDUP:.0f} x)")
            # The same trimmed pages one after another: how much of the gain is parallelism alone.
            _, trimmed = timed("spotipy sequential, our `fields`",
                               lambda: sequential_spotipy(settings, fake.playlist_id, ITEM_FIELDS + ",next"), REPEAT)
            print(f"{'speed-up from parallel pages alone':<44} {trimmed / ours:8.1f} x")

            before = fake.request_count()
            unchanged: Any
            unchanged, again = timed("unchanged re-fetch (snapshot id matches)",
                                     lambda: client.fetch_playlist(ref, known_snapshot_id="s1"))
            requests_made = fake.request_count() - before
            print(f"{'requests for the unchanged re-fetch':<44} {requests_made:8d}")
            assert unchanged.tracks is None
            ok = speedup >= TARGET_SPEEDUP and requests_made == 1 and again < UNCHANGED_LIMIT_S
            print("PASS" if ok else "FAIL")
            return 0 if ok else 1
    finally:
        fake.stop()


if __name__ == "__main__":
    sys.exit(main())
