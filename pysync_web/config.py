"""Settings: defaults < `settings.json` in the data dir < environment variables.

Every platform base URL is a setting so tests (and users behind a proxy or mirror) can point the real
clients elsewhere. Platform clients are built from the current Settings on every operation, so a
changed credential is used at once without a restart.
"""
from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from pysync_web.atomic_file import write_atomically

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.json"
DATA_DIR_ENV = "PYSYNC_DATA_DIR"
DEFAULT_DATA_DIR = Path("data")


def _setting(default: Any, env: str | None = None) -> Any:
    return field(default=default, metadata={"env": env})


@dataclass
class Settings:
    data_dir: Path = DEFAULT_DATA_DIR
    host: str = _setting("127.0.0.1", "PYSYNC_HOST")
    port: int = _setting(8080, "PYSYNC_PORT")
    spotify_client_id: str = _setting("", "SPOTIPY_CLIENT_ID")
    spotify_client_secret: str = _setting("", "SPOTIPY_CLIENT_SECRET")
    spotify_api_url: str = _setting("https://api.spotify.com/v1", "PYSYNC_SPOTIFY_API_URL")
    spotify_accounts_url: str = _setting("https://accounts.spotify.com", "PYSYNC_SPOTIFY_ACCOUNTS_URL")
    spotify_web_url: str = _setting("https://open.spotify.com", "PYSYNC_SPOTIFY_WEB_URL")
    soundcloud_api_url: str = _setting("https://api-v2.soundcloud.com", "PYSYNC_SOUNDCLOUD_API_URL")
    soundcloud_web_url: str = _setting("https://soundcloud.com", "PYSYNC_SOUNDCLOUD_WEB_URL")
    soundcloud_client_id: str = _setting("", "PYSYNC_SOUNDCLOUD_CLIENT_ID")
    invidious_url: str = _setting("", "PYSYNC_INVIDIOUS_URL")
    # Where Spotify tracks (which have no audio of their own) are searched, in this order.
    audio_providers: str = _setting("youtube-music,youtube", "PYSYNC_AUDIO_PROVIDERS")
    music_dir: str = _setting("", "PYSYNC_MUSIC_DIR")  # empty: <data dir>/music
    audio_format: str = _setting("mp3", "PYSYNC_AUDIO_FORMAT")
    audio_quality: str = _setting("best", "PYSYNC_AUDIO_QUALITY")  # best, high or small
    filename_template: str = _setting("{artist} - {title}", "PYSYNC_FILENAME_TEMPLATE")
    download_concurrency: int = _setting(3, "PYSYNC_DOWNLOAD_CONCURRENCY")
    http_timeout_s: float = _setting(15.0, "PYSYNC_HTTP_TIMEOUT")
    # Longest Retry-After we are willing to sleep through; beyond it we report "rate limited until".
    max_retry_after_s: float = _setting(60.0, "PYSYNC_MAX_RETRY_AFTER")
    retry_backoff_s: float = _setting(0.5, "PYSYNC_RETRY_BACKOFF")
    spotify_page_concurrency: int = _setting(8, "PYSYNC_SPOTIFY_PAGE_CONCURRENCY")
    auto_export: str = _setting("", "PYSYNC_AUTO_EXPORT")  # e.g. "rekordbox,m3u": rewritten after syncs/downloads
    export_dir: str = _setting("", "PYSYNC_EXPORT_DIR")  # empty: <data dir>/exports
    # Hours between automatic syncs of the enabled playlists while the web app runs; 0 turns it off.
    sync_interval_hours: float = _setting(0.0, "PYSYNC_SYNC_INTERVAL_HOURS")
    # Listen on every network interface (behind a passcode) at the next start.
    lan_access: bool = _setting(False, "PYSYNC_LAN")

    @property
    def settings_path(self) -> Path:
        return self.data_dir / SETTINGS_FILE

    @property
    def music_path(self) -> Path:
        return Path(self.music_dir) if self.music_dir else self.data_dir / "music"

    @property
    def provider_names(self) -> list[str]:
        return [name.strip() for name in self.audio_providers.split(",") if name.strip()]

    @property
    def has_spotify_credentials(self) -> bool:
        return bool(self.spotify_client_id and self.spotify_client_secret)

    @classmethod
    def load(cls, data_dir: Path | str | None = None, environ: dict[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        data_dir = Path(data_dir or environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)
        settings = cls(data_dir=data_dir)
        settings._apply(settings._read_file(), source=str(settings.settings_path))
        settings._apply(
            {f.name: environ[f.metadata["env"]] for f in fields(cls)
             if f.metadata.get("env") and f.metadata["env"] in environ},
            source="environment",
        )
        return settings

    def save(self) -> None:
        """Persist the settings a user can change (everything but the data dir itself)."""
        values = {k: v for k, v in asdict(self).items() if k != "data_dir"}
        write_atomically(self.settings_path, json.dumps(values, indent=2).encode())

    def _read_file(self) -> dict[str, Any]:
        try:
            values = json.loads(self.settings_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            log.warning("Ignoring unreadable settings file %s: %s", self.settings_path, error)
            return {}
        return values if isinstance(values, dict) else {}

    def _apply(self, values: dict[str, Any], source: str) -> None:
        by_name = {f.name: f for f in fields(self) if f.name != "data_dir"}
        for name, raw in values.items():
            if name not in by_name:
                continue
            kind = type(by_name[name].default)
            try:
                setattr(self, name, _parse_bool(raw) if kind is bool else kind(raw))
            except (TypeError, ValueError):
                log.warning("Ignoring setting %s=%r from %s: expected %s", name, raw, source, kind.__name__)


def _parse_bool(raw: Any) -> bool:
    """Environment variables are text: "false" and "0" must not read as True."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"not a yes/no value: {raw!r}")
