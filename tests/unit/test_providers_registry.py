"""The audio_providers setting turned into providers: order kept, mistakes reported with the valid names."""
from __future__ import annotations

from pathlib import Path

import pytest

from pysync_web.config import Settings
from pysync_web.errors import PySyncError
from pysync_web.providers.invidious import InvidiousProvider
from pysync_web.providers.registry import build_providers
from pysync_web.providers.soundcloud import SoundCloudProvider
from pysync_web.providers.youtube import YouTubeMusicProvider, YouTubeProvider


def settings(tmp_path: Path, providers: str, invidious_url: str = "") -> Settings:
    return Settings(data_dir=tmp_path, audio_providers=providers, invidious_url=invidious_url)


def test_the_default_is_youtube_music_then_youtube(tmp_path: Path) -> None:
    built = build_providers(Settings(data_dir=tmp_path))
    assert [type(provider) for provider in built] == [YouTubeMusicProvider, YouTubeProvider]


def test_order_is_kept_names_are_case_insensitive_and_repeats_count_once(tmp_path: Path) -> None:
    built = build_providers(settings(tmp_path, " SoundCloud, invidious ,youtube,soundcloud", "https://inv.example/"))
    assert [provider.name for provider in built] == ["soundcloud", "invidious", "youtube"]
    assert isinstance(built[0], SoundCloudProvider)
    assert isinstance(built[1], InvidiousProvider) and built[1].base_url == "https://inv.example"


def test_unknown_names_are_named_with_the_valid_ones(tmp_path: Path) -> None:
    with pytest.raises(PySyncError) as error:
        build_providers(settings(tmp_path, "youtube,spotify,deezer"))
    message = str(error.value)
    assert "'spotify', 'deezer'" in message
    assert "youtube-music, youtube, soundcloud, invidious" in message


def test_an_empty_setting_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PySyncError, match="No audio providers are set"):
        build_providers(settings(tmp_path, " , "))


def test_invidious_needs_an_instance_url(tmp_path: Path) -> None:
    with pytest.raises(PySyncError, match="Set PYSYNC_INVIDIOUS_URL"):
        build_providers(settings(tmp_path, "youtube-music,invidious"))
