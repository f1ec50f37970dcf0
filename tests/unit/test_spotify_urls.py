"""Every way people paste a Spotify playlist, album or Liked Songs link, and the ones we turn away."""
from __future__ import annotations

import pytest

from pysync_web.errors import InvalidUrlError, UnsupportedUrlError
from pysync_web.models import Platform, PlaylistKind
from pysync_web.platforms.spotify import SpotifyClient

PLAYLIST_ID = "37i9dQZF1DXcBWIGoYBM5M"
ALBUM_ID = "4aawyAB9vmqN3uQ7FjRGTy"
CANONICAL_PLAYLIST = f"https://open.spotify.com/playlist/{PLAYLIST_ID}"


@pytest.mark.parametrize("url", [
    CANONICAL_PLAYLIST,
    f"{CANONICAL_PLAYLIST}?si=1a2b3c4d5e6f",
    f"https://open.spotify.com/intl-de/playlist/{PLAYLIST_ID}?si=x&pt=y",
    f"https://open.spotify.com/intl-pt/playlist/{PLAYLIST_ID}/",
    f"http://open.spotify.com/playlist/{PLAYLIST_ID}",
    f"open.spotify.com/playlist/{PLAYLIST_ID}",
    f"https://play.spotify.com/playlist/{PLAYLIST_ID}",
    f"https://open.spotify.com/embed/playlist/{PLAYLIST_ID}?utm_source=generator",
    f"https://open.spotify.com/user/spotify/playlist/{PLAYLIST_ID}",
    f"spotify:playlist:{PLAYLIST_ID}",
    f"spotify:user:spotify:playlist:{PLAYLIST_ID}",
    f"  {CANONICAL_PLAYLIST}  ",
])
def test_playlist_links_become_one_canonical_ref(url: str) -> None:
    assert SpotifyClient.claims(url)
    ref = SpotifyClient.parse_url(url)
    assert (ref.platform, ref.kind, ref.external_id, ref.url) == (
        Platform.SPOTIFY, PlaylistKind.PLAYLIST, PLAYLIST_ID, CANONICAL_PLAYLIST
    )


@pytest.mark.parametrize("url", [
    f"https://open.spotify.com/album/{ALBUM_ID}?si=abc",
    f"https://open.spotify.com/intl-fr/album/{ALBUM_ID}",
    f"spotify:album:{ALBUM_ID}",
])
def test_album_links(url: str) -> None:
    ref = SpotifyClient.parse_url(url)
    assert (ref.kind, ref.external_id, ref.url) == (
        PlaylistKind.ALBUM, ALBUM_ID, f"https://open.spotify.com/album/{ALBUM_ID}"
    )


@pytest.mark.parametrize("url", [
    "https://open.spotify.com/collection/tracks",
    "https://open.spotify.com/intl-de/collection/tracks?si=x",
    "spotify:user:dana:collection",
])
def test_liked_songs_links(url: str) -> None:
    ref = SpotifyClient.parse_url(url)
    assert (ref.kind, ref.external_id, ref.url) == (
        PlaylistKind.LIKES, "liked", "https://open.spotify.com/collection/tracks"
    )


@pytest.mark.parametrize(("url", "named"), [
    ("https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC?si=1", "Spotify track link"),
    ("spotify:track:4uLU6hMCjMI75M1A2tKUQC", "Spotify track link"),
    ("https://open.spotify.com/artist/0OdUWJ0sBjDrqHygGUXeCF", "Spotify artist link"),
    ("https://open.spotify.com/show/2mTUnDkuKUkhiueKcVWoP0", "Spotify podcast link"),
    ("https://open.spotify.com/episode/512ojhOuo1ktJprKbVcKyQ", "Spotify podcast episode link"),
    ("https://open.spotify.com/user/dana", "Spotify profile link"),
    ("https://open.spotify.com/intl-de/audiobook/7iHfbu1YPACw6oZPAFJtqe", "Spotify audiobook link"),
])
def test_other_spotify_pages_say_what_to_paste(url: str, named: str) -> None:
    assert SpotifyClient.claims(url)
    with pytest.raises(UnsupportedUrlError) as error:
        SpotifyClient.parse_url(url)
    assert named in str(error.value)
    assert "paste a playlist or album link (Share → Copy link on a playlist)" in str(error.value)


def test_library_pages_other_than_liked_songs_point_at_collection_tracks() -> None:
    with pytest.raises(UnsupportedUrlError, match="collection/tracks"):
        SpotifyClient.parse_url("https://open.spotify.com/collection/playlists")


def test_short_links_ask_for_the_full_link() -> None:
    url = "https://spotify.link/aBcDeFgHiJ"
    assert SpotifyClient.claims(url)
    with pytest.raises(UnsupportedUrlError, match="open.spotify.com"):
        SpotifyClient.parse_url(url)


@pytest.mark.parametrize("url", [
    "https://open.spotify.com/playlist/tooShort",
    f"https://open.spotify.com/playlist/{PLAYLIST_ID}x",
    "https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5-",
    "https://open.spotify.com/playlist/",
    "spotify:playlist:",
    "spotify:album:not-an-id",
])
def test_malformed_ids_are_invalid(url: str) -> None:
    with pytest.raises(InvalidUrlError) as error:
        SpotifyClient.parse_url(url)
    assert not isinstance(error.value, UnsupportedUrlError)
    assert "22 letters and digits" in str(error.value)


@pytest.mark.parametrize("url", ["https://open.spotify.com/", "https://open.spotify.com/premium", "spotify:"])
def test_spotify_pages_that_are_not_content_are_invalid(url: str) -> None:
    with pytest.raises(InvalidUrlError, match="does not point at a playlist or album"):
        SpotifyClient.parse_url(url)


@pytest.mark.parametrize("url", [
    "https://soundcloud.com/dana/sets/road-trip",
    "https://www.youtube.com/playlist?list=PL123",
    "https://spotify.com.evil.example/playlist/37i9dQZF1DXcBWIGoYBM5M",
    "https://notopen.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M",
])
def test_other_sites_are_not_claimed(url: str) -> None:
    assert not SpotifyClient.claims(url)
