"""The Settings page's form: the values being edited, their inputs with inline errors, and saving.

Each input checks its value as it is typed (the settings service says what is wrong); saving checks
everything again, including what only the disk can answer, and marks every field it refused.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from nicegui import run, ui
from nicegui.elements.mixins.validation_element import ValidationElement
from nicegui.elements.mixins.value_element import ValueElement

from pysync_web.errors import PySyncError
from pysync_web.services.settings_service import SaveResult, SettingsInvalidError, SettingsService

log = logging.getLogger(__name__)

SECRET = "spotify_client_secret"
E = TypeVar("E", bound=ValueElement)


class SettingsForm:
    def __init__(self, service: SettingsService) -> None:
        self.service = service
        self.values: dict[str, Any] = {**service.form_values(), SECRET: ""}
        self._loaded = dict(self.values)  # saving sends only what was edited since, so it never undoes
        # a change made meanwhile elsewhere (downloads at once on the queue page)
        self.inputs: dict[str, ValidationElement] = {}
        self.error_labels: dict[str, ui.label] = {}  # fields edited by something that is not an input
        self.overrides = service.environment_overrides()
        self.on_saved: list[Callable[[SaveResult], None]] = []

    def field(self, name: str, element: E, hint: str | None = None) -> E:
        """Bind `element` to the value `name`, check it as it changes (inputs, selects), and say so
        when an environment variable sets it."""
        element.bind_value(self.values, name)
        if isinstance(element, ValidationElement):
            element.validation = lambda value: self.service.field_error(name, value) \
                if name != SECRET or value else None
            element.error = None  # nothing typed yet: no message
            self.inputs[name] = element
        if name in self.overrides:
            hint = f"Set by the environment variable {self.overrides[name]}, which wins again at the next start."
        if hint:
            element.props["hint"] = hint
        return element.mark(f"setting-{name}")

    def error_label(self, name: str) -> ui.label:
        """Where the error of a field without an input of its own shows (the provider list)."""
        label = ui.label().classes("text-negative text-caption").mark(f"error-{name}")
        label.set_visibility(False)
        self.error_labels[name] = label
        return label

    def show_error(self, name: str, message: str | None) -> None:
        if name in self.inputs:
            self.inputs[name].error = message
        elif name in self.error_labels:
            self.error_labels[name].set_text(message or "")
            self.error_labels[name].set_visibility(bool(message))

    async def save(self) -> None:
        for name in [*self.inputs, *self.error_labels]:
            self.show_error(name, None)
        edited = {name: value for name, value in self.values.items() if value != self._loaded.get(name)}
        try:
            result = await run.io_bound(self.service.save, edited)
        except SettingsInvalidError as invalid:
            for name, message in invalid.errors.items():
                self.show_error(name, message)
            count = len(invalid.errors)
            ui.notify(f"Nothing was saved: fix the {count} marked field{'s' * (count != 1)}.", type="negative")
            return
        except (PySyncError, OSError) as error:
            ui.notify(f"Could not save the settings: {error}", type="negative")
            return
        except Exception:
            log.exception("saving the settings failed")
            ui.notify("Could not save the settings; the log has details.", type="negative")
            return
        self.values[SECRET] = ""  # never kept in the page once saved
        self._loaded = dict(self.values)
        for handler in self.on_saved:
            handler(result)
        ui.notify(result.message, type="positive" if result.changed else "info")


@contextmanager
def section(title: str, icon: str, marker: str, caption: str | None = None) -> Iterator[None]:
    """One card of the page: a titled group of settings."""
    with ui.card().classes("w-full gap-3").props("flat bordered").mark(marker):
        with ui.row().classes("items-center gap-2 no-wrap"):
            ui.icon(icon, size="sm").classes("text-primary")
            ui.label(title).classes("text-h6")
        if caption:
            ui.label(caption).classes("text-body2 opacity-80")
        yield
