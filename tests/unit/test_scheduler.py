"""The scheduled sync's timing: off at 0, each playlist due an interval after its last sync or its last
scheduled attempt, disabled playlists left alone, and the loop running on its own with a tiny interval."""
import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from pysync_web.config import Settings
from pysync_web.errors import PySyncError
from pysync_web.services.playlists import SyncOutcome
from pysync_web.worker.scheduler import SyncScheduler

START = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


@dataclass
class StubPlaylist:
    id: int
    name: str
    last_synced: datetime | None
    enabled: bool = True


@dataclass
class StubRepository:
    items: list[StubPlaylist]

    def list(self) -> list[StubPlaylist]:
        return self.items


@dataclass
class StubPlaylistService:
    """What the scheduler uses of PlaylistService; a sync succeeds unless the playlist is in `failing`."""

    playlists: StubRepository
    clock: "Clock"
    failing: set[int] = field(default_factory=set)
    calls: list[list[int]] = field(default_factory=list)

    def is_effectively_enabled(self, playlist: StubPlaylist) -> bool:
        return playlist.enabled

    def sync_many(self, playlist_ids: list[int]) -> list[SyncOutcome]:
        self.calls.append(list(playlist_ids))
        outcomes = []
        for playlist in self.playlists.items:
            if playlist.id not in playlist_ids:
                continue
            if playlist.id in self.failing:
                outcomes.append(SyncOutcome(playlist, error=PySyncError("feed is down")))
            else:
                playlist.last_synced = self.clock()
                outcomes.append(SyncOutcome(playlist))
        return outcomes


class Clock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def make(hours: float, *playlists: StubPlaylist) -> tuple[SyncScheduler, StubPlaylistService, Clock]:
    clock = Clock()
    service = StubPlaylistService(StubRepository(list(playlists)), clock)
    return SyncScheduler(service, Settings(sync_interval_hours=hours), clock=clock), service, clock


def test_off_when_the_interval_is_zero():
    scheduler, service, clock = make(0, StubPlaylist(1, "a", START - timedelta(days=30)))
    assert asyncio.run(scheduler.sync_due()) == []
    assert service.calls == []


def test_each_playlist_is_due_an_interval_after_its_own_last_sync():
    scheduler, service, clock = make(
        6, StubPlaylist(1, "old", START - timedelta(hours=7)), StubPlaylist(2, "fresh", START - timedelta(hours=1)),
        StubPlaylist(3, "off", START - timedelta(days=9), enabled=False), StubPlaylist(4, "never", None))
    asyncio.run(scheduler.sync_due())
    assert service.calls == [[1, 4]]

    clock.advance(hours=5)
    asyncio.run(scheduler.sync_due())
    assert service.calls == [[1, 4], [2]]

    clock.advance(minutes=1)
    asyncio.run(scheduler.sync_due())
    assert service.calls == [[1, 4], [2]]  # nothing due yet


def test_a_failing_playlist_is_tried_once_per_interval_not_at_every_check():
    scheduler, service, clock = make(1, StubPlaylist(1, "down", START - timedelta(hours=2)))
    service.failing.add(1)
    outcomes = asyncio.run(scheduler.sync_due())
    assert [str(o.error) for o in outcomes] == ["feed is down"]
    clock.advance(minutes=30)
    asyncio.run(scheduler.sync_due())
    assert service.calls == [[1]]
    clock.advance(minutes=31)
    asyncio.run(scheduler.sync_due())
    assert service.calls == [[1], [1]]


def test_a_changed_interval_applies_at_the_next_check():
    scheduler, service, clock = make(0, StubPlaylist(1, "a", START - timedelta(hours=2)))
    asyncio.run(scheduler.sync_due())
    scheduler.settings.sync_interval_hours = 1
    asyncio.run(scheduler.sync_due())
    assert service.calls == [[1]]


def test_the_loop_syncs_on_schedule_until_stopped():
    settings = Settings(sync_interval_hours=0.2 / 3600)  # every 0.2 s
    playlist = StubPlaylist(1, "a", datetime.now(timezone.utc))
    service = StubPlaylistService(StubRepository([playlist]), lambda: datetime.now(timezone.utc))
    scheduler = SyncScheduler(service, settings, check_every_s=0.02)

    async def run_for(seconds: float) -> None:
        task = asyncio.create_task(scheduler.run())
        await asyncio.sleep(seconds)
        scheduler.stop()
        await asyncio.wait_for(task, timeout=1)

    asyncio.run(run_for(0.1))
    assert service.calls == []  # synced just now: not due yet
    asyncio.run(run_for(0.9))
    assert 2 <= len(service.calls) <= 5


def test_the_loop_does_nothing_when_off():
    playlist = StubPlaylist(1, "a", START - timedelta(days=30))
    service = StubPlaylistService(StubRepository([playlist]), Clock())
    scheduler = SyncScheduler(service, Settings(sync_interval_hours=0), check_every_s=0.01)

    async def run_briefly() -> None:
        task = asyncio.create_task(scheduler.run())
        await asyncio.sleep(0.2)
        scheduler.stop()
        await asyncio.wait_for(task, timeout=1)

    asyncio.run(run_briefly())
    assert service.calls == []
