"""Drive the web app's pages with NiceGUI's simulated user: fast, no browser, real services."""
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path

import pytest
from nicegui.testing.user import User
from nicegui.testing.user_simulation import user_simulation

from pysync_web.config import Settings
from pysync_web.services.app_services import AppServices
from pysync_web.ui.app import root
from pysync_web.ui.context import AppContext


@pytest.fixture
def ui_services(ytdlp_settings: Settings) -> AppServices:
    opened = AppServices.open(ytdlp_settings)
    yield opened
    opened.close()


@pytest.fixture
async def app_user(ui_services: AppServices) -> AsyncIterator[User]:
    async with user_simulation(root=partial(root, AppContext.create(ui_services))) as user:
        yield user
