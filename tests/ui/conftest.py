"""Drive the web app's pages with NiceGUI's simulated user: fast, no browser, real services."""
import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from functools import partial

import pytest
from nicegui import ElementFilter, ui
from nicegui.testing.user import User
from nicegui.testing.user_interaction import UserInteraction
from nicegui.testing.user_simulation import user_simulation

from pysync_web.config import Settings
from pysync_web.models import Platform, Playlist, PlaylistEntry, PlaylistKind, Track, TrackStatus
from pysync_web.services.app_services import AppServices
from pysync_web.store.entries import EntryRepository
from pysync_web.store.playlists import PlaylistRepository
from pysync_web.store.tracks import TrackRepository
from pysync_web.ui.app import root
from pysync_web.ui.context import AppContext
from pysync_web.ui.media import register_media_routes
from pysync_web.worker.queue import DownloadQueue


@pytest.fixture
def ui_services(ytdlp_settings: Settings) -> AppServices:
    opened = AppServices.open(ytdlp_settings)
    yield opened
    opened.close()


@pytest.fixture
async def app_user(ui_services: AppServices) -> AsyncIterator[User]:
    async with user_simulation(root=partial(root, AppContext.create(ui_services))) as user:
        yield user


@pytest.fixture
def ui_context(ui_services: AppServices) -> AppContext:
    """The AppContext behind `context_user`, for tests that check the queue a page controls."""
    return AppContext.create(ui_services)


@pytest.fixture
async def context_user(ui_context: AppContext) -> AsyncIterator[User]:
    """Like app_user, on the AppContext of the `ui_context` fixture."""
    async with user_simulation(root=partial(root, ui_context)) as user:
        yield user


@pytest.fixture
async def running_queue(ui_context: AppContext) -> AsyncIterator[DownloadQueue]:
    """The download queue of `ui_context` running as the web app runs it; stopped after the test."""
    task = asyncio.create_task(ui_context.queue.run())
    yield ui_context.queue
    await ui_context.queue.stop()
    await task


class LibrarySeed:
    """Writes playlists and tracks straight into the store: pages with exact, varied rows, fast."""

    def __init__(self, services: AppServices) -> None:
        self.services = services

    @staticmethod
    def track(n: int, **fields: object) -> Track:
        defaults = {"title": f"Song {n:05}", "artists": [f"Artist {n % 7}"], "album": f"Album {n % 3}",
                    "duration_ms": 180_000 + n * 1000, "created_at": datetime(2024, 1, 1, tzinfo=timezone.utc)}
        return Track(platform=fields.pop("platform", Platform.SPOTIFY), platform_id=f"t{n}", **{**defaults, **fields})

    def playlist(self, name: str, tracks: list[Track], platform: Platform = Platform.SPOTIFY) -> Playlist:
        """A playlist holding `tracks` in this order; tracks that are stored already are shared, not copied."""
        db = self.services.db
        with db.transaction():
            playlist = PlaylistRepository(db).add(Playlist(platform, PlaylistKind.PLAYLIST, name, f"https://x/{name}",
                                                           name, owner="DJ Test"))
            TrackRepository(db).add_many([t for t in tracks if t.id is None])
            start = datetime(2024, 2, 1, tzinfo=timezone.utc)
            EntryRepository(db).add_many([PlaylistEntry(playlist.id, t.id, i, start + timedelta(days=i))
                                          for i, t in enumerate(tracks)])
        return playlist

    def downloaded_track(self, n: int, **fields: object) -> Track:
        """A downloaded track with a real (if tiny) file in the music folder."""
        path = self.services.settings.music_path / f"Artist {n % 7} - Song {n:05}.mp3"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"ID3" + bytes(range(256)) * 8)
        return self.track(n, status=TrackStatus.DOWNLOADED, file=str(path), file_size=path.stat().st_size,
                          downloaded_at=datetime.now(timezone.utc), **fields)

    def update(self, track: Track) -> None:
        with self.services.db.transaction():
            TrackRepository(self.services.db).update(track)


@pytest.fixture
def seed(ui_services: AppServices) -> LibrarySeed:
    return LibrarySeed(ui_services)


@pytest.fixture
def media_routes(ui_context: AppContext) -> None:
    """The audio route, registered on the simulated app as serve() registers it on the real one."""
    register_media_routes(ui_context)



class TrackListDriver:
    """What a user does with the shared track list of the playlist and library pages."""

    def __init__(self, user: User) -> None:
        self.user = user

    async def open(self, path: str) -> None:
        """Open a page and wait for the list's first page: it loads once the browser is connected."""
        await self.user.open(path)
        for _ in range(100):
            with self.user.client:
                if any(ElementFilter(marker="track-row", local_scope=False)) \
                        or any(ElementFilter(marker="tracks-empty", local_scope=False)):
                    return
            await asyncio.sleep(0.05)
        raise AssertionError(f"the track list of {path} did not load")

    def titles(self) -> list[str]:
        """The titles of the rows on screen, top to bottom."""
        rows = self.user.find(marker="track-row").elements
        rows = sorted(rows, key=lambda row: row.parent_slot.children.index(row))
        return [next(e.text for e in row.descendants() if "track-title" in e._markers) for row in rows]

    async def shows(self, titles: list[str]) -> None:
        """Wait for the rows to be these (a reload after a search or filter takes a moment)."""
        for _ in range(60):
            if self.titles() == titles:
                return
            await asyncio.sleep(0.05)
        assert self.titles() == titles

    def choose(self, marker: str, label: str) -> None:
        """Pick `label` in the select marked `marker`: open it, click the option."""
        select = self.user.find(marker=marker)
        select.click()
        UserInteraction(self.user, select.elements, label).click()

    async def open_actions(self, track_id: int) -> None:
        await self.user.should_see(marker=f"track-{track_id}")
        with self.user.scope(marker=f"track-{track_id}"):
            self.user.find(marker="row-actions").click()

    def element(self, marker: str) -> ui.element:
        [element] = self.user.find(marker=marker).elements
        return element


@pytest.fixture
def track_list(context_user: User) -> TrackListDriver:
    return TrackListDriver(context_user)
