"""The shell every page shares: header, navigation, live queue indicator and theme.

NiceGUI 3 renders sub-pages inside the root page, and a header must be a direct child of the page,
so the header lives in `app_shell` while each page opens `with frame(title):` for its title and body.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from nicegui import app, ui

from pysync_web.ui.context import AppContext
from pysync_web.ui.live import LiveUpdates
from pysync_web.ui.theme import apply_theme

APP_NAME = "PySync Hub"
NAVIGATION = (("Playlists", "/", "queue_music"), ("Library", "/library", "library_music"),
              ("Queue", "/queue", "download"), ("Settings", "/settings", "settings"))
DARK_KEY = "dark_mode"


def app_shell(context: AppContext, pages: dict[str, Callable[..., Any]]) -> None:
    apply_theme()
    dark = ui.dark_mode(app.storage.user.get(DARK_KEY, False))
    with ui.header().classes("items-center justify-between px-3 py-1 bg-primary"):
        with ui.row().classes("items-center gap-2 no-wrap"):
            ui.icon("graphic_eq", size="md")
            ui.label(APP_NAME).classes("text-lg font-bold")
        with ui.row().classes("items-center gap-1 no-wrap"):
            for label, target, icon in NAVIGATION:
                ui.button(label, icon=icon, on_click=lambda target=target: ui.navigate.to(target)) \
                    .props("flat color=white no-caps").classes("gt-sm").mark(f"nav-{label.lower()}")
            _queue_indicator(context)
            _dark_toggle(dark)
            with ui.button(icon="menu").props("flat round color=white").classes("lt-md").mark("nav-menu"):
                with ui.menu():
                    for label, target, icon in NAVIGATION:
                        with ui.menu_item(on_click=lambda target=target: ui.navigate.to(target)):
                            with ui.row().classes("items-center gap-3 no-wrap"):
                                ui.icon(icon)
                                ui.label(label)
    ui.sub_pages(pages, data={"context": context}).classes("w-full")


def _queue_indicator(context: AppContext) -> None:
    """Active / queued / failed downloads, live; a click opens the queue."""
    with ui.button(on_click=lambda: ui.navigate.to("/queue")).props("flat color=white dense no-caps") \
            .mark("queue-indicator") as button:
        label = ui.label()

    def refresh(_events: object = None) -> None:
        counts = context.services.downloads.views.counts()
        label.set_text(f"⬇ {counts.active} · {counts.queued} queued"
                       + (f" · {counts.failed} failed" if counts.failed else ""))
        button.tooltip(f"{counts.active} downloading, {counts.queued} queued, {counts.failed} failed")

    refresh()
    LiveUpdates(context.services.events, refresh, interval_s=0.5)


def _dark_toggle(dark: ui.dark_mode) -> None:
    def toggle() -> None:
        dark.set_value(not dark.value)
        app.storage.user[DARK_KEY] = dark.value
        button.props(f"icon={'light_mode' if dark.value else 'dark_mode'}")

    button = ui.button(icon="light_mode" if dark.value else "dark_mode", on_click=toggle) \
        .props("flat round color=white").tooltip("Dark mode").mark("dark-toggle")


@contextmanager
def frame(title: str) -> Iterator[None]:
    ui.page_title(f"{title} · {APP_NAME}")
    with ui.column().classes("w-full max-w-6xl mx-auto p-3 sm:p-4 gap-4"):
        yield
