"""The frame every page shares: header, navigation and theme, as one `with frame(title):` line."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import ui

APP_NAME = "PySync Hub"
NAVIGATION = (("Playlists", "/"),)


@contextmanager
def frame(title: str) -> Iterator[None]:
    ui.page_title(f"{title} · {APP_NAME}")
    with ui.header().classes("items-center justify-between bg-primary"):
        ui.label(APP_NAME).classes("text-lg font-bold")
        with ui.row().classes("gap-1"):
            for label, target in NAVIGATION:
                ui.button(label, on_click=lambda target=target: ui.navigate.to(target)).props("flat color=white")
    with ui.column().classes("w-full max-w-5xl mx-auto p-4 gap-4"):
        yield
