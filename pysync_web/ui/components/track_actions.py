"""What a user can do with one track, shared by the playlist and library pages.

One dialog per page (the track's details, then the source chooser or the delete confirmation in its
place) and one player, rebuilt for the track at hand: a page of fifty rows carries two small buttons per
row instead of fifty copies of every menu. The small formatters here are shared with the track list.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from nicegui import run, ui

from pysync_web.formatting import file_size, track_length
from pysync_web.errors import PySyncError
from pysync_web.models import Track, TrackStatus
from pysync_web.services.matching import ACCEPT_THRESHOLD, STRONG_THRESHOLD
from pysync_web.ui.components.platform_badge import platform_badge
from pysync_web.ui.components.status_badge import StatusBadge
from pysync_web.ui.context import AppContext
from pysync_web.ui.media import media_url

log = logging.getLogger(__name__)
NOT_DONE = object()  # what `run_blocking` returns when the action failed and the user was told


async def run_blocking(action: Callable[..., Any], *args: Any) -> Any:
    """Run a blocking service call in a worker thread. A failure is told to the user (a PySyncError in its
    own words, a bug as a short message while the log gets the traceback) and gives NOT_DONE."""
    try:
        return await run.io_bound(action, *args)
    except PySyncError as error:
        ui.notify(str(error), type="negative", multi_line=True)
    except Exception:
        log.exception("%s failed", getattr(action, "__qualname__", action))
        ui.notify("That did not work because of an unexpected error; the log has the details.", type="negative")
    return NOT_DONE


def day_text(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d") if moment else ""


def match_text(track: Track) -> tuple[str, str]:
    """The match confidence as shown, and its Quasar text colour; empty when nothing was matched."""
    if track.source_locked:
        return "set by hand", "text-grey-6"
    if track.match_score is None:
        return "", ""
    if track.match_score >= STRONG_THRESHOLD:
        return f"{track.match_score:.0%}", "text-positive"
    return f"{track.match_score:.0%} weak", "text-warning"


class AudioPlayer:
    """Pinned to the bottom of the screen; the browser streams the file from the media route."""

    def __init__(self) -> None:
        with ui.page_sticky("bottom", 0, 12, expand=True).classes("px-3 z-10"):
            with ui.card().classes("w-full max-w-2xl mx-auto p-2 gap-1 shadow-lg").mark("player") as self.card:
                with ui.row().classes("w-full items-center no-wrap gap-2"):
                    ui.icon("music_note", size="sm", color="primary")
                    self.title = ui.label().classes("grow min-w-0 truncate font-medium").mark("player-title")
                    ui.button(icon="close", on_click=self.stop).props("flat round").mark("player-close")
                self.audio = ui.audio("", autoplay=True).classes("w-full").mark("track-audio")
        self.card.set_visibility(False)

    def play(self, track: Track) -> None:
        self.title.set_text(" – ".join(filter(None, (", ".join(track.artists), track.title))))
        self.audio.set_source(media_url(track.id))
        self.card.set_visibility(True)
        self.audio.play()

    def stop(self) -> None:
        self.audio.pause()
        self.card.set_visibility(False)


class TrackActions:
    """Play, retry, choose the source, delete the file; `on_changed(track_id)` lets the page re-read a row."""

    def __init__(self, context: AppContext, on_changed: Callable[[int], None]) -> None:
        self.catalog = context.services.catalog
        self.downloads = context.services.downloads
        self.files = context.services.track_files
        self.on_changed = on_changed
        self.player = AudioPlayer()
        with ui.dialog() as self.dialog, ui.card().classes("w-full max-w-lg gap-3").mark("track-dialog"):
            self.body = ui.column().classes("w-full gap-3")

    def play(self, track: Track) -> None:
        self.dialog.close()
        self.player.play(track)

    def open(self, track_id: int) -> None:
        track = self.catalog.track(track_id)
        if track is None:
            ui.notify("This track is no longer in the library.", type="warning")
            return
        self.body.clear()
        with self.body:
            self._details(track)
        self.dialog.open()

    def _details(self, track: Track) -> None:
        with ui.row().classes("w-full items-start no-wrap gap-3"):
            if track.cover_url:
                ui.image(track.cover_url).classes("w-16 h-16 rounded shrink-0")
            with ui.column().classes("grow min-w-0 gap-0"):
                ui.label(track.title).classes("text-lg font-medium break-anywhere")
                ui.label(", ".join(track.artists)).classes("text-grey-7 break-anywhere")
                if track.album:
                    ui.label(track.album).classes("text-sm text-grey-6 break-anywhere")
            ui.button(icon="close", on_click=self.dialog.close).props("flat round")
        with ui.row().classes("items-center gap-2"):
            platform_badge(track.platform)
            StatusBadge(track.status, track.error)
            score, color = match_text(track)
            if score:
                ui.label(f"match {score}").classes(f"text-sm {color}")
        if track.error and track.status == TrackStatus.FAILED:
            ui.label(track.error).classes("text-negative text-sm break-anywhere").mark("track-error")
        with ui.column().classes("gap-1 text-sm w-full"):
            if track.source_url:
                ui.link(f"Source: {track.source_url}", track.source_url, new_tab=True).classes("break-anywhere")
            if track.url:
                ui.link(f"Open on {track.platform.label}", track.url, new_tab=True)
            if track.file:
                ui.label(f"{track.file} · {file_size(track.file_size)}").classes("text-grey-7 break-anywhere")
        downloaded = track.status == TrackStatus.DOWNLOADED
        in_queue = track.status in (TrackStatus.QUEUED, TrackStatus.DOWNLOADING)
        with ui.row().classes("w-full gap-2"):
            if downloaded:
                ui.button("Play", icon="play_arrow", on_click=lambda: self.play(track)).mark("track-play")
            if not in_queue:
                ui.button("Download again" if downloaded else "Retry", icon="refresh",
                          on_click=lambda: self._retry(track)).props("outline").mark("track-retry")
            ui.button("Choose source…", icon="link", on_click=lambda: self._show_sources(track)) \
                .props("outline").mark("track-choose-source")
            if track.file and not in_queue:
                ui.button("Delete file", icon="delete", on_click=lambda: self._confirm_delete(track)) \
                    .props("outline color=negative").mark("track-delete")

    async def _retry(self, track: Track) -> None:
        job = await run_blocking(self.files.retry, track.id)
        if job is NOT_DONE:
            return
        ui.notify(f"Queued {track.title}" if job else f"{track.title} is already in the queue",
                  type="positive" if job else "info")
        self._done(track.id)

    def _confirm_delete(self, track: Track) -> None:
        self.body.clear()
        with self.body:
            ui.label("Delete this file?").classes("text-lg font-medium")
            ui.label(track.file or "").classes("text-sm text-grey-7 break-anywhere")
            ui.label("The track stays in the library. A playlist that downloads automatically fetches it "
                     "again at its next sync.").classes("text-sm")
            again = ui.checkbox("Download it again now").mark("delete-download-again")
            with ui.row().classes("w-full justify-end gap-2"):
                ui.button("Keep it", on_click=lambda: self.open(track.id)).props("flat")
                ui.button("Delete", icon="delete", color="negative",
                          on_click=lambda: self._delete(track, again.value)).mark("confirm-delete")

    async def _delete(self, track: Track, download_again: bool) -> None:
        if await run_blocking(self.files.delete_file, track.id, download_again) is NOT_DONE:
            return
        ui.notify(f"Deleted the file of {track.title}" + (" and queued it again" if download_again else ""),
                  type="positive")
        self._done(track.id)

    def _show_sources(self, track: Track) -> None:
        self.body.clear()
        with self.body:
            SourceChooser(track, on_choose=lambda url: self._set_source(track, url),
                          on_back=lambda: self.open(track.id))

    async def _set_source(self, track: Track, url: str) -> None:
        if await run_blocking(self.downloads.set_source_url, track.id, url) is NOT_DONE:
            return
        ui.notify(f"Downloading {track.title} from the chosen source", type="positive")
        self._done(track.id)

    def _done(self, track_id: int) -> None:
        self.dialog.close()
        self.on_changed(track_id)



class SourceChooser(ui.column):
    """The candidates the matcher saw, best first, each with its score and why; or any link by hand."""

    def __init__(self, track: Track, on_choose: Callable[[str], Any], on_back: Callable[[], None]) -> None:
        super().__init__()
        self.classes("w-full gap-2")
        with self:
            with ui.row().classes("w-full items-center no-wrap gap-2"):
                ui.button(icon="arrow_back", on_click=on_back).props("flat round")
                ui.label(f"Source for {track.title}").classes("text-lg font-medium grow min-w-0 truncate")
            candidates = sorted(track.candidates, key=lambda c: c.get("score") or 0, reverse=True)
            if candidates:
                with ui.list().props("bordered separator").classes("w-full max-h-96 overflow-y-auto"):
                    for candidate in candidates:
                        self._candidate(candidate, track.source_url, on_choose)
            else:
                ui.label("The matcher has not searched for this track (only Spotify tracks are matched). "
                         "Paste the link of a page with its audio below.").classes("text-sm text-grey-7")
            url = ui.input("Link to the audio", placeholder="https://www.youtube.com/watch?v=…") \
                .props("outlined dense clearable").classes("w-full").mark("source-url")
            ui.button("Use this link", icon="check", on_click=lambda: on_choose(url.value or "")) \
                .classes("self-end").mark("use-source-url")

    @staticmethod
    def _candidate(candidate: dict[str, Any], current: str | None, on_choose: Callable[[str], Any]) -> None:
        link = candidate.get("page_url") or candidate.get("url") or ""
        score = float(candidate.get("score") or 0)
        color = "text-positive" if score >= STRONG_THRESHOLD else "text-warning" if score >= ACCEPT_THRESHOLD \
            else "text-negative"
        facts = [candidate.get("channel"), candidate.get("provider") or candidate.get("source"),
                 track_length(int(float(candidate.get("duration") or 0) * 1000)),
                 f"{int(candidate['views']):,} views" if candidate.get("views") else None]
        with ui.item().classes("w-full"):
            with ui.item_section():
                ui.link(candidate.get("title") or link, link, new_tab=True).classes("break-anywhere")
                ui.item_label(" · ".join(str(f) for f in facts if f)).props("caption")
                if candidate.get("reasons"):
                    ui.item_label("; ".join(candidate["reasons"])).props("caption").classes("break-anywhere")
            with ui.item_section().props("side").classes("items-end gap-1"):
                ui.label(f"{score:.0%}").classes(f"font-medium {color}")
                if candidate.get("url") == current:
                    ui.label("current").classes("text-xs text-grey-6")
                else:
                    ui.button("Use", on_click=lambda: on_choose(str(candidate.get("url") or ""))) \
                        .props("outline dense").classes("min-h-[40px]").mark("use-candidate")
