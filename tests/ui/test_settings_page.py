"""The Settings page: inline validation, saving to settings.json and applying at once, the write-only
Spotify secret, the file name preview and obtaining a SoundCloud client id."""
import json

from pysync_web.config import Settings
from pysync_web.platforms.soundcloud_client_id import CLIENT_ID_FILE
from tests.fakes.soundcloud import CLIENT_ID as SOUNDCLOUD_ID

SECRET = "s3cret-Value-that-never-leaves-0042"


def one(user, marker: str):
    [element] = user.find(marker=marker).elements
    return element


def set_field(user, marker: str, value) -> None:
    with user:
        one(user, marker).set_value(value)


def saved_file(settings: Settings) -> dict:
    return json.loads(settings.settings_path.read_text())


async def test_bad_values_get_inline_errors(app_user):
    await app_user.open("/settings")
    app_user.find(marker="setting-invidious_url").type("invidious.example.org")
    assert "full address" in one(app_user, "setting-invidious_url").error

    app_user.find(marker="setting-filename_template").clear().type("{artist} - {title")
    assert "without a matching }" in one(app_user, "setting-filename_template").error

    app_user.find(marker="setting-filename_template").clear().type("{artist} - {bpm}")
    assert "Unknown field {bpm}" in one(app_user, "setting-filename_template").error

    set_field(app_user, "setting-download_concurrency", 0)
    assert "from 1 to 10" in one(app_user, "setting-download_concurrency").error
    set_field(app_user, "setting-download_concurrency", 4)
    assert one(app_user, "setting-download_concurrency").error is None


async def test_invalid_values_are_not_saved_and_stay_marked(app_user, ui_services):
    await app_user.open("/settings")
    set_field(app_user, "setting-download_concurrency", 25)
    app_user.find(marker="setting-music_dir").type("relative/folder")
    app_user.find(marker="save-settings").click()
    await app_user.should_see("Nothing was saved: fix the 2 marked fields.", retries=20)
    assert "from 1 to 10" in one(app_user, "setting-download_concurrency").error
    assert "full path" in one(app_user, "setting-music_dir").error
    assert not ui_services.settings.settings_path.exists()
    assert ui_services.settings.download_concurrency == 3


async def test_invidious_needs_its_address(app_user, ui_services):
    await app_user.open("/settings")
    app_user.find(marker="provider-on-invidious").click()
    app_user.find(marker="save-settings").click()
    await app_user.should_see("Nothing was saved: fix the 1 marked field.", retries=20)
    assert "address of an Invidious instance" in one(app_user, "setting-invidious_url").error
    assert "invidious" not in ui_services.settings.audio_providers


async def test_save_persists_and_applies_at_once(context_user, ui_context, ui_services, tmp_path):
    await context_user.open("/settings")
    music = tmp_path / "My Music"
    context_user.find(marker="setting-filename_template").clear().type("{playlist}/{artist} - {title}")
    set_field(context_user, "setting-audio_format", "flac")
    set_field(context_user, "setting-download_concurrency", 5)
    set_field(context_user, "setting-sync_interval_hours", 6.0)
    context_user.find(marker="setting-music_dir").type(str(music))
    context_user.find(marker="provider-down-youtube-music").click()  # youtube first now
    context_user.find(marker="provider-on-soundcloud").click()
    context_user.find(marker="save-settings").click()
    await context_user.should_see("Settings saved and applied.", retries=20)

    live = ui_services.settings
    assert (live.filename_template, live.audio_format, live.download_concurrency, live.sync_interval_hours) == \
        ("{playlist}/{artist} - {title}", "flac", 5, 6.0)
    assert live.music_path == music and music.is_dir()
    assert live.provider_names == ["youtube", "youtube-music", "soundcloud"]
    assert ui_context.queue.concurrency == 5
    stored = saved_file(live)
    assert stored["filename_template"] == "{playlist}/{artist} - {title}"
    assert stored["audio_providers"] == "youtube,youtube-music,soundcloud"
    assert Settings.load(live.data_dir, environ={}).download_concurrency == 5


async def test_port_and_lan_access_say_they_wait_for_a_restart(app_user, ui_services):
    await app_user.open("/settings")
    app_user.find(marker="setting-lan_access").click()
    set_field(app_user, "setting-port", 8090)
    app_user.find(marker="save-settings").click()
    await app_user.should_see("Settings saved. The port and LAN access will change after a restart.", retries=20)
    assert saved_file(ui_services.settings)["lan_access"] is True
    assert saved_file(ui_services.settings)["port"] == 8090


async def test_the_spotify_secret_never_reaches_the_browser(app_user, ui_services):
    ui_services.settings.spotify_client_id = "my-client-id"
    ui_services.settings.spotify_client_secret = SECRET
    await app_user.open("/settings")
    secret_input = one(app_user, "setting-spotify_client_secret")
    assert secret_input.value == ""
    assert "…0042" in secret_input.props["hint"]
    sent = json.dumps([element._to_dict() for element in app_user.client.elements.values()], default=str)
    assert SECRET not in sent
    assert "my-client-id" in sent  # the check above would see it

    app_user.find(marker="save-settings").click()  # an empty secret input keeps the stored secret
    await app_user.should_see("Nothing to save: the settings are unchanged.", retries=20)
    assert ui_services.settings.spotify_client_secret == SECRET

    app_user.find(marker="setting-spotify_client_secret").type("a-new-secret-9999")
    app_user.find(marker="save-settings").click()
    await app_user.should_see("Settings saved and applied.", retries=20)
    assert ui_services.settings.spotify_client_secret == "a-new-secret-9999"
    assert secret_input.value == ""
    assert "…9999" in secret_input.props["hint"]


async def test_file_name_preview_follows_the_template_and_format(app_user, ui_services):
    await app_user.open("/settings")
    music = ui_services.settings.music_path
    await app_user.should_see(f"Example: {music}/Daft Punk - One More Time.mp3")
    app_user.find(marker="setting-filename_template").clear().type("{playlist}/{track_number} {title}")
    set_field(app_user, "setting-audio_format", "opus")
    await app_user.should_see(f"Example: {music}/Road Trip/01 One More Time.opus")
    app_user.find(marker="setting-filename_template").clear().type("{title")
    assert one(app_user, "filename-preview").text == ""


async def test_obtain_a_soundcloud_client_id_without_configuring_it(app_user, ui_services, fake_soundcloud):
    ui_services.settings.soundcloud_web_url = fake_soundcloud.url
    await app_user.open("/settings")
    await app_user.should_see("None obtained yet")
    app_user.find(marker="soundcloud-obtain").click()
    await app_user.should_see(f"Obtained automatically: {SOUNDCLOUD_ID}", retries=30)
    assert one(app_user, "setting-soundcloud_client_id").value in ("", None)
    assert ui_services.settings.soundcloud_client_id == ""
    assert (ui_services.settings.data_dir / CLIENT_ID_FILE).read_text() == SOUNDCLOUD_ID
    assert not ui_services.settings.settings_path.exists()


async def test_obtaining_a_soundcloud_client_id_can_fail_with_a_reason(app_user, ui_services, fake_soundcloud):
    ui_services.settings.soundcloud_web_url = fake_soundcloud.url
    fake_soundcloud.web_client_id = None
    await app_user.open("/settings")
    app_user.find(marker="soundcloud-obtain").click()
    await app_user.should_see("Could not obtain a SoundCloud client id automatically", retries=30)
    await app_user.should_see("None obtained yet")


async def test_a_value_set_by_the_environment_says_so(app_user, monkeypatch):
    monkeypatch.setenv("PYSYNC_AUDIO_FORMAT", "m4a")
    await app_user.open("/settings")
    assert "PYSYNC_AUDIO_FORMAT" in one(app_user, "setting-audio_format").props["hint"]
    assert "PYSYNC_" not in (one(app_user, "setting-filename_template").props.get("hint") or "")
