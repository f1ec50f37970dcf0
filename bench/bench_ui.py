"""Web app speed under load: a 10,000-track playlist opened while three downloads run.

Set-up: a data dir with one playlist of 10,000 tracks (9,000 downloaded, each file a hard link to one
real 2-second MP3, and 1,000 pending), written through the store repositories, plus a podcast feed
from the test fakes whose three episodes are served slowly (about two minutes each), added through
the PlaylistService so its three downloads are queued. The real app (`python main.py`) then runs in a
subprocess, and the measurements start once all three downloads are transferring:
- HTTP: GET of the playlist page (the HTML NiceGUI sends, elements included);
- first view: headless Chromium from navigation start until the playlist's first track title is
  visible (HTML, scripts, Vue's first render and the socket connection included), fresh navigations;
- the server's memory: resident set (VmRSS) and its peak (VmHWM) after all of that.
Each timing prints the first run (the browser's cache empty: NiceGUI's scripts are fetched too), the
median and the best. Targets: first view under 1 s, server memory under 300 MB.
Run: `python bench/bench_ui.py [--tracks 10000] [--runs 5]` (needs chromium, chromium-driver, selenium).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pysync_web.config import Settings  # noqa: E402
from pysync_web.models import Platform, Playlist, PlaylistEntry, PlaylistKind, Track, TrackStatus  # noqa: E402
from pysync_web.services.app_services import AppServices  # noqa: E402
from pysync_web.services.audio.ffmpeg import run_ffmpeg  # noqa: E402
from pysync_web.store.database import open_database  # noqa: E402
from pysync_web.store.entries import EntryRepository  # noqa: E402
from pysync_web.store.playlists import PlaylistRepository  # noqa: E402
from pysync_web.store.tracks import TrackRepository  # noqa: E402
from tests.browser.conftest import chrome_driver, free_port, stop_process_group, write_settings  # noqa: E402
from tests.fakes.audio import ToneLibrary  # noqa: E402
from tests.fakes.feeds import FakeFeeds  # noqa: E402

MARKER_TITLE = "Bench Marker Opening Track"  # the playlist's first track: its title marks the first view
_WORDS = "night drive neon heart echo summer river ghost gold fire static velvet dream city é ü 夜".split()
SLOW_EPISODE_S = 60
SLOW_RATE = 8_000  # bytes a second per download: a 60 s MP3 (~1 MB) takes about two minutes


def populate(data_dir: Path, tracks: int, seed: int = 7) -> int:
    """One playlist of `tracks` tracks; returns its id."""
    rng = random.Random(seed)
    music = data_dir / "music"
    music.mkdir(parents=True)
    original = music / "original.mp3"
    run = run_ffmpeg(["-v", "error", "-y", "-f", "lavfi", "-i", "sine=duration=2", "-c:a", "libmp3lame",
                      "-b:a", "128k", str(original)])
    if run.returncode != 0:
        raise RuntimeError(run.stderr)
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    stored = []
    for i in range(tracks):
        artist = " ".join(rng.choices(_WORDS, k=2)).title()
        title = MARKER_TITLE if i == 0 else " ".join(rng.choices(_WORDS, k=rng.randint(1, 4))).title()
        downloaded = i % 10 != 9
        path = music / f"{i:05d} {artist} - {title}.mp3"
        if downloaded:
            os.link(original, path)
        stored.append(Track(
            platform=Platform.SPOTIFY, platform_id=f"{rng.getrandbits(88):022x}", title=title, artists=[artist],
            album=" ".join(rng.choices(_WORDS, k=2)).title(), duration_ms=rng.randint(90_000, 420_000),
            status=TrackStatus.DOWNLOADED if downloaded else TrackStatus.PENDING,
            file=str(path) if downloaded else None, created_at=start + timedelta(seconds=i)))
    with open_database(data_dir) as db:
        track_ids = [t.id for t in TrackRepository(db).add_many(stored)]
        playlist = PlaylistRepository(db).add(Playlist(
            Platform.SPOTIFY, PlaylistKind.PLAYLIST, "bench", "https://open.spotify.com/playlist/bench",
            "Ten Thousand", auto_download=False, last_synced=start, created_at=start))
        EntryRepository(db).add_many(PlaylistEntry(playlist.id, tid, pos, added_at=start + timedelta(minutes=pos))
                                     for pos, tid in enumerate(track_ids))
        return playlist.id


def queue_slow_downloads(data_dir: Path, feeds: FakeFeeds) -> None:
    services = AppServices.open(Settings.load(data_dir))
    try:
        services.playlists.add(feeds.publish("/slow.rss", 3, title="Slow Show", audio_seconds=SLOW_EPISODE_S))
    finally:
        services.close()


def start_app(data_dir: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYSYNC_", "NICEGUI_", "PYTEST_"))}
    process = subprocess.Popen([sys.executable, "main.py", "--data-dir", str(data_dir), "--port", str(port)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/queue", timeout=30).ok:
                return process
        except requests.ConnectionError:
            time.sleep(0.2)
    stop_process_group(process)
    raise SystemExit("the app did not start within 60 s")


def wait_for_downloads(feeds: FakeFeeds, count: int = 3, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while len({r.path for r in feeds.server.requests_to(r"/audio/")}) < count:
        if time.monotonic() > deadline:
            raise SystemExit(f"fewer than {count} downloads started within {timeout_s:.0f} s")
        time.sleep(0.2)
    time.sleep(1.0)  # a second of transfer: progress events are flowing


def first_view(driver, url: str, marker: str) -> dict[str, float]:
    """Seconds from navigation start, by the page's own clock: HTML received, scripts run
    (DOMContentLoaded), socket handshake done, and `marker` visible ("view")."""
    driver.get("about:blank")  # both gets return at once (page load strategy "none"), so wait for it:
    while driver.execute_script("return location.href") != "about:blank":  # a pending blank page would
        time.sleep(0.01)  # cancel the navigation below
    driver.get(url)
    handshake = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        state = driver.execute_script("""
            if (location.href !== arguments[0] || !document.body) return null;
            const nav = performance.getEntriesByType('navigation')[0] || {};
            return {now: performance.now(), html: nav.responseEnd || 0, dom: nav.domContentLoadedEventEnd || 0,
                    handshake: window.did_handshake === true, seen: document.body.innerText.includes(arguments[1])};
        """, url, marker)
        if state:
            if state["handshake"] and handshake is None:
                handshake = state["now"]
            if state["seen"]:
                return {"html": state["html"] / 1000, "scripts": state["dom"] / 1000,
                        "handshake": (handshake or state["now"]) / 1000, "view": state["now"] / 1000}
        time.sleep(0.01)
    shown = driver.execute_script("return location.href + '\\n' + (document.body ? document.body.innerText : '')")
    raise SystemExit(f"{marker!r} did not appear on {url} within 30 s; the page shows:\n{shown[:400]}")


def memory_mb(pid: int) -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def describe(values: list[float]) -> str:
    return f"first {values[0]:.3f} s, median {statistics.median(values):.3f} s, best {min(values):.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        feeds = FakeFeeds(ToneLibrary(Path(tmp))).start()
        feeds.server.bytes_per_second = SLOW_RATE
        write_settings(data_dir, feeds.url, download_concurrency=3)
        started = time.perf_counter()
        playlist_id = populate(data_dir, args.tracks)
        queue_slow_downloads(data_dir, feeds)
        print(f"library: {args.tracks} tracks in one playlist, 3 slow downloads queued "
              f"({time.perf_counter() - started:.1f} s to build)")
        port = free_port()
        process = start_app(data_dir, port)
        driver = None
        try:
            wait_for_downloads(feeds)
            url = f"http://127.0.0.1:{port}/playlist/{playlist_id}"
            http = []
            for _ in range(args.runs):
                begun = time.perf_counter()
                requests.get(url, timeout=30).raise_for_status()
                http.append(time.perf_counter() - begun)
            driver = chrome_driver(page_load_strategy="none")
            views = [first_view(driver, url, MARKER_TITLE) for _ in range(args.runs)]
            indicator = driver.execute_script(
                "return [...document.querySelectorAll('header button')].map(b => b.innerText)"
                ".find(t => t.includes('⬇')) || ''")
            rss, peak = memory_mb(process.pid)
            print(f"downloads running during the measurement: {indicator.strip() or 'unknown'}")
            print(f"HTTP GET of the playlist page:         {describe(http)}")
            for step, label in (("html", "HTML received"), ("scripts", "scripts run (DOMContentLoaded)"),
                                ("handshake", "socket connected")):
                print(f"  {label + ':':<38} {describe([v[step] for v in views])}")
            view = [v["view"] for v in views]
            print(f"first view (navigation → first track): {describe(view)}"
                  + ("  OVER 1 s" if statistics.median(view) >= 1 else "  (target < 1 s)"))
            print(f"server memory: {rss:.0f} MB resident, {peak:.0f} MB peak"
                  + ("  OVER 300 MB" if peak >= 300 else "  (target < 300 MB)"))
        finally:
            if driver is not None:
                driver.quit()
            stop_process_group(process)
            feeds.stop()


if __name__ == "__main__":
    main()
