"""Mapping yt-dlp's flat playlist dicts, written the way yt-dlp 2026.10 returns them for YouTube
(`extract_flat="in_playlist"`: entries are unresolved `url` results from the tab extractor)."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from pysync_web.errors import UnsupportedUrlError
from pysync_web.models import Platform, PlaylistKind, PlaylistRef
from pysync_web.platforms.ytdlp_entries import playlist_from_info

LIST_ID = "PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI"
PLAYLIST_REF = PlaylistRef(Platform.YTDLP, PlaylistKind.PLAYLIST, LIST_ID,
                           f"https://www.youtube.com/playlist?list={LIST_ID}")


def thumbnails(video_id: str) -> list[dict[str, Any]]:
    return [
        {"url": f"https://i.ytimg.com/vi/{video_id}/hqdefault.jpg?sqp=-oaymwEbCKgBEF5IVfKriqkDDggBFQAAiEIYAXABwAEG",
         "height": 94, "width": 168},
        {"url": f"https://i.ytimg.com/vi/{video_id}/hqdefault.jpg?sqp=-oaymwE2CNACELwBSFXyq4qpAygIARUAAIhCGAFwAcABBg",
         "height": 188, "width": 336},
    ]


def video(video_id: str, title: str, channel: str | None, duration: float | None = 215.0,
          **extra: Any) -> dict[str, Any]:
    return {
        "_type": "url", "ie_key": "Youtube", "id": video_id,
        "url": f"https://www.youtube.com/watch?v={video_id}",
        "title": title, "description": None, "duration": duration,
        "channel_id": "UCuAXFkgsw1L7xaCfnd5JJOw" if channel else None, "channel": channel,
        "channel_url": "https://www.youtube.com/channel/UCuAXFkgsw1L7xaCfnd5JJOw" if channel else None,
        "uploader": channel, "uploader_id": None, "uploader_url": None,
        "thumbnails": thumbnails(video_id), "timestamp": None, "release_timestamp": None,
        "availability": None, "view_count": 1_234_567 if channel else None, "live_status": None,
        "channel_is_verified": None, "__x_forwarded_for_ip": None,
        **extra,
    }


def youtube_playlist(entries: list[dict[str, Any] | None], **extra: Any) -> dict[str, Any]:
    return {
        "_type": "playlist", "id": LIST_ID, "title": "Dance Classics",
        "availability": "public", "channel_follower_count": None, "description": "", "tags": [],
        "thumbnails": [
            {"url": "https://i.ytimg.com/vi/5NV6Rdv1a3I/hqdefault.jpg?sqp=small", "height": 94, "width": 168},
            {"url": "https://i.ytimg.com/vi/5NV6Rdv1a3I/hqdefault.jpg?sqp=large", "height": 270, "width": 480},
        ],
        "modified_date": "20240301", "view_count": 9876, "playlist_count": len(entries),
        "channel": "DJ Someone", "channel_id": "UCxxxxxxxxxxxxxxxxxxxxxx", "uploader_id": "@djsomeone",
        "uploader": "DJ Someone", "channel_url": "https://www.youtube.com/channel/UCxxxxxxxxxxxxxxxxxxxxxx",
        "uploader_url": "https://www.youtube.com/@djsomeone",
        "webpage_url": f"https://www.youtube.com/playlist?list={LIST_ID}",
        "original_url": f"https://www.youtube.com/playlist?list={LIST_ID}",
        "webpage_url_basename": "playlist", "webpage_url_domain": "youtube.com",
        "extractor": "youtube:tab", "extractor_key": "YoutubeTab", "release_year": None, "epoch": 1796050000,
        "entries": entries,
        **extra,
    }


def test_youtube_playlist_maps_metadata_and_splits_titles() -> None:
    info = youtube_playlist([
        video("5NV6Rdv1a3I", "Daft Punk - Get Lucky (Official Audio) ft. Pharrell Williams, Nile Rodgers",
              "DaftPunkVEVO", 369.0),
        video("dQw4w9WgXcQ", "Never Gonna Give You Up", "Rick Astley - Topic", 213.4),
        video("xvFZjo5PgG0", "Title [FREE DL]", "Some Producer Official"),
    ])
    playlist = playlist_from_info(PLAYLIST_REF, info)

    assert (playlist.name, playlist.owner, playlist.total) == ("Dance Classics", "DJ Someone", 3)
    assert playlist.cover_url == "https://i.ytimg.com/vi/5NV6Rdv1a3I/hqdefault.jpg?sqp=large"
    assert playlist.snapshot_id is None
    lucky, rick, producer = playlist.tracks or []
    assert (lucky.artists, lucky.title) == (
        ["Daft Punk", "Pharrell Williams", "Nile Rodgers"], "Get Lucky ft. Pharrell Williams, Nile Rodgers")
    assert (rick.artists, rick.title) == (["Rick Astley"], "Never Gonna Give You Up")
    assert (producer.artists, producer.title) == (["Some Producer"], "Title")
    assert lucky.platform is Platform.YTDLP
    assert lucky.platform_id == "5NV6Rdv1a3I"
    assert lucky.url == lucky.audio_url == "https://www.youtube.com/watch?v=5NV6Rdv1a3I"
    assert (lucky.duration_ms, rick.duration_ms) == (369_000, 213_400)
    assert lucky.cover_url == thumbnails("5NV6Rdv1a3I")[-1]["url"]
    assert lucky.album == ""  # a playlist is not an album
    assert lucky.added_at is None and lucky.release_date is None  # flat YouTube entries carry no dates


def test_gone_videos_and_null_entries_are_counted_not_returned() -> None:
    info = youtube_playlist([
        video("aaaaaaaaaaa", "[Deleted video]", None, None),
        None,
        video("bbbbbbbbbbb", "Artist - Song", "Artist"),
        video("ccccccccccc", "[Private video]", None, None),
    ])
    playlist = playlist_from_info(PLAYLIST_REF, info)

    assert [t.platform_id for t in playlist.tracks or []] == ["bbbbbbbbbbb"]
    assert playlist.skipped.unavailable == 3
    assert playlist.total == 4


def test_channel_uploads_take_the_artist_from_the_channel() -> None:
    # On a channel's own Videos tab YouTube leaves the byline out: entries have no channel at all.
    ref = PlaylistRef(Platform.YTDLP, PlaylistKind.CHANNEL, "@daftpunk", "https://www.youtube.com/@daftpunk/videos")
    info = youtube_playlist(
        [video("5NV6Rdv1a3I", "Get Lucky (Official Video)", None, 248.0,
               timestamp=1366934400, upload_date="20130426")],
        title="Daft Punk - Videos", channel="Daft Punk", uploader="Daft Punk",
    )
    playlist = playlist_from_info(ref, info)
    (track,) = playlist.tracks or []

    assert playlist.name == "Daft Punk"
    assert (track.artists, track.title) == (["Daft Punk"], "Get Lucky")
    assert track.added_at == datetime(2013, 4, 26, tzinfo=UTC)
    assert track.release_date == "2013-04-26"


def test_youtube_music_album_uses_topic_channel_and_album_name() -> None:
    ref = PlaylistRef(Platform.YTDLP, PlaylistKind.ALBUM, "OLAK5uy_x",
                      "https://www.youtube.com/playlist?list=OLAK5uy_x")
    info = youtube_playlist(
        [video("11111111111", "One More Time", "Daft Punk - Topic", 320.0),
         video("22222222222", "Aerodynamic - Remastered", "Daft Punk - Topic", 212.0)],
        title="Album - Discovery", channel="Daft Punk - Topic", uploader="Daft Punk - Topic",
    )
    playlist = playlist_from_info(ref, info)

    assert (playlist.name, playlist.owner) == ("Discovery", "Daft Punk")
    assert [(t.artists, t.title, t.album) for t in playlist.tracks or []] == [
        (["Daft Punk"], "One More Time", "Discovery"),
        (["Daft Punk"], "Aerodynamic - Remastered", "Discovery"),
    ]


def test_bandcamp_entries_are_prefixed_and_credited_to_the_page() -> None:
    ref = PlaylistRef(Platform.YTDLP, PlaylistKind.ALBUM, "blazo/jazz-format-mixtape-vol-1",
                      "https://blazo.bandcamp.com/album/jazz-format-mixtape-vol-1")
    info = {
        "_type": "playlist", "id": "jazz-format-mixtape-vol-1", "uploader_id": "blazo",
        "title": "Jazz Format Mixtape vol.1", "extractor_key": "BandcampAlbum",
        "entries": [{"_type": "url", "ie_key": "Bandcamp", "id": "1353101989", "title": "Intro",
                     "url": "https://blazo.bandcamp.com/track/intro"}],
    }
    (track,) = playlist_from_info(ref, info).tracks or []

    assert track.platform_id == "bandcamp:1353101989"
    assert (track.artists, track.title, track.album) == (["blazo"], "Intro", "Jazz Format Mixtape vol.1")
    assert track.audio_url == "https://blazo.bandcamp.com/track/intro"


def test_a_single_video_is_not_a_playlist() -> None:
    single = {**video("5NV6Rdv1a3I", "Daft Punk - Get Lucky", "Daft Punk"), "_type": "video"}
    with pytest.raises(UnsupportedUrlError, match="single item"):
        playlist_from_info(PLAYLIST_REF, single)
