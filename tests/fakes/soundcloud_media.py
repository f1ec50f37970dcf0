"""The media side of the fake SoundCloud: transcodings in the track JSON, the api-v2 endpoints that turn
one into a stream URL, and the streams, as real audio that the real yt-dlp downloads.

Real-API behaviour it keeps:
- a track lists progressive MP3, HLS MP3, HLS AAC and HLS Opus transcodings, each with a URL on
  api-v2.soundcloud.com (/media/soundcloud:tracks:<id>/<opaque>/stream/<protocol>), which the client
  must move onto whatever API base it is configured with;
- a Go+ track (policy SNIP) lists them all `snipped`, 30 seconds long, under /preview/ URLs;
- a transcoding URL needs the client id (the caller routes it through the API's check) and answers
  {"url": <stream URL>}; the web app also sends the track's `track_authorization` (tests read it from
  the request log);
- a progressive stream is one MP3 file; an HLS MP3 playlist lists plain MP3 chunks, the AAC and Opus
  ones fragmented-MP4 segments after an init segment (what ffmpeg writes for them).
Every track plays the same few seconds of tone, made once per session with tests.fakes.audio.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pysync_web.services.audio.ffmpeg import run_ffmpeg
from tests.fakes.audio import ToneLibrary
from tests.fakes.server import FakeServer, Reply, Request

API_MEDIA = "https://api-v2.soundcloud.com/media"
STREAM_SECONDS = 3
SNIPPET_MS = 30_000


@dataclass(frozen=True)
class _Variant:
    """One transcoding and the stream behind it."""

    preset: str
    protocol: str
    mime_type: str
    file: str  # the stream's name on SoundCloud's CDN: "<id>.128.mp3"
    tone: str  # tests.fakes.audio kind of its audio


VARIANTS = (
    _Variant("mp3_0_0", "progressive", "audio/mpeg", "128.mp3", "mp3"),
    _Variant("mp3_0_0", "hls", "audio/mpeg", "128.mp3", "mp3"),
    _Variant("aac_160k", "hls", 'audio/mp4; codecs="mp4a.40.2"', "160.m4a", "m4a"),
    _Variant("opus_0_0", "hls", 'audio/ogg; codecs="opus"', "64.opus", "opus"),
)
_NOT_FOUND = Reply(404, b"Not found", {"Content-Type": "text/plain"})
_CONTENT_TYPES = {".mp3": "audio/mpeg", ".m4s": "video/iso.segment", ".mp4": "video/mp4",
                  ".m3u8": "application/vnd.apple.mpegurl"}


class SoundCloudMedia:
    def __init__(self, server: FakeServer, tones: ToneLibrary, route_api: Callable[[str, Callable[[Request], Reply]], None],
                 is_streamable: Callable[[int], bool]):
        self._server = server
        self._tones = tones
        self._is_streamable = is_streamable  # False for deleted and unknown tracks
        self._lock = threading.Lock()  # parallel downloads must not make the same file twice at once
        route_api(r"/media/soundcloud:tracks:(?P<id>\d+)/(?P<preset>\w+)/(?:stream|preview)/(?P<protocol>\w+)",
                  self._stream_url)
        server.route("GET", r"/(?P<id>\d+)\.128\.mp3", self._progressive)
        server.route("GET", r"/playlist/(?P<id>\d+)\.(?P<file>[\w.]+)/(?P<name>[\w.]+)", self._hls)

    @staticmethod
    def transcodings(track_id: int, snipped: bool = False) -> list[dict[str, Any]]:
        kind = "preview" if snipped else "stream"
        return [{
            "url": f"{API_MEDIA}/soundcloud:tracks:{track_id}/{v.preset}/{kind}/{v.protocol}",
            "preset": v.preset, "duration": SNIPPET_MS if snipped else 180_000, "snipped": snipped,
            "format": {"protocol": v.protocol, "mime_type": v.mime_type}, "quality": "sq",
        } for v in VARIANTS]

    def _stream_url(self, request: Request) -> Reply:
        match = _match(request)
        variant = next((v for v in VARIANTS if (v.preset, v.protocol) == (match["preset"], match["protocol"])), None)
        if variant is None or not self._is_streamable(int(match["id"])):
            return Reply.json({"code": 404, "message": "Not found"}, status=404)
        if variant.protocol == "progressive":
            return Reply.json({"url": f"{self._server.url}/{match['id']}.{variant.file}"})
        return Reply.json({"url": f"{self._server.url}/playlist/{match['id']}.{variant.file}/playlist.m3u8"})

    def _progressive(self, request: Request) -> Reply:
        if not self._is_streamable(int(_match(request)["id"])):
            return _NOT_FOUND
        with self._lock:
            return _file_reply(self._tones.original("mp3", STREAM_SECONDS))

    def _hls(self, request: Request) -> Reply:
        match = _match(request)
        variant = next((v for v in VARIANTS if v.protocol == "hls" and v.file == match["file"]), None)
        if variant is None or not self._is_streamable(int(match["id"])):
            return _NOT_FOUND
        with self._lock:
            path = self._packaged(variant) / match["name"]
        return _file_reply(path) if path.is_file() else _NOT_FOUND

    def _packaged(self, variant: _Variant) -> Path:
        """The tone cut into one-second HLS segments, made once per session next to the tone itself."""
        source = self._tones.original(variant.tone, STREAM_SECONDS)
        folder = source.parent / f"hls-{source.stem}"
        if (folder / "playlist.m3u8").exists():
            return folder
        folder.mkdir()
        if variant.tone == "mp3":  # plain MP3 chunks, as SoundCloud's HLS MP3 serves them
            # Bare MP3 frames in every segment, as SoundCloud serves them: no ID3 or Xing header per chunk.
            muxer = ["-f", "segment", "-segment_time", "1", "-segment_format", "mp3",
                     "-segment_format_options", "id3v2_version=0:write_xing=0", "-segment_list_type", "m3u8",
                     "-segment_list", str(folder / "playlist.m3u8"), str(folder / "seg%d.mp3")]
        else:
            muxer = ["-f", "hls", "-hls_time", "1", "-hls_list_size", "0", "-hls_segment_type", "fmp4",
                     "-hls_segment_filename", str(folder / "seg%d.m4s"), str(folder / "playlist.m3u8")]
        run = run_ffmpeg(["-v", "error", "-i", str(source), "-c:a", "copy", *muxer])
        if run.returncode != 0:
            raise RuntimeError(f"could not package {source.name} as HLS: {run.stderr}")
        return folder


def _match(request: Request) -> re.Match[str]:
    assert request.match is not None  # FakeServer sets it for every routed request
    return request.match


def _file_reply(path: Path) -> Reply:
    return Reply(200, path.read_bytes(), {"Content-Type": _CONTENT_TYPES.get(path.suffix, "application/octet-stream")})
