"""The client id: discovered from the (fake) web app, cached, persisted, replaced when it expires."""
from __future__ import annotations

from dataclasses import replace

import pytest

from pysync_web.config import Settings
from pysync_web.errors import CredentialsError
from pysync_web.platforms import soundcloud_client_id
from pysync_web.platforms.soundcloud_client_id import CLIENT_ID_FILE, discover_client_id
from tests.fakes.server import Reply
from tests.fakes.soundcloud import FakeSoundCloud, fetch_link

NEW_ID = "NeWsOuNdClOuDcLiEnTiD9876543210z"


@pytest.fixture
def a_set(fake_soundcloud: FakeSoundCloud) -> str:
    user = fake_soundcloud.add_user("someone")
    fake_soundcloud.add_playlist(user, "mix", fake_soundcloud.add_tracks(user, 8))
    return "https://soundcloud.com/someone/sets/mix"


def restart_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget what this process discovered, as a restart would; the data dir stays."""
    monkeypatch.setattr(soundcloud_client_id, "_discovered", {})


def test_discovery_scans_the_scripts_from_the_last_one(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings
) -> None:
    assert discover_client_id(soundcloud_settings) == fake_soundcloud.client_id

    fetched = [request.path for request in fake_soundcloud.server.requests]
    assert fetched == ["/", "/assets/50-app.js", "/assets/49-client.js"]  # the first bundle is never needed
    assert (soundcloud_settings.data_dir / CLIENT_ID_FILE).read_text() == fake_soundcloud.client_id


def test_discovery_reads_the_page_hydration_without_loading_scripts(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings
) -> None:
    fake_soundcloud.hydrate_client_id = True

    assert discover_client_id(soundcloud_settings) == fake_soundcloud.client_id
    assert [request.path for request in fake_soundcloud.server.requests] == ["/"]


def test_discovery_skips_a_bundle_that_is_missing(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings
) -> None:
    fake_soundcloud.server.fail(r"^/assets/50-app\.js$", Reply(404))

    assert discover_client_id(soundcloud_settings) == fake_soundcloud.client_id


def test_discovery_failure_says_how_to_set_the_id(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings
) -> None:
    fake_soundcloud.web_client_id = None

    with pytest.raises(CredentialsError) as error:
        discover_client_id(soundcloud_settings)
    assert str(error.value) == (
        f"Could not obtain a SoundCloud client id automatically (no client id in the page or the scripts of "
        f"{fake_soundcloud.url}/). Set PYSYNC_SOUNDCLOUD_CLIENT_ID or the SoundCloud client id in Settings."
    )
    assert not (soundcloud_settings.data_dir / CLIENT_ID_FILE).exists()


def test_a_blocked_home_page_is_a_discovery_failure(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings
) -> None:
    fake_soundcloud.server.fail(r"^/$", Reply(403))

    with pytest.raises(CredentialsError, match=r"automatically \(.*/ answered HTTP 403\)\. Set PYSYNC_SOUNDCLOUD"):
        discover_client_id(soundcloud_settings)


def test_fetches_discover_once_then_reuse_the_id_across_clients_and_restarts(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings, a_set: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fetch_link(soundcloud_settings, a_set)
    fetch_link(soundcloud_settings, a_set)
    restart_process(monkeypatch)
    fetch_link(soundcloud_settings, a_set)

    assert len(fake_soundcloud.server.requests_to(r"^/$")) == 1  # the persisted id survived the restart


def test_a_configured_id_is_used_as_is(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings, a_set: str
) -> None:
    settings = replace(soundcloud_settings, soundcloud_client_id=f" {fake_soundcloud.client_id} ")

    assert len(fetch_link(settings, a_set).tracks) == 8
    assert fake_soundcloud.server.requests_to(r"^/$") == []


def test_a_wrong_configured_id_says_how_to_fix_it(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings, a_set: str
) -> None:
    settings = replace(soundcloud_settings, soundcloud_client_id="x" * 32)

    with pytest.raises(CredentialsError) as error:
        fetch_link(settings, a_set)
    assert str(error.value) == (
        "SoundCloud client id is invalid or expired — put a current one in Settings or "
        "PYSYNC_SOUNDCLOUD_CLIENT_ID, or clear both to have one obtained automatically."
    )
    assert fake_soundcloud.server.requests_to(r"^/$") == []  # a configured id is never replaced behind your back


def test_an_expired_discovered_id_is_rediscovered_once(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings, a_set: str
) -> None:
    fetch_link(soundcloud_settings, a_set)
    fake_soundcloud.client_id = fake_soundcloud.web_client_id = NEW_ID  # SoundCloud shipped a new web app

    assert len(fetch_link(soundcloud_settings, a_set).tracks) == 8

    assert len(fake_soundcloud.server.requests_to(r"^/$")) == 2
    assert (soundcloud_settings.data_dir / CLIENT_ID_FILE).read_text() == NEW_ID
    assert fake_soundcloud.server.requests_to(r"^/tracks$")[-1].query["client_id"] == NEW_ID


def test_a_stale_persisted_id_is_replaced_after_a_restart(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings, a_set: str
) -> None:
    (soundcloud_settings.data_dir / CLIENT_ID_FILE).write_text("OlDsOuNdClOuDcLiEnTiD00000000000")

    assert len(fetch_link(soundcloud_settings, a_set).tracks) == 8
    assert (soundcloud_settings.data_dir / CLIENT_ID_FILE).read_text() == fake_soundcloud.client_id


def test_a_rediscovered_id_that_is_still_rejected_is_an_invalid_id(
    fake_soundcloud: FakeSoundCloud, soundcloud_settings: Settings, a_set: str
) -> None:
    fake_soundcloud.client_id = NEW_ID  # the API moved on, but the web page still ships the old id

    with pytest.raises(CredentialsError, match=r"^SoundCloud client id is invalid or expired"):
        fetch_link(soundcloud_settings, a_set)
    assert len(fake_soundcloud.server.requests_to(r"^/resolve$")) == 2  # one retry, no loop
