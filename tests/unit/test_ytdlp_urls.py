"""Offline URL recognition for the yt-dlp source: what is accepted, how it is canonicalised, and what is
turned away with a sentence saying what to paste instead."""
from __future__ import annotations

import time

import pytest

from pysync_web.errors import InvalidUrlError, UnsupportedUrlError
from pysync_web.models import Platform, PlaylistKind, PlaylistRef
from pysync_web.platforms.ytdlp import YtDlpClient

LIST_ID = "PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI"
CHANNEL_ID = "UCuAXFkgsw1L7xaCfnd5JJOw"
PLAYLIST_URL = f"https://www.youtube.com/playlist?list={LIST_ID}"


def ref(kind: PlaylistKind, external_id: str, url: str) -> PlaylistRef:
    return PlaylistRef(Platform.YTDLP, kind, external_id, url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (PLAYLIST_URL, ref(PlaylistKind.PLAYLIST, LIST_ID, PLAYLIST_URL)),
        # one canonical host: the same list pasted from YouTube Music is recognised as already added
        (f"https://music.youtube.com/playlist?list={LIST_ID}", ref(PlaylistKind.PLAYLIST, LIST_ID, PLAYLIST_URL)),
        (f"https://m.youtube.com/playlist?list={LIST_ID}&si=tracking",
         ref(PlaylistKind.PLAYLIST, LIST_ID, PLAYLIST_URL)),
        (f"https://www.youtube.com/watch?v=dQw4w9WgXcQ&list={LIST_ID}&index=3",
         ref(PlaylistKind.PLAYLIST, LIST_ID, PLAYLIST_URL)),
        (f"https://youtu.be/dQw4w9WgXcQ?list={LIST_ID}", ref(PlaylistKind.PLAYLIST, LIST_ID, PLAYLIST_URL)),
        (f"  {PLAYLIST_URL}\n", ref(PlaylistKind.PLAYLIST, LIST_ID, PLAYLIST_URL)),
        ("https://music.youtube.com/playlist?list=OLAK5uy_kU5ZTAGcI8xQDdqzq2cG_jJtOlxR7ARs8",
         ref(PlaylistKind.ALBUM, "OLAK5uy_kU5ZTAGcI8xQDdqzq2cG_jJtOlxR7ARs8",
             "https://www.youtube.com/playlist?list=OLAK5uy_kU5ZTAGcI8xQDdqzq2cG_jJtOlxR7ARs8")),
        (f"https://music.youtube.com/browse/VL{LIST_ID}", ref(PlaylistKind.PLAYLIST, LIST_ID, PLAYLIST_URL)),
        ("https://music.youtube.com/browse/MPREb_4pL8gzRtw1p",
         ref(PlaylistKind.ALBUM, "MPREb_4pL8gzRtw1p", "https://music.youtube.com/browse/MPREb_4pL8gzRtw1p")),
        ("https://www.youtube.com/@DaftPunk",
         ref(PlaylistKind.CHANNEL, "@daftpunk", "https://www.youtube.com/@daftpunk/videos")),
        ("https://youtube.com/@DaftPunk/videos/",
         ref(PlaylistKind.CHANNEL, "@daftpunk", "https://www.youtube.com/@daftpunk/videos")),
        ("https://www.youtube.com/@DaftPunk/featured",
         ref(PlaylistKind.CHANNEL, "@daftpunk", "https://www.youtube.com/@daftpunk/videos")),
        (f"https://www.youtube.com/channel/{CHANNEL_ID}",
         ref(PlaylistKind.CHANNEL, CHANNEL_ID, f"https://www.youtube.com/channel/{CHANNEL_ID}/videos")),
        (f"https://music.youtube.com/channel/{CHANNEL_ID}",
         ref(PlaylistKind.CHANNEL, CHANNEL_ID, f"https://www.youtube.com/channel/{CHANNEL_ID}/videos")),
        (f"https://www.youtube.com/feeds/videos.xml?channel_id={CHANNEL_ID}",
         ref(PlaylistKind.CHANNEL, CHANNEL_ID, f"https://www.youtube.com/channel/{CHANNEL_ID}/videos")),
        ("https://www.youtube.com/c/DaftPunk", ref(PlaylistKind.CHANNEL, "c/DaftPunk",
                                                  "https://www.youtube.com/c/DaftPunk/videos")),
        ("https://www.youtube.com/user/daftpunkalive/videos",
         ref(PlaylistKind.CHANNEL, "user/daftpunkalive", "https://www.youtube.com/user/daftpunkalive/videos")),
        ("https://Blazo.bandcamp.com/album/jazz-format-mixtape-vol-1?from=search#t1",
         ref(PlaylistKind.ALBUM, "blazo/jazz-format-mixtape-vol-1",
             "https://blazo.bandcamp.com/album/jazz-format-mixtape-vol-1")),
        ("https://example.com/podcast.rss", ref(PlaylistKind.FEED, "https://example.com/podcast.rss",
                                                "https://example.com/podcast.rss")),
        ("HTTPS://Feeds.Example.com/Show.xml?token=AbC#latest",
         ref(PlaylistKind.FEED, "https://feeds.example.com/Show.xml?token=AbC",
             "https://feeds.example.com/Show.xml?token=AbC")),
        ("https://anchor.fm/s/dd00e14/podcast/rss", ref(PlaylistKind.FEED, "https://anchor.fm/s/dd00e14/podcast/rss",
                                                        "https://anchor.fm/s/dd00e14/podcast/rss")),
        ("https://example.org/feed/podcast/", ref(PlaylistKind.FEED, "https://example.org/feed/podcast/",
                                                  "https://example.org/feed/podcast/")),
        ("https://feeds.megaphone.fm/GLT1412515089", ref(PlaylistKind.FEED, "https://feeds.megaphone.fm/GLT1412515089",
                                                         "https://feeds.megaphone.fm/GLT1412515089")),
        ("http://127.0.0.1:8000/shows/fake.rss", ref(PlaylistKind.FEED, "http://127.0.0.1:8000/shows/fake.rss",
                                                     "http://127.0.0.1:8000/shows/fake.rss")),
        # any other site whose yt-dlp extractor lists pages
        ("https://vimeo.com/showcase/8732654", ref(PlaylistKind.PLAYLIST, "https://vimeo.com/showcase/8732654",
                                                   "https://vimeo.com/showcase/8732654")),
        ("https://www.mixcloud.com/someone/uploads/",
         ref(PlaylistKind.PLAYLIST, "https://www.mixcloud.com/someone/uploads/",
             "https://www.mixcloud.com/someone/uploads/")),
    ],
)
def test_accepted_urls(url: str, expected: PlaylistRef) -> None:
    assert YtDlpClient.claims(url)
    assert YtDlpClient.parse_url(url) == expected


@pytest.mark.parametrize(
    ("url", "advice"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "single YouTube video"),
        ("https://youtu.be/dQw4w9WgXcQ", "single YouTube video"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "single YouTube video"),
        ("https://www.youtube.com/live/dQw4w9WgXcQ", "single YouTube video"),
        ("https://music.youtube.com/watch?v=dQw4w9WgXcQ", "single YouTube video"),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=RDdQw4w9WgXcQ", "Mix"),
        ("https://www.youtube.com/playlist?list=WL", "signed in"),
        ("https://music.youtube.com/playlist?list=LM", "signed in"),
        ("https://www.youtube.com/@DaftPunk/shorts", "Videos tab"),
        ("https://www.youtube.com/results?search_query=daft+punk", "not a playlist or a channel"),
        ("https://www.youtube.com/", "not a playlist or a channel"),
        ("https://blazo.bandcamp.com/track/intro", "single Bandcamp track"),
        ("https://blazo.bandcamp.com/", "Only Bandcamp albums"),
        ("https://bandcamp.com/discover", "Only Bandcamp albums"),
        ("https://example.com/blog/post-1", "example.com is not a supported site"),
        ("https://example.com/feedback", "example.com is not a supported site"),
        ("https://news.example.com/feed.atom", "Atom feeds"),
        ("https://vimeo.com/76979871", "single item"),
    ],
)
def test_rejected_urls_say_what_to_paste(url: str, advice: str) -> None:
    with pytest.raises(UnsupportedUrlError, match="paste") as error:
        YtDlpClient.parse_url(url)
    assert advice in str(error.value)


@pytest.mark.parametrize("url", ["not a url", "ftp://example.com/feed.rss", "https:///playlist", "mailto:a@b.c"])
def test_non_web_links_are_not_claimed(url: str) -> None:
    assert not YtDlpClient.claims(url)
    with pytest.raises(InvalidUrlError):
        YtDlpClient.parse_url(url)


def test_malformed_playlist_id_is_invalid() -> None:
    with pytest.raises(InvalidUrlError, match="not a YouTube playlist id"):
        YtDlpClient.parse_url("https://www.youtube.com/playlist?list=PL<script>")


def test_parsing_is_fast_once_warm() -> None:
    YtDlpClient.warm_up()
    # The slowest path: no known pattern matches, so every yt-dlp extractor is asked before Generic.
    urls = [f"https://site{i}.example.com/some/page" for i in range(50)]
    started = time.perf_counter()
    for url in urls:
        with pytest.raises(UnsupportedUrlError):
            YtDlpClient.parse_url(url)
    # ~2 ms each on an idle machine; rebuilding the extractor list per call would cost ~300 ms each.
    # The bound leaves room for a loaded CI machine.
    assert (time.perf_counter() - started) / len(urls) < 0.1
