"""The playlist page: header and options, the paged track table, per-track actions, live rows, size."""
import asyncio
import json
from datetime import date
from pathlib import Path

from nicegui import ui

from pysync_web.models import JobStatus, TrackStatus
from pysync_web.services.playlists import PlaylistOptions
from pysync_web.ui.pages.playlist import DATE_RULE, LIMIT_RULE


def candidate(n: int, score: float) -> dict:
    return {"url": f"https://www.youtube.com/watch?v=cand{n}", "title": f"Candidate {n} (Official Audio)",
            "channel": f"Channel {n}", "duration": 185, "views": 12_345, "source": "youtube",
            "page_url": f"https://www.youtube.com/watch?v=cand{n}", "provider": "youtube", "score": score,
            "reasons": [f"+0.05 reason {n}"]}


async def test_rows_in_playlist_order_with_their_columns(context_user, seed, track_list):
    tracks = [seed.track(3, match_score=0.92, status=TrackStatus.DOWNLOADED, file="/x.mp3"),
              seed.track(1, match_score=0.74), seed.track(2, status=TrackStatus.FAILED, error="no audio found")]
    playlist = seed.playlist("Warmup", tracks)
    await track_list.open(f"/playlist/{playlist.id}")
    await context_user.should_see("1–3 of 3 tracks")
    assert track_list.titles() == ["Song 00003", "Song 00001", "Song 00002"]
    with context_user.scope(marker=f"track-{tracks[0].id}"):
        for cell in ("1", "Song 00003", "Artist 3", "Album 0", "3:03", "2024-02-01", "Downloaded", "92%"):
            await context_user.should_see(cell)
    with context_user.scope(marker=f"track-{tracks[1].id}"):
        await context_user.should_see("74% weak")
        await context_user.should_see("Not downloaded")
    with context_user.scope(marker=f"track-{tracks[2].id}"):
        await context_user.should_see("Failed")
        await context_user.should_see("no audio found")  # the reason, on hover


async def test_header_shows_name_owner_counts_and_sync_state(context_user, seed, track_list):
    playlist = seed.playlist("Warmup", [seed.track(1, status=TrackStatus.DOWNLOADED),
                                        seed.track(2, status=TrackStatus.FAILED), seed.track(3)])
    await track_list.open(f"/playlist/{playlist.id}")
    with context_user.scope(marker="playlist-header"):
        await context_user.should_see("Warmup")
        await context_user.should_see("by DJ Test")
        await context_user.should_see("3 tracks · 1 downloaded · 1 failed")
        await context_user.should_see("Never synced")


async def test_pages_of_fifty(context_user, seed, track_list):
    playlist = seed.playlist("Long", [seed.track(n) for n in range(120)])
    await track_list.open(f"/playlist/{playlist.id}")
    titles = track_list.titles()
    assert len(titles) == 50 and titles[0] == "Song 00000" and titles[-1] == "Song 00049"
    track_list.element("track-pager").set_value(3)
    await track_list.shows([f"Song {n:05}" for n in range(100, 120)])
    await context_user.should_see("101–120 of 120 tracks")


async def test_search_filter_and_sort(context_user, seed, track_list):
    tracks = [seed.track(n) for n in range(60)]
    tracks[45].status, tracks[7].status = TrackStatus.FAILED, TrackStatus.FAILED
    playlist = seed.playlist("Mixed", tracks)
    await track_list.open(f"/playlist/{playlist.id}")

    context_user.find(marker="track-search").type("song 0004")  # every word anywhere: 00004 and 0004x
    await track_list.shows([f"Song {n:05}" for n in (4, *range(40, 50))])
    await context_user.should_see("1–11 of 11 tracks")

    context_user.find(marker="track-search").clear()
    track_list.choose("status-filter", "Failed")
    await track_list.shows(["Song 00007", "Song 00045"])

    track_list.choose("track-sort", "Title")
    context_user.find(marker="sort-direction").click()
    await track_list.shows(["Song 00045", "Song 00007"])


async def test_retry_puts_the_failed_job_back_in_the_queue(context_user, ui_services, seed, track_list):
    track = seed.track(1)
    playlist = seed.playlist("P", [track])
    [job] = ui_services.downloads.enqueue([track.id])
    job.status, job.error = JobStatus.FAILED, "HTTP 503"
    track = ui_services.catalog.track(track.id)
    track.status, track.error = TrackStatus.FAILED, "HTTP 503"
    with ui_services.db.transaction():
        ui_services.downloads.jobs.update(job)
    seed.update(track)

    await track_list.open(f"/playlist/{playlist.id}")
    await track_list.open_actions(track.id)
    await context_user.should_see("HTTP 503")
    context_user.find(marker="track-retry").click()
    await context_user.should_see(f"Queued {track.title}", retries=30)
    with context_user.scope(marker=f"track-{track.id}"):
        await context_user.should_see("Queued")
    assert ui_services.downloads.jobs.get(job.id).status == JobStatus.QUEUED
    assert len(ui_services.downloads.jobs.all()) == 1  # the same job, not a second one


async def test_choose_a_candidate_as_source(context_user, ui_services, seed, track_list):
    track = seed.track(1, candidates=[candidate(1, 0.91), candidate(2, 0.55)], match_score=0.91,
                       source_url=candidate(1, 0.91)["url"], status=TrackStatus.FAILED)
    playlist = seed.playlist("P", [track])
    await track_list.open(f"/playlist/{playlist.id}")
    await track_list.open_actions(track.id)
    context_user.find(marker="track-choose-source").click()
    await context_user.should_see("Candidate 1 (Official Audio)")
    await context_user.should_see("55%")
    await context_user.should_see("current")
    context_user.find(marker="use-candidate").click()  # the only one that is not current: candidate 2

    await context_user.should_see("Downloading Song 00001 from the chosen source", retries=30)
    stored = ui_services.catalog.track(track.id)
    assert stored.source_url == candidate(2, 0.55)["url"] and stored.source_locked
    assert [j.track_id for j in ui_services.downloads.jobs.with_status(JobStatus.QUEUED)] == [track.id]
    with context_user.scope(marker=f"track-{track.id}"):
        await context_user.should_see("set by hand")


async def test_set_a_source_link_by_hand_and_bad_links_are_refused(context_user, ui_services, seed, track_list):
    track = seed.track(1)
    playlist = seed.playlist("P", [track])
    await track_list.open(f"/playlist/{playlist.id}")
    await track_list.open_actions(track.id)
    context_user.find(marker="track-choose-source").click()
    await context_user.should_see("The matcher has not searched for this track")
    context_user.find(marker="source-url").type("not a link")
    context_user.find(marker="use-source-url").click()
    await context_user.should_see("A source must be a web link (https://…).", retries=30)
    assert ui_services.downloads.jobs.all() == []

    context_user.find(marker="source-url").clear().type("https://soundcloud.com/artist/song")
    context_user.find(marker="use-source-url").click()
    await context_user.should_see("Downloading Song 00001 from the chosen source", retries=30)
    assert ui_services.catalog.track(track.id).source_url == "https://soundcloud.com/artist/song"
    [job] = ui_services.downloads.jobs.with_status(JobStatus.QUEUED)
    assert job.track_id == track.id


async def test_delete_a_file(context_user, ui_services, seed, track_list):
    track = seed.downloaded_track(1)
    playlist = seed.playlist("P", [track])
    await track_list.open(f"/playlist/{playlist.id}")
    await track_list.open_actions(track.id)
    context_user.find(marker="track-delete").click()
    await context_user.should_see("Delete this file?")
    context_user.find(marker="confirm-delete").click()
    await context_user.should_see("Deleted the file of Song 00001", retries=30)
    assert not Path(track.file).exists()
    stored = ui_services.catalog.track(track.id)
    assert stored.status == TrackStatus.PENDING and stored.file is None
    assert ui_services.downloads.jobs.all() == []  # not queued again unless asked
    with context_user.scope(marker=f"track-{track.id}"):
        await context_user.should_see("Not downloaded")


async def test_play_streams_the_file_from_the_media_route(context_user, seed, track_list, media_routes):
    track = seed.downloaded_track(1)
    playlist = seed.playlist("P", [track, seed.track(2)])
    await track_list.open(f"/playlist/{playlist.id}")
    with context_user.scope(marker=f"track-{track.id}"):
        context_user.find(marker="row-play").click()
    await context_user.should_see(marker="player")
    await context_user.should_see("Artist 1 – Song 00001")
    source = track_list.element("track-audio").source
    assert source == f"/media/tracks/{track.id}"

    client = context_user.http_client
    response = await client.get(source)
    assert response.status_code == 200 and response.headers["content-type"] == "audio/mpeg"
    assert response.content == Path(track.file).read_bytes()
    partial = await client.get(source, headers={"Range": "bytes=3-12"})
    assert partial.status_code == 206 and partial.content == Path(track.file).read_bytes()[3:13]
    not_downloaded = await client.get(f"/media/tracks/{track.id + 1}")
    assert not_downloaded.status_code == 404 and "not been downloaded" in not_downloaded.text
    assert (await client.get("/media/tracks/999")).status_code == 404


async def test_options_are_validated_inline_then_saved(context_user, ui_services, seed, track_list):
    playlist = seed.playlist("P", [seed.track(1)])
    await track_list.open(f"/playlist/{playlist.id}")
    context_user.find(marker="track-limit").type("-3")
    context_user.find(marker="date-limit").type("next tuesday")
    context_user.find(marker="save-options").click()
    await context_user.should_see(LIMIT_RULE)
    await context_user.should_see(DATE_RULE)
    await asyncio.sleep(0.2)
    assert ui_services.catalog.playlist(playlist.id).track_limit is None

    context_user.find(marker="track-limit").clear().type("25")
    context_user.find(marker="date-limit").clear().type("2024-05-01")
    context_user.find(marker="auto-download").click()
    context_user.find(marker="save-options").click()
    await context_user.should_see("Options saved. Limits apply at the next sync.", retries=30)
    stored = ui_services.catalog.playlist(playlist.id)
    assert (stored.track_limit, stored.date_limit, stored.auto_download) == (25, date(2024, 5, 1), False)


async def test_a_missing_playlist_says_so_and_links_home(context_user):
    for path in ("/playlist/999", "/playlist/not-a-number"):
        await context_user.open(path)
        await context_user.should_see("There is no such playlist.")
        context_user.find(marker="go-home").click()
        await context_user.should_see("Playlists")


async def test_rows_follow_a_real_download_without_resending_the_table(
        context_user, ui_services, fake_feeds, running_queue, track_list):
    fake_feeds.server.latency_s = 0.3  # a download long enough to span several batches of live updates
    url = fake_feeds.publish("/show.rss", 20, title="Night Shift", audio_seconds=3)
    playlist = (await asyncio.to_thread(ui_services.playlists.add, url, PlaylistOptions(auto_download=False))).playlist
    first = ui_services.catalog.playlist_tracks(playlist.id)[0].track
    await track_list.open(f"/playlist/{playlist.id}")
    rows = track_list.user.find(marker="track-row").elements
    [row] = [r for r in rows if f"track-{first.id}" in r._markers]
    outbox = context_user.client.outbox
    for _ in range(100):  # the first page's rows are on their way to the browser: let them go first
        if not outbox.updates:
            break
        await asyncio.sleep(0.02)
    sent_before = len(outbox.message_history)

    await asyncio.to_thread(ui_services.downloads.enqueue, [first.id])
    shown: list[str] = []  # the row's status as it changed
    for _ in range(200):
        [chip] = [e for e in row.descendants() if isinstance(e, ui.chip)]
        if not shown or shown[-1] != chip.text:
            shown.append(chip.text)
        if chip.text == "Downloaded":
            break
        await asyncio.sleep(0.05)
    assert shown[-1] == "Downloaded", shown
    assert any(text.startswith(("Downloading", "Converting", "Tagging", "Verifying")) for text in shown), shown
    await context_user.should_see("20 tracks · 1 downloaded", retries=50)

    assert all(not r.is_deleted for r in rows)  # rows were updated in place, never rebuilt
    updates = [message[2] for _, _, message in list(outbox.message_history)[sent_before:] if message[1] == "update"]
    assert updates, "the page sent no live updates"
    assert max(len(update) for update in updates) < 40, "an update re-sent far more than one row"


async def test_first_view_of_10000_tracks_sends_under_1_mb(context_user, seed, track_list):
    """Measured: the page's HTML (its elements ride in it as JSON) plus every message sent over the
    socket until the first page of rows is shown and half a second after; that is all the browser gets."""
    tracks = [seed.track(n, candidates=[candidate(n, 0.9)] * 5, cover_url=f"https://i.scdn.co/image/{n:040}")
              for n in range(10_000)]
    playlist = seed.playlist("Huge", tracks)
    html = (await context_user.http_client.get(f"/playlist/{playlist.id}")).text
    await track_list.open(f"/playlist/{playlist.id}")
    await context_user.should_see("1–50 of 10,000 tracks")
    await asyncio.sleep(0.5)
    messages = json.dumps([message for _, _, message in context_user.client.outbox.message_history], default=str)
    sent = len(html.encode()) + len(messages.encode())

    assert len(track_list.titles()) == 50
    assert "Song 00049" in messages and "Song 00050" not in html + messages
    assert sent < 1_000_000, f"the first view sent {sent:,} bytes"


async def test_a_file_deleted_elsewhere_updates_the_open_row(context_user, ui_services, seed, track_list):
    track = seed.downloaded_track(1)
    playlist = seed.playlist("P", [track])
    await track_list.open(f"/playlist/{playlist.id}")
    ui_services.track_files.delete_file(track.id)  # another tab, or the library page, deleted it
    with context_user.scope(marker=f"track-{track.id}"):
        await context_user.should_see("Not downloaded", retries=30)
