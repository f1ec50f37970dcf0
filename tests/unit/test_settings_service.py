"""The settings service: per-field checks, saving on top of the file without persisting overrides,
the write-only secret, file name previews, and the Spotify login's state bookkeeping."""
import json
from pathlib import Path

import pytest

from pysync_web.config import Settings
from pysync_web.errors import CredentialsError
from pysync_web.platforms.spotify_auth import SpotifyLogin
from pysync_web.providers.registry import PROVIDERS
from pysync_web.services.audio.convert import AudioFormat
from pysync_web.services.settings_checks import InvalidSetting
from pysync_web.services.settings_service import (
    AUDIO_FORMAT_CHOICES, PROVIDER_DESCRIPTIONS, SettingsInvalidError, SettingsService, SpotifyAccount,
    redirect_uri_problem,
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def service(settings: Settings) -> SettingsService:
    return SettingsService(settings, environ={})


def stored(settings: Settings) -> dict:
    return json.loads(settings.settings_path.read_text())


@pytest.mark.parametrize("name, value, message", [
    ("invidious_url", "invidious.example.org", "full address"),
    ("invidious_url", "ftp://example.org", "full address"),
    ("filename_template", "{artist} - {title", "without a matching }"),
    ("filename_template", "/{artist} - {title}", "relative to the music folder"),
    ("filename_template", "{playlist}/cover", "needs a field"),
    ("download_concurrency", 0, "from 1 to 10"),
    ("download_concurrency", 11, "from 1 to 10"),
    ("download_concurrency", 2.5, "whole number"),
    ("download_concurrency", "three", "whole number"),
    ("port", 70000, "from 1 to 65535"),
    ("audio_format", "wav", "mp3, m4a, opus, flac"),
    ("audio_providers", [], "at least one"),
    ("audio_providers", ["youtube", "napster"], "Unknown audio provider napster"),
    ("music_dir", "Music", "full path"),
    ("sync_interval_hours", 0.1, "every 15 minutes"),
    ("sync_interval_hours", "often", "as a number"),
    ("spotify_client_id", "abc def", "without spaces"),
    ("soundcloud_client_id", "not-an-id!", "letters and digits"),
])
def test_field_errors_say_what_to_fix(name, value, message):
    error = SettingsService.field_error(name, value)
    assert error is not None and message in error


@pytest.mark.parametrize("name, value", [
    ("invidious_url", ""), ("invidious_url", "https://yewtu.be/"), ("filename_template", "{playlist}/{title}"),
    ("download_concurrency", 3.0), ("port", "8081"), ("audio_format", "FLAC"), ("music_dir", ""),
    ("audio_providers", "youtube,soundcloud"), ("sync_interval_hours", 0), ("sync_interval_hours", 6),
    ("soundcloud_client_id", "fAkEsOuNdClOuDcLiEnTiD0123456789"), ("soundcloud_client_id", ""),
])
def test_good_values_pass(name, value):
    assert SettingsService.field_error(name, value) is None


def test_a_music_dir_path_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "song.mp3").write_bytes(b"x")
    assert "is a file" in SettingsService.field_error("music_dir", str(tmp_path / "song.mp3"))


def test_save_writes_the_file_and_applies_to_the_live_settings(service, settings, tmp_path):
    result = service.save({"filename_template": "{playlist}/{title}", "download_concurrency": 5.0,
                           "audio_providers": ["youtube", "soundcloud"], "music_dir": str(tmp_path / "M")})
    assert set(result.changed) == {"filename_template", "download_concurrency", "audio_providers", "music_dir"}
    assert result.message == "Settings saved and applied."
    assert (settings.filename_template, settings.download_concurrency) == ("{playlist}/{title}", 5)
    assert settings.audio_providers == "youtube,soundcloud"
    assert (tmp_path / "M").is_dir()
    assert stored(settings)["download_concurrency"] == 5
    assert Settings.load(settings.data_dir, environ={}).filename_template == "{playlist}/{title}"


def test_unchanged_values_save_nothing(service, settings):
    result = service.save(service.form_values())
    assert result.changed == () and result.message.startswith("Nothing to save")
    assert not settings.settings_path.exists()


def test_overrides_from_the_command_line_or_environment_are_not_saved(settings):
    settings.settings_path.parent.mkdir(parents=True)
    settings.settings_path.write_text(json.dumps({"audio_format": "m4a", "port": 9000}))
    live = Settings.load(settings.data_dir, environ={"SPOTIPY_CLIENT_SECRET": "from-env", "PYSYNC_HOST": "0.0.0.0"})
    service = SettingsService(live, environ={"SPOTIPY_CLIENT_SECRET": "from-env"})
    assert service.environment_overrides() == {"spotify_client_secret": "SPOTIPY_CLIENT_SECRET"}

    service.save({"filename_template": "{title}"})

    on_disk = stored(live)
    assert on_disk["filename_template"] == "{title}"
    assert (on_disk["audio_format"], on_disk["port"]) == ("m4a", 9000)  # what the file held stays
    assert on_disk["host"] == "127.0.0.1" and on_disk["spotify_client_secret"] == ""
    assert live.host == "0.0.0.0"  # the running app keeps its override


def test_restart_only_fields_say_so(service):
    result = service.save({"port": 8090, "lan_access": True})
    assert result.on_restart == ("the port", "LAN access")
    assert result.message == "Settings saved. The port and LAN access will change after a restart."


def test_nothing_is_saved_when_any_value_is_wrong(service, settings):
    with pytest.raises(SettingsInvalidError) as raised:
        service.save({"filename_template": "{title}", "download_concurrency": 0,
                      "audio_providers": ["invidious"], "invidious_url": ""})
    assert set(raised.value.errors) == {"download_concurrency", "invidious_url"}
    assert settings.filename_template == "{artist} - {title}"
    assert not settings.settings_path.exists()


def test_a_music_dir_that_cannot_be_created_is_refused_on_save(service, tmp_path):
    (tmp_path / "file").write_bytes(b"x")
    with pytest.raises(SettingsInvalidError) as raised:
        service.save({"music_dir": str(tmp_path / "file" / "music")})
    assert "is not writable" in raised.value.errors["music_dir"]


def test_the_secret_is_write_only(service, settings):
    service.save({"spotify_client_id": "id-1", "spotify_client_secret": "secret-abcdefgh-1234"})
    assert "spotify_client_secret" not in service.form_values()
    assert service.secret_hint() == "saved, ends in …1234"

    service.save({"spotify_client_id": "id-1", "spotify_client_secret": ""})  # empty: keep it
    assert settings.spotify_client_secret == "secret-abcdefgh-1234"

    service.save({"spotify_client_id": ""})  # no client id: the secret goes too
    assert (settings.spotify_client_secret, stored(settings)["spotify_client_secret"]) == ("", "")
    assert service.secret_hint() is None


def test_a_secret_without_a_client_id_is_refused(service):
    with pytest.raises(SettingsInvalidError) as raised:
        service.save({"spotify_client_secret": "secret-only"})
    assert "client id that goes with" in raised.value.errors["spotify_client_id"]


def test_filename_preview():
    assert SettingsService.filename_preview("{artist} - {title}", "mp3") == "Daft Punk - One More Time.mp3"
    assert SettingsService.filename_preview("{playlist}/{track_number}. {title}", "flac") == \
        "Road Trip/01. One More Time.flac"
    with pytest.raises(InvalidSetting):
        SettingsService.filename_preview("{nope}", "mp3")


def test_every_provider_and_format_is_described():
    assert set(PROVIDER_DESCRIPTIONS) == set(PROVIDERS)
    assert set(AUDIO_FORMAT_CHOICES) == {f.value for f in AudioFormat}


@pytest.mark.parametrize("uri, problem", [
    ("http://127.0.0.1:8080/spotify/callback", None),
    ("http://[::1]:8080/spotify/callback", None),
    ("https://music.example.org/spotify/callback", None),
    ("http://localhost:8080/spotify/callback", "does not accept “localhost”: open this app at http://127.0.0.1:8080"),
    ("http://192.168.1.20:8080/spotify/callback", "plain http only for 127.0.0.1"),
])
def test_redirect_uri_problems(uri, problem):
    found = redirect_uri_problem(uri)
    assert (found is None) if problem is None else (problem in found)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_login_state_expires_and_works_once(tmp_path, monkeypatch):
    settings = Settings(data_dir=tmp_path, spotify_client_id="id", spotify_client_secret="secret")
    exchanged = []
    monkeypatch.setattr(SpotifyLogin, "complete", lambda self, uri, code: exchanged.append((uri, code)))
    clock = Clock()
    account = SpotifyAccount(settings, clock=clock)
    _, state = account.start_login("http://127.0.0.1:8080/spotify/callback")
    _, other = account.start_login("http://127.0.0.1:8080/spotify/callback")
    assert state != other

    with pytest.raises(CredentialsError):
        account.finish_login(state, other, "code")  # the browser holds another login's state
    account.finish_login(state, state, "code-1")
    assert exchanged == [("http://127.0.0.1:8080/spotify/callback", "code-1")]
    with pytest.raises(CredentialsError):
        account.finish_login(state, state, "code-1")  # once only

    clock.now += SpotifyAccount.STATE_TTL_S + 1
    with pytest.raises(CredentialsError, match="took too long"):
        account.finish_login(other, other, "code-2")
    assert account.take_failure() is not None and account.take_failure() is None


def test_audio_quality_is_checked_and_described_per_format():
    from pysync_web.services.settings_checks import check_field
    from pysync_web.services.settings_service import audio_quality_choices

    assert check_field("audio_quality", "High") == "high"
    with pytest.raises(InvalidSetting, match="best, high, small"):
        check_field("audio_quality", "loud")
    assert "V0" in audio_quality_choices("mp3")["best"] and "192" in audio_quality_choices("m4a")["high"]
    assert set(audio_quality_choices("flac")) == {"best", "high", "small"}
