"""Settings for downloads: where audio is searched (in order), the format, file names with a live
preview, the music folder, downloads at once, and the scheduled sync."""
from __future__ import annotations

from nicegui import ui

from pysync_web.services.audio.filenames import TEMPLATE_FIELDS
from pysync_web.services.settings_checks import InvalidSetting
from pysync_web.services.settings_service import (
    AUDIO_FORMAT_CHOICES, PROVIDER_DESCRIPTIONS, SYNC_INTERVAL_CHOICES, audio_quality_choices,
)
from pysync_web.ui.pages.settings_form import SettingsForm, section
from pysync_web.worker.queue import MAX_CONCURRENCY


def downloads_section(form: SettingsForm) -> None:
    with section("Downloads", "download", "settings-downloads"):
        _providers(form)
        form.field("invidious_url", ui.input("Invidious address", placeholder="https://invidious.example.org")
                   .props("outlined clearable").classes("w-full"),
                   hint="Only for the invidious source: an instance whose API is open.")
        with ui.grid().classes("w-full gap-3 grid-cols-1 md:grid-cols-2"):
            audio_format = form.field("audio_format", ui.select(AUDIO_FORMAT_CHOICES, label="Audio format")
                                      .props("outlined"),
                                      hint="Sources already in this format are kept as they are, never re-encoded.")
            quality = form.field("audio_quality", ui.select(audio_quality_choices(audio_format.value),
                                                            label="Quality").props("outlined"),
                                 hint="For files that are converted; takes effect at once.")
            audio_format.on_value_change(lambda event: quality.set_options(audio_quality_choices(event.value or "")))
            form.field("download_concurrency", ui.number("Downloads at once", min=1, max=MAX_CONCURRENCY,
                                                         step=1, precision=0).props("outlined"),
                       hint="Takes effect at once.")
        _file_names(form)


def _providers(form: SettingsForm) -> None:
    """Which sources Spotify tracks are searched in, in order: switches plus up and down buttons."""
    enabled: list[str] = list(form.values["audio_providers"])
    order = enabled + [name for name in PROVIDER_DESCRIPTIONS if name not in enabled]

    def publish() -> None:
        form.values["audio_providers"] = [name for name in order if name in enabled]
        form.show_error("audio_providers", form.service.field_error("audio_providers", form.values["audio_providers"]))

    def toggle(name: str, on: bool) -> None:
        if on and name not in enabled:
            enabled.append(name)
        elif not on and name in enabled:
            enabled.remove(name)
        publish()

    def move(name: str, offset: int) -> None:
        index = order.index(name)
        target = max(0, min(len(order) - 1, index + offset))
        order.insert(target, order.pop(index))
        publish()
        rows.refresh()

    ui.label("Where audio for Spotify tracks is searched, in this order").classes("text-subtitle2")

    @ui.refreshable
    def rows() -> None:
        with ui.list().props("bordered separator").classes("w-full rounded-borders").mark("provider-list"):
            for place, name in enumerate(order):
                with ui.item().mark(f"provider-{name}"):
                    with ui.item_section().props("side"):
                        ui.switch(value=name in enabled, on_change=lambda e, name=name: toggle(name, e.value)) \
                            .mark(f"provider-on-{name}")
                    with ui.item_section().classes("min-w-0"):
                        title, detail = PROVIDER_DESCRIPTIONS[name]
                        ui.item_label(title)
                        ui.item_label(detail).props("caption").classes("break-anywhere")
                    with ui.item_section().props("side"):
                        with ui.row().classes("gap-0 no-wrap"):
                            ui.button(icon="arrow_upward", on_click=lambda name=name: move(name, -1)) \
                                .props("flat round").classes("w-10 h-10").set_enabled(place > 0)
                            ui.button(icon="arrow_downward", on_click=lambda name=name: move(name, 1)) \
                                .props("flat round").classes("w-10 h-10").mark(f"provider-down-{name}") \
                                .set_enabled(place < len(order) - 1)

    rows()
    form.error_label("audio_providers")


def _file_names(form: SettingsForm) -> None:
    fields = " ".join(f"{{{name}}}" for name in TEMPLATE_FIELDS)
    form.field("filename_template", ui.input("File names").props("outlined input-class=font-mono").classes("w-full"),
               hint=f"Fields: {fields}. A / makes a folder, e.g. {{playlist}}/{{artist}} - {{title}}.")
    with ui.row().classes("w-full items-center gap-2 no-wrap"):
        ui.icon("description", size="xs").classes("opacity-70")
        preview = ui.label().classes("text-body2 font-mono break-anywhere").mark("filename-preview")
    form.field("music_dir", ui.input("Music folder", placeholder=str(form.service.settings.data_dir / "music"))
               .props("outlined clearable").classes("w-full"),
               hint="Empty: the music folder in the data dir. Files already downloaded stay where they are.")

    def show_preview() -> None:
        value = {name: form.inputs[name].value for name in ("filename_template", "audio_format", "music_dir")}
        folder = value["music_dir"] or form.service.settings.data_dir / "music"
        try:
            name = form.service.filename_preview(value["filename_template"] or "", value["audio_format"] or "")
        except InvalidSetting:
            preview.set_text("")  # the template's own inline error says why
            return
        preview.set_text(f"Example: {str(folder).rstrip('/')}/{name}")

    show_preview()
    for name in ("filename_template", "audio_format", "music_dir"):
        form.inputs[name].on_value_change(show_preview)


def schedule_section(form: SettingsForm) -> None:
    with section("Scheduled sync", "schedule", "settings-schedule",
                 "While PySync Hub runs, enabled playlists are synced again on their own and new tracks are "
                 "downloaded. Each playlist counts from its own last sync."):
        choices = dict(SYNC_INTERVAL_CHOICES)
        current = form.values["sync_interval_hours"]
        if current not in choices:  # an interval set in settings.json that the list does not offer
            choices[current] = f"Every {current:g} hours"
        form.field("sync_interval_hours", ui.select(choices, label="Sync enabled playlists")
                   .props("outlined").classes("w-full sm:w-72"))
