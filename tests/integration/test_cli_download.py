"""`python main.py download` in real processes: output, exit status, and surviving a kill -9."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pysync_web.config import Settings
from pysync_web.models import JobStatus, TrackStatus
from pysync_web.services.app_services import AppServices

ROOT = Path(__file__).resolve().parents[2]


def main_py(data_dir: Path, *args: str, **kwargs) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYSYNC_", "SPOTIPY_"))}
    return subprocess.Popen([sys.executable, "main.py", "--data-dir", str(data_dir), *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


@pytest.fixture
def data_dir(ytdlp_settings: Settings) -> Path:
    ytdlp_settings.save()
    return ytdlp_settings.data_dir


def add(data_dir: Path, url: str) -> None:
    done = main_py(data_dir, "add", url)
    out, err = done.communicate(timeout=60)
    assert done.returncode == 0, err


def test_download_prints_progress_lines_and_a_summary(data_dir, fake_feeds):
    add(data_dir, fake_feeds.publish("/show.rss", 2, audio_seconds=3))
    run = main_py(data_dir, "download")
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    lines = out.splitlines()
    assert lines[0] == "Downloading 2 tracks"
    assert sum(1 for line in lines if line.startswith("[") and " done " in line) == 2
    assert lines[-1] == "2 downloaded, 0 failed"


def test_download_exits_1_and_names_each_failure(data_dir, fake_feeds):
    add(data_dir, fake_feeds.publish("/show.rss", 2, audio_seconds=3))
    del fake_feeds._audio_seconds["/audio/episode-2.mp3"]
    run = main_py(data_dir, "download")
    out, err = run.communicate(timeout=120)
    assert run.returncode == 1
    assert "1 downloaded, 1 failed" in out
    assert "  failed: " in out and "Épisode 2" in out


def test_a_killed_download_resumes_after_restart_without_leftovers(data_dir, fake_feeds):
    fake_feeds.server.bytes_per_second = 40_000  # ~10 s for the 20 s tone: time to kill it mid-transfer
    add(data_dir, fake_feeds.publish("/slow.rss", 1, audio_seconds=20))
    music = data_dir / "music"
    run = main_py(data_dir, "download")
    deadline = time.monotonic() + 30
    while not list(music.rglob("*.part")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(music.rglob("*.part")), "the download never started"
    run.send_signal(signal.SIGKILL)
    run.communicate(timeout=30)
    fake_feeds.server.bytes_per_second = None
    again = main_py(data_dir, "download")
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, out + err
    assert "1 downloaded, 0 failed" in out
    assert not list(music.rglob("*.part")) and not list(music.rglob("*.ytdl"))
    services = AppServices.open(Settings.load(data_dir))
    try:
        [track] = services.catalog.library_tracks()
        assert track.status == TrackStatus.DOWNLOADED and Path(track.file).is_file()
        assert [j.status for j in services.downloads.jobs.all()] == [JobStatus.DONE]
    finally:
        services.close()
