"""One check per editable setting: turn what a user typed into the value to store, or say what is wrong.

The Settings page runs these on every keystroke for inline messages, so they are cheap and never
touch the disk; `on_save=True` adds the checks that do (is the music folder writable?).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pysync_web.providers.registry import PROVIDERS
from pysync_web.services.audio.convert import AudioFormat, AudioQuality
from pysync_web.services.audio.filenames import validate_template
from pysync_web.services.download.storage import music_dir_problem
from pysync_web.worker.queue import MAX_CONCURRENCY

MIN_SYNC_INTERVAL_HOURS = 0.25  # more often would hammer the platforms for little gain
MAX_SYNC_INTERVAL_HOURS = 24 * 7
_SOUNDCLOUD_ID = re.compile(r"[0-9A-Za-z]{16,64}")


class InvalidSetting(ValueError):
    """The message says what is wrong with a value and how to fix it."""


def _text(raw: Any) -> str:
    return "" if raw is None else str(raw).strip()


def _credential(what: str) -> Callable[[Any], str]:
    def check(raw: Any) -> str:
        value = _text(raw)
        if any(char.isspace() for char in value) or len(value) > 200:
            raise InvalidSetting(f"Paste the {what} exactly as Spotify shows it, without spaces.")
        return value
    return check


def _soundcloud_client_id(raw: Any) -> str:
    value = _text(raw)
    if value and not _SOUNDCLOUD_ID.fullmatch(value):
        raise InvalidSetting("A SoundCloud client id is 32 letters and digits; leave it empty to have one "
                             "obtained automatically.")
    return value


def _providers(raw: Any) -> str:
    names = [name.strip().lower() for name in (raw.split(",") if isinstance(raw, str) else raw or [])]
    names = [name for name in names if name]
    if not names:
        raise InvalidSetting("Choose at least one place to search for audio.")
    unknown = [name for name in names if name not in PROVIDERS]
    if unknown:
        raise InvalidSetting(f"Unknown audio provider {', '.join(unknown)}; choose from {', '.join(PROVIDERS)}.")
    return ",".join(dict.fromkeys(names))


def _web_address(raw: Any) -> str:
    value = _text(raw).rstrip("/")
    parts = urlsplit(value)
    if value and (parts.scheme not in ("http", "https") or not parts.hostname or " " in value):
        raise InvalidSetting("Enter the full address of the instance, such as https://invidious.example.org.")
    return value


def _audio_format(raw: Any) -> str:
    value = _text(raw).lower()
    if value not in {f.value for f in AudioFormat}:
        raise InvalidSetting(f"Choose one of {', '.join(f.value for f in AudioFormat)}.")
    return value


def _audio_quality(raw: Any) -> str:
    value = _text(raw).lower()
    if value not in {q.value for q in AudioQuality}:
        raise InvalidSetting(f"Choose one of {', '.join(q.value for q in AudioQuality)}.")
    return value


def _filename_template(raw: Any) -> str:
    value = _text(raw)
    problem = validate_template(value)
    if problem:
        raise InvalidSetting(problem)
    return value


def _music_dir(raw: Any) -> str:
    value = _text(raw)
    if not value:
        return ""  # the default: <data dir>/music
    path = Path(value).expanduser()
    if not path.is_absolute():
        raise InvalidSetting("Enter the folder's full path, such as /home/you/Music or D:\\Music.")
    if path.exists() and not path.is_dir():
        raise InvalidSetting(f"{path} is a file, not a folder.")
    return str(path)


def _whole_number(raw: Any, what: str, low: int, high: int) -> int:
    try:
        number = float(_text(raw))
    except ValueError:
        number = float("nan")
    if not number.is_integer() or not low <= number <= high:
        raise InvalidSetting(f"{what} must be a whole number from {low} to {high}.")
    return int(number)


def _sync_interval(raw: Any) -> float:
    try:
        hours = float(_text(raw) or 0)
    except ValueError:
        raise InvalidSetting("Enter the hours between syncs as a number, or 0 to turn it off.") from None
    if hours != 0 and not MIN_SYNC_INTERVAL_HOURS <= hours <= MAX_SYNC_INTERVAL_HOURS:
        raise InvalidSetting(f"Sync at most every {MIN_SYNC_INTERVAL_HOURS * 60:.0f} minutes and at least "
                             "once a week, or turn it off.")
    return hours


FIELD_CHECKS: dict[str, Callable[[Any], Any]] = {
    "spotify_client_id": _credential("client id"),
    "spotify_client_secret": _credential("client secret"),
    "soundcloud_client_id": _soundcloud_client_id,
    "audio_providers": _providers,
    "invidious_url": _web_address,
    "audio_format": _audio_format,
    "audio_quality": _audio_quality,
    "filename_template": _filename_template,
    "music_dir": _music_dir,
    "download_concurrency": lambda raw: _whole_number(raw, "Downloads at once", 1, MAX_CONCURRENCY),
    "sync_interval_hours": _sync_interval,
    "lan_access": bool,
    "port": lambda raw: _whole_number(raw, "The port", 1, 65535),
}


def check_field(name: str, raw: Any, on_save: bool = False) -> Any:
    """The value to store for `raw`; raises InvalidSetting. `on_save` also checks the disk."""
    value = FIELD_CHECKS[name](raw)
    if on_save and name == "music_dir" and value:
        problem = music_dir_problem(Path(value))  # creates the folder and writes a test file
        if problem is not None:
            raise InvalidSetting(str(problem))
    return value


def cross_field_errors(values: dict[str, Any]) -> dict[str, str]:
    """Problems that only a combination of checked values has."""
    providers = values["audio_providers"]
    names = providers.split(",") if isinstance(providers, str) else providers
    if "invidious" in names and not values["invidious_url"]:
        return {"invidious_url": "Enter the address of an Invidious instance to search through it, "
                                 "or take invidious off the list."}
    return {}
