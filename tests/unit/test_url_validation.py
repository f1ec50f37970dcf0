"""Checks every link passes before any platform sees it, and the platform routing of good links."""
import pytest

from pysync_web.errors import InvalidUrlError, UnsupportedUrlError
from pysync_web.models import Platform, PlaylistKind
from pysync_web.platforms.factory import normalize_url, parse_playlist_url

SPOTIFY_ID = "37i9dQZF1DXcBWIGoYBM5M"

BAD_INPUTS = [
    "",
    "   ",
    "\n\t",
    "x" * 5000,
    "not a url",
    "hello",
    "https://open.spotify.com/playlist/ID with spaces",
    "https://soundcloud.com/user/sets/a\x00b",
    "https://soundcloud.com/user/sets/a\x1bb",
    "ftp://open.spotify.com/playlist/" + SPOTIFY_ID,
    "file:///etc/passwd",
    "javascript:alert(1)",
    "mailto:someone@example.com",
    "http://",
    "https://",
    "://open.spotify.com",
    "https://open.spotify.com/track/" + SPOTIFY_ID,
    "https://open.spotify.com/artist/" + SPOTIFY_ID,
    "https://open.spotify.com/episode/" + SPOTIFY_ID,
    "spotify:track:" + SPOTIFY_ID,
    "https://open.spotify.com/playlist/",
    "https://open.spotify.com/playlist/short",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://youtu.be/dQw4w9WgXcQ",
    "https://example.com/some/page",
    "https://soundcloud.com/discover",
    "https://soundcloud.com/artist/a-single-track",
    "🎵🎵🎵",
    "https://[::1",
]


@pytest.mark.parametrize("raw", BAD_INPUTS, ids=lambda s: repr(s[:40]))
def test_bad_input_is_refused_with_a_sentence(raw):
    with pytest.raises(InvalidUrlError) as caught:
        parse_playlist_url(raw)
    message = str(caught.value)
    assert message and "\n" not in message and len(message) < 300


@pytest.mark.parametrize("raw", ["", " ", "x" * 3000, "a b", "tab\there"])
def test_normalize_refuses_before_any_parsing(raw):
    with pytest.raises(InvalidUrlError):
        normalize_url(raw)


def test_unsupported_site_says_what_to_paste():
    with pytest.raises(UnsupportedUrlError, match="Spotify, SoundCloud"):
        parse_playlist_url("https://example.com/some/page")


@pytest.mark.parametrize(
    "raw, normalized",
    [
        ("  https://open.spotify.com/playlist/x  ", "https://open.spotify.com/playlist/x"),
        ("open.spotify.com/playlist/x", "https://open.spotify.com/playlist/x"),
        ("spotify:playlist:x", "spotify:playlist:x"),
    ],
)
def test_normalize_trims_and_adds_scheme(raw, normalized):
    assert normalize_url(raw) == normalized


@pytest.mark.parametrize(
    "raw, platform, kind",
    [
        (f"https://open.spotify.com/playlist/{SPOTIFY_ID}?si=abc", Platform.SPOTIFY, PlaylistKind.PLAYLIST),
        (f"spotify:playlist:{SPOTIFY_ID}", Platform.SPOTIFY, PlaylistKind.PLAYLIST),
        ("https://open.spotify.com/collection/tracks", Platform.SPOTIFY, PlaylistKind.LIKES),
        ("https://soundcloud.com/artist/sets/summer-mix", Platform.SOUNDCLOUD, PlaylistKind.PLAYLIST),
        ("https://soundcloud.com/artist/likes", Platform.SOUNDCLOUD, PlaylistKind.LIKES),
        ("https://www.youtube.com/playlist?list=PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI",
         Platform.YTDLP, PlaylistKind.PLAYLIST),
        ("https://artist.bandcamp.com/album/some-album", Platform.YTDLP, PlaylistKind.ALBUM),
        ("https://feeds.example.org/podcast.rss", Platform.YTDLP, PlaylistKind.FEED),
    ],
)
def test_links_are_routed_to_their_platform(raw, platform, kind):
    ref = parse_playlist_url(raw)
    assert (ref.platform, ref.kind) == (platform, kind)
