"""What a user can do to playlists from the playlists page; each action says what happened.

Blocking work runs in a worker thread through `attempt`; afterwards the page redraws only what the
action changed: row states after a sync or download, the whole tree after a remove or a move.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Literal

from nicegui import ui

from pysync_web.services.playlists import SyncOutcome, SyncResult
from pysync_web.ui.pages.playlists_dialogs import attempt

if TYPE_CHECKING:
    from pysync_web.ui.pages.playlists import PlaylistsPage

NotifyType = Literal["positive", "warning", "info"]


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def sync_message(result: SyncResult) -> str:
    counts = ((result.added, "new"), (result.removed, "removed"), (result.updated, "updated"))
    changes = ", ".join(f"{count} {text}" for count, text in counts if count)
    name = result.playlist.name
    message = f"Synced {name}: {changes}" if changes and not result.unchanged else f"{name} is up to date"
    if result.skipped.total:
        message += f" ({result.skipped.total} unavailable on the platform skipped)"
    return message + "."


def sync_many_message(outcomes: Sequence[SyncOutcome]) -> tuple[str, NotifyType]:
    """The notification text and its type for a multi-playlist sync."""
    if not outcomes:
        return "Nothing to sync: there are no enabled playlists.", "info"
    failed = [o for o in outcomes if o.error is not None]
    added = sum(o.result.added for o in outcomes if o.result is not None)
    message = f"Synced {plural(len(outcomes) - len(failed), 'playlist')}: {plural(added, 'new track')}."
    if failed:
        names = ", ".join(o.playlist.name for o in failed[:3]) + ("…" if len(failed) > 3 else "")
        return f"{message} {len(failed)} failed ({names}); their rows say why.", "warning"
    return message, "positive"


class PlaylistActions:
    def __init__(self, page: PlaylistsPage):
        self.page = page
        self.services = page.services

    def select(self, playlist_id: int, selected: bool) -> None:
        self.page.select(playlist_id, selected)

    def name_of(self, playlist_id: int) -> str:
        row = self.page.rows.get(playlist_id)
        return row.state.name if row is not None else f"playlist {playlist_id}"

    async def sync(self, playlist_id: int) -> None:
        if playlist_id in self.page.syncing_here:
            return
        self.page.syncing_here.add(playlist_id)
        await self.page.refresh_rows()  # "syncing" at once, not on the next poll
        try:
            outcome = await attempt(self.services.playlists.sync, playlist_id)
        finally:
            self.page.syncing_here.discard(playlist_id)
        await self.page.refresh_rows()
        if outcome.ok:
            ui.notify(sync_message(outcome.value), type="positive")

    async def sync_many(self, playlist_ids: list[int] | None) -> None:
        """Every enabled playlist with None; rows show "syncing" as each one starts (the page polls)."""
        outcome = await attempt(self.services.playlists.sync_many, playlist_ids)
        await self.page.refresh_rows()
        if outcome.ok:
            message, kind = sync_many_message(outcome.value)
            ui.notify(message, type=kind, multi_line=True)

    async def download(self, playlist_id: int) -> None:
        outcome = await attempt(self.services.downloads.enqueue_missing, [playlist_id])
        if not outcome.ok:
            return
        name = self.name_of(playlist_id)
        if outcome.value:
            ui.notify(f"Queued {plural(len(outcome.value), 'track')} of {name}.", type="positive")
        else:
            ui.notify(f"Nothing to download: every track of {name} has a file or is queued.", type="info")
        await self.page.refresh_rows()

    async def cancel(self, playlist_id: int) -> None:
        outcome = await attempt(self.page.context.queue.cancel_playlist, playlist_id)
        if outcome.ok:
            name = self.name_of(playlist_id)
            ui.notify(f"Cancelled {plural(outcome.value, 'download')} of {name}." if outcome.value
                      else f"{name} has no downloads to cancel.", type="info")
            await self.page.refresh_rows()

    async def set_enabled(self, playlist_id: int, enabled: bool) -> None:
        name = self.name_of(playlist_id)
        outcome = await attempt(partial(self.services.playlists.update_options, playlist_id, enabled=enabled))
        if outcome.ok:
            ui.notify(f"{name} is enabled again." if enabled
                      else f"{name} is disabled: Sync all skips it until you switch it back on.", type="info")
        self.page.rebuild()

    async def move(self, playlist_id: int) -> None:
        tree = self.page.tree
        paths = tree.folder_paths()
        name = self.name_of(playlist_id)
        if not paths:
            ui.notify("There are no folders yet: make one with New folder first.", type="info")
            return
        current = next((p.folder_id for p in tree.playlists if p.id == playlist_id), None)
        chosen, folder_id = await self.page.dialogs.choose(f"Move {name} to", [(None, "Top level"), *paths], current)
        if not chosen or folder_id == current:
            return
        outcome = await attempt(self.services.folders.move_playlist, playlist_id, folder_id)
        if outcome.ok:
            ui.notify(f"Moved {name} to {dict(paths).get(folder_id, 'the top level')}.", type="positive")
            self.page.rebuild()

    async def remove(self, playlist_id: int) -> None:
        name = self.name_of(playlist_id)
        if not await self.page.dialogs.confirm(
                f"Remove {name}?", "PySync Hub stops syncing it and forgets its track list. "
                "Files already downloaded stay in your music folder.", "Remove"):
            return
        outcome = await attempt(self.services.playlists.remove, playlist_id)
        if outcome.ok:
            ui.notify(f"Removed {name}. Its downloaded files are still in your music folder.", type="positive")
            self.page.rebuild()

    async def remove_many(self, playlist_ids: list[int]) -> None:
        if not playlist_ids or not await self.page.dialogs.confirm(
                f"Remove {plural(len(playlist_ids), 'playlist')}?",
                ", ".join(self.name_of(i) for i in playlist_ids[:5]) + ("…" if len(playlist_ids) > 5 else "")
                + ". Files already downloaded stay in your music folder.", "Remove"):
            return
        removed = 0
        for playlist_id in playlist_ids:
            removed += (await attempt(self.services.playlists.remove, playlist_id)).ok
        ui.notify(f"Removed {plural(removed, 'playlist')}.", type="positive")
        self.page.rebuild()
