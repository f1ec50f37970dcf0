"""Resolving a SoundCloud track to a stream URL, against the fake api-v2 and its media endpoints."""
from __future__ import annotations

from typing import Any

import pytest

from pysync_web.config import Settings
from pysync_web.errors import AccessDeniedError, CredentialsError, NotFoundError, PySyncError
from pysync_web.platforms.soundcloud_streams import PREVIEW_ONLY, Protocol, Stream, resolve_stream
from tests.fakes.server import Reply
from tests.fakes.soundcloud import CLIENT_ID, FakeSoundCloud

Json = dict[str, Any]


@pytest.fixture
def track(fake_soundcloud: FakeSoundCloud) -> Json:
    [added] = fake_soundcloud.add_tracks(fake_soundcloud.add_user("someone"), 1)
    return added


def keep_only(track: Json, *kinds: tuple[str, str]) -> None:
    """Leave the track only the transcodings of these (protocol, mime type prefix) kinds."""
    track["media"]["transcodings"] = [
        t for t in track["media"]["transcodings"]
        if any(t["format"]["protocol"] == protocol and t["format"]["mime_type"].startswith(mime) for protocol, mime in kinds)
    ]


def test_progressive_mp3_comes_first(fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings, track: Json) -> None:
    stream = resolve_stream(soundcloud_settings, track["permalink_url"])

    assert stream == Stream(f"{fake_soundcloud.url}/{track['id']}.128.mp3", "progressive", "audio/mpeg", "mp3")
    # The transcoding URL names api-v2.soundcloud.com; it was asked at the configured API, as the web app asks it.
    [asked] = fake_soundcloud.server.requests_to("/media/")
    assert asked.path == f"/media/soundcloud:tracks:{track['id']}/mp3_0_0/stream/progressive"
    assert asked.query == {"client_id": CLIENT_ID, "track_authorization": track["track_authorization"]}


@pytest.mark.parametrize("track_id", [int, str], ids=["int", "digits"])
def test_a_numeric_id_works_as_well_as_a_link(soundcloud_settings: Settings, track: Json, track_id: type) -> None:
    assert resolve_stream(soundcloud_settings, track_id(track["id"])).protocol == "progressive"


@pytest.mark.parametrize(("offered", "expected"), [
    ([("hls", "audio/mpeg"), ("hls", "audio/mp4"), ("hls", "audio/ogg")], ("hls", "audio/mpeg", "mp3", "128.mp3")),
    ([("hls", "audio/ogg"), ("hls", "audio/mp4")], ("hls", 'audio/mp4; codecs="mp4a.40.2"', "m4a", "160.m4a")),
    ([("hls", "audio/ogg")], ("hls", 'audio/ogg; codecs="opus"', "opus", "64.opus")),
], ids=["hls-mp3", "hls-aac", "hls-opus"])
def test_without_progressive_mp3_hls_is_chosen_mp3_then_aac_then_opus(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings, track: Json,
    offered: list[tuple[str, str]], expected: tuple[Protocol, str, str, str],
) -> None:
    keep_only(track, *offered)
    protocol, mime_type, ext, file = expected
    stream = resolve_stream(soundcloud_settings, track["permalink_url"])
    assert stream == Stream(f"{fake_soundcloud.url}/playlist/{track['id']}.{file}/playlist.m3u8", protocol, mime_type, ext)


def test_a_transcoding_that_is_gone_makes_way_for_the_next(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings, track: Json
) -> None:
    fake_soundcloud.server.fail("/stream/progressive", Reply.json({"code": 404}, status=404))
    assert resolve_stream(soundcloud_settings, track["permalink_url"]).url.endswith(".128.mp3/playlist.m3u8")


def test_go_plus_previews_are_refused_before_any_stream_is_asked_for(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings
) -> None:
    [snipped] = fake_soundcloud.add_tracks(fake_soundcloud.add_user("label"), 1, policy="SNIP")
    with pytest.raises(PySyncError) as refused:
        resolve_stream(soundcloud_settings, snipped["permalink_url"])
    assert str(refused.value) == PREVIEW_ONLY
    assert "30-second preview" in PREVIEW_ONLY
    assert fake_soundcloud.server.requests_to("/media/") == []


def test_the_snipped_flag_alone_marks_a_preview(soundcloud_settings: Settings, track: Json) -> None:
    for transcoding in track["media"]["transcodings"]:  # URLs still under /stream/
        transcoding["snipped"] = True
    with pytest.raises(PySyncError, match="30-second preview"):
        resolve_stream(soundcloud_settings, track["permalink_url"])


def test_drm_only_tracks_and_adaptive_presets_are_not_downloadable(soundcloud_settings: Settings, track: Json) -> None:
    transcodings = track["media"]["transcodings"]
    track["media"]["transcodings"] = [
        {**transcodings[1], "format": {**transcodings[1]["format"], "protocol": "ctr-encrypted-hls"}},
        # Adaptive playlists are skipped by preset, whatever codec they claim.
        {**transcodings[2], "preset": "abr_sq"},
    ]
    with pytest.raises(PySyncError, match=r"that we can download \(DRM-protected or none\)"):
        resolve_stream(soundcloud_settings, track["permalink_url"])


def test_blocked_missing_and_unauthorised(fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings) -> None:
    user = fake_soundcloud.add_user("someone")
    [blocked, deleted] = fake_soundcloud.add_tracks(user, 2)
    blocked["policy"] = "BLOCK"
    fake_soundcloud.delete_track(deleted)
    with pytest.raises(AccessDeniedError, match="does not play .* in your country"):
        resolve_stream(soundcloud_settings, blocked["permalink_url"])
    with pytest.raises(NotFoundError, match="SoundCloud has nothing at https://soundcloud.com/someone/gone"):
        resolve_stream(soundcloud_settings, "https://soundcloud.com/someone/gone")
    with pytest.raises(NotFoundError, match=f"SoundCloud track {deleted['id']} was deleted or made private"):
        resolve_stream(soundcloud_settings, deleted["id"])
    with pytest.raises(NotFoundError, match="is not a SoundCloud track"):
        resolve_stream(soundcloud_settings, user["permalink_url"])
    soundcloud_settings.soundcloud_client_id = "wrongwrongwrongwrongwrongwrong00"
    with pytest.raises(CredentialsError, match="client id is invalid"):
        resolve_stream(soundcloud_settings, user["permalink_url"])
