"""One Settings pointing every platform at its fake, and the app's services over a temp data dir."""
from collections.abc import Iterator
from pathlib import Path

import pytest

from pysync_web.config import Settings
from pysync_web.services.app_services import AppServices
from tests.fakes.soundcloud import FakeSoundCloud
from tests.fakes.spotify import FakeSpotify


@pytest.fixture
def hub_settings(fake_spotify: FakeSpotify, fake_soundcloud: FakeSoundCloud, tmp_path: Path) -> Settings:
    return fake_spotify.settings(
        tmp_path / "data", soundcloud_api_url=fake_soundcloud.url, soundcloud_web_url=fake_soundcloud.url,
    )


@pytest.fixture
def services(hub_settings: Settings) -> Iterator[AppServices]:
    opened = AppServices.open(hub_settings)
    yield opened
    opened.close()
