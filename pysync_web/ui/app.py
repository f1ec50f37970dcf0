"""The web app: one root page with sub-pages (NiceGUI 3), wired to the services at start-up."""
from __future__ import annotations

from functools import partial

from nicegui import app, ui

from pysync_web.config import Settings
from pysync_web.services.app_services import AppServices
from pysync_web.ui.layout import APP_NAME, app_shell
from pysync_web.ui.pages.playlists import playlists_page


def root(services: AppServices) -> None:
    app_shell({"/": partial(playlists_page, services)})


def serve(settings: Settings) -> None:
    services = AppServices.open(settings)
    url = f"http://{settings.host}:{settings.port}"

    def announce() -> None:
        print(f"{APP_NAME} is running at {url}", flush=True)
        if services.recovery_notice:
            print(f"warning: {services.recovery_notice}", flush=True)

    app.on_startup(announce)
    app.on_shutdown(services.close)
    ui.run(partial(root, services), host=settings.host, port=settings.port, title=APP_NAME,
           reload=False, show=False, show_welcome_message=False, favicon="🎧")
