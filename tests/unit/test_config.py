import pytest

from pysync_web.config import Settings


@pytest.mark.parametrize("raw, expected", [("false", False), ("0", False), ("no", False), ("true", True),
                                           ("1", True), ("on", True)])
def test_yes_no_settings_read_text_properly(tmp_path, raw, expected):
    assert Settings.load(tmp_path, environ={"PYSYNC_LAN": raw}).lan_access is expected


def test_defaults_file_then_environment(tmp_path):
    Settings(data_dir=tmp_path, port=9000, audio_format="flac").save()
    settings = Settings.load(tmp_path, environ={"PYSYNC_AUDIO_FORMAT": "opus"})
    assert (settings.port, settings.audio_format, settings.host) == (9000, "opus", "127.0.0.1")


def test_a_bad_value_is_ignored_with_the_default_kept(tmp_path):
    assert Settings.load(tmp_path, environ={"PYSYNC_PORT": "eighty"}).port == 8080
    assert Settings.load(tmp_path, environ={"PYSYNC_LAN": "maybe"}).lan_access is False


def test_data_dir_comes_from_the_environment(tmp_path):
    assert Settings.load(environ={"PYSYNC_DATA_DIR": str(tmp_path)}).data_dir == tmp_path
