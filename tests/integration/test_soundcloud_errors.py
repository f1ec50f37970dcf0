"""Rate limits, server errors and dead connections go through the shared retry policy."""
from __future__ import annotations

import time
from dataclasses import replace

import pytest

from pysync_web.config import Settings
from pysync_web.errors import PySyncError, RateLimitedError, ServiceUnavailableError
from tests.fakes.server import Reply
from tests.fakes.soundcloud import FakeSoundCloud, fetch_link

SET_URL = "https://soundcloud.com/someone/sets/mix"


@pytest.fixture(autouse=True)
def a_set(fake_soundcloud: FakeSoundCloud) -> None:
    user = fake_soundcloud.add_user("someone")
    fake_soundcloud.add_playlist(user, "mix", fake_soundcloud.add_tracks(user, 60))


def too_many_requests(retry_after_s: int) -> Reply:
    return Reply.json({"code": 429, "message": "Too Many Requests"}, status=429,
                      headers={"Retry-After": str(retry_after_s)})


def test_a_short_rate_limit_is_waited_out(fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings) -> None:
    fake_soundcloud.server.fail(r"^/tracks$", too_many_requests(0), times=1)

    assert len(fetch_link(soundcloud_settings, SET_URL).tracks) == 60
    assert len(fake_soundcloud.server.requests_to(r"^/tracks$")) == 3  # 2 batches + 1 retried


def test_a_long_rate_limit_is_reported_without_sleeping(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings
) -> None:
    fake_soundcloud.server.fail(r"^/resolve$", too_many_requests(3600), times=1)

    started = time.monotonic()
    with pytest.raises(RateLimitedError) as error:
        fetch_link(soundcloud_settings, SET_URL)
    assert time.monotonic() - started < 2
    assert str(error.value).startswith("SoundCloud rate limited us until ")


def test_server_errors_are_retried(fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings) -> None:
    fake_soundcloud.server.fail(r"^/resolve$", Reply(502), times=2)

    assert len(fetch_link(soundcloud_settings, SET_URL).tracks) == 60
    assert len(fake_soundcloud.server.requests_to(r"^/resolve$")) == 3


def test_persistent_server_errors_end_in_service_unavailable(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings
) -> None:
    fake_soundcloud.server.fail(r"^/resolve$", Reply(500), times=10)

    with pytest.raises(ServiceUnavailableError, match=r"not answering properly \(HTTP 500\); tried 3 times"):
        fetch_link(soundcloud_settings, SET_URL)
    assert len(fake_soundcloud.server.requests_to(r"^/resolve$")) == 3


def test_no_connection_ends_in_service_unavailable(soundcloud_settings: Settings) -> None:
    closed_port = replace(
        soundcloud_settings, soundcloud_api_url="http://127.0.0.1:9", soundcloud_client_id="c" * 32
    )

    with pytest.raises(ServiceUnavailableError, match="ConnectionError"):
        fetch_link(closed_port, SET_URL)


def test_an_answer_that_is_not_json_is_a_clear_error(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings
) -> None:
    fake_soundcloud.server.fail(r"^/resolve$", Reply.text("<html>captcha</html>"))

    with pytest.raises(ServiceUnavailableError, match="not JSON"):
        fetch_link(soundcloud_settings, SET_URL)


def test_other_refusals_name_the_status(fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings) -> None:
    fake_soundcloud.server.fail(r"^/resolve$", Reply.json({"code": 400}, status=400))

    with pytest.raises(PySyncError, match=r"SoundCloud refused to read .*/sets/mix \(HTTP 400\)"):
        fetch_link(soundcloud_settings, SET_URL)
