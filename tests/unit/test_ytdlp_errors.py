"""yt-dlp failures as users should meet them. The DownloadErrors are built the way YoutubeDL raises them:
the message carries "ERROR: [extractor] id: ..." and exc_info holds the ExtractorError or network error."""
from __future__ import annotations

import io

import pytest
from yt_dlp.networking import Response
from yt_dlp.networking.exceptions import HTTPError, TransportError
from yt_dlp.utils import DownloadError, ExtractorError

from pysync_web.errors import AccessDeniedError, NotFoundError, PySyncError, UnsupportedUrlError
from pysync_web.platforms.retry import RateLimitSignal, TransientFailure
from pysync_web.platforms.ytdlp import translate_download_error

URL = "https://www.youtube.com/playlist?list=PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI"


def extractor_failure(message: str) -> DownloadError:
    error = ExtractorError(message, expected=True, ie="youtube:tab", video_id="PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI")
    return DownloadError(f"ERROR: {error}", (ExtractorError, error, None))


def http_failure(status: int, headers: dict[str, str] | None = None) -> DownloadError:
    cause = HTTPError(Response(io.BytesIO(b""), URL, headers or {}, status=status))
    return DownloadError(f"ERROR: [youtube:tab] PLx: Unable to download API page: {cause} (caused by {cause!r})",
                         (HTTPError, cause, None))


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("This playlist is private", AccessDeniedError),
        ("Sign in to confirm your age. This video may be inappropriate for some users.", AccessDeniedError),
        ("Join this channel to get access to members-only content like this video", AccessDeniedError),
        ("The playlist does not exist.", NotFoundError),
        ("The channel/playlist does not exist and the URL redirected to youtube.com home page", NotFoundError),
        ("This video is unavailable", NotFoundError),
        ("This channel does not have a videos tab", UnsupportedUrlError),
        ("Sign in to confirm you\u2019re not a bot. Use --cookies-from-browser", RateLimitSignal),
        ("HTTP Error 429: Too Many Requests", RateLimitSignal),
        ("Read timed out.", TransientFailure),
        ("Failed to parse JSON", PySyncError),
    ],
)
def test_extractor_messages(message: str, expected: type[Exception]) -> None:
    assert type(translate_download_error(extractor_failure(message), URL)) is expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [(404, NotFoundError), (410, NotFoundError), (401, AccessDeniedError), (403, AccessDeniedError),
     (500, TransientFailure), (503, TransientFailure), (400, PySyncError)],
)
def test_http_statuses(status: int, expected: type[Exception]) -> None:
    assert type(translate_download_error(http_failure(status), URL)) is expected


def test_rate_limit_honours_retry_after_and_assumes_long_without_it() -> None:
    short = translate_download_error(http_failure(429, {"Retry-After": "5"}), URL)
    unknown = translate_download_error(http_failure(429), URL)

    assert isinstance(short, RateLimitSignal) and short.retry_after_s == 5
    assert isinstance(unknown, RateLimitSignal) and unknown.retry_after_s >= 600


def test_network_errors_are_retried() -> None:
    cause = TransportError("[Errno 111] Connection refused")
    error = DownloadError(f"ERROR: [generic] x: Unable to download webpage: {cause}", (TransportError, cause, None))

    assert isinstance(translate_download_error(error, URL), TransientFailure)


def test_messages_are_written_for_people() -> None:
    error = translate_download_error(extractor_failure("This playlist is private"), URL)

    assert str(error).startswith(f"YouTube refused to list {URL} (This playlist is private).")
    assert "ERROR" not in str(error) and "youtube:tab" not in str(error)
