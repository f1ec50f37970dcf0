"""YouTube Music and YouTube search, offline.

The mapping is tested on flat entries as yt-dlp returns them and on song rows as YouTube Music sends
them. The searches then run through the real yt-dlp with only its innertube call replaced by canned
answers, which proves that our extractor subclass still hooks into yt-dlp and that paging stops at the limit.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from yt_dlp.extractor.youtube import YoutubeSearchIE
from yt_dlp.networking import Response
from yt_dlp.networking.exceptions import HTTPError, TransportError
from yt_dlp.utils import DownloadError, ExtractorError

from pysync_web.config import Settings
from pysync_web.errors import PySyncError, RateLimitedError, ServiceUnavailableError
from pysync_web.providers import youtube
from pysync_web.providers.base import Candidate
from pysync_web.providers.youtube import (
    YouTubeMusicProvider,
    YouTubeProvider,
    _SongSearchIE,
    candidate_from_entry,
    song_details,
)

# --- flat entries, as yt-dlp's YouTube search lists them ---------------------------------------------

VIDEO_ENTRY: dict[str, Any] = {
    "_type": "url", "ie_key": "Youtube", "id": "h5EofwRzit0", "url": "https://www.youtube.com/watch?v=h5EofwRzit0",
    "title": "Daft Punk - Get Lucky (Official Audio) ft. Pharrell Williams, Nile Rodgers", "description": None,
    "duration": 369, "channel_id": "UC_kRDKYrUlrbtrSiyu5Tflg", "channel": "Daft Punk",
    "channel_url": "https://www.youtube.com/channel/UC_kRDKYrUlrbtrSiyu5Tflg", "uploader": "Daft Punk",
    "uploader_id": "@daftpunk", "uploader_url": "https://www.youtube.com/@daftpunk", "thumbnails": [],
    "timestamp": None, "release_timestamp": None, "availability": None, "view_count": 586_431_207,
    "live_status": None, "channel_is_verified": True,
}


def test_a_video_entry_becomes_a_candidate_for_its_watch_url() -> None:
    assert candidate_from_entry(VIDEO_ENTRY, "youtube") == Candidate(
        url="https://www.youtube.com/watch?v=h5EofwRzit0",
        title="Daft Punk - Get Lucky (Official Audio) ft. Pharrell Williams, Nile Rodgers",
        channel="Daft Punk", duration=369.0, views=586_431_207, source="youtube",
        page_url="https://www.youtube.com/watch?v=h5EofwRzit0",
    )


def test_shorts_download_from_the_watch_url_and_the_uploader_stands_in_for_a_missing_channel() -> None:
    short = {**VIDEO_ENTRY, "id": "aBcDeFgHiJk", "url": "https://www.youtube.com/shorts/aBcDeFgHiJk",
             "duration": 41, "channel": None, "uploader": "Clips & Co"}
    found = candidate_from_entry(short, "youtube")
    assert found is not None
    assert (found.url, found.channel, found.duration) == ("https://www.youtube.com/watch?v=aBcDeFgHiJk", "Clips & Co", 41.0)


def test_music_candidates_link_people_to_youtube_music() -> None:
    song = {"_type": "url", "ie_key": "Youtube", "id": "5NV6Rdv1a3I", "url": "https://music.youtube.com/watch?v=5NV6Rdv1a3I",
            "title": "Get Lucky", "duration": 248.0, "channel": "Daft Punk", "view_count": None}
    found = candidate_from_entry(song, "youtube_music")
    assert found is not None
    assert found.url == "https://www.youtube.com/watch?v=5NV6Rdv1a3I"
    assert found.page_url == "https://music.youtube.com/watch?v=5NV6Rdv1a3I"
    assert (found.source, found.views) == ("youtube_music", None)


@pytest.mark.parametrize("entry", [
    {**VIDEO_ENTRY, "live_status": "is_live", "duration": None, "view_count": None, "concurrent_view_count": 812},
    {**VIDEO_ENTRY, "live_status": "is_upcoming", "duration": 240, "release_timestamp": 1_900_000_000},
    {"_type": "url", "ie_key": "YoutubeTab", "id": "UC_kRDKYrUlrbtrSiyu5Tflg", "title": "Daft Punk",
     "url": "https://www.youtube.com/channel/UC_kRDKYrUlrbtrSiyu5Tflg"},
    {"_type": "url", "ie_key": "YoutubeTab", "id": "OLAK5uy_abc", "url": "https://music.youtube.com/playlist?list=OLAK5uy_abc"},
    {"_type": "url", "ie_key": "Youtube", "id": "5NV6Rdv1a3I", "title": "Get Lucky"},  # yt-dlp's bare song row
], ids=["live", "premiere", "channel", "album", "no-duration"])
def test_what_cannot_be_a_recording_is_no_candidate(entry: dict[str, Any]) -> None:
    assert candidate_from_entry(entry, "youtube") is None


# --- YouTube Music song rows -------------------------------------------------------------------------

SEPARATOR = {"text": " • "}


def linked(text: str, browse_id: str, page_type: str) -> dict[str, Any]:
    return {"text": text, "navigationEndpoint": {"clickTrackingParams": "CAIQ", "browseEndpoint": {
        "browseId": browse_id,
        "browseEndpointContextSupportedConfigs": {"browseEndpointContextMusicConfig": {"pageType": page_type}}}}}


def artist(name: str, channel_id: str = "UC_kRDKYrUlrbtrSiyu5Tflg") -> dict[str, Any]:
    return linked(name, channel_id, "MUSIC_PAGE_TYPE_ARTIST")


def album(name: str) -> dict[str, Any]:
    return linked(name, "MPREb_xiTMlQiMcy6", "MUSIC_PAGE_TYPE_ALBUM")


def column(*runs: dict[str, Any]) -> dict[str, Any]:
    return {"musicResponsiveListItemFlexColumnRenderer": {"text": {"runs": list(runs)},
                                                          "displayPriority": "MUSIC_RESPONSIVE_LIST_ITEM_COLUMN_DISPLAY_PRIORITY_HIGH"}}


def song_row(video_id: str, title: str, *details: dict[str, Any], plays: str | None = None) -> dict[str, Any]:
    watch = {"videoId": video_id, "watchEndpointMusicSupportedConfigs": {
        "watchEndpointMusicConfig": {"musicVideoType": "MUSIC_VIDEO_TYPE_ATV"}}}
    columns = [column({"text": title, "navigationEndpoint": {"watchEndpoint": watch}}), column(*details)]
    if plays:
        columns.append(column({"text": plays}))
    return {"musicResponsiveListItemRenderer": {
        "trackingParams": "CAEQ", "playlistItemData": {"videoId": video_id}, "flexColumns": columns,
        "flexColumnDisplayStyle": "MUSIC_RESPONSIVE_LIST_ITEM_FLEX_COLUMN_DISPLAY_STYLE_TWO_LINE_STACK",
        "itemHeight": "MUSIC_ITEM_HEIGHT_TALL",
        "overlay": {"musicItemThumbnailOverlayRenderer": {"content": {"musicPlayButtonRenderer": {
            "playNavigationEndpoint": {"watchEndpoint": watch}}}}},
    }}


GET_LUCKY = song_row("5NV6Rdv1a3I", "Get Lucky (feat. Pharrell Williams and Nile Rodgers)",
                     artist("Daft Punk"), SEPARATOR, album("Random Access Memories"), SEPARATOR, {"text": "6:09"},
                     plays="1.2B plays")


def details(row: dict[str, Any]) -> dict[str, Any]:
    return song_details(row["musicResponsiveListItemRenderer"])


def test_a_song_row_gives_artist_album_length_and_plays() -> None:
    assert details(GET_LUCKY) == {"artists": ["Daft Punk"], "channel": "Daft Punk", "album": "Random Access Memories",
                                  "duration": 369, "view_count": 1_200_000_000}


def test_every_credited_artist_counts_also_without_a_channel_page() -> None:
    row = song_row("x0iUavOGKZs", "Under Pressure", artist("Queen", "UCiMhD4jzUqG-IgPzUmmytRQ"), {"text": " & "},
                   {"text": "David Bowie"}, SEPARATOR, album("Hot Space"), SEPARATOR, {"text": "1:04:08"})
    assert details(row) == {"artists": ["Queen", "David Bowie"], "channel": "Queen, David Bowie",
                            "album": "Hot Space", "duration": 3848}


def test_the_row_type_of_unfiltered_searches_is_no_artist() -> None:
    row = song_row("5NV6Rdv1a3I", "Get Lucky", {"text": "Song"}, SEPARATOR, artist("Daft Punk"), SEPARATOR,
                   {"text": "4:08"})
    assert details(row) == {"artists": ["Daft Punk"], "channel": "Daft Punk", "duration": 248}


# --- searches through the real yt-dlp, its innertube call replaced -------------------------------------


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, retry_backoff_s=0.001)


def music_page(*rows: dict[str, Any], continuation: str | None = None) -> dict[str, Any]:
    shelf: dict[str, Any] = {"title": {"runs": [{"text": "Songs"}]}, "contents": list(rows)}
    if continuation:
        shelf["continuations"] = [{"nextContinuationData": {"continuation": continuation, "clickTrackingParams": "CA"}}]
    return {"contents": {"tabbedSearchResultsRenderer": {"tabs": [{"tabRenderer": {
        "title": "YT Music", "selected": True,
        "content": {"sectionListRenderer": {"contents": [{"musicShelfRenderer": shelf}]}}}}]}}}


def answer_innertube(monkeypatch: pytest.MonkeyPatch, extractor: type, pages: list[dict[str, Any]]) -> list[Any]:
    """Serve `pages` in turn as the extractor's API answers; returns the request bodies it sent."""
    sent: list[Any] = []

    def extract_response(self: Any, **request: Any) -> dict[str, Any]:
        sent.append(dict(request["query"]))
        return pages[len(sent) - 1]

    monkeypatch.setattr(extractor, "_extract_response", extract_response)
    monkeypatch.setattr(extractor, "_download_ytcfg", lambda self, *args, **kwargs: {})
    return sent


def test_youtube_music_searches_songs_and_keeps_what_each_row_says(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    cover = song_row("CoVeR123456", "Get Lucky", artist("Some Band", "UCsomeband000000000000"), SEPARATOR,
                     album("Covers Vol. 2"), SEPARATOR, {"text": "4:11"})
    sent = answer_innertube(monkeypatch, _SongSearchIE, [
        music_page(GET_LUCKY, cover, GET_LUCKY, continuation="page-2"),
        music_page(GET_LUCKY),  # only read if paging ignores the limit
    ])

    found = YouTubeMusicProvider(settings).search("Daft Punk - Get Lucky", limit=2)

    assert [(c.url, c.title, c.channel, c.duration, c.views, c.source) for c in found] == [
        ("https://www.youtube.com/watch?v=5NV6Rdv1a3I", "Get Lucky (feat. Pharrell Williams and Nile Rodgers)",
         "Daft Punk", 369.0, 1_200_000_000, "youtube_music"),
        ("https://www.youtube.com/watch?v=CoVeR123456", "Get Lucky", "Some Band", 251.0, None, "youtube_music"),
    ]
    # One request, for the Songs section (yt-dlp's params for "#songs"), and no second page.
    assert sent == [{"query": "Daft Punk - Get Lucky", "params": "EgWKAQIIAWoKEAoQAxAEEAkQBQ=="}]


def video_renderer(video_id: str, title: str, channel: str, length: str | None, views: str) -> dict[str, Any]:
    renderer: dict[str, Any] = {
        "videoId": video_id, "title": {"runs": [{"text": title}]},
        "ownerText": {"runs": [{"text": channel, "navigationEndpoint": {"browseEndpoint": {
            "browseId": "UCuAXFkgsw1L7xaCfnd5JJOw", "canonicalBaseUrl": "/@RickAstleyYT"}}}]},
        "viewCountText": {"simpleText": views},
        "navigationEndpoint": {"commandMetadata": {"webCommandMetadata": {"url": f"/watch?v={video_id}"}},
                               "watchEndpoint": {"videoId": video_id}},
    }
    if length:
        renderer["lengthText"] = {"simpleText": length}
        renderer["publishedTimeText"] = {"simpleText": "16 years ago"}
    else:
        renderer["badges"] = [{"metadataBadgeRenderer": {"style": "BADGE_STYLE_TYPE_LIVE_NOW", "label": "LIVE"}}]
    return {"videoRenderer": renderer}


def test_youtube_search_maps_yt_dlps_video_entries_and_leaves_live_streams_out(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = answer_innertube(monkeypatch, YoutubeSearchIE, [{"contents": {"twoColumnSearchResultsRenderer": {
        "primaryContents": {"sectionListRenderer": {"contents": [{"itemSectionRenderer": {"contents": [
            video_renderer("dQw4w9WgXcQ", "Rick Astley - Never Gonna Give You Up (Official Music Video)",
                           "Rick Astley", "3:34", "1,712,345,678 views"),
            video_renderer("LiVeStReAm1", "Rick Astley 24/7 radio", "Lofi Fans", None, "812 watching"),
        ]}}]}}}}}])

    found = YouTubeProvider(settings).search("Rick Astley - Never Gonna Give You Up", limit=3)

    assert [c.as_dict() for c in found] == [{
        "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "title": "Rick Astley - Never Gonna Give You Up (Official Music Video)", "channel": "Rick Astley",
        "duration": 214.0, "views": 1_712_345_678, "source": "youtube",
    }]
    assert [body["query"] for body in sent] == ["Rick Astley - Never Gonna Give You Up"]


# --- failures ----------------------------------------------------------------------------------------


def failing_extract(cause: Exception, message: str) -> Any:
    def extract(url: str, options: dict[str, Any], extractor: Any) -> dict[str, Any]:
        attempts.append(url)
        raise DownloadError(f"ERROR: [youtube:search] query: {message}", (type(cause), cause, None))

    attempts: list[str] = []
    extract.attempts = attempts  # type: ignore[attr-defined]
    return extract


def http_error(status: int) -> HTTPError:
    return HTTPError(Response(io.BytesIO(b""), "https://www.youtube.com/youtubei/v1/search", {}, status=status))


def test_a_dropped_connection_is_retried_then_reported(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    extract = failing_extract(TransportError("Connection reset by peer"), "Unable to download API page")
    monkeypatch.setattr(youtube, "extract", extract)
    with pytest.raises(ServiceUnavailableError, match="YouTube is not answering properly"):
        YouTubeProvider(settings).search("anything")
    assert len(extract.attempts) == 3


def test_youtube_rate_limits_are_reported_with_a_time(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(youtube, "extract", failing_extract(http_error(429), "HTTP Error 429: Too Many Requests"))
    with pytest.raises(RateLimitedError, match="YouTube Music rate limited us until"):
        YouTubeMusicProvider(settings).search("anything")


def test_other_failures_say_which_search_failed(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    cause = ExtractorError("Failed to parse JSON", expected=False)
    monkeypatch.setattr(youtube, "extract", failing_extract(cause, "Failed to parse JSON"))
    with pytest.raises(PySyncError, match="^YouTube search failed: .*Failed to parse JSON"):
        YouTubeProvider(settings).search("anything")
