"""The library page: every track once, search, filters, stats and charts, and the shared track actions."""
from datetime import datetime, timezone

import pytest

from pysync_web.models import JobStatus, Platform, TrackStatus
from pysync_web.formatting import file_size


@pytest.fixture
def library(seed):
    """Two playlists sharing one track; statuses, platforms, artists and albums all differ."""
    def added(day: int) -> datetime:
        return datetime(2024, 3, day, tzinfo=timezone.utc)

    tracks = {
        "halo": seed.downloaded_track(1, title="Halo", artists=["Beyoncé"], album="I Am... Sasha Fierce",
                                      created_at=added(1)),
        "crazy": seed.track(2, title="Crazy", artists=["Gnarls Barkley"], album="St. Elsewhere",
                            status=TrackStatus.FAILED, error="no match found", created_at=added(2)),
        "hey ya": seed.track(3, title="Hey Ya!", artists=["OutKast"], album="Speakerboxxx", created_at=added(3)),
        "mix": seed.track(4, title="Summer Mix", artists=["DJ Sun"], album="", platform=Platform.SOUNDCLOUD,
                          status=TrackStatus.QUEUED, created_at=added(4)),
    }
    warmup = seed.playlist("Warmup", [tracks["halo"], tracks["crazy"], tracks["hey ya"]])
    seed.playlist("Sets", [tracks["hey ya"], tracks["mix"]], platform=Platform.SOUNDCLOUD)
    return tracks, warmup


async def test_every_track_once_newest_first(track_list, library):
    await track_list.open("/library")
    await track_list.user.should_see("1–4 of 4 tracks")
    assert track_list.titles() == ["Summer Mix", "Hey Ya!", "Crazy", "Halo"]


async def test_stats_count_statuses_size_and_chart_downloads_and_platforms(track_list, library):
    tracks, _ = library
    await track_list.open("/library")
    user = track_list.user
    expected = {"stat-tracks": "4", "stat-downloaded": "1", "stat-in-queue": "1", "stat-failed": "1",
                "stat-not-downloaded": "1", "stat-size": file_size(tracks["halo"].file_size)}
    for marker, text in expected.items():
        await user.should_see(marker=marker, content=text, retries=20)
    per_day = track_list.element("downloads-chart").options["series"][0]["data"]
    assert len(per_day) == 30 and per_day[-1] == 1 and sum(per_day) == 1  # downloaded today
    platforms = track_list.element("platform-chart").options["series"][0]["data"]
    assert {(p["name"], p["value"]) for p in platforms} == {("Spotify", 3), ("SoundCloud", 1)}


@pytest.mark.parametrize(("words", "titles"), [
    ("beyonce", ["Halo"]),  # artist, without its accent
    ("elsewhere", ["Crazy"]),  # album
    ("hey", ["Hey Ya!"]),  # title
    ("outkast speakerboxxx", ["Hey Ya!"]),  # every word, anywhere
    ("nothing like this", []),
])
async def test_search_by_title_artist_or_album(track_list, library, words, titles):
    await track_list.open("/library")
    track_list.user.find(marker="track-search").type(words)
    if titles:
        await track_list.shows(titles)
    else:
        await track_list.user.should_see("No track matches the search and filters.", retries=30)


async def test_filter_by_status_platform_and_playlist(track_list, library):
    _, warmup = library
    await track_list.open("/library")
    track_list.choose("status-filter", "Failed")
    await track_list.shows(["Crazy"])

    track_list.choose("status-filter", "Any status")
    track_list.choose("platform-filter", "SoundCloud")
    await track_list.shows(["Summer Mix"])

    track_list.choose("platform-filter", "Any platform")
    track_list.choose("playlist-filter", warmup.name)
    await track_list.shows(["Hey Ya!", "Crazy", "Halo"])
    await track_list.user.should_see("1–3 of 3 tracks")


async def test_the_track_actions_work_here_too(track_list, library, ui_services):
    tracks, _ = library
    await track_list.open("/library")
    await track_list.open_actions(tracks["crazy"].id)
    await track_list.user.should_see("no match found")
    track_list.user.find(marker="track-retry").click()
    await track_list.user.should_see("Queued Crazy", retries=30)
    [job] = ui_services.downloads.jobs.with_status(JobStatus.QUEUED)
    assert job.track_id == tracks["crazy"].id


async def test_an_empty_library_says_where_to_start(track_list):
    await track_list.open("/library")
    await track_list.user.should_see("The library is empty: add a playlist on the Playlists page.")
    await track_list.user.should_see(marker="stat-tracks", content="0", retries=20)
