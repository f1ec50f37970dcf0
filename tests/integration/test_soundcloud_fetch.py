"""Sets, likes and uploads read from the fake api-v2, and how their JSON becomes RemoteTracks."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pysync_web.config import Settings
from pysync_web.errors import NotFoundError
from pysync_web.models import Platform
from tests.fakes.soundcloud import FakeSoundCloud, fetch_link


def test_a_set_fills_its_stub_tracks_in_batches_of_50_and_keeps_its_order(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings
) -> None:
    curator = fake_soundcloud.add_user("curator", "The Curator")
    artist = fake_soundcloud.add_user("artist")
    tracks = fake_soundcloud.add_tracks(artist, 120)
    order = tracks[60:] + tracks[:60]  # a set's order is its own, not upload order
    fake_soundcloud.add_playlist(curator, "night-drive", order, title="Night Drive")

    remote = fetch_link(soundcloud_settings, "https://soundcloud.com/curator/sets/night-drive?si=x")

    assert [t.platform_id for t in remote.tracks] == [str(t["id"]) for t in order]
    stub_calls = fake_soundcloud.server.requests_to(r"^/tracks$")
    assert sorted(len(call.query["ids"].split(",")) for call in stub_calls) == [15, 50, 50]  # 120 - 5 full
    assert remote.name == "Night Drive"
    assert remote.owner == "The Curator"
    assert remote.total == 120
    assert remote.snapshot_id is None  # SoundCloud has none: sets are always read in full
    assert remote.skipped.total == 0
    assert all(t.added_at is None for t in remote.tracks)  # sets do not say when a track was added


def test_a_set_without_stubs_needs_no_track_requests(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings
) -> None:
    user = fake_soundcloud.add_user("someone")
    fake_soundcloud.add_playlist(user, "short", fake_soundcloud.add_tracks(user, 3))

    remote = fetch_link(soundcloud_settings, "https://soundcloud.com/someone/sets/short")

    assert len(remote.tracks) == 3
    assert fake_soundcloud.server.requests_to(r"^/tracks$") == []


def test_deleted_and_region_blocked_tracks_are_counted_unavailable(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings
) -> None:
    user = fake_soundcloud.add_user("someone")
    fine = fake_soundcloud.add_tracks(user, 8)
    blocked = fake_soundcloud.add_tracks(user, 1, policy="BLOCK")
    fake_soundcloud.delete_track(fine[1])  # among the full ones
    fake_soundcloud.delete_track(fine[6])  # among the stubs
    fake_soundcloud.add_playlist(user, "mixed", fine[:4] + blocked + fine[4:])

    remote = fetch_link(soundcloud_settings, "https://soundcloud.com/someone/sets/mixed")

    kept = [fine[i] for i in (0, 2, 3, 4, 5, 7)]
    assert [t.platform_id for t in remote.tracks] == [str(t["id"]) for t in kept]
    assert remote.skipped.unavailable == 3
    assert remote.total == 9


def test_a_private_set_is_read_through_its_secret_link(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings
) -> None:
    user = fake_soundcloud.add_user("someone")
    tracks = fake_soundcloud.add_tracks(user, 7)
    playlist = fake_soundcloud.add_playlist(user, "demos", tracks, secret_token="s-AbC12")

    remote = fetch_link(soundcloud_settings, "https://soundcloud.com/someone/sets/demos/s-AbC12")

    assert len(remote.tracks) == 7
    (stub_call,) = fake_soundcloud.server.requests_to(r"^/tracks$")
    assert stub_call.query["playlistId"] == str(playlist["id"])
    assert stub_call.query["playlistSecretToken"] == "s-AbC12"
    with pytest.raises(NotFoundError, match="private sets need their secret link"):
        fetch_link(soundcloud_settings, "https://soundcloud.com/someone/sets/demos")


def test_track_fields_prefer_the_label_metadata_and_big_covers(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings
) -> None:
    label = fake_soundcloud.add_user("big-label", "Big Label")
    (tagged,) = fake_soundcloud.add_tracks(
        label, 1, title="Sunrise (Extended Mix)", release_date="2021-03-05T00:00:00Z",
        publisher_metadata={"id": 1, "artist": "DJ Dawn", "album_title": "Sunrise EP", "isrc": "GBAYE2100001",
                            "explicit": True, "contains_music": True},
    )
    (bare,) = fake_soundcloud.add_tracks(label, 1, artwork_url=None)
    fake_soundcloud.add_playlist(label, "releases", [tagged, bare])

    first, second = fetch_link(soundcloud_settings, "https://soundcloud.com/big-label/sets/releases").tracks

    assert first.platform is Platform.SOUNDCLOUD
    assert (first.title, first.artists, first.album, first.isrc, first.explicit) == (
        "Sunrise (Extended Mix)", ["DJ Dawn"], "Sunrise EP", "GBAYE2100001", True)
    assert first.duration_ms == tagged["full_duration"]
    assert first.release_date == "2021-03-05"
    assert first.cover_url == tagged["artwork_url"].replace("-large.jpg", "-t500x500.jpg")
    assert first.url == first.audio_url == tagged["permalink_url"]
    # Without label metadata: the uploader as artist, its avatar as cover, the upload date as release.
    assert (second.artists, second.album, second.isrc, second.explicit) == (["Big Label"], "", None, False)
    assert second.cover_url == label["avatar_url"].replace("-large.jpg", "-t500x500.jpg")
    assert second.release_date == bare["display_date"][:10]


def test_set_cover_is_its_artwork_else_its_first_tracks(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings
) -> None:
    user = fake_soundcloud.add_user("someone")
    tracks = fake_soundcloud.add_tracks(user, 2)
    with_art = fake_soundcloud.add_playlist(user, "with-art", tracks, artwork=True)
    fake_soundcloud.add_playlist(user, "without-art", tracks)

    assert fetch_link(soundcloud_settings, "https://soundcloud.com/someone/sets/with-art").cover_url == (
        with_art["artwork_url"].replace("-large", "-t500x500"))
    assert fetch_link(soundcloud_settings, "https://soundcloud.com/someone/sets/without-art").cover_url == (
        tracks[0]["artwork_url"].replace("-large", "-t500x500"))


def test_go_plus_only_tracks_have_no_audio_source_and_a_notice(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings
) -> None:
    user = fake_soundcloud.add_user("someone")
    tracks = fake_soundcloud.add_tracks(user, 2) + fake_soundcloud.add_tracks(user, 1, policy="SNIP")
    fake_soundcloud.add_playlist(user, "premium", tracks)

    remote = fetch_link(soundcloud_settings, "https://soundcloud.com/someone/sets/premium")

    assert [t.audio_url is None for t in remote.tracks] == [False, False, True]
    assert remote.tracks[2].url == tracks[2]["permalink_url"]
    assert remote.notice is not None and "1 track(s) are SoundCloud Go+ only" in remote.notice


def test_likes_follow_next_href_across_pages_and_leave_set_likes_out(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings
) -> None:
    fan = fake_soundcloud.add_user("fan", "A Fan")
    artist = fake_soundcloud.add_user("artist")
    tracks = fake_soundcloud.add_tracks(artist, 23)
    a_set = fake_soundcloud.add_playlist(artist, "album", tracks[:3])
    for index, track in enumerate(tracks):
        fake_soundcloud.like(fan, track)
        if index == 10:
            fake_soundcloud.like(fan, a_set)
    fake_soundcloud.delete_track(tracks[5])  # its like disappears with it
    fake_soundcloud.page_size_cap = 10

    remote = fetch_link(soundcloud_settings, "https://soundcloud.com/fan/likes")

    expected = [t for t in reversed(tracks) if t is not tracks[5]]  # newest like first
    assert [t.platform_id for t in remote.tracks] == [str(t["id"]) for t in expected]
    assert remote.skipped.total == 0
    assert (remote.name, remote.owner, remote.total) == ("A Fan's likes", "A Fan", 23)
    assert remote.cover_url == fan["avatar_url"].replace("-large", "-t500x500")
    newest = remote.tracks[0].added_at
    assert newest is not None and newest.tzinfo is not None
    assert newest > remote.tracks[-1].added_at
    pages = fake_soundcloud.server.requests_to(rf"^/users/{fan['id']}/likes$")
    assert len(pages) == 3
    assert pages[0].query["limit"] == "200" and pages[0].query["linked_partitioning"] == "1"
    assert [page.query.get("offset") for page in pages] == [None, "cursor-10", "cursor-20"]
    assert all(page.query["client_id"] == fake_soundcloud.client_id for page in pages)


def test_next_href_is_followed_on_the_configured_api_not_the_host_it_names(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings
) -> None:
    fan = fake_soundcloud.add_user("fan")
    for track in fake_soundcloud.add_tracks(fake_soundcloud.add_user("artist"), 5):
        fake_soundcloud.like(fan, track)
    fake_soundcloud.page_size_cap = 2
    fake_soundcloud.next_href_base = "https://api-v2.soundcloud.com"  # as seen through a mirror

    assert len(fetch_link(soundcloud_settings, "https://soundcloud.com/fan/likes").tracks) == 5
    assert len(fake_soundcloud.server.requests_to(rf"^/users/{fan['id']}/likes$")) == 3


def test_user_tracks_are_the_uploads_newest_first_with_their_upload_time(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings
) -> None:
    artist = fake_soundcloud.add_user("artist", "The Artist")
    uploads = fake_soundcloud.add_tracks(artist, 5)
    fake_soundcloud.page_size_cap = 2

    remote = fetch_link(soundcloud_settings, "https://soundcloud.com/artist")

    assert [t.platform_id for t in remote.tracks] == [str(t["id"]) for t in reversed(uploads)]
    assert remote.tracks[0].added_at == datetime.fromisoformat(uploads[-1]["created_at"])
    assert remote.tracks[0].added_at.tzinfo == UTC
    assert (remote.name, remote.owner, remote.total) == ("The Artist's tracks", "The Artist", 5)
    pages = fake_soundcloud.server.requests_to(rf"^/users/{artist['id']}/tracks$")
    assert [page.query.get("offset") for page in pages] == [None, "cursor-2", "cursor-4"]


def test_an_unknown_set_or_profile_is_not_found(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings
) -> None:
    fake_soundcloud.add_user("someone")

    with pytest.raises(NotFoundError) as error:
        fetch_link(soundcloud_settings, "https://soundcloud.com/someone/sets/gone")
    assert str(error.value) == (
        "SoundCloud has nothing at https://soundcloud.com/someone/sets/gone — check the link; "
        "private sets need their secret link."
    )
    with pytest.raises(NotFoundError):
        fetch_link(soundcloud_settings, "https://soundcloud.com/nobody/likes")
