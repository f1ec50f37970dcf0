"""The Export menu of the playlists page: write the library for DJ software, say where it went, and
offer single-file formats for download (the app often runs on another machine than the browser)."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial

from nicegui import ui

from pysync_web.services.exports import ExportFormat, ExportResult, ExportService
from pysync_web.ui.pages.playlists_actions import plural
from pysync_web.ui.pages.playlists_dialogs import Dialogs, attempt

WARNINGS_SHOWN = 5  # hundreds of "no file yet" lines would bury the answer


class ExportMenu:
    """The menu of formats; open it from a button (the page's toolbar draws that)."""

    def __init__(self, exports: ExportService, selected: Callable[[], list[int]], dialogs: Dialogs):
        self.exports = exports
        self.selected = selected
        self.dialogs = dialogs
        with ui.menu():
            ui.item_label("The selected playlists, or every enabled one").props("header").classes("text-caption")
            for export_format in ExportFormat:
                ui.menu_item(export_format.label, partial(self.export, export_format)) \
                    .mark(f"export-{export_format.value}")

    async def export(self, export_format: ExportFormat) -> None:
        outcome = await attempt(self.exports.export, export_format, None, self.selected() or None)
        if outcome.ok:
            await self._show(outcome.value)

    async def _show(self, result: ExportResult) -> None:
        single_file = result.format.default_file_name is not None
        where = result.paths[0] if single_file and result.paths else \
            (result.paths[0].parent if result.paths else self.exports.default_destination(result.format))
        with self.dialogs.host, ui.dialog() as dialog, ui.card().classes("w-full max-w-lg").mark("export-dialog"):
            ui.label(f"Exported {result.format.label}").classes("text-h6")
            ui.label(f"{plural(result.playlists, 'playlist')} and {plural(result.tracks, 'track')}, written to")
            ui.label(str(where)).classes("font-mono text-body2 break-anywhere").mark("export-path")
            if result.warnings:
                more = len(result.warnings) - WARNINGS_SHOWN
                with ui.expansion(f"{plural(len(result.warnings), 'track')} left out", icon="warning") \
                        .classes("w-full").props("dense"):
                    for warning in result.warnings[:WARNINGS_SHOWN]:
                        ui.label(warning).classes("text-caption break-anywhere")
                    if more > 0:
                        ui.label(f"… and {more} more").classes("text-caption")
            with ui.row().classes("w-full justify-end gap-2"):
                if single_file and result.paths:
                    ui.button("Download", icon="download", on_click=lambda: ui.download.file(result.paths[0])) \
                        .props("flat no-caps").mark("export-download")
                ui.button("Close", on_click=dialog.close).props("no-caps").mark("export-close")
        try:
            await dialog
        finally:
            dialog.delete()
