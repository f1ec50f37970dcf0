"""The shell every page shares: header and navigation once at the root, a body frame per page.

NiceGUI 3 renders sub-pages inside the root page, and a header must be a direct child of the page,
so the header lives in `app_shell` while each page opens `with frame(title):` for its title and body.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from nicegui import ui

APP_NAME = "PySync Hub"
NAVIGATION = (("Playlists", "/"),)


def app_shell(pages: dict[str, Callable[..., object]]) -> None:
    with ui.header().classes("items-center justify-between bg-primary"):
        ui.label(APP_NAME).classes("text-lg font-bold")
        with ui.row().classes("gap-1"):
            for label, target in NAVIGATION:
                ui.button(label, on_click=lambda target=target: ui.navigate.to(target)).props("flat color=white")
    ui.sub_pages(pages).classes("w-full")


@contextmanager
def frame(title: str) -> Iterator[None]:
    ui.page_title(f"{title} · {APP_NAME}")
    with ui.column().classes("w-full max-w-5xl mx-auto p-4 gap-4"):
        yield
