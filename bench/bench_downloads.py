"""Download speed: our queue at concurrency 3 against a sequential `yt-dlp` command-line loop.

Workload (the issue's): 60 tracks of 3 minutes served from a local podcast feed at 5 MB/s per
connection. Sources are stereo 44.1 kHz AAC at 160 kbit/s in .m4a (~3.6 MB each; two tones and pink
noise, each track its own pitches and noise, so LAME works about as hard as on music). Both sides
encode them to the default format, MP3 LAME VBR V0:
- ours: AppServices on a temp data dir, the feed added (its tracks queued), then
  DownloadQueue(concurrency=3).run(until_empty=True): fetch, convert, tag (with the feed's covers),
  verify (a full decode), place, with every state in the store;
- baseline: what a user's shell loop does, one process per track, one after the other:
  `python -m yt_dlp -x --audio-format mp3 --audio-quality 0 --ffmpeg-location <imageio ffmpeg> -o … URL`.
Both run in the same invocation against the same server (a child process, so its threads and
memory count against neither side). Sources are made once into a cache folder under the temp dir.

Printed: wall time of each side and the ratio (target ≥ 2.5×), our overhead per track beyond
transfer and ffmpeg time (with a per-step breakdown), and peak memory (target < 250 MB for this
process; ffmpeg children apart). The encode is CPU-bound, so the ratio depends on the cores and on
what else the machine runs: the CPU each side used and the other processes' load during each phase
are printed too, with the ratio an idle machine would allow.

Run: `python bench/bench_downloads.py [--tracks 60] [--seconds 180] [--rate 5000000] [--concurrency 3]`.
"""
from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Self

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pysync_web.services.audio.ffmpeg import ffmpeg_executable, run_ffmpeg  # noqa: E402

SOURCE_BITRATE = "160k"
CACHE_DIR = Path(tempfile.gettempdir()) / "pysync-bench-downloads"
FEED_PATH = "/bench.rss"
NOISY_CORES = 0.25  # other users' load during a phase above which the ratio is flagged


# --- sources and the server (the `--serve` child process) ----------------------------------------------


def source_path(folder: Path, number: int) -> Path:
    return folder / f"track-{number}.m4a"


def make_source(path: Path, number: int, seconds: int) -> None:
    """Stereo: a different tone plus pink noise on each side; pitches and noise differ per track."""
    left, right = 220 + 7 * number, round((220 + 7 * number) * 1.26)
    inputs: list[str] = []
    for source in (f"sine=frequency={left}", f"sine=frequency={right}",
                   f"anoisesrc=color=pink:amplitude=0.08:seed={number}",
                   f"anoisesrc=color=pink:amplitude=0.08:seed={10_000 + number}"):
        inputs += ["-f", "lavfi", "-i", f"{source}:duration={seconds}:sample_rate=44100"]
    temp = path.with_name(f"making-{path.name}")
    stereo = "[0][2]amix=inputs=2:normalize=0[l];[1][3]amix=inputs=2:normalize=0[r];[l][r]join=inputs=2"
    run = run_ffmpeg(["-v", "error", "-y", *inputs, "-filter_complex", stereo,
                      "-c:a", "aac", "-b:a", SOURCE_BITRATE, "-f", "ipod", str(temp)])
    if run.returncode != 0:
        raise RuntimeError(f"could not make {path.name}: {run.reason}")
    os.replace(temp, path)


def ensure_sources(tracks: int, seconds: int) -> Path:
    folder = CACHE_DIR / f"{seconds}s-aac-{SOURCE_BITRATE}"
    folder.mkdir(parents=True, exist_ok=True)
    missing = [n for n in range(1, tracks + 1) if not source_path(folder, n).exists()]
    if missing:
        print(f"[server] making {len(missing)} source files in {folder} (once)...", file=sys.stderr, flush=True)
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(lambda n: make_source(source_path(folder, n), n, seconds), missing))
    return folder


def serve(tracks: int, seconds: int, rate: float) -> None:
    """Child process: serve the feed, its m4a enclosures and covers until stdin closes."""
    from tests.fakes.audio import make_cover
    from tests.fakes.feeds import FakeFeeds, make_episode
    from tests.fakes.server import Reply, Request

    folder = ensure_sources(tracks, seconds)
    cover = make_cover(600, 600, "JPEG")

    class BenchFeeds(FakeFeeds):
        TITLE = "Bench Cast"

        def __init__(self) -> None:
            super().__init__(tones=None)
            self.server.route("GET", r"/audio/track-(?P<number>\d+)\.m4a", self._serve_source)
            self.server.route("GET", r"/images/[\w.-]+\.jpg",
                              lambda request: Reply(200, cover, {"Content-Type": "image/jpeg"}))

        def publish_sources(self, path: str) -> str:
            items = [replace(make_episode(n, seconds), audio_path=f"/audio/track-{n}.m4a")
                     for n in range(tracks, 0, -1)]
            self.server.route("GET", re.escape(path), lambda request: self._serve(path))
            self._bodies[path] = self._render(self.TITLE, items)
            self.published[f"{self.url}{path}"] = items
            return f"{self.url}{path}"

        def _render_item(self, episode: Any) -> str:
            return super()._render_item(episode).replace('type="audio/mpeg"', 'type="audio/mp4"')

        def _serve_source(self, request: Request) -> Reply:
            number = int(request.match["number"]) if request.match else 0
            path = source_path(folder, number)
            if not 1 <= number <= tracks or not path.exists():
                return Reply.text("no such track", status=404)
            return Reply(200, path.read_bytes(), {"Content-Type": "audio/mp4"})

    feeds = BenchFeeds().start()
    feeds.server.bytes_per_second = rate
    url = feeds.publish_sources(FEED_PATH)
    print(f"READY {url} {folder}", flush=True)
    sys.stdin.read()  # the bench closes our stdin when done
    feeds.stop()


@dataclass
class Server:
    process: subprocess.Popen[str]
    feed_url: str
    sources: Path

    @classmethod
    def start(cls, tracks: int, seconds: int, rate: float) -> Server:
        process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--serve", "--tracks", str(tracks),
             "--seconds", str(seconds), "--rate", str(rate)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert process.stdout is not None
        line = process.stdout.readline().split()
        if not line or line[0] != "READY":
            process.kill()
            raise SystemExit(f"the bench server did not start: {line}")
        return cls(process, line[1], Path(line[2]))

    def audio_url(self, number: int) -> str:
        return self.feed_url.removesuffix(FEED_PATH) + f"/audio/track-{number}.m4a"

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- our queue, instrumented from outside ------------------------------------------------------------


@dataclass
class JobTimes:
    start: float = 0.0
    end: float = 0.0
    steps: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    step_cpu: dict[str, float] = field(default_factory=lambda: defaultdict(float))  # worker thread CPU
    cpu: float = 0.0  # worker thread CPU of the whole run_job
    ffmpeg_s: float = 0.0
    ffmpeg_runs: int = 0
    core_wait_s: float = 0.0  # waiting for a free CPU core before converting (not overhead)
    source_bytes: int = 0

    @property
    def wall(self) -> float:
        return self.end - self.start


class Instruments:
    """Times run_job, each pipeline step and every ffmpeg run, per job, by wrapping them (no edits)."""

    def __init__(self) -> None:
        self.jobs: dict[int, JobTimes] = {}
        self._current = threading.local()
        self._lock = threading.Lock()

    def job(self) -> JobTimes | None:
        return getattr(self._current, "job", None)

    def install(self, downloads: Any) -> None:
        import pysync_web.services.downloads as downloads_module

        # By sys.modules: the audio package re-exports functions named like its modules (`convert`).
        ffmpeg_module, convert_module, verify_module = (
            sys.modules[f"pysync_web.services.audio.{name}"] for name in ("ffmpeg", "convert", "verify"))

        original_run_job = downloads.run_job

        def run_job(job_id: int, cancel: threading.Event) -> Any:
            times = JobTimes(start=time.perf_counter())
            cpu = time.thread_time()
            with self._lock:
                self.jobs[job_id] = times
            self._current.job = times
            try:
                return original_run_job(job_id, cancel)
            finally:
                times.end = time.perf_counter()
                times.cpu = time.thread_time() - cpu
                self._current.job = None

        downloads.run_job = run_job  # the queue calls it through the instance
        finish_module = sys.modules["pysync_web.services.download.finish"]
        original_slot = finish_module.cpu_slot

        @contextmanager
        def timed_slot(cancel: threading.Event) -> Iterator[None]:
            started = time.perf_counter()
            with original_slot(cancel):
                times = self.job()
                if times is not None:
                    times.core_wait_s += time.perf_counter() - started
                yield

        finish_module.cpu_slot = timed_slot
        downloads_module.PIPELINE = tuple(_TimedStep(step, self) for step in downloads_module.PIPELINE)

        original_ffmpeg = ffmpeg_module.run_ffmpeg

        def timed_ffmpeg(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original_ffmpeg(*args, **kwargs)
            finally:
                times = self.job()
                if times is not None:
                    times.ffmpeg_s += time.perf_counter() - started
                    times.ffmpeg_runs += 1

        for module in (ffmpeg_module, convert_module, verify_module):
            module.run_ffmpeg = timed_ffmpeg  # type: ignore[attr-defined]


class _TimedStep:
    def __init__(self, step: Any, instruments: Instruments) -> None:
        self.step, self.instruments, self.name = step, instruments, type(step).__name__

    def run(self, context: Any) -> None:
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            self.step.run(context)
        finally:
            times = self.instruments.job()
            if times is not None:
                times.steps[self.name] += time.perf_counter() - started
                times.step_cpu[self.name] += time.thread_time() - cpu
                if self.name == "FetchAudio" and context.downloaded is not None and context.downloaded.exists():
                    times.source_bytes = context.downloaded.stat().st_size


class MemorySampler:
    """Samples resident memory of this process and of its child processes (ffmpeg, yt-dlp and their
    children; not the bench server) every 100 ms. Linux /proc only.

    ru_maxrss of children is no use here: a child forked from this process starts with its parent's
    high-water mark, so every ffmpeg would "peak" at this process's size.
    """

    def __init__(self, exclude_pid: int) -> None:
        self.exclude_pid = exclude_pid
        self.child_peak_mb = 0.0  # the largest single child process seen
        self.children_peak_mb = 0.0  # all children at once
        self.total_peak_mb = 0.0  # this process and its children at once
        self.cpu_s = 0.0  # what sampling cost this process
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            self._sample()
        finally:
            self.cpu_s = time.thread_time()

    def _sample(self) -> None:
        while not self._stop.wait(0.1):
            children = [_rss_mb(pid) for pid in self._descendants(os.getpid())]
            together = sum(children)
            self.child_peak_mb = max([self.child_peak_mb, *children])
            self.children_peak_mb = max(self.children_peak_mb, together)
            self.total_peak_mb = max(self.total_peak_mb, together + _rss_mb(os.getpid()))

    def _descendants(self, pid: int) -> list[int]:
        found: list[int] = []
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            return found
        for task in tasks:
            try:
                children = Path(f"/proc/{pid}/task/{task}/children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child != self.exclude_pid:
                    found += [child, *self._descendants(child)]
        return found


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@dataclass
class QueueResult:
    wall: float
    add_s: float
    jobs: dict[int, JobTimes]
    done: int
    failures: list[str]
    files: list[Path]
    self_cpu_s: float
    children_cpu_s: float
    rss_before_mb: float
    rss_peak_mb: float
    memory: MemorySampler
    others_cores: float | None
    run_start: float
    run_end: float


class MachineLoad:
    """CPU the whole machine spent during a phase, less ours and the server's: other users' load (in cores)."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.busy_s, self.server_s, self.wall = _machine_busy_s(), _process_cpu_s(server_pid), time.perf_counter()

    def others_cores(self, our_cpu_s: float) -> float | None:
        busy = _machine_busy_s()
        if busy is None or self.busy_s is None:
            return None
        server = _process_cpu_s(self.server_pid) - self.server_s
        return max(0.0, (busy - self.busy_s - our_cpu_s - server) / (time.perf_counter() - self.wall))


def _machine_busy_s() -> float | None:
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _process_cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime of all threads


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _maxrss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def run_ours(server: Server, concurrency: int, work: Path) -> QueueResult:
    from pysync_web.config import Settings
    from pysync_web.models import JobStatus
    from pysync_web.services.app_services import AppServices
    from pysync_web.worker.events import DownloadEvent, EventKind
    from pysync_web.worker.queue import DownloadQueue

    services = AppServices.open(Settings(data_dir=work / "ours"))
    try:
        instruments = Instruments()
        instruments.install(services.downloads)
        failures: list[str] = []

        def on_event(event: DownloadEvent) -> None:
            if event.kind == EventKind.FAILED:
                failures.append(event.message or "?")

        services.events.subscribe(on_event)
        started = time.perf_counter()
        services.playlists.add(server.feed_url)  # lists the feed and queues every track
        add_s = time.perf_counter() - started
        queue = DownloadQueue(services.downloads, services.events, concurrency)
        rss_before = _maxrss_mb(resource.RUSAGE_SELF)
        cpu_self, cpu_children = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
        load = MachineLoad(server.process.pid)
        with MemorySampler(server.process.pid) as memory:
            run_start = time.perf_counter()
            asyncio.run(queue.run(until_empty=True))
            run_end = time.perf_counter()
        done = services.downloads.jobs.with_status(JobStatus.DONE)
        self_cpu = _cpu(resource.RUSAGE_SELF) - cpu_self
        children_cpu = _cpu(resource.RUSAGE_CHILDREN) - cpu_children
        others = load.others_cores(self_cpu + children_cpu)
        files = [Path(t.file) for t in services.downloads.tracks.get_many(j.track_id for j in done).values()
                 if t.file]
        return QueueResult(
            wall=run_end - run_start, add_s=add_s, jobs=instruments.jobs, done=len(done), failures=failures,
            files=files, self_cpu_s=self_cpu - memory.cpu_s, children_cpu_s=children_cpu, others_cores=others,
            rss_before_mb=rss_before, rss_peak_mb=_maxrss_mb(resource.RUSAGE_SELF),
            memory=memory, run_start=run_start, run_end=run_end,
        )
    finally:
        services.close()


# --- the baseline: a shell loop of yt-dlp -----------------------------------------------------------


@dataclass
class BaselineResult:
    wall: float
    per_track: list[float]
    failures: list[str]
    files: list[Path]
    cpu_s: float
    memory: MemorySampler
    others_cores: float | None


def run_baseline(server: Server, tracks: int, work: Path) -> BaselineResult:
    out = work / "baseline"
    out.mkdir(parents=True)
    load, self_cpu = MachineLoad(server.process.pid), _cpu(resource.RUSAGE_SELF)
    started = time.perf_counter()
    with MemorySampler(server.process.pid) as memory:
        runs = [_run_ytdlp(server, number, out) for number in range(1, tracks + 1)]
    wall = time.perf_counter() - started
    cpu = sum(cpu for _, cpu, _ in runs)
    others = load.others_cores(cpu + _cpu(resource.RUSAGE_SELF) - self_cpu)
    failures = [failure for _, _, failure in runs if failure]
    return BaselineResult(wall, [t for t, _, _ in runs], failures, sorted(out.glob("*.mp3")), cpu, memory, others)


def _run_ytdlp(server: Server, number: int, out: Path) -> tuple[float, float, str | None]:
    """One track, as a shell loop runs it: a fresh yt-dlp process, waited for. (wall, CPU, failure)"""
    command = [sys.executable, "-m", "yt_dlp", "-x", "--audio-format", "mp3", "--audio-quality", "0",
               "--ffmpeg-location", ffmpeg_executable(), "--no-cache-dir",
               "-o", str(out / f"track-{number}.%(ext)s"), server.audio_url(number)]
    log = out / f"track-{number}.log"
    started = time.perf_counter()
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)  # this child's own CPU (and its waited-for ffmpeg)
        process.returncode = os.waitstatus_to_exitcode(status)
    failure = f"track {number}: exit {process.returncode}, see {log}" if process.returncode else None
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime, failure


# --- report ------------------------------------------------------------------------------------------


def mp3_summary(files: list[Path]) -> str:
    from mutagen.mp3 import MP3

    if not files:
        return "no files"
    infos = [MP3(path).info for path in files]
    assert all(infos)
    sizes = [path.stat().st_size for path in files]
    modes = {str(info.bitrate_mode).split(".")[-1] for info in infos}
    return (f"{len(files)} MP3s, mean {statistics.mean(sizes) / 1e6:.2f} MB, "
            f"{statistics.mean(i.bitrate for i in infos) / 1000:.0f} kbit/s {'/'.join(sorted(modes))}, "
            f"{statistics.mean(i.length for i in infos):.1f} s")


def standalone_encode_s(sources: Path) -> float:
    """One source encoded alone, as both sides encode it: the ffmpeg share of a baseline track."""
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        run = run_ffmpeg(["-v", "error", "-y", "-i", str(source_path(sources, 1)), "-map", "0:a:0",
                          "-c:a", "libmp3lame", "-q:a", "0", "-f", "mp3", str(Path(tmp) / "out.mp3")])
        if run.returncode != 0:
            raise RuntimeError(f"standalone encode failed: {run.reason}")
        return time.perf_counter() - started


def report(args: argparse.Namespace, ours: QueueResult, baseline: BaselineResult | None, sources: Path,
           encode_s: float) -> None:
    jobs = list(ours.jobs.values())
    n = len(jobs) or 1
    source_sizes = [source_path(sources, k).stat().st_size for k in range(1, args.tracks + 1)]
    ideal_transfer = [size / args.rate for size in source_sizes]
    print(f"\nworkload: {args.tracks} tracks × {args.seconds} s, AAC {SOURCE_BITRATE} m4a "
          f"(mean {statistics.mean(source_sizes) / 1e6:.2f} MB) at {args.rate / 1e6:g} MB/s per connection "
          f"→ MP3 V0; {os.cpu_count()} CPUs, load before {os.getloadavg()[0]:.2f}")
    print(f"  ideal transfer per track {statistics.mean(ideal_transfer):.2f} s "
          f"(all {args.tracks} in a row: {sum(ideal_transfer):.1f} s)")

    print(f"\nours (DownloadQueue, concurrency {args.concurrency}): {ours.wall:.1f} s "
          f"for {ours.done}/{args.tracks} done, {len(ours.failures)} failed "
          f"(+ {ours.add_s:.2f} s to list the feed and queue its tracks, not counted)")
    print(f"  {_others(ours.others_cores)}")
    for failure in ours.failures[:5]:
        print(f"  failed: {failure}")
    print(f"  files: {mp3_summary(ours.files)}")

    if baseline is not None:
        print(f"\nbaseline (sequential `yt-dlp -x --audio-format mp3 --audio-quality 0`): {baseline.wall:.1f} s "
              f"for {len(baseline.files)}/{args.tracks} files, {len(baseline.failures)} failed; "
              f"per track mean {statistics.mean(baseline.per_track):.2f} s")
        print(f"  {_others(baseline.others_cores)}")
        beyond = statistics.mean(baseline.per_track) - statistics.mean(ideal_transfer) - encode_s
        print(f"  per track beyond transfer and ffmpeg: ~{beyond * 1000:.0f} ms "
              f"(using {encode_s * 1000:.0f} ms for one encode alone; start-up, extraction, ffmpeg probe)")
        for failure in baseline.failures[:5]:
            print(f"  failed: {failure}")
        print(f"  files: {mp3_summary(baseline.files)}")
        ratio = baseline.wall / ours.wall
        print(f"\nRATIO: {ratio:.2f}× faster (target ≥ 2.5×)  {'OK' if ratio >= 2.5 else 'BELOW TARGET'}")
        loads = [x for x in (ours.others_cores, baseline.others_cores) if x is not None]
        if loads and max(loads) > NOISY_CORES:
            print(f"  CAUTION: other processes took up to {max(loads):.2f} cores during a phase; the ratio is "
                  "skewed (the queue needs every core, the loop under one): rerun on a quiet machine")

    if not jobs:
        return
    walls = [j.wall for j in jobs]
    transfer = [j.source_bytes / args.rate for j in jobs]
    ffmpeg = [j.ffmpeg_s for j in jobs]
    waits = [j.core_wait_s for j in jobs]
    overhead = [j.wall - t - f - w for j, t, f, w in zip(jobs, transfer, ffmpeg, waits, strict=True)]
    print(f"\nper track, ours (wall time in the worker thread; {args.concurrency} at once on "
          f"{os.cpu_count()} CPUs, so ffmpeg runs slower than alone):")
    print(f"  run_job           {statistics.mean(walls) * 1000:8.0f} ms  "
          f"(median {statistics.median(walls) * 1000:.0f})")
    print(f"  - transfer        {statistics.mean(transfer) * 1000:8.0f} ms  (source size / rate)")
    print(f"  - ffmpeg          {statistics.mean(ffmpeg) * 1000:8.0f} ms  "
          f"({statistics.mean(j.ffmpeg_runs for j in jobs):.1f} runs: encode + verify decode)")
    print(f"  - waiting for a core {statistics.mean(waits) * 1000:5.0f} ms  (conversions queue for the CPU)")
    print(f"  = OVERHEAD        {statistics.mean(overhead) * 1000:8.0f} ms  "
          f"(median {statistics.median(overhead) * 1000:.0f}, max {max(overhead) * 1000:.0f})")
    for label, attribute, total in (("wall", "steps", walls), ("CPU", "step_cpu", [j.cpu for j in jobs])):
        steps = defaultdict(list)
        for job in jobs:
            for name, seconds in getattr(job, attribute).items():
                steps[name].append(seconds)
        in_steps = [sum(getattr(j, attribute).values()) for j in jobs]
        outside = statistics.mean(t - s for t, s in zip(total, in_steps))
        print(f"  step {label:<5}        "
              + ", ".join(f"{_short(name)} {statistics.mean(v) * 1000:.0f}" for name, v in steps.items())
              + f"; outside steps (store, events, checks) {outside * 1000:.0f} ms")

    starts = sorted(j.start for j in jobs)
    ends = sorted(j.end for j in jobs)
    print(f"  queue: first job starts {(starts[0] - ours.run_start) * 1000:.0f} ms after run(), "
          f"run() returns {(ours.run_end - ends[-1]) * 1000:.0f} ms after the last job")
    our_cpu = ours.self_cpu_s + ours.children_cpu_s
    cores = os.cpu_count() or 1
    print(f"\nCPU per track: ours {our_cpu / n * 1000:.0f} ms (this process {ours.self_cpu_s / n * 1000:.0f}, "
          f"ffmpeg {ours.children_cpu_s / n * 1000:.0f}), using {our_cpu / ours.wall:.2f} of {cores} cores on average"
          + (f"; baseline {baseline.cpu_s / args.tracks * 1000:.0f} ms (yt-dlp + ffmpeg processes), using "
             f"{baseline.cpu_s / baseline.wall:.2f} cores" if baseline is not None else ""))
    c = args.concurrency
    floor = max(our_cpu / cores, sum(transfer) / c)
    print(f"  the queue cannot beat {floor:.1f} s on {cores} cores (its CPU spread over every core, or its "
          f"transfers {c} at a time)")
    if baseline is not None:
        # The loop runs one thing at a time, so on an idle machine it takes its transfers plus its CPU.
        quiet = sum(ideal_transfer) + baseline.cpu_s
        print(f"  on an idle machine the loop would take ~{quiet:.0f} s (transfers + its CPU): "
              f"ratio at most {quiet / floor:.2f}×, and {quiet / (our_cpu / (0.9 * cores)):.2f}× "
              f"with the queue keeping 90% of the cores busy")

    print(f"\nPEAK MEMORY: this process {ours.rss_peak_mb:.0f} MB "
          f"({ours.rss_before_mb:.0f} MB before the queue ran) (target < 250 MB)  "
          f"{'OK' if ours.rss_peak_mb < 250 else 'ABOVE TARGET'}")
    m = ours.memory
    print(f"  ffmpeg children of the queue (sampled every 100 ms): largest {m.child_peak_mb:.0f} MB, "
          f"all at once {m.children_peak_mb:.0f} MB; this process + children {m.total_peak_mb:.0f} MB")
    if baseline is not None:
        b = baseline.memory
        print(f"  baseline loop (a yt-dlp process and its ffmpeg): largest {b.child_peak_mb:.0f} MB, "
              f"together {b.children_peak_mb:.0f} MB")


def _short(step: str) -> str:
    return step.removesuffix("Audio").removesuffix("File").removesuffix("Source")


def _others(cores: float | None) -> str:
    if cores is None:
        return "other processes' load: unknown (no /proc/stat)"
    return f"other processes on this machine used {cores:.2f} cores on average meanwhile"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=60)
    parser.add_argument("--seconds", type=int, default=180, help="length of each track")
    parser.add_argument("--rate", type=float, default=5_000_000, help="bytes per second per connection")
    parser.add_argument("--concurrency", type=int, default=3)
    parser.add_argument("--no-baseline", action="store_true", help="run our queue only")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.tracks, args.seconds, args.rate)
        return
    logging.basicConfig(level=logging.WARNING)

    # Imported before the clock and the memory baseline: the web app has these loaded already.
    for module in ("pysync_web.services.app_services", "pysync_web.worker.queue"):
        importlib.import_module(module)

    server = Server.start(args.tracks, args.seconds, args.rate)
    work = Path(tempfile.mkdtemp(prefix="pysync-bench-downloads-"))
    try:
        print(f"server {server.feed_url}; sources in {server.sources}; work in {work}", flush=True)
        print("running our queue...", flush=True)
        ours = run_ours(server, args.concurrency, work)
        print(f"  {ours.wall:.1f} s", flush=True)
        baseline = None
        if not args.no_baseline:
            print("running the yt-dlp loop...", flush=True)
            baseline = run_baseline(server, args.tracks, work)
            print(f"  {baseline.wall:.1f} s", flush=True)
        report(args, ours, baseline, server.sources, standalone_encode_s(server.sources))
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
