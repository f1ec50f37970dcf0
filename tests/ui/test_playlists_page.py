"""The playlists page through a simulated browser: adding, the folder tree, row actions and live rows.

Feeds come from the fake podcast host; the download queue runs only in the tests that ask for
`running_queue`, so elsewhere queued jobs stay queued where a test can see them.
"""
import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path

from nicegui import ui

from pysync_web.models import Folder, JobStatus, Platform, Playlist, PlaylistKind
from pysync_web.services.app_services import AppServices
from pysync_web.services.catalog import PlaylistSummary
from pysync_web.services.download.queue_views import PlaylistActivity
from pysync_web.services.folders import FolderTree
from pysync_web.services.playlists import PlaylistOptions
from pysync_web.ui.pages.playlists import EMPTY_HINT
from pysync_web.ui.pages.playlists_state import RowStatus, row_states

WAIT = 50  # retries of 0.1 s: enough for a worker-thread call to the fake feed host


def one(user, marker: str) -> ui.element:
    [element] = user.find(marker=marker).elements
    return element


def text_of(user, marker: str) -> str:
    return one(user, marker).text


async def see_text(user, marker: str, expected: str, retries: int = WAIT) -> None:
    """Wait until an element with this marker shows exactly `expected` (rows update asynchronously)."""
    seen: list[str | None] = []
    for _ in range(retries):
        try:
            seen = [getattr(e, "text", None) for e in user.find(marker=marker).elements]
        except AssertionError:  # not on the page (yet)
            seen = []
        if expected in seen:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{marker} never said {expected!r}; it says {seen}")


def age(services: AppServices, playlist_id: int, hours: int) -> None:
    """Pretend the playlist was last synced `hours` ago."""
    playlist = services.playlists.get(playlist_id)
    playlist.last_synced = datetime.now(timezone.utc) - timedelta(hours=hours)
    with services.db.transaction():
        services.playlists.playlists.update(playlist)


def add_feed(services: AppServices, fake_feeds, path: str, episodes: int, title: str, **options) -> int:
    url = fake_feeds.publish(path, episodes, title=title)
    return services.playlists.add(url, PlaylistOptions(**options)).playlist.id


# --- adding -------------------------------------------------------------------------------------------

async def test_empty_library_tells_what_to_do(app_user):
    await app_user.open("/")
    await app_user.should_see(EMPTY_HINT)


async def test_add_a_feed_through_the_page(app_user, ui_services, fake_feeds):
    url = fake_feeds.publish("/show.rss", 3, title="Night Shift")
    fake_feeds.server.latency_s = 0.3  # long enough to see the spinner
    await app_user.open("/")
    app_user.find(marker="playlist-url").type(url)
    app_user.find(marker="add-playlist").click()
    await app_user.should_see("Reading the playlist", retries=10)
    assert one(app_user, "add-playlist").props.get("loading")
    await app_user.should_see("Added Night Shift: 3 tracks, downloading them now.", retries=WAIT)
    [summary] = ui_services.catalog.playlist_summaries()
    pid = summary.playlist.id
    await see_text(app_user, f"counts-{pid}", "0 / 3 files")
    await see_text(app_user, f"status-{pid}", "3 queued")
    assert not one(app_user, "add-playlist").props.get("loading")
    assert one(app_user, "playlist-url").value == ""
    await app_user.should_not_see(EMPTY_HINT)
    assert one(app_user, f"open-{pid}").props["href"] == f"/playlist/{pid}"
    assert one(app_user, f"source-{pid}").props["href"] == url


async def test_bad_link_shows_an_inline_error_and_adds_nothing(app_user, ui_services):
    await app_user.open("/")
    app_user.find(marker="playlist-url").type("https://example.com/nothing")
    app_user.find(marker="add-playlist").click()
    await app_user.should_see("not a supported site", retries=WAIT)
    assert one(app_user, "add-error").visible
    assert ui_services.catalog.playlist_summaries() == []


async def test_add_options_limit_folder_and_no_auto_download(app_user, ui_services, fake_feeds):
    folder = ui_services.folders.create("Podcasts")
    url = fake_feeds.publish("/long.rss", 5, title="Long Show")
    await app_user.open("/")
    app_user.find(marker="playlist-url").type(url)
    app_user.find(marker="add-track-limit").type("2")
    app_user.find(marker="add-auto-download").click()
    one(app_user, "add-folder").set_value(folder.id)
    app_user.find(marker="add-playlist").click()
    await app_user.should_see("Added Long Show: 2 tracks.", retries=WAIT)
    [summary] = ui_services.catalog.playlist_summaries()
    assert (summary.tracks, summary.playlist.track_limit) == (2, 2)
    assert (summary.playlist.auto_download, summary.playlist.folder_id) == (False, folder.id)
    assert ui_services.downloads.views.counts().queued == 0
    await see_text(app_user, f"counts-{summary.playlist.id}", "0 / 2 files")


async def test_a_date_that_is_not_a_date_is_refused_inline(app_user, ui_services, fake_feeds):
    await app_user.open("/")
    app_user.find(marker="playlist-url").type(fake_feeds.publish("/show.rss", 2))
    app_user.find(marker="add-date-limit").type("last tuesday")
    app_user.find(marker="add-playlist").click()
    await app_user.should_see("is not a date", retries=WAIT)
    assert ui_services.catalog.playlist_summaries() == []


# --- rows: sync, enable, remove -----------------------------------------------------------------------

async def test_sync_button_updates_last_synced_and_counts(app_user, ui_services, fake_feeds):
    pid = add_feed(ui_services, fake_feeds, "/show.rss", 2, "Night Shift", auto_download=False)
    age(ui_services, pid, hours=2)
    await app_user.open("/")
    await see_text(app_user, f"synced-{pid}", "synced 2 h ago")
    fake_feeds.publish("/show.rss", 4, title="Night Shift")
    app_user.find(marker=f"sync-{pid}").click()
    await app_user.should_see("Synced Night Shift: 2 new.", retries=WAIT)
    await see_text(app_user, f"synced-{pid}", "synced just now")
    await see_text(app_user, f"counts-{pid}", "0 / 4 files")


async def test_a_failed_sync_shows_its_reason_on_the_row(app_user, ui_services, fake_feeds):
    pid = add_feed(ui_services, fake_feeds, "/show.rss", 2, "Night Shift", auto_download=False)
    playlist = ui_services.playlists.get(pid)
    playlist.url = fake_feeds.missing_url  # the feed has gone away since it was added
    with ui_services.db.transaction():
        ui_services.playlists.playlists.update(playlist)
    await app_user.open("/")
    await app_user.should_not_see(marker=f"error-{pid}")
    app_user.find(marker=f"sync-{pid}").click()
    await see_text(app_user, f"status-{pid}", "sync failed")
    error = ui_services.playlists.get(pid).last_sync_error
    assert error and text_of(app_user, f"error-{pid}") == error


async def test_notice_and_stored_error_are_shown(app_user, ui_services, fake_feeds):
    pid = add_feed(ui_services, fake_feeds, "/show.rss", 1, "Night Shift", auto_download=False)
    playlist = ui_services.playlists.get(pid)
    playlist.notice = "Read from the public embed page: only the first 100 tracks."
    with ui_services.db.transaction():
        ui_services.playlists.playlists.update(playlist)
    await app_user.open("/")
    await app_user.should_see(marker=f"notice-{pid}")
    assert text_of(app_user, f"notice-{pid}") == playlist.notice


async def test_sync_all_syncs_every_enabled_playlist(app_user, ui_services, fake_feeds):
    first = add_feed(ui_services, fake_feeds, "/a.rss", 1, "Morning Show", auto_download=False)
    second = add_feed(ui_services, fake_feeds, "/b.rss", 1, "Evening Show", auto_download=False)
    off = add_feed(ui_services, fake_feeds, "/c.rss", 1, "Old Show", auto_download=False)
    ui_services.playlists.update_options(off, enabled=False)
    for pid in (first, second, off):
        age(ui_services, pid, hours=3)
    fake_feeds.publish("/a.rss", 2, title="Morning Show")
    fake_feeds.publish("/b.rss", 3, title="Evening Show")
    await app_user.open("/")
    app_user.find(marker="sync-all").click()
    await app_user.should_see("Synced 2 playlists: 3 new tracks.", retries=WAIT)
    await see_text(app_user, f"synced-{first}", "synced just now")
    await see_text(app_user, f"counts-{second}", "0 / 3 files")
    assert text_of(app_user, f"synced-{off}") == "synced 3 h ago"


async def test_sync_and_remove_selected(app_user, ui_services, fake_feeds):
    keep = add_feed(ui_services, fake_feeds, "/a.rss", 1, "Morning Show", auto_download=False)
    chosen = add_feed(ui_services, fake_feeds, "/b.rss", 1, "Evening Show", auto_download=False)
    age(ui_services, keep, hours=3)
    age(ui_services, chosen, hours=3)
    await app_user.open("/")
    assert not one(app_user, "sync-selected").enabled
    app_user.find(marker=f"select-{chosen}").click()
    assert text_of(app_user, "selected-count") == "1 selected" and one(app_user, "sync-selected").enabled
    app_user.find(marker="sync-selected").click()
    await see_text(app_user, f"synced-{chosen}", "synced just now")
    assert text_of(app_user, f"synced-{keep}") == "synced 3 h ago"

    app_user.find(marker="remove-selected").click()
    await app_user.should_see("Remove 1 playlist?", retries=WAIT)
    app_user.find(marker="confirm-ok").click()
    await app_user.should_not_see(marker=f"playlist-{chosen}", retries=WAIT)
    assert [s.playlist.id for s in ui_services.catalog.playlist_summaries()] == [keep]


async def test_disable_and_enable_a_playlist(app_user, ui_services, fake_feeds):
    pid = add_feed(ui_services, fake_feeds, "/show.rss", 1, "Night Shift", auto_download=False)
    await app_user.open("/")
    await see_text(app_user, f"status-{pid}", "ready")
    app_user.find(marker=f"enabled-{pid}").click()
    await see_text(app_user, f"status-{pid}", "disabled")
    assert ui_services.playlists.get(pid).enabled is False
    app_user.find(marker=f"enabled-{pid}").click()
    await see_text(app_user, f"status-{pid}", "ready")
    assert ui_services.playlists.get(pid).enabled is True


async def test_remove_asks_first(app_user, ui_services, fake_feeds):
    pid = add_feed(ui_services, fake_feeds, "/show.rss", 1, "Night Shift", auto_download=False)
    await app_user.open("/")
    app_user.find(marker=f"remove-{pid}").click()
    await app_user.should_see("Remove Night Shift?", retries=WAIT)
    app_user.find(marker="confirm-cancel").click()
    await app_user.should_not_see(marker="confirm-dialog", retries=WAIT)
    assert ui_services.catalog.playlist_summaries() != []

    app_user.find(marker=f"remove-{pid}").click()
    await app_user.should_see(marker="confirm-ok", retries=WAIT)
    app_user.find(marker="confirm-ok").click()
    await app_user.should_see(EMPTY_HINT, retries=WAIT)
    assert ui_services.catalog.playlist_summaries() == []


async def test_download_then_cancel(app_user, ui_services, fake_feeds):
    pid = add_feed(ui_services, fake_feeds, "/show.rss", 2, "Night Shift", auto_download=False)
    await app_user.open("/")
    await app_user.should_not_see(marker=f"cancel-{pid}")
    app_user.find(marker=f"download-{pid}").click()
    await app_user.should_see("Queued 2 tracks of Night Shift.", retries=WAIT)
    await see_text(app_user, f"status-{pid}", "2 queued")
    assert one(app_user, f"progress-{pid}").visible and one(app_user, f"cancel-{pid}").visible
    app_user.find(marker=f"cancel-{pid}").click()
    await app_user.should_see("Cancelled 2 downloads of Night Shift.", retries=WAIT)
    await see_text(app_user, f"status-{pid}", "ready")
    assert ui_services.downloads.jobs.with_status(JobStatus.QUEUED) == []


# --- folders ------------------------------------------------------------------------------------------

async def name_folder(user, name: str) -> None:
    await user.should_see(marker="name-input", retries=WAIT)
    input_ = one(user, "name-input")
    input_.set_value(name)
    user.find(marker="name-ok").click()


async def test_create_rename_move_into_and_delete_a_folder(app_user, ui_services, fake_feeds):
    pid = add_feed(ui_services, fake_feeds, "/show.rss", 1, "Night Shift", auto_download=False)
    await app_user.open("/")
    app_user.find(marker="new-folder").click()
    await name_folder(app_user, "Gigs")
    await app_user.should_see("Created Gigs", retries=WAIT)
    [folder] = ui_services.folders.list()

    app_user.find(marker=f"rename-folder-{folder.id}").click()
    await name_folder(app_user, "Club gigs")
    await see_text(app_user, f"folder-name-{folder.id}", "Club gigs")
    assert ui_services.folders.get(folder.id).name == "Club gigs"

    app_user.find(marker=f"move-{pid}").click()
    await app_user.should_see(marker="choose-select", retries=WAIT)
    one(app_user, "choose-select").set_value(folder.id)
    app_user.find(marker="choose-ok").click()
    await app_user.should_see("Moved Night Shift to Club gigs.", retries=WAIT)
    assert ui_services.playlists.get(pid).folder_id == folder.id
    with app_user.scope(marker=f"folder-content-{folder.id}"):
        await app_user.should_see(marker=f"playlist-{pid}", retries=WAIT)

    app_user.find(marker=f"delete-folder-{folder.id}").click()
    await app_user.should_see("Its 1 playlist will move up to the top level", retries=WAIT)
    app_user.find(marker="confirm-ok").click()
    await app_user.should_not_see(marker=f"folder-{folder.id}", retries=WAIT)
    assert ui_services.folders.list() == []
    assert ui_services.playlists.get(pid).folder_id is None
    await app_user.should_see(marker=f"playlist-{pid}")


async def test_subfolder_sync_and_move_out(app_user, ui_services, fake_feeds):
    gigs = ui_services.folders.create("Gigs")
    inside = add_feed(ui_services, fake_feeds, "/a.rss", 1, "Morning Show", auto_download=False, folder_id=gigs.id)
    outside = add_feed(ui_services, fake_feeds, "/b.rss", 1, "Evening Show", auto_download=False)
    age(ui_services, inside, hours=3)
    age(ui_services, outside, hours=3)
    await app_user.open("/")
    app_user.find(marker=f"new-subfolder-{gigs.id}").click()
    await name_folder(app_user, "Clubs")
    await app_user.should_see("Created Clubs", retries=WAIT)
    clubs = next(f for f in ui_services.folders.list() if f.name == "Clubs")
    assert clubs.parent_id == gigs.id

    app_user.find(marker=f"sync-folder-{gigs.id}").click()
    await app_user.should_see("Synced 1 playlist: 0 new tracks.", retries=WAIT)
    await see_text(app_user, f"synced-{inside}", "synced just now")
    assert text_of(app_user, f"synced-{outside}") == "synced 3 h ago"

    app_user.find(marker=f"move-folder-{clubs.id}").click()
    await app_user.should_see(marker="choose-select", retries=WAIT)
    assert set(one(app_user, "choose-select").options) == {None, gigs.id}  # not into itself
    one(app_user, "choose-select").set_value(None)
    app_user.find(marker="choose-ok").click()
    await app_user.should_see("Moved Clubs into the top level.", retries=WAIT)
    assert ui_services.folders.get(clubs.id).parent_id is None


async def test_collapsed_folders_stay_collapsed_in_this_browser(app_user, ui_services, fake_feeds):
    folder = ui_services.folders.create("Gigs")
    pid = add_feed(ui_services, fake_feeds, "/show.rss", 1, "Night Shift", auto_download=False, folder_id=folder.id)
    await app_user.open("/")
    await app_user.should_see(marker=f"playlist-{pid}")
    app_user.find(marker=f"toggle-folder-{folder.id}").click()
    await app_user.should_not_see(marker=f"playlist-{pid}")
    await app_user.open("/")
    await app_user.should_see(marker=f"folder-{folder.id}")
    await app_user.should_not_see(marker=f"playlist-{pid}")
    app_user.find(marker=f"toggle-folder-{folder.id}").click()
    await app_user.should_see(marker=f"playlist-{pid}")


async def test_a_disabled_folder_disables_its_playlists(app_user, ui_services, fake_feeds):
    folder = ui_services.folders.create("Gigs")
    pid = add_feed(ui_services, fake_feeds, "/show.rss", 1, "Night Shift", auto_download=False, folder_id=folder.id)
    await app_user.open("/")
    app_user.find(marker=f"folder-enabled-{folder.id}").click()
    await see_text(app_user, f"status-{pid}", "disabled")
    assert ui_services.folders.get(folder.id).enabled is False
    assert ui_services.playlists.sync_many(None) == []


async def test_the_tree_follows_changes_made_elsewhere(app_user, ui_services, fake_feeds):
    await app_user.open("/")
    await app_user.should_see(EMPTY_HINT)
    pid = add_feed(ui_services, fake_feeds, "/show.rss", 1, "Night Shift", auto_download=False)
    await app_user.should_see(marker=f"playlist-{pid}", retries=30)  # the page polls once a second


async def test_a_sync_started_elsewhere_shows_as_syncing(app_user, ui_services, fake_feeds):
    pid = add_feed(ui_services, fake_feeds, "/show.rss", 1, "Night Shift", auto_download=False)
    age(ui_services, pid, hours=1)
    await app_user.open("/")
    fake_feeds.server.latency_s = 1.5  # a slow platform, so the sync is seen while it runs
    elsewhere = asyncio.create_task(asyncio.to_thread(ui_services.playlists.sync, pid))  # the CLI, another tab
    await see_text(app_user, f"status-{pid}", "syncing", retries=15)
    await elsewhere
    await see_text(app_user, f"status-{pid}", "ready", retries=20)
    await see_text(app_user, f"synced-{pid}", "synced just now")


# --- live updates and export --------------------------------------------------------------------------

async def test_a_row_counts_downloads_live_while_the_queue_runs(context_user, ui_services, fake_feeds,
                                                               running_queue):
    url = fake_feeds.publish("/show.rss", 2, title="Night Shift", audio_seconds=2)
    await context_user.open("/")
    context_user.find(marker="playlist-url").type(url)
    context_user.find(marker="add-playlist").click()
    await context_user.should_see("Added Night Shift", retries=WAIT)
    [summary] = ui_services.catalog.playlist_summaries()
    pid = summary.playlist.id
    row = one(context_user, f"playlist-{pid}")
    await see_text(context_user, f"counts-{pid}", "2 / 2 files", retries=150)
    await see_text(context_user, f"status-{pid}", "ready")
    assert one(context_user, f"playlist-{pid}") is row  # updated in place, not redrawn
    await context_user.should_not_see(marker=f"progress-{pid}")


async def test_export_says_where_it_wrote_and_offers_the_file(app_user, ui_services, fake_feeds):
    add_feed(ui_services, fake_feeds, "/show.rss", 1, "Night Shift", auto_download=False)
    await app_user.open("/")
    app_user.find(marker="export-rekordbox").click()
    await app_user.should_see("Exported rekordbox XML", retries=WAIT)
    written = Path(text_of(app_user, "export-path"))
    assert written.is_file() and written.parent == ui_services.settings.data_dir / "exports"
    app_user.find(marker="export-download").click()
    await app_user.download.next(timeout=5)


# --- row state rules ----------------------------------------------------------------------------------

def test_work_in_progress_outranks_an_old_error():
    playlist = Playlist(Platform.YTDLP, PlaylistKind.FEED, "x", "https://x", "Show", id=1,
                        last_sync_error="The feed answered 500.")
    summaries = [PlaylistSummary(playlist, tracks=4, downloaded=1)]

    def status(activity, syncing=frozenset(), enabled=True):
        return row_states(summaries, activity, set(syncing), lambda _p: enabled)[1]

    assert status({}, syncing={1}).status == RowStatus.SYNCING
    running = status({1: PlaylistActivity(queued=2, running=1)})
    assert (running.status, running.status_text, running.progress) == (RowStatus.DOWNLOADING,
                                                                       "downloading 1 · 2 queued", 0.25)
    assert status({1: PlaylistActivity(queued=3, running=0)}).status_text == "3 queued"
    assert status({}).status == RowStatus.ERROR
    playlist.last_sync_error = None
    assert status({}, enabled=False).status == RowStatus.DISABLED
    assert status({}).status == RowStatus.READY


def test_folder_tree_order_paths_and_dangling_references():
    top, child, other = Folder("Gigs", id=1), Folder("Clubs", parent_id=1, id=2), Folder("Bars", position=1, id=3)
    playlists = [Playlist(Platform.YTDLP, PlaylistKind.FEED, str(i), f"https://{i}", f"P{i}", folder_id=folder, id=i)
                 for i, folder in ((1, 2), (2, None), (3, 99))]
    tree = FolderTree([other, child, top], playlists)
    assert [f.id for f in tree.children(None)] == [1, 3]
    assert tree.folder_paths() == [(1, "Gigs"), (2, "Gigs / Clubs"), (3, "Bars")]
    assert tree.folder_paths(excluding_subtree_of=1) == [(3, "Bars")]
    assert tree.playlist_ids_under(1) == [1]
    assert [p.id for p in tree.playlists_in(None)] == [2, 3]  # folder 99 does not exist: shown at the top
