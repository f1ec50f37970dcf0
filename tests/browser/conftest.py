"""Real-browser tests: the real app (`python main.py`) in a subprocess, driven by headless Chromium.

The app's platform URLs point at the fake servers this process starts, so nothing leaves the
machine. Debian's chromium and chromium-driver and the selenium package are needed; without them the
browser tests skip and say which is missing. Screenshots go to a temp folder, or to docs/screenshots
when PYSYNC_SCREENSHOTS=1 (how the README's pictures are made).
"""
from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from pysync_web.config import SETTINGS_FILE
from tests.fakes.audio import ToneLibrary
from tests.fakes.feeds import FakeFeeds

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOT_LIMIT = 150_000  # bytes: the README shows them, the repository keeps them
DESKTOP = (1280, 800)
PHONE = (390, 844)
PLAYLIST_TITLE = "Morning Show"  # the playlist that exists when the app starts


def browser_missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -r requirements-dev.txt)"
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            return f"{path} not found (apt-get install {package})"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class RunningApp:
    """`python main.py` in a subprocess; its console output goes to `log`."""
    process: subprocess.Popen
    port: int
    data_dir: Path
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        stop_process_group(self.process)


def stop_process_group(process: subprocess.Popen, grace_s: float = 10.0) -> None:
    """SIGTERM (a clean shutdown), then SIGKILL for whatever is left of the app's own process group:
    worker processes of a killed app would otherwise live on as orphans."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace_s)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # the group is the app's: started with start_new_session
    except ProcessLookupError:
        pass
    process.wait()


def write_settings(data_dir: Path, fake_url: str, **extra: object) -> None:
    """Every platform URL at a fake: a test can never reach the internet by mistake."""
    data_dir.mkdir(parents=True, exist_ok=True)
    urls = ("spotify_api_url", "spotify_accounts_url", "spotify_web_url", "soundcloud_api_url",
            "soundcloud_web_url", "invidious_url")
    values = {name: fake_url for name in urls} | {"retry_backoff_s": 0.01, "http_timeout_s": 5.0} | extra
    (data_dir / SETTINGS_FILE).write_text(json.dumps(values))


def start_app(data_dir: Path, *flags: str, environ: dict[str, str] | None = None,
              ready: str = "is running at", timeout_s: float = 30.0) -> RunningApp:
    port = free_port()
    log = data_dir.parent / f"{data_dir.name}-console.log"
    env = {k: v for k, v in (environ or os.environ).items() if not k.startswith(("PYSYNC_", "NICEGUI_", "PYTEST_"))}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "main.py", "--data-dir", str(data_dir), "--port", str(port), *flags],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env | {"PYTHONUNBUFFERED": "1"},
            start_new_session=True)
    app = RunningApp(process, port, data_dir, log)
    deadline = time.monotonic() + timeout_s
    while not (ready in app.output() and _answers(app.url)):  # startup prints before it listens
        if process.poll() is not None or time.monotonic() > deadline:
            app.stop()
            pytest.fail(f"the app did not start:\n{app.output()}")
        time.sleep(0.1)
    return app


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=10).ok  # the first page render also warms NiceGUI up
    except requests.ConnectionError:
        return False


@pytest.fixture(scope="session")
def feeds(tones: ToneLibrary) -> Iterator[FakeFeeds]:
    served = FakeFeeds(tones).start()
    served.server.bytes_per_second = 40_000  # each 3 s episode takes about a second: progress is visible
    yield served
    served.stop()


@pytest.fixture(scope="session")
def hub(tmp_path_factory: pytest.TempPathFactory, feeds: FakeFeeds) -> Iterator[RunningApp]:
    """The app with one downloaded playlist, started once for the whole browser suite."""
    from pysync_web.config import Settings
    from pysync_web.services.app_services import AppServices

    data_dir = tmp_path_factory.mktemp("hub") / "data"
    write_settings(data_dir, feeds.url)
    services = AppServices.open(Settings.load(data_dir))
    try:
        services.playlists.add(feeds.publish("/morning.rss", 2, title=PLAYLIST_TITLE, audio_seconds=3))
    finally:
        services.close()
    app = start_app(data_dir)
    yield app
    app.stop()


def chrome_driver(size: tuple[int, int] = DESKTOP, page_load_strategy: str = "normal"):
    """Headless Chromium with its console log readable (see console_errors)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage", "--hide-scrollbars", f"--window-size={size[0]},{size[1]}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.page_load_strategy = page_load_strategy
    return webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))


@pytest.fixture(scope="session")
def new_browser() -> Iterator[Callable[..., object]]:
    """Makes headless Chromium windows (closed at the end); skips when there is no browser."""
    if reason := browser_missing():
        pytest.skip(reason)
    made = []

    def make(size: tuple[int, int] = DESKTOP):
        made.append(chrome_driver(size))
        return made[-1]

    yield make
    for driver in made:
        driver.quit()


@pytest.fixture(scope="session")
def browser(new_browser):
    return new_browser()


def wait_until(condition: Callable[[], object], timeout_s: float = 15.0, what: str = "the condition") -> object:
    deadline = time.monotonic() + timeout_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}")
        time.sleep(0.05)


def open_page(driver, url: str) -> None:
    """Load `url` and wait until NiceGUI has rendered it and connected its socket."""
    driver.get(url)
    wait_until(lambda: driver.execute_script(
        "return window.did_handshake === true && !!document.querySelector('.q-header, .q-card')"),
        what=f"{url} to render and connect")


def console_errors(driver) -> list[str]:
    """Severe browser console entries since the last call (reading them empties the log)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def body_text(driver) -> str:
    return driver.execute_script("return document.body.innerText")


def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.environ.get("PYSYNC_SCREENSHOTS") == "1":
        return ROOT / "docs" / "screenshots"
    return tmp_path_factory.getbasetemp() / "screenshots"


@pytest.fixture(scope="session")
def screenshot(tmp_path_factory) -> Callable[[object, str], Path]:
    """Saves the window as a small palette PNG (< SCREENSHOT_LIMIT), as docs/screenshots/<name>.png."""
    from PIL import Image

    folder = screenshot_dir(tmp_path_factory)
    folder.mkdir(parents=True, exist_ok=True)

    def take(driver, name: str) -> Path:
        time.sleep(0.4)  # let transitions (ripples, the dark-mode fade) finish
        image = Image.open(io.BytesIO(driver.get_screenshot_as_png())).convert("RGB")
        path = folder / f"{name}.png"
        for scale in (1.0, 0.75, 0.5):
            sized = image if scale == 1 else image.resize((int(image.width * scale), int(image.height * scale)))
            sized.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
            if path.stat().st_size < SCREENSHOT_LIMIT:
                return path
        raise AssertionError(f"{path} is {path.stat().st_size} bytes even at half size")

    return take
