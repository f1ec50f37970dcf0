"""The track list of the playlist and library pages: search, filters, sort, pages of rows, live status.

Filtering, sorting and paging happen in services.catalog, so the browser holds one page of rows however
big the playlist is. Each row is its own small group of elements found by track id: a progress tick
touches one row's status badge, a finished download re-renders one row, and nothing else is re-sent.
On a phone a row is a two-line list item (title over artists, then status); the other columns are
hidden with Quasar's gt-sm class.
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace

from nicegui import run, ui
from nicegui.events import ValueChangeEventArguments

from pysync_web.models import Platform, TrackStatus
from pysync_web.services.catalog import TrackPage, TrackQuery, TrackRow, TrackSort
from pysync_web.ui.components.status_badge import STATUS_LOOK, StatusBadge
from pysync_web.formatting import track_length
from pysync_web.ui.components.track_actions import TrackActions, day_text, match_text
from pysync_web.ui.context import AppContext
from pysync_web.ui.live import LiveUpdates
from pysync_web.ui.theme import PLATFORM_COLORS, PLATFORM_ICONS
from pysync_web.worker.events import DownloadEvent, EventKind

ALL = "all"
SEARCH_DELAY_S = 0.3  # wait for a pause in typing before searching
DESCENDING_FIRST = {TrackSort.ADDED, TrackSort.MATCH}  # newest and best first
ENDS = {EventKind.DONE, EventKind.FAILED, EventKind.CANCELLED, EventKind.FILE_REMOVED}
SORT_LABELS = {TrackSort.POSITION: "Playlist order", TrackSort.ADDED: "Date added", TrackSort.TITLE: "Title",
               TrackSort.ARTIST: "Artist", TrackSort.ALBUM: "Album", TrackSort.DURATION: "Duration",
               TrackSort.STATUS: "Status", TrackSort.MATCH: "Match"}
# (heading, sort, width classes): one place for the widths, so headings line up with the cells
COLUMNS = (("Album", TrackSort.ALBUM, "w-44"), ("Time", TrackSort.DURATION, "w-12 text-right"),
           ("Added", TrackSort.ADDED, "w-24"))
FILTER_CLASSES = "grow sm:grow-0 sm:w-40 min-w-[9rem]"  # phones: two filters a line, each half the width
ROW_CLASSES = "w-full items-center no-wrap gap-3 px-2 py-1 rounded-borders hover:bg-gray-500/10"
# Tailwind's lg: starts where Quasar's gt-sm does (1024px), so widths switch together with hidden columns.
STATUS_WIDTH = "w-28 lg:w-32"
ACTIONS_WIDTH = "w-10 lg:w-[92px]"  # the play and more buttons: 40px each and a gap


class TrackList:
    def __init__(self, context: AppContext, playlist_id: int | None = None,
                 on_page: Callable[[TrackPage], None] | None = None) -> None:
        """One playlist's tracks in their order, or (without `playlist_id`) the whole library's.

        `on_page` gets every page shown, with the counts of the whole playlist, for a header to show.
        """
        self.catalog = context.services.catalog
        self.on_page = on_page
        self.in_playlist = playlist_id is not None
        first_sort = TrackSort.POSITION if self.in_playlist else TrackSort.ADDED
        self.query = TrackQuery(playlist_id=playlist_id, sort=first_sort, descending=first_sort in DESCENDING_FIRST)
        self.rows: dict[int, TrackRowView] = {}
        self._loads = 0  # only the newest of overlapping loads is shown
        self.actions = TrackActions(context, on_changed=self.refresh_track)
        with ui.column().classes("w-full gap-2").mark("track-list"):
            self._toolbar()
            with ui.row().classes("items-center gap-2"):
                self.count = ui.label().classes("text-sm text-grey-7").mark("track-count")
                self.busy = ui.spinner(size="1.2em")
                self.busy.set_visibility(False)
            self._headings()
            self.body = ui.column().classes("w-full gap-0")
            self.pager = ui.pagination(1, 1, direction_links=True, on_change=self._page_changed) \
                .props("max-pages=7 boundary-numbers").classes("self-center").mark("track-pager")
            ui.element("div").classes("h-28")  # room to scroll the last row above the player
        with self.body:
            ui.spinner(size="lg").classes("self-center my-10")
        # The first page loads once the browser is connected, in a worker thread like every later page,
        # so a 10,000-track playlist never holds up the event loop (or the HTTP response) while it is read.
        ui.timer(0, lambda: self.load(self.query), once=True)
        LiveUpdates(context.services.events, self._on_events, interval_s=0.25)

    # --- controls --------------------------------------------------------------------------------------

    def _toolbar(self) -> None:
        with ui.row().classes("w-full items-center gap-2"):
            self.search = ui.input(placeholder="Search title, artist, album", on_change=self._search_changed) \
                .props("outlined dense clearable").classes("w-full sm:w-auto grow min-w-[12rem]").mark("track-search")
            with self.search.add_slot("prepend"):
                ui.icon("search")
            statuses = {ALL: "Any status", **{s.value: STATUS_LOOK[s][0] for s in TrackStatus}}
            ui.select(statuses, value=ALL, on_change=lambda e: self._filter(
                statuses=frozenset() if e.value == ALL else frozenset({TrackStatus(e.value)}))) \
                .props("outlined dense options-dense").classes(FILTER_CLASSES).mark("status-filter")
            if not self.in_playlist:
                self._library_filters()
            sorts = {s.value: label for s, label in SORT_LABELS.items() if self.in_playlist or s != TrackSort.POSITION}
            with ui.row().classes("grow sm:grow-0 no-wrap items-center gap-1"):
                self.sort = ui.select(sorts, value=self.query.sort.value,
                                      on_change=lambda e: self._sort_by(TrackSort(e.value))) \
                    .props("outlined dense options-dense").classes(FILTER_CLASSES).mark("track-sort")
                self.direction = ui.button(on_click=lambda: self._sort_by(self.query.sort, not self.query.descending)) \
                    .props("flat round").tooltip("Reverse the order").mark("sort-direction")
            self._show_direction()

    def _library_filters(self) -> None:
        platforms = {ALL: "Any platform", **{p.value: p.label for p in Platform}}
        ui.select(platforms, value=ALL, on_change=lambda e: self._filter(
            platforms=frozenset() if e.value == ALL else frozenset({Platform(e.value)}))) \
            .props("outlined dense options-dense").classes(FILTER_CLASSES).mark("platform-filter")
        playlists = {0: "Any playlist", **{p.id: p.name for p in self.catalog.list_playlists()}}
        ui.select(playlists, value=0, on_change=lambda e: self._filter(playlist_id=e.value or None)) \
            .props("outlined dense options-dense").classes(FILTER_CLASSES).mark("playlist-filter")

    def _headings(self) -> None:
        """Column headings for wide screens; a click sorts by that column (again: reverses it)."""
        with ui.row().classes(f"{ROW_CLASSES} gt-sm text-xs uppercase text-grey-7 font-medium"):
            if self.in_playlist:
                self._heading("#", TrackSort.POSITION, "w-8 text-right")
            ui.element("div").classes("w-10 shrink-0")
            self._heading("Title", TrackSort.TITLE, "grow min-w-0")
            for heading, sort, width in COLUMNS:
                self._heading(heading, sort, f"{width} shrink-0")
            self._heading("Status", TrackSort.STATUS, f"{STATUS_WIDTH} shrink-0")
            self._heading("Match", TrackSort.MATCH, "w-20 shrink-0")
            ui.element("div").classes(f"{ACTIONS_WIDTH} shrink-0")

    def _heading(self, text: str, sort: TrackSort, classes: str) -> None:
        def clicked() -> Awaitable[None]:
            return self._sort_by(sort, not self.query.descending if sort == self.query.sort else None)

        ui.label(text).classes(f"{classes} cursor-pointer select-none").on("click", clicked)

    def _show_direction(self) -> None:
        self.direction.props(f"icon={'arrow_downward' if self.query.descending else 'arrow_upward'}")

    # --- loading pages -----------------------------------------------------------------------------------

    async def _search_changed(self, event: ValueChangeEventArguments) -> None:
        await asyncio.sleep(SEARCH_DELAY_S)
        if event.value == self.search.value:  # otherwise a later keystroke has its own turn
            await self._filter(search=(event.value or "").strip())

    async def _filter(self, **changes: object) -> None:
        await self.load(replace(self.query, page=1, **changes))

    async def _sort_by(self, sort: TrackSort, descending: bool | None = None) -> None:
        self.sort.set_value(sort.value)  # a heading click shows in the select too (its change is a no-op)
        if descending is None:  # a new column starts in its natural direction, the same one keeps its own
            descending = self.query.descending if sort == self.query.sort else sort in DESCENDING_FIRST
        if (sort, descending) != (self.query.sort, self.query.descending):
            await self.load(replace(self.query, sort=sort, descending=descending, page=1))

    async def _page_changed(self, event: ValueChangeEventArguments) -> None:
        if event.value and event.value != self.query.page:
            await self.load(replace(self.query, page=event.value))

    async def load(self, query: TrackQuery) -> None:
        """Ask the catalog in a worker thread: at 10,000 tracks a query takes a few hundred milliseconds."""
        self.query = query
        self._loads += 1
        load = self._loads
        self.busy.set_visibility(bool(self.rows))  # the first load has its big spinner in place of rows
        page = await run.io_bound(self.catalog.track_page, query)
        if page is None:  # the app is shutting down
            return
        if load == self._loads and not self.body.is_deleted:
            self.busy.set_visibility(False)
            self._show(page)

    def _show(self, page: TrackPage) -> None:
        self.query = replace(self.query, page=page.page)
        self._show_direction()
        self.pager.max = page.pages
        self.pager.update()
        self.pager.set_value(page.page)
        self.pager.set_visibility(page.pages > 1)
        first = (page.page - 1) * self.query.page_size + 1
        self.count.set_text(f"{first:,}–{first + len(page.rows) - 1:,} of {page.total:,} tracks"
                            if page.rows else "")
        self.body.clear()
        self.rows = {}
        with self.body:
            if not page.rows:
                self._empty_state()
            for row in page.rows:
                self.rows[row.track.id] = TrackRowView(row, self.actions, self.in_playlist)
        if self.on_page is not None:
            self.on_page(page)

    def _empty_state(self) -> None:
        filtered = self.query.search or self.query.statuses or self.query.platforms or (
            not self.in_playlist and self.query.playlist_id)
        with ui.column().classes("w-full items-center py-10 gap-2 text-grey-7").mark("tracks-empty"):
            ui.icon("search_off" if filtered else "library_music", size="xl")
            if filtered:
                ui.label("No track matches the search and filters.")
            elif self.in_playlist:
                ui.label("This playlist has no tracks yet: sync it to fetch them.")
            else:
                ui.label("The library is empty: add a playlist on the Playlists page.")
                ui.link("Go to Playlists", "/")

    # --- live updates ---------------------------------------------------------------------------------------

    def _on_events(self, events: list[DownloadEvent]) -> None:
        """Only rows on this page change: a badge follows progress, an ended download re-reads its row."""
        ended: set[int] = set()
        for event in events:
            row = self.rows.get(event.track_id) if event.track_id is not None else None
            if row is None:
                continue
            if event.kind in ENDS:
                ended.add(row.row.track.id)
            else:
                row.badge.apply(event)
        for track_id in ended:
            self.refresh_track(track_id)

    def refresh_track(self, track_id: int) -> None:
        row = self.rows.get(track_id)
        if row is None:
            return
        track = self.catalog.track(track_id)
        if track is None:  # removed with its playlist meanwhile
            row.element.delete()
            del self.rows[track_id]
        else:
            row.render(replace(row.row, track=track))


class TrackRowView:
    """One track's row, rendered into its own container so it can be re-rendered alone."""

    def __init__(self, row: TrackRow, actions: TrackActions, show_position: bool) -> None:
        self.actions = actions
        self.show_position = show_position
        self.element = ui.row().classes(ROW_CLASSES).mark("track-row", f"track-{row.track.id}")
        self.render(row)

    def render(self, row: TrackRow) -> None:
        self.row = row
        track = row.track
        self.element.clear()
        with self.element:
            if self.show_position:
                ui.label(str(row.position or "")).classes("gt-sm w-8 shrink-0 text-right text-grey-6 text-sm")
            if track.cover_url:
                ui.image(track.cover_url).props("loading=lazy no-spinner").classes("w-10 h-10 shrink-0 rounded")
            else:
                ui.icon(PLATFORM_ICONS[track.platform], size="md").classes("w-10 shrink-0") \
                    .style(f"color: {PLATFORM_COLORS[track.platform]}")
            with ui.column().classes("grow min-w-0 gap-0"):
                ui.label(track.title).classes("w-full truncate font-medium").mark("track-title")
                ui.label(", ".join(track.artists)).classes("w-full truncate text-sm text-grey-7")
            ui.label(track.album).classes(f"gt-sm {COLUMNS[0][2]} shrink-0 truncate text-sm")
            ui.label(track_length(track.duration_ms)).classes(f"gt-sm {COLUMNS[1][2]} shrink-0 text-sm")
            ui.label(day_text(row.added_at)).classes(f"gt-sm {COLUMNS[2][2]} shrink-0 text-sm text-grey-7")
            self.badge = StatusBadge(track.status, track.error).classes(f"{STATUS_WIDTH} shrink-0").mark("track-status")
            score, color = match_text(track)
            ui.label(score).classes(f"gt-sm w-20 shrink-0 text-sm {color}").mark("track-match")
            with ui.row().classes(f"{ACTIONS_WIDTH} shrink-0 justify-end no-wrap gap-3"):
                if track.status == TrackStatus.DOWNLOADED:
                    ui.button(icon="play_arrow", on_click=lambda: self.actions.play(track)) \
                        .props("flat round").classes("gt-sm").mark("row-play")
                ui.button(icon="more_vert", on_click=lambda: self.actions.open(track.id)) \
                    .props("flat round").mark("row-actions")
