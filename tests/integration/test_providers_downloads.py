"""Candidates really download: SoundCloud streams and Invidious audio, through the real yt-dlp and ffmpeg.

`download` holds the yt-dlp options these direct media URLs need; the download step uses the same.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from yt_dlp import YoutubeDL
from yt_dlp.extractor import gen_extractor_classes

from pysync_web.config import Settings
from pysync_web.platforms.soundcloud_streams import resolve_stream
from pysync_web.providers.invidious import InvidiousProvider
from pysync_web.providers.soundcloud import SoundCloudProvider
from pysync_web.services.audio.ffmpeg import ffmpeg_executable, probe
from tests.fakes.invidious import FakeInvidious
from tests.fakes.soundcloud import FakeSoundCloud
from tests.fakes.soundcloud_media import STREAM_SECONDS


def download(url: str, folder: Path) -> Path:
    options: dict[str, Any] = {
        # A fixed name: yt-dlp would name an Invidious download after its final URL, "videoplayback？id=…".
        "outtmpl": str(folder / "audio.%(ext)s"),
        "quiet": True,
        "noprogress": True,  # quiet alone still prints progress lines
        # HLS segments are joined into "audio.mp4"; yt-dlp's ffmpeg fixup remuxes that into a real MP4.
        # Without it, probes misread the joined file (1 s for MP3 chunks, 0 s for fragmented AAC).
        "ffmpeg_location": ffmpeg_executable(),
    }
    with YoutubeDL(options) as ydl:
        # Direct media links: the generic extractor, never YouTube's (see the last test).
        ydl.extract_info(url, download=True, ie_key="Generic")
    [file] = folder.iterdir()
    return file


@pytest.mark.parametrize(("protocol", "mime_prefix", "codec"), [
    ("progressive", "audio/mpeg", "mp3"),
    ("hls", "audio/mpeg", "mp3"),
    ("hls", "audio/mp4", "aac"),
    ("hls", "audio/ogg", "opus"),
], ids=["progressive-mp3", "hls-mp3", "hls-aac", "hls-opus"])
def test_a_soundcloud_candidate_downloads_from_its_stream(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings, tmp_path: Path,
    protocol: str, mime_prefix: str, codec: str,
) -> None:
    [track] = fake_soundcloud.add_tracks(fake_soundcloud.add_user("someone"), 1, title="Glowed Up")
    track["media"]["transcodings"] = [t for t in track["media"]["transcodings"] if t["format"]["protocol"] == protocol
                                      and t["format"]["mime_type"].startswith(mime_prefix)]
    [candidate] = SoundCloudProvider(soundcloud_settings).search("glowed up")

    stream = resolve_stream(soundcloud_settings, candidate.url)
    audio = probe(download(stream.url, tmp_path / "download"))

    assert stream.protocol == protocol
    assert audio.codec == codec
    assert audio.duration_s == pytest.approx(STREAM_SECONDS, abs=0.25)


def test_an_invidious_candidate_downloads_through_the_instance(
    fake_invidious: FakeInvidious, invidious_settings: Settings, tmp_path: Path
) -> None:
    video = fake_invidious.add_video("Daft Punk - Get Lucky", "Daft Punk", seconds=2)
    fake_invidious.set_results("get lucky", [video])
    [candidate] = InvidiousProvider(invidious_settings).search("get lucky")

    audio = probe(download(candidate.url, tmp_path / "download"))

    assert (audio.codec, audio.container) == ("aac", "mp4")
    assert audio.duration_s == pytest.approx(2, abs=0.1)
    assert fake_invidious.server.requests_to("/videoplayback"), "the audio came through the instance"


def test_known_invidious_instances_would_be_sent_to_youtube_without_the_generic_extractor() -> None:
    url = "https://yewtu.be/latest_version?id=5NV6Rdv1a3I&itag=140&local=true"
    assert next(ie.ie_key() for ie in gen_extractor_classes() if ie.suitable(url)) == "Youtube"
