"""Feedback for the playlists page: blocking service calls that report their own errors, and dialogs.

Every action on the page goes through `attempt`, so a failure always reaches the user as one plain
sentence (a PySyncError's own message) and never as a traceback, and no store write or HTTP call
ever runs on the event loop.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from nicegui import run, ui

from pysync_web.errors import PySyncError

log = logging.getLogger(__name__)
T = TypeVar("T")
UNEXPECTED = "Something went wrong; the details are in the log. Try again, and report it if it keeps happening."


@dataclass(frozen=True)
class Attempt(Generic[T]):
    ok: bool
    value: T  # what `work` returned; meaningless when not ok


FAILED: Attempt[Any] = Attempt(False, None)


async def attempt(work: Callable[..., T], *args: Any) -> Attempt[T]:
    """Run `work` in a worker thread; on failure tell the user why and return FAILED."""
    try:
        return Attempt(True, await run.io_bound(work, *args))  # type: ignore[arg-type]  # None only at shutdown
    except PySyncError as error:
        ui.notify(str(error), type="negative", multi_line=True)
    except Exception:  # a bug: logged in full, the user gets a short message and the page keeps working
        log.exception("playlists page: %s failed", getattr(work, "__qualname__", work))
        ui.notify(UNEXPECTED, type="negative")
    return FAILED


class Dialogs:
    """Dialogs opened from the page. They live in one element made at page level: one opened from a
    menu item must outlive the menu, whose content Quasar unmounts as soon as it closes."""

    def __init__(self) -> None:
        self.host = ui.element().style("display: contents")

    async def confirm(self, question: str, detail: str, action: str) -> bool:
        with self.host, ui.dialog() as dialog, ui.card().classes("w-full max-w-md").mark("confirm-dialog"):
            ui.label(question).classes("text-h6 break-anywhere")
            ui.label(detail).classes("text-body2")
            _buttons("confirm", lambda: dialog.submit(False), action, lambda: dialog.submit(True), "negative")
        return bool(await self._open(dialog))

    async def ask_name(self, title: str, value: str = "", action: str = "Save") -> str | None:
        """A name typed by the user, or None when they cancel."""
        with self.host, ui.dialog() as dialog, ui.card().classes("w-full max-w-md").mark("name-dialog"):
            ui.label(title).classes("text-h6")
            name = ui.input("Name", value=value).props("outlined autofocus").classes("w-full").mark("name-input")
            name.on("keydown.enter", lambda: dialog.submit(name.value))
            _buttons("name", lambda: dialog.submit(None), action, lambda: dialog.submit(name.value))
        return await self._open(dialog)

    async def choose(self, title: str, choices: Sequence[tuple[Any, str]], current: Any,
                     action: str = "Move") -> tuple[bool, Any]:
        """(True, chosen value) or (False, None) when cancelled; a value may be None ("top level")."""
        with self.host, ui.dialog() as dialog, ui.card().classes("w-full max-w-md").mark("choose-dialog"):
            ui.label(title).classes("text-h6 break-anywhere")
            select = ui.select(dict(choices), value=current).props("outlined").classes("w-full") \
                .mark("choose-select")
            _buttons("choose", lambda: dialog.submit(None), action, lambda: dialog.submit((True, select.value)))
        return await self._open(dialog) or (False, None)

    async def _open(self, dialog: ui.dialog) -> Any:
        try:
            return await dialog
        finally:
            dialog.delete()


def _buttons(marker: str, cancel: Callable[[], Any], action: str, act: Callable[[], Any],
             color: str = "primary") -> None:
    """Cancel and the action, at the dialog's bottom right; marked `<marker>-cancel` and `<marker>-ok`."""
    with ui.row().classes("w-full justify-end gap-2"):
        ui.button("Cancel", on_click=cancel, color=None).props("flat no-caps").mark(f"{marker}-cancel")
        ui.button(action, on_click=act, color=color).props("no-caps").mark(f"{marker}-ok")
