"""The web app: one root page with sub-pages (NiceGUI 3), wired to the services at start-up."""
from __future__ import annotations

import asyncio
import signal
import socket
from functools import partial

from nicegui import app, background_tasks, run, ui

from pysync_web.config import Settings
from pysync_web.errors import PySyncError
from pysync_web.services.app_services import AppServices
from pysync_web.ui.context import AppContext
from pysync_web.ui.layout import APP_NAME, app_shell
from pysync_web.ui.pages.playlists import playlists_page


def root(context: AppContext) -> None:
    app_shell(context, {"/": partial(playlists_page, context.services)})


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


def serve(settings: Settings) -> None:
    ensure_port_free(settings.host, settings.port)
    services = AppServices.open(settings)
    context = AppContext.create(services)
    url = f"http://{settings.host}:{settings.port}"

    def announce() -> None:
        print(f"{APP_NAME} is running at {url}", flush=True)
        if services.recovery_notice:
            print(f"warning: {services.recovery_notice}", flush=True)

    async def warm_up() -> None:
        await run.io_bound(services.warm_up)

    def start_queue() -> None:
        background_tasks.create(context.queue.run(), name="download queue")

    app.on_startup(stop_quietly_on_signals)
    app.on_startup(announce)
    app.on_startup(warm_up)
    app.on_startup(start_queue)
    app.on_shutdown(context.queue.stop)  # before closing the store: interrupted jobs are requeued in it
    app.on_shutdown(services.close)
    ui.run(partial(root, context), host=settings.host, port=settings.port, title=APP_NAME,
           reload=False, show=False, show_welcome_message=False, favicon="🎧")
