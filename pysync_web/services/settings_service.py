"""Settings as the Settings page edits them: check each value, save the file, apply to the running app.

The running app shares one Settings object and builds its platform clients from it per operation, so
most changes apply at once by assigning to it. Only what the web server reads at start (port, LAN
access) waits for a restart. The file gets what the user saved on top of what it already held:
values that came from environment variables or --host/--port stay out of it, so a one-off override
never becomes permanent.
"""
from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from ipaddress import ip_address
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pysync_web.config import Settings
from pysync_web.errors import CredentialsError, PySyncError
from pysync_web.platforms.soundcloud_client_id import CLIENT_ID_FILE, discover_client_id
from pysync_web.platforms.spotify_auth import SpotifyLogin
from pysync_web.services.audio.convert import AudioFormat, AudioQuality, quality_label
from pysync_web.services.audio.filenames import NameFields, target_path, validate_template
from pysync_web.services.settings_checks import FIELD_CHECKS, InvalidSetting, check_field, cross_field_errors

# What the page may change; the Spotify secret is write-only (never part of form_values).
EDITABLE_FIELDS = tuple(FIELD_CHECKS)
# Read by the web server when it starts: saved now, used after a restart.
APPLY_ON_RESTART = {"port": "the port", "lan_access": "LAN access"}
# What the page says about each choice; the qualities' details come from convert.py's encoder settings.
AUDIO_FORMAT_CHOICES = {
    AudioFormat.MP3.value: "MP3 (plays everywhere)",
    AudioFormat.M4A.value: "M4A (iTunes, Rekordbox, CDJs)",
    AudioFormat.OPUS.value: "Opus (smallest files)",
    AudioFormat.FLAC.value: "FLAC (lossless; large, and adds nothing to a lossy source)",
}
AUDIO_QUALITY_NAMES = {AudioQuality.BEST: "Best", AudioQuality.HIGH: "High", AudioQuality.SMALL: "Small files"}


def audio_quality_choices(audio_format: str) -> dict[str, str]:
    """The quality choices as they apply to one format: "Best · VBR V0, about 245 kbit/s"."""
    fmt = AudioFormat(audio_format) if audio_format in {f.value for f in AudioFormat} else AudioFormat.MP3
    return {q.value: f"{AUDIO_QUALITY_NAMES[q]} · {quality_label(fmt, q)}" for q in AudioQuality}
PROVIDER_DESCRIPTIONS = {
    "youtube-music": ("YouTube Music", "Official audio: the best match for most released music."),
    "youtube": ("YouTube", "Everything else: remixes, live versions, rare uploads."),
    "soundcloud": ("SoundCloud", "DJ edits, bootlegs and unreleased tracks."),
    "invidious": ("Invidious", "YouTube through an Invidious instance, for when YouTube blocks this computer."),
}
SYNC_INTERVAL_CHOICES = {0.0: "Off", 1.0: "Every hour", 3.0: "Every 3 hours", 6.0: "Every 6 hours",
                         12.0: "Every 12 hours", 24.0: "Once a day"}
SAMPLE_TRACK = NameFields(title="One More Time", artists=("Daft Punk",), album="Discovery",
                          playlist="Road Trip", track_number=1)
_save_lock = threading.Lock()  # two pages saving at once must not each write over the other's change
_accounts: dict[Path, SpotifyAccount] = {}
_accounts_lock = threading.Lock()
# target_path remembers every path it hands out for the life of the process; previews claim theirs
# under a root no real music folder has, for a key no real track has, so they never block a real file.
_PREVIEW_ROOT = Path("/pysync-filename-preview")


class SettingsInvalidError(PySyncError):
    """Some values cannot be saved; `errors` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("Some settings need fixing: " + " ".join(errors.values()))


@dataclass(frozen=True)
class SaveResult:
    changed: tuple[str, ...]  # field names whose value changed
    on_restart: tuple[str, ...]  # how the user calls the changed fields that wait for a restart

    @property
    def message(self) -> str:
        if not self.changed:
            return "Nothing to save: the settings are unchanged."
        if self.on_restart:
            return f"Settings saved. {_sentence_case(_join(self.on_restart))} will change after a restart."
        return "Settings saved and applied."


class SettingsService:
    def __init__(self, settings: Settings, environ: Mapping[str, str] | None = None):
        self.settings = settings
        self._environ = os.environ if environ is None else environ

    def form_values(self) -> dict[str, Any]:
        """The current value of every editable field but the secret, as the page's inputs take them."""
        values = {name: getattr(self.settings, name) for name in EDITABLE_FIELDS if name != "spotify_client_secret"}
        values["audio_providers"] = self.settings.provider_names
        return values

    def secret_hint(self) -> str | None:
        """Enough of the stored Spotify secret to recognise it, never the secret itself."""
        secret = self.settings.spotify_client_secret
        return f"saved, ends in …{secret[-4:]}" if len(secret) >= 12 else ("saved" if secret else None)

    def environment_overrides(self) -> dict[str, str]:
        """Fields an environment variable sets: it wins over the saved value at every start."""
        return {f.name: f.metadata["env"] for f in fields(Settings)
                if f.name in EDITABLE_FIELDS and f.metadata.get("env") and f.metadata["env"] in self._environ}

    @staticmethod
    def field_error(name: str, value: Any) -> str | None:
        """What is wrong with one value as typed, for an inline message; None when it can be saved."""
        try:
            check_field(name, value)
        except InvalidSetting as error:
            return str(error)
        return None

    def save(self, changes: Mapping[str, Any]) -> SaveResult:
        """Check, persist and apply these fields (others keep their values). Blocks: writes a file.

        An empty `spotify_client_secret` keeps the stored one; an empty client id removes both.
        Raises SettingsInvalidError with every problem when any value is wrong; nothing is saved then.
        """
        with _save_lock:
            wanted = self._checked(changes)
            changed = {name: value for name, value in wanted.items() if getattr(self.settings, name) != value}
            if not changed:
                return SaveResult((), ())
            stored = Settings.load(self.settings.data_dir, environ={})  # defaults + file, no overrides
            for name, value in changed.items():
                setattr(stored, name, value)
            stored.save()
            for name, value in changed.items():
                setattr(self.settings, name, value)
        return SaveResult(tuple(changed), tuple(label for name, label in APPLY_ON_RESTART.items() if name in changed))

    def _checked(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        unknown = set(changes) - set(EDITABLE_FIELDS)
        if unknown:
            raise ValueError(f"not editable settings: {sorted(unknown)}")
        wanted: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for name, value in changes.items():
            if name == "spotify_client_secret" and not str(value or "").strip():
                continue  # left empty: keep the stored secret
            try:
                wanted[name] = check_field(name, value, on_save=True)
            except InvalidSetting as error:
                errors[name] = str(error)
        if wanted.get("spotify_client_id", self.settings.spotify_client_id) == "":
            if wanted.get("spotify_client_secret"):
                errors.setdefault("spotify_client_id", "Enter the client id that goes with this secret.")
            wanted["spotify_client_secret"] = ""  # a secret without its client id is of no use
        current = {name: getattr(self.settings, name) for name in EDITABLE_FIELDS}
        errors.update({name: message for name, message in cross_field_errors({**current, **wanted}).items()
                       if name not in errors})
        if errors:
            raise SettingsInvalidError(errors)
        return wanted

    # --- file names -------------------------------------------------------------------------------

    @staticmethod
    def filename_preview(template: str, audio_format: str) -> str:
        """Where a sample track would be saved, relative to the music folder; InvalidSetting if it can't."""
        error = validate_template(template or "")
        if error:
            raise InvalidSetting(error)
        extension = audio_format if audio_format in {f.value for f in AudioFormat} else AudioFormat.MP3.value
        path = target_path(_PREVIEW_ROOT, template, SAMPLE_TRACK, extension, "settings-preview", lambda _: False)
        return path.relative_to(_PREVIEW_ROOT).as_posix()

    # --- SoundCloud -------------------------------------------------------------------------------

    def obtain_soundcloud_client_id(self) -> str:
        """Read a fresh client id from soundcloud.com (blocks). It is cached and rotated on its own,
        separately from the configured id, which stays as the user set it."""
        return discover_client_id(self.settings)

    def soundcloud_obtained_id(self) -> str | None:
        """The automatically obtained id in use while no id is configured, if one was obtained."""
        try:
            saved = (self.settings.data_dir / CLIENT_ID_FILE).read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return saved or None


def spotify_account(settings: Settings) -> SpotifyAccount:
    """The one SpotifyAccount of this data dir: the login routes start logins in it and the Settings
    page reads how they ended, so both must see the same pending logins."""
    key = settings.data_dir.resolve()
    with _accounts_lock:
        account = _accounts.get(key)
        if account is None or account.settings is not settings:
            account = _accounts[key] = SpotifyAccount(settings)
        return account


class SpotifyAccount:
    """The Spotify login for Liked Songs as the web app runs it.

    Each login gets an unguessable `state` that works once and for ten minutes; the caller also keeps
    it in the browser (a cookie) and hands both back, so a callback link made by someone else, or
    replayed, is refused. Tokens live in the data dir (platforms/spotify_auth.py).
    """

    STATE_TTL_S = 600.0
    MAX_PENDING = 20

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic):
        self.settings = settings
        self._clock = clock
        self._pending: dict[str, tuple[str, float]] = {}  # state -> (redirect URI, started at)
        self._failure: str | None = None
        self._lock = threading.Lock()

    def start_login(self, redirect_uri: str) -> tuple[str, str]:
        """The Spotify authorize URL to send the browser to, and the state to remember in it."""
        state = secrets.token_urlsafe(32)
        url = SpotifyLogin(self.settings).authorize_url(redirect_uri, state)
        with self._lock:
            self._forget_expired()
            while len(self._pending) >= self.MAX_PENDING:
                self._pending.pop(next(iter(self._pending)))
            self._pending[state] = (redirect_uri, self._clock())
        return url, state

    def finish_login(self, state: str, browser_state: str, code: str, error: str = "") -> None:
        """Exchange the code Spotify sent back for a token (blocks: one HTTP request).

        Raises PySyncError when the login did not work; its message is also kept for take_failure().
        """
        try:
            self._finish_login(state, browser_state, code, error)
        except PySyncError as failure:
            self.record_failure(str(failure))
            raise

    def record_failure(self, message: str) -> None:
        self._failure = message

    def take_failure(self) -> str | None:
        """Why the last login failed, once: the Settings page shows it after the redirect back."""
        failure, self._failure = self._failure, None
        return failure

    def _finish_login(self, state: str, browser_state: str, code: str, error: str) -> None:
        with self._lock:
            self._forget_expired()
            matches = bool(state) and secrets.compare_digest(state.encode(), (browser_state or "").encode())
            pending = self._pending.pop(state, None) if matches else None
        if pending is None:
            raise CredentialsError("This Spotify login was not started here or took too long: log in again.")
        if error:
            raise CredentialsError("The Spotify login was cancelled." if error == "access_denied"
                                   else f"Spotify refused the login ({error}); try again.")
        if not code:
            raise CredentialsError("Spotify sent no login code back; try again.")
        SpotifyLogin(self.settings).complete(pending[0], code)

    def is_logged_in(self) -> bool:
        return SpotifyLogin(self.settings).is_logged_in()

    def logout(self) -> None:
        SpotifyLogin(self.settings).logout()

    def _forget_expired(self) -> None:
        oldest = self._clock() - self.STATE_TTL_S
        for state in [s for s, (_, started) in self._pending.items() if started < oldest]:
            del self._pending[state]


def redirect_uri_problem(redirect_uri: str) -> str | None:
    """Why Spotify would refuse this redirect URI, if it would: it allows plain http only for a
    loopback address written as an IP (127.0.0.1 or [::1]); anything else needs https."""
    parts = urlsplit(redirect_uri)
    if parts.scheme == "https":
        return None
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    local = f"http://127.0.0.1{port}"
    if host == "localhost":
        return f"Spotify does not accept “localhost”: open this app at {local} to log in."
    try:
        if ip_address(host).is_loopback:
            return None
    except ValueError:
        pass
    return (f"Spotify accepts plain http only for 127.0.0.1: open this app at {local} on the computer "
            "it runs on (or serve it over https) to log in.")


def _join(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]
