"""The web app: one root page with sub-pages (NiceGUI 3), wired to the services at start-up."""
from __future__ import annotations

import asyncio
import secrets
import signal
import socket
from functools import partial
from pathlib import Path

from nicegui import app, background_tasks, run, ui

from pysync_web.atomic_file import write_atomically
from pysync_web.config import Settings
from pysync_web.errors import PySyncError
from pysync_web.services.app_services import AppServices
from pysync_web.ui.context import AppContext
from pysync_web.ui.lan_access import bind_host, start_lan_access
from pysync_web.ui.layout import APP_NAME, app_shell
from pysync_web.ui.media import register_media_routes
from pysync_web.ui.native_mode import WINDOW_SIZE, use_native_window
from pysync_web.ui.pages.library import library_page
from pysync_web.ui.pages.playlist import playlist_page
from pysync_web.ui.pages.playlists import playlists_page
from pysync_web.ui.pages.queue import queue_page
from pysync_web.ui.pages.settings import settings_page
from pysync_web.ui.spotify_login import register_spotify_routes
from pysync_web.worker.scheduler import SyncScheduler

# Every page builder takes `context: AppContext` (passed by ui.sub_pages) plus its path parameters.
PAGES = {
    "/": playlists_page,
    "/playlist/{playlist_id}": playlist_page,
    "/library": library_page,
    "/queue": queue_page,
    "/settings": settings_page,
}


def root(context: AppContext) -> None:
    app_shell(context, PAGES)


def ensure_port_free(host: str, port: int) -> None:
    """Say it in one line before NiceGUI starts; uvicorn would otherwise log a traceback and exit."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: TIME_WAIT is fine
        try:
            probe.bind((host, port))
        except OSError as error:
            raise PySyncError(
                f"Cannot listen on {host}:{port} ({error.strerror}). Is PySync Hub already running? "
                "Choose another port with --port.") from None


def stop_quietly_on_signals() -> None:
    """Ctrl-C and SIGTERM shut the app down like app.shutdown(): uvicorn's own handling re-raises
    the signal afterwards and prints tracebacks, which reads like a crash to a user."""
    loop = asyncio.get_running_loop()
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(stop_signal, app.shutdown)
        except (NotImplementedError, RuntimeError):  # Windows event loops have no signal handlers
            return


def serve(settings: Settings, native: bool = False) -> None:
    host = bind_host(settings)
    ensure_port_free(host, settings.port)
    services = AppServices.open(settings)
    context = AppContext.create(services)
    lan = start_lan_access(settings, host, settings.port)  # after the store: a new passcode is always shown
    url = f"http://{'127.0.0.1' if host == '0.0.0.0' else host}:{settings.port}"
    native = use_native_window(native, url)

    def announce() -> None:
        print(f"{APP_NAME} is running at {url}", flush=True)
        if lan:
            lan.announce()
        if services.recovery_notice:
            print(f"warning: {services.recovery_notice}", flush=True)

    async def warm_up() -> None:
        await run.io_bound(services.warm_up)

    scheduler = SyncScheduler(services.playlists, services.settings)

    def start_background_work() -> None:
        background_tasks.create(context.queue.run(), name="download queue")
        background_tasks.create(scheduler.run(), name="scheduled sync")

    register_media_routes(context)
    register_spotify_routes(context)
    app.on_startup(stop_quietly_on_signals)
    app.on_startup(announce)
    app.on_startup(warm_up)
    app.on_startup(start_background_work)
    app.on_shutdown(scheduler.stop)
    app.on_shutdown(context.queue.stop)  # before closing the store: interrupted jobs are requeued in it
    app.on_shutdown(services.close)
    ui.run(partial(root, context), host=host, port=settings.port, title=APP_NAME,
           reload=False, show=False, show_welcome_message=False, favicon="🎧",
           storage_secret=web_secret(settings.data_dir),
           native=native, window_size=WINDOW_SIZE if native else None)


def web_secret(data_dir: Path) -> str:
    """Signs the browser's session cookie; made once per data dir so sessions survive restarts."""
    path = data_dir / "web-secret"
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        secret = secrets.token_urlsafe(32)
        write_atomically(path, secret.encode())
        path.chmod(0o600)
        return secret
